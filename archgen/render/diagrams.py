"""Diagrams of a blueprint: one Graphviz layout, every format and step view.

A blueprint is laid out once (``layout.lay_out`` picks the arrangement).
That SVG is finished (``svgfinish``: nothing that varies between runs, the
icons of ``nodeicons`` embedded) and is then the source of everything else:
the PNG is that SVG rasterized (``raster``), and each step view is that SVG
with what the step does not focus on faded (``stepview``). So every view
keeps the same layout, and the files are byte-identical for the same input
wherever written.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from archgen.build import ALL_FORMATS, FORMATS
from archgen.catalog import Catalog, load_catalog
from archgen.errors import GraphvizError, OutputError
from archgen.export import EXPORT_FORMATS, SUFFIXES, export
from archgen.files import write_atomic
from archgen.layout import search as layout
from archgen.model import Blueprint
from archgen.render.nodeicons import icon_drawings
from archgen.render.raster import (
    OVERVIEW_PNG_PIXELS,
    PNG_ZOOM,
    STEP_PNG_PIXELS,
    STEP_PNG_ZOOM,
    png_bytes,
)
from archgen.render.stepview import step_views
from archgen.render.svgfinish import finish_svg

# Where Graphviz's full output goes when it fails on a blueprint: OUT/<id>/graphviz.log.
GRAPHVIZ_LOG = "graphviz.log"


def render(
    blueprint: Blueprint,
    out: Path,
    *,
    formats: Collection[str] = FORMATS,
    flavor: str | None = None,
    steps: bool = True,
) -> list[Path]:
    """Write the diagrams of `blueprint` into ``out / blueprint.id`` and return their paths.

    Everything is computed before the first file is written, so a Graphviz
    failure leaves earlier outputs as they were.
    """
    unknown = set(formats) - set(ALL_FORMATS)
    if unknown:
        raise ValueError(f"unknown diagram format(s): {', '.join(sorted(unknown))}")
    catalog = load_catalog()
    folder = out / blueprint.id
    chosen = laid_out(blueprint, catalog, flavor, folder)
    outputs: dict[Path, str | bytes] = {}
    if {"svg", "png"} & set(formats):
        svg = finished_svg(blueprint, catalog, chosen, flavor)
        views = {blueprint.id: svg, **(step_views(svg, blueprint) if steps else {})}
        outputs.update(view_files(views, folder, formats, blueprint.id))
    if "dot" in formats:
        outputs[folder / f"{blueprint.id}.dot"] = chosen.source
    for to in EXPORT_FORMATS:
        if to in formats:
            text = export(blueprint, to, flavor=flavor, layout=chosen, catalog=catalog)
            outputs[folder / f"{blueprint.id}.{SUFFIXES[to]}"] = text
    for path, data in outputs.items():
        write_atomic(path, data)
    (folder / GRAPHVIZ_LOG).unlink(missing_ok=True)
    if steps:
        remove_stale_step_views(folder, set(outputs), formats)
    return list(outputs)


def laid_out(
    blueprint: Blueprint, catalog: Catalog, flavor: str | None, folder: Path | None
) -> layout.Layout:
    """The blueprint's layout; when Graphviz fails, an error of one line that names the
    blueprint, with Graphviz's whole output (often hundreds of lines) in `folder`'s log
    when there is a folder to write to.

    The log is the one file a failure writes, beside the outputs it leaves as
    they were; the next render that succeeds removes it.
    """
    try:
        return layout.lay_out(blueprint, catalog, flavor or blueprint.flavor)
    except GraphvizError as error:
        raise error.about(str(blueprint.source), graphviz_log(error.output, folder)) from None


def graphviz_log(output: str, folder: Path | None) -> Path | None:
    """`folder`'s Graphviz log holding `output`, or None when there is nothing to keep, no
    folder, or the log cannot be written: the error's own line still says what went wrong."""
    if folder is None or not output.strip():
        return None
    try:
        write_atomic(folder / GRAPHVIZ_LOG, output)
    except OutputError:
        return None
    return folder / GRAPHVIZ_LOG


def overview_svg(blueprint: Blueprint, flavor: str | None = None) -> str:
    """The finished overview SVG in memory, nothing written: what a notebook shows."""
    catalog = load_catalog()
    chosen = laid_out(blueprint, catalog, flavor, None)
    return finished_svg(blueprint, catalog, chosen, flavor)


def finished_svg(
    blueprint: Blueprint, catalog: Catalog, chosen: layout.Layout, flavor: str | None
) -> str:
    """The chosen layout's SVG with every icon embedded, in `flavor` (the blueprint's when None)."""
    icons = icon_drawings(blueprint, catalog, flavor, chosen.arrangement.icon_size)
    return finish_svg(chosen.svg, icons)


def view_files(
    views: Mapping[str, str], folder: Path, formats: Collection[str], overview: str
) -> dict[Path, str | bytes]:
    """Path -> content of each view's SVG and PNG, as `formats` asks. The `overview` is
    looked at whole, so its PNG gets more zoom and pixels than a step's, read beside its text."""
    files: dict[Path, str | bytes] = {}
    for stem, view in views.items():
        if "svg" in formats:
            files[folder / f"{stem}.svg"] = view
        if "png" in formats:
            files[folder / f"{stem}.png"] = (
                png_bytes(view, PNG_ZOOM, OVERVIEW_PNG_PIXELS)
                if stem == overview
                else png_bytes(view, STEP_PNG_ZOOM, STEP_PNG_PIXELS)
            )
    return files


def remove_stale_step_views(folder: Path, written: set[Path], formats: Collection[str]) -> None:
    """A step that lost its focus must not leave its old diagram behind for the narrative."""
    for ext in {"svg", "png"} & set(formats):
        for path in folder.glob(f"step-*.{ext}"):
            if path not in written:
                path.unlink()
