"""Waiting for saves with watchfiles, and rendering what each one touched.

watchfiles (inotify, FSEvents and the like, through the Rust `notify` crate)
is used rather than polling modification times by hand: it groups the burst
of events one editor save makes into one batch, skips editors' swap and
backup files, and keeps the changes made while a render runs for the next
batch, so no save is lost.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import replace
from pathlib import Path

import watchfiles

from archgen.build import WATCH_FORMATS, BuildOptions
from archgen.errors import GraphvizMissing, UsageError
from archgen.files import make_folder
from archgen.watch.targets import BlueprintTarget, GalleryTarget, Target, WatchPass

# Fast enough to redraw on every save: the diagrams as SVG (step views included)
# and the pages that show them; `formats` asks for PNG or DOT too.
WATCH_OPTIONS = BuildOptions(formats=WATCH_FORMATS)
# How often, in milliseconds, the wait for saves comes back to Python with nothing:
# the first time tells that the watcher runs, so the first render misses no save.
WAKE_MS = 200


def watch(
    path: Path,
    out: Path,
    options: BuildOptions = WATCH_OPTIONS,
    *,
    root: Path | None = None,
    jobs: int | None = None,
    stop: threading.Event | None = None,
) -> Generator[WatchPass, None, None]:
    """Render `path`, a blueprint file or a folder of them, into `out`; then again after
    every save that touches it, yielding each pass as it ends.

    It goes on until `stop` is set (Ctrl-C raises KeyboardInterrupt, as anywhere).
    Raises at once, before watching: UsageError when `path` is neither, GraphvizMissing
    when the formats need Graphviz and it is not installed, OutputError when `out`
    cannot be made. `root` bounds a file's `extends` and `icon` paths as in `load`;
    `jobs` sets a folder's workers as in `render_gallery`.
    """
    target = target_for(path, out, options, root, jobs)
    if {"svg", "png"} & set(options.formats) and shutil.which("dot") is None:
        raise GraphvizMissing()
    make_folder(out)
    return _passes(target, out, stop)


def _passes(
    target: Target, out: Path, stop: threading.Event | None
) -> Generator[WatchPass, None, None]:
    """The watcher starts before the first render: a save made while one runs is
    in the next batch."""
    saves = watchfiles.watch(
        *target.watched(),
        watch_filter=SavesOutside(out),
        stop_event=stop,
        rust_timeout=WAKE_MS,
        yield_on_timeout=True,
    )
    next(saves, None)  # the watcher runs from here on
    yield timed(target.render)
    for batch in saves:
        changed = {Path(name) for _, name in batch}
        if changed and target.affected(changed):
            yield timed(target.render)


def target_for(
    path: Path, out: Path, options: BuildOptions, root: Path | None, jobs: int | None
) -> Target:
    problems = []
    if not (path.is_file() or path.is_dir()):
        problems.append(f"{path}: no such blueprint file or folder")
    elif path.resolve().is_relative_to(out.resolve()):
        problems.append(f"{path} is inside the output folder {out}: choose another -o")
    if root is not None and not root.is_dir():
        problems.append(f"{root} is not a folder")
    if problems:
        raise UsageError(*problems)
    if path.is_dir():
        return GalleryTarget(path, out, options, jobs)
    return BlueprintTarget(path, out, options, root)


def timed(render: Callable[[], WatchPass]) -> WatchPass:
    started = time.monotonic()
    result = render()
    return replace(result, seconds=time.monotonic() - started)


class SavesOutside(watchfiles.DefaultFilter):
    """watchfiles' own filter (no .git, swap or backup files), and nothing that archgen
    writes itself: the output folder may lie inside the watched one."""

    def __init__(self, out: Path) -> None:
        super().__init__()
        self.out = out.resolve()

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        return super().__call__(change, path) and not Path(path).is_relative_to(self.out)
