"""How good a laid-out diagram is, in numbers a layout can be chosen by.

``measure`` reads the SVG of a diagram and gives a ``LayoutQuality``: its
proportions, how big its text is when shown at a page's width, and what
gets in the way of reading it (crossing edges, edges through labels,
nodes and cluster titles, labels nearer another edge than their own: the
finders of ``faults``).
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

from archgen.layout.faults import (
    Pair,
    crossing_pairs,
    labels_on_nodes,
    long_edges,
    misplaced_labels,
    through_labels,
    through_nodes,
    through_titles,
)
from archgen.layout.geometry import Diagram, read_svg

PX_PER_PT = 96 / 72


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
