"""PNGs of a finished SVG: how many pixels, which fonts, and a palette.

Rasterizing costs by the pixel, so each PNG gets the zoom its pixel budget
allows, but never so little that its smallest text drops below 12 px. The
SVG is drawn by resvg, through the ``resvg`` binding: it draws the same
pixels as ``resvg-py`` in a third of the time (measured on the gallery), and
lets the font database be loaded once per process rather than per picture.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from archgen.layout.style import EDGE_LABEL_SIZE, TECH_SIZE

if TYPE_CHECKING:
    import resvg

# 1.5x keeps 10-12 pt text crisp; 2x costs about three times the rasterizing time.
PNG_ZOOM = 1.5
# Step views are read next to their text, at the SVG's own size: rasterizing
# them at 1x costs less than half of 1.5x, and they are seven of eight PNGs.
STEP_PNG_ZOOM = 1.0
PNG_COLOURS = 256
# Graphviz and most decoders clip a bitmap at this many pixels a side.
MAX_PNG_SIDE = 32767
# No diagram this large has legible text at page width anyway: past this many
# pixels the PNG is scaled down whatever its text size, as its cost (seconds per
# megapixel) would otherwise grow without bound.
MAX_PNG_PIXELS = 12_000_000
# Rasterizing and storing cost by the pixel: a large diagram gets less zoom,
# down to MIN_PNG_ZOOM. An overview is looked at whole, a step view beside its text.
OVERVIEW_PNG_PIXELS = 4_000_000
STEP_PNG_PIXELS = 2_000_000
PX_PER_PT = 96 / 72
# The smallest text (a product name under a label, 10 pt) stays this tall in a
# PNG whatever its pixel budget: a diagram too big for the budget gets more
# pixels rather than text nobody can read.
MIN_TEXT_PX = 12
MIN_PNG_ZOOM = MIN_TEXT_PX / (min(TECH_SIZE, EDGE_LABEL_SIZE) * PX_PER_PT)

DEJAVU_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
# Text DejaVu Sans draws (Latin, Greek, Cyrillic, punctuation, arrows): other
# scripts and emoji in a label need the system's fonts as fallbacks.
DEJAVU_TEXT = re.compile(r"[\u0000-\u058f\u2000-\u21ff]*")
SVG_PIXEL_SIZE = re.compile(r'<svg width="(\d+)px" height="(\d+)px"')
WHITE = (255, 255, 255, 255)
IDENTITY = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


def png_bytes(
    svg: str,
    preferred_zoom: float = PNG_ZOOM,
    max_pixels: int = OVERVIEW_PNG_PIXELS,
    max_side: int = MAX_PNG_SIDE,
) -> bytes:
    """`svg` (sized in whole pixels by ``svgfinish.finish_svg``) as a paletted PNG."""
    width, height = svg_pixels(svg)
    zoom = png_zoom(width, height, preferred_zoom, max_side, max_pixels)
    return paletted(rasterized(svg, round(width * zoom), round(height * zoom)))


def rasterized(svg: str, width: int, height: int) -> bytes:
    """`svg` drawn `width` by `height` pixels on white, as an RGBA PNG.

    resvg sizes its canvas by the SVG's own width and height, so the zoom is
    written into them; the viewBox scales the drawing to fit.
    """
    import resvg  # here, not at the top: only PNGs need it

    sized = SVG_PIXEL_SIZE.sub(f'<svg width="{width}px" height="{height}px"', svg, count=1)
    tree = resvg.usvg.Tree.from_str(sized, font_options(uses_only_dejavu(svg)))
    return bytes(resvg.render(tree, IDENTITY, bg_color=WHITE))


def uses_only_dejavu(svg: str) -> bool:
    """True when DejaVu Sans draws every character of `svg` and is installed."""
    return bool(diagram_fonts()) and DEJAVU_TEXT.fullmatch(svg) is not None


@cache
def font_options(dejavu_only: bool) -> resvg.usvg.Options:
    """resvg's options with its fonts loaded, once per process: DejaVu Sans alone
    when it draws all the text, else every system font (loading them all is most
    of the cost of rasterizing a small diagram)."""
    import resvg

    options = resvg.usvg.Options.default()
    if dejavu_only:
        for file in diagram_fonts():
            options.load_font_file(file)
    else:
        options.load_system_fonts()
    return options


def paletted(png: bytes) -> bytes:
    """The PNG with at most 256 colours: a third of the bytes, and no visible change.

    A diagram is a few flat colours and the anti-aliased edges between them,
    so a palette loses nothing a reader sees. Octree quantizing without
    dithering is fast and deterministic, so files stay byte-identical.
    """
    import PIL.Image  # here, not at the top: only PNGs need it

    with PIL.Image.open(io.BytesIO(png)) as image:
        palette = image.convert("RGB").quantize(
            PNG_COLOURS, method=PIL.Image.Quantize.FASTOCTREE, dither=PIL.Image.Dither.NONE
        )
    out = io.BytesIO()
    palette.save(out, "PNG")
    return out.getvalue()


@cache
def diagram_fonts() -> tuple[str, ...]:
    """DejaVu Sans regular and bold, the only fonts a diagram uses, when installed;
    () to let resvg load every system font, as it must on a system without them.

    Loading the system's fonts is a good part of rasterizing a small diagram.
    """
    if shutil.which("fc-match") is None:
        return ()
    files = tuple(
        subprocess.run(
            ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=False
        ).stdout
        for pattern in ("DejaVu Sans:style=Book", "DejaVu Sans:style=Bold")
    )
    # fc-match names its nearest font when DejaVu is missing: only DejaVu's own will do.
    if tuple(Path(file).name for file in files) != DEJAVU_FILES:
        return ()
    return files


def svg_pixels(svg: str) -> tuple[int, int]:
    match = SVG_PIXEL_SIZE.search(svg)
    if match is None:
        raise ValueError("SVG without a pixel size: was it made by finish_svg?")
    return int(match.group(1)), int(match.group(2))


def png_zoom(
    width: int,
    height: int,
    preferred: float,
    max_side: int,
    max_pixels: int,
    min_zoom: float = MIN_PNG_ZOOM,
) -> float:
    """The preferred zoom, or less when the PNG would exceed `max_pixels`, but never
    less than `min_zoom`: where the pixel budget and legible text conflict, the text
    wins. Only `max_side`, past which decoders fail, and MAX_PNG_PIXELS, past which
    rasterizing a huge diagram takes minutes, override even that.

    >>> png_zoom(1000, 500, 2.0, 32767, 16_000_000)
    2.0
    >>> png_zoom(40000, 500, 2.0, 32767, 16_000_000) * 40000 <= 32767
    True
    """
    within_budget = min(preferred, (max_pixels / (width * height)) ** 0.5)
    hard_limit = min(max_side / max(width, height), (MAX_PNG_PIXELS / (width * height)) ** 0.5)
    return min(max(within_budget, min_zoom), hard_limit)
