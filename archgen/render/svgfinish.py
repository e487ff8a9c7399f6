"""Graphviz's SVG made self-contained, stable, lighter and sized in pixels.

Everything here is text surgery on the SVG ``dot -Tsvg`` wrote, done once per
blueprint: the step views and the PNGs are derived from the finished SVG, so
they inherit all of it.

>>> pixel_size('<svg width="72pt" height="36pt"\\n viewBox="0.00 0.00 72.00 36.00">')
'<svg width="96px" height="48px" viewBox="0.00 0.00 72.00 36.00">'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from archgen.layout.style import FONT_FAMILY, ICON_PLACEHOLDER
from archgen.render.raster import PX_PER_PT

COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
SVG_SIZE = re.compile(r'<svg width="[^"]*" height="[^"]*"\s+viewBox="([^"]*)"')
NODE_GROUP = re.compile(r'(<g id="(c-[^"]*)" class="node">)(.*?)(</g>)', re.DOTALL)
PLACEHOLDER = re.compile(
    rf'<polygon fill="{ICON_PLACEHOLDER}"(?: stroke="transparent")? points="([^"]*)"/>'
)
SVG_OPENING = re.compile(r"<svg [^>]*>")
TEXT_FONT = re.compile(r'(<text [^>]*?) font-family="[^"]*"')
GRAPH_GROUP = re.compile(r'<g id="diagram" class="graph"')


def finish_svg(raw: str, icons: Mapping[str, str]) -> str:
    """`raw` with each node's icon from `icons` (node id -> drawing of a unit square).

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
