"""One gallery run: what is stale, rendering it, then the index pages.

Every blueprint is first checked against the cache; what remains is
validated in this process (to catch duplicate ids before anything is
written) and handed to the workers. Problems with single blueprints end up
in the report; only what would fail every one of them raises.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from archgen.build import DEFAULT_OPTIONS, BuildOptions
from archgen.diagnostics import Diagnostic
from archgen.errors import BlueprintError, GraphvizMissing
from archgen.files import make_folder, remove_temporary_files
from archgen.gallery.cache import Cache
from archgen.gallery.discovery import IdClaims, find_blueprints
from archgen.gallery.environment import environment_key
from archgen.gallery.pages import (
    Card,
    card_for,
    index_key,
    index_written,
    relatives_key,
    write_index,
)
from archgen.gallery.related import naming_errors, profile_of, relatives, unknown_names
from archgen.gallery.workers import Job, run_jobs
from archgen.parse.load import FragmentError, load


@dataclass
class GalleryReport:
    """What a run did, by blueprint path relative to the gallery's folder."""

    rendered: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    # Why a blueprint or the index pages were not written, each at its file and line.
    errors: list[Diagnostic] = field(default_factory=list)
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
    that just finished, empty before the first."""

    done: int
    total: int
    last: str = ""


def render_gallery(
    folder: Path,
    out: Path,
    options: BuildOptions = DEFAULT_OPTIONS,
    *,
    jobs: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    force: bool = False,
    keep_failed: bool = False,
) -> GalleryReport:
    """Render every blueprint below `folder` into `out`, then the index pages.

    Raises GraphvizMissing, or OutputError when `out` cannot be made: either
    would fail every blueprint. `progress` hears of each finished blueprint. With
    `keep_failed`, a blueprint that fails keeps its card in the index, as its outputs
    are kept: the last good render stands until a good one replaces it.
    """
    report = GalleryReport()
    notify = progress or (lambda _progress: None)
    make_folder(out)
    remove_temporary_files(out)
    cache = Cache.open(out, environment_key(options), force)
    cache.keep_failed = keep_failed
    files = find_blueprints(folder)
    pending = _relate(_stale_blueprints(files, folder, cache, report), folder, cache, report)
    if pending and {"svg", "png"} & set(options.formats) and shutil.which("dot") is None:
        raise GraphvizMissing()
    notify(Progress(0, len(pending)))
    for done, (job, outcome) in enumerate(run_jobs(pending, out, options, jobs), 1):
        if outcome.errors:
            report.fail(outcome.errors, outcome.exit_code)
            cache.failed(job.key)
        else:
            card = card_for(job.blueprint, job.key, outcome.written, options, folder)
            cache.store(folder, job.blueprint, outcome.written, card)
            report.rendered.append(job.key)
        notify(Progress(done, len(pending), job.key))
    report.cards = cache.cards({p.relative_to(folder).as_posix() for p in files})
    _refresh_index(out, report, cache, options)
    return report


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
    cache.index = key
    cache.save()


def _stale_blueprints(
    files: list[Path], folder: Path, cache: Cache, report: GalleryReport
) -> list[Job]:
    """The blueprints to render; fresh ones, fragments and invalid ones go into the report."""
    pending: list[Job] = []
    ids = IdClaims()
    for path in files:
        rel = path.relative_to(folder).as_posix()
        entry = cache.fresh(rel, folder)
        if entry is None:
            job = _prepare(path, rel, folder, cache, report)
            if job is not None and _claim(ids, job.blueprint.id, path, report):
                pending.append(job)
        elif entry.get("fragment"):
            report.fragments.append(rel)
        elif _claim(ids, entry["id"], path, report):
            report.unchanged.append(rel)
        else:
            cache.forget(rel)  # the first file with this id renders into its folder
    return pending


def _relate(pending: list[Job], folder: Path, cache: Cache, report: GalleryReport) -> list[Job]:
    """The jobs, each blueprint given the relatives its page links to. An unchanged blueprint
    whose relatives changed is rendered again; one whose `related` names a case study the
    gallery lacks fails, as an invalid one does."""
    unchanged = cache.cards(set(report.unchanged))
    profiles = [profile_of(job.blueprint, folder) for job in pending]
    profiles += [card.profile for card in unchanged]
    found = relatives(profiles)
    redo = [
        card.source
        for card in unchanged
        if card.relatives != relatives_key(found[card.id]) or unknown_names(card.related, profiles)
    ]
    report.unchanged = [rel for rel in report.unchanged if rel not in redo]
    jobs = [
        *pending,
        *filter(None, (_prepare(folder / rel, rel, folder, cache, report) for rel in redo)),
    ]
    ready = []
    for job in jobs:
        errors = naming_errors(job.blueprint, profiles)
        if errors:
            report.fail(errors, BlueprintError.exit_code)
            cache.failed(job.key)
        else:
            job.blueprint = replace(job.blueprint, relatives=found[job.blueprint.id])
            ready.append(job)
    return ready


def _claim(ids: IdClaims, ident: str, path: Path, report: GalleryReport) -> bool:
    taken = ids.claim(ident, path)
    if taken is not None:
        report.fail([taken], BlueprintError.exit_code)
    return taken is None


def _prepare(path: Path, rel: str, folder: Path, cache: Cache, report: GalleryReport) -> Job | None:
    try:
        blueprint = load(path, root=folder)
    except FragmentError:
        cache.store_fragment(rel, folder, path)
        report.fragments.append(rel)
        return None
    except BlueprintError as error:
        report.fail(error.diagnostics, error.exit_code)
        cache.failed(rel)
        return None
    return Job(path, rel, blueprint)
