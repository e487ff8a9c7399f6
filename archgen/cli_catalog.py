"""`archgen catalog`: the kinds and techs as a table for the terminal.

Formatting for a terminal is the command line's job; the catalog itself
(`archgen.catalog`) is data and knows nothing of columns.
"""

from __future__ import annotations

from collections.abc import Sequence

from archgen.catalog import Catalog, Kind, Tech
from archgen.format import STEP_NAMES


def catalog_listing(catalog: Catalog, flavor: str | None = None) -> str:
    """The text of `archgen catalog`: kinds by framework step, then techs by name.

    Without `flavor`, kinds show their role icon (what generic and onprem
    draw); with one, what that flavor draws: a cloud service by its name, or
    the role icon. Every line fits in 100 columns.
    """
    kinds = sorted(catalog.kinds.values(), key=lambda kind: STEP_NAMES.index(kind.step))
    if flavor:
        title = f"Kinds ({len(kinds)}) in the {flavor} flavor: `kind:` in a component"
        header = ["KIND", "STEP", "ICON"]
        kind_rows = [[kind.name, kind.step, _icon_note(kind, flavor)] for kind in kinds]
    else:
        title = f"Kinds ({len(kinds)}): `kind:` in a component; the icon tells its role"
        header = ["KIND", "LABEL", "STEP", "ROLE ICON"]
        kind_rows = [[kind.name, kind.label, kind.step, kind.role_icon] for kind in kinds]
    tech_rows = [[t.name, t.label, t.icon] for t in sorted(catalog.techs.values(), key=_name)]
    lines = [
        title,
        *_table(header, kind_rows),
        *([] if flavor else [CLOUD_NOTE]),
        "",
        f"Techs ({len(tech_rows)}): `tech:` in a component; same icon in every flavor, name printed",
        *_table(["TECH", "LABEL", "ICON"], tech_rows),
    ]
    return "\n".join(lines)


CLOUD_NOTE = (
    "  In aws, gcp and azure a kind shows the cloud's service where it has one, named under\n"
    "  the label: see `archgen catalog --flavor aws` (or gcp, azure)."
)


def _icon_note(kind: Kind, flavor: str) -> str:
    service = kind.services.get(flavor)
    return f"service: {service.name}" if service else f"role: {kind.role_icon}"


def _name(tech: Tech) -> str:
    return tech.name


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as lines whose columns line up, two spaces apart, indented by two."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return [
        "  "
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
