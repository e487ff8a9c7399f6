"""YAML's syntax errors, explained by the mistake that usually causes them.

libyaml names what its grammar expected ("mapping values are not allowed in
this context"), which rarely tells a user what to change. Each explainer
below looks at the text around the error for one common mistake (a tab, a
line indented too far or not far enough, an unclosed quote, a ` #` or a
second `: ` inside `{…}`, a second `: ` in plain text) and, when it finds it,
says so at the place where the mistake is. When none fits, the parser's own
words are kept, with the general hint about quoting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from archgen.format import YAML_DEPTH

GENERAL_HINT = "quote text that contains ': ' or ' #' or starts with a YAML indicator"
KEY_LINE = re.compile(r"^( *)(?:- +)?([^\s:#][^:#]*?):(?: |$)")


@dataclass(frozen=True)
class Mistake:
    """What went wrong, where (1-based line and column), and what would be right."""

    line: int
    col: int
    message: str
    hint: str


@dataclass(frozen=True)
class SyntaxProblem:
    """libyaml's report: its words, where it stopped, and what it was reading (0-based)."""

    problem: str
    line: int
    column: int
    context: str = ""
    context_line: int | None = None
    context_column: int | None = None


def explain(text: str, error: SyntaxProblem) -> Mistake:
    """The most likely mistake behind `error`, or the parser's own words."""
    lines = text.split("\n")
    for explainer in EXPLAINERS:
        found = explainer(lines, error)
        if found is not None:
            return found
    return parsers_words(error)


def parsers_words(error: SyntaxProblem) -> Mistake:
    message = f"YAML syntax: {error.problem}"
    if error.context and error.context_line is not None and error.context_column is not None:
        message += (
            f", {error.context} that starts at line {error.context_line + 1},"
            f" column {error.context_column + 1}"
        )
    return Mistake(error.line + 1, error.column + 1, message, GENERAL_HINT)


def tab(lines: list[str], error: SyntaxProblem) -> Mistake | None:
    """A tab in the indentation: YAML indents with spaces only."""
    for number in (error.line, error.line - 1):
        if 0 <= number < len(lines):
            indent = lines[number][: len(lines[number]) - len(lines[number].lstrip(" \t"))]
            if "\t" in indent:
                return Mistake(
                    number + 1,
                    indent.index("\t") + 1,
                    "a tab indents this line; YAML indents with spaces only",
                    "replace the tab with spaces",
                )
    return None


def unclosed_quote(lines: list[str], error: SyntaxProblem) -> Mistake | None:
    if "quoted scalar" not in error.context or error.context_line is None:
        return None
    col = (error.context_column or 0) + 1
    quote = lines[error.context_line][col - 1 : col] or '"'
    return Mistake(
        error.context_line + 1,
        col,
        f"the quote {quote} opened here is never closed",
        f"end the text with {quote}, or write it without quotes",
    )


def inside_braces(lines: list[str], error: SyntaxProblem) -> Mistake | None:
    """` #` or a second `: ` inside a `{…}` mapping ends an entry where the text goes on."""
    if "flow mapping" not in error.context or error.context_line is None:
        return None
    line = lines[error.context_line]
    braces = line[error.context_column or 0 :]
    for entry_start, entry in _entries(braces, (error.context_column or 0) + 1):
        hash_at = entry.find(" #")
        if hash_at >= 0:
            return Mistake(
                error.context_line + 1,
                entry_start + hash_at + 1,
                "' #' starts a YAML comment, which cuts this `{…}` mapping short",
                f"quote the value: {_quoted(entry)}",
            )
        colons = [m.start() for m in re.finditer(r": ", entry)]
        if len(colons) > 1:
            return Mistake(
                error.context_line + 1,
                entry_start + colons[1] + 1,
                "a second ': ' in one entry of a `{…}` mapping",
                f"quote the value: {_quoted(entry)}",
            )
    return None


def _entries(braces: str, start_col: int) -> list[tuple[int, str]]:
    """The comma-separated entries of `{…}` with the column each starts at."""
    body = braces[1:].split("}", 1)[0]
    entries, col = [], start_col + 1
    for entry in body.split(","):
        stripped = entry.lstrip()
        entries.append((col + len(entry) - len(stripped), stripped))
        col += len(entry) + 1
    return entries


def _quoted(entry: str) -> str:
    key, _, value = entry.partition(": ")
    value = value.strip().replace('"', '\\"')
    return f'{key}: "{value}"'


def indented_too_far(lines: list[str], error: SyntaxProblem) -> Mistake | None:
    """A `key:` line indented past the key above it reads as more of that key's text."""
    if "mapping values are not allowed" not in error.problem or error.line == 0:
        return None
    here, above = KEY_LINE.match(lines[error.line]), _previous_key(lines, error.line)
    if here is None or above is None or len(here.group(1)) <= len(above.group(1)):
        return None
    return Mistake(
        error.line + 1,
        len(here.group(1)) + 1,
        f"`{here.group(2)}` is indented more than `{above.group(2)}` above it, so YAML"
        f" reads it as more of the value of `{above.group(2)}`",
        f"indent `{here.group(2)}` by {len(above.group(1))} spaces, like `{above.group(2)}`",
    )


def second_colon(lines: list[str], error: SyntaxProblem) -> Mistake | None:
    """`summary: Ratio: 2 to 1`: the second `: ` would start a mapping inside the text."""
    if "mapping values are not allowed" not in error.problem:
        return None
    line = lines[error.line]
    key = KEY_LINE.match(line)
    if key is None or key.end() > error.column:
        return None
    value = line[key.end() :].strip()
    return Mistake(
        error.line + 1,
        error.column + 1,
        f"a second ': ' in the value of `{key.group(2)}`",
        f'quote the text: {key.group(2)}: "{value}"',
    )


def indented_too_little(lines: list[str], error: SyntaxProblem) -> Mistake | None:
    """A line whose indentation matches no key above it."""
    if "expected key" not in error.problem or error.line >= len(lines):
        return None
    line = lines[error.line]
    indent = len(line) - len(line.lstrip(" "))
    levels = sorted({len(m.group(1)) for m in map(KEY_LINE.match, lines[: error.line]) if m})
    if indent in levels:
        return None
    shown = ", ".join(str(level) for level in levels)
    return Mistake(
        error.line + 1,
        indent + 1,
        f"this line is indented by {indent} space{'s' if indent != 1 else ''},"
        " which matches no key above it"
        f" (they are indented by {shown})",
        "indent it like the key it belongs with",
    )


def _previous_key(lines: list[str], number: int) -> re.Match[str] | None:
    for line in reversed(lines[:number]):
        if line.strip() and not line.lstrip().startswith("#"):
            return KEY_LINE.match(line)
    return None


def too_deep(lines: list[str], error: SyntaxProblem) -> Mistake | None:
    """libyaml's own nesting limit (1,000 levels), met while it scans ahead of the events
    that would have met archgen's lower one: the same limit is what the user is told."""
    if "maximum nesting depth" not in error.problem:
        return None
    found = f"a value nested over {YAML_DEPTH.value} levels deep"
    return Mistake(error.line + 1, error.column + 1, YAML_DEPTH.exceeded(found), "")


EXPLAINERS: tuple[Callable[[list[str], SyntaxProblem], Mistake | None], ...] = (
    too_deep,
    tab,
    unclosed_quote,
    inside_braces,
    indented_too_far,
    second_colon,
    indented_too_little,
)
