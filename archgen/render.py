"""Diagrams of a blueprint: one Graphviz layout, every format and step view.

A blueprint is laid out once (``layout.lay_out`` picks the arrangement).
That SVG is cleaned (no comments, nothing that varies between runs), given
embedded icons, and is then the source of everything else: the PNG is that SVG rasterized, and each step view is that
SVG with what the step does not focus on faded. So every view keeps the same
layout, and the files are byte-identical for the same input wherever written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from functools import cache
from pathlib import Path

from archgen import layout
from archgen.build import FORMATS
from archgen.catalog import Catalog, load_catalog
from archgen.dot import node_id
from archgen.files import write_atomic
from archgen.icons import Image, embeddable, file_image, icon_image
from archgen.model import Blueprint, Component
from archgen.raster import (
    OVERVIEW_PNG_PIXELS,
    PNG_ZOOM,
    PX_PER_PT,
    STEP_PNG_PIXELS,
    STEP_PNG_ZOOM,
    png_bytes,
)
from archgen.stepview import step_views
from archgen.style import FONT_FAMILY, ICON_PLACEHOLDER

# An embedded raster icon has this many pixels for each pixel it is drawn at:
# sharp on a 2x screen and in a zoomed PNG, a fraction of a full-size PNG's bytes.
ICON_DETAIL = 2

COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
SVG_SIZE = re.compile(r'<svg width="[^"]*" height="[^"]*"\s+viewBox="([^"]*)"')
NODE_GROUP = re.compile(r'(<g id="(c-[^"]*)" class="node">)(.*?)(</g>)', re.DOTALL)
PLACEHOLDER = re.compile(
    rf'<polygon fill="{ICON_PLACEHOLDER}"(?: stroke="transparent")? points="([^"]*)"/>'
)
SVG_OPENING = re.compile(r"<svg [^>]*>")
# How a role tile and a brand logo open (icons.py draws both).
OWN_SVG_OPENING = re.compile(r'^<svg xmlns="http://www.w3.org/2000/svg" width="\d+" height="\d+"')
TEXT_FONT = re.compile(r'(<text [^>]*?) font-family="[^"]*"')
GRAPH_GROUP = re.compile(r'<g id="diagram" class="graph"')


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
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown diagram format(s): {', '.join(sorted(unknown))}")
    catalog = load_catalog()
    chosen = layout.lay_out(blueprint, catalog, flavor or blueprint.flavor)
    folder = out / blueprint.id
    outputs: dict[Path, str | bytes] = {}
    if {"svg", "png"} & set(formats):
        svg = finish_svg(chosen.svg, icon_drawings(blueprint, catalog, flavor, chosen.svg))
        views = {blueprint.id: svg}
        if steps:
            views.update(step_views(svg, blueprint))
        for stem, view in views.items():
            if "svg" in formats:
                outputs[folder / f"{stem}.svg"] = view
            if "png" in formats:
                outputs[folder / f"{stem}.png"] = (
                    png_bytes(view, PNG_ZOOM, OVERVIEW_PNG_PIXELS)
                    if stem == blueprint.id
                    else png_bytes(view, STEP_PNG_ZOOM, STEP_PNG_PIXELS)
                )
    if "dot" in formats:
        outputs[folder / f"{blueprint.id}.dot"] = chosen.source
    for path, data in outputs.items():
        write_atomic(path, data)
    if steps:
        remove_stale_step_views(folder, set(outputs), formats)
    return list(outputs)


def remove_stale_step_views(folder: Path, written: set[Path], formats: Collection[str]) -> None:
    """A step that lost its focus must not leave its old diagram behind for the narrative."""
    for ext in {"svg", "png"} & set(formats):
        for path in folder.glob(f"step-*.{ext}"):
            if path not in written:
                path.unlink()


def icon_drawings(
    blueprint: Blueprint, catalog: Catalog, flavor: str | None, svg: str
) -> dict[str, str]:
    """Node id -> what draws its icon in a unit square, in the requested flavor: a
    raster with `ICON_DETAIL` pixels for each pixel of the largest cell `svg` draws it in."""
    chosen = flavor or blueprint.flavor
    images = {
        node_id(component.id): component_icon(component, catalog, chosen)
        for component in blueprint.components.values()
    }
    cells = icon_cells(svg)
    largest: dict[Image, float] = {}
    for ident, image in images.items():
        largest[image] = max(largest.get(image, 0.0), cells[ident])
    return {
        ident: unit_drawing(image, math.ceil(ICON_DETAIL * largest[image] * PX_PER_PT))
        for ident, image in images.items()
    }


def icon_cells(svg: str) -> dict[str, float]:
    """Node id -> the longer side, in points, of its icon cell in an SVG of Graphviz's,
    raw (ids written ``c&#45;api``) or finished."""
    cells: dict[str, float] = {}
    for node in NODE_GROUP.finditer(plain_dashes(svg)):
        for cell in PLACEHOLDER.finditer(node.group(3)):
            _, _, width, height = cell_box(cell.group(1))
            cells[node.group(2)] = max(cells.get(node.group(2), 0.0), width, height)
    return cells


def component_icon(component: Component, catalog: Catalog, flavor: str) -> Image:
    """The blueprint's own `icon` file, else the catalog's icon for the tech or kind."""
    if component.icon is not None:
        return user_icon(component.icon)
    return catalog_icon(catalog.icon_ref(component, flavor), catalog.tint(component))


@cache
def catalog_icon(ref: str, tint: str) -> Image:
    """Cached per process, like `file_icon`: a gallery draws the same few icons often."""
    return icon_image(ref, tint)


def user_icon(path: Path) -> Image:
    """A blueprint's icon file; re-read only when the file changed since the last call."""
    return file_icon(path, path.stat().st_mtime_ns)


@cache
def file_icon(path: Path, mtime_ns: int) -> Image:
    """Cached per process: a gallery embeds the same few icons many times."""
    return file_image(path)


@cache
def unit_drawing(image: Image, max_side: int) -> str:
    """`image` fitted into a unit square: archgen's own vector drawings as SVG elements
    (a quarter fewer bytes than base64, and nothing to decode when rasterizing), every
    other picture as an embedded ``<image>``.

    Cached per process: decoding and scaling a PNG icon costs more than drawing it.
    """
    embedded = embeddable(image, max_side)
    if embedded.drawn_by_archgen:
        unit, found = OWN_SVG_OPENING.subn('<svg width="1" height="1"', embedded.data.decode(), 1)
        if found:
            return unit
    return (
        f'<image xlink:href="{embedded.data_uri()}" width="1" height="1"'
        ' preserveAspectRatio="xMidYMid meet"/>'
    )


def finish_svg(raw: str, icons: Mapping[str, str]) -> str:
    """Graphviz's SVG made self-contained, stable, lighter and sized in pixels.

    Comments go (they name the Graphviz version and echo node names); ``-``
    is written plainly instead of ``&#45;`` so ids read as in the DOT source.
    The font family is said once, on the graph, for every text to inherit,
    and invisible strokes are not said at all.
    """
    svg = plain_dashes(COMMENT.sub("", raw)).replace(' stroke="transparent"', "")
    svg = GRAPH_GROUP.sub(rf'\g<0> font-family="{FONT_FAMILY}"', TEXT_FONT.sub(r"\1", svg), 1)
    return embed_icons(pixel_size(svg), icons)


def plain_dashes(svg: str) -> str:
    """``-`` as Graphviz escapes it, ``&#45;``, written plainly: ids read as in the DOT source."""
    return svg.replace("&#45;", "-")


def pixel_size(svg: str) -> str:
    """Whole-pixel width and height: resvg refuses `pt`, and whole pixels keep PNG sizes exact."""

    def in_pixels(match: re.Match[str]) -> str:
        _, _, width, height = (float(v) for v in match.group(1).split())
        return (
            f'<svg width="{round(width * PX_PER_PT)}px" height="{round(height * PX_PER_PT)}px"'
            f' viewBox="{match.group(1)}"'
        )

    return SVG_SIZE.sub(in_pixels, svg, count=1)


def embed_icons(svg: str, icons: Mapping[str, str]) -> str:
    """Each node's placeholder cell replaced by its icon, each distinct icon embedded once.

    An icon is a ``<symbol>`` in ``<defs>``, drawn by ``<use>``: a diagram
    with many nodes of one kind carries that image's bytes only once.
    """
    symbols: dict[str, str] = {}

    def node_with_icon(match: re.Match[str]) -> str:
        opening, ident, body, closing = match.groups()
        symbol = symbols.setdefault(icons[ident], f"icon-{len(symbols) + 1}")
        return (
            opening + PLACEHOLDER.sub(lambda cell: icon_use(cell.group(1), symbol), body) + closing
        )

    with_uses = NODE_GROUP.sub(node_with_icon, svg)
    defs = "".join(icon_symbol(symbol, uri) for uri, symbol in symbols.items())
    return SVG_OPENING.sub(
        lambda svg_tag: f"{svg_tag.group(0)}\n<defs>\n{defs}</defs>", with_uses, count=1
    )


def icon_symbol(symbol: str, drawing: str) -> str:
    """The drawing of a unit square, which each ``<use>`` scales to its cell."""
    return f'<symbol id="{symbol}" viewBox="0 0 1 1">{drawing}</symbol>\n'


def cell_box(points: str) -> tuple[float, float, float, float]:
    """x, y, width and height (in points) of a placeholder polygon's bounding box."""
    xs, ys = zip(*(tuple(float(v) for v in p.split(",")) for p in points.split()), strict=True)
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def icon_use(points: str, symbol: str) -> str:
    x, y, width, height = cell_box(points)
    return (
        f'<use xlink:href="#{symbol}" x="{x:g}" y="{y:g}" width="{width:g}" height="{height:g}"/>'
    )
