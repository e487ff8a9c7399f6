"""Blueprint text made safe for the narrative, in Markdown and in HTML.

A blueprint holds two sorts of text. Plain text (titles, labels, tags,
descriptions, flow labels) must show exactly as written in either output, so
Markdown's punctuation in it is escaped. Markdown text (summary, step fields,
notes) keeps its formatting, but it is the user's text inside archgen's page,
and must not change the page around it: :func:`safe_markdown` sees to that
once, before the text reaches either output, so README.md and index.html
agree. Raw HTML in it shows literally; it makes no heading (the page's outline
is archgen's), no code fence that runs on over what follows, and no link or
image to anything but http(s), mailto and relative addresses.

>>> plain_markdown("a *b* [c] | <d>")
'a \\\\*b\\\\* \\\\[c\\\\] \\\\| \\\\<d\\\\>'
>>> literal_html("x <b>bold</b> `<kept>`")
'x &lt;b>bold&lt;/b> `<kept>`'
>>> safe_markdown("## Not a heading\\n```\\nnot a fence that runs on")
'\\\\## Not a heading\\n\\\\```\\nnot a fence that runs on'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import groupby
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from archgen.format import CONTROL_CHARACTERS

# Characters that start Markdown formatting anywhere in a line. `!` and `(`
# matter only after `[` or `]`, which are escaped; `.`, `-`, `+` and `)` only
# at the start of a line (see _LINE_START_MARKER).
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|#~])")
_LINE_START_MARKER = re.compile(r"^(\d+)([.)])|^([-+=])")
# Code spans as CommonMark finds them: a backtick run not preceded by a
# backslash, closed by a run of the same length, never across a blank line.
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.DOTALL)
# Autolinks with a harmless scheme stay links (no space, so no attribute: never
# a tag); every other `<` is shown as is.
_SAFE_AUTOLINK = re.compile(r"<(?:https?|mailto):[^\s<>]*>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# An inline link whose destination has another scheme (javascript:, data:, ...):
# its `]` is escaped so it is no link at all, unless a backslash already escapes
# it (doubling that one would undo it). A scheme's punctuation may be escaped
# too: `javascript\:` is `javascript:`. (Reference definitions are found by the
# parser: see `safe_markdown`.)
_UNSAFE_DESTINATION = r"\s*<?\s*(?!(?:https?|mailto)\\?:)[a-z](?:[a-z0-9]|\\?[+.-])*\\?:"
_UNSAFE_LINK = re.compile(rf"(?<!\\)((?:\\\\)*)\](?=\({_UNSAFE_DESTINATION})", re.IGNORECASE)

# Every ASCII punctuation mark: CommonMark lets a backslash escape any of them.
ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Line endings: CommonMark's, and Unicode's separators, which Python's str.splitlines
# (so Jinja's `indent`) turns into newlines.
_LINE_ENDING = re.compile(r"\r\n?|[\u2028\u2029]")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")
# What every construct `safe_markdown` escapes starts with: a heading's `#` or
# underline, a fence, a bracket, a tag or autolink, a reference; without any, a
# text is left as it is.
_MAY_CHANGE_THE_PAGE = re.compile(r"[#\[\]<>`~&]|\n[ \t>]*[=-]")
# Each pass of `safe_markdown` escapes what the text shows; a text that still
# changes the page after this many is shown literally.
MAX_ESCAPE_PASSES = 8
# A paragraph written after a text while it is checked: it must stay one.
_AFTER = "archgen-text-after"
# Where each construct's backslash goes: its first mark on the line.
_ATX_MARKER = re.compile("#")
_SETEXT_UNDERLINE = re.compile(r"[=-](?=[=-]*[ \t]*$)")
_FENCE_MARKER = re.compile("[`~]")
_DEFINITION_OPENING = re.compile(r"\[")


def one_line(text: str) -> str:
    """Whitespace runs, newlines included, as one space: labels may hold real
    newlines to break lines in a diagram, but a sentence must not."""
    return re.sub(r"\s+", " ", text)


def squash(text: str) -> str:
    """:func:`one_line`, trimmed."""
    return one_line(text).strip()


def plain_markdown(text: str) -> str:
    """Plain text as Markdown that shows it exactly, on one line."""
    escaped = _ENTITY.sub(r"\\&", _MARKDOWN_SPECIALS.sub(r"\\\1", one_line(text)))
    return _LINE_START_MARKER.sub(
        lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped, count=1
    )


@lru_cache(maxsize=4096)
def literal_html(markdown: str) -> str:
    """Markdown whose raw HTML and character references show as written, and
    whose links go nowhere but http(s), mailto and relative addresses.

    `<` and entity-like `&` are replaced by references outside code, where
    Markdown already shows them literally. A lone `>` cannot open a tag and is
    also the block-quote marker, so it is left alone. README.md gets the same
    link rule as index.html, for viewers that do not sanitise links.
    """
    code = _code_block_lines(markdown)
    # Lines as the parser counts them: split at "\n" alone, unlike str.splitlines.
    lines = markdown.split("\n")
    parts = []
    for in_code, numbers in groupby(range(len(lines)), key=code.__contains__):
        text = "\n".join(lines[number] for number in numbers)
        parts.append(text if in_code else _escape_outside_code_spans(text))
    return "\n".join(parts)


def _code_block_lines(markdown: str) -> frozenset[int]:
    """Line numbers inside fenced or indented code blocks, as the parser sees them."""
    lines: set[int] = set()
    for token in _tokens(markdown):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(*token.map))
    return frozenset(lines)


def _escape_outside_code_spans(text: str) -> str:
    parts: list[str] = []
    position = 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(_escape_html_syntax(text[position : span.start()]))
        parts.append(span[0])
        position = span.end()
    parts.append(_escape_html_syntax(text[position:]))
    return "".join(parts)


def _escape_html_syntax(text: str) -> str:
    text = _UNSAFE_LINK.sub(r"\1\\]", text)
    pieces = _SAFE_AUTOLINK.split(text)
    links = _SAFE_AUTOLINK.findall(text)
    escaped = [_ENTITY.sub("&amp;", piece).replace("<", "&lt;") for piece in pieces]
    return "".join(p + link for p, link in zip(escaped, [*links, ""], strict=True))


@lru_cache(maxsize=4096)
def safe_markdown(markdown: str) -> str:
    """Blueprint Markdown that can change nothing on the page around it.

    :func:`literal_html` first; then a backslash before each heading's marker,
    before the opening of a code fence never closed, and before the `[` of a
    link reference definition to another scheme, as markdown-it parses the text
    (in a block quote, a list item, over several lines: wherever CommonMark
    finds them). Escaping one may reveal another (a fence's lines become text),
    so the text is parsed again until nothing is left. What no backslash can
    fix, or what survives `MAX_ESCAPE_PASSES`, is shown as literal text, all of it:
    an odd trick loses the text's formatting, never the page's safety.
    """
    text = visible(_LINE_ENDING.sub("\n", markdown))
    if not _MAY_CHANGE_THE_PAGE.search(text):
        return text  # as literal_html and every check would leave it, without parsing
    escaped = text
    for _ in range(MAX_ESCAPE_PASSES):
        # Again each time: a fence's lines that become text need their HTML escaped.
        candidate = literal_html(escaped)
        escapes = _escapes_needed(candidate)
        if escapes is None:
            break
        if not escapes:
            return candidate
        escaped = _with_escapes(escaped, escapes)
    return literal_markdown(text)


def literal_markdown(text: str) -> str:
    """Text as Markdown that shows it exactly, line for line: every ASCII punctuation
    mark escaped (CommonMark lets a backslash escape any), and no line indented, so
    that nothing in it is syntax. Blank lines still part paragraphs.

    >>> literal_markdown("## a\\n    [b](javascript:c)")
    '\\\\#\\\\# a\\n\\\\[b\\\\]\\\\(javascript\\\\:c\\\\)'
    """
    lines = visible(_LINE_ENDING.sub("\n", text)).split("\n")
    return "\n".join(ASCII_PUNCTUATION.sub(r"\\\1", line.strip()) for line in lines)


def visible(text: str) -> str:
    """`text` with every control character but tab and newline as U+FFFD.

    Replaced rather than removed, as CommonMark replaces NUL: removing one
    would join the letters around it into what the escaping never saw
    (`java<NUL>script:`). Line endings are text's business: a lone CR is
    replaced too.
    """
    return CONTROL_CHARACTERS.sub("\ufffd", text)


@dataclass(frozen=True)
class _Escape:
    """A backslash before the first match of `before` on line `line`."""

    line: int
    before: re.Pattern[str]


@dataclass(frozen=True)
class _Place:
    """Where a template may write a text: after what on its first line, after what
    on each line after it, and how deep a paragraph written after it then sits."""

    first: str
    rest: str
    level: int


# A block of its own (`summary`); a list item, as `- {{ item | indent(2) }}` writes
# it; and after other words on a list item's line (a rule id, a lead word): the same
# text may make a heading in one and not another (a tab, a setext underline).
_PLACES = (_Place("", "", 0), _Place("- ", "  ", 2), _Place("- x ", "  ", 2))


def _escapes_needed(markdown: str) -> list[_Escape] | None:
    """The backslashes that keep `markdown` from changing the page around it, in
    every place a template may write it; None when no backslash can."""
    escapes: list[_Escape] = []
    # One line that starts a line reads alike in every place: the first place will do.
    many_lines = "\n" in markdown or markdown[:1].isspace()
    for place in _PLACES if many_lines else _PLACES[:1]:
        found = _escapes_in_place(markdown, place)
        if found is None:
            return None
        escapes.extend(escape_ for escape_ in found if escape_ not in escapes)
    return escapes


def _escapes_in_place(markdown: str, place: _Place) -> list[_Escape] | None:
    """The backslashes `markdown` needs in `place`, as a permissive viewer reads it
    (raw HTML on, any link); None when no backslash can help. A place adds no line,
    so a line of the text keeps its number.

    One kind at a time, as one hides another: a fence never closed is text
    (it would swallow what follows, or end where a viewer pleases), a paragraph
    written after the text must still be one, and a definition to another
    scheme makes links of its uses until it is escaped.
    """
    written = place.first + markdown.replace("\n", "\n" + place.rest)
    page = f"{written}\n\n{place.rest}{_AFTER}"
    tokens, env = _lax_parse(page)
    lines = page.split("\n")
    unclosed = [t.map[0] for t in tokens if t.type == "fence" and t.map and not _closed(t, lines)]
    if unclosed:
        return [_Escape(unclosed[0], _FENCE_MARKER)]
    if not _ends_with_after(tokens, place.level):
        return None
    definitions = [
        _Escape(definition["map"][0], _DEFINITION_OPENING)
        for definition in _definitions(env)
        if not is_safe_link(definition["href"])
    ]
    if definitions:
        return definitions
    if not all(map(_is_harmless, tokens)):
        return None
    return [_heading_escape(t) for t in tokens if t.type == "heading_open"]


def _closed(fence: Token, lines: list[str]) -> bool:
    """Whether the fence's last line closes it: its mark, at least as long, alone
    (after the block quote markers and indent it sits in)."""
    start, end = fence.map or (0, 0)
    mark = re.escape(fence.markup[0]) + f"{{{len(fence.markup)},}}"
    return end - start >= 2 and re.fullmatch(rf"[ \t>]*{mark}[ \t]*", lines[end - 1]) is not None


def _ends_with_after(tokens: tuple[Token, ...], level: int) -> bool:
    """Whether the paragraph written after the text is still a paragraph of its own,
    as deep as `level`."""
    inlines = [token for token in tokens if token.type == "inline"]
    return bool(inlines) and inlines[-1].content == _AFTER and inlines[-1].level == level + 1


def _heading_escape(heading: Token) -> _Escape:
    """An ATX heading's first `#`, or the first mark of a setext heading's underline."""
    start, end = heading.map or (0, 0)
    if heading.markup.startswith("#"):
        return _Escape(start, _ATX_MARKER)
    return _Escape(end - 1, _SETEXT_UNDERLINE)


def _is_harmless(token: Token) -> bool:
    """No raw HTML in the token, its children included, and no link, image or
    autolink to another scheme."""
    for each in _with_children(token):
        href = each.attrGet("href") if each.type == "link_open" else each.attrGet("src")
        if each.type in ("link_open", "image") and not is_safe_link(str(href or "")):
            return False
        if each.type in ("html_block", "html_inline"):
            return False
    return True


def _with_children(token: Token) -> Iterator[Token]:
    yield token
    for child in token.children or ():
        yield from _with_children(child)


def _definitions(env: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every link reference definition, the repeated ones too: another viewer may
    keep the last where CommonMark keeps the first."""
    yield from env.get("references", {}).values()
    yield from env.get("duplicate_refs", ())


def _with_escapes(markdown: str, escapes: list[_Escape]) -> str:
    lines = markdown.split("\n")
    for escape_ in escapes:
        lines[escape_.line] = escape_.before.sub(r"\\\g<0>", lines[escape_.line], count=1)
    return "\n".join(lines)


@lru_cache(maxsize=4096)
def table_cell_markdown(markdown: str) -> str:
    """Markdown text fit for one cell of a pipe table: one line, pipes escaped.

    Joined on one line, a text may read differently (a fence's lines become
    inline code, or not), so the line is checked again as it stands.
    """
    cell = _escaped_pipes(squash(safe_markdown(markdown)))
    if _escapes_needed(cell) == []:
        return cell
    return squash(literal_markdown(markdown))  # its pipes are escaped with the rest


def _escaped_pipes(text: str) -> str:
    """Every `|` escaped that no backslash escapes yet (an escaped backslash does not)."""
    return _UNESCAPED_PIPE.sub(r"\1\\|", text)


def markdown_url(url: str) -> str:
    """An http(s) URL as a Markdown link destination, `<...>` so that parentheses
    in it are safe. Validation keeps spaces and angle brackets out of it; an
    `&` that looks like a character reference is escaped, so it stays as written."""
    return "<" + _ENTITY.sub(r"\\&", url) + ">"


def is_single_paragraph(markdown: str) -> bool:
    """True when the text is one paragraph, so it can follow a label on its line."""
    kinds = [token.type for token in _tokens(markdown)]
    return kinds == ["paragraph_open", "inline", "paragraph_close"]


def is_safe_link(url: str) -> bool:
    """Relative links and http(s)/mailto only: no javascript:, data: or file:."""
    scheme = _SCHEME.match(url.strip())
    return scheme is None or scheme[1].lower() in SAFE_SCHEMES


class _AnyLinkMarkdownIt(MarkdownIt):
    """Every link kept, as the laxest viewer of README.md keeps it: to find them all."""

    def validateLink(self, url: str) -> bool:
        return True


@cache
def _lax_markdown_it() -> MarkdownIt:
    """README.md as the most permissive viewer reads it: raw HTML on, any link."""
    return _AnyLinkMarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _lax_parse(markdown: str) -> tuple[tuple[Token, ...], dict[str, Any]]:
    """The tokens, and the environment that holds the link reference definitions."""
    env: dict[str, Any] = {}
    tokens = tuple(_lax_markdown_it().parse(markdown, env))
    return tokens, env


class _SafeLinksMarkdownIt(MarkdownIt):
    """Links allow-listed by `is_safe_link`, where markdown-it's own check asks."""

    def validateLink(self, url: str) -> bool:
        return is_safe_link(url)


@cache
def _markdown_it() -> MarkdownIt:
    """CommonMark plus tables and strikethrough, raw HTML off, links allow-listed."""
    return _SafeLinksMarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


@lru_cache(maxsize=4096)
def _tokens(markdown: str) -> tuple[Token, ...]:
    """Parsed once per text: the narrative asks several questions of each."""
    return tuple(_markdown_it().parse(markdown))


def markdown_tokens(markdown: str) -> tuple[Token, ...]:
    """Blueprint Markdown parsed as the HTML narrative reads it (raw HTML shown as text,
    links allow-listed, nothing that changes the page), for an output that is not HTML
    (the study book) to convert."""
    return _tokens(safe_markdown(markdown))


def markdown_html(markdown: str, tight: bool = False) -> Markup:
    """Blueprint Markdown as an HTML fragment that is safe to insert as is.

    ``tight`` leaves out the paragraph around a text that is one paragraph,
    as CommonMark does in a tight list: for list items.
    """
    if tight and is_single_paragraph(markdown):
        return markdown_inline_html(markdown)
    return Markup(_markdown_it().render(safe_markdown(markdown)))


def markdown_inline_html(markdown: str) -> Markup:
    """Like :func:`markdown_html`, without the enclosing paragraph: for table cells."""
    return Markup(_markdown_it().renderInline(safe_markdown(markdown)))


def plain_html(text: str) -> Markup:
    """Plain text as HTML, on one line."""
    return escape(one_line(text))
