"""The spec's example with format 1.1 study notes: assumed answers, tradeoffs, follow-ups.

Set on the typed model, so a test chooses exactly the notes it needs (hostile
text included); `STUDY_NOTES` is the same kind of notes as a blueprint file
writes them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from archgen.model import Blueprint, FieldValue
from archgen.parse.load import load

SPEC_EXAMPLE = Path(__file__).parent / "data" / "valid" / "spec-example.yaml"
STUDY_NOTES = Path(__file__).parent / "data" / "valid" / "study-notes.yaml"
HOSTILE = "<script>alert(1)</script>"

NOTES: dict[str, dict[str, FieldValue]] = {
    "requirements": {
        "questions": (
            ("Do we have explicit feedback (likes) as well as watches?", "Yes, likes are logged."),
            "Is the home feed the only surface?",
        ),
    },
    "model": {
        "tradeoffs": (
            ("Two-tower retrieval", "Scales to billions of videos through an ANN index."),
            "One deep model over every video",
        ),
    },
    "serving": {
        "followups": (
            ("How do you serve a **cold-start** user?", f"Popular videos by region, {HOSTILE}."),
            "What if the ranker times out?",
        ),
    },
}


def spec_example() -> Blueprint:
    return load(SPEC_EXAMPLE)


def with_study_notes(
    blueprint: Blueprint, notes: dict[str, dict[str, FieldValue]] = NOTES
) -> Blueprint:
    """`blueprint` with `notes` (step -> field -> value) set over its own fields."""
    steps = tuple(
        replace(step, fields=tuple({**dict(step.fields), **notes.get(step.name, {})}.items()))
        for step in blueprint.steps
    )
    return replace(blueprint, steps=steps)
