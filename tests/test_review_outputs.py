"""Where the review shows: `archgen review` (text, JSON, exit codes), the narrative's
Review section, and the gallery card's badge."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import archgen.review.engine
from archgen.build import BuildOptions
from archgen.cli import main
from archgen.gallery.pages import card_for, write_index
from archgen.model import Blueprint
from archgen.narrate.narrative import narrate
from archgen.review.rules import load_rules
from tests.test_review import field, flows, strong

SPEC_EXAMPLE = Path(__file__).parent / "data" / "valid" / "spec-example.yaml"
FINDING_KEYS = {"file", "line", "col", "rule", "severity", "step", "message"}


def spec_example(tmp_path: Path, without: str = "") -> Path:
    """The spec's example (warnings only), optionally without the lines containing `without`."""
    lines = SPEC_EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "example.yaml"
    path.write_text("".join(line for line in lines if not without or without not in line))
    return path


def test_findings_are_editor_lines_with_a_summary_per_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = spec_example(tmp_path)
    assert main(["review", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"{path}: review: 7 warnings, 1 info"
    labels = 1 + path.read_text().splitlines().index(
        "  labels: Implicit (watch completion) and explicit (likes)."
    )
    # The finding points where the blueprint would say it: the data step's labels.
    expected = f"{path}:{labels}:3: warning: [position-bias] The system ranks"
    assert any(line.startswith(expected) for line in out)
    assert all(": [" in line for line in out[:-1])


def test_warnings_pass_by_default_and_fail_with_strict(tmp_path: Path) -> None:
    path = spec_example(tmp_path)
    assert main(["review", str(path)]) == 0
    assert main(["review", "--strict", str(path)]) == 1


def test_an_error_fails_without_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = spec_example(tmp_path, without="labels:")
    assert main(["review", str(path)]) == 1
    assert "error: [no-labels]" in capsys.readouterr().out


def test_a_clean_review_passes_even_with_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = load_rules()
    only = replace(rules, rules=tuple(r for r in rules.rules if r.id in {"no-baseline", "no-loss"}))
    monkeypatch.setattr(archgen.review.engine, "load_rules", lambda: only)
    assert main(["review", "--strict", str(spec_example(tmp_path))]) == 0
    assert capsys.readouterr().out.endswith("review: clean\n")


def test_json_lists_every_finding_of_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = spec_example(tmp_path)
    (tmp_path / "other").mkdir()
    second = spec_example(tmp_path / "other", without="baseline:")
    assert main(["review", "--format", "json", str(first), str(second)]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert len(findings) == 8 + 9
    assert all(set(f) == FINDING_KEYS for f in findings)
    baseline = next(f for f in findings if f["rule"] == "no-baseline")
    assert baseline["file"].endswith("other/example.yaml")
    assert (baseline["severity"], baseline["step"]) == ("warning", "model")
    assert isinstance(baseline["line"], int) and isinstance(baseline["col"], int)
    assert "baseline" in baseline["message"]


def test_an_invalid_blueprint_is_reported_as_validate_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("archgen: 1\ntitle: Broken\ncomponents: {a: no_such_kind}\n")
    assert main(["review", "--format", "json", str(broken)]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert f"{broken}:3:17: error: unknown kind 'no_such_kind'" in captured.err


def test_a_fragment_is_reviewed_with_the_blueprints_that_extend_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fragment = Path(__file__).parent.parent / "blueprints" / "lib" / "training.yaml"
    assert main(["review", "--strict", str(fragment)]) == 0
    assert "fragment, reviewed as part of each blueprint" in capsys.readouterr().out


def pages(tmp_path: Path, bp: Blueprint) -> tuple[str, str]:
    """The narrative of `bp`, without the format 1.1 fields the narrative does not show yet."""
    bp = field(field(bp, "requirements.estimates", None), "requirements.questions", None)
    narrate(
        replace(bp, review_ignore={"no-estimates": "In the notes.", **bp.review_ignore}), tmp_path
    )
    folder = tmp_path / "strong"
    return (folder / "README.md").read_text(), (folder / "index.html").read_text()


def test_the_narrative_ends_with_the_review_grouped_by_step(tmp_path: Path) -> None:
    bp = field(field(strong(), "data.labels", None), "model.baseline", None)
    markdown, html = pages(tmp_path, bp)
    review = markdown.split("## Review\n", 1)[1]
    assert markdown.index("## The architecture, step by step") < markdown.index("## Review")
    assert review.index("**Data**") < review.index("**Model**")
    assert "- *error* `no-labels`: The data step does not say where labels come from." in review
    section = html.split('<section class="review" id="review">', 1)[1]
    assert '<li class="error"><span class="severity">error</span> <code>no-labels</code>' in section
    assert section.index("<h3>Data</h3>") < section.index("<h3>Model</h3>")


def test_a_clean_review_says_there_is_nothing_to_add(tmp_path: Path) -> None:
    markdown, html = pages(tmp_path, strong())
    assert "*Nothing to add: the design review finds no gap" in markdown
    assert '<p class="lede">Nothing to add' in html


def test_the_narrative_lists_the_rules_left_out_and_why(tmp_path: Path) -> None:
    bp = replace(
        field(strong(), "model.baseline", None), review_ignore={"no-baseline": "A rule set."}
    )
    markdown, html = pages(tmp_path, bp)
    assert (
        "**Left out on purpose:**\n\n- `no-estimates`: In the notes.\n- `no-baseline`: A rule set.\n"
        in markdown
    )
    assert "<li><code>no-baseline</code>: A rule set.</li>" in html


def test_a_label_in_a_finding_stays_plain_text(tmp_path: Path) -> None:
    bp = flows(strong(), drop=("users -> events",))
    events = replace(bp.components["events"], label="*loud* [link](http://x)")
    markdown, html = pages(tmp_path, replace(bp, components={**bp.components, "events": events}))
    assert "No flow reaches \\*loud\\* \\[link\\](http://x)." in markdown
    assert "No flow reaches *loud* [link](http://x)." in html


@pytest.mark.parametrize(
    ("bp", "badge", "level"),
    [
        (strong(), "clean", "clean"),
        (replace(strong(), references=()), "1 info", "info"),
        (field(strong(), "data.labels", None), "1 error, 1 warning", "error"),
    ],
)
def test_each_gallery_card_carries_a_review_badge(
    tmp_path: Path, bp: object, badge: str, level: str
) -> None:
    card = card_for(bp, "strong.yaml", ["strong/index.html"], BuildOptions(), tmp_path)  # type: ignore[arg-type]
    assert (card.review, card.review_level) == (badge, level)
    write_index(tmp_path, [card], BuildOptions())
    html = (tmp_path / "index.html").read_text()
    assert f'<a class="review {level}" href="strong/index.html#review"' in html
    assert f"review: {badge}</a>" in html
    assert f"| {badge} |" in (tmp_path / "README.md").read_text()
