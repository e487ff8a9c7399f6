"""The review's rules file: sound (a bad entry fails here, not in a user's review), its
concepts matched as whole words, and the bundled gallery clean under its strictest reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from archgen.catalog import load_catalog
from archgen.gallery import case_studies
from archgen.parse.load import load
from archgen.review import review
from archgen.review.rules import load_rules, rule_set
from archgen.review.soundness import rule_problems
from archgen.review.text import compile_concept

BLUEPRINTS = Path(__file__).parent.parent / "blueprints"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("New videos face the cold start problem", True),
        ("a Cold-Start embedding", True),
        ("cold  start", True),
        ("the scold starts", False),
        ("coldstart", False),
    ],
)
def test_concepts_match_whole_words_and_phrases_whatever_the_case(text: str, found: bool) -> None:
    assert bool(compile_concept(load_rules().concepts["cold_start"]).search(text)) is found


def test_word_endings_and_any_word_in_a_phrase() -> None:
    pattern = compile_concept(["calibrat*", "within a * window"])
    assert pattern.search("well calibrated scores") and pattern.search("within a 24-hour window")
    assert not pattern.search("miscalibrated") and not pattern.search("within a window")


def test_the_rules_file_is_sound() -> None:
    assert rule_problems(load_rules(), load_catalog()) == []


GOOD_RULE = {
    "id": "no-thing",
    "step": "model",
    "severity": "warning",
    "missing": "No thing.",
    "why": "Things matter.",
    "add": "Add a thing.",
    "check": {"type": "field_present", "fields": ["model.loss"]},
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"check": {"type": "field_there", "fields": ["model.loss"]}}, "unknown check type"),
        ({"step": "modelling"}, "unknown step"),
        ({"severity": "fatal"}, "unknown severity"),
        ({"check": {"type": "kinds_present", "kinds": ["feature_shop"]}}, "unknown kind"),
        ({"check": {"type": "kinds_present", "kinds": ["$nowhere"]}}, "unknown kind"),
        ({"check": {"type": "mentions", "concept": "nothing", "in": ["data"]}}, "unknown concept"),
        ({"check": {"type": "field_present", "fields": ["model.lost"]}}, "unknown path"),
        ({"check": {"type": "mentions", "in": ["data"]}}, "needs `concept`"),
        ({"check": {"type": "path", "from": ["ranker"], "to": ["cache"], "via": []}}, "no `via`"),
        ({"missing": "No {component}."}, "does not provide"),
        ({"add": "Add a thing"}, "ending with a period"),
        ({"when": [{"type": "any_of", "checks": [{"type": "orphans"}]}]}, "needs `direction`"),
        ({"id": "No_Thing"}, "kebab-case"),
    ],
)
def test_a_bad_rule_is_a_test_failure(change: dict[str, object], problem: str) -> None:
    rules = rule_set({"rules": [{**GOOD_RULE, **change}]})
    assert rule_problems(rule_set({"rules": [GOOD_RULE]}), load_catalog()) == []
    assert any(problem in p for p in rule_problems(rules, load_catalog()))


def test_two_rules_with_one_id_and_unused_synonyms_are_reported() -> None:
    data = {"rules": [GOOD_RULE, GOOD_RULE], "concepts": {"spare": ["x"]}}
    problems = rule_problems(rule_set(data), load_catalog())
    assert "rule no-thing: the id is used twice" in problems
    assert "concept spare: no rule uses it" in problems


@pytest.mark.parametrize("path", case_studies(BLUEPRINTS), ids=lambda p: p.stem)
def test_the_bundled_gallery_passes_the_strict_review(path: Path) -> None:
    result = review(load(path, root=BLUEPRINTS))
    failing = [f for f in result.findings if f.severity != "info"]
    assert [str(f) for f in failing] == []
    assert not result.ignored, "the bundled gallery ignores no rule"
