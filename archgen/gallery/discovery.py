"""Which files below a folder make up a gallery, and which output folder each may claim."""

from __future__ import annotations

from pathlib import Path

from archgen.diagnostics import Diagnostic, Mark
from archgen.errors import BlueprintError
from archgen.parse.load import FragmentError, load

BLUEPRINT_SUFFIXES = (".yaml", ".yml")


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


class IdClaims:
    """Two blueprints may not share an id: both would write into one folder. The first
    file in order keeps it."""

    def __init__(self) -> None:
        self.owners: dict[str, Path] = {}

    def claim(self, ident: str, path: Path) -> Diagnostic | None:
        """None when `path` may use `ident`, else the error to report at `path`."""
        owner = self.owners.setdefault(ident, path)
        if owner == path:
            return None
        return Diagnostic(
            Mark(path, 1, 1),
            f"id '{ident}' is already used by {owner}",
            "give one of them its own `id`",
        )
