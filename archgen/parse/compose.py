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
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from archgen.diagnostics import Collector, Mark
from archgen.files import OutsideRoot, UnusableInput, input_file
from archgen.format import (
    EXTENDS_FILES,
    SHORTHAND_KEYS,
    STEP_NAMES,
    TOP_LEVEL_KEYS,
    TOTAL_CHARS,
    VERSION,
    Limit,
    boolean,
)
from archgen.parse.flows import FlowEdge, parse_flows
from archgen.parse.limits import suggestion
from archgen.parse.yamltree import Mapping, Node, Scalar, Sequence, kind_of, parse_tree, read_source

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


@dataclass
class _Reading:
    """What composing one blueprint shares: its root, its errors, and what it has read so
    far, held to the limits, so that no web of `extends` costs more than they allow."""

    root: Path
    errors: Collector
    files: int = 0
    chars: int = 0
    # A limit was reached: nothing more is read, and that is said once.
    over: bool = False

    def source(self, path: Path, display: Path, chain: tuple[_Link, ...]) -> str | None:
        """The text of `path`, counted; None, reported, when it is unreadable or over a limit."""
        if self.over:
            return None
        where = chain[-1].mark if chain else Mark(display, 1, 1)
        self.files += 1
        if self.files > EXTENDS_FILES.value:
            self._stop(where, EXTENDS_FILES)
            return None
        text = read_source(path, display, self.errors)
        self.chars += len(text or "")
        if self.chars > TOTAL_CHARS.value:
            self._stop(where, TOTAL_CHARS)
            return None
        return text

    def _stop(self, where: Mark, limit: Limit) -> None:
        self.over = True
        self.errors.error(where, f"`extends` goes over the limit: {limit}", limit.hint)


def compose(path: Path, display: Path, root: Path, errors: Collector) -> Composed | None:
    """Read `path` and everything it extends; None when the file itself is unreadable.
    `path` and `root` are resolved already (`archgen.files.input_file`)."""
    return _compose_file(path, display, (), _Reading(root, errors))


def _compose_file(
    path: Path, display: Path, chain: tuple[_Link, ...], reading: _Reading
) -> Composed | None:
    errors = reading.errors
    text = reading.source(path, display, chain)
    tree = parse_tree(text, display, errors) if text is not None else None
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
    for base_link, base_display in _bases(tree, path, display, chain, reading):
        base = _compose_file(base_link.path, base_display, (*chain, base_link), reading)
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
    tree: Mapping, path: Path, display: Path, chain: tuple[_Link, ...], reading: _Reading
) -> list[tuple[_Link, Path]]:
    node = tree.get("extends")
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return []
    items = node.items if isinstance(node, Sequence) else [node]
    bases = []
    for item in items:
        if not isinstance(item, Scalar) or item.is_null:
            reading.errors.error(
                item.mark, f"`extends` takes a path or a list of paths, not {kind_of(item)}"
            )
            continue
        link = _resolve_base(item, path, chain, reading)
        if link is not None:
            bases.append((link, Path(os.path.normpath(display.parent / item.value))))
    return bases


def _resolve_base(
    item: Scalar, path: Path, chain: tuple[_Link, ...], reading: _Reading
) -> _Link | None:
    here = (*chain, _Link(path, item.mark))
    try:
        target = input_file(path.parent / item.value, reading.root)
    except UnusableInput as problem:
        hint = _chain_text(here)
        if isinstance(problem, OutsideRoot):
            hint += "; pass a wider --root if this is intended"
        reading.errors.error(item.mark, f"`extends` names '{item.value}', which {problem}", hint)
        return None
    if target == path or any(link.path == target for link in chain):
        reading.errors.error(
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
    # Removed id -> the entry's `parent` (for a group), swept out together afterwards:
    # one pass over the edges, the focus lists and the members, however many are removed.
    removed: dict[str, Node | None] = {}
    for ident, (id_node, entry) in value.entries.items():
        if isinstance(entry, Scalar) and entry.is_null:
            _take_out(acc, target, id_node, removed, errors)
            continue
        entry = _expand_shorthand(section, entry)
        _set(target, id_node, _merged_value(target.get(ident), entry, ident))
        acc.removed.pop(ident, None)
    if removed:
        _sweep(acc, section, removed)


def _expand_shorthand(section: str, entry: Node) -> Node:
    """`x: client` means `x: {kind: client}`; `g: Label` means `g: {label: Label}`."""
    if not isinstance(entry, Scalar):
        return entry
    key = SHORTHAND_KEYS[section]
    return Mapping(entry.mark, {key: (Scalar(key, entry.mark), entry)})


def _take_out(
    acc: Composed,
    target: Mapping,
    id_node: Scalar,
    removed: dict[str, Node | None],
    errors: Collector,
) -> None:
    ident = id_node.value
    if ident not in target.entries:
        hint = suggestion(ident, target.entries, errors)
        errors.error(
            id_node.mark,
            f"cannot remove '{ident}': no earlier file defines it",
            hint or "null removes what a file named in `extends` defines",
        )
        return
    entry = target.entries.pop(ident)[1]
    acc.removed[ident] = id_node.mark
    removed[ident] = entry.get("parent") if isinstance(entry, Mapping) else None


def _sweep(acc: Composed, section: str, removed: dict[str, Node | None]) -> None:
    """Drop every edge and focus entry that names a removed id; a removed group's
    members move to its parent."""
    acc.edges = [
        edge
        for edge in acc.edges
        if edge.source.id not in removed and edge.target.id not in removed
    ]
    _drop_from_focus(acc.tree, removed.keys())
    if section == "groups":
        _rehome_members(acc.tree, _surviving_parents(removed))


def _drop_from_focus(tree: Mapping, removed: Collection[str]) -> None:
    for step in STEP_NAMES:
        step_node = tree.get(step)
        focus = step_node.get("focus") if isinstance(step_node, Mapping) else None
        if isinstance(focus, Sequence):
            focus.items = [
                i for i in focus.items if not (isinstance(i, Scalar) and i.value in removed)
            ]


def _surviving_parents(parents: dict[str, Node | None]) -> dict[str, Scalar | None]:
    """Each removed group's nearest enclosing group that stays (None: the top level),
    worked out once per group, so a long chain of removed groups costs its length."""
    found: dict[str, Scalar | None] = {}
    for start in parents:
        walked: dict[str, None] = {}  # an ordered set
        group = start
        while group not in found and group not in walked:
            walked[group] = None
            parent = parents[group]
            if not isinstance(parent, Scalar) or parent.is_null or parent.value not in parents:
                found[group] = parent if isinstance(parent, Scalar) and not parent.is_null else None
                break
            group = parent.value
        # A walk that came back on itself (removed groups in a cycle) ends at the top level.
        answer = found.get(group)
        for walked_group in walked:
            found[walked_group] = answer
    return found


def _rehome_members(tree: Mapping, new_parents: dict[str, Scalar | None]) -> None:
    """Members of removed groups move to the group that now encloses them (or to the top level)."""
    for section, key in (("components", "group"), ("groups", "parent")):
        entries = tree.get(section)
        if not isinstance(entries, Mapping):
            continue
        for ident, (id_node, entry) in list(entries.entries.items()):
            if not isinstance(entry, Mapping):
                continue
            ref = entry.get(key)
            if not (isinstance(ref, Scalar) and ref.value in new_parents):
                continue
            parent = new_parents[ref.value]
            moved = Mapping(entry.mark, dict(entry.entries))
            if parent is not None:
                _set(moved, moved.entries[key][0], Scalar(parent.value, ref.mark, parent.plain))
            else:
                del moved.entries[key]
            entries.entries[ident] = (id_node, moved)
