"""How good a laid-out diagram is, in numbers a layout can be chosen by.

``measure`` reads the SVG of a diagram and gives a ``LayoutQuality``: its
proportions, how big its text is when shown at a page's width, and what
gets in the way of reading it (crossing edges, edges through labels,
nodes and cluster titles, labels nearer another edge than their own).
``Targets`` holds every threshold in one place; ``problems`` says in words
which a diagram misses and ``score`` folds everything into one number,
lower is better, for picking the best of several candidate layouts.

>>> q = LayoutQuality(width_pt=1440, height_pt=720, node_label_pt=12, node_text_pt=10, edge_label_pt=10)
>>> q.aspect, q.display_scale, round(q.node_label_px, 2)
(2.0, 0.6, 9.6)
>>> q.problems()
['node labels 9.6 px < 11 px at 1152 px wide', 'edge labels 8.0 px < 9 px at 1152 px wide']
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

from archgen.geometry import Diagram, Edge, read_svg
from archgen.planar import Box, Point, crossing_point, segments, segments_cross

PX_PER_PT = 96 / 72
# Crossings this close (points) to a node or cluster both edges end at are
# edges fanning in or out of it, not crossings a reader has to untangle.
END_SLACK = 10.0
# Boxes shrink by this much (points) before the "passes through" tests, so an
# edge grazing a box's edge, or a label's chip touching its own line, does not count.
GRAZE = 1.0
# A label is misplaced when another edge is nearer than its own by more than this.
NEARER_BY = 1.0


@dataclass(frozen=True)
class Targets:
    """The thresholds of the layout targets (the issue's numbers)."""

    aspect_min: float = 0.6
    aspect_max: float = 2.0
    display_px: float = 1152
    node_label_px: float = 11
    edge_label_px: float = 9
    median_crossings: float = 1
    max_crossings: int = 4


TARGETS = Targets()

Pair = tuple[str, str]


@dataclass(frozen=True)
class LayoutQuality:
    """One diagram's measures. Pairs name edges by SVG id and nodes by name."""

    width_pt: float
    height_pt: float
    node_label_pt: float
    node_text_pt: float
    edge_label_pt: float | None
    crossing_pairs: tuple[Pair, ...] = ()
    through_labels: tuple[Pair, ...] = ()
    through_nodes: tuple[Pair, ...] = ()
    through_titles: tuple[Pair, ...] = ()
    misplaced: tuple[Pair, ...] = ()
    labels_on_nodes: tuple[Pair, ...] = ()
    # Edges longer than half the diagram's longer side: a reader loses them.
    long_edges: tuple[str, ...] = ()
    display_px: float = TARGETS.display_px

    @property
    def aspect(self) -> float:
        return self.width_pt / self.height_pt

    @property
    def display_scale(self) -> float:
        """Shown at most `display_px` wide: a wider diagram's SVG is scaled down to fit."""
        natural = round(self.width_pt * PX_PER_PT)
        return min(1.0, self.display_px / natural)

    def px(self, points: float) -> float:
        return points * PX_PER_PT * self.display_scale

    @property
    def node_label_px(self) -> float:
        return self.px(self.node_label_pt)

    @property
    def node_text_px(self) -> float:
        """The smallest text in any node (the tech's name): reported, no target."""
        return self.px(self.node_text_pt)

    @property
    def edge_label_px(self) -> float | None:
        return None if self.edge_label_pt is None else self.px(self.edge_label_pt)

    @property
    def crossings(self) -> int:
        return len(self.crossing_pairs)

    @property
    def hard_faults(self) -> dict[str, tuple[Pair, ...]]:
        """The rules no layout may break, named as a problem line says them."""
        return {
            "edge(s) through another edge's label": self.through_labels,
            "edge(s) through a node not its end": self.through_nodes,
            "label(s) nearer another edge than their own": self.misplaced,
            "label(s) over a node": self.labels_on_nodes,
        }

    def problems(self, targets: Targets = TARGETS) -> list[str]:
        """The targets this diagram misses, in words; crossings against the per-diagram maximum."""
        return list(problem_lines(self, targets))

    def fits_page(self, targets: Targets = TARGETS) -> bool:
        """Proportions within the aspect range and text readable at page width."""
        edge_px = self.edge_label_px
        return (
            targets.aspect_min <= self.aspect <= targets.aspect_max
            and self.node_label_px >= targets.node_label_px
            and (edge_px is None or edge_px >= targets.edge_label_px)
        )

    def is_clean(self, targets: Targets = TARGETS) -> bool:
        """Meets every target, and crosses no more edges than the gallery's median may:
        a layout that good is not worth another try."""
        return not self.problems(targets) and self.crossings <= targets.median_crossings

    def score(self, targets: Targets = TARGETS) -> float:
        """One number, lower is better: hard rules, then text size, shape, crossings, area.

        Each weight makes one unit of a worse fault outweigh any plausible
        amount of the next: a label on the wrong edge (1000) over a pixel of
        missing text height (100) over a 10% step out of the aspect range
        (50) over a crossing (10) over an edge longer than half the diagram
        (5) over an edge through a cluster title (2)
        over a million square points of area (1).
        """
        hard = sum(len(pairs) for pairs in self.hard_faults.values())
        small = max(0.0, targets.node_label_px - self.node_label_px)
        edge_px = self.edge_label_px
        if edge_px is not None:
            small += max(0.0, targets.edge_label_px - edge_px)
        aspect = max(
            0.0, self.aspect / targets.aspect_max - 1, targets.aspect_min / self.aspect - 1
        )
        return (
            1000 * hard
            + 100 * small
            + 500 * aspect
            + 10 * self.crossings
            + 5 * len(self.long_edges)
            + 2 * len(self.through_titles)
            + self.width_pt * self.height_pt / 1e6
        )


def problem_lines(q: LayoutQuality, t: Targets) -> Iterator[str]:
    if q.aspect > t.aspect_max:
        yield f"aspect {q.aspect:.2f} > {t.aspect_max:g}"
    if q.aspect < t.aspect_min:
        yield f"aspect {q.aspect:.2f} < {t.aspect_min:g}"
    shown = f"at {t.display_px:g} px wide"
    if q.node_label_px < t.node_label_px:
        yield f"node labels {q.node_label_px:.1f} px < {t.node_label_px:g} px {shown}"
    edge_px = q.edge_label_px
    if edge_px is not None and edge_px < t.edge_label_px:
        yield f"edge labels {edge_px:.1f} px < {t.edge_label_px:g} px {shown}"
    if q.crossings > t.max_crossings:
        yield f"{q.crossings} edge crossings > {t.max_crossings}"
    for words, pairs in q.hard_faults.items():
        if pairs:
            yield f"{len(pairs)} {words}"


def gallery_problems(qualities: Sequence[LayoutQuality], targets: Targets = TARGETS) -> list[str]:
    """The targets on a whole gallery: median crossings (the per-diagram ones are in `problems`)."""
    if not qualities:
        return []
    median = statistics.median(q.crossings for q in qualities)
    if median > targets.median_crossings:
        return [f"median crossings {median:g} > {targets.median_crossings:g}"]
    return []


def measure(svg: str, targets: Targets = TARGETS) -> LayoutQuality:
    """The measures of a diagram from the SVG ``dot -Tsvg`` wrote (or ``finish_svg`` made)."""
    return measure_diagram(read_svg(svg), targets)


def measure_diagram(diagram: Diagram, targets: Targets = TARGETS) -> LayoutQuality:
    node_sizes = [n.font_sizes for n in diagram.nodes.values() if n.font_sizes]
    edge_sizes = [s for e in diagram.edges for s in e.label_sizes]
    return LayoutQuality(
        width_pt=diagram.width,
        height_pt=diagram.height,
        node_label_pt=min((max(s) for s in node_sizes), default=0.0),
        node_text_pt=min((min(s) for s in node_sizes), default=0.0),
        edge_label_pt=min(edge_sizes, default=None),
        crossing_pairs=tuple(crossing_pairs(diagram.edges)),
        through_labels=tuple(through_labels(diagram.edges)),
        through_nodes=tuple(through_nodes(diagram)),
        through_titles=tuple(through_titles(diagram)),
        misplaced=tuple(misplaced_labels(diagram.edges)),
        labels_on_nodes=tuple(labels_on_nodes(diagram)),
        long_edges=tuple(long_edges(diagram)),
        display_px=targets.display_px,
    )


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
