"""Graphviz failing, hanging or misbehaving: one line, exit 3, the whole output in a log.

A fake `dot` on PATH (a shell script) stands in for a Graphviz that fails with
hundreds of lines, sleeps, floods its output or writes garbage; archgen finds
`dot` on PATH as it finds the real one.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import fake_dot
from random_blueprints import MESSY, random_blueprint

import archgen
from archgen.build import FORMATS, BuildOptions, build
from archgen.cli import EXIT_GRAPHVIZ, main
from archgen.errors import (
    GraphvizBadOutput,
    GraphvizFailed,
    GraphvizMissing,
    first_message,
)
from archgen.layout import graphviz
from archgen.layout import search as layout
from archgen.render.diagrams import GRAPHVIZ_LOG, render

SPEC_EXAMPLE = Path(__file__).parent / "data" / "valid" / "spec-example.yaml"
# What Graphviz 2.43 writes on a 300-component blueprint with flows across 30
# groups: warnings first, then the error, then a line per rank it gave up on.
NOISE = (
    "cat > /dev/null\n"
    'for i in $(seq 1 60); do echo "Warning: c$i -> c$i: tail is inside head cluster" >&2; done\n'
    "echo 'Error: trouble in init_rank' >&2\n"
    "for i in $(seq 1 140); do printf '\\t%%0 %d\\n' $i >&2; done\n"
    "exit 1\n"
)


def render_cli(out: Path, *flags: str) -> int:
    return main(["render", str(SPEC_EXAMPLE), "-o", str(out), "--no-narrative", *flags])


def test_a_failing_graphviz_gives_one_line_exit_3_and_its_whole_output_in_a_log(
    tmp_path, monkeypatch, capsys
):
    fake_dot(tmp_path, monkeypatch, NOISE)
    out = tmp_path / "out"
    assert render_cli(out) == EXIT_GRAPHVIZ
    captured = capsys.readouterr()
    log = out / "video-recommendation" / GRAPHVIZ_LOG
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"archgen: error: Graphviz could not lay out {SPEC_EXAMPLE}: trouble in init_rank;"
        " hint: fewer flows to or from groups, or less nesting, let Graphviz rank them;"
        f" Graphviz's full output is in {log}"
    ]
    text = log.read_text()
    assert len(text.splitlines()) == 201 and "Error: trouble in init_rank" in text
    assert [p.name for p in log.parent.iterdir()] == [GRAPHVIZ_LOG]


def test_a_failing_graphviz_names_the_blueprint_in_an_export_too(tmp_path, monkeypatch, capsys):
    fake_dot(tmp_path, monkeypatch, NOISE)
    args = ["export", str(SPEC_EXAMPLE), "--to", "drawio", "-o", str(tmp_path / "x.drawio")]
    assert main(args) == EXIT_GRAPHVIZ
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"archgen: error: Graphviz could not lay out {SPEC_EXAMPLE}: ")


def test_verbose_shows_graphvizs_whole_output_after_the_line(tmp_path, monkeypatch, capsys):
    fake_dot(tmp_path, monkeypatch, NOISE)
    assert render_cli(tmp_path / "out", "--verbose") == EXIT_GRAPHVIZ
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("archgen: error: Graphviz could not lay out")
    assert lines[1] == "Graphviz's full output:"
    assert len(lines) == 2 + 201
    assert lines[2].startswith("Warning: c1 -> c1") and lines[-1] == "%0 140".join(["\t", ""])


def test_a_render_that_works_again_removes_the_old_log(tmp_path, monkeypatch, small_blueprint):
    real_path = os.environ["PATH"]
    fake_dot(tmp_path, monkeypatch, NOISE)
    with pytest.raises(GraphvizFailed):
        render(small_blueprint, tmp_path / "out", formats=("dot",))
    log = tmp_path / "out" / small_blueprint.id / GRAPHVIZ_LOG
    assert log.exists()
    monkeypatch.setenv("PATH", real_path)
    render(small_blueprint, tmp_path / "out", formats=("dot",))
    assert not log.exists()


def test_a_hung_dot_is_stopped_at_its_deadline(tmp_path, monkeypatch, capsys):
    fake_dot(tmp_path, monkeypatch, "exec sleep 60\n")
    monkeypatch.setenv(graphviz.TIMEOUT_ENV, "0.5")
    started = time.monotonic()
    assert render_cli(tmp_path / "out") == EXIT_GRAPHVIZ
    assert time.monotonic() - started < 20
    (line,) = capsys.readouterr().err.splitlines()
    assert f"could not lay out {SPEC_EXAMPLE} within 0.5 s" in line
    assert f"allow longer with {graphviz.TIMEOUT_ENV}=<seconds>" in line


def test_a_hung_dot_does_not_hang_a_gallery(tmp_path, monkeypatch, capsys):
    """The gallery's runs of `dot` have the same deadline as `render`'s."""
    folder = tmp_path / "blueprints"
    folder.mkdir()
    shutil.copy(SPEC_EXAMPLE, folder)
    fake_dot(tmp_path, monkeypatch, "exec sleep 60\n")
    monkeypatch.setenv(graphviz.TIMEOUT_ENV, "0.5")
    started = time.monotonic()
    args = ["gallery", str(folder), "-o", str(tmp_path / "out"), "--format", "svg", "-j", "1"]
    assert main([*args, "--no-steps", "-q"]) == EXIT_GRAPHVIZ
    assert time.monotonic() - started < 30
    (line,) = capsys.readouterr().err.splitlines()
    assert "within 0.5 s" in line


def test_the_deadline_has_a_default_and_ignores_a_setting_that_is_no_positive_number():
    assert graphviz.dot_timeout({}) == graphviz.DOT_TIMEOUT == 60
    for setting in ("soon", "0", "-5", ""):
        assert graphviz.dot_timeout({graphviz.TIMEOUT_ENV: setting}) == graphviz.DOT_TIMEOUT
    assert graphviz.dot_timeout({graphviz.TIMEOUT_ENV: "2.5"}) == 2.5


@pytest.mark.parametrize("stream", ["", ">&2"])
def test_a_flood_of_output_is_cut_at_the_limit(tmp_path, monkeypatch, stream):
    """Read as it comes and stopped at the limit: no MemoryError, no waiting for the end.
    This `dot` never reads its input either, and must not leave archgen writing to it."""
    fake_dot(tmp_path, monkeypatch, f"exec yes 'no svg here, just a flood' {stream}\n")
    monkeypatch.setattr(graphviz, "OUTPUT_LIMIT", 2**20)
    source = "digraph { " + "a -> b; " * 100_000 + "}"
    with pytest.raises(GraphvizBadOutput, match="over 1 MB, more than any diagram needs"):
        graphviz.run_dot(source)


@pytest.mark.parametrize(
    ("script", "said"),
    [
        ("cat > /dev/null\n", "is empty"),
        ("cat > /dev/null\nprintf 'garbage\\377\\000'\n", "is not UTF-8 text"),
        ("cat > /dev/null\necho 'just some text'\n", "is not a whole SVG document (syntax error"),
        ("cat > /dev/null\necho '<html><body/></html>'\n", "is a <html> document, not SVG"),
    ],
)
def test_unusual_output_is_a_clear_graphviz_error(tmp_path, monkeypatch, capsys, script, said):
    fake_dot(tmp_path, monkeypatch, script)
    assert render_cli(tmp_path / "out") == EXIT_GRAPHVIZ
    (line,) = capsys.readouterr().err.splitlines()
    assert f"Graphviz's output for {SPEC_EXAMPLE} {said}" in line
    assert "hint: check that the `dot` on PATH is Graphviz's" in line


def test_a_truncated_svg_is_caught_before_any_stage_reads_it(
    tmp_path, monkeypatch, small_blueprint
):
    whole = graphviz.run_dot("digraph { a -> b }")
    half = tmp_path / "half.svg"
    half.write_text(whole[: len(whole) // 2])
    fake_dot(tmp_path, monkeypatch, f"cat > /dev/null\ncat '{half}'\n")
    with pytest.raises(GraphvizBadOutput, match="not a whole SVG document"):
        render(small_blueprint, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_missing_graphviz_is_reported_with_how_to_install(small_blueprint, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(GraphvizMissing) as raised:
        render(small_blueprint, tmp_path)
    message = str(raised.value)
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    assert "\n" not in message
    assert not (tmp_path / "video-recommendation").exists()


def test_a_failure_keeps_its_exit_code_and_leaves_no_diagram(
    small_blueprint, tmp_path, monkeypatch
):
    fake_dot(tmp_path, monkeypatch, "echo 'Error: something broke' >&2\nexit 3\n")
    with pytest.raises(GraphvizFailed, match=r"could not lay out .*: something broke") as raised:
        render(small_blueprint, tmp_path / "out")
    assert raised.value.returncode == 3
    assert raised.value.output == "Error: something broke\n"
    folder = tmp_path / "out" / small_blueprint.id
    assert [p.name for p in folder.iterdir()] == [GRAPHVIZ_LOG]


def test_a_failure_without_a_message_says_the_exit_code(small_blueprint, tmp_path, monkeypatch):
    fake_dot(tmp_path, monkeypatch, "exit 7\n")
    with pytest.raises(GraphvizFailed, match="`dot` exited with code 7 and no message") as raised:
        render(small_blueprint, tmp_path / "out")
    assert raised.value.log is None
    assert not (tmp_path / "out").exists()


def test_invalid_dot_source_fails_loudly():
    with pytest.raises(GraphvizFailed, match="syntax error"):
        graphviz.run_dot("digraph { a -> }")


@pytest.mark.parametrize(
    ("stderr", "first"),
    [
        ("Warning: x\nError: trouble in init_rank\n\t%0 16\n", "trouble in init_rank"),
        ("Warning: only a warning\n", "Warning: only a warning"),
        ("Warning: w\nsyntax error in line 1 near '}'\n", "syntax error in line 1 near '}'"),
        ("\n\n", ""),
    ],
)
def test_the_first_meaningful_line_skips_warnings(stderr, first):
    assert first_message(stderr) == first


@pytest.mark.slow
def test_a_messy_blueprint_of_300_components_renders_in_every_format(tmp_path, monkeypatch):
    """300 components, 30 groups, flows at random: plain `dot` cannot rank it
    ("trouble in init_rank"), so a fallback must, with dot's work bounded."""
    path = tmp_path / "messy.yaml"
    path.write_text(random_blueprint(0, MESSY))
    blueprint = archgen.load(path)
    failures: list[str] = []
    real_run_dot = layout.run_dot

    def noting_failures(source: str) -> str:
        try:
            return real_run_dot(source)
        except GraphvizFailed as error:
            failures.append(str(error))
            raise

    monkeypatch.setattr(layout, "run_dot", noting_failures)
    # Without step views: every format, and the narrative, from the one layout.
    written = build(blueprint, tmp_path / "out", BuildOptions(formats=FORMATS, steps=False))
    assert any("trouble in init_rank" in failure for failure in failures)
    names = {p.name for p in written}
    assert {"messy.svg", "messy.png", "messy.dot", "README.md", "index.html"} <= names
    svg = (tmp_path / "out" / "messy" / "messy.svg").read_text()
    assert svg.count('class="node"') == len(blueprint.components) == 300
    assert svg.count('class="edge"') == len(blueprint.flows)
    source = (tmp_path / "out" / "messy" / "messy.dot").read_text()
    # The first fallback: `newrank`, with flows still ending at their groups' borders.
    assert 'newrank="true"' in source and "lhead=" in source
    assert 'nslimit="0.1"' in source
