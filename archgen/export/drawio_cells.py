"""draw.io's model as XML cells: the part of the .drawio format that knows nothing of blueprints.

A draw.io page is a flat list of ``mxCell`` elements: a root, a layer, then
vertices and edges, each naming its parent. A vertex's geometry is relative to
its parent's top left corner, and so are an edge's waypoints, relative to the
edge's parent: `Sheet` takes every position in one frame (the layout's) and
does that arithmetic in one place.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from archgen.layout.planar import Box, Point

# The two cells every draw.io model starts with: the root and the layer drawn on.
ROOT, LAYER = "0", "1"
# What a cell's geometry is to it (`as` is a Python keyword, so this is a mapping).
AS = {"as": "geometry"}


def style(attrs: Mapping[str, str]) -> str:
    """draw.io's `key=value;` style string."""
    return "".join(f"{key}={value};" for key, value in attrs.items())


def number(value: float) -> str:
    return f"{round(value, 1):g}"


class Sheet:
    """The cells of one diagram, each placed relative to its parent as draw.io wants."""

    def __init__(self, origin: tuple[float, float]) -> None:
        self.root = ET.Element("root")
        ET.SubElement(self.root, "mxCell", {"id": ROOT})
        ET.SubElement(self.root, "mxCell", {"id": LAYER, "parent": ROOT})
        self.corners: dict[str, tuple[float, float]] = {LAYER: origin}
        self.parents: dict[str, str] = {}

    def vertex(
        self, ident: str, value: str, attrs: Mapping[str, str], box: Box, parent: str
    ) -> None:
        """A vertex at `box` (the layout's coordinates), inside the cell `parent`."""
        cell = self.cell(ident, value, attrs, {"vertex": "1", "parent": parent})
        left, top = self.corners[parent]
        geometry = {"x": box.x0 - left, "y": box.y0 - top, "width": box.width, "height": box.height}
        ET.SubElement(cell, "mxGeometry", {**{k: number(v) for k, v in geometry.items()}, **AS})
        self.corners[ident] = (box.x0, box.y0)
        self.parents[ident] = parent

    def edge(
        self,
        ident: str,
        value: str,
        attrs: Mapping[str, str],
        ends: tuple[str, str],
        waypoints: Sequence[Point] = (),
    ) -> None:
        """An edge from cell to cell, drawn in the innermost container around both ends,
        through `waypoints` (the layout's coordinates)."""
        source, target = ends
        parent = self.common_parent(source, target)
        links = {"edge": "1", "parent": parent, "source": source, "target": target}
        cell = self.cell(ident, value, attrs, links)
        geometry = ET.SubElement(cell, "mxGeometry", {"relative": "1", **AS})
        if waypoints:
            points = ET.SubElement(geometry, "Array", {"as": "points"})
            left, top = self.corners[parent]
            for x, y in waypoints:
                ET.SubElement(points, "mxPoint", {"x": number(x - left), "y": number(y - top)})

    def cell(
        self, ident: str, value: str, attrs: Mapping[str, str], more: Mapping[str, str]
    ) -> ET.Element:
        return ET.SubElement(
            self.root, "mxCell", {"id": ident, "value": value, "style": style(attrs), **more}
        )

    def common_parent(self, source: str, target: str) -> str:
        around_target = self.containers(target)
        return next((c for c in self.containers(source) if c in around_target), LAYER)

    def containers(self, ident: str) -> list[str]:
        """The cells around `ident`, innermost first."""
        chain = []
        while ident in self.parents:
            ident = self.parents[ident]
            chain.append(ident)
        return chain
