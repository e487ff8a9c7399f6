"""Groups and components: their ids, their keys, and the values each key holds.

What the entities name (kinds, techs, groups, icons) is checked by
`references`; the result, with each group's members worked out once by the
model, is what flows and steps are checked against.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from archgen.catalog import Catalog
from archgen.format import COMPONENT_KEYS, GROUP_KEYS, STEP_NAMES, names
from archgen.model import Component, Group, group_chain, members_by_group
from archgen.parse.validate.references import References
from archgen.parse.yamltree import Mapping, Scalar

KINDS_HINT = "`archgen catalog` lists the kinds"


@dataclass
class Entities:
    """The groups and components that passed, and the ids of those that did not."""

    groups: dict[str, Group]
    components: dict[str, Component]
    # Declared component ids that failed: a flow or focus naming one is no new error.
    broken: frozenset[str]

    @cached_property
    def members(self) -> dict[str, tuple[str, ...]]:
        """Read once every entity is in: flows, focus and drawn groups all ask."""
        return members_by_group(self.groups, self.components.values())

    @cached_property
    def known(self) -> dict[str, Component | Group]:
        """Every id a flow or a focus may name."""
        return {**self.components, **self.groups}

    def enclosing(self, ident: str) -> tuple[str, ...]:
        """The groups around a component or a group, innermost first."""
        inside = ident in self.components
        start = self.components[ident].group if inside else self.groups[ident].parent
        return group_chain(self.groups, start)

    def drawn_groups(self) -> dict[str, Group]:
        """Groups with at least one member, directly or through nested groups."""
        return {g: group for g, group in self.groups.items() if self.members[g]}


def read_entities(tree: Mapping, catalog: Catalog, references: References) -> Entities:
    groups = _read_groups(tree, references)
    components, declared = _read_components(tree, groups, catalog, references)
    return Entities(groups, components, frozenset(declared - set(components)))


def _read_groups(tree: Mapping, references: References) -> dict[str, Group]:
    shapes = references.shapes
    groups: dict[str, Group] = {}
    parents: dict[str, Scalar] = {}
    for ident, (key_node, entry) in shapes.section(tree, "groups").entries.items():
        shapes.ident(key_node, "group")
        if not isinstance(entry, Mapping):
            shapes.errors.error(entry.mark, f"group '{ident}' must be a label or a mapping")
            continue
        shapes.unknown_keys(entry, names(GROUP_KEYS), f"group '{ident}'")
        label = shapes.label(entry.get("label"), "a group's `label`") or ident.replace("_", " ")
        parent = entry.get("parent")
        if isinstance(parent, Scalar) and not parent.is_null:
            parents[ident] = parent
        elif parent is not None:
            shapes.text(parent, "a group's `parent`")
        groups[ident] = Group(ident, label, None)
    return references.parents(groups, parents)


def _read_components(
    tree: Mapping, groups: dict[str, Group], catalog: Catalog, references: References
) -> tuple[dict[str, Component], set[str]]:
    """The components that passed, and every id declared, valid or not."""
    shapes = references.shapes
    section = shapes.section(tree, "components")
    components: dict[str, Component] = {}
    for ident, (key_node, entry) in section.entries.items():
        shapes.ident(key_node, "component")
        if ident in groups:
            shapes.errors.error(key_node.mark, f"'{ident}' is both a group and a component id")
        if not isinstance(entry, Mapping):
            shapes.errors.error(entry.mark, f"component '{ident}' must be a kind or a mapping")
            continue
        component = _component(ident, entry, groups, catalog, references)
        if component is not None:
            components[ident] = component
    return components, set(section.entries)


def _component(
    ident: str, entry: Mapping, groups: dict[str, Group], catalog: Catalog, refs: References
) -> Component | None:
    shapes = refs.shapes
    shapes.unknown_keys(entry, names(COMPONENT_KEYS), f"component '{ident}'")
    kind_node = entry.get("kind")
    if kind_node is None:
        shapes.errors.error(entry.mark, f"component '{ident}' lacks `kind`", KINDS_HINT)
        return None
    if not refs.reference(kind_node, catalog.kinds, "kind", KINDS_HINT):
        return None
    kind = catalog.kinds[kind_node.value]  # type: ignore[union-attr]
    tech = entry.get("tech")
    has_tech = tech is not None and refs.reference(
        tech, catalog.techs, "tech", "`archgen catalog` lists the techs"
    )
    group = entry.get("group")
    has_group = group is not None and refs.reference(group, groups, "group")
    return Component(
        id=ident,
        kind=kind.name,
        label=shapes.label(entry.get("label"), "`label`") or kind.label,
        description=shapes.text(entry.get("description"), "`description`") or kind.description,
        step=shapes.choice(entry.get("step"), "step", STEP_NAMES, kind.step),
        tech=tech.value if has_tech else None,  # type: ignore[union-attr]
        icon=refs.icon(entry.get("icon")),
        group=group.value if has_group else None,  # type: ignore[union-attr]
    )
