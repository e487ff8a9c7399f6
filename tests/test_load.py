"""Loading valid blueprints into the typed model."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from archgen.cli import EXIT_OK, main
from archgen.errors import BlueprintError
from archgen.format import FILE_BYTES, STEP_NAMES
from archgen.model import Flow
from archgen.parse.load import FragmentError, load

DATA = Path(__file__).parent / "data"
SPEC_EXAMPLE = DATA / "valid" / "spec-example.yaml"


def write(tmp_path: Path, text: str, name: str = "bp.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = "archgen: 1\ntitle: T\ncomponents:\n  users: client\n  events: event_stream\n"


def test_spec_example_becomes_the_model() -> None:
    bp = load(SPEC_EXAMPLE)
    assert bp.id == "video-recommendation"
    assert bp.flavor == "onprem" and bp.direction == "LR"
    assert list(bp.components)[:3] == ["users", "api", "events"]
    assert bp.components["users"].label == "Viewers"
    assert bp.components["monitor"].kind == "monitoring"
    assert bp.components["api"].label  # the kind's label by default
    assert bp.components["registry"].tech == "mlflow"
    assert [s.name for s in bp.steps] == list(STEP_NAMES)
    # the chain api -> candidates -> ranker -> rerank is three edges
    assert Flow("api", "candidates") in bp.flows
    assert Flow("candidates", "ranker") in bp.flows
    assert Flow("registry", "ranker", "deploy", "dashed") in bp.flows
    assert Flow("users", "events", "watches, likes") in bp.flows
    assert len(bp.flows) == 13
    assert bp.step("serving").focus == ("api", "candidates", "ranker", "rerank")
    scale = dict(bp.step("requirements").fields)["scale"]
    assert scale == (("Daily active users", "2B"), ("Videos", "10B"), ("Peak QPS", "100k"))


def test_text_stays_text_as_written(tmp_path: Path) -> None:
    bp = load(
        write(
            tmp_path,
            MINIMAL
            + "summary: yes\ntags: [on, 3.10, 2024-05-01]\n"
            + "requirements:\n  scale: {Users: 1_000, Ratio: 0.50}\n"
            + "  questions: [Is it real-time?]\n",
        )
    )
    assert bp.summary == "yes"
    assert bp.tags == ("on", "3.10", "2024-05-01")
    fields = dict(bp.step("requirements").fields)
    assert fields["scale"] == (("Users", "1_000"), ("Ratio", "0.50"))
    assert fields["questions"] == (("Is it real-time?", ""),)  # a pairs field: no answer


def test_id_defaults_to_the_file_stem(tmp_path: Path) -> None:
    assert load(write(tmp_path, MINIMAL, "My Cool_System v2.yaml")).id == "my-cool-system-v2"


def test_later_duplicate_edge_replaces_label_and_style(tmp_path: Path) -> None:
    bp = load(
        write(
            tmp_path,
            MINIMAL
            + "flows:\n  - users -> events: first\n  - users <-> events\n"
            + "  - {from: users, to: events, label: second, style: bold}\n"
            + "  - events <-> users: swapped\n",
        )
    )
    assert bp.flows == (
        Flow("users", "events", "second", "bold"),
        Flow("users", "events", "swapped", "solid", two_way=True),
    )


def test_default_focus_follows_catalog_steps_and_empty_focus_means_none(tmp_path: Path) -> None:
    bp = load(write(tmp_path, MINIMAL + "data:\n  focus: []\n"))
    assert bp.step("data").focus == ()
    events_step = bp.components["events"].step
    if events_step != "data":
        assert "events" in bp.step(events_step).focus


def test_group_focus_means_nested_members(tmp_path: Path) -> None:
    text = (
        "archgen: 1\ntitle: T\ngroups:\n  outer: Outer\n  inner: {label: Inner, parent: outer}\n"
        "components:\n  users: client\n  a: {kind: event_stream, group: inner}\n"
        "  b: {kind: event_stream, group: outer}\nserving:\n  focus: [outer]\n"
    )
    bp = load(write(tmp_path, text))
    assert bp.step("serving").focus == ("a", "b")
    assert bp.group_members("outer") == ("a", "b")


def test_empty_group_is_not_drawn(tmp_path: Path) -> None:
    bp = load(write(tmp_path, MINIMAL + "groups:\n  lonely: Lonely\n"))
    assert "lonely" not in bp.groups


def test_a_fragment_is_not_loaded_on_its_own(tmp_path: Path) -> None:
    with pytest.raises(FragmentError):
        load(write(tmp_path, "archgen: 1\nfragment: true\ncomponents:\n  users: client\n"))


def test_a_fragment_flag_written_as_any_yaml_true_marks_a_fragment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`fragment: True` passes validation as a boolean, so composition must read it as one."""
    fragment = DATA / "fragments" / "capital-true.yaml"
    with pytest.raises(FragmentError):
        load(fragment)
    assert main(["validate", str(fragment)]) == EXIT_OK
    assert "missing `title`" not in capsys.readouterr().err


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    start = time.process_time()
    with pytest.raises(BlueprintError) as caught:
        load(path)
    assert time.process_time() - start < 5  # expanded, it would be 10**10 nodes
    assert any("alias" in d.message for d in caught.value.diagnostics)


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, "archgen: 1\n# " + "x" * (FILE_BYTES.value + 10) + "\n")
    with pytest.raises(BlueprintError) as caught:
        load(path)
    assert "at most" in caught.value.diagnostics[0].message


def test_blueprint_outside_root_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL, "elsewhere/bp.yaml")
    (tmp_path / "root").mkdir()
    with pytest.raises(BlueprintError, match="outside the root"):
        load(path, root=tmp_path / "root")


def test_warnings_travel_with_the_blueprint_and_with_errors(tmp_path):
    text = "archgen: 1\ntitle: T\ncomponents:\n  a: client\n  b: ranker\nflows:\n"
    good = tmp_path / "good.yaml"
    good.write_text(text + "  - a -> b: top 10 # results\n")
    (warning,) = load(good).warnings
    assert (warning.severity, warning.mark.line, warning.mark.col) == ("warning", 7, 20)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text + "  - a -> b: top 10 # results\n  - a -> nowhere\n")
    with pytest.raises(BlueprintError) as raised:
        load(bad)
    assert [d.severity for d in raised.value.diagnostics] == ["warning", "error"]
