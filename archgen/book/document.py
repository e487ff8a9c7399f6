"""The whole study book as one Typst source: cover, contents, a reader's guide, chapters.

The source imports `style.typ` (the look) and expects each case study's
diagrams in a folder named for its id beside it (`ID/ID.svg`,
`ID/step-N-NAME.svg`), where `archgen.book.diagrams` renders them.
Nothing in it varies from run to run (no date, no path), so the same
blueprints give the same PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files

from archgen import __version__
from archgen.book.chapters import case_study
from archgen.book.markup import content, string, text
from archgen.format import step_format
from archgen.model import Blueprint
from archgen.narrate.interview import INTERVIEW_MINUTES, PACING

DEFAULT_TITLE = "ML System Design: Case Studies"
STYLE_FILE = "style.typ"
GUIDE_TITLE = "How to use this book"
GUIDE = (
    "Each case study follows the seven steps of an ML system design interview, in the order "
    "an interviewer expects them. It opens with the whole architecture; each step then gives "
    "what a strong answer states, the tradeoffs behind its choices, the follow-up questions "
    "an interviewer asks with a strong answer set apart (cover it and answer first), and a "
    "diagram of the components the step involves. A design review closes the chapter with "
    "what an interviewer would still ask about, then the references the design draws on."
)
DIAGRAM_NOTE = (
    "The diagrams are vector drawings: zoom in to read their smallest labels. The contents "
    "link to every case study, and the PDF's outline (bookmarks) to every step as well."
)


def style() -> str:
    """The Typst style file the source imports."""
    return files("archgen.book").joinpath(STYLE_FILE).read_text(encoding="utf-8")


def book_source(blueprints: Sequence[Blueprint], title: str = DEFAULT_TITLE) -> str:
    """The book's Typst source, one chapter per blueprint in the order given."""
    parts = [
        f"#import {string(STYLE_FILE)}: *",
        f"#show: book.with(title: {string(title)})",
        _cover(title, len(blueprints)),
        "#outline(title: [Contents], depth: 1)",
        _guide(),
        *(case_study(blueprint) for blueprint in blueprints),
    ]
    return "\n\n".join(parts) + "\n"


def _cover(title: str, count: int) -> str:
    steps = ", ".join(step_format(name).title.lower() for name in PACING)
    studies = "case study" if count == 1 else "case studies"
    subtitle = f"{count} {studies}, each in the seven steps of the interview: {steps}."
    made = f"Made with archgen {__version__} from its YAML blueprints."
    return f"#cover({content(text(title))}, {content(text(subtitle))}, {content(text(made))})"


def _guide() -> str:
    """A page on how the chapters are laid out, and the pace of a 45-minute interview."""
    rows = ", ".join(
        f"[{number}. {text(step_format(name).title)}], [{pace.minutes} min], [{text(pace.expects)}]"
        for number, (name, pace) in enumerate(PACING.items(), 1)
    )
    table = (
        "#table(columns: (auto, auto, 1fr), "
        "table.header([#strong[Step]], [#strong[Time]], [#strong[What the interviewer listens for]]), "
        f"{rows})"
    )
    pacing = f"A {INTERVIEW_MINUTES}-minute interview, step by step:"
    return "\n\n".join(
        [
            f"#heading(level: 1, outlined: false){content(text(GUIDE_TITLE))}",
            text(GUIDE),
            text(pacing),
            table,
            text(DIAGRAM_NOTE),
        ]
    )
