"""The design review: rules that read a blueprint the way an interviewer would.

One module per job: `severity` names how much a finding weighs, `rules` reads
the rules (data, in rules.yaml), `checks`
holds the registry of check types they are built from, `text` and `graph`
are what the checks read (the blueprint's words and its flows), `engine`
runs the rules over one blueprint, and `soundness` checks the rules file
itself (the test suite runs it).

>>> from archgen.review import review
>>> review(blueprint).findings  # doctest: +SKIP

The rules and the engine are imported on first use (PEP 562): the gallery's
cache only needs the severities, and a run with nothing to redraw reviews nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from archgen.review.severity import SEVERITIES

if TYPE_CHECKING:
    from archgen.review.engine import Finding, Review, review
    from archgen.review.rules import load_rules

__all__ = ["SEVERITIES", "Finding", "Review", "load_rules", "review"]

# Each name this package offers, by the module that defines it.
HOMES = {"Finding": "engine", "Review": "engine", "review": "engine", "load_rules": "rules"}


def __getattr__(name: str) -> Any:
    if name not in HOMES:
        raise AttributeError(f"module 'archgen.review' has no attribute {name!r}")
    return getattr(import_module(f"archgen.review.{HOMES[name]}"), name)
