"""The interview the study outputs drill: its pacing, its prompts, and where a blueprint's
questions, tradeoffs and follow-ups stand.

The practice page (`practice.py`) and the flashcards (`archgen.cards`) both read
a blueprint as an interview does, so what each step is worth in minutes and
what an interviewer expects of it are kept here, once. Changing the pacing is
editing `PACING`; the test suite checks it still adds up to `INTERVIEW_MINUTES`.

>>> sum(step.minutes for step in PACING.values()) == INTERVIEW_MINUTES
True
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from archgen.format import step_format
from archgen.model import Blueprint, Step, field_pairs

INTERVIEW_MINUTES = 45


@dataclass(frozen=True)
class Pace:
    """One framework step in the interview: its share of the time and what it must cover."""

    minutes: int
    expects: str


# Minutes per step for a 45-minute interview, and the line that says what the
# interviewer listens for: clarifying and framing are short, the data and the model
# take the longest, serving and monitoring close.
PACING: dict[str, Pace] = {
    "requirements": Pace(
        5,
        "Clarify before designing: the business objective, what the system must do, "
        "its scale, and the constraints it lives under.",
    ),
    "framing": Pace(
        4,
        "Turn the business objective into an ML task: what the model takes in, what it "
        "returns, and which kind of ML problem that makes it.",
    ),
    "data": Pace(
        8,
        "Where the training and serving data come from, the features worth building, and "
        "where the labels come from.",
    ),
    "model": Pace(
        10,
        "A simple baseline first, the candidate models, the one you choose and why, its "
        "loss, and how it is trained.",
    ),
    "evaluation": Pace(
        6,
        "Offline metrics that fit the task, and the online metrics that tie the model back "
        "to the business objective.",
    ),
    "serving": Pace(
        7,
        "How predictions reach users within the latency budget, and how a new model is "
        "tested safely on live traffic.",
    ),
    "monitoring": Pace(
        5,
        "What you watch in production, what raises an alert, and when the model is retrained.",
    ),
}

# The step fields that hold (question or option, answer) pairs: a practice page and a
# deck ask them one by one instead of showing them as one answer.
QUESTIONS = "questions"  # in `requirements`: clarifying questions, with the answer assumed
TRADEOFFS = "tradeoffs"  # in every step: an option, and why it was or was not chosen
FOLLOWUPS = "followups"  # in every step: an interviewer's follow-up, and a strong answer
PAIR_FIELDS = frozenset({QUESTIONS, TRADEOFFS, FOLLOWUPS})


def questions(blueprint: Blueprint) -> tuple[tuple[str, str], ...]:
    """The clarifying questions, each with the answer assumed ("" when none), blanks left out."""
    return _pairs(blueprint.step("requirements"), QUESTIONS)


def tradeoffs(step: Step) -> tuple[tuple[str, str], ...]:
    return _pairs(step, TRADEOFFS)


def followups(step: Step) -> tuple[tuple[str, str], ...]:
    return _pairs(step, FOLLOWUPS)


def _pairs(step: Step, name: str) -> tuple[tuple[str, str], ...]:
    pairs = field_pairs(step.value(name))
    return tuple((a.strip(), b.strip()) for a, b in pairs if a.strip())


def answer_fields(step: Step) -> Step:
    """The step without its pair fields: what a reader states as the step's answer."""
    kept = tuple((key, value) for key, value in step.fields if key not in PAIR_FIELDS)
    return replace(step, fields=kept)


def field_label(step: str, key: str) -> str:
    """A field's readable label; a key the format does not know yet reads as itself."""
    spec = next((f for f in step_format(step).fields if f.name == key), None)
    return spec.label if spec else key.replace("_", " ").capitalize()
