"""Reading dot's SVG into shapes: every node, flow and group is found where it is drawn."""

from __future__ import annotations

from pathlib import Path

import pytest

import archgen
from archgen.catalog import load_catalog
from archgen.layout import dot
from archgen.layout import search as layout
from archgen.layout.arrangement import arrangements
from archgen.layout.geometry import Frame, read_svg
from archgen.layout.planar import Box
from archgen.model import Blueprint
from archgen.render.nodeicons import icon_drawings
from archgen.render.svgfinish import finish_svg

ROOT = Path(__file__).parent.parent
EDGE_CASES = ROOT / "tests" / "data" / "valid" / "edge-cases.yaml"


def overview_svg(blueprint: Blueprint) -> str:
    return layout.run_dot(dot.build_dot(blueprint, load_catalog()))


@pytest.fixture(scope="module")
def rag() -> tuple[Blueprint, str]:
    blueprint = archgen.load(ROOT / "blueprints" / "rag-assistant.yaml", root=ROOT / "blueprints")
    return blueprint, overview_svg(blueprint)


def test_finds_exactly_the_components_flows_and_groups(rag: tuple[Blueprint, str]) -> None:
    blueprint, svg = rag
    diagram = read_svg(svg)
    assert set(diagram.nodes) == set(blueprint.components)
    assert len(diagram.edges) == len(blueprint.flows)
    assert {c.name for c in diagram.clusters.values()} == {
        dot.cluster_name(g.id) for g in dot.drawn_groups(blueprint)
    }
    assert sorted(e.svg_id for e in diagram.edges) == sorted(
        dot.edge_id(f, i) for i, f in enumerate(blueprint.flows)
    )


def test_edges_end_at_the_components_of_their_flow(rag: tuple[Blueprint, str]) -> None:
    blueprint, svg = rag
    ends = {e.svg_id: (e.tail.name, e.head.name) for e in read_svg(svg).edges}
    for index, flow in enumerate(blueprint.flows):
        assert ends[dot.edge_id(flow, index)] == (flow.source, flow.target)


def test_shapes_lie_inside_the_view_in_a_y_down_frame(rag: tuple[Blueprint, str]) -> None:
    _, svg = rag
    diagram = read_svg(svg)
    view = Box(0, 0, diagram.width, diagram.height)
    boxes = [n.box for n in diagram.nodes.values()] + [c.box for c in diagram.clusters.values()]
    assert all(view.encloses(box) for box in boxes)
    assert all(view.contains(p) for e in diagram.edges for p in e.points)
    for cluster in diagram.clusters.values():
        assert cluster.title is not None and cluster.box.encloses(cluster.title)
        # titles sit at the top (labelloc=t): in a y-down frame, near y0
        assert cluster.title.y0 - cluster.box.y0 < 20


def test_nodes_keep_their_font_sizes_and_labels_their_chips(rag: tuple[Blueprint, str]) -> None:
    blueprint, svg = rag
    diagram = read_svg(svg)
    with_tech = [c.id for c in blueprint.components.values() if c.tech]
    assert with_tech
    for name in with_tech:
        sizes = diagram.nodes[name].font_sizes
        assert len(set(sizes)) == 2 and max(sizes) > min(sizes)
    labelled = [e for e in diagram.edges if e.label is not None]
    assert len(labelled) == sum(1 for f in blueprint.flows if f.label.strip())
    for edge in labelled:
        assert edge.label_sizes and edge.label.width > 10 and edge.label.height > 8


def test_reads_the_finished_svg_the_same(rag: tuple[Blueprint, str]) -> None:
    blueprint, svg = rag
    icon_size = arrangements(blueprint.direction)[0].icon_size
    finished = finish_svg(svg, icon_drawings(blueprint, load_catalog(), None, icon_size))
    raw, done = read_svg(svg), read_svg(finished)
    assert done.nodes == raw.nodes
    assert done.clusters == raw.clusters
    assert [(e.svg_id, e.points, e.label) for e in done.edges] == [
        (e.svg_id, e.points, e.label) for e in raw.edges
    ]


def test_an_edge_into_a_group_ends_at_the_cluster() -> None:
    blueprint = archgen.load(EDGE_CASES, root=EDGE_CASES.parent)
    diagram = read_svg(overview_svg(blueprint))
    assert set(diagram.nodes) == set(blueprint.components)
    assert len(diagram.edges) == len(blueprint.flows)
    (index, flow), *_ = [
        (i, f) for i, f in enumerate(blueprint.flows) if blueprint.is_group(f.target)
    ]
    edge = next(e for e in diagram.edges if e.svg_id == dot.edge_id(flow, index))
    assert edge.tail.name == flow.source
    assert edge.head.name == dot.cluster_name(flow.target)
    assert edge.head.members == set(blueprint.group_members(flow.target))


def test_frame_undoes_graphviz_translate_and_scale() -> None:
    frame = Frame.of("scale(0.5 0.5) rotate(0) translate(4 100)")
    assert frame.point(10, -60) == (7.0, 20.0)
    assert Frame.of("scale(2) translate(1 2)").point(0, 0) == (2.0, 4.0)
