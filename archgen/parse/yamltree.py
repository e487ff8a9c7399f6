"""YAML text to a tree of nodes that remember where they stand.

PyYAML's constructors forget line numbers, turn `yes` into True and `3.10`
into a float, silently keep the last of two duplicate keys and expand aliases
(so an "alias bomb" can exhaust memory). We therefore build our own tree from
libyaml's parse events: every scalar stays the text that was written, every
node keeps its line and column, and anchors, aliases, tags and merge keys are
refused before anything is expanded. The tree is built in a loop over the
events, never by recursion, and reading stops at the first value past the
format's limits (`archgen.format`: file size, values, nesting); a control
character in any key or value stops the file too, so none reaches a page or a
path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol

import yaml

from archgen.diagnostics import Collector, Mark
from archgen.files import UnusableInput, read_input
from archgen.format import CONTROL_CHARACTERS, FILE_BYTES, TEXT_CHARS, YAML_DEPTH, YAML_VALUES
from archgen.parse.yamlmistakes import SyntaxProblem, explain

# A value may hold no CONTROL_CHARACTERS; the file may also end its lines with a
# carriage return, which YAML turns into newlines.
_CONTROL_IN_FILE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Blanks, then a comment to the end of the line: what YAML drops after a plain value.
_COMMENT_AFTER = re.compile(r"[ \t]+(#[^\n]*)")
CONTROL_HINT = 'delete it; an escape such as "\\0" in quoted text writes one too'

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


def read_source(path: Path, display: Path, errors: Collector) -> str | None:
    """A file's text, when it is a readable file within the size limit, in UTF-8, with
    no control character; else None, with the reason reported at `display`."""
    try:
        data = read_input(path, FILE_BYTES.value)
    except UnusableInput as problem:
        errors.error(Mark(display, 1, 1), f"cannot read the file: it {problem}")
        return None
    if len(data) > FILE_BYTES.value:
        errors.error(
            Mark(display, 1, 1), f"the file is over the limit: {FILE_BYTES}", FILE_BYTES.hint
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        errors.error(Mark(display, 1, 1), f"file is not UTF-8 (byte {exc.start})")
        return None
    control = _CONTROL_IN_FILE.search(text)
    if control is not None:
        place = control.start()
        line_start = text.rfind("\n", 0, place) + 1
        mark = Mark(display, text.count("\n", 0, place) + 1, place - line_start + 1)
        errors.error(mark, control_problem(control[0]), CONTROL_HINT)
        return None
    return text


def control_problem(char: str) -> str:
    """What is wrong with a control character, named by its code point (it prints as nothing)."""
    return (
        f"the control character U+{ord(char):04X} is not allowed:"
        " text may hold newlines and tabs, but no other control character"
    )


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
    return None if builder.refused else builder.root


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
        # A control character was found: the tree goes no further, so that no later
        # stage meets one (a NUL in a path, say).
        self.refused = False

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
        if self.nodes > YAML_VALUES.value:
            self.errors.error(
                mark, f"the file goes over the limit: {YAML_VALUES}; reading stops here"
            )
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
            self._check_text(event.value, mark)
            self._attach(Scalar(event.value, mark, plain=plain, comment=comment))
            return True
        if len(self.stack) >= YAML_DEPTH.value:
            self.errors.error(
                mark, YAML_DEPTH.exceeded(f"a value nested {len(self.stack) + 1} levels deep")
            )
            return self._stop()
        if isinstance(event, yaml.MappingStartEvent):
            self.stack.append(Mapping(mark, braces=bool(event.flow_style)))
            self.pending_key.append(None)
        else:
            self.stack.append(Sequence(mark))
        return True

    def _check_text(self, value: str, mark: Mark) -> None:
        """Every key and value: no control character (one written as an escape, such as
        "\\0", gets here), no runaway length."""
        control = CONTROL_CHARACTERS.search(value)
        if control is not None:
            self.errors.error(mark, control_problem(control[0]), CONTROL_HINT)
            self.refused = True
        if len(value) > TEXT_CHARS.value:
            self.errors.error(
                mark, TEXT_CHARS.exceeded(f"a text of {len(value):,} characters"), TEXT_CHARS.hint
            )

    def _check_continuation(self, event: yaml.ScalarEvent) -> None:
        """Plain text that runs on over a line starting `- `: a list item indented too far,
        which YAML silently reads as more of the item above."""
        start, end = event.start_mark, event.end_mark
        if start is None or end is None or start.line == end.line or not self.text:
            return
        lines = self.lines[start.line + 1 : end.line + 1]
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

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines, split once: a file of many multi-line values asks for them often."""
        return self.text.split("\n")

    def _comment_after(self, end: YamlPosition | None) -> tuple[str, Mark] | None:
        """The comment that follows a scalar on the same line, if one does."""
        if end is None or not self.text:
            return None
        # Matched where the scalar ends, not searched for: a file written on one long
        # line would otherwise cost its length once per value.
        found = _COMMENT_AFTER.match(self.text, end.index)
        if found is None:
            return None
        column = end.column + 1 + found.start(1) - end.index
        return found[1].rstrip(), Mark(self.file, end.line + 1, column)

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
