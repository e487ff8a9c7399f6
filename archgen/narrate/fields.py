"""A step field as a narrative template shows it: text, a list, a table, or items with answers.

The study notes of format 1.1 pair an item with an answer: a clarifying
question with the answer assumed, an option with why, a follow-up question
with a strong answer. How each answer shows is a matter of the page, so it is
decided here: the assumed answer and the reason follow their item on its
line, a follow-up's answer sits under its question (folded away in HTML, so a
reader can try the question first). A field whose items carry no answer is an
ordinary list, so pages written before 1.1 come out as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from archgen.format import step_format
from archgen.model import FieldValue, field_pairs
from archgen.narrate.text import is_single_paragraph

# How the answers of a pairs field show: after the item or under it, and the word before them.
ANSWERS: dict[str, tuple[Literal["inline", "folded"], str]] = {
    "questions": ("inline", "Assumed:"),
    "tradeoffs": ("inline", ""),
    "followups": ("folded", "Answer:"),
}
# A table's column headings, where the default ("Quantity", "Value") would mislead.
COLUMNS: dict[str, tuple[str, str]] = {"estimates": ("Quantity", "Estimate")}


@dataclass(frozen=True)
class Pair:
    """An item and its answer; `inline` when the answer is one paragraph, so it
    may follow a lead word on its line."""

    text: str
    answer: str
    inline: bool = True


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: Literal["text", "list", "table", "pairs"]
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()
    inline: bool = False
    pairs: tuple[Pair, ...] = ()
    answers: Literal["inline", "folded"] = "inline"
    lead: str = ""
    columns: tuple[str, str] = ("Quantity", "Value")


def field_view(step: str, key: str, value: FieldValue) -> Field | None:
    """A step field ready for a template, or None when nothing is left to show."""
    spec = step_format(step).field(key)
    label = spec.label
    if spec.shape == "pairs":
        return _pairs_view(key, label, value)
    if isinstance(value, str):
        text = value.strip()
        return (
            Field(key, label, "text", text=text, inline=is_single_paragraph(text)) if text else None
        )
    if value and not isinstance(value[0], str):  # a table: validation made it name-text pairs
        rows = tuple((name, text.strip()) for name, text in value if text.strip())
        columns = COLUMNS.get(key, Field.columns)
        return Field(key, label, "table", rows=rows, columns=columns) if rows else None
    items = tuple(item.strip() for item in cast("tuple[str, ...]", value) if item.strip())
    return Field(key, label, "list", items=items) if items else None


def _pairs_view(key: str, label: str, value: FieldValue) -> Field | None:
    """Items with their answers; a plain list when no item has one."""
    pairs = tuple(
        Pair(text, answer, is_single_paragraph(answer))
        for text, answer in ((a.strip(), b.strip()) for a, b in field_pairs(value))
        if text
    )
    if not any(pair.answer for pair in pairs):
        items = tuple(pair.text for pair in pairs)
        return Field(key, label, "list", items=items) if items else None
    answers, lead = ANSWERS.get(key, ("inline", ""))
    return Field(key, label, "pairs", pairs=pairs, answers=answers, lead=lead)
