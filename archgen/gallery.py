"""Many blueprints at once: in parallel, incrementally, with an index page.

A gallery run first checks every blueprint against the cache in the output
folder: a blueprint whose own file, the fragments it extends, its icons and
the environment (archgen's code, catalog, templates, options and Graphviz's
version) all hash as before is skipped without being read. What remains is
validated in this process (to catch duplicate ids before anything is
written) and rendered by a pool of worker processes. The cache is saved after
every finished blueprint, atomically, so a killed run keeps what it finished;
the temporary files such a run leaves behind are removed by the next one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import archgen
import archgen.catalog
from archgen.build import DEFAULT_OPTIONS, BuildOptions, build
from archgen.diagnostics import BlueprintError, Diagnostic, Mark
from archgen.errors import GraphvizError, GraphvizMissing, OutputError
from archgen.files import remove_temporary_files, write_atomic
from archgen.load import FragmentError, load
from archgen.model import Blueprint
from archgen.templates import templates_digest

if TYPE_CHECKING:
    from concurrent.futures import Future

# The layout, Jinja, Markdown and the process pool are imported
# where they are used, not here: a run with nothing to redraw must not pay for them.

CACHE_NAME = ".archgen-cache.json"
# The index pages: (template, file in the output folder).
INDEX_PAGES: tuple[tuple[str, str], ...] = (
    ("gallery.html.j2", "index.html"),
    ("gallery.md.j2", "README.md"),
)
BLUEPRINT_SUFFIXES = (".yaml", ".yml")
# Up to this many distinct tags, every tag gets a filter button.
FEATURED_TAGS_ALWAYS = 12


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


CARD_TEXTS = ("id", "title", "summary", "source", "thumbnail", "page")
CARD_FIELDS = frozenset(f.name for f in fields(Card))


def card_from_json(data: object) -> Card | None:
    """A card as the cache stored it, or None when the cache was tampered with."""
    if not isinstance(data, dict) or set(data) != CARD_FIELDS:
        return None
    tags = data["tags"]
    well_typed = (
        all(isinstance(data[name], str) for name in CARD_TEXTS)
        and all(isinstance(data[name], int) for name in ("components", "flows"))
        and _string_list(tags)
    )
    return Card(**{**data, "tags": tuple(tags)}) if well_typed else None


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


@dataclass
class _Outcome:
    """What a worker did with one blueprint: the files it wrote, or why it could not."""

    written: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


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


def case_studies(folder: Path) -> list[Path]:
    """The blueprints below `folder` that render on their own (fragments left out)."""
    found = []
    for path in find_blueprints(folder):
        try:
            load(path, root=folder)
        except FragmentError:
            continue
        except BlueprintError:
            pass
        found.append(path)
    return found


def render_gallery(
    folder: Path,
    out: Path,
    options: BuildOptions = DEFAULT_OPTIONS,
    *,
    jobs: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    force: bool = False,
) -> GalleryReport:
    """Render every blueprint below `folder` into `out`, then the index pages.

    Problems with single blueprints end up in the report; only a missing
    Graphviz, which would fail every one of them, raises (GraphvizMissing).
    """
    report = GalleryReport()
    notify = progress or (lambda _event, _done, _total: None)
    remove_temporary_files(out)
    cache = _Cache.open(out, _environment_key(options), force)
    files = find_blueprints(folder)
    pending = _stale_blueprints(files, folder, cache, report)
    if pending and {"svg", "png"} & set(options.formats) and shutil.which("dot") is None:
        raise GraphvizMissing()
    total = len(pending)
    notify("start", 0, total)
    for done, (job, outcome) in enumerate(_run_jobs(pending, out, options, jobs), 1):
        rel = job.key
        if outcome.errors:
            report.errors.extend(outcome.errors)
            cache.forget(rel)
        else:
            cache.store(rel, folder, job.blueprint, outcome.written, options)
            report.rendered.append(rel)
        notify(rel, done, total)
    report.cards = cache.cards({p.relative_to(folder).as_posix() for p in files})
    _refresh_index(out, report, cache, options)
    return report


def _refresh_index(out: Path, report: GalleryReport, cache: _Cache, options: BuildOptions) -> None:
    """Write the index pages unless the cache says they already show these cards.

    Rendering them needs Jinja and Markdown, which would be most of the cost
    of a run with nothing to redraw.
    """
    key = _index_key(cache.env, report.cards, options)
    if key == cache.index and all((out / page).is_file() for _, page in INDEX_PAGES):
        return
    try:
        write_index(out, report.cards, options)
    except BlueprintError as error:  # a mistake in the user's gallery template
        report.errors.extend(str(d) for d in error.diagnostics)
        return
    cache.index = key
    cache.save()


def _index_key(env: str, cards: list[Card], options: BuildOptions) -> str:
    """Everything the index pages show: the cards, the gallery templates, and through
    `env` archgen's version, code and options."""
    parts = [
        env,
        templates_digest(options.templates, "gallery"),
        json.dumps([asdict(card) for card in cards], sort_keys=True),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _stale_blueprints(
    files: list[Path], folder: Path, cache: _Cache, report: GalleryReport
) -> list[_Job]:
    """The blueprints to render; fresh ones, fragments and invalid ones go into the report."""
    pending: list[_Job] = []
    ids: dict[str, Path] = {}
    for path in files:
        rel = path.relative_to(folder).as_posix()
        entry = cache.fresh(rel, folder)
        if entry is None:
            job = _prepare(path, rel, folder, cache, report)
            if job is not None and _claim_id(job.blueprint.id, path, ids, report):
                pending.append(job)
        elif entry.get("fragment"):
            report.fragments.append(rel)
        elif _claim_id(entry["id"], path, ids, report):
            report.unchanged.append(rel)
        else:
            cache.forget(rel)  # the first file with this id renders into its folder
    return pending


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
) -> Iterable[tuple[_Job, _Outcome]]:
    """Yield each job with what became of it, as they finish."""
    if not jobs:
        return
    count = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if count == 1:
        for job in jobs:
            yield job, _build_one(job.blueprint, out, options)
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    with ProcessPoolExecutor(max_workers=count) as pool:
        running: dict[Future, _Job] = {
            pool.submit(_build_one, j.blueprint, out, options): j for j in jobs
        }
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                job = running.pop(future)
                yield job, _outcome_of(future, job)


def _outcome_of(future: Future, job: _Job) -> _Outcome:
    """A worker killed from outside (out of memory, a signal) takes its pool down with it."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        return _failed(job.blueprint, "not rendered: a worker process died (out of memory?)")


def _build_one(blueprint: Blueprint, out: Path, options: BuildOptions) -> _Outcome:
    """Runs in a worker: one blueprint's failure must not stop the others."""
    try:
        written = build(blueprint, out, options)
    except BlueprintError as error:
        return _Outcome(errors=[str(d) for d in error.diagnostics])
    except GraphvizError as error:
        return _failed(blueprint, str(error))
    except OutputError as error:
        return _failed(blueprint, str(error))
    return _Outcome(written=sorted(p.relative_to(out).as_posix() for p in written))


def _failed(blueprint: Blueprint, message: str) -> _Outcome:
    return _Outcome(errors=[str(Diagnostic(Mark(blueprint.source, 1, 1), message))])


# -- the cache -----------------------------------------------------------


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


ICON_PACKAGES: tuple[str, ...] = ("diagrams", "lucide", "simple-icons-pack")


def _environment_key(options: BuildOptions) -> str:
    """Everything besides the blueprint's own files that changes what gets written."""
    package = Path(archgen.__file__).parent
    # The catalog's file is hashed, not parsed: parsing it costs more than the rest.
    code = [*sorted(package.glob("*.py")), archgen.catalog.CATALOG_FILE]
    parts = [
        archgen.__version__,  # the catalog is hashed with the code, below
        templates_digest(options.templates, "narrative"),
        json.dumps(asdict(options), default=str, sort_keys=True),
        _graphviz_version(),
        # The icons are drawn from these packages: a new version may change a picture.
        *(f"{name}:{','.join(_installed(name))}" for name in ICON_PACKAGES),
        *(f"{p.name}:{file_digest(p)}" for p in code),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _installed(distribution: str) -> list[str]:
    """The distribution's ``NAME-VERSION.dist-info`` folders on sys.path: their names
    carry its version. Found by listing folders rather than through importlib.metadata,
    whose import alone costs more than a gallery run with nothing to redraw."""
    prefix = distribution.replace("-", "_").lower() + "-"
    found: list[str] = []
    for entry in filter(None, sys.path):
        try:
            names = os.listdir(entry)
        except OSError:  # a zip file, a folder that went away
            continue
        found += sorted(
            n for n in names if n.lower().startswith(prefix) and n.endswith(".dist-info")
        )
    return found


def _graphviz_version() -> str:
    executable = shutil.which("dot")
    if executable is None:
        return "none"
    result = subprocess.run([executable, "-V"], capture_output=True, text=True, check=False)
    return result.stderr.strip()


class _Cache:
    """OUT/.archgen-cache.json: per blueprint, what it depended on and wrote."""

    def __init__(self, path: Path, env: str, entries: dict[str, dict], index: str = ""):
        self.path = path
        self.env = env
        self.entries = entries
        # The `_index_key` of the index pages last written.
        self.index = index
        self.out = path.parent

    @classmethod
    def open(cls, out: Path, env: str, force: bool) -> _Cache:
        path = out / CACHE_NAME
        data = {} if force else _saved_data(path, env)
        index = data.get("index")
        return cls(path, env, _saved_entries(data), index if isinstance(index, str) else "")

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
        # SVG when there is one: it stays sharp at any size, and a gallery committed
        # without its PNGs still shows every card.
        thumb = f"{bp.id}/{bp.id}.{'svg' if 'svg' in options.formats else 'png'}"
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
            "card": {**asdict(card), "tags": list(card.tags)},  # as JSON has it
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
        data = {
            "env": self.env,
            "index": self.index,
            "blueprints": dict(sorted(self.entries.items())),
        }
        write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True))

    def cards(self, present: set[str]) -> list[Card]:
        """Cards of the blueprints that exist and rendered, by title."""
        cards = [card_from_json(e.get("card")) for rel, e in self.entries.items() if rel in present]
        return sorted(filter(None, cards), key=lambda c: c.title.lower())


def _saved_data(path: Path, env: str) -> dict:
    """The saved cache when it was made in this environment, else an empty one.

    A missing, truncated or hand-edited cache file only costs a re-render of
    what it no longer vouches for.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("env") != env:
        return {}
    return data


def _saved_entries(data: dict) -> dict[str, dict]:
    """The well-formed blueprint entries of a saved cache."""
    saved = data.get("blueprints")
    if not isinstance(saved, dict):
        return {}
    return {rel: entry for rel, entry in saved.items() if _well_formed(entry)}


def _well_formed(entry: object) -> bool:
    if not isinstance(entry, dict) or not _string_map(entry.get("deps")):
        return False
    if entry.get("fragment") is True:
        return True
    return (
        isinstance(entry.get("id"), str)
        and _string_list(entry.get("outputs"))
        and card_from_json(entry.get("card")) is not None
    )


def _string_map(value: object) -> bool:
    return isinstance(value, dict) and _string_list([*value, *value.values()])


def _string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# -- the index pages -----------------------------------------------------


def write_index(out: Path, cards: list[Card], options: BuildOptions) -> list[Path]:
    """OUT/index.html and OUT/README.md, rewritten only when their text changes."""
    from archgen.templates import render_template, template_environment
    from archgen.text import plain_markdown

    env = template_environment(options.templates, {"md": plain_markdown})
    counts = Counter(tag for card in cards for tag in card.tags)
    context = {
        "cards": cards,
        "tags": sorted(counts, key=str.lower),
        "tag_counts": counts,
        "featured_tags": featured_tags(counts),
        "version": archgen.__version__,
    }
    written = []
    for template, name in INDEX_PAGES:
        text = render_template(env, template, context)
        target = out / name
        if not (target.is_file() and target.read_text(encoding="utf-8") == text):
            write_atomic(target, text)
        written.append(target)
    return written


def featured_tags(counts: Counter[str]) -> list[str]:
    """The tags worth a filter button of their own, most used first.

    A gallery has about four tags per blueprint, most of them on one
    blueprint only: a button each would bury the cards. A tag on a single
    card stays reachable from that card and by search.
    """
    by_use = sorted(counts, key=lambda tag: (-counts[tag], tag.lower()))
    if len(by_use) <= FEATURED_TAGS_ALWAYS:
        return by_use
    return [tag for tag in by_use if counts[tag] > 1]


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
