"""`archgen new`: a starter blueprint that validates and renders as written.

The starter's text is a template (`starter.yaml.j2`), so it can be changed
without touching code. Its schema modeline points at the schema this archgen
ships, relative to the new file, so an editor completes it at once.
"""

from __future__ import annotations

import os
from pathlib import Path

from archgen.errors import UsageError
from archgen.files import write_atomic
from archgen.format import default_id
from archgen.narrate.templates import shipped, template_environment


class StarterError(UsageError):
    """The starter cannot be written where or how it was asked for."""


def schema_file() -> Path:
    return shipped("schema") / "blueprint.schema.json"


def write_starter(target: Path, *, base: Path | None = None, overwrite: bool = False) -> Path:
    path = target if target.suffix in (".yaml", ".yml") else target.with_name(target.name + ".yaml")
    if path.exists() and not overwrite:
        raise StarterError(f"{path} already exists; pass --force to overwrite it")
    if not default_id(path):
        raise StarterError(f"cannot make a blueprint id from '{path.name}'; use letters or digits")
    folder = path.parent.resolve()
    context = {
        "schema": Path(os.path.relpath(schema_file(), folder)).as_posix(),
        "title": path.stem.replace("-", " ").replace("_", " ").strip().capitalize(),
        "extends": _extends_path(base, folder) if base is not None else None,
    }
    text = template_environment().get_template("starter.yaml.j2").render(context)
    write_atomic(path, text)
    return path


def _extends_path(base: Path, folder: Path) -> str:
    if not base.is_file():
        raise StarterError(f"--from {base}: no such file")
    resolved = base.resolve()
    if not resolved.is_relative_to(folder):
        raise StarterError(
            f"--from {base} is outside {folder}; `extends` must stay inside the blueprint's folder "
            "(create the new blueprint next to it, or in a folder above it)"
        )
    return resolved.relative_to(folder).as_posix()
