"""The icon each node of a blueprint shows, drawn in a unit square for the SVG to embed.

The picture is the blueprint's own icon file, or the catalog's icon for the
component's tech or kind in the requested flavor. Pictures are cached per
process: a gallery draws the same few icons many times.
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path

from archgen.catalog import Catalog
from archgen.diagnostics import Diagnostic, Mark
from archgen.errors import BlueprintError
from archgen.layout.dot import node_id
from archgen.model import Blueprint, Component
from archgen.render.icons import Image, embeddable, file_image, icon_image
from archgen.render.raster import PX_PER_PT
from archgen.render.safesvg import IconProblem

# An embedded raster icon has this many pixels for each pixel it is drawn at:
# sharp on a 2x screen and in a zoomed PNG, a fraction of a full-size PNG's bytes.
ICON_DETAIL = 2
# How a role tile and a brand logo open (icons.py draws both).
OWN_SVG_OPENING = re.compile(r'^<svg xmlns="http://www.w3.org/2000/svg" width="\d+" height="\d+"')


def icon_drawings(
    blueprint: Blueprint, catalog: Catalog, flavor: str | None, icon_size: float
) -> dict[str, str]:
    """Node id -> what draws its icon in a unit square, in the requested flavor: a raster
    with `ICON_DETAIL` pixels for each pixel of the `icon_size` (points) cells it fills."""
    chosen = flavor or blueprint.flavor
    max_side = math.ceil(ICON_DETAIL * icon_size * PX_PER_PT)
    return {
        node_id(component.id): unit_drawing(component_icon(component, catalog, chosen), max_side)
        for component in blueprint.components.values()
    }


def component_icon(component: Component, catalog: Catalog, flavor: str) -> Image:
    """The blueprint's own `icon` file, else the catalog's icon for the tech or kind."""
    if component.icon is not None:
        return user_icon(component.icon)
    return catalog_icon(catalog.icon_ref(component, flavor), catalog.tint(component))


@cache
def catalog_icon(ref: str, tint: str) -> Image:
    """Cached per process, like `icons.file_image`: a gallery draws the same few icons often."""
    return icon_image(ref, tint)


def user_icon(path: Path) -> Image:
    """A blueprint's icon file, made safe (`file_image` keeps it while it is unchanged).
    Validation has checked it; one spoilt since is reported at the file itself."""
    try:
        return file_image(path)
    except IconProblem as problem:
        message = f"icon '{path.name}' {problem}"
        raise BlueprintError([Diagnostic(Mark(path, 1, 1), message)]) from None


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
