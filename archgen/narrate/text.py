"""Blueprint text made safe for the narrative, in Markdown and in HTML.

A blueprint holds two sorts of text. Plain text (titles, labels, tags,
descriptions, flow labels) must show exactly as written in either output, so
Markdown's punctuation in it is escaped. Markdown text (summary, step fields,
notes) keeps its formatting, but the spec says raw HTML in it is shown
literally and never interpreted: :func:`literal_html` takes care of that once,
before the text reaches either output, so README.md and index.html agree.

>>> plain_markdown("a *b* [c] | <d>")
'a \\\\*b\\\\* \\\\[c\\\\] \\\\| \\\\<d\\\\>'
>>> literal_html("x <b>bold</b> `<kept>`")
'x &lt;b>bold&lt;/b> `<kept>`'
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

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
# A link, or a link reference definition, whose destination has another scheme
# (javascript:, data:, ...): its bracket is escaped so it is no link at all.
_UNSAFE_DESTINATION = r"\s*<?\s*(?!(?:https?|mailto):)[a-z][a-z0-9+.-]*:"
_UNSAFE_LINK = re.compile(rf"\](?=\({_UNSAFE_DESTINATION})", re.IGNORECASE)
_UNSAFE_REFERENCE = re.compile(
    rf"^( {{0,3}})\[(?=[^\]\n]+\]:{_UNSAFE_DESTINATION})", re.IGNORECASE | re.MULTILINE
)


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
    lines = markdown.splitlines(keepends=True)
    code = _code_block_lines(markdown)
    out: list[str] = []
    prose: list[str] = []
    for number, line in enumerate(lines):
        if number in code:
            out.append(_escape_outside_code_spans("".join(prose)))
            prose.clear()
            out.append(line)
        else:
            prose.append(line)
    out.append(_escape_outside_code_spans("".join(prose)))
    return "".join(out)


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
    text = _UNSAFE_REFERENCE.sub(r"\1\\[", _UNSAFE_LINK.sub(r"\\]", text))
    pieces = _SAFE_AUTOLINK.split(text)
    links = _SAFE_AUTOLINK.findall(text)
    escaped = [_ENTITY.sub("&amp;", piece).replace("<", "&lt;") for piece in pieces]
    return "".join(p + link for p, link in zip(escaped, [*links, ""], strict=True))


def table_cell_markdown(markdown: str) -> str:
    """Markdown text fit for one cell of a pipe table: one line, pipes escaped."""
    return re.sub(r"(?<!\\)\|", r"\\|", squash(literal_html(markdown)))


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
    links allow-listed), for an output that is not HTML (the study book) to convert."""
    return _tokens(literal_html(markdown))


def markdown_html(markdown: str, tight: bool = False) -> Markup:
    """Blueprint Markdown as an HTML fragment that is safe to insert as is.

    ``tight`` leaves out the paragraph around a text that is one paragraph,
    as CommonMark does in a tight list: for list items.
    """
    if tight and is_single_paragraph(markdown):
        return markdown_inline_html(markdown)
    return Markup(_markdown_it().render(literal_html(markdown)))


def markdown_inline_html(markdown: str) -> Markup:
    """Like :func:`markdown_html`, without the enclosing paragraph: for table cells."""
    return Markup(_markdown_it().renderInline(literal_html(markdown)))


def plain_html(text: str) -> Markup:
    """Plain text as HTML, on one line."""
    return escape(one_line(text))
