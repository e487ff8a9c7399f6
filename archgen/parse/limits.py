"""Holding a blueprint to the format's limits, before validation walks it.

The limits themselves, with their values and hints, are the format's
(`archgen.format.LIMITS`); this module counts against them. Counts are taken
on the composed tree, so a limit holds however the parts are spread over the
files of an `extends` web, and each excess is reported at the first entry
over the limit, where cutting would start.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from archgen.diagnostics import Collector, Mark, did_you_mean
from archgen.format import (
    COMPONENTS,
    FLOWS,
    FOCUS_ENTRIES,
    GROUPS,
    HINTED_ERRORS,
    LABEL_CHARS,
    STEP_NAMES,
)
from archgen.parse.yamltree import Mapping, Sequence

if TYPE_CHECKING:
    from archgen.parse.flows import FlowEdge


def suggestion(word: str, choices: Iterable[str], errors: Collector) -> str:
    """`did_you_mean`, for a blueprint's first errors only: each suggestion compares the word
    with every known name, and thousands of wrong names need no thousand suggestions.

    >>> errors = Collector()
    >>> suggestion("clent", ["client", "ranker"], errors)
    "did you mean 'client'?"
    """
    if len(errors.diagnostics) >= HINTED_ERRORS.value:
        return ""
    return did_you_mean(word, choices)


def label_fits(text: str, mark: Mark, what: str, errors: Collector) -> bool:
    """Whether a title or label is within its limit; reported at `mark` when not."""
    if len(text) <= LABEL_CHARS.value:
        return True
    errors.error(
        mark, LABEL_CHARS.exceeded(f"{what} of {len(text):,} characters"), LABEL_CHARS.hint
    )
    return False


def check_counts(tree: Mapping, edges: list[FlowEdge], errors: Collector) -> None:
    """Components, groups, flows and each step's focus entries, against their limits."""
    for section, limit in (("components", COMPONENTS), ("groups", GROUPS)):
        node = tree.get(section)
        if isinstance(node, Mapping) and len(node.entries) > limit.value:
            first_over = list(node.entries.values())[limit.value][0]
            errors.error(
                first_over.mark, limit.exceeded(f"{len(node.entries):,} {section}"), limit.hint
            )
    if len(edges) > FLOWS.value:
        errors.error(
            edges[FLOWS.value].source.mark, FLOWS.exceeded(f"{len(edges):,} flows"), FLOWS.hint
        )
    for step in STEP_NAMES:
        step_node = tree.get(step)
        focus = step_node.get("focus") if isinstance(step_node, Mapping) else None
        if isinstance(focus, Sequence) and len(focus.items) > FOCUS_ENTRIES.value:
            errors.error(
                focus.items[FOCUS_ENTRIES.value].mark,
                FOCUS_ENTRIES.exceeded(f"{len(focus.items):,} entries in `{step}.focus`"),
                FOCUS_ENTRIES.hint,
            )
