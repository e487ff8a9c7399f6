"""The composed tree to the typed Blueprint, reporting every broken rule.

Each module checks one concern: `shapes` the kind of each value and the
blueprint's own top-level values, `entities` the groups and components,
`references` every name that must resolve (kinds, techs, parents, flow ends,
focus ids, icon paths), `nesting` the cycles and depth of groups inside
groups, `steps` the framework steps, `notes` the study notes
at the top level (references, review), and `marks` records where each part is
written, for later stages' messages. The facts they check
against (keys, ids, choices, defaults) are the format's, in `archgen.format`.
No check stops at the first problem: each records a diagnostic and carries on
with a safe stand-in value, so a user fixes a file in one round.
"""

from __future__ import annotations

from pathlib import Path

from archgen.catalog import Catalog
from archgen.diagnostics import Collector
from archgen.model import Blueprint
from archgen.parse.compose import Composed
from archgen.parse.validate.entities import read_entities
from archgen.parse.validate.marks import read_marks
from archgen.parse.validate.notes import read_references, read_review
from archgen.parse.validate.references import References
from archgen.parse.validate.shapes import Shapes, read_header
from archgen.parse.validate.steps import read_steps


def build_blueprint(
    composed: Composed, root: Path, catalog: Catalog, errors: Collector
) -> Blueprint | None:
    """The Blueprint, or None once any error is recorded in `errors`."""
    shapes = Shapes(errors)
    references = References(shapes, composed, root)
    header = read_header(composed, shapes)
    entities = read_entities(composed.tree, catalog, references)
    flows = references.flows(composed.edges, entities)
    steps = read_steps(composed.tree, entities, references)
    cited = read_references(composed.tree, shapes)
    review_ignore = read_review(composed.tree, shapes)
    if not entities.components and "components" not in composed.removed:
        errors.error(
            composed.tree.mark,
            "a blueprint needs at least one component",
            "add `components:`",
        )
    if errors.diagnostics:
        return None
    return Blueprint(
        id=header.id,
        title=header.title,
        source=composed.sources[-1],
        components=entities.components,
        summary=header.summary,
        tags=header.tags,
        flavor=header.flavor,
        direction=header.direction,
        family=header.family,
        level=header.level,
        related=header.related,
        steps=steps,
        groups=entities.drawn_groups(),
        flows=flows,
        sources=tuple(composed.sources),
        references=cited,
        review_ignore=review_ignore,
        marks=read_marks(composed),
    )
