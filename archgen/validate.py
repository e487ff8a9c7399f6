"""The composed tree to the typed Blueprint, reporting every broken rule.

This is the one place that knows the spec's rules for keys, types, ids and
references. It never stops at the first problem: each check records a
diagnostic and carries on with a safe stand-in value, so a user fixes a file
in one round rather than one error at a time.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from archgen.catalog import Catalog
from archgen.compose import Composed
from archgen.diagnostics import Collector, did_you_mean, one_of
from archgen.flows import Endpoint, FlowEdge
from archgen.format import (
    COMPONENT_KEYS,
    DEFAULT_DIRECTION,
    DEFAULT_FLAVOR,
    DIRECTIONS,
    FLAVORS,
    GROUP_KEYS,
    ICON_SUFFIXES,
    ID_RULE,
    SLUG_RULE,
    STEP_EXTRA_KEYS,
    STEP_NAMES,
    TOP_LEVEL_KEYS,
    boolean,
    default_id,
    is_id,
    is_slug,
    names,
    step_format,
)
from archgen.model import (
    Blueprint,
    Component,
    FieldValue,
    Flow,
    Group,
    Step,
    members_by_group,
)
from archgen.yamltree import Mapping, Node, Scalar, Sequence, kind_of


def build_blueprint(
    composed: Composed, root: Path, catalog: Catalog, errors: Collector
) -> Blueprint | None:
    return _Validator(composed, root, catalog, errors).blueprint()


class _Validator:
    def __init__(self, composed: Composed, root: Path, catalog: Catalog, errors: Collector):
        self.composed = composed
        self.tree = composed.tree
        self.root = root.resolve()
        self.catalog = catalog
        self.errors = errors
        self.groups: dict[str, Group] = {}
        self.components: dict[str, Component] = {}
        # Every component id the file declares, valid or not, so that one bad
        # component does not make each flow that names it an error too.
        self.declared: set[str] = set()

    # -- helpers ---------------------------------------------------------

    def unknown_keys(self, mapping: Mapping, allowed: tuple[str, ...], where: str) -> None:
        for key, (key_node, _) in mapping.entries.items():
            if key not in allowed:
                hint = did_you_mean(key, allowed) or one_of(allowed)
                self.errors.error(key_node.mark, f"unknown key '{key}' in {where}", hint)

    def text(self, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        if isinstance(node, Scalar) and not node.is_null:
            return node.value
        self.errors.error(node.mark, f"{what} must be text, not {kind_of(node)}")
        return None

    def text_list(self, node: Node, what: str) -> tuple[str, ...]:
        if not isinstance(node, Sequence):
            self.errors.error(node.mark, f"{what} must be a list of text, not {kind_of(node)}")
            return ()
        texts = (self.text(item, f"each item of {what}") for item in node.items)
        return tuple(t for t in texts if t is not None)

    def choice(self, node: Node | None, what: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(node, what)
        if value is None:
            return default
        if value not in allowed:
            hint = did_you_mean(value, allowed) or one_of(allowed)
            self.errors.error(node.mark, f"unknown {what} '{value}'", hint)  # type: ignore[union-attr]
            return default
        return value

    def ident(self, key_node: Scalar, what: str) -> bool:
        if is_id(key_node.value):
            return True
        self.errors.error(key_node.mark, f"bad {what} id '{key_node.value}'", ID_RULE)
        return False

    # -- the blueprint ---------------------------------------------------

    def blueprint(self) -> Blueprint | None:
        tree = self.tree
        self.unknown_keys(tree, names(TOP_LEVEL_KEYS), "the blueprint")
        blueprint_id = self.blueprint_id()
        title = self.text(tree.get("title"), "`title`")
        if title is None and "title" not in tree.entries and not self.composed.fragment:
            self.errors.error(tree.mark, "missing `title`", "add `title: A short name`")
        self.check_fragment_flag()
        summary = self.text(tree.get("summary"), "`summary`") or ""
        tags = self.tags()
        flavor = self.choice(tree.get("flavor"), "flavor", FLAVORS, DEFAULT_FLAVOR)
        direction = self.choice(tree.get("direction"), "direction", DIRECTIONS, DEFAULT_DIRECTION)
        self.read_groups()
        self.read_components()
        flows = self.flows()
        steps = tuple(self.step(name, number) for number, name in enumerate(STEP_NAMES, 1))
        if not self.components and "components" not in self.composed.removed:
            self.errors.error(
                tree.mark, "a blueprint needs at least one component", "add `components:`"
            )
        if self.errors.diagnostics:
            return None
        return Blueprint(
            id=blueprint_id,
            title=title or "",
            source=self.composed.sources[-1],
            components=self.components,
            summary=summary,
            tags=tags,
            flavor=flavor,
            direction=direction,
            steps=steps,
            groups=self.drawn_groups(),
            flows=flows,
            sources=tuple(self.composed.sources),
        )

    def blueprint_id(self) -> str:
        node = self.tree.get("id")
        if node is None:
            derived = default_id(self.composed.file)
            if not derived:
                self.errors.error(
                    self.tree.mark,
                    f"cannot make an id from the file name '{self.composed.file.name}'",
                    "add `id: a-slug`",
                )
            return derived
        value = self.text(node, "`id`") or ""
        if value and not is_slug(value):
            self.errors.error(node.mark, f"bad id '{value}'", SLUG_RULE)
        return value

    def check_fragment_flag(self) -> None:
        node = self.tree.get("fragment")
        if node is not None and boolean(node) is None:
            self.errors.error(node.mark, "`fragment` must be true or false")

    def tags(self) -> tuple[str, ...]:
        node = self.tree.get("tags")
        return self.text_list(node, "`tags`") if node is not None else ()

    # -- groups ----------------------------------------------------------

    def read_groups(self) -> None:
        section = self.section("groups")
        parents: dict[str, Scalar] = {}
        for ident, (key_node, entry) in section.entries.items():
            self.ident(key_node, "group")
            if not isinstance(entry, Mapping):
                self.errors.error(entry.mark, f"group '{ident}' must be a label or a mapping")
                continue
            self.unknown_keys(entry, names(GROUP_KEYS), f"group '{ident}'")
            label = self.text(entry.get("label"), "a group's `label`") or ident.replace("_", " ")
            parent = entry.get("parent")
            if isinstance(parent, Scalar) and not parent.is_null:
                parents[ident] = parent
            elif parent is not None:
                self.text(parent, "a group's `parent`")
            self.groups[ident] = Group(ident, label, None)
        for ident, parent in parents.items():
            if self.reference(parent, self.groups, "group"):
                self.groups[ident] = Group(ident, self.groups[ident].label, parent.value)
        self.check_group_cycles(parents)

    def check_group_cycles(self, parents: dict[str, Scalar]) -> None:
        reported: set[str] = set()
        for start in self.groups:
            path, current = [start], self.groups[start].parent
            while current is not None and current not in path:
                path.append(current)
                current = self.groups[current].parent
            if current == start and start not in reported:
                reported.update(path)
                cycle = " -> ".join([*path, start])
                self.errors.error(parents[start].mark, f"groups form a cycle: {cycle}")
                for ident in path:
                    self.groups[ident] = Group(ident, self.groups[ident].label, None)

    def drawn_groups(self) -> dict[str, Group]:
        """Groups with at least one member, directly or through nested groups."""
        return {g: group for g, group in self.groups.items() if self.members(g)}

    def members(self, group: str) -> set[str]:
        return set(members_by_group(self.groups, self.components.values()).get(group, ()))

    # -- components ------------------------------------------------------

    def section(self, key: str) -> Mapping:
        node = self.tree.get(key)
        if node is None:
            return Mapping(self.tree.mark)
        if not isinstance(node, Mapping):
            self.errors.error(
                node.mark, f"`{key}` must be a mapping of id to entry, not {kind_of(node)}"
            )
            return Mapping(node.mark)
        return node

    def read_components(self) -> None:
        section = self.section("components")
        self.declared = set(section.entries)
        for ident, (key_node, entry) in section.entries.items():
            self.ident(key_node, "component")
            if ident in self.groups:
                self.errors.error(key_node.mark, f"'{ident}' is both a group and a component id")
            if not isinstance(entry, Mapping):
                self.errors.error(entry.mark, f"component '{ident}' must be a kind or a mapping")
                continue
            component = self.component(ident, entry)
            if component is not None:
                self.components[ident] = component

    def component(self, ident: str, entry: Mapping) -> Component | None:
        self.unknown_keys(entry, names(COMPONENT_KEYS), f"component '{ident}'")
        kind_node = entry.get("kind")
        if kind_node is None:
            self.errors.error(
                entry.mark, f"component '{ident}' lacks `kind`", "`archgen catalog` lists the kinds"
            )
            return None
        if not self.reference(
            kind_node, self.catalog.kinds, "kind", "`archgen catalog` lists the kinds"
        ):
            return None
        kind = self.catalog.kinds[kind_node.value]  # type: ignore[union-attr]
        tech = entry.get("tech")
        has_tech = tech is not None and self.reference(
            tech, self.catalog.techs, "tech", "`archgen catalog` lists the techs"
        )
        group = entry.get("group")
        has_group = group is not None and self.reference(group, self.groups, "group")
        step = self.choice(entry.get("step"), "step", STEP_NAMES, kind.step)
        return Component(
            id=ident,
            kind=kind.name,
            label=self.text(entry.get("label"), "`label`") or kind.label,
            description=self.text(entry.get("description"), "`description`") or kind.description,
            step=step,
            tech=tech.value if has_tech else None,  # type: ignore[union-attr]
            icon=self.icon(entry.get("icon")),
            group=group.value if has_group else None,  # type: ignore[union-attr]
        )

    def reference(self, node: Node, known: dict, what: str, fallback_hint: str = "") -> bool:
        """Whether node names one of `known`; reports the problem when not."""
        value = self.text(node, f"a {what}")
        if value is None:
            return False
        if value in known:
            return True
        removed = self.composed.removed.get(value)
        if removed is not None:
            self.errors.error(node.mark, f"{what} '{value}' was removed (at {removed})")
        else:
            hint = did_you_mean(value, known) or fallback_hint
            self.errors.error(node.mark, f"unknown {what} '{value}'", hint)
        return False

    def icon(self, node: Node | None) -> Path | None:
        value = self.text(node, "`icon`")
        if node is None or value is None:
            return None
        path = (Path(node.mark.file).resolve().parent / value).resolve()
        if path.suffix.lower() not in ICON_SUFFIXES:
            self.errors.error(node.mark, f"icon '{value}' is not a .png or .svg file")
        elif not path.is_relative_to(self.root):
            self.errors.error(
                node.mark, f"icon '{value}' is outside the blueprint root {self.root}"
            )
        elif not path.is_file():
            self.errors.error(node.mark, f"icon '{value}' does not exist")
        else:
            return path
        return None

    # -- flows -----------------------------------------------------------

    def flows(self) -> tuple[Flow, ...]:
        """Valid edges in first-seen order; a repeated edge updates label and style only."""
        merged: dict[tuple[str, str, bool], Flow] = {}
        for edge in self.composed.edges:
            ends_ok = self.endpoint_ok(edge.source) & self.endpoint_ok(edge.target)
            if not (ends_ok and self.not_nested(edge)):
                continue
            earlier = merged.get(edge.key)
            if earlier is None:
                flow = Flow(edge.source.id, edge.target.id, edge.label, edge.style, edge.two_way)
            else:
                flow = replace(earlier, label=edge.label, style=edge.style)
            merged[edge.key] = flow
        return tuple(merged.values())

    def endpoint_ok(self, endpoint: Endpoint) -> bool:
        if endpoint.id in self.components:
            return True
        if endpoint.id in self.declared:
            return False
        if endpoint.id in self.groups:
            if self.members(endpoint.id):
                return True
            self.errors.error(
                endpoint.mark,
                f"flow names group '{endpoint.id}', which has no member component and is not drawn",
            )
            return False
        known = {**self.components, **self.groups}
        removed = self.composed.removed.get(endpoint.id)
        if removed is not None:
            self.errors.error(
                endpoint.mark, f"flow names '{endpoint.id}', which was removed (at {removed})"
            )
        else:
            hint = did_you_mean(endpoint.id, known) or "a flow joins component or group ids"
            self.errors.error(endpoint.mark, f"unknown flow endpoint '{endpoint.id}'", hint)
        return False

    def not_nested(self, edge: FlowEdge) -> bool:
        """A flow between a group and its own member has no border to end at."""
        for outer, inner in ((edge.source, edge.target), (edge.target, edge.source)):
            if (
                outer.id in self.groups
                and inner.id != outer.id
                and self.is_inside(inner.id, outer.id)
            ):
                self.errors.error(
                    inner.mark, f"flow joins group '{outer.id}' and its own member '{inner.id}'"
                )
                return False
        return True

    def is_inside(self, ident: str, group: str) -> bool:
        current = (
            self.components[ident].group if ident in self.components else self.groups[ident].parent
        )
        seen: set[str] = set()
        while current is not None and current not in seen:
            if current == group:
                return True
            seen.add(current)
            current = self.groups[current].parent
        return False

    # -- steps -----------------------------------------------------------

    def step(self, name: str, number: int) -> Step:
        node = self.tree.get(name)
        default_focus = tuple(c.id for c in self.components.values() if c.step == name)
        if node is None:
            return Step(name, number, focus=default_focus)
        if not isinstance(node, Mapping):
            self.errors.error(node.mark, f"step `{name}` must be a mapping, not {kind_of(node)}")
            return Step(name, number)
        step_fields = step_format(name).fields
        allowed = (*names(step_fields), *names(STEP_EXTRA_KEYS))
        self.unknown_keys(node, allowed, f"step `{name}`")
        fields = []
        for field in step_fields:
            value = node.get(field.name)
            if value is not None:
                what = f"`{name}.{field.name}`"
                read = (
                    self.table(value, field.name)
                    if field.shape == "table"
                    else self.field(value, what)
                )
                if read:
                    fields.append((field.name, read))
        notes = self.text(node.get("notes"), f"`{name}.notes`") or ""
        focus_node = node.get("focus")
        focus = default_focus if focus_node is None else self.focus(focus_node)
        return Step(name, number, tuple(fields), notes, focus)

    def field(self, node: Node, what: str) -> FieldValue | None:
        if isinstance(node, Sequence):
            return self.text_list(node, what)
        if isinstance(node, Mapping):
            self.errors.error(node.mark, f"{what} must be text or a list of text, not a mapping")
            return None
        return self.text(node, what)

    def table(self, node: Node, name: str) -> tuple[tuple[str, str], ...]:
        if not isinstance(node, Mapping):
            self.errors.error(
                node.mark, f"`{name}` must be a mapping of label to value, not {kind_of(node)}"
            )
            return ()
        rows = (
            (key, self.text(value, f"{name} value '{key}'"))
            for key, (_, value) in node.entries.items()
        )
        return tuple((key, value) for key, value in rows if value is not None)

    def focus(self, node: Node) -> tuple[str, ...]:
        if not isinstance(node, Sequence):
            self.errors.error(
                node.mark, f"`focus` must be a list of component or group ids, not {kind_of(node)}"
            )
            return ()
        chosen: set[str] = set()
        known = {**self.components, **self.groups}
        for item in node.items:
            if isinstance(item, Scalar) and item.value in self.declared - set(self.components):
                continue
            if self.reference(item, known, "focus id"):
                value = item.value  # type: ignore[union-attr]
                chosen |= self.members(value) if value in self.groups else {value}
        return tuple(c for c in self.components if c in chosen)
