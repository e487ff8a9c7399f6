r"""The one place that quotes identifiers and escapes user text for Graphviz.

Every name goes through ``quote`` and every label through ``html_text``, so
a label full of quotes, backslashes, ``<``, ``&`` or newlines, and an id
that is a DOT keyword, reach Graphviz as plain text.

>>> quote('say "hi"')
'"say \\"hi\\""'
>>> html_text('a < b\nc')
'a &lt; b<BR/>c'
>>> attr_list({"id": "node", "label": Html(font("<x>", 10))})
'[id="node", label=<<FONT POINT-SIZE="10">&lt;x&gt;</FONT>>]'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping


class Html(str):
    """Markup for an HTML-like label, already escaped: written as ``<...>``."""


def quote(value: str) -> str:
    """A DOT double-quoted string; quoting every name makes keywords plain names."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def html_text(text: str) -> str:
    """User text as HTML-label markup: shown literally, a newline breaks the line.

    Graphviz expands ``\\N`` and friends even in HTML labels, so a backslash
    is doubled; characters XML cannot hold are dropped.
    """
    lines = printable(text).split("\n")
    return "<BR/>".join(escape_line(line) for line in lines)


def printable(text: str) -> str:
    unified = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in unified if ch == "\n" or not is_unprintable(ch))


def is_unprintable(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in ("\ufffe", "\uffff")


def escape_line(line: str) -> str:
    return (
        line.replace("\\", "\\\\")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def font(text: str, size: float, color: str | None = None, bold: bool = False) -> str:
    """Escaped text wrapped in a FONT element (and B when bold)."""
    body = f"<B>{html_text(text)}</B>" if bold else html_text(text)
    color_attr = f' COLOR="{color}"' if color else ""
    return f'<FONT POINT-SIZE="{size:g}"{color_attr}>{body}</FONT>'


def attr_list(attrs: Mapping[str, str]) -> str:
    return "[" + ", ".join(f"{key}={attr_value(value)}" for key, value in attrs.items()) + "]"


def attr_value(value: str) -> str:
    return f"<{value}>" if isinstance(value, Html) else quote(value)
