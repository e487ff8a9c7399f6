"""The design review: rules that read a blueprint the way an interviewer would.

One module per job: `rules` reads the rules (data, in rules.yaml), `checks`
holds the registry of check types they are built from, `text` and `graph`
are what the checks read (the blueprint's words and its flows), `engine`
runs the rules over one blueprint, and `soundness` checks the rules file
itself (the test suite runs it).

>>> from archgen.review import review
>>> review(blueprint).findings  # doctest: +SKIP
"""

from archgen.review.engine import Finding, Review, review
from archgen.review.rules import SEVERITIES, load_rules

__all__ = ["SEVERITIES", "Finding", "Review", "load_rules", "review"]
