"""A card's two sides as text: HTML for Anki, the blueprint's own Markdown for CSV.

Anki shows a field as HTML, so the deck gets the answer rendered as the
narrative renders it (raw HTML shown literally, links allow-listed, plain
text escaped). A CSV is read in a spreadsheet or imported elsewhere, so it
keeps the Markdown as written, a list as one `- item` line per item.

>>> str(front_html("A <b>", "Offline *metrics*?"))
'A &lt;b&gt;: Offline <em>metrics</em>?'
>>> answer_text((("Peak QPS", "100k"), ("Region", "")))
'- Peak QPS: 100k\\n- Region'
"""

from __future__ import annotations

import textwrap

from markupsafe import Markup

from archgen.model import FieldValue, field_pairs
from archgen.narrate.text import markdown_html, markdown_inline_html, plain_html


def front_html(title: str, prompt: str) -> Markup:
    """The question: the blueprint's title (plain text), then the prompt (Markdown)."""
    return Markup("{}: {}").format(plain_html(title), markdown_inline_html(prompt))


def answer_html(value: FieldValue) -> Markup:
    """A field's value as an HTML fragment: a text as its paragraphs, anything else a list."""
    if isinstance(value, str):
        return markdown_html(value.strip())
    items = [_item_html(label, text) for label, text in field_pairs(value) if label.strip()]
    return Markup("<ul>{}</ul>").format(Markup("").join(items))


def _item_html(label: str, text: str) -> Markup:
    """One list item; a labelled one (a scale figure, an assumed answer) shows its label first."""
    if not text.strip():
        return Markup("<li>{}</li>").format(markdown_html(label.strip(), tight=True))
    return Markup("<li><strong>{}</strong>: {}</li>").format(
        markdown_inline_html(label.strip()), markdown_html(text.strip(), tight=True)
    )


def answer_text(value: FieldValue) -> str:
    """A field's value as the Markdown it was written in, a list as `- item` lines."""
    if isinstance(value, str):
        return value.strip()
    lines = []
    for label, text in field_pairs(value):
        item = f"{label.strip()}: {text.strip()}" if text.strip() else label.strip()
        if item:
            lines.append("- " + textwrap.indent(item, "  ").lstrip())
    return "\n".join(lines)
