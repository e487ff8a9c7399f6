"""One gallery run: what is stale, rendering it, then the index pages.

Every blueprint is first checked against the cache; what remains is
validated in this process (to catch duplicate ids before anything is
written) and handed to the workers. Whatever goes wrong with one blueprint,
here or in a worker, ends up in the report as that blueprint's failure, and
its card stays in the index, marked stale; only what would fail every one of
them raises. The index pages are written whatever failed before them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from archgen.build import DEFAULT_OPTIONS, BuildOptions
from archgen.diagnostics import Diagnostic, Mark
from archgen.errors import BlueprintError, GraphvizMissing, OutputError
from archgen.files import make_folder, remove_temporary_files
from archgen.gallery.cache import Cache
from archgen.gallery.discovery import IdClaims, find_blueprints
from archgen.gallery.environment import environment_key
from archgen.gallery.faults import failure, stale_reason
from archgen.gallery.lock import folder_lock
from archgen.gallery.pages import (
    Card,
    card_for,
    index_key,
    index_written,
    relatives_key,
    write_index,
)
from archgen.gallery.related import naming_warnings, profile_of, relatives
from archgen.parse.load import FragmentError, load

if TYPE_CHECKING:
    from archgen.gallery.workers import Job, Outcome


@dataclass
class GalleryReport:
    """What a run did, by blueprint path relative to the gallery's folder."""

    rendered: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    # Why a blueprint or the index pages were not written, each at its file and line.
    errors: list[Diagnostic] = field(default_factory=list)
    # What was written anyway but is probably not what the author meant.
    warnings: list[Diagnostic] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    # The highest `ArchgenError.exit_code` among the errors: 0 when there are none.
    exit_code: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, diagnostics: list[Diagnostic], exit_code: int) -> None:
        self.errors.extend(diagnostics)
        self.exit_code = max(self.exit_code, exit_code)


@dataclass(frozen=True)
class Progress:
    """How far a run is: `done` of the `total` blueprints to render; `last` is the one
    that just finished, empty before the first. `waiting` says, before anything else,
    that another run is writing into the same folder, and this one waits for it."""

    done: int
    total: int
    last: str = ""
    waiting: bool = False


def render_gallery(
    folder: Path,
    out: Path,
    options: BuildOptions = DEFAULT_OPTIONS,
    *,
    jobs: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    force: bool = False,
) -> GalleryReport:
    """Render every blueprint below `folder` into `out`, then the index pages.

    Raises GraphvizMissing, or OutputError when `out` cannot be made: either
    would fail every blueprint. `progress` hears of each finished blueprint. A
    blueprint that fails keeps its card in the index, marked stale, as its outputs
    are kept: the last good render stands until a good one replaces it. Runs into
    one folder take turns.
    """
    notify = progress or (lambda _progress: None)
    make_folder(out)
    with folder_lock(out, lambda: notify(Progress(0, 0, waiting=True))):
        try:
            return _render(folder, out, options, jobs, notify, force)
        except BaseException:
            # Ctrl-C, or what stops every blueprint: the workers are stopped by now,
            # and what they were writing is left in temporary files.
            remove_temporary_files(out)
            raise


def _render(
    folder: Path,
    out: Path,
    options: BuildOptions,
    jobs: int | None,
    notify: Callable[[Progress], None],
    force: bool,
) -> GalleryReport:
    report = GalleryReport()
    remove_temporary_files(out)  # a killed run's: the lock says no other run is writing
    cache = Cache.open(out, environment_key(options), force)
    files = find_blueprints(folder)
    pending = _relate(_stale_blueprints(files, folder, cache, report), folder, cache, report)
    if pending and {"svg", "png"} & set(options.formats) and shutil.which("dot") is None:
        raise GraphvizMissing()
    notify(Progress(0, len(pending)))
    with closing(_outcomes(pending, out, options, jobs)) as outcomes:
        for done, (job, outcome) in enumerate(outcomes, 1):
            _record(job, outcome, folder, cache, report, options)
            notify(Progress(done, len(pending), job.key))
    report.cards = cache.cards({p.relative_to(folder).as_posix() for p in files})
    _refresh_index(out, report, cache, options)
    if cache.unsaved is not None:
        _output_failed(report, cache.unsaved)
    return report


def _outcomes(
    pending: list[Job], out: Path, options: BuildOptions, jobs: int | None
) -> Generator[tuple[Job, Outcome], None, None]:
    """Each job with its outcome, as the workers finish them; no worker for no job."""
    if not pending:
        return
    from archgen.gallery.workers import run_jobs  # here: a run with nothing to redraw has none

    yield from run_jobs(pending, out, options, jobs)  # closed when this generator is


def _record(
    job: Job,
    outcome: Outcome,
    folder: Path,
    cache: Cache,
    report: GalleryReport,
    options: BuildOptions,
) -> None:
    """A rendered blueprint's card goes into the cache; a failed one's earlier card goes stale."""
    if outcome.errors:
        _fail(report, cache, job.key, outcome.errors, outcome.exit_code)
        return
    try:
        card = card_for(job.blueprint, job.key, outcome.written, options, folder)
        cache.store(folder, job.blueprint, outcome.written, card)
    except Exception as error:  # its review, a file it was made from gone unreadable
        _fail(report, cache, job.key, *failure(job.path, error))
        return
    report.rendered.append(job.key)


def _fail(
    report: GalleryReport, cache: Cache, rel: str, errors: list[Diagnostic], exit_code: int
) -> None:
    report.fail(errors, exit_code)
    cache.failed(rel, stale_reason(errors[0].message) if errors else "")


def _refresh_index(out: Path, report: GalleryReport, cache: Cache, options: BuildOptions) -> None:
    """Write the index pages unless the cache says they already show these cards.

    Rendering them needs Jinja and Markdown, which would be most of the cost
    of a run with nothing to redraw.
    """
    key = index_key(cache.env, report.cards, options)
    if key == cache.index and index_written(out):
        return
    try:
        write_index(out, report.cards, options)
    except BlueprintError as error:  # a mistake in the user's gallery template
        report.fail(error.diagnostics, error.exit_code)
        return
    except OutputError as error:  # a full disk: the pages written before stay whole
        _output_failed(report, error)
        return
    cache.index = key
    cache.save()


def _output_failed(report: GalleryReport, error: OutputError) -> None:
    report.fail([Diagnostic(Mark(error.path, 1, 1), str(error))], error.exit_code)


def _stale_blueprints(
    files: list[Path], folder: Path, cache: Cache, report: GalleryReport
) -> list[Job]:
    """The blueprints to render; fresh ones, fragments and failed ones go into the report."""
    ids = IdClaims()
    jobs = (
        _sort(path, path.relative_to(folder).as_posix(), folder, cache, report, ids)
        for path in files
    )
    return [job for job in jobs if job is not None]


def _sort(
    path: Path, rel: str, folder: Path, cache: Cache, report: GalleryReport, ids: IdClaims
) -> Job | None:
    """The job for `path` when it has to be rendered; else it goes into the report."""
    entry = cache.fresh(rel, folder)
    if entry is None:
        job = _load_or_fail(path, rel, folder, cache, report)
        return job if job is not None and _claim(ids, job.blueprint.id, path, report) else None
    if entry.get("fragment"):
        report.fragments.append(rel)
    elif _claim(ids, entry["id"], path, report):
        report.unchanged.append(rel)
    else:
        cache.forget(rel)  # the first file with this id renders into its folder
    return None


def _relate(pending: list[Job], folder: Path, cache: Cache, report: GalleryReport) -> list[Job]:
    """The jobs, each blueprint given the relatives its page links to. An unchanged blueprint
    whose relatives changed is rendered again. A `related` id the gallery lacks is a warning,
    not a failure: a folder holding part of a gallery still renders."""
    unchanged = cache.cards(set(report.unchanged))
    profiles = [profile_of(job.blueprint, folder) for job in pending]
    profiles += [card.profile for card in unchanged]
    found = relatives(profiles)
    redo = [card.source for card in unchanged if card.relatives != relatives_key(found[card.id])]
    report.unchanged = [rel for rel in report.unchanged if rel not in redo]
    jobs = [
        *pending,
        *filter(None, (_load_or_fail(folder / rel, rel, folder, cache, report) for rel in redo)),
    ]
    for job in jobs:
        report.warnings += naming_warnings(job.blueprint, profiles)
        job.blueprint = replace(job.blueprint, relatives=found[job.blueprint.id])
    return jobs


def _claim(ids: IdClaims, ident: str, path: Path, report: GalleryReport) -> bool:
    taken = ids.claim(ident, path)
    if taken is not None:
        report.fail([taken], BlueprintError.exit_code)
    return taken is None


def _load_or_fail(
    path: Path, rel: str, folder: Path, cache: Cache, report: GalleryReport
) -> Job | None:
    """The job for `path`, or None when it is a fragment or failed. Whatever loading it
    raises (it is invalid, names a path the system refuses, nests too deeply) is its
    failure alone."""
    try:
        blueprint = load(path, root=folder)
    except FragmentError:
        cache.store_fragment(rel, folder, path)
        report.fragments.append(rel)
        return None
    except Exception as error:
        _fail(report, cache, rel, *failure(path, error))
        return None
    from archgen.gallery.workers import Job

    return Job(path, rel, blueprint)
