"""What gets in the way of reading a laid-out diagram, found in its shapes.

Each finder walks the boxes and polylines ``geometry`` read from the SVG and
names the culprits by SVG id (edges) or name (nodes, clusters), so the
layout stage can free the worst edges and try again; ``quality`` counts them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations

from archgen.layout.geometry import Diagram, Edge
from archgen.layout.planar import Box, Point, crossing_point, segments, segments_cross

# Crossings this close (points) to a node or cluster both edges end at are
# edges fanning in or out of it, not crossings a reader has to untangle.
END_SLACK = 10.0
# Boxes shrink by this much (points) before the "passes through" tests, so an
# edge grazing a box's edge, or a label's chip touching its own line, does not count.
GRAZE = 1.0
# A label is misplaced when another edge is nearer than its own by more than this.
NEARER_BY = 1.0

Pair = tuple[str, str]


def crossing_pairs(edges: Sequence[Edge]) -> Iterator[Pair]:
    """Edge pairs whose lines cross, each pair once however often they cross.

    Self-loops hug their node and are left out; edges between the same two
    ends (parallel, or both ways) run side by side and do not count either.
    """
    for a, b in combinations(edges, 2):
        if len(a.end_names) < 2 or len(b.end_names) < 2 or a.end_names == b.end_names:
            continue
        if a.box.overlaps(b.box) and edges_cross(a, b):
            yield (a.svg_id, b.svg_id)


def edges_cross(a: Edge, b: Edge) -> bool:
    shared = [end.box for end in a.ends if end.name in b.end_names]
    for pa in a.pieces:
        for pb in b.pieces:
            if not pa.box.overlaps(pb.box):
                continue
            for p, q in segments(pa.points):
                for r, s in segments(pb.points):
                    if segments_cross(p, q, r, s) and not near_any(
                        crossing_point(p, q, r, s), shared
                    ):
                        return True
    return False


def near_any(point: Point, boxes: Sequence[Box]) -> bool:
    return any(box.distance_to_point(point) <= END_SLACK for box in boxes)


def through_labels(edges: Sequence[Edge]) -> Iterator[Pair]:
    """(edge, label's edge) for each edge through another edge's label."""
    for owner in edges:
        if owner.label is None:
            continue
        inner = owner.label.shrunk(GRAZE)
        for edge in edges:
            if edge is not owner and edge.meets(inner):
                yield (edge.svg_id, owner.svg_id)


def through_nodes(diagram: Diagram) -> Iterator[Pair]:
    """(edge, node) for each edge through a node that is not its end.

    An edge that ends at a cluster (``lhead``/``ltail``) may pass its
    members: every node inside the cluster counts as that end.
    """
    for node in diagram.nodes.values():
        inner = node.box.shrunk(GRAZE)
        for edge in diagram.edges:
            own = edge.tail.members | edge.head.members
            if node.name not in own and edge.meets(inner):
                yield (edge.svg_id, node.name)


def long_edges(diagram: Diagram) -> Iterator[str]:
    """Edges longer than half the diagram's longer side."""
    limit = max(diagram.width, diagram.height) / 2
    return (edge.svg_id for edge in diagram.edges if edge.length > limit)


def labels_on_nodes(diagram: Diagram) -> Iterator[Pair]:
    """(label's edge, node) for each edge label drawn over a node, which hides one or the other."""
    for edge in diagram.edges:
        if edge.label is None:
            continue
        inner = edge.label.shrunk(GRAZE)
        for node in diagram.nodes.values():
            if node.box.overlaps(inner):
                yield (edge.svg_id, node.name)


def through_titles(diagram: Diagram) -> Iterator[Pair]:
    """(edge, cluster) for each edge through a cluster's title."""
    for cluster in diagram.clusters.values():
        if cluster.title is None:
            continue
        inner = cluster.title.shrunk(GRAZE)
        for edge in diagram.edges:
            if edge.meets(inner):
                yield (edge.svg_id, cluster.name)


def misplaced_labels(edges: Sequence[Edge]) -> Iterator[Pair]:
    """(label's edge, nearer edge) for each label nearer another edge than its own."""
    for owner in edges:
        if owner.label is None:
            continue
        own = owner.distance_to(owner.label)
        limit = own - NEARER_BY
        others = [(e.distance_to(owner.label, limit), e.svg_id) for e in edges if e is not owner]
        nearest = min(others, default=(limit, ""))
        if nearest[0] < limit:
            yield (owner.svg_id, nearest[1])
