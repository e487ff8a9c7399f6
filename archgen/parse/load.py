"""Loading: a blueprint file in, a validated Blueprint out, or every error in it.

This is the front door of the pipeline (read, compose, validate). It never
runs code from the file, never reads outside the blueprint root and never
writes anything.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from archgen.diagnostics import Collector, Diagnostic, Mark
from archgen.errors import BlueprintError
from archgen.files import UnusableInput, input_file, real_path
from archgen.model import Blueprint


class FragmentError(BlueprintError):
    """A fragment was asked to stand alone; it only exists to be extended."""


def load(path: str | os.PathLike[str], *, root: str | os.PathLike[str] | None = None) -> Blueprint:
    """Read, compose and validate one blueprint.

    `root` bounds every path the file may reach (`extends`, `icon`); it
    defaults to the blueprint's own folder. Raises BlueprintError with every
    problem found, FragmentError for a fragment.
    """
    # Imported here: `import archgen` brings this module (`archgen.load` is this
    # function), and a gallery with nothing to redraw loads no blueprint.
    from archgen.catalog import load_catalog
    from archgen.parse.compose import compose
    from archgen.parse.limits import check_counts
    from archgen.parse.validate import build_blueprint

    display = Path(path)
    errors = Collector()
    source, root_dir = _source_and_root(display, root)
    composed = compose(source, display, root_dir, errors)
    if composed is not None:
        check_counts(composed.tree, composed.edges, errors)
    errors.raise_if_any()
    assert composed is not None
    if composed.fragment:
        raise FragmentError(
            [
                Diagnostic(
                    Mark(display, 1, 1),
                    "this is a fragment (`fragment: true`): it is never rendered on its own",
                    "it is checked as part of each blueprint that extends it",
                )
            ]
        )
    blueprint = build_blueprint(composed, root_dir, load_catalog(), errors)
    errors.raise_if_any()
    assert blueprint is not None
    return replace(blueprint, warnings=tuple(sorted(errors.warnings)))


def _source_and_root(display: Path, root: str | os.PathLike[str] | None) -> tuple[Path, Path]:
    """The blueprint's real path and its root's, or BlueprintError (exit 1) when the file
    cannot be read, however odd its path: `archgen validate /dev/zero` stops here."""
    try:
        source = input_file(display)
    except UnusableInput as problem:
        raise _unreadable(display, f"cannot read the file: it {problem}") from None
    if root is None:
        return source, source.parent
    try:
        root_dir = real_path(Path(root))
    except UnusableInput as problem:
        raise _unreadable(display, f"the root {os.fspath(root)!r} {problem}") from None
    if not source.is_relative_to(root_dir):
        raise _unreadable(display, f"the blueprint is outside the root {root_dir}")
    return source, root_dir


def _unreadable(display: Path, message: str) -> BlueprintError:
    return BlueprintError([Diagnostic(Mark(display, 1, 1), message)])
