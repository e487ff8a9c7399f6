"""DOT source: quoting, escaping and the graph structure Graphviz receives."""

from __future__ import annotations

import math
import re
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import component, make_steps

from archgen.catalog import load_catalog
from archgen.layout import search as layout
from archgen.layout.dot import build_dot, wrapped
from archgen.layout.quoting import html_text, quote
from archgen.model import Blueprint, Flow, Group
from archgen.render.diagrams import render

SVG = "{http://www.w3.org/2000/svg}"


def laid_out(blueprint: Blueprint, tmp_path: Path) -> ET.Element:
    (svg_path,) = render(blueprint, tmp_path, formats=("svg",), steps=False)
    return ET.parse(svg_path).getroot()


def by_id(root: ET.Element, ident: str) -> ET.Element:
    found = root.find(f".//*[@id='{ident}']")
    assert found is not None, f"no element with id {ident}"
    return found


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def points(element: ET.Element) -> list[tuple[float, float]]:
    """Every coordinate pair of the paths and polygons under an element."""
    numbers: list[float] = []
    for shape in element.iter():
        data = shape.get("d") or shape.get("points") or ""
        numbers += [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", data)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def bbox(element: ET.Element) -> tuple[float, float, float, float]:
    xs, ys = zip(*points(element), strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def icon_centre(root: ET.Element, node_id: str) -> tuple[float, float]:
    icon = by_id(root, node_id).find(f"{SVG}use")
    assert icon is not None
    x, y, w, h = (float(icon.get(a, 0)) for a in ("x", "y", "width", "height"))
    return x + w / 2, y + h / 2


def curve_samples(path: ET.Element) -> list[tuple[float, float]]:
    """Points along a Graphviz edge path: a start point, then cubic Bezier triples."""
    start, *controls = points(path)
    samples = [start]
    for i in range(0, len(controls) - 2, 3):
        p0, (p1, p2, p3) = samples[-1], controls[i : i + 3]
        for step in range(1, 101):
            t = step / 100
            weights = ((1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t**2 * (1 - t), t**3)
            samples.append(
                (
                    sum(w * p[0] for w, p in zip(weights, (p0, p1, p2, p3), strict=True)),
                    sum(w * p[1] for w, p in zip(weights, (p0, p1, p2, p3), strict=True)),
                )
            )
    return samples


def test_quote_escapes_quotes_and_backslashes():
    assert quote('a "b" \\') == '"a \\"b\\" \\\\"'


def test_html_text_shows_markup_literally_and_breaks_lines():
    assert html_text('<b> & "q"') == "&lt;b&gt; &amp; &quot;q&quot;"
    assert html_text("one\ntwo\r\nthree") == "one<BR/>two<BR/>three"


def test_html_text_doubles_backslashes_so_graphviz_does_not_expand_them():
    assert html_text("\\N") == "\\\\N"


def test_long_labels_wrap_at_spaces_and_keep_the_users_newlines():
    assert wrapped("Hyperparameter tuning", 16) == "Hyperparameter\ntuning"
    assert wrapped("Short\nlines stay", 16) == "Short\nlines stay"
    assert wrapped("Unbreakablelongword", 8) == "Unbreakablelongword"


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        ("Dashboards and alerts", ["Dashboards", "and alerts"]),
        ("Interleaving and A/B", ["Interleaving", "and A/B"]),
        ("LambdaMART and two-tower training", ["LambdaMART", "and two-tower", "training"]),
        ("Human relevance judgments", ["Human relevance", "judgments"]),
    ],
)
def test_long_labels_wrap_into_balanced_lines_at_word_boundaries(label, lines):
    assert wrapped(label, 16).split("\n") == lines
    greedy = textwrap.wrap(label, 16)
    assert len(lines) == len(greedy)
    assert max(map(len, lines)) - min(map(len, lines)) <= max(map(len, greedy)) - min(
        map(len, greedy)
    )


def test_html_text_drops_characters_xml_cannot_hold():
    assert html_text("a\x00b\x07c\tend") == "abc end"


HOSTILE = 'Say "hi" <b>&amp; \\N back\\slash\\\nsecond ☃ 日本 é'


def hostile_blueprint(small: Blueprint) -> Blueprint:
    """Ids that are DOT keywords and labels with every character that needs escaping."""
    components = [
        component(ident, label=f"{ident} {HOSTILE}", group=group)
        for ident, group in (
            ("node", "subgraph"),
            ("edge", "subgraph"),
            ("graph", "strict"),
            ("digraph", None),
        )
    ]
    return replace(
        small,
        title=f"Title {HOSTILE}",
        components={c.id: c for c in components},
        groups={"subgraph": Group("subgraph", HOSTILE), "strict": Group("strict", "]{;-- x")},
        flows=(Flow("node", "edge", HOSTILE), Flow("digraph", "strict", "\\")),
        steps=make_steps({}),
    )


def test_hostile_ids_and_labels_reach_the_svg_as_written(small_blueprint, tmp_path):
    root = laid_out(hostile_blueprint(small_blueprint), tmp_path)
    first, second = HOSTILE.split("\n")
    # Node and edge labels wrap at spaces; the user's newline always breaks.
    for ident in ("node", "edge", "graph", "digraph"):
        lines = texts(by_id(root, f"c-{ident}"))
        assert " ".join(lines) == f"{ident} {first} {second}" and lines[-1] == second
    lines = texts(by_id(root, "e-node-edge-0"))
    assert " ".join(lines) == f"{first} {second}" and lines[-1] == second
    assert texts(by_id(root, "g-subgraph")) == [first, second]
    assert texts(by_id(root, "g-strict")) == ["]{;-- x"]
    assert texts(by_id(root, "e-digraph-strict-1")) == ["\\"]
    assert f"Title {first}" in texts(root)


def test_two_groups_with_one_label_stay_two_clusters(small_blueprint, tmp_path):
    groups = {"a": Group("a", "Same"), "b": Group("b", "Same")}
    components = {
        "x": component("x", group="a"),
        "y": component("y", group="b"),
    }
    blueprint = replace(small_blueprint, groups=groups, components=components, flows=())
    root = laid_out(blueprint, tmp_path)
    assert texts(by_id(root, "g-a")) == texts(by_id(root, "g-b")) == ["Same"]
    assert bbox(by_id(root, "g-a")) != bbox(by_id(root, "g-b"))


def test_nested_groups_are_nested_clusters_and_empty_groups_are_not_drawn(
    study_blueprint, tmp_path
):
    root = laid_out(study_blueprint, tmp_path)
    outer = bbox(by_id(root, "g-data"))
    for inner_id in ("g-ingest", "g-offline"):
        inner = bbox(by_id(root, inner_id))
        assert outer[0] < inner[0] and outer[1] < inner[1]
        assert inner[2] < outer[2] and inner[3] < outer[3]
    assert root.find(".//*[@id='g-unused']") is None
    assert "unused" not in build_dot(study_blueprint, load_catalog())


def distance_to_border(point: tuple[float, float], box: tuple[float, float, float, float]):
    x, y = point
    x0, y0, x1, y1 = box
    return min(abs(x - x0), abs(x - x1), abs(y - y0), abs(y - y1))


def test_an_edge_from_a_group_starts_at_the_group_border(study_blueprint, tmp_path):
    root = laid_out(study_blueprint, tmp_path)
    edge = by_id(root, "e-online-monitor-17")
    path = edge.find(f"{SVG}path")
    assert path is not None
    start = points(path)[0]
    assert distance_to_border(start, bbox(by_id(root, "g-online"))) < 2


@pytest.mark.parametrize(("direction", "axis"), [("LR", 0), ("RL", 0), ("TB", 1), ("BT", 1)])
def test_direction_sets_the_flow_axis(small_blueprint, tmp_path, direction, axis):
    root = laid_out(replace(small_blueprint, direction=direction), tmp_path)
    users = icon_centre(root, "c-users")[axis]
    monitor = icon_centre(root, "c-monitor")[axis]
    # users -> api -> monitor: two ranks on, along the flow axis.
    assert (monitor - users > 0) == (direction in ("LR", "TB"))


def test_flow_styles_and_two_way_edges(study_blueprint, tmp_path):
    root = laid_out(study_blueprint, tmp_path)

    def stroke(ident: str, attribute: str) -> str | None:
        path = by_id(root, ident).find(f"{SVG}path")
        assert path is not None
        return path.get(attribute)

    assert stroke("e-registry-ranker-10", "stroke-dasharray") == "5,2"
    assert stroke("e-tuner-trainer-8", "stroke-dasharray") == "1,5"
    assert stroke("e-features-cache-14", "stroke-width") == "2.2"
    assert stroke("e-lake-etl-5", "stroke-dasharray") is None

    def arrowheads(ident: str) -> int:
        return len(by_id(root, ident).findall(f"{SVG}polygon[@stroke='#4b5563']"))

    assert arrowheads("e-retrieval-index-12") == 2
    assert arrowheads("e-lake-etl-5") == 1


def test_edge_labels_sit_by_their_edges(study_blueprint, tmp_path):
    root = laid_out(study_blueprint, tmp_path)
    labelled = [(i, f) for i, f in enumerate(study_blueprint.flows) if f.label]
    for index, flow in labelled:
        edge = by_id(root, f"e-{flow.source}-{flow.target}-{index}")
        text = edge.find(f"{SVG}text")
        assert text is not None and text.text == flow.label
        path = edge.find(f"{SVG}path")
        assert path is not None
        chip = edge.find(f"{SVG}polygon[@fill='white']")
        assert chip is not None
        x0, y0, x1, y1 = bbox(chip)
        nearest = min(
            math.hypot(max(x0 - x, 0, x - x1), max(y0 - y, 0, y - y1))
            for x, y in curve_samples(path)
        )
        assert nearest < 20, f"label {flow.label!r} is {nearest} pt from its edge"


def test_title_is_above_everything(small_blueprint, tmp_path):
    root = laid_out(small_blueprint, tmp_path)
    title = next(t for t in root.iter(f"{SVG}text") if t.text == small_blueprint.title)
    assert title.get("font-weight") == "bold"
    tops = [bbox(g)[1] for g in root.iter(f"{SVG}g") if g.get("class") == "cluster"]
    assert float(title.get("y", 0)) < min(tops)


def test_node_shows_icon_above_label_and_tech_in_small_grey(small_blueprint, tmp_path):
    root = laid_out(replace(small_blueprint, direction="LR"), tmp_path)
    node = by_id(root, "c-events")
    icon = node.find(f"{SVG}use")
    assert icon is not None
    icon_bottom = float(icon.get("y", 0)) + float(icon.get("height", 0))
    label, tech = node.findall(f"{SVG}text")
    assert (label.text, tech.text) == ("Event stream", "Apache Kafka")
    label_size = float(label.get("font-size", 0))
    assert float(label.get("y", 0)) - label_size >= icon_bottom - 1
    assert float(tech.get("y", 0)) > float(label.get("y", 0))
    assert float(tech.get("font-size", 0)) < label_size
    assert tech.get("fill") == "#6b7280"


@pytest.mark.parametrize("direction", ["TB", "BT"])
def test_top_to_bottom_nodes_put_the_icon_left_of_the_label(small_blueprint, tmp_path, direction):
    """Short nodes keep a top-to-bottom layout of many ranks within a page's proportions."""
    root = laid_out(replace(small_blueprint, direction=direction), tmp_path)
    node = by_id(root, "c-events")
    icon = node.find(f"{SVG}use")
    assert icon is not None
    icon_right = float(icon.get("x", 0)) + float(icon.get("width", 0))
    label, tech = node.findall(f"{SVG}text")
    assert label.get("text-anchor") == tech.get("text-anchor") == "start"
    assert float(label.get("x", 0)) >= icon_right
    assert float(icon.get("y", 0)) <= float(label.get("y", 0)) <= float(icon.get("y", 0)) + 52


@pytest.mark.parametrize("direction", ["LR", "RL", "TB", "BT"])
def test_cluster_labels_sit_top_left_in_every_direction(study_blueprint, tmp_path, direction):
    root = laid_out(replace(study_blueprint, direction=direction), tmp_path)
    cluster = by_id(root, "g-data")
    path = cluster.find(f"{SVG}path")
    label = cluster.find(f"{SVG}text")
    assert path is not None and label is not None
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
    xs, ys = numbers[0::2], numbers[1::2]
    assert float(label.get("y", 0)) < (min(ys) + max(ys)) / 2
    assert float(label.get("x", 0)) < (min(xs) + max(xs)) / 2


def test_clusters_are_filled_by_nesting_depth(study_blueprint, tmp_path):
    root = laid_out(study_blueprint, tmp_path)

    def fill(ident: str) -> str | None:
        path = by_id(root, ident).find(f"{SVG}path")
        assert path is not None
        return path.get("fill")

    assert fill("g-data") == fill("g-training") != fill("g-ingest")
    assert fill("g-ingest") == fill("g-offline")


def test_dot_source_is_what_graphviz_reads_without_error(study_blueprint):
    source = build_dot(study_blueprint, load_catalog())
    assert 'splines="spline"' in source
    assert layout.run_dot(source).lstrip().startswith("<?xml")
