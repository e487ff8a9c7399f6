"""Every name that must resolve: kinds, techs, group parents, flow ends, focus ids, icon paths.

A name that resolves to nothing is reported at the value that holds it, with
the closest known name, or with where composition removed it. Cycles of group
parents and nesting too deep are found by `nesting`; which group holds which
is read from the model, which works it out once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from archgen.diagnostics import Mark
from archgen.files import UnusableInput, input_file
from archgen.format import GROUP_DEPTH, ICON_SUFFIXES
from archgen.model import Flow, Group
from archgen.parse.compose import Composed
from archgen.parse.flows import Endpoint, FlowEdge
from archgen.parse.limits import suggestion
from archgen.parse.validate.nesting import nesting_depths, parent_cycles
from archgen.parse.validate.shapes import Shapes
from archgen.parse.yamltree import Node, Scalar, Sequence, kind_of

if TYPE_CHECKING:
    from archgen.parse.validate.entities import Entities


class References:
    """Checks names against what the catalog, the blueprint and its root hold."""

    def __init__(self, shapes: Shapes, composed: Composed, root: Path) -> None:
        self.shapes = shapes
        self.errors = shapes.errors
        self.composed = composed
        self.root = root

    def reference(
        self, node: Node, known: Collection[str], what: str, fallback_hint: str = ""
    ) -> bool:
        """Whether node names one of `known`; reports the problem when not."""
        value = self.shapes.text(node, f"a {what}")
        if value is None:
            return False
        if value in known:
            return True
        removed = self.composed.removed.get(value)
        if removed is not None:
            self.errors.error(node.mark, f"{what} '{value}' was removed (at {removed})")
        else:
            hint = suggestion(value, known, self.errors) or fallback_hint
            self.errors.error(node.mark, f"unknown {what} '{value}'", hint)
        return False

    def icon(self, node: Node | None) -> Path | None:
        """A user icon's absolute path, when the file is there, inside the root, and a picture."""
        value = self.shapes.text(node, "`icon`")
        if node is None or value is None:
            return None
        try:
            path = input_file(node.mark.file.parent / value, self.root)
        except UnusableInput as problem:
            self.errors.error(node.mark, f"icon '{value}' {problem}")
            return None
        # The file's own name, past any link, is what the renderer goes by.
        if path.suffix.lower() not in ICON_SUFFIXES:
            self.errors.error(node.mark, f"icon '{value}' is not a .png or .svg file")
            return None
        # What is inside the file is render's to judge; imported here, as few blueprints have one.
        from archgen.render.icons import icon_file_problem

        if inside := icon_file_problem(path):
            self.errors.error(node.mark, f"icon '{value}' {inside}")
            return None
        return path

    def parents(self, groups: dict[str, Group], parents: dict[str, Scalar]) -> dict[str, Group]:
        """The groups with every parent that resolves, less the parents of those in a cycle
        or nested past the limit (reported), so that no later walk up a chain is long."""
        nested = dict(groups)
        for ident, parent in parents.items():
            if self.reference(parent, groups, "group"):
                nested[ident] = replace(groups[ident], parent=parent.value)
        for cycle in parent_cycles(nested):
            shown = " -> ".join([*cycle, cycle[0]])
            self.errors.error(parents[cycle[0]].mark, f"groups form a cycle: {shown}")
            _cut_parents(nested, cycle)
        deep = {g: d for g, d in nesting_depths(nested).items() if d > GROUP_DEPTH.value}
        for ident, depth in deep.items():
            if depth == GROUP_DEPTH.value + 1:  # the first of its chain over the limit
                found = f"group '{ident}' is nested {depth} levels deep"
                self.errors.error(
                    parents[ident].mark, GROUP_DEPTH.exceeded(found), GROUP_DEPTH.hint
                )
        _cut_parents(nested, deep)
        return nested

    def flows(self, edges: list[FlowEdge], entities: Entities) -> tuple[Flow, ...]:
        """Valid edges in first-seen order; a repeated edge updates label and style only."""
        merged: dict[tuple[str, str, bool], Flow] = {}
        for edge in edges:
            ends_ok = [self._endpoint_ok(end, entities) for end in (edge.source, edge.target)]
            if not (all(ends_ok) and self._not_nested(edge, entities)):
                continue
            earlier = merged.get(edge.key)
            if earlier is None:
                flow = Flow(edge.source.id, edge.target.id, edge.label, edge.style, edge.two_way)
            else:
                flow = replace(earlier, label=edge.label, style=edge.style)
            merged[edge.key] = flow
        return tuple(merged.values())

    def _endpoint_ok(self, endpoint: Endpoint, entities: Entities) -> bool:
        if endpoint.id in entities.components:
            return True
        if endpoint.id in entities.broken:
            return False
        if endpoint.id in entities.groups:
            if entities.members[endpoint.id]:
                return True
            self.errors.error(
                endpoint.mark,
                f"flow names group '{endpoint.id}', which has no member component and is not drawn",
            )
            return False
        removed = self.composed.removed.get(endpoint.id)
        if removed is not None:
            self.errors.error(
                endpoint.mark, f"flow names '{endpoint.id}', which was removed (at {removed})"
            )
        else:
            hint = (
                suggestion(endpoint.id, entities.known, self.errors)
                or "a flow joins component or group ids"
            )
            self.errors.error(endpoint.mark, f"unknown flow endpoint '{endpoint.id}'", hint)
        return False

    def _not_nested(self, edge: FlowEdge, entities: Entities) -> bool:
        """A flow between a group and its own member has no border to end at."""
        for outer, inner in ((edge.source, edge.target), (edge.target, edge.source)):
            if (
                outer.id in entities.groups
                and inner.id != outer.id
                and outer.id in entities.enclosing(inner.id)
            ):
                self.errors.error(
                    inner.mark, f"flow joins group '{outer.id}' and its own member '{inner.id}'"
                )
                return False
        return True

    def focus(self, node: Node, entities: Entities) -> tuple[str, ...]:
        """The components a step's `focus` names, a group standing for its members."""
        if not isinstance(node, Sequence):
            self.errors.error(
                node.mark, f"`focus` must be a list of component or group ids, not {kind_of(node)}"
            )
            return ()
        chosen: set[str] = set()
        written: dict[str, Mark] = {}
        for item in node.items:
            if isinstance(item, Scalar) and (
                self._repeated(item, written) or item.value in entities.broken
            ):
                continue
            if self.reference(item, entities.known, "focus id"):
                value = item.value  # type: ignore[union-attr]
                chosen.update(entities.members.get(value, (value,)))
        return tuple(c for c in entities.components if c in chosen)

    def _repeated(self, item: Scalar, written: dict[str, Mark]) -> bool:
        """Whether a focus id came earlier in its list: a repeat changes nothing, so it is
        dropped (its group's members are not gathered again), with a warning in case
        another id was meant."""
        first = written.get(item.value)
        if first is None:
            written[item.value] = item.mark
            return False
        self.errors.warning(
            item.mark,
            f"'{item.value}' is already in this `focus` (line {first.line}); the repeat is ignored",
            "remove it, or name the id you meant",
        )
        return True


def _cut_parents(groups: dict[str, Group], idents: Iterable[str]) -> None:
    for ident in idents:
        groups[ident] = replace(groups[ident], parent=None)
