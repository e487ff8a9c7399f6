"""The laid-out diagram as shapes: what the layout measures look at.

Reads the SVG that ``dot -Tsvg`` writes for an archgen DOT (or the same SVG
after ``svgfinish.finish_svg``) into boxes and polylines. The frame is the
SVG's viewBox: user units (points), origin top left, y down, so Graphviz's
negative y and its ``translate`` on the graph group are undone here once.

What is read, by element class rather than by archgen's id scheme, so a
change of ids or of the DOT does not silently break the measures:

- a node is ``<g class="node">``; its first polygon is its full box (archgen
  gives each node label an invisible background so that this holds) and its
  ``<text>`` elements give its font sizes;
- an edge is ``<g class="edge">``; its ``<path>`` Bézier curves, flattened,
  are its polyline (arrowheads left out); a white polygon is its label's
  chip, otherwise its texts' estimated box is the label's box;
- a cluster is ``<g class="cluster">``; the bounds of its outline are its
  box and its ``<text>`` is its title, boxed by ``fontmetrics``.

An edge's ends come from its ``<title>`` (``tail->head``). When the path
stops short of that node (``lhead``/``ltail``: clipped at a cluster's
border), the end is the innermost cluster around the node whose border is
nearest the path's end.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from archgen.layout.fontmetrics import ASCENT, DESCENT, text_width
from archgen.layout.planar import Box, Point, cubic_points, segments

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d*\.?\d+(?:[eE][-+]?\d+)?")
TRANSFORM = re.compile(r"(scale|translate)\(([^)]*)\)")
CHIP_FILLS = ("white", "#ffffff")
# How far (points) an edge's path may stop from its node and still end at it:
# the arrowhead (10 pt at dot's arrowsize 1) sits between the path and the node.
NODE_REACH = 12.0


@dataclass(frozen=True)
class Piece:
    """One Bézier segment of an edge, flattened; the box makes most pair tests cheap."""

    points: tuple[Point, ...]
    box: Box


@dataclass(frozen=True)
class Node:
    name: str
    box: Box
    font_sizes: tuple[float, ...]


@dataclass(frozen=True)
class Cluster:
    name: str
    box: Box
    title: Box | None


@dataclass(frozen=True)
class End:
    """What an edge ends at: a node, or a cluster whose border clips it."""

    name: str
    box: Box
    members: frozenset[str]


@dataclass(frozen=True)
class Edge:
    svg_id: str
    tail: End
    head: End
    pieces: tuple[Piece, ...]
    label: Box | None
    label_sizes: tuple[float, ...]

    @cached_property
    def points(self) -> tuple[Point, ...]:
        out = [self.pieces[0].points[0]]
        for piece in self.pieces:
            out.extend(piece.points[1:])
        return tuple(out)

    @cached_property
    def box(self) -> Box:
        return Box.around(self.points)

    @cached_property
    def length(self) -> float:
        return sum(math.dist(a, b) for a, b in zip(self.points, self.points[1:], strict=False))

    @property
    def ends(self) -> tuple[End, End]:
        return (self.tail, self.head)

    @cached_property
    def end_names(self) -> frozenset[str]:
        return frozenset((self.tail.name, self.head.name))

    def distance_to(self, box: Box, limit: float = math.inf) -> float:
        """From the line to the box, or `limit` if that is nearer.

        Pieces no nearer than the best so far are skipped, which is most of them.
        """
        best = limit
        if self.box.distance_to_box(box) >= best:
            return best
        for piece in self.pieces:
            if piece.box.distance_to_box(box) < best:
                best = min(
                    best, *(box.distance_to_segment(p, q) for p, q in segments(piece.points))
                )
        return best

    def meets(self, box: Box) -> bool:
        if not self.box.overlaps(box):
            return False
        return any(
            box.meets_segment(p, q)
            for piece in self.pieces
            if piece.box.overlaps(box)
            for p, q in segments(piece.points)
        )


@dataclass(frozen=True)
class Diagram:
    width: float
    height: float
    nodes: dict[str, Node]
    clusters: dict[str, Cluster]
    edges: tuple[Edge, ...]


def read_svg(svg: str) -> Diagram:
    """The shapes of a Graphviz SVG, in viewBox points with y down."""
    root = ET.fromstring(svg.encode("utf-8"))
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    graph = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "graph")
    frame = Frame.of(graph.get("transform", ""))
    groups = {
        cls: [g for g in graph.iter(f"{SVG}g") if g.get("class") == cls]
        for cls in ("node", "cluster", "edge")
    }
    nodes = {node.name: node for node in (read_node(g, frame) for g in groups["node"])}
    clusters = {c.name: c for c in (read_cluster(g, frame) for g in groups["cluster"])}
    edges = tuple(read_edge(g, frame, nodes, clusters) for g in groups["edge"])
    return Diagram(width, height, nodes, clusters, tuple(e for e in edges if e is not None))


@dataclass(frozen=True)
class Frame:
    """Graphviz's ``scale(s) rotate(0) translate(x y)``: its user space to the viewBox's."""

    scale_x: float = 1.0
    scale_y: float = 1.0
    dx: float = 0.0
    dy: float = 0.0

    @classmethod
    def of(cls, transform: str) -> Frame:
        found = {
            name: [float(v) for v in NUMBER.findall(args)]
            for name, args in TRANSFORM.findall(transform)
        }
        scale = found.get("scale") or [1.0]
        dx, dy = [*found.get("translate", []), 0.0, 0.0][:2]
        return cls(scale[0], scale[-1], dx, dy)

    def point(self, x: float, y: float) -> Point:
        return (self.scale_x * (x + self.dx), self.scale_y * (y + self.dy))

    def points(self, numbers: Sequence[float]) -> list[Point]:
        return [self.point(x, y) for x, y in zip(numbers[::2], numbers[1::2], strict=True)]


def title_of(group: ET.Element) -> str:
    return group.findtext(f"{SVG}title", default="")


def outline(element: ET.Element, frame: Frame) -> list[Point]:
    """The coordinates of a polygon's points or a path's ``d``, control points included."""
    raw = element.get("points") or element.get("d") or ""
    return frame.points([float(v) for v in NUMBER.findall(raw)])


def font_size(text: ET.Element) -> float:
    return float(text.get("font-size", "14"))


def read_node(group: ET.Element, frame: Frame) -> Node:
    polygon = group.find(f"{SVG}polygon")
    texts = group.findall(f"{SVG}text")
    box = Box.around(outline(polygon, frame)) if polygon is not None else texts_box(texts, frame)
    return Node(title_of(group), box, tuple(font_size(t) for t in texts))


def read_cluster(group: ET.Element, frame: Frame) -> Cluster:
    shape = group.find(f"{SVG}path")
    if shape is None:
        shape = group.find(f"{SVG}polygon")
    texts = group.findall(f"{SVG}text")
    box = Box.around(outline(shape, frame)) if shape is not None else texts_box(texts, frame)
    return Cluster(title_of(group), box, texts_box(texts, frame) if texts else None)


def text_box(text: ET.Element, frame: Frame) -> Box:
    """The box of one line of text, from its anchor point, size and estimated width."""
    size = font_size(text) * abs(frame.scale_y)
    bold = text.get("font-weight") == "bold"
    width = text_width(text.text or "", size, bold) * abs(frame.scale_x / frame.scale_y)
    x, y = frame.point(float(text.get("x", "0")), float(text.get("y", "0")))
    left = x - {"middle": width / 2, "end": width}.get(text.get("text-anchor", "start"), 0.0)
    return Box(left, y - ASCENT * size, left + width, y + DESCENT * size)


def texts_box(texts: Iterable[ET.Element], frame: Frame) -> Box:
    boxes = [text_box(t, frame) for t in texts]
    return Box.around([p for b in boxes for p in ((b.x0, b.y0), (b.x1, b.y1))])


def edge_pieces(group: ET.Element, frame: Frame) -> list[Piece]:
    """Each ``M p C c1 c2 p ...`` path's cubic segments as short polylines."""
    pieces = []
    for path in group.findall(f"{SVG}path"):
        points = outline(path, frame)
        for i in range(0, len(points) - 3, 3):
            start, c1, c2, end = points[i : i + 4]
            flat = (start, *cubic_points(start, c1, c2, end))
            pieces.append(Piece(flat, Box.around(flat)))
    return pieces


def read_label(group: ET.Element, frame: Frame) -> tuple[Box | None, tuple[float, ...]]:
    texts = group.findall(f"{SVG}text")
    chips = [p for p in group.findall(f"{SVG}polygon") if p.get("fill") in CHIP_FILLS]
    if chips:
        return Box.around(outline(chips[0], frame)), tuple(font_size(t) for t in texts)
    if texts:
        return texts_box(texts, frame), tuple(font_size(t) for t in texts)
    return None, ()


def read_edge(
    group: ET.Element, frame: Frame, nodes: dict[str, Node], clusters: dict[str, Cluster]
) -> Edge | None:
    """The edge, or None for one Graphviz drew no path for."""
    pieces = edge_pieces(group, frame)
    if not pieces:
        return None
    tail, head = split_title(title_of(group), nodes)
    label, sizes = read_label(group, frame)
    ends = (
        edge_end(nodes[tail], pieces[0].points[0], nodes, clusters),
        edge_end(nodes[head], pieces[-1].points[-1], nodes, clusters),
    )
    return Edge(group.get("id", ""), *ends, tuple(pieces), label, sizes)


def split_title(title: str, nodes: dict[str, Node]) -> tuple[str, str]:
    """``tail->head`` into its nodes; names may hold ``->`` themselves, so try each split.

    >>> split_title("a->b->c", {"a->b": None, "c": None})
    ('a->b', 'c')
    """
    parts = title.split("->")
    for i in range(1, len(parts)):
        tail, head = "->".join(parts[:i]), "->".join(parts[i:])
        if tail in nodes and head in nodes:
            return tail, head
    raise ValueError(f"edge title {title!r} does not name two nodes of the diagram")


def edge_end(node: Node, point: Point, nodes: dict[str, Node], clusters: dict[str, Cluster]) -> End:
    """The node when the path reaches it, else the cluster around it whose border is nearest."""
    if node.box.distance_to_point(point) <= NODE_REACH:
        return End(node.name, node.box, frozenset({node.name}))
    around = [c for c in clusters.values() if c.box.encloses(node.box)]
    if not around:
        return End(node.name, node.box, frozenset({node.name}))
    cluster = min(around, key=lambda c: (border_distance(c.box, point), c.box.width * c.box.height))
    members = frozenset(n.name for n in nodes.values() if cluster.box.encloses(n.box))
    return End(cluster.name, cluster.box, members)


def border_distance(box: Box, point: Point) -> float:
    if not box.contains(point):
        return box.distance_to_point(point)
    x, y = point
    return min(x - box.x0, box.x1 - x, y - box.y0, box.y1 - y)
