"""Values of the shape the format expects: text, lists of text, closed choices, ids, known keys.

Each reader reports a value of the wrong shape and hands back a stand-in (None,
nothing, the default), so validation carries on and a user fixes a file in one
round rather than one error at a time. The blueprint's own top-level values are
read here too: they are nothing but shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from archgen.diagnostics import Collector, one_of
from archgen.format import (
    DEFAULT_DIRECTION,
    DEFAULT_FLAVOR,
    DIRECTIONS,
    FAMILIES,
    FLAVORS,
    ID_RULE,
    LEVELS,
    SLUG_RULE,
    TOP_LEVEL_KEYS,
    boolean,
    default_id,
    is_id,
    is_slug,
    names,
)
from archgen.parse.compose import Composed
from archgen.parse.limits import label_fits, suggestion
from archgen.parse.yamltree import Mapping, Node, Scalar, Sequence, kind_of

_Branch = TypeVar("_Branch", Mapping, Sequence)


class Shapes:
    """The readers every other check builds on, sharing one collector of errors."""

    def __init__(self, errors: Collector) -> None:
        self.errors = errors

    def unknown_keys(self, mapping: Mapping, allowed: tuple[str, ...], where: str) -> None:
        for key, (key_node, value) in mapping.entries.items():
            if key not in allowed:
                hint = suggestion(key, allowed, self.errors) or one_of(allowed)
                if mapping.braces and isinstance(value, Scalar) and value.is_null:
                    hint = (
                        "inside `{…}` a ',' ends an entry, so the text after it became a key;"
                        " quote text that contains ','"
                    )
                self.errors.error(key_node.mark, f"unknown key '{key}' in {where}", hint)

    def text(self, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        if isinstance(node, Scalar) and not node.is_null:
            return node.value
        self.errors.error(node.mark, f"{what} must be text, not {kind_of(node)}")
        return None

    def label(self, node: Node | None, what: str) -> str | None:
        """Text drawn on a diagram or heading a page, held to the label limit."""
        text = self.text(node, what)
        if node is None or text is None or not label_fits(text, node.mark, what, self.errors):
            return None
        return text

    def text_list(self, node: Node, what: str) -> tuple[str, ...]:
        if not isinstance(node, Sequence):
            self.errors.error(node.mark, f"{what} must be a list of text, not {kind_of(node)}")
            return ()
        texts = (self.text(item, f"each item of {what}") for item in node.items)
        return tuple(t for t in texts if t is not None)

    def pairs(self, node: Node, what: str, form: str) -> tuple[tuple[str, str], ...]:
        """Text, or a list of `pair` items: (text, answer) pairs, answer "" where none is given.

        A single text stays valid, as it was for `questions` before answers came in.
        """
        if isinstance(node, Scalar):
            text = self.text(node, what)
            return () if text is None else ((text, ""),)
        if not isinstance(node, Sequence):
            self.errors.error(
                node.mark,
                f"{what} must be text or a list of text or `{form}` items, not {kind_of(node)}",
                "start each item on its own line with `- `",
            )
            return ()
        found = (self.pair(item, what, form) for item in node.items)
        return tuple(pair for pair in found if pair is not None)

    def pair(self, item: Node, what: str, form: str) -> tuple[str, str] | None:
        """An item of the list `what` that is text, or one `text: text` (`form` names the
        two, e.g. 'question: answer'): what YAML makes of `- Is it real-time?: Yes`."""
        if not isinstance(item, Mapping):
            text = self.text(item, f"each item of {what}")
            return None if text is None else (text, "")
        entries = list(item.entries.values())
        if len(entries) != 1:
            where = entries[1][0].mark if entries else item.mark
            self.errors.error(
                where,
                f"each item of {what} must be text or one `{form}`, "
                f"not a mapping of {len(entries)} keys",
                "start each item on its own line with `- `",
            )
            return None
        key_node, answer = entries[0]
        if key_node.is_null or not key_node.value.strip():
            self.errors.error(key_node.mark, f"an item of {what} has nothing before its ':'")
            return None
        if isinstance(answer, Scalar):
            return key_node.value, "" if answer.is_null else answer.value
        second = form.split(": ")[-1]
        self.errors.error(
            answer.mark,
            f"the {second} after '{key_node.value}:' in {what} must be text, not {kind_of(answer)}",
            "write it on the same line, or as a block of text after `|`",
        )
        return None

    def written(
        self, node: Node | None, kind: type[_Branch], what: str, hint: str
    ) -> _Branch | None:
        """`node` when it is a `kind`; None when it is left out or empty (a key being
        typed holds nothing yet) or, reported, when it is something else."""
        if node is None or (isinstance(node, Scalar) and node.is_null):
            return None
        if not isinstance(node, kind):
            self.errors.error(node.mark, f"{what}, not {kind_of(node)}", hint)
            return None
        return node

    def choice(self, node: Node | None, what: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(node, what)
        if node is None or value is None:
            return default
        if value not in allowed:
            hint = suggestion(value, allowed, self.errors) or one_of(allowed)
            self.errors.error(node.mark, f"unknown {what} '{value}'", hint)
            return default
        return value

    def ident(self, key_node: Scalar, what: str) -> None:
        if not is_id(key_node.value):
            self.errors.error(key_node.mark, f"bad {what} id '{key_node.value}'", ID_RULE)

    def section(self, tree: Mapping, key: str) -> Mapping:
        """A top-level mapping of id to entry; an empty one stands in when it is missing or wrong."""
        node = tree.get(key)
        if node is None:
            return Mapping(tree.mark)
        if not isinstance(node, Mapping):
            self.errors.error(
                node.mark, f"`{key}` must be a mapping of id to entry, not {kind_of(node)}"
            )
            return Mapping(node.mark)
        return node


@dataclass(frozen=True)
class Header:
    """The blueprint's own values: the top level less its steps, entities and flows."""

    id: str
    title: str
    summary: str
    tags: tuple[str, ...]
    flavor: str
    direction: str
    family: str
    level: str
    related: tuple[str, ...]


def read_header(composed: Composed, shapes: Shapes) -> Header:
    tree = composed.tree
    shapes.unknown_keys(tree, names(TOP_LEVEL_KEYS), "the blueprint")
    blueprint_id = _blueprint_id(composed, shapes)
    title = shapes.label(tree.get("title"), "`title`")
    if title is None and "title" not in tree.entries and not composed.fragment:
        shapes.errors.error(tree.mark, "missing `title`", "add `title: A short name`")
    fragment = tree.get("fragment")
    if fragment is not None and boolean(fragment) is None:
        shapes.errors.error(fragment.mark, "`fragment` must be true or false")
    tags = tree.get("tags")
    return Header(
        id=blueprint_id,
        title=title or "",
        summary=shapes.text(tree.get("summary"), "`summary`") or "",
        tags=shapes.text_list(tags, "`tags`") if tags is not None else (),
        flavor=shapes.choice(tree.get("flavor"), "flavor", FLAVORS, DEFAULT_FLAVOR),
        direction=shapes.choice(tree.get("direction"), "direction", DIRECTIONS, DEFAULT_DIRECTION),
        family=shapes.choice(tree.get("family"), "family", names(FAMILIES), ""),
        level=shapes.choice(tree.get("level"), "level", names(LEVELS), ""),
        related=_related(tree.get("related"), blueprint_id, shapes),
    )


def _related(node: Node | None, own_id: str, shapes: Shapes) -> tuple[str, ...]:
    """The ids `related` names, each once. Whether a gallery holds them only the gallery
    can tell; here each must be an id, and not the blueprint's own."""
    listed = shapes.written(
        node,
        Sequence,
        "`related` must be a list of case study ids",
        "write `related: [video-search]`",
    )
    found: dict[str, None] = {}
    for item in listed.items if listed is not None else ():
        ident = shapes.text(item, "each item of `related`")
        if ident is None:
            continue
        if not is_slug(ident):
            shapes.errors.error(item.mark, f"bad case study id '{ident}' in `related`", SLUG_RULE)
        elif ident == own_id:
            shapes.errors.error(item.mark, f"`related` names this case study itself ('{ident}')")
        else:
            found[ident] = None
    return tuple(found)


def _blueprint_id(composed: Composed, shapes: Shapes) -> str:
    node = composed.tree.get("id")
    if node is None:
        derived = default_id(composed.file)
        if not derived:
            shapes.errors.error(
                composed.tree.mark,
                f"cannot make an id from the file name '{composed.file.name}'",
                "add `id: a-slug`",
            )
        return derived
    value = shapes.text(node, "`id`") or ""
    if value and not is_slug(value):
        shapes.errors.error(node.mark, f"bad id '{value}'", SLUG_RULE)
    return value
