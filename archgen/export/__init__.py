"""A blueprint in another tool's format: a Mermaid flowchart or a draw.io diagram.

The exporter is a view over the same model and the same layout as the diagrams:
`render --format mermaid,drawio` derives both from the layout its SVG comes
from, and `archgen export` (or `export` from Python) lays the blueprint out
only when the format needs it (draw.io's positions, or the direction a
blueprint leaves to the layout):

>>> import archgen
>>> from archgen.export import export
>>> text = export(archgen.load("blueprints/video-recommendation.yaml"), "mermaid")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from archgen.catalog import Catalog, load_catalog
from archgen.model import Blueprint

if TYPE_CHECKING:
    from archgen.layout.search import Layout

# Format -> the suffix of its file.
SUFFIXES: dict[str, str] = {"mermaid": "mmd", "drawio": "drawio"}
EXPORT_FORMATS: tuple[str, ...] = tuple(SUFFIXES)


def export(
    blueprint: Blueprint,
    to: str,
    *,
    flavor: str | None = None,
    layout: Layout | None = None,
    catalog: Catalog | None = None,
) -> str:
    """The text of `blueprint` in the format `to` (one of EXPORT_FORMATS).

    `layout` is the blueprint's Graphviz layout when the caller has one (so it
    is not laid out twice); `flavor` (default: the blueprint's) picks icons and
    product names. Raises GraphvizError when a layout is needed and Graphviz fails.
    """
    if to not in SUFFIXES:
        raise ValueError(f"unknown export format {to!r} (choose from {', '.join(SUFFIXES)})")
    catalog = catalog or load_catalog()
    flavor = flavor or blueprint.flavor
    if to == "mermaid":
        from archgen.export.mermaid import flowchart

        direction = blueprint.direction
        if direction == "auto":
            direction = (layout or laid_out(blueprint, catalog, flavor)).arrangement.direction
        return flowchart(blueprint, catalog, direction, flavor)
    from archgen.export.drawio import drawio_file

    return drawio_file(blueprint, catalog, layout or laid_out(blueprint, catalog, flavor), flavor)


def laid_out(blueprint: Blueprint, catalog: Catalog, flavor: str) -> Layout:
    """Graphviz's layout, as `render` gets it (a failure names the blueprint), imported on
    demand: a Mermaid chart of a fixed direction needs none."""
    from archgen.render.diagrams import laid_out as rendered_layout

    return rendered_layout(blueprint, catalog, flavor, None)
