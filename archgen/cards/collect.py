"""The blueprints a deck is made of: files named, and every blueprint below a folder.

Cards are worth nothing half made: every problem in every blueprint is
gathered and raised at once, before a deck is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from archgen.diagnostics import Diagnostic
from archgen.errors import BlueprintError
from archgen.gallery.discovery import IdClaims, find_blueprints
from archgen.model import Blueprint
from archgen.parse.load import FragmentError, load


def collect_blueprints(paths: Iterable[Path], root: Path | None = None) -> list[Blueprint]:
    """Each file of `paths`, and every blueprint below each folder of them, in order.

    A folder is the root of the blueprints below it, as in a gallery; a file has
    `root`, else its own folder. Fragments have no cards of their own and are
    skipped. Raises BlueprintError with every problem, two blueprints with one
    id included: their cards would share ids.
    """
    blueprints: list[Blueprint] = []
    problems: list[Diagnostic] = []
    ids = IdClaims()
    for path, path_root in _files(paths, root):
        try:
            blueprint = load(path, root=path_root)
        except FragmentError:
            continue
        except BlueprintError as error:
            problems += error.diagnostics
            continue
        taken = ids.claim(blueprint.id, path)
        if taken is None:
            blueprints.append(blueprint)
        else:
            problems.append(taken)
    if problems:
        raise BlueprintError(problems)
    return blueprints


def _files(paths: Iterable[Path], root: Path | None) -> list[tuple[Path, Path | None]]:
    """(file, its root) for every file to read."""
    files: list[tuple[Path, Path | None]] = []
    for path in paths:
        if path.is_dir():
            files += [(found, path) for found in find_blueprints(path)]
        else:
            files.append((path, root))
    return files
