"""Blueprint text as Typst markup: plain text escaped, Markdown converted.

Typst reads markup much as Markdown does: `*`, `_`, `#`, `$`, `=`, `-`, `[`,
`<`, `@`, `//` and more start something. Plain text (titles, labels, tags)
must show exactly as written, so every ASCII punctuation mark in it is
escaped with a backslash, which Typst accepts before any character; letters
are never escaped, so no `\\u{...}` escape can be formed by accident.

Markdown text (summaries, step fields, notes, review findings) is parsed with
the narrative's own parser (`archgen.narrate.text`: raw HTML shown as text,
links allow-listed) and a small safe subset is converted: paragraphs, lists,
emphasis, strong, strikethrough, code, links, block quotes and tables. Any
other construct comes out as its escaped text, never as Typst code.

>>> text("1. *a* #b [c]")
'1\\\\. \\\\*a\\\\* \\\\#b \\\\[c\\\\]'
>>> string('say "hi"\\n')
'"say \\\\"hi\\\\"\\\\n"'
>>> markdown("Read *this* and `that`.", tight=True)
'Read #emph[this] and #raw("that")\\\\.'
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.tree import SyntaxTreeNode

from archgen.narrate.text import is_safe_link, markdown_tokens, one_line

# Every ASCII punctuation mark: some start markup, and escaping the rest is harmless.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_CONTROL = re.compile(r'[\\"\x00-\x1f\x7f]')
# A fenced block's language, passed to Typst only when it is a plain name.
_LANGUAGE = re.compile(r"[A-Za-z0-9_+#.-]{1,32}")
LINK_SCHEMES = ("http:", "https:", "mailto:")


def text(plain: str) -> str:
    """Plain text as markup that shows it exactly, on one line."""
    return _PUNCTUATION.sub(r"\\\1", one_line(plain))


def string(value: str) -> str:
    """A Typst string literal holding `value` exactly."""
    return '"' + _CONTROL.sub(_string_escape, value) + '"'


def _string_escape(match: re.Match[str]) -> str:
    char = match[0]
    return _STRING_ESCAPES.get(char, f"\\u{{{ord(char):x}}}")


def content(markup: str) -> str:
    """Markup as a content block, `[...]`, to pass to a function."""
    return f"[{markup}]"


def markdown(source: str, tight: bool = False) -> str:
    """Markdown as Typst markup. `tight` gives a text that is one paragraph without
    the paragraph break after it, to follow a label or fill a list item."""
    root = SyntaxTreeNode(list(markdown_tokens(source.strip())))
    blocks = [_block(node) for node in root.children]
    if tight and len(root.children) == 1 and root.children[0].type == "paragraph":
        return blocks[0]
    return "\n\n".join(block for block in blocks if block)


def _children(node: SyntaxTreeNode, convert: Callable[[SyntaxTreeNode], str]) -> str:
    return "".join(convert(child) for child in node.children)


def _blocks(node: SyntaxTreeNode) -> str:
    return "\n\n".join(block for block in (_block(child) for child in node.children) if block)


def _block(node: SyntaxTreeNode) -> str:
    """One block: its markup, or its escaped text when the subset has no place for it."""
    kind = node.type
    if kind in ("paragraph", "inline"):
        return _children(node, _inline) if kind == "inline" else _blocks(node)
    if kind == "heading":  # a heading inside a field is emphasis, not a new section
        return f"#strong{content(_blocks(node))}"
    if kind in ("bullet_list", "ordered_list"):
        return _list(node)
    if kind == "blockquote":
        return f"#quote(block: true){content(_blocks(node))}"
    if kind in ("fence", "code_block"):
        return _code_block(node)
    if kind == "table":
        return _table(node)
    if kind == "hr":
        return "#line(length: 100%)"
    return text(node.content)


def _list(node: SyntaxTreeNode) -> str:
    items = ", ".join(content(_blocks(item)) for item in node.children)
    if node.type == "bullet_list":
        return f"#list({items})"
    start = node.attrs.get("start", 1)
    return f"#enum(start: {int(start)}, {items})"


def _code_block(node: SyntaxTreeNode) -> str:
    language = node.info.strip().split(" ")[0] if node.type == "fence" else ""
    lang = f"lang: {string(language)}, " if _LANGUAGE.fullmatch(language) else ""
    return f"#raw(block: true, {lang}{string(node.content.rstrip(chr(10)))})"


def _table(node: SyntaxTreeNode) -> str:
    """A Markdown table as a Typst table: its header row bold, the rest as written."""
    rows = [row for section in node.children for row in section.children]
    columns = max((len(row.children) for row in rows), default=1)
    cells = []
    for row in rows:
        for cell in row.children:
            body = _blocks(cell)
            cells.append(content(f"#strong{content(body)}" if cell.type == "th" else body))
    return f"#table(columns: {columns}, {', '.join(cells)})"


def _inline(node: SyntaxTreeNode) -> str:
    kind = node.type
    wrappers = {"em": "#emph", "strong": "#strong", "s": "#strike"}
    if kind in wrappers:
        return f"{wrappers[kind]}{content(_children(node, _inline))}"
    if kind == "code_inline":
        return f"#raw({string(node.content)})"
    if kind == "softbreak":
        return " "
    if kind == "hardbreak":
        return "#linebreak()"
    if kind == "link":
        return _link(node)
    if kind == "image":  # no picture is fetched: its alt text stands in for it
        return _children(node, _inline)
    return text(node.content)


def _link(node: SyntaxTreeNode) -> str:
    """A link with an address of its own; a relative one (into a web page that is not
    in the book) keeps its text only."""
    label = _children(node, _inline)
    href = str(node.attrs.get("href", ""))
    if is_safe_link(href) and href.lower().startswith(LINK_SCHEMES):
        return f"#link({string(href)}){content(label)}"
    return label
