"""The command line: exit codes, messages, and what it writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archgen.build import BuildOptions, check_options
from archgen.cli import EXIT_GRAPHVIZ, EXIT_INVALID, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE, main

DATA = Path(__file__).parent / "data"
SPEC_EXAMPLE = DATA / "valid" / "spec-example.yaml"
BROKEN = DATA / "invalid" / "several-errors.yaml"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archgen", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SPEC_EXAMPLE)]) == EXIT_OK
    assert "ok (11 components, 13 flows)" in capsys.readouterr().out


def test_invalid_blueprint_exits_1_with_file_line_col_and_no_traceback() -> None:
    result = run("validate", str(BROKEN))
    assert result.returncode == EXIT_INVALID
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 5
    assert all(line.startswith(f"{BROKEN}:") and ": error: " in line for line in lines)


def test_missing_file_is_an_invalid_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no-such-file.yaml"]) == EXIT_INVALID
    assert "no-such-file.yaml:1:1: error: cannot read the file" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["render"],
        ["render", str(SPEC_EXAMPLE), "--flavor", "ibm"],
        ["render", str(SPEC_EXAMPLE), "--format", "gif"],
        ["render", str(SPEC_EXAMPLE), "--format", "dot"],
        ["gallery", "no-such-folder"],
        ["frobnicate"],
    ],
)
def test_wrong_usage_exits_2(args: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        raise SystemExit(main(args))
    assert caught.value.code == EXIT_USAGE


def test_render_writes_the_spec_outputs(tmp_path: Path) -> None:
    assert main(["render", str(SPEC_EXAMPLE), "-o", str(tmp_path), "--no-narrative"]) == EXIT_OK
    folder = tmp_path / "video-recommendation"
    for suffix in ("svg", "png", "dot"):
        assert (folder / f"video-recommendation.{suffix}").is_file()
    assert (folder / "step-6-serving.svg").is_file()


def test_the_gallery_writes_no_png_unless_asked(tmp_path: Path) -> None:
    """Its pages show SVG; PNGs would be most of its time and bytes for nothing shown."""
    folder = tmp_path / "blueprints"
    folder.mkdir()
    (folder / "spec.yaml").write_bytes(SPEC_EXAMPLE.read_bytes())
    assert main(["gallery", str(folder), "-o", str(tmp_path / "a"), "-q", "--no-steps"]) == EXIT_OK
    written = {p.suffix for p in (tmp_path / "a" / "video-recommendation").iterdir()}
    assert {".svg", ".dot", ".md", ".html"} <= written and ".png" not in written
    args = ["gallery", str(folder), "-o", str(tmp_path / "b"), "-q", "--no-steps"]
    assert main([*args, "--format", "svg,png,dot"]) == EXIT_OK
    assert (tmp_path / "b" / "video-recommendation" / "video-recommendation.png").is_file()


def test_render_formats_and_no_steps(tmp_path: Path) -> None:
    args = ["render", str(SPEC_EXAMPLE), "-o", str(tmp_path), "--format", "svg", "--no-steps"]
    assert main([*args, "--no-narrative"]) == EXIT_OK
    assert sorted(p.name for p in (tmp_path / "video-recommendation").iterdir()) == [
        "video-recommendation.svg"
    ]


def test_missing_graphviz_says_how_to_install_it(tmp_path: Path) -> None:
    result = run("render", str(SPEC_EXAMPLE), "-o", str(tmp_path), env={"PATH": str(tmp_path)})
    assert result.returncode == EXIT_GRAPHVIZ
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "install Graphviz" in result.stderr and "apt-get install graphviz" in result.stderr


def test_a_fragment_validates_as_skipped_and_does_not_render(tmp_path: Path) -> None:
    fragment = tmp_path / "part.yaml"
    fragment.write_text("archgen: 1\nfragment: true\ncomponents:\n  users: client\n")
    assert main(["validate", str(fragment)]) == EXIT_OK
    assert main(["render", str(fragment), "-o", str(tmp_path / "out")]) == EXIT_INVALID
    assert not (tmp_path / "out").exists()


def test_new_writes_a_starter_that_renders(tmp_path: Path) -> None:
    target = tmp_path / "my-system"
    assert main(["new", str(target)]) == EXIT_OK
    written = tmp_path / "my-system.yaml"
    assert written.read_text().startswith("# yaml-language-server: $schema=")
    assert main(["render", str(written), "-o", str(tmp_path / "out"), "--no-narrative"]) == EXIT_OK
    assert main(["new", str(target)]) == EXIT_USAGE  # never overwrites by surprise


def test_new_from_a_blueprint_extends_it(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_bytes(SPEC_EXAMPLE.read_bytes())
    assert main(["new", str(tmp_path / "mine"), "--from", str(base)]) == EXIT_OK
    text = (tmp_path / "mine.yaml").read_text()
    assert "extends: base.yaml" in text
    assert main(["validate", str(tmp_path / "mine.yaml")]) == EXIT_OK


def test_help_explains_every_command() -> None:
    result = run("--help")
    for command in ("validate", "review", "render", "gallery", "new", "catalog"):
        assert command in result.stdout
    assert "exit codes" in result.stdout
    last_line = result.stdout.rstrip().splitlines()[-1]
    assert "docs/format.md" in last_line
    assert (Path(__file__).parent.parent / "docs" / "format.md").is_file()


def test_an_unwritable_output_folder_exits_4_not_a_traceback(tmp_path: Path) -> None:
    """A path below a regular file cannot be written, even by root (chmod would not stop it)."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("render", str(SPEC_EXAMPLE), "-o", str(blocker / "out"), "--format", "svg")
    assert result.returncode == EXIT_OUTPUT
    target = blocker / "out" / "video-recommendation" / "video-recommendation.svg"
    assert result.stderr == f"archgen: error: cannot write {target}: Not a directory\n"


@pytest.mark.parametrize(
    "args",
    [
        ["catalog", "--html", "{blocker}/catalog.html"],
        ["new", "{blocker}/mine"],
        ["gallery", str(DATA / "valid"), "-o", "{blocker}", "--format", "svg"],
    ],
)
def test_every_command_exits_4_when_it_cannot_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main([arg.format(blocker=blocker) for arg in args]) == EXIT_OUTPUT
    assert capsys.readouterr().err.startswith("archgen: error: cannot write")
    assert blocker.read_text() == "not a folder"


def test_usage_errors_name_the_flags_to_change(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["render", str(SPEC_EXAMPLE), "--format", "gif", "--templates", "no-such-folder"]
    assert main(args) == EXIT_USAGE
    assert capsys.readouterr().err.splitlines() == [
        "archgen: error: --format: unknown format 'gif' (choose from svg, png, dot, mermaid, drawio)",
        "archgen: error: --format, --no-narrative: the narrative shows the diagrams,"
        " so it needs svg or png among the formats",
        "archgen: error: --templates: no-such-folder is not a folder",
    ]


def test_the_library_states_option_problems_in_its_own_terms() -> None:
    problems = check_options(BuildOptions(formats=("dot", "gif")))
    assert [(p.fields, p.message) for p in problems] == [
        (("formats",), "unknown format 'gif' (choose from svg, png, dot, mermaid, drawio)"),
        (
            ("formats", "narrative"),
            "the narrative shows the diagrams, so it needs svg or png among the formats",
        ),
    ]


CUT_LABELS = DATA / "warnings" / "label-cut-by-comment.yaml"


def test_a_label_cut_short_by_a_comment_is_a_warning_with_its_place() -> None:
    result = run("validate", str(CUT_LABELS))
    assert result.returncode == EXIT_OK
    warnings = result.stderr.strip().splitlines()
    assert warnings == [
        f"{CUT_LABELS}:10:22: warning: the flow label ends at 'requests': YAML reads"
        " '# per second' as a comment (if it belongs to the label, quote the label)",
        f"{CUT_LABELS}:12:36: warning: the flow label ends at 'top 10': YAML reads"
        " '# results' as a comment (if it belongs to the label, quote the label)",
    ]


def test_render_shows_the_warnings_too(tmp_path: Path) -> None:
    result = run("render", str(CUT_LABELS), "-o", str(tmp_path), "--format", "svg")
    assert result.returncode == EXIT_OK
    assert result.stderr.count(": warning: the flow label ends at") == 2
