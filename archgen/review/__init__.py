"""The design review: rules that read a blueprint the way an interviewer would.

One module per job: `rules` reads the rules (data, in rules.yaml), `checks`
holds the registry of check types they are built from, `text` and `graph`
are what the checks read (the blueprint's words and its flows), `engine`
runs the rules over one blueprint, and `soundness` checks the rules file
itself (the test suite runs it).

>>> from archgen.review import review
>>> review(blueprint).findings  # doctest: +SKIP

The engine is imported on first use (PEP 562): the gallery's cache only needs
the severities in `rules`, and a run with nothing to redraw reviews nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archgen.review.rules import SEVERITIES, load_rules

if TYPE_CHECKING:
    from archgen.review.engine import Finding, Review, review

__all__ = ["SEVERITIES", "Finding", "Review", "load_rules", "review"]

ENGINE_NAMES = frozenset({"Finding", "Review", "review"})


def __getattr__(name: str) -> Any:
    if name not in ENGINE_NAMES:
        raise AttributeError(f"module 'archgen.review' has no attribute {name!r}")
    from archgen.review import engine

    return getattr(engine, name)
