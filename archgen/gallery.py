"""Many blueprints at once: in parallel, incrementally, with an index page.

A gallery run first checks every blueprint against the cache in the output
folder: a blueprint whose own file, the fragments it extends, its icons and
the environment (archgen's code, catalog, templates, options and Graphviz's
version) all hash as before is skipped without being read. What remains is
validated in this process (to catch duplicate ids before anything is
written) and rendered by a pool of worker processes. The cache is saved after
every finished blueprint, atomically, so a killed run keeps what it finished.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

import archgen
from archgen.build import DEFAULT_OPTIONS, BuildOptions, build
from archgen.catalog import load_catalog
from archgen.diagnostics import BlueprintError, Diagnostic, Mark
from archgen.files import write_atomic
from archgen.load import FragmentError, load
from archgen.model import Blueprint
from archgen.templates import template_environment, templates_digest

CACHE_NAME = ".archgen-cache.json"
BLUEPRINT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Card:
    """What the index pages show of one blueprint."""

    id: str
    title: str
    summary: str
    tags: tuple[str, ...]
    source: str
    thumbnail: str
    page: str
    components: int
    flows: int


@dataclass
class GalleryReport:
    rendered: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Job:
    path: Path
    key: str
    blueprint: Blueprint


def find_blueprints(folder: Path) -> list[Path]:
    """Every YAML file below `folder`, in a stable order; hidden folders are skipped."""
    found = [
        p
        for p in folder.rglob("*")
        if p.suffix in BLUEPRINT_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(found)


def render_gallery(
    folder: Path,
    out: Path,
    options: BuildOptions = DEFAULT_OPTIONS,
    *,
    jobs: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    force: bool = False,
) -> GalleryReport:
    """Render every blueprint below `folder` into `out`, then the index pages."""
    report = GalleryReport()
    notify = progress or (lambda _event, _done, _total: None)
    cache = _Cache.open(out, _environment_key(options), force)
    files = find_blueprints(folder)
    pending: list[_Job] = []
    ids: dict[str, Path] = {}
    for path in files:
        rel = path.relative_to(folder).as_posix()
        entry = cache.fresh(rel, folder)
        if entry is not None:
            if entry.get("fragment"):
                report.fragments.append(rel)
                continue
            if _claim_id(entry["id"], path, ids, report):
                report.unchanged.append(rel)
            continue
        job = _prepare(path, rel, folder, cache, report)
        if job is not None and _claim_id(job.blueprint.id, path, ids, report):
            pending.append(job)
    total = len(pending)
    notify("start", 0, total)
    for done, (job, outcome) in enumerate(_run_jobs(pending, out, options, jobs), 1):
        rel = job.path.relative_to(folder).as_posix()
        if isinstance(outcome, str):
            report.errors.append(outcome)
            cache.forget(rel)
        else:
            cache.store(rel, folder, job.blueprint, outcome, options)
            report.rendered.append(rel)
        notify(rel, done, total)
    report.cards = cache.cards({p.relative_to(folder).as_posix() for p in files})
    write_index(out, report.cards, options)
    return report


def _claim_id(ident: str, path: Path, ids: dict[str, Path], report: GalleryReport) -> bool:
    """Two blueprints may not share an id: both would write into one folder."""
    if ident in ids:
        report.errors.append(
            str(
                Diagnostic(
                    Mark(path, 1, 1),
                    f"id '{ident}' is already used by {ids[ident]}",
                    "give one of them its own `id`",
                )
            )
        )
        return False
    ids[ident] = path
    return True


def _prepare(
    path: Path, rel: str, folder: Path, cache: _Cache, report: GalleryReport
) -> _Job | None:
    try:
        blueprint = load(path, root=folder)
    except FragmentError:
        cache.store_fragment(rel, folder, path)
        report.fragments.append(rel)
        return None
    except BlueprintError as error:
        report.errors.extend(str(d) for d in error.diagnostics)
        cache.forget(rel)
        return None
    return _Job(path, rel, blueprint)


def _run_jobs(
    jobs: list[_Job], out: Path, options: BuildOptions, workers: int | None
) -> Iterable[tuple[_Job, list[str] | str]]:
    """Yield each job with its written files (relative to out) or an error line, as they finish."""
    if not jobs:
        return
    count = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if count == 1:
        for job in jobs:
            yield job, _build_one(job.blueprint, out, options)
        return
    with ProcessPoolExecutor(max_workers=count) as pool:
        running: dict[Future, _Job] = {
            pool.submit(_build_one, j.blueprint, out, options): j for j in jobs
        }
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                yield running.pop(future), future.result()


def _build_one(blueprint: Blueprint, out: Path, options: BuildOptions) -> list[str] | str:
    """Runs in a worker: the files written, or one line saying why not."""
    from archgen.layout import GraphvizError

    try:
        written = build(blueprint, out, options)
    except BlueprintError as error:
        return str(error)
    except GraphvizError as error:
        return f"{blueprint.source}: error: {error}"
    return sorted(p.relative_to(out).as_posix() for p in written)


# -- the cache -----------------------------------------------------------


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _environment_key(options: BuildOptions) -> str:
    """Everything besides the blueprint's own files that changes what gets written."""
    package = Path(archgen.__file__).parent
    code = [*sorted(package.glob("*.py")), package / "catalog.yaml"]
    parts = [
        archgen.__version__,
        load_catalog().digest,
        templates_digest(options.templates),
        json.dumps(asdict(options), default=str, sort_keys=True),
        _graphviz_version(),
        *(f"{p.name}:{file_digest(p)}" for p in code),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _graphviz_version() -> str:
    executable = shutil.which("dot")
    if executable is None:
        return "none"
    result = subprocess.run([executable, "-V"], capture_output=True, text=True, check=False)
    return result.stderr.strip()


class _Cache:
    """OUT/.archgen-cache.json: per blueprint, what it depended on and wrote."""

    def __init__(self, path: Path, env: str, entries: dict[str, dict]):
        self.path = path
        self.env = env
        self.entries = entries
        self.out = path.parent

    @classmethod
    def open(cls, out: Path, env: str, force: bool) -> _Cache:
        path = out / CACHE_NAME
        entries: dict[str, dict] = {}
        if not force:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("env") == env:
                    entries = data.get("blueprints", {})
            except (OSError, ValueError):
                entries = {}
        return cls(path, env, entries)

    def fresh(self, rel: str, folder: Path) -> dict | None:
        """The cache entry when nothing it depends on changed and its outputs are all there."""
        entry = self.entries.get(rel)
        if entry is None:
            return None
        for dep, digest in entry["deps"].items():
            dep_path = folder / dep
            if not dep_path.is_file() or file_digest(dep_path) != digest:
                return None
        if not all((self.out / f).is_file() for f in entry.get("outputs", [])):
            return None
        return entry

    def store(
        self, rel: str, folder: Path, bp: Blueprint, outputs: list[str], options: BuildOptions
    ) -> None:
        deps = [*bp.sources, *(c.icon for c in bp.components.values() if c.icon is not None)]
        thumb = f"{bp.id}/{bp.id}.{'png' if 'png' in options.formats else 'svg'}"
        card = Card(
            id=bp.id,
            title=bp.title,
            summary=bp.summary,
            tags=bp.tags,
            source=rel,
            thumbnail=thumb if thumb in outputs else "",
            page=f"{bp.id}/index.html" if f"{bp.id}/index.html" in outputs else "",
            components=len(bp.components),
            flows=len(bp.flows),
        )
        self.entries[rel] = {
            "id": bp.id,
            "deps": self._digests(deps, folder),
            "outputs": outputs,
            "card": asdict(card),
        }
        self.save()

    def store_fragment(self, rel: str, folder: Path, path: Path) -> None:
        self.entries[rel] = {"fragment": True, "deps": self._digests([path], folder)}
        self.save()

    def forget(self, rel: str) -> None:
        if self.entries.pop(rel, None) is not None:
            self.save()

    def _digests(self, paths: Iterable[Path], folder: Path) -> dict[str, str]:
        root = folder.resolve()
        return {os.path.relpath(p.resolve(), root): file_digest(p) for p in paths}

    def save(self) -> None:
        data = {"env": self.env, "blueprints": dict(sorted(self.entries.items()))}
        write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True))

    def cards(self, present: set[str]) -> list[Card]:
        """Cards of the blueprints that exist and rendered, by title."""
        entries = [e for rel, e in self.entries.items() if rel in present and "card" in e]
        cards = [Card(**{**e["card"], "tags": tuple(e["card"]["tags"])}) for e in entries]
        return sorted(cards, key=lambda c: c.title.lower())


# -- the index pages -----------------------------------------------------


def write_index(out: Path, cards: list[Card], options: BuildOptions) -> list[Path]:
    env = template_environment(options.templates)
    tags = sorted({tag for card in cards for tag in card.tags}, key=str.lower)
    context = {"cards": cards, "tags": tags, "version": archgen.__version__}
    written = []
    for template, name in (("gallery.html.j2", "index.html"), ("gallery.md.j2", "README.md")):
        text = env.get_template(template).render(context)
        target = out / name
        if not (target.is_file() and target.read_text(encoding="utf-8") == text):
            write_atomic(target, text)
        written.append(target)
    return written


# -- progress ------------------------------------------------------------


def progress_printer(stream: TextIO, quiet: bool) -> Callable[[str, int, int], None]:
    """A bar on a terminal, one line per blueprint otherwise, nothing when quiet."""
    if quiet:
        return lambda _event, _done, _total: None
    started = time.monotonic()
    bar = stream.isatty()

    def show(event: str, done: int, total: int) -> None:
        if event == "start":
            if total:
                stream.write(f"rendering {total} blueprint{'s' if total != 1 else ''}\n")
            return
        if bar:
            width = 30
            filled = width * done // max(total, 1)
            stream.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {event[:40]:<40}"
            )
            if done == total:
                stream.write("\n")
        else:
            stream.write(f"[{done}/{total}] {event} ({time.monotonic() - started:.1f}s)\n")
        stream.flush()

    return show


def summary_line(report: GalleryReport, out: Path) -> str:
    parts = [f"{len(report.rendered)} rendered", f"{len(report.unchanged)} unchanged"]
    if report.errors:
        parts.append(f"{len(report.errors)} error{'s' if len(report.errors) != 1 else ''}")
    return f"gallery: {', '.join(parts)}; index at {out / 'index.html'}"
