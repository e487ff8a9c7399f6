"""A blueprint as a draw.io diagram (.drawio), for editing by hand in diagrams.net.

Unlike Mermaid, draw.io keeps positions, so the diagram starts from archgen's
own layout: the one Graphviz layout's node icons and cluster boxes (read from
its SVG, as the layout measures read it) become vertices and containers, and
the joints of its edge routes become the edges' waypoints. The file is what
an editor needs, not a picture: each group is a container whose members are
its children, placed relative to it, so moving the group moves them; each
flow is an edge whose source and target are cells, so it follows a node that
is moved (draw.io's "Clear Waypoints" lets it re-route an edge from scratch);
each node carries its icon inline as a data URI, so the file opens anywhere.

The mxfile XML is written with the standard library's ElementTree, which
escapes every attribute: the format is a flat list of cells, and the Python
draw.io writers on PyPI number cells from object ids (different each run),
which would cost archgen its byte-identical outputs.
"""

from __future__ import annotations

import base64
import html
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from archgen.catalog import Catalog
from archgen.export.drawio_cells import LAYER, Sheet
from archgen.layout.dot import cluster_id, cluster_name, drawn_groups, edge_id, node_id, wrapped
from archgen.layout.geometry import SVG, Diagram, Frame, outline, read_svg, title_of
from archgen.layout.planar import Box, Point
from archgen.layout.quoting import printable
from archgen.layout.search import Layout
from archgen.layout.style import (
    CAPTION_WIDTH,
    CLUSTER_COLORS,
    EDGE_COLOR,
    EDGE_LABEL_SIZE,
    EDGE_LABEL_WIDTH,
    ICON_PLACEHOLDER,
    LABEL_SIZE,
    MUTED_COLOR,
    NODE_LABEL_WIDTH,
    TECH_SIZE,
    TEXT_COLOR,
)
from archgen.model import Blueprint, Component, Flow, group_chain
from archgen.render.icons import embeddable
from archgen.render.nodeicons import ICON_DETAIL, component_icon
from archgen.render.raster import PX_PER_PT

# Room left around the diagram on the page, in points (draw.io's pixels).
MARGIN = 20.0

GROUP_STYLE = {
    "rounded": "1",
    "arcSize": "3",
    "container": "1",
    "collapsible": "0",
    "html": "1",
    "verticalAlign": "top",
    "align": "left",
    "spacingLeft": "8",
    "fontStyle": "1",
    "fontSize": "12",
    "fontColor": "#334155",
}
# The label under the icon (stacked layouts) or right of it (`side` layouts).
LABEL_PLACES = {
    False: {"verticalLabelPosition": "bottom", "verticalAlign": "top", "align": "center"},
    True: {"labelPosition": "right", "verticalLabelPosition": "middle", "align": "left"},
}
EDGE_STYLE = {
    # Through the layout's joints, smoothed: close to the curves Graphviz drew.
    "curved": "1",
    "html": "1",
    "strokeColor": EDGE_COLOR,
    "fontColor": "#374151",
    "fontSize": f"{EDGE_LABEL_SIZE:g}",
    "labelBackgroundColor": "#ffffff",
    "endArrow": "classic",
    "endFill": "1",
}
FLOW_STYLES: dict[str, dict[str, str]] = {
    "solid": {},
    "dashed": {"dashed": "1"},
    "dotted": {"dashed": "1", "dashPattern": "1 3"},
    "bold": {"strokeWidth": "2.2"},
}
TWO_WAY = {"startArrow": "classic", "startFill": "1"}


@dataclass(frozen=True)
class Placement:
    """Where the layout put things, in points with y down: each node's icon cell, each
    cluster's box, and each edge's route as the joints between its Bézier pieces."""

    icons: dict[str, Box]
    clusters: dict[str, Box]
    routes: dict[str, tuple[Point, ...]]
    # Around every node, cluster, edge and edge label: the diagram without its title.
    bounds: Box

    @classmethod
    def of(cls, svg: str) -> Placement:
        diagram = read_svg(svg)
        routes = {e.svg_id: tuple(p.points[0] for p in e.pieces[1:]) for e in diagram.edges}
        clusters = {name: c.box for name, c in diagram.clusters.items()}
        boxes = [
            *(n.box for n in diagram.nodes.values()),
            *clusters.values(),
            *(box for e in diagram.edges for box in (e.box, e.label) if box is not None),
        ]
        bounds = Box.around([p for box in boxes for p in corners(box)])
        return cls(icon_boxes(svg, diagram), clusters, routes, bounds)


def icon_boxes(svg: str, diagram: Diagram) -> dict[str, Box]:
    """Node name -> its icon cell's box (the placeholder `dot` left for the icon), or the
    node's whole box when it has none."""
    root = ET.fromstring(svg.encode("utf-8"))
    graph = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "graph")
    frame = Frame.of(graph.get("transform", ""))
    icons = {name: node.box for name, node in diagram.nodes.items()}
    for group in graph.iter(f"{SVG}g"):
        for polygon in group.findall(f"{SVG}polygon"):
            if group.get("class") == "node" and polygon.get("fill") == ICON_PLACEHOLDER:
                icons[title_of(group)] = Box.around(outline(polygon, frame))
    return icons


def drawio_file(blueprint: Blueprint, catalog: Catalog, layout: Layout, flavor: str) -> str:
    """The .drawio file (one uncompressed page) of `blueprint` laid out as `layout`; the
    same input gives the same text. `flavor` decides the icons and product names."""
    placed = Placement.of(layout.svg)
    groups = {g.id: placed.clusters[cluster_name(g.id)] for g in drawn_groups(blueprint)}
    nodes = {c: placed.icons[c] for c in blueprint.components}
    frame = placed.bounds
    sheet = Sheet((frame.x0 - MARGIN, frame.y0 - MARGIN))
    # Outer groups first: a container is placed before what it holds.
    for group in sorted(groups, key=lambda g: len(group_chain(blueprint.groups, g))):
        add_group(sheet, blueprint, group, groups[group])
    for component in blueprint.components.values():
        add_node(sheet, component, catalog, flavor, layout, nodes[component.id])
    for index, flow in enumerate(blueprint.flows):
        ident = edge_id(flow, index)
        ends = (end_cell(blueprint, flow.source), end_cell(blueprint, flow.target))
        value = text_value(flow.label, EDGE_LABEL_WIDTH)
        # A loop is left to draw.io's own loop shape: one waypoint makes it a knot.
        route = placed.routes.get(ident, ()) if flow.source != flow.target else ()
        sheet.edge(ident, value, edge_style(flow), ends, route)
    return mxfile(blueprint, sheet, frame)


def corners(box: Box) -> tuple[tuple[float, float], tuple[float, float]]:
    return ((box.x0, box.y0), (box.x1, box.y1))


def parent_cell(group: str | None) -> str:
    return LAYER if group is None else cluster_id(group)


def end_cell(blueprint: Blueprint, ident: str) -> str:
    """A flow's end: a group's container, or a component's vertex."""
    return cluster_id(ident) if blueprint.is_group(ident) else node_id(ident)


def add_group(sheet: Sheet, blueprint: Blueprint, group_id: str, box: Box) -> None:
    """A container filled as archgen fills a cluster at its depth."""
    group = blueprint.groups[group_id]
    depth = len(group_chain(blueprint.groups, group_id)) - 1
    fill, border = CLUSTER_COLORS[depth % len(CLUSTER_COLORS)]
    attrs = {**GROUP_STYLE, "fillColor": fill, "strokeColor": border}
    value = html.escape(printable(group.label))
    sheet.vertex(cluster_id(group_id), value, attrs, box, parent_cell(group.parent))


def add_node(
    sheet: Sheet, component: Component, catalog: Catalog, flavor: str, layout: Layout, box: Box
) -> None:
    """The component's icon, inline, with its label and product name beside or under it."""
    max_side = math.ceil(ICON_DETAIL * layout.arrangement.icon_size * PX_PER_PT)
    icon = embeddable(component_icon(component, catalog, flavor), max_side)
    # draw.io's style string splits at `;`, so its data URIs leave out `;base64`.
    data = base64.b64encode(icon.data).decode("ascii")
    attrs = {
        "shape": "image",
        "html": "1",
        "imageAspect": "0",
        "aspect": "fixed",
        "image": f"data:{icon.mime},{data}",
        "fontSize": str(LABEL_SIZE),
        "fontColor": TEXT_COLOR,
        **LABEL_PLACES[layout.arrangement.side],
    }
    value = text_value(component.label, NODE_LABEL_WIDTH)
    caption = catalog.caption(component, flavor)
    if caption:
        small = text_value(caption, CAPTION_WIDTH)
        value += f'<br><font style="font-size: {TECH_SIZE}px" color="{MUTED_COLOR}">{small}</font>'
    sheet.vertex(node_id(component.id), value, attrs, box, parent_cell(component.group))


def text_value(text: str, width: int) -> str:
    """Text as a cell's HTML value: escaped, wrapped as archgen's diagrams wrap it, without
    the control characters XML cannot carry."""
    lines = wrapped(printable(text).strip(), width).split("\n")
    return "<br>".join(html.escape(line) for line in lines)


def edge_style(flow: Flow) -> dict[str, str]:
    return {**EDGE_STYLE, **FLOW_STYLES[flow.style], **(TWO_WAY if flow.two_way else {})}


def mxfile(blueprint: Blueprint, sheet: Sheet, frame: Box) -> str:
    """The whole file: one page named for the blueprint, as big as the diagram."""
    model = {
        "grid": "1",
        "gridSize": "10",
        "guides": "1",
        "tooltips": "1",
        "connect": "1",
        "arrows": "1",
        "fold": "1",
        "page": "1",
        "pageScale": "1",
        "pageWidth": str(math.ceil(frame.width + 2 * MARGIN)),
        "pageHeight": str(math.ceil(frame.height + 2 * MARGIN)),
        "math": "0",
        "shadow": "0",
    }
    top = ET.Element("mxfile", host="archgen")
    diagram = ET.SubElement(top, "diagram", id=blueprint.id, name=printable(blueprint.title))
    ET.SubElement(diagram, "mxGraphModel", model).append(sheet.root)
    ET.indent(top)
    return ET.tostring(top, encoding="unicode") + "\n"
