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
    from archgen.parse.validate import build_blueprint

    display = Path(path)
    root_dir = Path(root) if root is not None else display.resolve().parent
    errors = Collector()
    if not display.resolve().is_relative_to(root_dir.resolve()):
        errors.error(Mark(display, 1, 1), f"the blueprint is outside the root {root_dir}")
        errors.raise_if_any()
    composed = compose(display, display, root_dir, errors)
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
