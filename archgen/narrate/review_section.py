"""The narrative's "Review" section: the design review's findings, by framework step.

The templates receive a :class:`ReviewSection` as ``review``: ``summary``
(e.g. "2 warnings, 1 info", or "clean"), ``groups`` (each a :class:`Group`
with the ``title`` of its step and its ``findings``, each with ``severity``,
``rule`` and ``message``, a Markdown sentence or three) and ``ignored`` (the
rules the blueprint leaves out on purpose, as ``rule``, ``reason`` pairs).
A clean review has no groups; the templates say there is nothing to add.
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.format import step_format
from archgen.model import Blueprint
from archgen.narrate.text import plain_markdown
from archgen.review import Review, review

REVIEW_TITLE = "Review"
# The group of findings that concern the file as a whole rather than one step.
WHOLE_FILE = "The blueprint as a whole"


@dataclass(frozen=True)
class Item:
    severity: str
    rule: str
    message: str


@dataclass(frozen=True)
class Group:
    title: str
    findings: tuple[Item, ...]


@dataclass(frozen=True)
class ReviewSection:
    title: str
    summary: str
    groups: tuple[Group, ...]
    ignored: tuple[tuple[str, str], ...]

    @property
    def clean(self) -> bool:
        return not self.groups


def review_section(blueprint: Blueprint, result: Review | None = None) -> ReviewSection:
    """The section for `blueprint`, from its review (run here unless given)."""
    result = result or review(blueprint)
    groups = tuple(
        Group(
            step_format(step).title if step else WHOLE_FILE,
            tuple(Item(f.severity, f.rule, f.formatted(plain_markdown)) for f in findings),
        )
        for step, findings in result.by_step()
    )
    return ReviewSection(REVIEW_TITLE, result.summary(), groups, result.ignored)
