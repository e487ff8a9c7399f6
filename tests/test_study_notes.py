"""Format 1.1 study notes: how they load, where they are marked, and how they compose."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_compose import tree

from archgen.diagnostics import Mark
from archgen.errors import BlueprintError
from archgen.model import Reference, field_pairs
from archgen.parse.load import load

DATA = Path(__file__).parent / "data"
STUDY_NOTES = DATA / "valid" / "study-notes.yaml"
SPEC_EXAMPLE = DATA / "valid" / "spec-example.yaml"


def test_every_study_note_loads_into_the_model() -> None:
    bp = load(STUDY_NOTES)
    requirements = bp.step("requirements")
    assert requirements.value("questions") == (
        ("Is it real-time?", "Yes, within a second of a new watch."),
        ("Do we have explicit feedback (likes)?", ""),
        ("Peak QPS?", "100k, three times the average."),
    )
    assert requirements.value("estimates") == (
        ("Peak QPS", "2B DAU * 10 loads / 86,400 s * 3 = 700k"),
        ("Storage", "10B videos * 1 kB of features = 10 TB"),
    )
    model = bp.step("model")
    [quoted, gbdt, _] = field_pairs(model.value("tradeoffs"))
    assert quoted == ("Two towers: cheap retrieval over 10B videos, but no cross features.", "")
    assert gbdt[0] == "GBDT ranker" and gbdt[1].startswith("Strong on tabular")
    [new_video, end_to_end] = field_pairs(model.value("followups"))
    assert new_video[1].startswith("Content embeddings place it")
    assert end_to_end == ("Why not one model end to end?", "")
    assert bp.step("monitoring").value("followups") == (
        ("How would you detect feedback loops?", ""),
    )
    assert bp.references[1] == Reference(
        "https://www.oreilly.com/library/view/designing-machine-learning/9781098107956/",
        "Designing Machine Learning Systems",
        "Chapter 7, on model deployment.",
    )
    assert bp.references[0].title == "" and len(bp.references) == 3
    assert bp.review_ignore == {
        "no-baseline": "",
        "no-drift-monitoring": "Monitoring is out of scope for this exercise.",
    }


def test_a_version_1_file_has_no_notes_and_loads_as_before() -> None:
    bp = load(SPEC_EXAMPLE)
    assert bp.references == () and bp.review_ignore == {}
    questions = bp.step("requirements").value("questions")
    assert questions == (("Do we have explicit feedback (likes) as well as watches?", ""),)


def test_estimates_may_be_a_list_and_questions_one_text(tmp_path: Path) -> None:
    text = (
        "archgen: 1\ntitle: T\ncomponents: {users: client}\nrequirements:\n"
        "  estimates:\n    - 2B DAU * 10 loads / 86,400 s = 230k QPS\n    - 10 TB\n"
        "  questions: Is it real-time?\n"
    )
    requirements = load(tree(tmp_path, {"bp.yaml": text})).step("requirements")
    assert requirements.value("estimates") == ("2B DAU * 10 loads / 86,400 s = 230k QPS", "10 TB")
    assert requirements.value("questions") == (("Is it real-time?", ""),)


def test_marks_point_at_each_part_where_it_is_written() -> None:
    bp = load(STUDY_NOTES)
    at = {path: (mark.line, mark.col) for path, mark in bp.marks.items()}
    assert bp.marks[""] == Mark(STUDY_NOTES, 1, 1)
    assert at["requirements"] == (10, 1)
    assert at["requirements.questions"] == (13, 3)
    assert at["model.tradeoffs"] == (25, 3)
    assert at["components"] == (39, 1)
    assert at["components.ranker"] == (43, 3)
    assert at["references"] == (51, 1)
    assert at["review"] == (58, 1)
    assert at["review.ignore.no-drift-monitoring"] == (61, 7)
    assert bp.mark("model.loss", "model") == bp.marks["model"]
    assert bp.mark("framing.input") == bp.marks[""]


BASE = """archgen: 1
fragment: true
title: Base
groups: {serving: Serving}
components:
  users: client
  api: {kind: api_gateway, group: serving}
requirements:
  questions:
    - Is it real-time?
    - Do we have likes?: No, only watches.
  estimates: {Peak QPS: 100k, Storage: 1 TB}
model:
  tradeoffs: [GBDT]
references:
  - https://example.com/a
  - {title: B, url: "https://example.com/b"}
review:
  ignore: [no-baseline, {no-scale: later}]
"""

CHILD = """archgen: 1
extends: lib/base.yaml
requirements:
  questions:
    - Is it real-time?: Yes, within a second.
    - Do we have likes?
    - How many users?: 2B.
  estimates: {Storage: 10 TB, Bandwidth: 1 Gb/s}
model:
  tradeoffs:
    - GBDT: Fast to retrain.
    - Deep ranker
  followups: [Why not a deep ranker?]
references:
  - https://example.com/b
  - {title: A, url: "https://example.com/a", note: Now with a title.}
  - https://example.com/c
review:
  ignore: [{no-baseline: obvious here}, no-monitoring]
components:
  ranker: {kind: ranker, group: serving}
"""


@pytest.fixture
def composed(tmp_path: Path) -> Path:
    return tree(tmp_path, {"main.yaml": CHILD, "lib/base.yaml": BASE})


def test_lists_of_notes_append_and_a_later_answer_replaces_in_place(composed: Path) -> None:
    bp = load(composed)
    assert bp.step("requirements").value("questions") == (
        ("Is it real-time?", "Yes, within a second."),
        ("Do we have likes?", "No, only watches."),  # a bare repeat keeps the answer
        ("How many users?", "2B."),
    )
    assert bp.step("model").value("tradeoffs") == (
        ("GBDT", "Fast to retrain."),
        ("Deep ranker", ""),
    )
    assert bp.step("model").value("followups") == (("Why not a deep ranker?", ""),)
    assert bp.references == (
        Reference("https://example.com/a", "A", "Now with a title."),
        Reference("https://example.com/b", "B"),
        Reference("https://example.com/c"),
    )


def test_mappings_of_notes_merge_by_key(composed: Path) -> None:
    bp = load(composed)
    assert bp.step("requirements").value("estimates") == (
        ("Peak QPS", "100k"),
        ("Storage", "10 TB"),
        ("Bandwidth", "1 Gb/s"),
    )
    assert bp.review_ignore == {
        "no-baseline": "obvious here",
        "no-scale": "later",
        "no-monitoring": "",
    }


def test_marks_of_a_composed_blueprint_point_into_the_file_that_writes_the_part(
    composed: Path,
) -> None:
    bp = load(composed)
    base = composed.parent / "lib" / "base.yaml"
    assert bp.marks[""].file == composed
    assert bp.marks["requirements.questions"].file == composed
    assert bp.marks["components"].file == composed  # written in both: the later file's
    assert (bp.marks["groups.serving"].line, bp.marks["groups.serving"].col) == (4, 10)
    assert bp.marks["components.users"].line == 6
    assert bp.marks["groups.serving"].file == bp.marks["components.users"].file == base
    assert bp.marks["review.ignore.no-scale"] == Mark(base, 19, 26)
    assert bp.marks["review.ignore.no-monitoring"].file == composed


def test_an_error_in_an_inherited_note_points_into_the_fragment(tmp_path: Path) -> None:
    broken = BASE.replace("- https://example.com/a", "- javascript:alert(1)")
    main = tree(tmp_path, {"main.yaml": CHILD, "lib/base.yaml": broken})
    with pytest.raises(BlueprintError) as caught:
        load(main)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.mark.file.name == "base.yaml" and diagnostic.mark.line == 16
    assert "uses the scheme 'javascript:'" in diagnostic.message
