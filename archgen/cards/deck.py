"""The flashcards a blueprint makes: one question, one answer, an id that outlives edits.

A card asks what an interviewer would: a step field ("Video Recommendation:
Offline metrics?" answered by the field's text), a clarifying question with
the answer the design assumes, a follow-up with its strong answer, a
tradeoff ("Why choose X, or why not?" answered by the reason). Questions,
follow-ups and tradeoffs written without an answer make no card of their
own: there would be nothing to check oneself against. Notes are prose, not
a question, and stay in the narrative.

Each card's id (`guid`) comes from the blueprint id, the step, the kind of
card and the field or question it asks, never from its answer: a deck made
again after an edit updates the cards Anki already has instead of adding
duplicates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from archgen.model import Blueprint, FieldValue, Step, field_pairs
from archgen.narrate.interview import (
    FOLLOWUPS,
    TRADEOFFS,
    field_label,
    followups,
    questions,
    tradeoffs,
)

CardKind = Literal["field", "question", "followup", "tradeoff"]


@dataclass(frozen=True)
class Card:
    """One note of the deck; the text is the blueprint's own, escaped only when written."""

    guid: str
    kind: CardKind
    blueprint: str  # the blueprint's id
    title: str  # the blueprint's title, plain text
    step: Step
    # The question, in Markdown, asked after "TITLE: ".
    prompt: str
    # The answer as the blueprint writes it: Markdown text, a list, or (label, text) pairs.
    answer: FieldValue

    @property
    def front(self) -> str:
        return f"{self.title}: {self.prompt}"

    @property
    def tags(self) -> tuple[str, ...]:
        """Anki tags (no spaces): the blueprint and the step, to study one at a time."""
        return (self.blueprint, self.step.name)


def blueprint_cards(blueprint: Blueprint) -> list[Card]:
    """Every card of a blueprint, step by step in framework order."""
    seen: Counter[tuple[str, ...]] = Counter()
    cards = []
    for kind, step, key, prompt, answer in _questions_and_answers(blueprint):
        identity = (blueprint.id, step.name, kind, key)
        seen[identity] += 1
        # A question asked twice in one step still gets a card of its own.
        repeat = (str(seen[identity]),) if seen[identity] > 1 else ()
        cards.append(
            Card(
                guid=card_guid(*identity, *repeat),
                kind=kind,
                blueprint=blueprint.id,
                title=blueprint.title,
                step=step,
                prompt=prompt,
                answer=answer,
            )
        )
    return cards


def card_guid(*identity: str) -> str:
    """Anki's own guid scheme (a hash, base 91) over what the card asks, under archgen's name."""
    import genanki

    return str(genanki.guid_for("archgen", *identity))


_Asked = tuple[CardKind, Step, str, str, FieldValue]


def _questions_and_answers(blueprint: Blueprint) -> Iterator[_Asked]:
    """(kind, step, what is asked, the prompt, the answer) for every card, in reading order."""
    for step in blueprint.steps:
        for key, value in step.fields:
            if key not in (TRADEOFFS, FOLLOWUPS) and _has_text(value):
                yield "field", step, key, f"{field_label(step.name, key)}?", value
        if step.name == "requirements":
            for question, assumed in questions(blueprint):
                if assumed:
                    yield "question", step, question, f"{question} (clarifying question)", assumed
        for option, why in tradeoffs(step):
            if why:
                yield "tradeoff", step, option, f"Why choose {option}, or why not?", why
        for question, answer in followups(step):
            if answer:
                yield "followup", step, question, question, answer


def _has_text(value: FieldValue) -> bool:
    return any(a.strip() or b.strip() for a, b in field_pairs(value))
