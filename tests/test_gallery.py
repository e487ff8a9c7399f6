"""`archgen gallery`: every blueprint of a folder, incrementally, in parallel, with an index."""

from __future__ import annotations

import json
import multiprocessing
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from conftest import fake_dot
from markupsafe import escape

import archgen
import archgen.catalog
import archgen.gallery.cache
import archgen.gallery.pool
import archgen.gallery.workers
import archgen.layout.search
from archgen.build import BuildOptions
from archgen.cli import EXIT_GRAPHVIZ, EXIT_INVALID, EXIT_OK, EXIT_OUTPUT, main
from archgen.diagnostics import Diagnostic, Mark
from archgen.errors import BlueprintError, GraphvizFailed
from archgen.gallery import GalleryReport, render_gallery
from archgen.gallery.cache import CACHE_NAME
from archgen.gallery.environment import package_digest
from archgen.gallery.pages import featured_tags
from archgen.narrate.text import plain_markdown

BLUEPRINTS = Path(__file__).parent.parent / "blueprints"
SVG_ONLY = BuildOptions(formats=("svg",), steps=False)
FAST = ["--format", "svg", "--no-steps", "-j", "1"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def minimal(title: str = "T", extra: str = "") -> str:
    return (
        f"archgen: 1\ntitle: {title}\n{extra}"
        "components:\n  users: client\n  api: api_gateway\nflows:\n  - users -> api\n"
    )


FRAGMENT = "archgen: 1\nfragment: true\ncomponents:\n  store: feature_store\n"
EXTENDS_FRAGMENT = (
    "archgen: 1\ntitle: {title}\nextends: lib/base.yaml\n"
    "components:\n  users: client\nflows:\n  - users -> store\n"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three blueprints, two of them built on one fragment, and the fragment itself."""
    src = tmp_path / "src"
    write(src / "lib" / "base.yaml", FRAGMENT)
    write(src / "alpha.yaml", EXTENDS_FRAGMENT.format(title="Alpha"))
    write(src / "beta.yaml", EXTENDS_FRAGMENT.format(title="Beta"))
    write(src / "gamma.yaml", minimal("Gamma"))
    return src


def gallery(folder: Path, out: Path, options: BuildOptions = SVG_ONLY) -> GalleryReport:
    return render_gallery(folder, out, options, jobs=1)


def snapshot(out: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time of every file: a rewrite changes at least one."""
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {name for name in after if before.get(name) != after[name]}


# -- what gets rendered -------------------------------------------------


def test_renders_every_blueprint_recursively_and_skips_fragments(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src / "lib" / "base.yaml", FRAGMENT)
    write(src / "top.yaml", minimal("Top"))
    nested = EXTENDS_FRAGMENT.format(title="Nested").replace("lib/", "../../lib/")
    write(src / "deep" / "er" / "nested.yaml", nested)
    write(src / ".hidden" / "ignored.yaml", minimal("Ignored"))
    out = tmp_path / "out"
    report = gallery(src, out)
    assert report.ok, report.errors
    assert sorted(report.rendered) == ["deep/er/nested.yaml", "top.yaml"]
    assert report.fragments == ["lib/base.yaml"]
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["nested", "top"]
    assert (out / "nested" / "nested.svg").is_file()
    assert [card.title for card in report.cards] == ["Nested", "Top"]


def test_cli_defaults_to_the_blueprints_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "blueprints" / "one.yaml", minimal("One"))
    monkeypatch.chdir(tmp_path)
    assert main(["gallery", "-o", "out", *FAST]) == EXIT_OK
    assert (tmp_path / "out" / "one" / "one.svg").is_file()
    assert "1 rendered, 0 unchanged" in capsys.readouterr().out


def test_flavor_option_changes_the_icons_and_re_renders(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    generic = (out / "gamma" / "gamma.svg").read_text()
    report = gallery(folder, out, BuildOptions(formats=("svg",), steps=False, flavor="aws"))
    assert sorted(report.rendered) == ["alpha.yaml", "beta.yaml", "gamma.yaml"]
    assert (out / "gamma" / "gamma.svg").read_text() != generic


def test_cli_accepts_flavor_and_jobs(folder: Path, tmp_path: Path) -> None:
    args = ["gallery", str(folder), "-o", str(tmp_path / "out"), "--flavor", "aws", "-j", "2"]
    assert main([*args, "--format", "svg", "--no-steps", "-q"]) == EXIT_OK
    assert (tmp_path / "out" / "alpha" / "alpha.svg").is_file()


class _RecordingPool(archgen.gallery.pool.Pool):
    sizes: list[int] = []  # noqa: RUF012 (a record shared by the test and the class)

    def __init__(self, size: int, work) -> None:  # type: ignore[no-untyped-def]
        self.sizes.append(size)
        super().__init__(size, work)


@pytest.mark.parametrize(("jobs", "pools"), [(None, [3]), (2, [2]), (1, [])])
def test_parallel_by_default(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    jobs: int | None,
    pools: list[int],
) -> None:
    """Without -j every core works, up to one worker per blueprint; -j 1 stays in process."""
    monkeypatch.setattr(archgen.gallery.pool, "Pool", _RecordingPool)
    monkeypatch.setattr(_RecordingPool, "sizes", [])
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    report = render_gallery(folder, tmp_path / "out", SVG_ONLY, jobs=jobs)
    assert len(report.rendered) == 3
    assert _RecordingPool.sizes == pools


# -- progress -----------------------------------------------------------


def test_progress_is_one_plain_line_per_blueprint_on_stderr_when_not_a_terminal(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Progress goes to stderr, so stdout carries only the result: the summary."""
    assert main(["gallery", str(folder), "-o", str(tmp_path / "out"), *FAST]) == EXIT_OK
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0] == "rendering 3 blueprints"
    assert [re.sub(r" \(\d+\.\ds\)$", "", line) for line in lines[1:]] == [
        "[1/3] alpha.yaml",
        "[2/3] beta.yaml",
        "[3/3] gamma.yaml",
    ]
    assert captured.out.splitlines() == [
        f"gallery: 3 rendered, 0 unchanged; index at {tmp_path / 'out' / 'index.html'}"
    ]
    assert "\r" not in captured.err


def test_quiet_prints_nothing_but_errors(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(folder / "broken.yaml", "archgen: 1\ntitle: Broken\ncomponents: {}\nflows: [a -> b]\n")
    args = ["gallery", str(folder), "-o", str(tmp_path / "out"), "--quiet", *FAST]
    assert main(args) == EXIT_INVALID
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{folder / 'broken.yaml'}:")


def test_progress_is_a_bar_when_stderr_is_a_terminal(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "archgen", "gallery", str(folder), "-o", str(out), *FAST]
    shown, printed = run_on_terminal(command)
    assert re.search(r"rendering ━+ 3/3 [0-9:]+ gamma\.yaml", shown), shown
    assert "[1/3] alpha.yaml (" not in shown
    assert printed.startswith("gallery: 3 rendered")
    assert "━" not in printed
    # A second run has nothing to draw, and shows no bar.
    shown, printed = run_on_terminal(command)
    assert shown == "" and printed.startswith("gallery: 0 rendered, 3 unchanged")


def test_quiet_shows_no_bar_on_a_terminal(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "archgen", "gallery", str(folder), "-o", str(out), *FAST]
    assert run_on_terminal([*command, "--quiet"]) == ("", "")


# Colours, cursor moves and line erasing: what a terminal acts on, and a test reads past.
ANSI_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_on_terminal(command: list[str]) -> tuple[str, str]:
    """What a command writes to a pseudo-terminal, which it sees as stderr, and to stdout."""
    main_fd, child_fd = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=child_fd, env=env, text=True)
    os.close(child_fd)
    chunks = []
    while True:
        try:
            chunk = os.read(main_fd, 4096)
        except OSError:  # the terminal closes when the command exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main_fd)
    printed = process.stdout.read() if process.stdout else ""
    shown = ANSI_CODES.sub("", b"".join(chunks).decode().replace("\r\n", "\n"))
    assert process.wait(timeout=60) == EXIT_OK, shown
    return shown, printed


# -- incremental --------------------------------------------------------


def test_second_run_rewrites_nothing(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["gallery", str(folder), "-o", str(out), *FAST]) == EXIT_OK
    before = snapshot(out)
    capsys.readouterr()
    assert main(["gallery", str(folder), "-o", str(out), *FAST]) == EXIT_OK
    assert snapshot(out) == before
    assert "gallery: 0 rendered, 3 unchanged" in capsys.readouterr().out


def test_changing_a_blueprint_re_renders_only_that_blueprint(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    before = snapshot(out)
    write(folder / "gamma.yaml", minimal("Gamma, revised"))
    report = gallery(folder, out)
    assert report.rendered == ["gamma.yaml"]
    assert sorted(report.unchanged) == ["alpha.yaml", "beta.yaml"]
    rewritten = changed(before, snapshot(out))
    assert not any(name.startswith(("alpha/", "beta/")) for name in rewritten)
    assert "gamma/gamma.svg" in rewritten
    assert "Gamma, revised" in (out / "index.html").read_text()


def test_changing_a_fragment_re_renders_the_blueprints_that_extend_it(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    before = snapshot(out)
    write(folder / "lib" / "base.yaml", FRAGMENT.replace("feature_store", "vector_index"))
    report = gallery(folder, out)
    assert sorted(report.rendered) == ["alpha.yaml", "beta.yaml"]
    assert report.unchanged == ["gamma.yaml"]
    assert not any(name.startswith("gamma/") for name in changed(before, snapshot(out)))


def test_touching_a_file_without_changing_it_re_renders_nothing(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    later = time.time() + 10
    for path in folder.rglob("*.yaml"):
        os.utime(path, (later, later))
    assert gallery(folder, out).rendered == []


def test_changing_a_user_template_re_renders(folder: Path, tmp_path: Path) -> None:
    templates = write(tmp_path / "templates" / "narrative.md.j2", "# {{ title }}\n").parent
    options = BuildOptions(formats=("svg",), steps=False, templates=templates)
    out = tmp_path / "out"
    gallery(folder, out, options)
    assert gallery(folder, out, options).rendered == []
    write(templates / "narrative.md.j2", "# {{ title }}, told briefly\n")
    assert len(gallery(folder, out, options).rendered) == 3
    assert (out / "gamma" / "README.md").read_text() == "# Gamma, told briefly\n"


def test_changing_a_gallery_template_rewrites_only_the_index(folder: Path, tmp_path: Path) -> None:
    templates = write(
        tmp_path / "templates" / "gallery.md.j2", "{{ cards | length }} cards\n"
    ).parent
    options = BuildOptions(formats=("svg",), steps=False, templates=templates)
    out = tmp_path / "out"
    gallery(folder, out, options)
    write(templates / "gallery.md.j2", "{{ cards | length }} case studies\n")
    assert gallery(folder, out, options).rendered == []
    assert (out / "README.md").read_text() == "3 case studies\n"


def test_changing_the_catalog_re_renders(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = copy_of_the_package(tmp_path)
    monkeypatch.setattr(archgen, "__file__", str(package / "__init__.py"))
    out = tmp_path / "out"
    gallery(folder, out)
    edited = package / "catalog.yaml"
    edited.write_text(edited.read_text().replace("label: Client", "label: Caller", 1))
    monkeypatch.setattr(archgen.catalog, "CATALOG_FILE", edited)
    archgen.catalog.load_catalog.cache_clear()
    try:
        report = gallery(folder, out)
    finally:
        archgen.catalog.load_catalog.cache_clear()
    assert len(report.rendered) == 3


def copy_of_the_package(tmp_path: Path) -> Path:
    package = tmp_path / "package" / "archgen"
    source = Path(archgen.__file__).parent
    shutil.copytree(source, package, ignore=shutil.ignore_patterns("__pycache__"))
    return package


def test_a_change_in_any_module_of_the_package_re_renders(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Subpackages included: the cache hashes the code as found on disk."""
    package = copy_of_the_package(tmp_path)
    monkeypatch.setattr(archgen, "__file__", str(package / "__init__.py"))
    out = tmp_path / "out"
    gallery(folder, out)
    assert gallery(folder, out).rendered == []
    module = package / "gallery" / "workers.py"
    module.write_text(module.read_text() + "\n# an edit\n")
    assert len(gallery(folder, out).rendered) == 3


def test_the_package_digest_covers_every_file_below_the_package(tmp_path: Path) -> None:
    """Modules and data alike: the catalog and the review rules change outputs too."""
    package = copy_of_the_package(tmp_path)
    before = package_digest(package)
    files = sorted(p for p in package.rglob("*") if p.is_file())
    assert {"catalog.yaml", "rules.yaml"} <= {p.name for p in files}
    for file in files:
        data, status = file.read_bytes(), file.stat()
        file.write_bytes(data + b"\n")
        assert package_digest(package) != before, file
        file.write_bytes(data)
        os.utime(file, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert package_digest(package) == before
    write(package / "gallery" / "nested" / "new.py", "")
    assert package_digest(package) != before
    (package / "gallery" / "nested" / "new.py").unlink()
    write(package / "__pycache__" / "stale.pyc", "compiled")
    assert package_digest(package) == before
    edited = package / "catalog.yaml"
    edited.write_bytes(edited.read_bytes().replace(b"label: Client", b"label: Caller", 1))
    assert package_digest(package) != before  # as long as before, but written since


def test_a_run_with_nothing_to_redraw_reads_a_shared_fragment_once(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    read: Counter[str] = Counter()
    real = archgen.gallery.cache.file_digest

    def counted(path: Path) -> str:
        read[path.name] += 1
        return real(path)

    monkeypatch.setattr(archgen.gallery.cache, "file_digest", counted)
    assert gallery(folder, out).rendered == []
    assert read == {"base.yaml": 1, "alpha.yaml": 1, "beta.yaml": 1, "gamma.yaml": 1}


def test_another_graphviz_re_renders(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Known by the `dot` file on PATH: an upgrade replaces it, another install moves it."""
    real = shutil.which("dot")
    dot = fake_dot(tmp_path, monkeypatch, f'exec {real} "$@"\n')
    out = tmp_path / "out"
    gallery(folder, out)
    assert gallery(folder, out).rendered == []
    dot.write_text(f'#!/bin/sh\n# Graphviz, upgraded\nexec {real} "$@"\n')
    assert len(gallery(folder, out).rendered) == 3


def test_a_new_archgen_version_re_renders(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    monkeypatch.setattr(archgen, "__version__", "99.0.0")
    assert len(gallery(folder, out).rendered) == 3
    assert "archgen 99.0.0" in (out / "index.html").read_text()


def test_a_deleted_output_is_rendered_again(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    (out / "beta" / "beta.svg").unlink()
    assert gallery(folder, out).rendered == ["beta.yaml"]
    assert (out / "beta" / "beta.svg").is_file()


def test_force_renders_everything(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    assert len(render_gallery(folder, out, SVG_ONLY, jobs=1, force=True).rendered) == 3


@pytest.mark.parametrize(
    "damage",
    [
        "",
        "{",
        "[]",
        "null",
        '{"env": 1, "blueprints": []}',
        "truncate",
        "bad entries",
        "deeply nested",
    ],
)
def test_a_damaged_cache_means_a_full_render(
    folder: Path, tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    cache = out / CACHE_NAME
    text = cache.read_text()
    if damage == "truncate":
        damage = text[: len(text) // 2]
    elif damage == "deeply nested":  # past the JSON reader's recursion limit
        damage = "[" * 100_000 + "]" * 100_000
    elif damage == "bad entries":
        data = json.loads(text)
        data["blueprints"] = {
            "alpha.yaml": {"deps": 3},
            "beta.yaml": {"id": "beta", "deps": {"beta.yaml": "x"}},
            "gamma.yaml": "gamma",
        }
        damage = json.dumps(data)
    cache.write_text(damage)
    args = ["gallery", str(folder), "-o", str(out), *FAST]
    assert main(args) == EXIT_OK
    captured = capsys.readouterr()
    assert "gallery: 3 rendered, 0 unchanged" in captured.out
    assert "error" not in captured.err
    assert main(args) == EXIT_OK
    assert "gallery: 0 rendered, 3 unchanged" in capsys.readouterr().out


# -- failures -----------------------------------------------------------


def test_one_bad_blueprint_does_not_stop_the_others(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(folder / "bad.yaml", minimal("Bad").replace("users -> api", "users -> nowhere"))
    out = tmp_path / "out"
    assert main(["gallery", str(folder), "-o", str(out), *FAST]) == EXIT_INVALID
    captured = capsys.readouterr()
    for ident in ("alpha", "beta", "gamma"):
        assert (out / ident / f"{ident}.svg").is_file()
    assert not (out / "bad").exists()
    progress = re.compile(r"rendering \d+ blueprints|\[\d/3\] ")
    errors = [line for line in captured.err.splitlines() if not progress.match(line)]
    assert errors
    assert all(re.match(rf"{re.escape(str(bad))}:\d+:\d+: error: ", line) for line in errors)
    assert "nowhere" in captured.err
    assert "3 rendered, 0 unchanged, 1 error" in captured.out
    assert "Traceback" not in captured.err


def test_errors_are_reported_again_on_every_run(folder: Path, tmp_path: Path) -> None:
    write(folder / "bad.yaml", "archgen: 1\ntitle: [\n")
    out = tmp_path / "out"
    assert len(gallery(folder, out).errors) == 1
    report = gallery(folder, out)
    assert report.rendered == []
    assert len(report.errors) == 1


def test_an_output_that_cannot_be_written_is_reported_with_its_file(
    folder: Path, tmp_path: Path
) -> None:
    """A blueprint that loads but cannot be written still lets the others render."""
    out = tmp_path / "out"
    write(out / "beta", "a file where beta's folder goes")
    report = gallery(folder, out)
    assert sorted(report.rendered) == ["alpha.yaml", "gamma.yaml"]
    [error] = report.errors
    assert error.mark == Mark(folder / "beta.yaml", 1, 1)
    assert error.message == (
        f"cannot write {out / 'beta' / 'beta.svg'}: {out / 'beta'} is a file, not a folder"
    )
    assert report.exit_code == EXIT_OUTPUT


def test_an_unwritable_blueprint_exits_4_and_the_others_render(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    write(out / "beta", "a file where beta's folder goes")
    assert main(["gallery", str(folder), "-o", str(out), *FAST, "-q"]) == EXIT_OUTPUT
    assert capsys.readouterr().err.startswith(f"{folder / 'beta.yaml'}:1:1: error: cannot write")
    assert (out / "gamma" / "gamma.svg").is_file()


def test_an_output_folder_that_is_a_file_exits_4_before_rendering(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = write(tmp_path / "out", "not a folder")
    assert main(["gallery", str(folder), "-o", str(out), *FAST]) == EXIT_OUTPUT
    captured = capsys.readouterr()
    assert captured.err == f"archgen: error: cannot write {out}: {out} is a file, not a folder\n"
    assert captured.out == ""


def test_duplicate_ids_keep_the_first_and_report_the_second(folder: Path, tmp_path: Path) -> None:
    write(folder / "one.yaml", minimal("First", "id: same\n"))
    write(folder / "two.yaml", minimal("Second", "id: same\n"))
    out = tmp_path / "out"
    report = gallery(folder, out)
    assert "one.yaml" in report.rendered
    assert "two.yaml" not in report.rendered
    [error] = report.errors
    assert error.mark.file == folder / "two.yaml"
    assert error.message == f"id 'same' is already used by {folder / 'one.yaml'}"
    assert report.exit_code == EXIT_INVALID
    assert [c.title for c in report.cards if c.id == "same"] == ["First"]


def test_a_new_duplicate_of_a_rendered_id_leaves_one_card(folder: Path, tmp_path: Path) -> None:
    """The later file in order loses its id even when it was rendered alone before."""
    out = tmp_path / "out"
    write(folder / "two.yaml", minimal("Second", "id: same\n"))
    gallery(folder, out)
    write(folder / "one.yaml", minimal("First", "id: same\n"))
    report = gallery(folder, out)
    # Gamma is built like `same`, so its page links to it, now under another title.
    assert sorted(report.rendered) == ["gamma.yaml", "one.yaml"]
    assert [c.title for c in report.cards if c.id == "same"] == ["First"]
    assert "First" in (out / "same" / "index.html").read_text()
    report = gallery(folder, out)
    assert report.rendered == []
    assert len(report.errors) == 1


# -- atomic writes ------------------------------------------------------


def ended_process() -> int:
    """The pid of a process that has ended."""
    process = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(process.stdout)


def test_temporary_files_left_by_a_killed_run_are_removed(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    dead = ended_process()
    leftovers = [
        Path(tempfile.mkstemp(dir=out / "alpha", prefix=f".alpha.svg.p{dead}.", suffix=".tmp")[1]),
        Path(tempfile.mkstemp(dir=out, prefix=f".{CACHE_NAME}.p{dead}.", suffix=".tmp")[1]),
        # as an archgen that did not name its process wrote them
        Path(tempfile.mkstemp(dir=out / "beta", prefix=".beta.svg.", suffix=".tmp")[1]),
    ]
    own = write(out / "notes.tmp", "the user's file")
    assert gallery(folder, out).rendered == []
    assert not any(path.exists() for path in leftovers)
    assert own.is_file()


def test_a_temporary_file_another_running_archgen_writes_is_left_alone(
    folder: Path, tmp_path: Path
) -> None:
    """`archgen render -o OUT` while a gallery starts in OUT: its file must be there to rename."""
    out = tmp_path / "out"
    gallery(folder, out)
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as other:
        try:
            prefix = f".alpha.svg.p{other.pid}."
            writing = Path(tempfile.mkstemp(dir=out / "alpha", prefix=prefix, suffix=".tmp")[1])
            gallery(folder, out)
            assert writing.is_file()
        finally:
            other.kill()
    gallery(folder, out)
    assert not writing.exists()


def test_a_killed_run_leaves_every_file_whole(tmp_path: Path) -> None:
    """SIGKILL in the middle of a run: each file is the old one or the new one, never half."""
    src = tmp_path / "src"
    for number in range(4):
        write(src / f"system-{number}.yaml", minimal(f"System {number}"))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "archgen", "gallery", str(src), "-o", str(out), "-q"]
    command += ["--format", "svg,png,dot", "--no-steps", "-j", "2"]
    subprocess.run(command, check=True)
    before = snapshot(out)
    for number in range(4):
        write(src / f"system-{number}.yaml", minimal(f"System {number}, second edition"))
    process = subprocess.Popen(command, start_new_session=True)
    try:
        wait_for_a_rewrite(out, before, process)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    check_whole(out)
    subprocess.run(command, check=True)
    assert not list(out.rglob("*.tmp"))
    check_whole(out)
    cards = (out / "index.html").read_text()
    assert all(f"System {number}, second edition" in cards for number in range(4))


def wait_for_a_rewrite(
    out: Path, before: dict[str, tuple[int, int]], process: subprocess.Popen
) -> None:
    deadline = time.monotonic() + 60
    while not changed(before, snapshot(out)):
        assert process.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)


def check_whole(out: Path) -> None:
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        if path.name.endswith(".tmp"):
            assert path.name.startswith("."), path
            continue
        data = path.read_bytes()
        if path.suffix == ".svg":
            ET.fromstring(data)
        elif path.suffix == ".png":
            assert data.startswith(PNG_SIGNATURE) and data.endswith(PNG_END), path
        elif path.suffix == ".html":
            assert data.rstrip().endswith(b"</html>"), path
        elif path.suffix == ".json":
            json.loads(data)
        elif path.suffix == ".dot":
            assert data.rstrip().endswith(b"}"), path
        else:
            assert path.suffix == ".md" and data.endswith(b"\n"), path


# -- index pages --------------------------------------------------------


def test_index_pages_have_a_card_per_blueprint(folder: Path, tmp_path: Path) -> None:
    write(
        folder / "gamma.yaml",
        minimal("Gamma", "summary: Pipes | and *stars* stay text.\ntags: [search, ads]\n"),
    )
    out = tmp_path / "out"
    report = gallery(folder, out, BuildOptions(formats=("svg", "png"), steps=False))
    assert len(report.cards) == 3
    html = (out / "index.html").read_text()
    assert html.count('class="card"') == 3
    for card in report.cards:
        # SVG when there is one: a gallery committed without PNGs keeps its cards.
        assert (out / card.thumbnail).is_file() and card.thumbnail.endswith(".svg")
        assert (out / card.page).is_file()
        assert f'src="{card.thumbnail}"' in html
        assert f'href="{card.page}"' in html
    assert "Pipes | and *stars* stay text." in html
    assert 'data-tag="search"' in html
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=\"?https?:|https?://", html)
    rows = [line for line in (out / "README.md").read_text().splitlines() if "](gamma/" in line]
    assert len(rows) == 1
    cells = re.split(r"(?<!\\)\|", rows[0])[1:-1]
    assert cells[0].strip() == "[![Gamma](gamma/gamma.svg)](gamma/README.md)"
    assert cells[1].strip() == "[Gamma](gamma/README.md) ([practise](gamma/practice.html))"
    assert cells[2].strip() == r"Pipes \| and \*stars\* stay text."
    assert cells[3].strip() == "search, ads"


def test_readme_links_no_page_that_was_not_written(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    gallery(folder, out, BuildOptions(formats=("svg",), steps=False, narrative=False))
    readme = (out / "README.md").read_text()
    for target in re.findall(r"\]\(([^)]+)\)", readme):
        assert (out / target).is_file(), target


def test_bundled_blueprints_render_into_a_gallery(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(BLUEPRINTS / "lib", src / "lib")
    for name in ("video-recommendation.yaml", "payment-fraud.yaml"):
        shutil.copy(BLUEPRINTS / name, src / name)
    report = gallery(src, tmp_path / "out")
    assert report.ok, report.errors
    assert sorted(report.rendered) == ["payment-fraud.yaml", "video-recommendation.yaml"]
    assert all(card.summary and card.tags for card in report.cards)


def test_a_mistake_in_a_gallery_template_is_an_error_at_its_line(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = write(tmp_path / "templates" / "gallery.md.j2", "# Gallery\n\n{% if %}\n").parent
    args = ["gallery", str(folder), "-o", str(tmp_path / "out"), "--templates", str(templates)]
    assert main([*args, *FAST, "--quiet"]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert err.startswith(f"{templates / 'gallery.md.j2'}:3:1: error: template error")
    assert "Traceback" not in err
    assert (tmp_path / "out" / "gamma" / "gamma.svg").is_file()


def test_missing_graphviz_stops_the_run_with_exit_3(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    assert main(["gallery", str(folder), "-o", str(tmp_path / "out"), *FAST]) == EXIT_GRAPHVIZ
    err = capsys.readouterr().err
    assert err.count("install Graphviz") == 1
    assert not (tmp_path / "out" / "gamma").exists()


def test_graphviz_failing_on_a_blueprint_exits_3_and_names_it(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def failing_dot(source: str) -> str:
        raise GraphvizFailed(1, "Error: trouble in init_rank")

    monkeypatch.setattr(archgen.layout.search, "run_dot", failing_dot)
    assert main(["gallery", str(folder), "-o", str(tmp_path / "out"), *FAST]) == EXIT_GRAPHVIZ
    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert errors == [
        f"{folder / name}:1:1: error: Graphviz could not lay out {folder / name}:"
        " trouble in init_rank; hint: fewer flows to or from groups, or less nesting, let"
        " Graphviz rank them; Graphviz's full output is in"
        f" {tmp_path / 'out' / Path(name).stem / 'graphviz.log'}"
        for name in ("alpha.yaml", "beta.yaml", "gamma.yaml")
    ]


def test_each_problem_in_a_failed_build_is_its_own_error(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def build_with_two_problems(blueprint, out, options):  # type: ignore[no-untyped-def]
        marks = [Mark(blueprint.source, line, 1) for line in (1, 2)]
        raise BlueprintError([Diagnostic(mark, "cannot draw this") for mark in marks])

    monkeypatch.setattr(archgen.gallery.workers, "build", build_with_two_problems)
    report = gallery(folder, tmp_path / "out")
    assert len(report.errors) == 6
    assert all(error.message == "cannot draw this" for error in report.errors)
    assert report.exit_code == EXIT_INVALID


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="workers must inherit the patched build"
)
def test_a_worker_that_dies_is_reported_not_raised(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_build = archgen.gallery.workers.build

    def build_or_die(blueprint, out, options):  # type: ignore[no-untyped-def]
        if blueprint.id == "beta":
            os._exit(9)
        return real_build(blueprint, out, options)

    monkeypatch.setattr(archgen.gallery.workers, "build", build_or_die)
    report = render_gallery(folder, tmp_path / "out", SVG_ONLY, jobs=2)
    assert any(
        str(error).startswith(
            f"{folder / 'beta.yaml'}:1:1: error: not rendered: a worker process died"
        )
        for error in report.errors
    )
    assert "beta.yaml" not in report.rendered
    assert len(report.rendered) + len(report.errors) == 3


def test_featured_tags_are_the_shared_ones_once_there_are_many() -> None:
    few = Counter({"search": 1, "ranking": 3, "ads": 1})
    assert featured_tags(few) == ["ranking", "ads", "search"]
    many = Counter({f"tag{number:02}": 1 for number in range(20)} | {"ranking": 2, "Ads": 2})
    assert featured_tags(many) == ["Ads", "ranking"]


def test_a_blueprint_that_breaks_keeps_its_card_marked_stale(folder: Path, tmp_path: Path) -> None:
    """Its last good render stands, card included, saying why it was not updated; a good
    render later takes the mark off."""
    out = tmp_path / "out"
    gallery(folder, out)
    write(folder / "gamma.yaml", minimal("Gamma").replace("api_gateway", "api_gatway"))
    report = gallery(folder, out)
    [gamma] = [card for card in report.cards if card.title == "Gamma"]
    assert report.errors and gamma.stale.startswith("unknown kind 'api_gatway'")
    assert (out / gamma.page).is_file()
    assert str(escape(f"not updated: {gamma.stale}")) in (out / "index.html").read_text()
    assert f"(**not updated:** {plain_markdown(gamma.stale)})" in (out / "README.md").read_text()
    write(folder / "gamma.yaml", minimal("Gamma"))
    report = gallery(folder, out)
    assert "gamma.yaml" in report.rendered and not any(card.stale for card in report.cards)
    assert "not updated" not in (out / "index.html").read_text()


def test_a_run_stopped_early_drops_the_blueprints_not_yet_started(tmp_path: Path) -> None:
    """Ctrl-C, or a caller that stops listening, waits only for what is being rendered."""
    files = [write(tmp_path / "src" / f"b{n:02}.yaml", minimal(f"B{n:02}")) for n in range(12)]
    jobs = [archgen.gallery.workers.Job(p, p.name, archgen.load(p)) for p in files]
    out = tmp_path / "out"
    results = iter(archgen.gallery.workers.run_jobs(jobs, out, SVG_ONLY, 2))
    next(results)
    results.close()  # type: ignore[attr-defined]
    assert len([p for p in out.iterdir() if p.is_dir()]) < len(jobs)
