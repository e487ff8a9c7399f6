"""What a save touches, and rendering it: one blueprint file, or a folder of them.

A blueprint file renders again when its own file, a fragment it extends, one
of its icons or one of the user's templates changes. A folder goes through
the gallery (`render_gallery`), whose cache already knows which blueprints a
change makes stale, the ones extending an edited fragment included, and which
keeps a failing blueprint's last good render and card, marked stale.

Either way a broken save writes nothing: loading fails before any output is
touched, and every output is replaced atomically, so the last good one stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from archgen.build import BuildOptions
from archgen.diagnostics import Diagnostic
from archgen.errors import BlueprintError
from archgen.gallery import render_gallery
from archgen.gallery.cache import dependencies
from archgen.gallery.discovery import BLUEPRINT_SUFFIXES
from archgen.gallery.pages import Card
from archgen.gallery.workers import build_one
from archgen.parse.load import load


@dataclass(frozen=True)
class WatchPass:
    """One render: the first, at start, then one after each save that touched something."""

    # The blueprints rendered, as the command was given them (a folder's: relative to it).
    rendered: tuple[str, ...] = ()
    # Why something was not rendered, at its file, line and column; its last good
    # output is kept.
    errors: tuple[Diagnostic, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    # Whether an output changed: an open page should reload.
    changed: bool = False
    # The page to open, relative to the output folder ("" before a first good render).
    page: str = ""
    # The highest `ArchgenError.exit_code` among the errors: 0 when there are none.
    exit_code: int = 0
    seconds: float = 0.0


class Target(Protocol):
    def watched(self) -> list[Path]:
        """The folders whose saves may concern the target."""
        ...

    def affected(self, paths: set[Path]) -> bool:
        """Whether saving these files (resolved paths) calls for a render."""
        ...

    def render(self) -> WatchPass: ...


class BlueprintTarget:
    """One blueprint file, re-rendered when a file it was made from changes."""

    def __init__(self, file: Path, out: Path, options: BuildOptions, root: Path | None):
        self.file = file
        self.out = out
        self.options = options
        self.root = root
        # The files the last good load read; until then, the blueprint's own.
        self.deps = frozenset({file.resolve()})
        self.loaded = False
        self.page = ""

    def watched(self) -> list[Path]:
        """The root holds every file the blueprint may read: `load` refuses any other."""
        return [(self.root or self.file.parent).resolve(), *_templates(self.options)]

    def affected(self, paths: set[Path]) -> bool:
        """While the blueprint does not load, its fragments are unknown: any YAML file
        saved may be the one it is waiting for (an `extends` written before its file)."""
        if paths & self.deps or _touches_templates(paths, self.options):
            return True
        return not self.loaded and any(p.suffix in BLUEPRINT_SUFFIXES for p in paths)

    def render(self) -> WatchPass:
        try:
            blueprint = load(self.file, root=self.root)
        except BlueprintError as error:
            self.loaded = False
            return WatchPass(
                errors=tuple(error.diagnostics), page=self.page, exit_code=error.exit_code
            )
        self.loaded = True
        self.deps = frozenset(p.resolve() for p in dependencies(blueprint))
        outcome = build_one(blueprint, self.out, self.options)
        if outcome.errors:
            return WatchPass(
                errors=tuple(outcome.errors),
                warnings=blueprint.warnings,
                page=self.page,
                exit_code=outcome.exit_code,
            )
        self.page = page_of(blueprint.id, self.options)
        return WatchPass((str(self.file),), (), blueprint.warnings, True, self.page)


class GalleryTarget:
    """A folder of blueprints, rendered as `archgen gallery` renders it, index included."""

    def __init__(self, folder: Path, out: Path, options: BuildOptions, jobs: int | None):
        self.folder = folder
        self.out = out
        self.options = options
        self.jobs = jobs
        self.cards: list[Card] | None = None

    def watched(self) -> list[Path]:
        return [self.folder.resolve(), *_templates(self.options)]

    def affected(self, paths: set[Path]) -> bool:
        """Any save: the gallery's cache tells what it changed, at the cost of a hash a file."""
        return True

    def render(self) -> WatchPass:
        report = render_gallery(self.folder, self.out, self.options, jobs=self.jobs)
        # A blueprint deleted or renamed changes the index without rendering anything.
        changed = bool(report.rendered) or report.cards != self.cards
        self.cards = report.cards
        return WatchPass(
            rendered=tuple(report.rendered),
            errors=tuple(report.errors),
            warnings=tuple(report.warnings),
            changed=changed,
            page="index.html",
            exit_code=report.exit_code,
        )


def page_of(ident: str, options: BuildOptions) -> str:
    """What to open of a blueprint's outputs: its page, else its diagram, else its folder."""
    if options.narrative:
        return f"{ident}/index.html"
    return f"{ident}/{ident}.{options.image_ext}" if options.image_ext else f"{ident}/"


def _templates(options: BuildOptions) -> list[Path]:
    return [options.templates.resolve()] if options.templates is not None else []


def _touches_templates(paths: set[Path], options: BuildOptions) -> bool:
    folders = _templates(options)
    return any(path.is_relative_to(folder) for path in paths for folder in folders)
