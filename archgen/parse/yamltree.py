"""YAML text to a tree of nodes that remember where they stand.

PyYAML's constructors forget line numbers, turn `yes` into True and `3.10`
into a float, silently keep the last of two duplicate keys and expand aliases
(so an "alias bomb" can exhaust memory). We therefore build our own tree from
libyaml's parse events: every scalar stays the text that was written, every
node keeps its line and column, and anchors, aliases, tags and merge keys are
refused before anything is expanded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import yaml

from archgen.diagnostics import Collector, Mark
from archgen.parse.yamlmistakes import SyntaxProblem, explain

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


class YamlPosition(Protocol):
    """A place in the text: libyaml's marks and the pure-Python parser's differ in class, not in these."""

    index: int
    line: int
    column: int


# libyaml reads `[Is it real-time?]` correctly; the pure-Python parser does not.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Scalar:
    value: str
    mark: Mark
    plain: bool = True
    # A comment right after an unquoted scalar on its line, with where it starts:
    # `label: feed # of items` cuts the label at " #", which YAML does silently.
    comment: tuple[str, Mark] | None = None

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULL_WORDS

    def describe(self) -> str:
        return "an empty value" if self.is_null else f"'{self.value}'"


@dataclass
class Mapping:
    mark: Mark
    # key text -> (key scalar, value node), in file order
    entries: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)
    # Written `{a: 1, b: 2}`, where a ',' in unquoted text starts a new entry.
    braces: bool = False

    def get(self, key: str) -> Node | None:
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def key_mark(self, key: str) -> Mark:
        return self.entries[key][0].mark


@dataclass
class Sequence:
    mark: Mark
    items: list[Node] = field(default_factory=list)


Node = Scalar | Mapping | Sequence


def kind_of(node: Node) -> str:
    """How a node reads in an error message: 'text', 'a list' or 'a mapping'."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "an empty value" if node.is_null else "text"


def mark_of(file: Path, yaml_mark: YamlPosition | None) -> Mark:
    if yaml_mark is None:
        return Mark(file, 1, 1)
    return Mark(file, yaml_mark.line + 1, yaml_mark.column + 1)


def read_tree(path: Path, display: Path, errors: Collector) -> Node | None:
    """Read and parse one file, or report why it cannot be; None when nothing usable came out."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        errors.error(Mark(display, 1, 1), f"cannot read the file: {exc.strerror}")
        return None
    if size > MAX_FILE_BYTES:
        errors.error(
            Mark(display, 1, 1),
            f"file is {size:,} bytes; a blueprint may be at most {MAX_FILE_BYTES:,} bytes",
            "split it into fragments joined with `extends`",
        )
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        errors.error(Mark(display, 1, 1), f"file is not UTF-8 (byte {exc.start})")
        return None
    except OSError as exc:
        errors.error(Mark(display, 1, 1), f"cannot read the file: {exc.strerror}")
        return None
    return parse_tree(text, display, errors)


def parse_tree(text: str, file: Path, errors: Collector) -> Node | None:
    builder = _TreeBuilder(file, errors, text)
    try:
        for event in yaml.parse(text, Loader=_Parser):
            if not builder.feed(event):
                break
    except yaml.MarkedYAMLError as exc:
        mistake = explain(text, syntax_problem(exc))
        errors.error(Mark(file, mistake.line, mistake.col), mistake.message, mistake.hint)
        return None
    except yaml.YAMLError as exc:
        errors.error(Mark(file, 1, 1), f"YAML syntax: {exc}")
        return None
    if builder.root is None and not builder.stopped:
        errors.error(Mark(file, 1, 1), "the file is empty", "a blueprint starts with `archgen: 1`")
    return builder.root


def syntax_problem(exc: yaml.MarkedYAMLError) -> SyntaxProblem:
    """libyaml's error as plain numbers (0-based), for `yamlmistakes` to explain."""
    where = exc.problem_mark or exc.context_mark
    context = exc.context_mark if exc.context and exc.problem_mark is not None else None
    return SyntaxProblem(
        exc.problem or "invalid YAML",
        where.line if where else 0,
        where.column if where else 0,
        exc.context or "",
        context.line if context else None,
        context.column if context else None,
    )


class _TreeBuilder:
    """Turns the event stream into nodes, refusing what a blueprint may not use."""

    def __init__(self, file: Path, errors: Collector, text: str = "") -> None:
        self.file = file
        self.text = text
        self.errors = errors
        self.root: Node | None = None
        self.stack: list[Mapping | Sequence] = []
        self.pending_key: list[Scalar | None] = []
        self.documents = 0
        self.nodes = 0
        self.stopped = False

    def feed(self, event: yaml.Event) -> bool:
        """Consume one event; False once reading must stop."""
        mark = mark_of(self.file, event.start_mark)
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.errors.error(mark, "a blueprint file holds one YAML document, found a second")
                return self._stop()
            return True
        if isinstance(event, yaml.AliasEvent):
            self.errors.error(
                mark, f"YAML alias '*{event.anchor}' is not allowed", "reuse goes through `extends`"
            )
            self._attach(Scalar("", mark))
            return True
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
            return self._node_event(event, mark)
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            if isinstance(event, yaml.MappingEndEvent):
                self.pending_key.pop()
            self._attach(self.stack.pop())
        return True

    def _node_event(self, event: yaml.ScalarEvent | yaml.CollectionStartEvent, mark: Mark) -> bool:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.errors.error(mark, f"more than {MAX_NODES:,} YAML nodes; refusing to read on")
            return self._stop()
        if event.anchor is not None:
            self.errors.error(
                mark,
                f"YAML anchor '&{event.anchor}' is not allowed",
                "reuse goes through `extends`",
            )
        if _has_explicit_tag(event):
            self.errors.error(mark, f"YAML tag '{event.tag}' is not allowed", "write plain values")
        if isinstance(event, yaml.ScalarEvent):
            plain = not event.style
            comment = self._comment_after(event.end_mark) if plain and event.value else None
            if plain:
                self._check_continuation(event)
            self._attach(Scalar(event.value, mark, plain=plain, comment=comment))
            return True
        if len(self.stack) >= MAX_DEPTH:
            self.errors.error(mark, f"nesting deeper than {MAX_DEPTH} levels")
            return self._stop()
        if isinstance(event, yaml.MappingStartEvent):
            self.stack.append(Mapping(mark, braces=bool(event.flow_style)))
            self.pending_key.append(None)
        else:
            self.stack.append(Sequence(mark))
        return True

    def _check_continuation(self, event: yaml.ScalarEvent) -> None:
        """Plain text that runs on over a line starting `- `: a list item indented too far,
        which YAML silently reads as more of the item above."""
        start, end = event.start_mark, event.end_mark
        if start is None or end is None or start.line == end.line or not self.text:
            return
        lines = self.text.split("\n")[start.line + 1 : end.line + 1]
        for number, line in enumerate(lines, start.line + 2):
            if line.lstrip().startswith("- "):
                column = len(line) - len(line.lstrip()) + 1
                self.errors.error(
                    Mark(self.file, number, column),
                    "this list item is indented more than the item above it, so YAML"
                    " reads it as more text of that item",
                    f"start its '-' in column {start.column - 1}, like the item above",
                )
                return

    def _comment_after(self, end: YamlPosition | None) -> tuple[str, Mark] | None:
        """The comment that follows a scalar on the same line, if one does."""
        if end is None or not self.text:
            return None
        rest = self.text[end.index :].split("\n", 1)[0]
        stripped = rest.lstrip(" \t")
        if not stripped.startswith("#") or stripped == rest:
            return None
        column = end.column + 1 + len(rest) - len(stripped)
        return stripped.rstrip(), Mark(self.file, end.line + 1, column)

    def _attach(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        key = self.pending_key[-1]
        if key is None:
            self._take_key(parent, node)
        else:
            self.pending_key[-1] = None
            if key.value not in parent.entries:
                parent.entries[key.value] = (key, node)

    def _take_key(self, parent: Mapping, node: Node) -> None:
        if not isinstance(node, Scalar):
            self.errors.error(node.mark, "a mapping key must be plain text, not " + kind_of(node))
            node = Scalar(f"<complex key at {node.mark.line}:{node.mark.col}>", node.mark)
        elif node.plain and node.value == "<<":
            self.errors.error(
                node.mark, "YAML merge keys ('<<') are not allowed", "reuse goes through `extends`"
            )
        elif node.value in parent.entries:
            first = parent.key_mark(node.value)
            self.errors.error(
                node.mark,
                f"duplicate key '{node.value}' (first defined at line {first.line})",
                "remove one of them",
            )
        self.pending_key[-1] = node

    def _stop(self) -> bool:
        self.stopped = True
        return False


def _has_explicit_tag(event: yaml.ScalarEvent | yaml.CollectionStartEvent) -> bool:
    if event.tag is None or event.tag == "!":
        return False
    implicit = getattr(event, "implicit", True)
    if isinstance(implicit, tuple):
        return not any(implicit)
    return not implicit
