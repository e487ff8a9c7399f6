"""The words of a blueprint a rule reads, and whether they name a concept.

A rule names the parts it reads by path, the same paths `Blueprint.mark`
understands: a step (``serving``: all its fields and notes), a step field
(``serving.latency``), a step's notes (``serving.notes``), or a part of the
whole file (``summary``, ``title``, ``tags``, ``references``, ``components``
for labels and descriptions, ``flows`` for flow labels, ``*`` for all of it).

A concept is a list of phrases, matched as whole words, case-insensitively:
``cold start`` matches "Cold-start" and "cold  start" but not "scold starts".
A word ending in ``*`` matches any ending (``calibrat*``: calibrate,
calibration), and a lone ``*`` stands for any one word, hyphenated or not
(``within a * window``: "within a 24-hour window").

>>> concept = compile_concept(("position bias", "propensit*"))
>>> bool(concept.search("Clicks are **position-biased**")), bool(concept.search("propensity weights"))
(False, True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from archgen.format import STEP_NAMES, step_format
from archgen.model import Blueprint, field_text

# Parts of the whole file a rule may read, besides the steps.
FILE_PARTS: tuple[str, ...] = (
    "title",
    "summary",
    "tags",
    "references",
    "components",
    "flows",
    "*",
)
_SEPARATOR = r"[\s\-]+"


def compile_concept(phrases: Iterable[str]) -> re.Pattern[str]:
    """One pattern for all the phrases of a concept: any of them, as whole words."""
    alternatives = sorted({_phrase_pattern(p) for p in phrases}, key=lambda p: (-len(p), p))
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


def _phrase_pattern(phrase: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    return _SEPARATOR.join(_word_pattern(w) for w in words)


def _word_pattern(word: str) -> str:
    if word == "*":
        return r"\w+(?:-\w+)*"
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"\w*"
    return re.escape(word)


def is_text_path(path: str) -> bool:
    """Whether a rule may read `path`: a file part, a step, a step's field or notes."""
    step, _, field = path.partition(".")
    if not field:
        return path in FILE_PARTS or path in STEP_NAMES
    if step not in STEP_NAMES:
        return False
    return field == "notes" or field in _field_labels(step)


def _field_labels(step: str) -> dict[str, str]:
    return {f.name: f.label for f in step_format(step).fields}


def path_label(path: str) -> str:
    """A path as a message names it: `evaluation.online` is "online metrics".

    >>> path_label("evaluation.online"), path_label("framing.objective"), path_label("serving")
    ('online metrics', 'ML objective', 'serving')
    """
    step, _, field = path.partition(".")
    if step not in STEP_NAMES or not field:
        return path
    label = _field_labels(step).get(field, field.replace("_", " "))
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def text_of(blueprint: Blueprint, path: str) -> str:
    """All the words written at `path`, one item a line; "" when nothing is."""
    if path == "*":
        parts = (*FILE_PARTS[:-1], *STEP_NAMES)
        return "\n".join(text_of(blueprint, part) for part in parts)
    step, _, field = path.partition(".")
    if step in STEP_NAMES:
        return _step_text(blueprint, step, field)
    return _file_text(blueprint, path)


def _step_text(blueprint: Blueprint, name: str, field: str) -> str:
    step = blueprint.step(name)
    if field == "notes":
        return step.notes
    if field:
        return field_text(step.value(field))
    return "\n".join([*(field_text(value) for _, value in step.fields), step.notes])


def _file_text(blueprint: Blueprint, part: str) -> str:
    if part == "title":
        return blueprint.title
    if part == "summary":
        return blueprint.summary
    if part == "tags":
        return "\n".join(blueprint.tags)
    if part == "references":
        return "\n".join(f"{r.title}\n{r.url}\n{r.note}" for r in blueprint.references)
    if part == "components":
        return "\n".join(f"{c.label}\n{c.description}" for c in blueprint.components.values())
    return "\n".join(flow.label for flow in blueprint.flows)


def is_written(blueprint: Blueprint, path: str) -> bool:
    """Whether the blueprint says anything at `path`."""
    return bool(text_of(blueprint, path).strip())
