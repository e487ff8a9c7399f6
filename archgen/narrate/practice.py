"""practice.html: a blueprint as an interview drill, every answer hidden until asked for.

A reader who has only read a design cannot yet give it: the page asks first
and shows after. It opens as an interview does (the title, the summary as the
prompt, the clarifying questions), then asks each of the seven steps in turn
with the interviewer's expectation and its minutes from a 45-minute pacing
(`interview.PACING`). Each answer, with the step's diagram, sits in a
``<details>`` element: the browser hides and shows it, so the page needs no
JavaScript and works offline, its images being the sibling SVG or PNG files.
The architecture so builds up one revealed step at a time, and the whole
diagram comes last.

The template (``practice.html.j2``) receives every variable of the narrative
(:func:`archgen.narrate.narrative.template_context`: ``blueprint``, ``title``,
``summary``, ``tags``, ``overview``, ``steps`` without the pairs below,
``walk_title``, ``walk``), and:

``questions``
    the clarifying questions: (question, assumed answer) pairs of Markdown,
    the answer "" when the blueprint gives none.
``prompts``
    the seven steps in order, each a :class:`Prompt`.
``minutes``
    the length of the interview the pacing adds up to.
``narrative``
    the file name of the narrative page, to link back to.

It escapes blueprint text through the narrative's HTML filters (``text``,
``markdown``, ``markdown_inline``), with autoescape on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import accumulate
from pathlib import Path
from typing import Any

from archgen.files import write_atomic
from archgen.model import Blueprint
from archgen.narrate.interview import (
    INTERVIEW_MINUTES,
    PACING,
    answer_fields,
    followups,
    questions,
    tradeoffs,
)
from archgen.narrate.narrative import HTML, StepView, step_view, template_context
from archgen.narrate.templates import render_template, template_environment

TEMPLATE = "practice.html.j2"
FILENAME = "practice.html"


@dataclass(frozen=True)
class Prompt:
    """One step asked as an interviewer would: what to cover, then the hidden answer."""

    number: int
    title: str
    anchor: str
    # The step's share of the interview, and the minute it starts at.
    minutes: int
    starts_at: int
    expects: str
    # The step's fields (its pairs left out), notes and diagram, as the narrative has them.
    answer: StepView
    tradeoffs: tuple[tuple[str, str], ...]
    followups: tuple[tuple[str, str], ...]

    @property
    def empty(self) -> bool:
        """True when the blueprint has nothing to reveal for this step."""
        view = self.answer
        return not (view.fields or view.notes or view.diagram or self.tradeoffs)


def write_practice(
    blueprint: Blueprint,
    out: Path,
    *,
    image_ext: str = "svg",
    step_diagrams: bool = True,
    templates: Path | None = None,
) -> list[Path]:
    """Write ``out/ID/practice.html`` beside the narrative; return its path, in a list
    as :func:`archgen.narrate.narrative.narrate` returns its pages.

    ``templates`` is a folder whose ``practice.html.j2`` replaces the built-in
    one; a broken one raises BlueprintError.
    """
    context = practice_context(blueprint, image_ext=image_ext, step_diagrams=step_diagrams)
    environment = template_environment(templates, HTML.filters)
    text = render_template(environment, TEMPLATE, context)
    path = out / blueprint.id / FILENAME
    write_atomic(path, text.rstrip("\n") + "\n")
    return [path]


def practice_context(
    blueprint: Blueprint, *, image_ext: str = "svg", step_diagrams: bool = True
) -> dict[str, Any]:
    """The variables the practice template receives (listed in the module docstring)."""
    # The narrative's variables, over the steps as they are answered: the pairs are
    # asked one by one instead.
    answers = replace(blueprint, steps=tuple(answer_fields(step) for step in blueprint.steps))
    starts = accumulate((PACING[step.name].minutes for step in answers.steps), initial=0)
    prompts = tuple(
        Prompt(
            number=step.number,
            title=step.title,
            anchor=step.slug,
            minutes=PACING[step.name].minutes,
            starts_at=start,
            expects=PACING[step.name].expects,
            answer=step_view(step, image_ext, step_diagrams),
            tradeoffs=tradeoffs(original),
            followups=followups(original),
        )
        for step, original, start in zip(answers.steps, blueprint.steps, starts, strict=False)
    )
    return {
        **template_context(answers, image_ext=image_ext, step_diagrams=step_diagrams),
        "blueprint": blueprint,
        "questions": questions(blueprint),
        "prompts": prompts,
        "minutes": INTERVIEW_MINUTES,
        "narrative": "index.html",
    }
