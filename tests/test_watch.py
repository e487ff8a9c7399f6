"""`archgen watch`: a save re-renders what it touched; a broken save keeps the last output.

The watch runs in a thread (through `archgen.watch.watch`, the command's own
loop) and the test edits files as an editor would, then waits for the pass
that follows. Saves are picked up by watchfiles, so each wait has a timeout.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from archgen.build import BuildOptions
from archgen.cli import EXIT_USAGE, main
from archgen.errors import UsageError
from archgen.watch import WatchPass, watch
from archgen.watch.targets import BlueprintTarget, GalleryTarget

FAST = BuildOptions(formats=("svg",), steps=False)
# A save is seen within a fraction of a second; rendering a small blueprint takes about
# one on a busy machine. Generous, for a loaded CI.
PASS_TIMEOUT = 60


def blueprint(title: str, extra: str = "") -> str:
    return (
        f"archgen: 1\ntitle: {title}\n{extra}"
        "components:\n  users: client\n  api: api_gateway\nflows:\n  - users -> api\n"
    )


FRAGMENT = "archgen: 1\nfragment: true\ncomponents:\n  store: {kind}\n"
EXTENDS = (
    "archgen: 1\ntitle: {title}\nextends: lib/base.yaml\n"
    "components:\n  users: client\nflows:\n  - users -> store\n"
)
# A kind misspelt at line 5, column 8.
BROKEN = blueprint("Broken").replace("api_gateway", "api_gatway")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def contents(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


class Watching:
    """`watch` running in a thread; each pass lands in a queue."""

    def __init__(self, path: Path, out: Path, options: BuildOptions) -> None:
        self.passes: queue.Queue[WatchPass | BaseException] = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(path, out, options))

    def _run(self, path: Path, out: Path, options: BuildOptions) -> None:
        try:
            for result in watch(path, out, options, jobs=1, stop=self.stop):
                self.passes.put(result)
        except BaseException as error:  # handed to the test, which raises it
            self.passes.put(error)

    def next(self) -> WatchPass:
        try:
            result = self.passes.get(timeout=PASS_TIMEOUT)
        except queue.Empty:
            pytest.fail(f"no render within {PASS_TIMEOUT}s of the save")
        if isinstance(result, BaseException):
            raise result
        return result


@contextmanager
def watching(path: Path, out: Path, options: BuildOptions = FAST) -> Iterator[Watching]:
    running = Watching(path, out, options)
    running.thread.start()
    try:
        yield running
    finally:
        running.stop.set()
        running.thread.join(timeout=PASS_TIMEOUT)
    assert not running.thread.is_alive(), "the watch did not stop"


# -- a blueprint file ----------------------------------------------------


def test_a_save_renders_the_blueprint_again(tmp_path: Path) -> None:
    source = write(tmp_path / "system.yaml", blueprint("First Title"))
    out = tmp_path / "out"
    with watching(source, out) as running:
        first = running.next()
        assert first.rendered == (str(source),) and not first.errors
        assert first.page == "system/index.html" and first.changed
        assert "First Title" in (out / "system" / "index.html").read_text()
        write(source, blueprint("First Title", "summary: Edited while watched.\n"))
        second = running.next()
    assert second.rendered == (str(source),) and second.changed
    assert "Edited while watched." in (out / "system" / "index.html").read_text()


def test_a_broken_save_is_reported_and_the_last_good_output_kept(tmp_path: Path) -> None:
    source = write(tmp_path / "system.yaml", blueprint("Kept"))
    out = tmp_path / "out"
    with watching(source, out) as running:
        running.next()
        good = contents(out)
        write(source, BROKEN)
        broken = running.next()
        assert broken.rendered == () and not broken.changed and broken.exit_code == 1
        assert [d.mark.file for d in broken.errors] == [source]
        assert str(broken.errors[0]).startswith(f"{source}:5:8: error: unknown kind")
        assert contents(out) == good
        # Fixed, it renders again.
        write(source, blueprint("Kept", "summary: Fixed.\n"))
        fixed = running.next()
    assert fixed.rendered and not fixed.errors
    assert "Fixed." in (out / "system" / "index.html").read_text()


def test_a_save_of_a_fragment_renders_the_blueprint_that_extends_it(tmp_path: Path) -> None:
    write(tmp_path / "lib" / "base.yaml", FRAGMENT.format(kind="feature_store"))
    source = write(tmp_path / "system.yaml", EXTENDS.format(title="Composed"))
    out = tmp_path / "out"
    with watching(source, out) as running:
        running.next()
        write(tmp_path / "lib" / "base.yaml", FRAGMENT.format(kind="vector_index"))
        result = running.next()
    assert result.rendered == (str(source),)
    assert "Vector index" in (out / "system" / "system.svg").read_text()


def test_which_saves_concern_a_blueprint_file(tmp_path: Path) -> None:
    """Its own files always; any YAML file only while it does not load (the fragment it
    names may be the one being written)."""
    source = write(tmp_path / "system.yaml", blueprint("Alone")).resolve()
    other, notes = tmp_path.resolve() / "other.yaml", tmp_path.resolve() / "notes.txt"
    target = BlueprintTarget(source, tmp_path / "out", FAST, None)
    assert target.affected({source}) and target.affected({other})
    assert not target.affected({notes})
    target.loaded = True
    assert target.affected({source}) and not target.affected({other})


# -- a folder ------------------------------------------------------------


def test_a_folder_renders_only_what_a_save_touched(tmp_path: Path) -> None:
    folder = tmp_path / "blueprints"
    write(folder / "lib" / "base.yaml", FRAGMENT.format(kind="feature_store"))
    write(folder / "alpha.yaml", EXTENDS.format(title="Alpha"))
    write(folder / "gamma.yaml", blueprint("Gamma"))
    out = tmp_path / "out"
    with watching(folder, out) as running:
        first = running.next()
        assert sorted(first.rendered) == ["alpha.yaml", "gamma.yaml"]
        assert first.page == "index.html" and (out / "index.html").is_file()
        write(folder / "lib" / "base.yaml", FRAGMENT.format(kind="vector_index"))
        assert running.next().rendered == ("alpha.yaml",)
        write(folder / "gamma.yaml", blueprint("Gamma", "summary: Edited.\n"))
        assert running.next().rendered == ("gamma.yaml",)


def test_a_broken_blueprint_in_a_folder_keeps_its_output_and_card(tmp_path: Path) -> None:
    folder = tmp_path / "blueprints"
    write(folder / "alpha.yaml", blueprint("Alpha"))
    write(folder / "gamma.yaml", blueprint("Gamma"))
    out = tmp_path / "out"
    with watching(folder, out) as running:
        running.next()
        alpha = contents(out / "alpha")
        write(folder / "alpha.yaml", BROKEN)
        broken = running.next()
    # The index changed: alpha's card says it was not updated, and why.
    assert broken.rendered == () and broken.changed
    assert [d.mark.file for d in broken.errors] == [folder / "alpha.yaml"]
    assert contents(out / "alpha") == alpha
    index = (out / "index.html").read_text()
    assert "alpha/index.html" in index and "gamma/index.html" in index
    assert index.count("not updated: ") == 1


def test_a_folder_s_warnings_are_reported_with_its_render(tmp_path: Path) -> None:
    folder = tmp_path / "blueprints"
    write(folder / "alpha.yaml", blueprint("Alpha", "related: [nobody]\n"))
    target = GalleryTarget(folder, tmp_path / "out", BuildOptions(formats=("svg",)), jobs=1)
    [warning] = target.render().warnings
    assert warning.mark.file == folder / "alpha.yaml"
    assert "`related` names 'nobody'" in warning.message


def test_a_path_that_cannot_be_watched_raises_before_watching(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such blueprint file or folder"):
        watch(tmp_path / "missing.yaml", tmp_path / "out")


# -- the command ---------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.yaml"], "no such blueprint file or folder"),
        (["{file}", "--serve", "70000"], "--serve takes a port number"),
        (["{folder}", "--root", "{folder}"], "--root: only for a FILE"),
        (["{file}", "--format", "svg,bmp"], "unknown format 'bmp'"),
        (["{file}", "-o", "{folder}"], "inside the output folder"),
    ],
)
def test_usage_errors_end_the_command_before_it_watches(
    arguments: list[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the default output folder, should a case not stop
    source = write(tmp_path / "system.yaml", blueprint("Usage"))
    argv = [a.format(file=source, folder=tmp_path) for a in arguments]
    assert main(["watch", *argv]) == EXIT_USAGE
    assert message in capsys.readouterr().err
