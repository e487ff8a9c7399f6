"""The pictures behind the catalog's icon references.

A reference names one of three icon sets, each a maintained package, so
archgen draws no icon of its own:

- ``aws.ml.Sagemaker``: a `diagrams` node class, whose PNG is a product's
  or a cloud service's own icon;
- ``lucide:layers``: a Lucide line icon (ISC), drawn as a *role tile*, the
  line in a colour on a light rounded square of the same hue, so that it
  says what a component does, never which product does it;
- ``simple:pytorch``: a Simple Icons brand logo (CC0), filled with its brand
  colour, darkened where that colour would vanish on a light group fill.

Every picture comes back as bytes with its MIME type; SVGs carry concrete
colours (no ``currentColor``: an ``<img>`` or ``<image>`` has no CSS colour
to inherit) and explicit sizes, so browsers and resvg draw them alike.
"""

from __future__ import annotations

import base64
import importlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LUCIDE = "lucide:"
SIMPLE = "simple:"
# The colour of a role tile whose component has no framework step to lend one.
NEUTRAL_TINT = "#475569"
# What icons are drawn on: the page, and the fills of the two outer group depths.
BACKGROUNDS: tuple[str, ...] = ("#ffffff", "#f4f6fa", "#e9f1fb")
# WCAG's minimum contrast for graphical objects (1.4.11, non-text contrast).
MIN_CONTRAST = 3.0
# Share of white mixed into a tile's tint for its fill and its border.
TILE_FILL_WHITE = 0.88
TILE_BORDER_WHITE = 0.55


@dataclass(frozen=True)
class Image:
    mime: str
    data: bytes

    def data_uri(self) -> str:
        return f"data:{self.mime};base64," + base64.b64encode(self.data).decode("ascii")


def icon_image(ref: str, tint: str = NEUTRAL_TINT) -> Image:
    """The picture a reference names; `tint` colours role tiles and nothing else."""
    if ref.startswith(LUCIDE):
        return role_tile(ref.removeprefix(LUCIDE), tint)
    if ref.startswith(SIMPLE):
        return brand_logo(ref.removeprefix(SIMPLE))
    return Image("image/png", icon_file(ref).read_bytes())


def icon_problem(ref: str) -> str:
    """Why a reference names no picture, or '' when it does."""
    try:
        icon_image(ref)
    except (ImportError, AttributeError, ValueError, KeyError, OSError) as error:
        return f"names no icon ({error})"
    return ""


def is_logo(ref: str) -> bool:
    """Whether a reference draws a product (a logo or a cloud service) rather than a role."""
    return not ref.startswith(LUCIDE)


@cache
def icon_file(ref: str) -> Path:
    """The PNG file behind a diagrams node reference such as ``onprem.queue.Kafka``."""
    module_name, _, class_name = ref.rpartition(".")
    if not module_name:
        raise ValueError(f"{ref!r} is not a diagrams node class")
    module = importlib.import_module(f"diagrams.{module_name}")
    node_class = getattr(module, class_name)
    package_parent = Path(importlib.import_module("diagrams").__file__).resolve().parent.parent
    path = package_parent / node_class._icon_dir / node_class._icon
    if path.suffix != ".png" or not path.is_file():
        raise ValueError(f"{ref!r} has no PNG file ({path})")
    return path


@cache
def role_tile(name: str, tint: str) -> Image:
    """A Lucide icon drawn in `tint` on a pale tile of the same hue.

    The tile keeps the icon legible on any group fill, and its hue (one per
    framework step) stays recognisable when a step view fades the node.
    """
    import lucide.jinja  # here, not at the top: loading a blueprint draws no icon

    glyph = str(lucide.jinja.lucide(name, size=30, x=9, y=9, stroke_width=2))
    # Lucide draws in currentColor, which an embedded image cannot inherit.
    glyph = glyph.replace("currentColor", tint)
    fill, border = mix_white(tint, TILE_FILL_WHITE), mix_white(tint, TILE_BORDER_WHITE)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">'
        f'<rect x="1" y="1" width="46" height="46" rx="11" fill="{fill}"'
        f' stroke="{border}" stroke-width="1.5"/>{glyph}</svg>'
    )
    return Image("image/svg+xml", svg.encode())


@cache
def brand_logo(slug: str) -> Image:
    """A Simple Icons logo in its brand colour, darkened until it shows on every background."""
    import simple_icons_pack  # here, not at the top: loading a blueprint draws no icon

    icon = simple_icons_pack.get_icon(slug)
    if icon is None:
        raise KeyError(f"Simple Icons has no {slug!r}")
    colour = legible(f"#{icon.hex}")
    body = icon.svg.replace(
        '<svg role="img" viewBox="0 0 24 24" xmlns="http://www.w3.org/2000/svg">',
        '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="-3 -3 30 30"'
        f' fill="{colour}">',
        1,
    )
    if body == icon.svg:
        raise ValueError(f"Simple Icons' {slug!r} has an unexpected <svg> opening")
    return Image("image/svg+xml", body.encode())


def legible(colour: str) -> str:
    """`colour`, or the first shade of it toward black that has enough contrast on
    every background: a logo keeps its hue and stays visible."""
    shade = colour
    for step in range(1, 11):
        if min(contrast(shade, bg) for bg in BACKGROUNDS) >= MIN_CONTRAST:
            return shade
        shade = mix(colour, "#000000", step / 10)
    return shade


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours, from 1 to 21.

    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` of `other` mixed in, as ``#rrggbb``.

    >>> mix("#000000", "#ffffff", 0.5)
    '#808080'
    """
    parts = (round(a + (b - a) * share) for a, b in zip(rgb(colour), rgb(other), strict=True))
    return "#" + "".join(f"{part:02x}" for part in parts)


def mix_white(colour: str, share: float) -> str:
    return mix(colour, "#ffffff", share)
