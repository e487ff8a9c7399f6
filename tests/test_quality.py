"""The layout measures mean what they say, on tiny graphs laid out by Graphviz
(nodes pinned with ``neato -n2`` where the geometry must be exact) and on
hand-written SVG in Graphviz's shape for what Graphviz will not draw on request."""

from __future__ import annotations

import doctest
import shutil
import subprocess
from collections.abc import Sequence
from itertools import pairwise

import pytest

import archgen.layout.fontmetrics
import archgen.layout.geometry
import archgen.layout.planar
import archgen.layout.quality
from archgen.layout.quality import TARGETS, LayoutQuality, Targets, gallery_problems, measure

BOX_NODES = 'node [shape=box, fixedsize=true, width=0.6, height=0.4, fontsize=12, label=""]'


def graphviz(source: str, engine: str = "dot") -> str:
    executable = shutil.which(engine)
    assert executable, f"Graphviz's {engine} is needed for these tests"
    return subprocess.run(
        [executable, "-n2", "-Tsvg"] if engine == "neato" else [executable, "-Tsvg"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pinned(positions: dict[str, tuple[int, int]], edges: Sequence[str]) -> str:
    """Nodes at fixed points (y up, as Graphviz's pos), straight edges between them."""
    nodes = [f'{name} [pos="{x},{y}!"]' for name, (x, y) in positions.items()]
    lines = ["digraph g {", "splines=false", BOX_NODES, *nodes, *edges, "}"]
    return graphviz("\n".join(lines), engine="neato")


SQUARE = {"a": (0, 200), "b": (0, 0), "c": (300, 200), "d": (300, 0)}


def test_two_edges_made_to_cross_count_one_crossing() -> None:
    quality = measure(pinned(SQUARE, ["a -> d [id=ad]", "b -> c [id=bc]"]))
    assert quality.crossing_pairs == (("ad", "bc"),)
    assert quality.crossings == 1


def test_edges_side_by_side_do_not_cross() -> None:
    quality = measure(pinned(SQUARE, ["a -> c", "b -> d", "a -> d"]))
    assert quality.crossings == 0


def test_dot_ordering_forced_crossing_is_counted() -> None:
    source = """digraph g { rankdir=LR; ordering=out;
      { rank=same; a; b } { rank=same; c; d }
      a -> c [style=invis]; a -> d; b -> c; a -> b [style=invis]; c -> d [style=invis] }"""
    crossed = measure(graphviz(source))
    straight = measure(graphviz(source.replace("a -> d; b -> c;", "a -> c; b -> d;")))
    assert (crossed.crossings, straight.crossings) == (1, 0)


def test_an_edge_through_a_node_not_its_end_is_found() -> None:
    row = {"a": (0, 0), "b": (150, 0), "c": (300, 0), "x": (150, 150)}
    quality = measure(pinned(row, ["a -> c [id=ac]", "a -> x [id=ax]"]))
    assert quality.through_nodes == (("ac", "b"),)


def test_an_edge_may_pass_through_its_own_ends() -> None:
    row = {"a": (0, 0), "b": (150, 0), "c": (300, 0)}
    quality = measure(pinned(row, ["a -> c [id=ac, tailclip=false, headclip=false]"]))
    assert quality.through_nodes == (("ac", "b"),)


# -- hand-written SVG in Graphviz's shape ------------------------------------------


def svg_node(name: str, x0: float, y0: float, x1: float, y1: float) -> str:
    """A node box in Graphviz's frame (y negative), as archgen's nodes are drawn."""
    return (
        f'<g id="c-{name}" class="node"><title>{name}</title>'
        f'<polygon fill="#ffffff" fill-opacity="0.003922" stroke="transparent"'
        f' points="{x0},{-y0} {x0},{-y1} {x1},{-y1} {x1},{-y0} {x0},{-y0}"/>'
        f'<text text-anchor="start" x="{x0}" y="{-y0 - 3}" font-size="12.00">{name}</text></g>'
    )


def svg_edge(
    ident: str, tail: str, head: str, points: Sequence[tuple[float, float]], chip: str = ""
) -> str:
    """A straight edge through `points` (each leg a degenerate cubic), with an optional label."""
    legs = "".join(f"C{a[0]},{-a[1]} {b[0]},{-b[1]} {b[0]},{-b[1]}" for a, b in pairwise(points))
    return (
        f'<g id="{ident}" class="edge"><title>{tail}&#45;&gt;{head}</title>'
        f'<path fill="none" stroke="#4b5563" d="M{points[0][0]},{-points[0][1]}{legs}"/>{chip}</g>'
    )


def chip(x0: float, y0: float, x1: float, y1: float, size: float = 10) -> str:
    return (
        f'<polygon fill="white" stroke="transparent"'
        f' points="{x0},{-y0} {x0},{-y1} {x1},{-y1} {x1},{-y0} {x0},{-y0}"/>'
        f'<text text-anchor="start" x="{x0 + 1}" y="{-y0 - 2}" font-size="{size}">x</text>'
    )


def hand_svg(*parts: str, width: float = 400, height: float = 300) -> str:
    """``parts`` in a graph group translated as dot does: y = 0 is the bottom."""
    return (
        f'<svg width="{width}pt" height="{height}pt" viewBox="0.00 0.00 {width} {height}"'
        ' xmlns="http://www.w3.org/2000/svg">'
        f'<g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(0 {height})">'
        + "".join(parts)
        + "</g></svg>"
    )


FOUR = [
    svg_node("a", 0, 0, 40, 20),
    svg_node("b", 360, 0, 400, 20),
    svg_node("c", 0, 200, 40, 220),
    svg_node("d", 360, 200, 400, 220),
]


def test_an_edge_through_another_edges_label_is_found() -> None:
    svg = hand_svg(
        *FOUR,
        svg_edge("e-a-b", "a", "b", [(40, 10), (360, 10)]),
        svg_edge("e-c-d", "c", "d", [(40, 210), (360, 210)], chip(180, 5, 220, 15)),
    )
    quality = measure(svg)
    assert quality.through_labels == (("e-a-b", "e-c-d"),)
    assert quality.misplaced == (("e-c-d", "e-a-b"),)


def test_a_label_beside_its_own_edge_is_neither_crossed_nor_misplaced() -> None:
    svg = hand_svg(
        *FOUR,
        svg_edge("e-a-b", "a", "b", [(40, 10), (360, 10)], chip(180, 12, 220, 24)),
        svg_edge("e-c-d", "c", "d", [(40, 210), (360, 210)], chip(180, 196, 220, 208)),
    )
    quality = measure(svg)
    assert (quality.through_labels, quality.misplaced) == ((), ())


def test_a_label_nearer_another_edge_is_flagged_without_being_crossed() -> None:
    svg = hand_svg(
        *FOUR,
        svg_edge("e-a-b", "a", "b", [(40, 10), (360, 10)]),
        svg_edge("e-c-d", "c", "d", [(40, 210), (360, 210)], chip(180, 20, 220, 30)),
    )
    quality = measure(svg)
    assert quality.through_labels == ()
    assert quality.misplaced == (("e-c-d", "e-a-b"),)


def test_members_of_a_group_an_edge_ends_at_are_its_ends() -> None:
    cluster = (
        '<g id="g-x" class="cluster"><title>cluster_x</title>'
        '<polygon fill="#f4f6fa" points="100,-100 100,-200 300,-200 300,-100 100,-100"/></g>'
    )
    members = [svg_node("u", 0, 140, 40, 160), svg_node("m1", 250, 140, 290, 160)]
    members.append(svg_node("m2", 150, 140, 190, 160))
    into_group = svg_edge("e-u-x", "u", "m1", [(40, 150), (170, 150), (170, 101)])
    into_m1 = svg_edge("e-u-m1", "u", "m1", [(40, 150), (170, 150), (245, 150)])
    assert measure(hand_svg(cluster, *members, into_group)).through_nodes == ()
    assert measure(hand_svg(cluster, *members, into_m1)).through_nodes == (("e-u-m1", "m2"),)


def test_edges_that_only_touch_do_not_cross() -> None:
    svg = hand_svg(
        *FOUR,
        svg_edge("e-a-b", "a", "b", [(40, 10), (360, 10)]),
        svg_edge("e-c-d", "c", "d", [(40, 210), (200, 10), (360, 210)]),
    )
    assert measure(svg).crossings == 0


def crossing_near(y: float) -> str:
    """Two edges into d that cross at height `y` on their way in."""
    return hand_svg(
        *FOUR,
        svg_edge("e-a-d", "a", "d", [(40, 10), (380 - 2 * (y - 200), y + 4), (381, 200)]),
        svg_edge("e-c-d", "c", "d", [(40, 210), (380 - 2 * (y - 200), y - 4), (379, 200)]),
    )


def test_crossings_where_edges_fan_into_their_shared_node_do_not_count() -> None:
    assert measure(crossing_near(195)).crossings == 0
    assert measure(crossing_near(120)).crossings == 1


def test_parallel_edges_and_self_loops_do_not_cross_each_other() -> None:
    svg = hand_svg(
        *FOUR,
        svg_edge("e-a-d-0", "a", "d", [(40, 10), (380, 200)]),
        svg_edge("e-a-d-1", "a", "d", [(20, 20), (200, 0), (370, 200)]),
        svg_edge("e-d-a-2", "d", "a", [(360, 205), (100, 150), (40, 15)]),
        svg_edge("e-a-a-3", "a", "a", [(40, 5), (300, 5), (300, 50), (20, 20)]),
    )
    assert measure(svg).crossings == 0


def test_an_edge_through_a_cluster_title_is_reported() -> None:
    cluster = (
        '<g id="g-x" class="cluster"><title>cluster_x</title>'
        '<polygon fill="#f4f6fa" points="100,-100 100,-180 300,-180 300,-100 100,-100"/>'
        '<text text-anchor="start" x="108" y="-166" font-weight="bold" font-size="12">Title</text></g>'
    )
    through = svg_edge("e-a-b", "a", "b", [(40, 10), (120, 170), (360, 10)])
    beside = svg_edge("e-a-b", "a", "b", [(40, 10), (200, 170), (360, 10)])
    assert measure(hand_svg(cluster, *FOUR, through)).through_titles == (("e-a-b", "cluster_x"),)
    assert measure(hand_svg(cluster, *FOUR, beside)).through_titles == ()


# -- arithmetic, verdicts and the score ------------------------------------------------


def quality(width: float, height: float, **fields: object) -> LayoutQuality:
    sizes = {"node_label_pt": 12.0, "node_text_pt": 10.0, "edge_label_pt": 10.0}
    return LayoutQuality(width_pt=width, height_pt=height, **{**sizes, **fields})  # type: ignore[arg-type]


def test_text_is_measured_as_shown_at_most_1152_px_wide() -> None:
    wide = quality(1728, 864)  # 2304 px natural: shown at half size
    assert wide.aspect == 2.0
    assert wide.display_scale == 0.5
    assert wide.node_label_px == pytest.approx(8.0)
    assert wide.edge_label_px == pytest.approx(10 * 96 / 72 / 2)
    narrow = quality(600, 600)  # 800 px: shown at its own size
    assert narrow.display_scale == 1.0
    assert narrow.node_label_px == pytest.approx(16.0)


def test_real_svg_text_sizes_and_aspect() -> None:
    svg = hand_svg(
        *FOUR, svg_edge("e-a-b", "a", "b", [(40, 10), (360, 10)], chip(180, 12, 220, 24, 9))
    )
    q = measure(svg)
    assert (q.width_pt, q.height_pt, q.aspect) == (400, 300, pytest.approx(4 / 3))
    assert (q.node_label_pt, q.edge_label_pt) == (12.0, 9.0)
    assert q.edge_label_px == pytest.approx(12.0)


def test_problems_name_each_missed_target() -> None:
    assert quality(800, 600).problems() == []
    too_wide = quality(2700, 1000, crossing_pairs=(("a", "b"),) * 5, misplaced=(("a", "b"),))
    problems = too_wide.problems()
    assert "aspect 2.70 > 2" in problems
    assert any(p.startswith("node labels 5.1 px < 11 px") for p in problems)
    assert any(p.startswith("edge labels 4.3 px < 9 px") for p in problems)
    assert "5 edge crossings > 4" in problems
    assert "1 label(s) nearer another edge than their own" in problems
    assert quality(300, 600).problems() == ["aspect 0.50 < 0.6"]
    assert quality(800, 600).problems(Targets(node_label_px=20)) != []


def test_gallery_target_is_the_median_crossings() -> None:
    few = [quality(800, 600, crossing_pairs=(("a", "b"),) * n) for n in (0, 1, 2)]
    many = [quality(800, 600, crossing_pairs=(("a", "b"),) * n) for n in (0, 2, 3)]
    assert gallery_problems(few) == []
    assert gallery_problems(many) == ["median crossings 2 > 1"]
    assert TARGETS.max_crossings == 4


def test_score_ranks_hard_rules_over_text_over_shape_over_crossings_over_area() -> None:
    fine = quality(800, 600)
    bigger = quality(1000, 700)
    crossed = quality(800, 600, crossing_pairs=(("a", "b"),) * 3)
    squashed = quality(1300, 600)  # aspect 2.17
    small_text = quality(1500, 1000)  # 2000 px: labels under 11 px
    misplaced = quality(800, 600, misplaced=(("a", "b"),))
    ranked = [fine, bigger, crossed, squashed, small_text, misplaced]
    assert [q.score() for q in ranked] == sorted(q.score() for q in ranked)
    assert len({q.score() for q in ranked}) == len(ranked)
    assert fine.score() == quality(800, 600).score()


@pytest.mark.parametrize(
    "module",
    [
        archgen.layout.fontmetrics,
        archgen.layout.geometry,
        archgen.layout.planar,
        archgen.layout.quality,
    ],
    ids=lambda m: m.__name__,
)
def test_examples_in_docstrings_hold(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]


def test_a_label_drawn_over_a_node_is_found() -> None:
    svg = hand_svg(
        *FOUR,
        svg_edge("e-a-c", "a", "c", [(20, 20), (20, 200)], chip(355, 5, 395, 15)),
    )
    assert measure(svg).labels_on_nodes == (("e-a-c", "b"),)


def test_edges_longer_than_half_the_diagram_are_long() -> None:
    svg = hand_svg(
        *FOUR,
        svg_edge("e-a-b", "a", "b", [(40, 10), (360, 10)]),
        svg_edge("e-a-c", "a", "c", [(20, 20), (20, 200)]),
    )
    assert measure(svg).long_edges == ("e-a-b",)
