"""The deck as an Anki package (.apkg), built with genanki.

The deck, its note type and every note keep their ids from one run to the
next (`DECK_ID`, `MODEL_ID`, `deck.card_guid`): Anki matches an imported note
to the one it has by guid and updates it. What does change is each note's
modification time, the import's clock, which Anki compares to decide that
the incoming note is the newer one; so a package is not byte-identical from
run to run, and the gallery's deck is not committed.

A card of a step that has a diagram shows it on its back. Diagrams are read
from a folder that `archgen render` or `archgen gallery` wrote
(`DIAGRAMS/<id>/step-N-<step>.svg`, else `.png`) and travel inside the
package as media named `archgen-<id>-step-N-<step>.svg`: Anki keeps every
deck's media in one folder, so the name carries the blueprint's id.
"""

from __future__ import annotations

import io
import itertools
import json
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from archgen.cards.answers import answer_html, front_html
from archgen.cards.deck import Card

# Chosen once at random, in the range genanki's docs ask for; never to change, or a
# re-import would make a second deck and a second note type.
DECK_ID = 1_742_908_316
MODEL_ID = 1_379_542_186
DECK_NAME = "ML system design (archgen)"
MODEL_NAME = "archgen study card"
DIAGRAM_SUFFIXES = (".svg", ".png")

FIELDS = ("Front", "Back", "Diagram", "Blueprint", "Step")
FRONT = '<div class="context">{{Blueprint}} · {{Step}}</div>\n<div class="front">{{Front}}</div>'
BACK = (
    '{{FrontSide}}\n<hr id="answer">\n<div class="back">{{Back}}</div>\n'
    '{{#Diagram}}<div class="diagram">{{Diagram}}</div>{{/Diagram}}'
)
CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.5;
  color: #1f2328; background: #fff; text-align: left; max-width: 46rem; margin: 0 auto; }
.context { color: #59636e; font-size: 0.8em; }
.front { font-weight: 600; }
.diagram img { max-width: 100%; height: auto; margin-top: 1em; }
"""


def apkg_bytes(cards: Sequence[Card], diagrams: Path | None = None) -> bytes:
    """The package: one deck of `cards`, with the step diagrams found below `diagrams`."""
    import genanki

    media = _media(cards, diagrams)
    model = genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question and answer", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    for card in cards:
        media_name, _ = media.get(_diagram_key(card), ("", b""))
        deck.add_note(
            genanki.Note(
                model=model,
                fields=_fields(card, media_name),
                guid=card.guid,
                tags=list(card.tags),
            )
        )
    return _package(genanki.Package(deck), dict(media.values()))


def _fields(card: Card, media_name: str) -> list[str]:
    diagram = Markup('<img src="{}">').format(media_name) if media_name else Markup("")
    values = [
        front_html(card.title, card.prompt),
        answer_html(card.answer),
        diagram,
        escape(card.title),
        escape(card.step.title),
    ]
    return [str(value) for value in values]


def _package(package: Any, media: dict[str, bytes]) -> bytes:
    """The .apkg bytes: genanki fills the collection, and the zip is made here, in memory,
    so no temporary file outlives the call and the target is written whole or not at all."""
    now = time.time()
    with tempfile.TemporaryDirectory(prefix="archgen-deck-") as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            package.write_to_db(connection.cursor(), now, itertools.count(int(now * 1000)))
            connection.commit()
        finally:
            connection.close()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(database, "collection.anki2")
            names = sorted(media)
            archive.writestr("media", json.dumps({str(i): n for i, n in enumerate(names)}))
            for index, name in enumerate(names):
                archive.writestr(str(index), media[name])
    return buffer.getvalue()


def _diagram_key(card: Card) -> tuple[str, str]:
    return (card.blueprint, card.step.slug)


def _media(
    cards: Sequence[Card], diagrams: Path | None
) -> dict[tuple[str, str], tuple[str, bytes]]:
    """The step diagrams the cards show, where they exist: by (blueprint id, step slug),
    the media name and the file's bytes."""
    found: dict[tuple[str, str], tuple[str, bytes]] = {}
    if diagrams is None:
        return found
    for card in cards:
        key = _diagram_key(card)
        if not card.step.focus or key in found:
            continue
        for suffix in DIAGRAM_SUFFIXES:
            path = diagrams / card.blueprint / f"{card.step.slug}{suffix}"
            if path.is_file():
                found[key] = (f"archgen-{card.blueprint}-{path.name}", path.read_bytes())
                break
    return found
