"""Writing a deck: an Anki package, or a CSV when the file name ends in `.csv`.

Either is built whole in memory and moved into place (`files.write_atomic`):
a deck that cannot be written raises OutputError, and an older deck at that
path stays as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from archgen.cards.answers import answer_text
from archgen.cards.deck import Card
from archgen.files import write_atomic

# What `write_deck` can write, by the target's suffix.
DECK_SUFFIXES: tuple[str, ...] = (".apkg", ".csv")
CSV_COLUMNS: tuple[str, ...] = ("guid", "blueprint", "step", "front", "back", "tags")


def write_deck(cards: Sequence[Card], path: Path, diagrams: Path | None = None) -> None:
    """Write `cards` to `path`: CSV for `.csv`, else an Anki package with the step
    diagrams found below `diagrams` (see `archgen.cards.anki`)."""
    if path.suffix.lower() == ".csv":
        write_atomic(path, deck_csv(cards))
        return
    from archgen.cards.anki import apkg_bytes

    write_atomic(path, apkg_bytes(cards, diagrams))


def deck_csv(cards: Sequence[Card]) -> str:
    """One row per card under a header row; text as the blueprint writes it (Markdown).

    The guid column is the card's stable id, for a tool that updates what it imported.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for card in cards:
        writer.writerow(
            (
                card.guid,
                card.blueprint,
                card.step.name,
                card.front,
                answer_text(card.answer),
                " ".join(card.tags),
            )
        )
    return buffer.getvalue()
