"""The typed blueprint model: the only thing stages after validation read.

Nothing here knows about YAML. Validation builds these objects from the
composed tree; layout, rendering, narration and the gallery only read them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from archgen.diagnostics import Diagnostic, Mark
from archgen.errors import ArchgenError
from archgen.format import DEFAULT_DIRECTION, DEFAULT_FLAVOR, DEFAULT_FLOW_STYLE, step_format

# A step field's value: Markdown text, a list of Markdown texts, or (for a
# `table` or `pairs` field) an ordered tuple of (label, text) pairs as written
# in the file. In a `pairs` field (questions, tradeoffs, followups) the label is
# the question or option and the text its answer or reason, "" when none is given.
FieldValue = str | tuple[str, ...] | tuple[tuple[str, str], ...]


def field_pairs(value: FieldValue | None) -> tuple[tuple[str, str], ...]:
    """Any field value as (label, text) pairs: a bare text is a label with no text.

    >>> field_pairs(("Is it real-time?", ("Peak QPS?", "100k")))
    (('Is it real-time?', ''), ('Peak QPS?', '100k'))
    """
    if value is None:
        return ()
    items = (value,) if isinstance(value, str) else value
    return tuple((item, "") if isinstance(item, str) else item for item in items)


def field_text(value: FieldValue | None) -> str:
    r"""All the words of a field, one item per line, for rules that look for a concept.

    >>> field_text((("Peak QPS", "100k"), ("DAU", "2B")))
    'Peak QPS: 100k\nDAU: 2B'
    """
    return "\n".join(f"{a}: {b}" if b else a for a, b in field_pairs(value))


@dataclass(frozen=True)
class Step:
    name: str
    number: int
    fields: tuple[tuple[str, FieldValue], ...] = ()
    notes: str = ""
    # Component ids this step's diagram highlights, in component order.
    focus: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return step_format(self.name).title

    @property
    def has_content(self) -> bool:
        return bool(self.fields or self.notes)

    def value(self, name: str) -> FieldValue | None:
        """The field `name` as written, or None when the step does not give it."""
        return next((value for key, value in self.fields if key == name), None)

    @property
    def slug(self) -> str:
        """The file stem of this step's diagram: `step-N-NAME`."""
        return f"step-{self.number}-{self.name}"


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    parent: str | None = None


@dataclass(frozen=True)
class Component:
    id: str
    kind: str
    label: str
    description: str
    step: str
    tech: str | None = None
    # Absolute path of a user icon, already checked to lie inside the root.
    icon: Path | None = None
    group: str | None = None


@dataclass(frozen=True)
class Flow:
    source: str
    target: str
    label: str = ""
    style: str = DEFAULT_FLOW_STYLE
    two_way: bool = False


@dataclass(frozen=True)
class Reference:
    """A source the design draws on (format 1.1): an http(s) URL and what to call it."""

    url: str
    title: str = ""
    note: str = ""


@dataclass(frozen=True)
class Relative:
    """Another case study of the gallery that this one's page links to: one that shares its
    structure, or that one of the two names in `related`."""

    id: str
    title: str
    # What the two share that few other case studies have: the files both extend
    # (fragments, by file stem) and the kinds of component both draw, rarest first.
    extends: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    # Whether one of the two names the other in `related`.
    named: bool = False


@dataclass(frozen=True)
class Blueprint:
    id: str
    title: str
    source: Path
    components: dict[str, Component]
    summary: str = ""
    tags: tuple[str, ...] = ()
    flavor: str = DEFAULT_FLAVOR
    direction: str = DEFAULT_DIRECTION
    # All seven steps, in framework order, present even when empty.
    steps: tuple[Step, ...] = ()
    groups: dict[str, Group] = field(default_factory=dict)
    flows: tuple[Flow, ...] = ()
    # Every file this blueprint was composed from (itself last): the gallery
    # cache re-renders when any of them changes.
    sources: tuple[Path, ...] = ()
    # What loading found valid but doubtful, for the command line to show.
    warnings: tuple[Diagnostic, ...] = ()
    # Format 1.1 study notes at the top level.
    references: tuple[Reference, ...] = ()
    # Review rule id -> why this blueprint leaves the rule out ("" when it gives no reason).
    review_ignore: dict[str, str] = field(default_factory=dict)
    # The curriculum (format 1.1): a `FAMILIES` name, a `LEVELS` name ("" when not given),
    # and the ids of the case studies it names as related.
    family: str = ""
    level: str = ""
    related: tuple[str, ...] = ()
    # The case studies its page links to. Only a gallery knows them: it sets them
    # before rendering; a blueprint rendered on its own has none.
    relatives: tuple[Relative, ...] = ()
    # Where each part is written, for messages that point into the file: "" (the
    # file itself), a top-level key ("requirements", "components", "references"),
    # a step field ("requirements.scale"), "components.<id>", "groups.<id>".
    marks: dict[str, Mark] = field(default_factory=dict)

    def mark(self, *paths: str) -> Mark:
        """Where the first of `paths` that is written is, else the file's first line."""
        return next(
            (self.marks[path] for path in paths if path in self.marks),
            self.marks.get("", Mark(self.source, 1, 1)),
        )

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)

    def group_members(self, group_id: str) -> tuple[str, ...]:
        """Component ids inside a group, nested groups included."""
        return self._members_by_group.get(group_id, ())

    @cached_property
    def _members_by_group(self) -> dict[str, tuple[str, ...]]:
        """Worked out once: step views ask for every group's members."""
        return members_by_group(self.groups, self.components.values())

    def groups_of(self, component_id: str) -> tuple[str, ...]:
        """The groups a component is drawn in, innermost first."""
        return group_chain(self.groups, self.components[component_id].group)

    def is_group(self, ident: str) -> bool:
        return ident in self.groups

    def _repr_svg_(self) -> str | None:
        """Jupyter shows a loaded blueprint as its overview diagram. When it cannot be drawn
        (no Graphviz, say) the reason comes as a warning and the notebook shows the text
        line instead: a traceback under the cell would say no more."""
        try:
            return self._notebook_svg
        except ArchgenError as error:
            warnings.warn(f"archgen: {error}", stacklevel=2)
            return None

    @cached_property
    def _notebook_svg(self) -> str:
        """Drawn on first display, then kept: the blueprint is frozen, so the drawing cannot
        go stale (a `dataclasses.replace` copy starts without it), and cached_property writes
        to the instance's __dict__, which a frozen dataclass allows. A failure caches nothing.
        The renderer is imported here, not above, so that loading a blueprint stays light."""
        from archgen.render.notebook import notebook_svg

        return notebook_svg(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's text for a blueprint: one line, not every field, since a notebook stores
        it beside the diagram."""
        printer.text(
            f"<Blueprint {self.id!r}: {len(self.components)} components, "
            f"{len(self.groups)} groups, {len(self.flows)} flows>"
        )


def group_chain(groups: Mapping[str, Group], group: str | None) -> tuple[str, ...]:
    """`group` and the groups it is nested in, innermost first: every question about
    nesting is answered from this one walk. It stops before a group it has met, so
    a cycle that validation is still to report cannot hang it."""
    chain: list[str] = []
    while group is not None and group in groups and group not in chain:
        chain.append(group)
        group = groups[group].parent
    return tuple(chain)


def members_by_group(
    groups: Mapping[str, Group], components: Iterable[Component]
) -> dict[str, tuple[str, ...]]:
    """Each group's component ids, nested groups included, in component order."""
    members: dict[str, list[str]] = {g: [] for g in groups}
    for component in components:
        for group in group_chain(groups, component.group):
            members[group].append(component.id)
    return {g: tuple(ids) for g, ids in members.items()}
