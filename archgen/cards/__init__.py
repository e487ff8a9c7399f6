"""Flashcards from blueprints: an Anki deck or a CSV, for spaced repetition of designs.

One module per job: `collect` reads the blueprints, `deck` turns each into
cards with stable ids, `answers` renders a card's sides, `anki` packs them
with genanki and `output` writes the file. `archgen cards` is the command
line's door to it; a notebook calls the same functions:

>>> from archgen.cards import blueprint_cards, collect_blueprints, write_deck
>>> cards = [c for bp in collect_blueprints([Path("blueprints")]) for c in blueprint_cards(bp)]  # doctest: +SKIP
>>> write_deck(cards, Path("deck.apkg"), diagrams=Path("output"))  # doctest: +SKIP
"""

from archgen.cards.collect import collect_blueprints
from archgen.cards.deck import Card, blueprint_cards
from archgen.cards.output import DECK_SUFFIXES, write_deck

__all__ = ["DECK_SUFFIXES", "Card", "blueprint_cards", "collect_blueprints", "write_deck"]
