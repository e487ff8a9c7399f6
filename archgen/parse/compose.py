"""`extends`: merge a blueprint with the blueprints and fragments it builds on.

Composition works on the marked YAML trees, before validation, so that every
error found later still points at the file and line that holds the value,
whichever base it came from. The merge rules are the spec's:

- mappings (`components`, `groups`, each step, `estimates`, `review`) merge
  by key; the later wins;
- lists (`tags`, list values in steps, `questions`, `tradeoffs`, `followups`,
  `references`, `review.ignore`) append without duplicates (flows by edge, in
  validation), except `focus`, which a later file replaces whole;
- `id`, `extends` and `fragment` are never inherited;
- a component or group set to null is removed with every edge that touches
  it; a removed group's members move to its parent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from archgen.diagnostics import Collector, Mark, did_you_mean
from archgen.format import SHORTHAND_KEYS, STEP_NAMES, TOP_LEVEL_KEYS, VERSION, boolean
from archgen.parse.flows import FlowEdge, parse_flows
from archgen.parse.yamltree import Mapping, Node, Scalar, Sequence, kind_of, read_tree

NOT_INHERITED = frozenset(key.name for key in TOP_LEVEL_KEYS if not key.inherited)


@dataclass
class Composed:
    """A merged tree, the edges of all its files, and what was removed where."""

    file: Path
    tree: Mapping
    edges: list[FlowEdge] = field(default_factory=list)
    removed: dict[str, Mark] = field(default_factory=dict)
    sources: list[Path] = field(default_factory=list)
    fragment: bool = False


@dataclass(frozen=True)
class _Link:
    """One step of an `extends` chain, kept to explain missing files and cycles."""

    path: Path
    mark: Mark


def compose(path: Path, display: Path, root: Path, errors: Collector) -> Composed | None:
    """Read `path` and everything it extends; None when the file itself is unreadable."""
    return _compose_file(path.resolve(), display, root.resolve(), (), errors)


def _compose_file(
    path: Path, display: Path, root: Path, chain: tuple[_Link, ...], errors: Collector
) -> Composed | None:
    tree = read_tree(path, display, errors)
    if tree is None:
        return None
    if not isinstance(tree, Mapping):
        errors.error(
            tree.mark,
            f"a blueprint is a mapping of keys, not {kind_of(tree)}",
            "start with `archgen: 1`",
        )
        return None
    _check_version(tree, errors)
    result = Composed(file=display, tree=Mapping(tree.mark))
    for base_link, base_display in _bases(tree, path, display, root, chain, errors):
        base = _compose_file(base_link.path, base_display, root, (*chain, base_link), errors)
        if base is not None:
            _merge(result, base.tree, base.edges, errors, own=False)
            result.removed.update(base.removed)
            result.sources.extend(s for s in base.sources if s not in result.sources)
    flows = tree.get("flows")
    own_edges = parse_flows(flows, errors) if flows is not None else []
    _merge(result, tree, own_edges, errors, own=True)
    result.sources.append(path)
    fragment = tree.get("fragment")
    result.fragment = boolean(fragment) is True
    return result


def _check_version(tree: Mapping, errors: Collector) -> None:
    version = tree.get("archgen")
    if version is None:
        errors.error(
            tree.mark,
            f"missing `archgen: {VERSION}` (the format version)",
            f"add `archgen: {VERSION}` at the top",
        )
    elif not (isinstance(version, Scalar) and version.plain and version.value == str(VERSION)):
        shown = version.describe() if isinstance(version, Scalar) else kind_of(version)
        errors.error(version.mark, f"`archgen` must be the integer {VERSION}, not {shown}")


def _bases(
    tree: Mapping,
    path: Path,
    display: Path,
    root: Path,
    chain: tuple[_Link, ...],
    errors: Collector,
) -> list[tuple[_Link, Path]]:
    node = tree.get("extends")
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return []
    items = node.items if isinstance(node, Sequence) else [node]
    bases = []
    for item in items:
        if not isinstance(item, Scalar) or item.is_null:
            errors.error(
                item.mark, f"`extends` takes a path or a list of paths, not {kind_of(item)}"
            )
            continue
        link = _resolve_base(item, path, display, root, chain, errors)
        if link is not None:
            bases.append((link, Path(os.path.normpath(display.parent / item.value))))
    return bases


def _resolve_base(
    item: Scalar, path: Path, display: Path, root: Path, chain: tuple[_Link, ...], errors: Collector
) -> _Link | None:
    target = (path.parent / item.value).resolve()
    here = (*chain, _Link(path, item.mark))
    if not target.is_relative_to(root):
        errors.error(
            item.mark,
            f"`extends` path '{item.value}' is outside the blueprint root {root}",
            _chain_text(here) + "; pass a wider --root if this is intended",
        )
        return None
    if not target.is_file():
        errors.error(
            item.mark, f"`extends` names '{item.value}', which does not exist", _chain_text(here)
        )
        return None
    if target == path or any(link.path == target for link in chain):
        errors.error(
            item.mark, f"`extends` cycle: '{item.value}' is already being read", _chain_text(here)
        )
        return None
    return _Link(target, item.mark)


def _chain_text(chain: tuple[_Link, ...]) -> str:
    steps = " -> ".join(f"{link.mark.file}:{link.mark.line}" for link in chain)
    return f"extends chain: {steps}"


def _merge(
    acc: Composed, layer: Mapping, edges: list[FlowEdge], errors: Collector, own: bool
) -> None:
    """Lay one file (or one composed base) over what is merged so far.

    Its own edges join after its removals, so a file that removes an id and
    still names it in a flow gets an error instead of a silent drop.
    """
    for key, (key_node, value) in layer.entries.items():
        if key == "flows" or (key in NOT_INHERITED and not own):
            continue
        if key in SHORTHAND_KEYS:
            _merge_named(acc, key, key_node, value, errors)
        elif key in STEP_NAMES:
            _merge_step(acc.tree, key_node, value, errors)
        else:
            _set(acc.tree, key_node, _merged_value(acc.tree.get(key), value, key))
    acc.edges.extend(edges)


def _set(mapping: Mapping, key_node: Scalar, value: Node) -> None:
    mapping.entries[key_node.value] = (key_node, value)


def _merged_value(old: Node | None, new: Node, key: str) -> Node:
    """Later wins, lists append without duplicates, mappings merge; `focus` is replaced."""
    if isinstance(old, Sequence) and isinstance(new, Sequence) and key != "focus":
        return _appended(old, new)
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        merged = Mapping(new.mark, dict(old.entries))
        for sub_key, (sub_key_node, sub_value) in new.entries.items():
            _set(merged, sub_key_node, _merged_value(merged.get(sub_key), sub_value, sub_key))
        return merged
    return new


def _appended(old: Sequence, new: Sequence) -> Sequence:
    """The earlier items, then the later file's new ones. An item naming what an earlier
    one names (text, question, option, rule id, reference URL) keeps the earlier place:
    it replaces that item when it says more (an answer, a title), else it is dropped."""
    items = list(old.items)
    places: dict[str, int] = {}
    for place, item in enumerate(items):
        places.setdefault(_identity(item), place)
    places.pop("", None)
    for item in new.items:
        earlier = places.get(_identity(item))
        if earlier is None:
            items.append(item)
        elif not isinstance(item, Scalar):
            items[earlier] = item
    return Sequence(new.mark, items)


def _identity(item: Node) -> str:
    """What a list item names, for `_appended`; "" for an item no other can repeat."""
    if isinstance(item, Mapping):
        url = item.get("url")
        if isinstance(url, Scalar):
            return url.value
        return next(iter(item.entries)) if len(item.entries) == 1 else ""
    return item.value if isinstance(item, Scalar) else ""


def _merge_step(tree: Mapping, key_node: Scalar, value: Node, errors: Collector) -> None:
    if isinstance(value, Scalar) and value.is_null:
        return
    if not isinstance(value, Mapping):
        errors.error(value.mark, f"step `{key_node.value}` must be a mapping, not {kind_of(value)}")
        return
    _set(tree, key_node, _merged_value(tree.get(key_node.value), value, key_node.value))


def _merge_named(
    acc: Composed, section: str, key_node: Scalar, value: Node, errors: Collector
) -> None:
    if isinstance(value, Scalar) and value.is_null:
        return
    if not isinstance(value, Mapping):
        errors.error(
            value.mark, f"`{section}` must be a mapping of id to entry, not {kind_of(value)}"
        )
        return
    target = acc.tree.get(section)
    if not isinstance(target, Mapping):
        target = Mapping(value.mark)
    _set(acc.tree, key_node, target)  # the section's key is the latest file's
    for ident, (id_node, entry) in value.entries.items():
        if isinstance(entry, Scalar) and entry.is_null:
            _remove(acc, section, id_node, errors)
            continue
        entry = _expand_shorthand(section, entry)
        _set(target, id_node, _merged_value(target.get(ident), entry, ident))
        acc.removed.pop(ident, None)


def _expand_shorthand(section: str, entry: Node) -> Node:
    """`x: client` means `x: {kind: client}`; `g: Label` means `g: {label: Label}`."""
    if not isinstance(entry, Scalar):
        return entry
    key = SHORTHAND_KEYS[section]
    return Mapping(entry.mark, {key: (Scalar(key, entry.mark), entry)})


def _remove(acc: Composed, section: str, id_node: Scalar, errors: Collector) -> None:
    target = acc.tree.get(section)
    ident = id_node.value
    if not isinstance(target, Mapping) or ident not in target.entries:
        known = target.entries if isinstance(target, Mapping) else {}
        hint = did_you_mean(ident, known) or "null removes what a file named in `extends` defines"
        errors.error(id_node.mark, f"cannot remove '{ident}': no earlier file defines it", hint)
        return
    removed_entry = target.entries.pop(ident)[1]
    acc.removed[ident] = id_node.mark
    acc.edges = [edge for edge in acc.edges if not edge.touches(ident)]
    _drop_from_focus(acc.tree, ident)
    if section == "groups":
        parent = removed_entry.get("parent") if isinstance(removed_entry, Mapping) else None
        _rehome_members(acc.tree, ident, parent)


def _drop_from_focus(tree: Mapping, ident: str) -> None:
    for step in STEP_NAMES:
        step_node = tree.get(step)
        focus = step_node.get("focus") if isinstance(step_node, Mapping) else None
        if isinstance(focus, Sequence):
            focus.items = [
                i for i in focus.items if not (isinstance(i, Scalar) and i.value == ident)
            ]


def _rehome_members(tree: Mapping, group: str, parent: Node | None) -> None:
    """Members of a removed group move to its parent (or to the top level)."""
    for section, key in (("components", "group"), ("groups", "parent")):
        entries = tree.get(section)
        if not isinstance(entries, Mapping):
            continue
        for ident, (id_node, entry) in list(entries.entries.items()):
            if not isinstance(entry, Mapping):
                continue
            ref = entry.get(key)
            if not (isinstance(ref, Scalar) and ref.value == group):
                continue
            moved = Mapping(entry.mark, dict(entry.entries))
            if isinstance(parent, Scalar) and not parent.is_null:
                _set(moved, moved.entries[key][0], Scalar(parent.value, ref.mark, parent.plain))
            else:
                del moved.entries[key]
            entries.entries[ident] = (id_node, moved)
