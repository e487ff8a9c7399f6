"""`archgen cards`: flashcards from blueprints, as an Anki package or a CSV.

The package is opened as Anki would: a zip holding the SQLite collection
`collection.anki2`, a `media` index and the media files.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from study_notes import HOSTILE, SPEC_EXAMPLE, STUDY_NOTES, spec_example, with_study_notes

from archgen.cards import blueprint_cards, collect_blueprints, write_deck
from archgen.cards.anki import DECK_ID, FIELDS, MODEL_ID
from archgen.cli import EXIT_INVALID, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE, main
from archgen.parse.load import load
from archgen.render.diagrams import render

BLUEPRINTS = Path(__file__).parent.parent / "blueprints"


@pytest.fixture(scope="module")
def diagrams(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A rendered output folder holding the spec example's step diagrams."""
    out = tmp_path_factory.mktemp("diagrams")
    render(spec_example(), out, formats=("svg",))
    return out


def fronts(blueprint=None) -> dict[str, object]:
    cards = blueprint_cards(blueprint or with_study_notes(spec_example()))
    return {card.front: card.answer for card in cards}


def test_each_step_field_is_a_card_asking_for_it() -> None:
    cards = fronts()
    assert cards["Video Recommendation: Offline metrics?"] == ("Precision@k", "mAP", "Diversity")
    assert cards["Video Recommendation: Chosen model?"].startswith("Two-tower")
    assert "Video Recommendation: Scale?" in cards


def test_answered_questions_tradeoffs_and_follow_ups_are_cards_of_their_own() -> None:
    cards = fronts()
    question = "Do we have explicit feedback (likes) as well as watches? (clarifying question)"
    assert cards[f"Video Recommendation: {question}"] == "Yes, likes are logged."
    tradeoff = "Video Recommendation: Why choose Two-tower retrieval, or why not?"
    assert cards[tradeoff] == "Scales to billions of videos through an ANN index."
    follow_up = "Video Recommendation: How do you serve a **cold-start** user?"
    assert cards[follow_up] == f"Popular videos by region, {HOSTILE}."
    # Without an answer there is nothing to check oneself against: no card.
    assert not [f for f in cards if "only surface" in f or "times out" in f or "One deep" in f]


def test_guids_name_the_question_not_the_answer() -> None:
    before = {c.front: c.guid for c in blueprint_cards(with_study_notes(spec_example()))}
    edited = with_study_notes(
        spec_example(), {"model": {"tradeoffs": (("Two-tower retrieval", "Rewritten."),)}}
    )
    after = {c.front: c.guid for c in blueprint_cards(edited)}
    shared = before.keys() & after.keys()
    assert "Video Recommendation: Why choose Two-tower retrieval, or why not?" in shared
    assert all(before[front] == after[front] for front in shared)
    renamed = {c.guid for c in blueprint_cards(replace(spec_example(), id="other"))}
    assert not renamed & set(before.values())


def test_every_card_of_the_bundled_gallery_has_its_own_guid() -> None:
    cards = [c for bp in collect_blueprints([BLUEPRINTS]) for c in blueprint_cards(bp)]
    assert len(cards) > 18 * 15
    assert len({card.guid for card in cards}) == len(cards)


def read_package(path: Path, tmp_path: Path) -> tuple[sqlite3.Connection, dict[str, str], set[str]]:
    """The collection, the media index, and the names in the zip."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        media = json.loads(archive.read("media"))
        archive.extract("collection.anki2", tmp_path)
    return sqlite3.connect(tmp_path / "collection.anki2"), media, names


def test_the_package_holds_one_note_and_card_per_card_with_its_diagram(
    tmp_path: Path, diagrams: Path
) -> None:
    cards = blueprint_cards(with_study_notes(spec_example()))
    deck = tmp_path / "deck.apkg"
    write_deck(cards, deck, diagrams)
    db, media, names = read_package(deck, tmp_path)
    notes = db.execute("SELECT guid, flds, tags, mid FROM notes").fetchall()
    assert len(notes) == len(cards) == db.execute("SELECT count(*) FROM cards").fetchone()[0]
    assert {guid for guid, *_ in notes} == {card.guid for card in cards}
    assert {mid for *_, mid in notes} == {MODEL_ID}
    assert {did for (did,) in db.execute("SELECT did FROM cards")} == {DECK_ID}
    by_front = {flds.split("\x1f")[0]: flds.split("\x1f") for _, flds, _, _ in notes}
    assert all(len(fields) == len(FIELDS) for fields in by_front.values())
    _, back, diagram, title, step = by_front[
        "Video Recommendation: How do you serve a <strong>cold-start</strong> user?"
    ]
    assert "&lt;script&gt;" in back and "<script" not in back
    assert (title, step) == ("Video Recommendation", "Serving")
    assert diagram == '<img src="archgen-video-recommendation-step-6-serving.svg">'
    assert "archgen-video-recommendation-step-6-serving.svg" in media.values()
    assert set(media) <= names and len(media) == len(list(diagrams.rglob("step-*.svg")))


def test_two_runs_give_the_same_guids_and_ids(tmp_path: Path) -> None:
    cards = blueprint_cards(spec_example())
    seen = []
    for run in ("first", "second"):
        (tmp_path / run).mkdir()
        write_deck(cards, tmp_path / run / "deck.apkg")
        db, media, _ = read_package(tmp_path / run / "deck.apkg", tmp_path / run)
        assert media == {}  # no diagrams folder, no media
        guids = sorted(guid for (guid,) in db.execute("SELECT guid FROM notes"))
        models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
        seen.append((guids, sorted(models)))
    assert seen[0] == seen[1] and seen[0][1] == [str(MODEL_ID)]


def test_csv_has_a_row_per_card_with_the_markdown_as_written(tmp_path: Path) -> None:
    cards = blueprint_cards(with_study_notes(spec_example()))
    write_deck(cards, tmp_path / "deck.csv")
    with (tmp_path / "deck.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(cards)
    assert list(rows[0]) == ["guid", "blueprint", "step", "front", "back", "tags"]
    by_front = {row["front"]: row for row in rows}
    offline = by_front["Video Recommendation: Offline metrics?"]
    assert offline["back"] == "- Precision@k\n- mAP\n- Diversity"
    assert offline["tags"] == "video-recommendation evaluation"
    assert [row["guid"] for row in rows] == [card.guid for card in cards]


def test_the_command_writes_a_deck_from_folders_and_files(tmp_path: Path, diagrams: Path) -> None:
    folder = tmp_path / "blueprints"
    shutil.copytree(BLUEPRINTS / "lib", folder / "lib")  # fragments: no cards of their own
    shutil.copy(BLUEPRINTS / "payment-fraud.yaml", folder)
    args = ["cards", str(folder), str(SPEC_EXAMPLE), "-o", str(tmp_path / "deck.apkg")]
    assert main([*args, "--diagrams", str(diagrams)]) == EXIT_OK
    db, media, _ = read_package(tmp_path / "deck.apkg", tmp_path)
    tags = {tags.split()[0] for (tags,) in db.execute("SELECT tags FROM notes")}
    assert tags == {"payment-fraud", "video-recommendation"}
    assert media  # the spec example's diagrams; payment-fraud has none in that folder


def test_an_invalid_blueprint_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("archgen: 1\ntitle: Bad\ncomponents:\n  users: not_a_kind\n")
    out = tmp_path / "deck.apkg"
    assert main(["cards", str(bad), str(SPEC_EXAMPLE), "-o", str(out)]) == EXIT_INVALID
    assert not out.exists()


def test_two_blueprints_with_one_id_exit_1(tmp_path: Path) -> None:
    twin = tmp_path / "twin.yaml"
    twin.write_bytes(SPEC_EXAMPLE.read_bytes())
    assert main(["cards", str(twin), str(SPEC_EXAMPLE), "-o", str(tmp_path / "d.csv")]) == 1


@pytest.mark.parametrize(
    "extra", [["-o", "deck.txt"], ["-o", "deck.apkg", "--diagrams", "nowhere"], []]
)
def test_wrong_usage_exits_2(tmp_path: Path, extra: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        raise SystemExit(main(["cards", str(SPEC_EXAMPLE), *extra]))
    assert caught.value.code == EXIT_USAGE


def test_a_deck_that_cannot_be_written_exits_4(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    out = tmp_path / "file" / "deck.apkg"
    assert main(["cards", str(SPEC_EXAMPLE), "-o", str(out)]) == EXIT_OUTPUT


def test_study_notes_written_in_yaml_become_cards() -> None:
    cards = fronts(load(STUDY_NOTES))
    assert cards["Study notes: Is it real-time? (clarifying question)"].startswith("Yes")
    assert "Study notes: Why choose Deep ranker, or why not?" in cards
    assert "Study notes: How do you handle a new video?" in cards
    assert "Study notes: Estimates?" in cards
    assert not [front for front in cards if "end to end" in front or "feedback loops" in front]
