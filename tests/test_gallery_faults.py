"""The gallery under faults (issue 13): hostile blueprints, a full disk, killed workers,
a killed or interrupted run, two runs into one folder, a tampered cache.

Each test renders two or three tiny blueprints; the ones that need a real worker
process or a real signal run the command line in a subprocess.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from test_gallery import minimal, write

import archgen
import archgen.gallery.cache
import archgen.gallery.run
import archgen.gallery.workers
from archgen.build import BuildOptions
from archgen.cli import EXIT_INVALID, EXIT_OK, EXIT_OUTPUT, main
from archgen.gallery import GalleryReport, render_gallery
from archgen.gallery.cache import CACHE_NAME
from archgen.gallery.environment import file_digest
from archgen.gallery.lock import folder_lock
from archgen.gallery.pool import Pool, ctrl_c_held
from archgen.gallery.workers import Job, run_jobs

SVG_ONLY = BuildOptions(formats=("svg",), steps=False)
FAST = ["--format", "svg", "--no-steps"]
NAMES = ("alpha", "beta", "gamma")
needs_fork = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="workers must inherit the patched build"
)
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def with_api(title: str, api: str, extra: str = "") -> str:
    """A minimal blueprint whose `api` component is written as `api`."""
    return minimal(title, extra).replace("api: api_gateway", f"api: {api}")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    for name in NAMES:
        write(src / f"{name}.yaml", minimal(name.capitalize()))
    return src


def gallery(folder: Path, out: Path, jobs: int = 1, force: bool = False) -> GalleryReport:
    return render_gallery(folder, out, SVG_ONLY, jobs=jobs, force=force)


def titles(report: GalleryReport) -> list[str]:
    return [card.title for card in report.cards]


def stale(report: GalleryReport) -> dict[str, str]:
    return {card.title: card.stale for card in report.cards if card.stale}


def archgen_command(folder: Path, out: Path, *more: str) -> list[str]:
    return [sys.executable, "-m", "archgen", "gallery", str(folder), "-o", str(out), *more]


# -- one broken blueprint never stops the others -------------------------------


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply to render"),
        (MemoryError(), "out of memory"),
        (OSError(errno.ENAMETOOLONG, "File name too long", "x" * 300), "File name too long: xxx"),
        (ValueError("embedded null byte"), "ValueError: embedded null byte"),
        (KeyError("api"), "KeyError: 'api'"),
    ],
)
@pytest.mark.parametrize("where", ["loading", "rendering"])
def test_any_failure_is_one_line_at_its_blueprint_and_the_others_render(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: Exception,
    said: str,
    where: str,
) -> None:
    """Whatever beta raises, in this process or in a worker, is beta's failure alone."""
    if where == "loading":
        real = archgen.gallery.run.load
        monkeypatch.setattr(archgen.gallery.run, "load", raising_for("beta", real, error))
    else:
        real = archgen.gallery.workers.build
        monkeypatch.setattr(archgen.gallery.workers, "build", raising_for("beta", real, error))
    out = tmp_path / "out"
    assert main(["gallery", str(folder), "-o", str(out), *FAST, "-j", "1", "-q"]) == EXIT_INVALID
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{folder / 'beta.yaml'}:1:1: error: not rendered: {said}")
    assert (out / "alpha" / "alpha.svg").is_file() and (out / "gamma" / "gamma.svg").is_file()
    assert (out / "index.html").is_file() and (out / "README.md").is_file()
    assert "2 case studies" in (out / "README.md").read_text()


def raising_for(name: str, real: Callable, error: Exception) -> Callable:  # type: ignore[type-arg]
    """`real`, which raises `error` when given blueprint `name` or its file."""

    def call(first, *args, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(first, "stem", getattr(first, "id", "")) == name:
            raise error
        return real(first, *args, **kwargs)

    return call


def test_hostile_paths_fail_their_own_blueprint_and_the_index_is_written(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A NUL byte, a symlink loop, a name longer than a file system allows: each fails
    only the blueprint that names it, with no traceback."""
    write(folder / "nul.yaml", minimal("Nul", 'extends: "lib/a\\0b.yaml"\n'))
    write(folder / "long.yaml", minimal("Long", f'extends: "{"a" * 300}.yaml"\n'))
    (folder / "loop.svg").symlink_to("loop.svg")
    write(folder / "loop.yaml", with_api("Loop", "{kind: api_gateway, icon: loop.svg}"))
    out = tmp_path / "out"
    status = main(["gallery", str(folder), "-o", str(out), *FAST, "-j", "1", "-q"])
    err = capsys.readouterr().err
    assert status == EXIT_INVALID
    assert "Traceback" not in err
    for name in ("nul", "long", "loop"):
        assert f"{folder / name}.yaml:" in err
    readme = (out / "README.md").read_text()
    assert "3 case studies" in readme
    assert all(f"[{name.capitalize()}]({name}/README.md)" in readme for name in NAMES)


@needs_fork
def test_a_blueprint_that_cannot_be_sent_to_a_worker_fails_alone(
    folder: Path, tmp_path: Path
) -> None:
    """Pickling it for a worker fails (as one nested past the recursion limit does)."""
    jobs = [Job(p, p.name, archgen.load(p)) for p in sorted(folder.glob("*.yaml"))]
    unpicklable = replace(jobs[1].blueprint, review_ignore={"rule": lambda: 0})  # type: ignore[dict-item]
    jobs[1] = replace(jobs[1], blueprint=unpicklable)
    outcomes = {job.key: outcome for job, outcome in run_jobs(jobs, tmp_path / "out", SVG_ONLY, 2)}
    assert not outcomes["alpha.yaml"].errors and not outcomes["gamma.yaml"].errors
    [error] = outcomes["beta.yaml"].errors
    assert error.mark.file == jobs[1].blueprint.source
    assert error.message.startswith("not rendered: ")


def finished_within(seconds: float, work: Callable[[], object]) -> bool:
    """Whether `work` returns within `seconds`: a hang fails the test instead of the suite."""
    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(seconds)
    return not worker.is_alive()


@needs_fork
def test_a_run_whose_last_blueprints_cannot_be_sent_to_a_worker_ends(
    folder: Path, tmp_path: Path
) -> None:
    """With no worker busy, nothing is left to wait for."""
    jobs = [Job(p, p.name, archgen.load(p)) for p in sorted(folder.glob("*.yaml"))]
    unpicklable = {"rule": lambda: 0}
    jobs = [replace(j, blueprint=replace(j.blueprint, review_ignore=unpicklable)) for j in jobs]  # type: ignore[arg-type]
    outcomes: list[object] = []

    def run() -> None:
        outcomes.extend(run_jobs(jobs, tmp_path / "out", SVG_ONLY, 2))

    assert finished_within(60, run)
    assert len(outcomes) == len(jobs)


def test_a_fifo_in_place_of_the_cache_is_no_cache(folder: Path, tmp_path: Path) -> None:
    """Anyone who can write in OUT could put one there; reading it would wait forever."""
    out = tmp_path / "out"
    render_gallery(folder, out, SVG_ONLY, jobs=1)
    (out / CACHE_NAME).unlink()
    os.mkfifo(out / CACHE_NAME)
    reports: list[GalleryReport] = []
    assert finished_within(
        60, lambda: reports.append(render_gallery(folder, out, SVG_ONLY, jobs=1))
    )
    assert sorted(reports[0].rendered) == [f"{name}.yaml" for name in NAMES]
    assert (out / CACHE_NAME).is_file()


# -- a failed blueprint keeps its card, marked stale ------------------------------


@contextmanager
def full_disk(monkeypatch: pytest.MonkeyPatch, inside: Callable[[Path], bool]) -> Iterator[None]:
    """Every temporary file made in a folder for which `inside` holds fails as a full disk
    fails (archgen writes every output through one)."""
    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):  # type: ignore[no-untyped-def]
        if dir is not None and inside(Path(dir)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, dir=dir, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(tempfile, "mkstemp", mkstemp)
        yield


def test_a_full_disk_keeps_every_card_marked_stale(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    with full_disk(monkeypatch, lambda path: path != out):
        report = gallery(folder, out, force=True)
    assert report.rendered == [] and len(report.errors) == 3
    assert report.exit_code == EXIT_OUTPUT
    assert titles(report) == ["Alpha", "Beta", "Gamma"]
    for name, reason in stale(report).items():
        assert reason == (
            f"cannot write {out / name.lower() / name.lower()}.svg: No space left on device"
        )
    readme = (out / "README.md").read_text()
    assert "3 case studies" in readme and readme.count("**not updated:**") == 3
    assert (out / "alpha" / "index.html").is_file()
    # The disk has room again: everything renders, and the marks go.
    report = gallery(folder, out)
    assert sorted(report.rendered) == [f"{name}.yaml" for name in NAMES]
    assert stale(report) == {} and "not updated" not in (out / "index.html").read_text()


def test_a_disk_too_full_for_the_index_keeps_the_old_one_whole(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    index = (out / "index.html").read_text()
    cache = (out / CACHE_NAME).read_text()
    with full_disk(monkeypatch, lambda path: True):
        report = gallery(folder, out, force=True)
    messages = [error.message for error in report.errors]
    assert f"cannot write {out / 'index.html'}: No space left on device" in messages
    assert f"cannot write {out / CACHE_NAME}: No space left on device" in messages
    assert report.exit_code == EXIT_OUTPUT
    assert (out / "index.html").read_text() == index
    assert (out / CACHE_NAME).read_text() == cache
    assert not list(out.rglob("*.tmp"))


def test_a_failed_blueprint_whose_pages_are_gone_keeps_a_card_without_links(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    (out / "beta" / "index.html").unlink()
    write(folder / "beta.yaml", with_api("Beta", "no_such_kind"))
    report = gallery(folder, out)
    [beta] = [card for card in report.cards if card.title == "Beta"]
    assert beta.stale and beta.page == "" and beta.thumbnail == "beta/beta.svg"
    assert 'href="beta/index.html"' not in (out / "index.html").read_text()


# -- a worker's death fails only its own blueprint, after one more try ------------


@needs_fork
def test_a_killed_worker_fails_only_its_blueprint_which_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beta's worker is killed once, as the out-of-memory killer would: beta renders on
    its second try. Delta's worker is killed every time: delta alone fails."""
    src = tmp_path / "src"
    for name in (*NAMES, "delta"):
        write(src / f"{name}.yaml", minimal(name.capitalize()))
    tries = tmp_path / "tries"
    tries.mkdir()
    real_build = archgen.gallery.workers.build

    def build_or_be_killed(blueprint, out, options):  # type: ignore[no-untyped-def]
        (tries / f"{blueprint.id}.{os.getpid()}").touch()
        if blueprint.id == "delta" or (blueprint.id == "beta" and len(tried("beta")) == 1):
            os.kill(os.getpid(), signal.SIGKILL)
        return real_build(blueprint, out, options)

    def tried(ident: str) -> list[Path]:
        return list(tries.glob(f"{ident}.*"))

    monkeypatch.setattr(archgen.gallery.workers, "build", build_or_be_killed)
    report = render_gallery(src, tmp_path / "out", SVG_ONLY, jobs=2)
    assert sorted(report.rendered) == ["alpha.yaml", "beta.yaml", "gamma.yaml"]
    [error] = report.errors
    assert str(error) == (
        f"{src / 'delta.yaml'}:1:1: error: not rendered: a worker process died rendering it,"
        " 2 times (killed by SIGKILL; out of memory?)"
    )
    assert len(tried("beta")) == 2 and len(tried("delta")) == 2
    assert len({path.suffix for path in tried("beta")}) == 2  # in two processes
    assert titles(report) == ["Alpha", "Beta", "Gamma"]


# -- two runs into one folder take turns ----------------------------------------


def test_a_run_waits_for_the_run_holding_its_folder(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with folder_lock(out, lambda: None):
        process = subprocess.Popen(
            archgen_command(folder, out, *FAST, "-j", "1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert process.poll() is None
        assert not (out / "index.html").exists()
    printed, shown = process.communicate(timeout=120)
    assert process.returncode == EXIT_OK, shown
    assert shown.splitlines()[0] == (
        "archgen: waiting for another gallery run into this folder to finish"
    )
    assert printed.startswith("gallery: 3 rendered")


def test_two_runs_at_once_both_succeed_and_the_second_finds_everything_done(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    command = archgen_command(folder, out, *FAST, "-j", "2")
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    summaries = sorted(run.communicate(timeout=180)[0] for run in runs)
    assert [run.returncode for run in runs] == [EXIT_OK, EXIT_OK]
    assert summaries[0].startswith("gallery: 0 rendered, 3 unchanged")
    assert summaries[1].startswith("gallery: 3 rendered, 0 unchanged")


# -- the cache is checked on reading ---------------------------------------------


def tamper_links(card: dict) -> None:
    card.update(thumbnail="javascript:alert(1)", page="javascript:alert(2)")


def tamper_types(card: dict) -> None:
    card.update(components="3", tags="a,b", review_level='clean" onmouseover="alert(1)')


def tamper_id(card: dict) -> None:
    card.update(id="javascript:alert(1)//", page="javascript:alert(1)///index.html")


def tamper_outside(card: dict) -> None:
    card.update(thumbnail="../../etc/passwd")


@pytest.mark.parametrize("tamper", [tamper_links, tamper_types, tamper_id, tamper_outside])
def test_a_tampered_card_means_a_re_render_not_its_links(
    folder: Path, tmp_path: Path, tamper: Callable[[dict], None]
) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    data = json.loads((out / CACHE_NAME).read_text())
    for entry in data["blueprints"].values():
        tamper(entry["card"])
    data["index"] = "stale"
    (out / CACHE_NAME).write_text(json.dumps(data))
    report = gallery(folder, out)
    assert sorted(report.rendered) == [f"{name}.yaml" for name in NAMES]
    for page in ("index.html", "README.md"):
        text = (out / page).read_text()
        assert "javascript:" not in text and "passwd" not in text and "onmouseover" not in text


@pytest.mark.parametrize(
    "vouch",
    [
        lambda outside: {"deps": {str(outside): file_digest(outside)}},
        lambda outside: {"deps": {"../outside.txt": file_digest(outside)}},
        lambda outside: {"outputs": ["../src/alpha.yaml"]},
        lambda outside: {"outputs": [str(outside)]},
        lambda outside: {"outputs": ["beta/beta.svg"]},  # another blueprint's folder
    ],
    ids=["absolute dep", "dep outside", "output outside", "absolute output", "not its own"],
)
def test_cache_paths_outside_the_folder_mean_a_re_render(
    folder: Path, tmp_path: Path, vouch: Callable[[Path], dict]
) -> None:
    """Entries naming files that exist and match, but are not alpha's to name."""
    out = tmp_path / "out"
    gallery(folder, out)
    outside = write(tmp_path / "outside.txt", "not a blueprint's")
    data = json.loads((out / CACHE_NAME).read_text())
    entry = data["blueprints"]["alpha.yaml"]
    for key, value in vouch(outside).items():
        entry[key] = {**entry[key], **value} if key == "deps" else entry[key] + value
    (out / CACHE_NAME).write_text(json.dumps(data))
    assert gallery(folder, out).rendered == ["alpha.yaml"]


def test_a_cache_past_its_size_limit_is_not_read(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    gallery(folder, out)
    size = (out / CACHE_NAME).stat().st_size
    monkeypatch.setattr(archgen.gallery.cache, "CACHE_MAX_BYTES", size)
    assert gallery(folder, out).rendered == []
    monkeypatch.setattr(archgen.gallery.cache, "CACHE_MAX_BYTES", size - 1)
    assert len(gallery(folder, out).rendered) == 3


# -- killing or interrupting a run stops its workers ------------------------------


def slow_folder(tmp_path: Path) -> Path:
    """Enough work for two workers to be caught busy: PNGs and every step view."""
    src = tmp_path / "src"
    for number in range(6):
        write(src / f"system-{number}.yaml", minimal(f"System {number}"))
    return src


def workers_of(pid: int) -> set[int]:
    """The children of `pid` that run what it runs (not `dot`), from /proc."""
    found = set()
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            same = (stat.parent / "cmdline").read_bytes() == command
        except OSError:  # it ended meanwhile
            continue
        if parent == pid and same:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Running, not ended nor a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_with_workers(command: list[str], **popen: object) -> tuple[subprocess.Popen, set[int]]:
    """Start `command` and wait until two of its workers are running."""
    process = subprocess.Popen(command, **popen)  # type: ignore[call-overload]
    deadline = time.monotonic() + 60
    while len(workers := workers_of(process.pid)) < 2:
        assert process.poll() is None, "the run ended before its workers were seen"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return process, workers


def wait_until_gone(pids: set[int], seconds: float = 5) -> set[int]:
    deadline = time.monotonic() + seconds
    while (left := {pid for pid in pids if alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


@linux_only
def test_killing_the_run_kills_its_workers(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = archgen_command(slow_folder(tmp_path), out, "--format", "svg,png", "-j", "2", "-q")
    process, workers = start_with_workers(command)
    process.kill()
    process.wait()
    assert wait_until_gone(workers) == set()


@linux_only
@pytest.mark.parametrize("to_the_group", [False, True], ids=["parent", "terminal"])
def test_ctrl_c_stops_the_workers_says_one_line_and_leaves_no_temporary_file(
    tmp_path: Path, to_the_group: bool
) -> None:
    """SIGINT to the run alone, or to its whole process group as a terminal's Ctrl-C."""
    out = tmp_path / "out"
    command = archgen_command(slow_folder(tmp_path), out, "--format", "svg,png", "-j", "2", "-q")
    process, workers = start_with_workers(
        command, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    time.sleep(0.5)  # into the rendering
    if to_the_group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    _, shown = process.communicate(timeout=30)
    assert process.returncode == 130
    assert shown == "archgen: interrupted\n"
    assert wait_until_gone(workers) == set()
    assert not list(out.rglob("*.tmp"))


@needs_fork
def test_an_interrupted_run_removes_what_its_workers_were_writing(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker is stopped halfway through writing a file, as Ctrl-C stops it."""
    out = tmp_path / "out"
    interrupted = tmp_path / "interrupted"

    def write_then_interrupt(blueprint, out, options):  # type: ignore[no-untyped-def]
        (out / blueprint.id).mkdir(parents=True, exist_ok=True)
        tempfile.mkstemp(dir=out / blueprint.id, prefix=f".{blueprint.id}.svg.", suffix=".tmp")
        try:  # one Ctrl-C: the first worker here sends it
            os.close(os.open(interrupted, os.O_CREAT | os.O_EXCL))
            os.kill(os.getppid(), signal.SIGINT)
        except FileExistsError:
            pass
        time.sleep(60)

    monkeypatch.setattr(archgen.gallery.workers, "build", write_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        gallery(folder, out, jobs=2)
    assert not list(out.rglob("*.tmp"))


def test_a_ctrl_c_held_while_a_worker_starts_is_raised_after_it() -> None:
    """Raised inside fork's own hooks, a Ctrl-C would be swallowed and the run go on."""
    reached = False
    with pytest.raises(KeyboardInterrupt), ctrl_c_held():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs here, and must not raise
        reached = True
    assert reached
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@needs_fork
def test_ctrl_c_is_held_while_a_worker_is_forked_and_ignored_in_the_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held: list[bool] = []
    real_start = multiprocessing.process.BaseProcess.start

    def start(process: multiprocessing.process.BaseProcess) -> None:
        held.append(signal.getsignal(signal.SIGINT) is not signal.default_int_handler)
        real_start(process)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)
    pool: Pool[str, object] = Pool(1, ctrl_c_in_worker)
    try:
        pool.start("task", Path("x.yaml"), None)
        [(_, handler)] = list(pool.finished())
    finally:
        pool.stop()
    assert held == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert handler == signal.SIG_IGN


def ctrl_c_in_worker(parcel: object) -> object:
    return signal.getsignal(signal.SIGINT)


@needs_fork
def test_workers_leave_ctrl_c_to_the_run(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A terminal's Ctrl-C reaches every process of the group: a worker neither stops
    nor prints a traceback, and the run decides (here, it never hears of it)."""
    real_build = archgen.gallery.workers.build

    def interrupted_build(blueprint, out, options):  # type: ignore[no-untyped-def]
        os.kill(os.getpid(), signal.SIGINT)
        return real_build(blueprint, out, options)

    monkeypatch.setattr(archgen.gallery.workers, "build", interrupted_build)
    report = gallery(folder, tmp_path / "out", jobs=2)
    assert report.ok, report.errors
    assert "Traceback" not in capfd.readouterr().err


def test_a_worker_whose_parent_is_gone_ends(tmp_path: Path) -> None:
    """The watchdog alone, as on a system without PR_SET_PDEATHSIG: a process whose parent
    exits ends within a few of its checks."""
    script = (
        "import os, sys\n"
        "from archgen.gallery.pool import watch_parent\n"
        "parent = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    watch_parent(parent, every=0.05)\n"
        "print(child, flush=True)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=30
    )
    child = int(result.stdout)
    deadline = time.monotonic() + 5
    while pid_exists(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_exists(child)


def pid_exists(pid: int) -> bool:
    if sys.platform.startswith("linux"):
        return alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
