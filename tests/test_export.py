"""`archgen export` and `render --format mermaid,drawio`: Mermaid flowcharts and draw.io files.

The Mermaid charts are checked with the real Mermaid CLI (mmdc) when it is
there: set ARCHGEN_MMDC to its path, or put `mmdc` on PATH (for example
`PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix /tmp/mmdc @mermaid-js/mermaid-cli`,
found there too); it drives the system Chromium.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from archgen.cli import main
from archgen.export import export
from archgen.export.mermaid import label
from archgen.model import Blueprint, Flow
from archgen.parse.load import load

DATA = Path(__file__).parent / "data"
EDGE_CASES = DATA / "valid" / "edge-cases.yaml"
SPEC_EXAMPLE = DATA / "valid" / "spec-example.yaml"
SVG = "{http://www.w3.org/2000/svg}"
LINK = re.compile(r"[cg]_\w+ <?[-.=]+>(\|.*\|)? [cg]_\w+")
MMDC_PATHS = ("/tmp/mmdc/node_modules/.bin/mmdc",)


def drawn_group_ids(blueprint: Blueprint) -> set[str]:
    return {g for g in blueprint.groups if blueprint.group_members(g)}


# Mermaid


def test_labels_are_quoted_and_escaped_for_mermaids_grammar() -> None:
    assert label('a "b" | c') == '"a #quot;b#quot; #124; c"'
    assert label("#35; <b>&</b>") == '"#35;35; #lt;b#gt;#amp;#lt;/b#gt;"'
    assert label("two\nlines`%%") == '"two<br>lines#96;#37;#37;"'


def test_mermaid_has_groups_as_nested_subgraphs_and_every_flow_style(
    study_blueprint: Blueprint,
) -> None:
    chart = export(replace(study_blueprint, direction="LR"), "mermaid")
    lines = [line.strip() for line in chart.splitlines()]
    assert lines[:4] == [
        "---",
        'title: "Search and Recommendation Platform"',
        "---",
        "flowchart LR",
    ]
    data, ingest = (
        lines.index('subgraph g_data ["Data platform"]'),
        lines.index('subgraph g_ingest ["Streaming"]'),
    )
    assert data < ingest < lines.index('c_events["Event stream<br>Apache Kafka"]')
    assert "subgraph g_unused" not in chart  # a group with no member is not drawn
    assert 'c_users["Mobile #amp; web<br>clients"]' in lines
    assert "c_tuner <-.-> c_trainer" in lines  # dotted, two-way
    assert "linkStyle 8 stroke-dasharray:2 3" in lines  # ... drawn in dots
    assert 'c_registry -.->|"deploy"| c_ranker' in lines
    assert "c_features ==> c_cache" in lines
    assert 'c_retrieval <-->|"ANN query"| c_index' in lines
    assert 'g_online -->|"logs, metrics"| c_monitor' in lines  # from a whole group
    links = [line for line in lines if LINK.fullmatch(line)]
    assert len(links) == len(study_blueprint.flows)


def test_mermaid_direction_is_the_layouts() -> None:
    """A fixed direction is the blueprint's; `auto` is what the layout chose."""
    blueprint = load(EDGE_CASES)
    assert "\nflowchart BT\n" in export(blueprint, "mermaid")
    chosen = export(replace(blueprint, direction="auto"), "mermaid")
    assert any(f"\nflowchart {d}\n" in chosen for d in ("TB", "LR"))


def test_a_two_way_link_from_a_group_is_written_from_its_node_end() -> None:
    """Mermaid's renderer draws no path for a two-way link that starts at a nested subgraph."""
    chart = export(load(EDGE_CASES), "mermaid")
    assert 'c_digraph <==>|"#lt;script#gt;alert(1)#lt;/script#gt;"| g_inner' in chart


def find_mmdc() -> str | None:
    candidates = [os.environ.get("ARCHGEN_MMDC"), shutil.which("mmdc"), *MMDC_PATHS]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def test_mermaid_cli_parses_every_chart_and_draws_every_flow(
    tmp_path: Path, study_blueprint: Blueprint
) -> None:
    mmdc = find_mmdc()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if mmdc is None or chromium is None:
        pytest.skip(
            "the Mermaid CLI (mmdc) and Chromium are needed: npm install @mermaid-js/mermaid-cli "
            "and set ARCHGEN_MMDC to its mmdc"
        )
    blueprints = [load(EDGE_CASES), load(SPEC_EXAMPLE), study_blueprint]
    charts = tmp_path / "charts.md"
    charts.write_text("".join(f"```mermaid\n{export(b, 'mermaid')}```\n\n" for b in blueprints))
    config = tmp_path / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": chromium, "args": ["--no-sandbox"]}))
    command = [mmdc, "-q", "-p", str(config), "-i", str(charts), "-o", str(tmp_path / "out.md")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr  # a path Mermaid could not draw is reported, not fatal
    for number, blueprint in enumerate(blueprints, 1):
        svg = ET.parse(tmp_path / f"out-{number}.svg").getroot()
        links = [p for p in svg.iter(f"{SVG}path") if "flowchart-link" in p.get("class", "")]
        assert len(links) == len(blueprint.flows), blueprint.id
        assert not any("NaN" in p.get("d", "") for p in links), blueprint.id


# draw.io


def cells(text: str) -> dict[str, ET.Element]:
    model = ET.fromstring(text).find("diagram/mxGraphModel/root")
    assert model is not None
    return {cell.attrib["id"]: cell for cell in model.iter("mxCell")}


def test_drawio_has_a_vertex_per_component_a_container_per_group_an_edge_per_flow(
    study_blueprint: Blueprint,
) -> None:
    found = cells(export(study_blueprint, "drawio"))
    vertices = {i: c for i, c in found.items() if c.get("vertex") == "1"}
    edges = [c for c in found.values() if c.get("edge") == "1"]
    containers = {i for i, c in vertices.items() if "container=1;" in c.attrib["style"]}
    assert len(vertices) == len(study_blueprint.components) + len(drawn_group_ids(study_blueprint))
    assert containers == {f"g-{g}" for g in drawn_group_ids(study_blueprint)}
    assert len(edges) == len(study_blueprint.flows)
    for edge in edges:
        assert edge.get("source") in vertices and edge.get("target") in vertices
    assert found["c-events"].get("parent") == "g-ingest"
    assert found["g-ingest"].get("parent") == "g-data"
    assert found["c-users"].get("parent") == found["g-data"].get("parent") == "1"
    online_logs = next(e for e in edges if e.get("source") == "g-online")
    assert online_logs.get("target") == "c-monitor" and online_logs.get("value") == "logs, metrics"


def geometry(cell: ET.Element) -> tuple[float, float, float, float]:
    box = cell.find("mxGeometry")
    assert box is not None
    return tuple(float(box.get(k, "0")) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]


def test_drawio_children_are_placed_inside_their_container(study_blueprint: Blueprint) -> None:
    found = cells(export(study_blueprint, "drawio"))
    for cell in found.values():
        parent = found.get(cell.get("parent", ""))
        if cell.get("vertex") != "1" or parent is None or parent.get("vertex") != "1":
            continue
        x, y, width, height = geometry(cell)
        _, _, outer_width, outer_height = geometry(parent)
        assert x >= 0 and x + width <= outer_width, cell.attrib["id"]
        assert y >= 0 and y + height <= outer_height, cell.attrib["id"]


def test_drawio_nodes_carry_their_icons_inline_and_escaped_labels() -> None:
    blueprint = load(EDGE_CASES)
    found = cells(export(blueprint, "drawio"))
    for component in blueprint.components:
        style = dict(
            part.split("=", 1)
            for part in found[f"c-{component}"].attrib["style"].split(";")
            if part
        )
        mime, data = style["image"].removeprefix("data:").split(",", 1)
        assert mime in ("image/svg+xml", "image/png")
        assert base64.b64decode(data, validate=True)
    assert found["c-edge"].get("value") == "back\\slash \\N<br>and &quot;quotes&quot;"
    script = next(c for c in found.values() if c.get("source") == "g-inner")
    assert script.get("value") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "startArrow=classic;" in script.attrib["style"]  # two-way


def test_drawio_edges_follow_the_layouts_routes(study_blueprint: Blueprint) -> None:
    found = cells(export(study_blueprint, "drawio"))
    routed = [c for c in found.values() if c.find("mxGeometry/Array[@as='points']") is not None]
    assert routed  # dot routes some flows around others; their joints are waypoints
    dashed = found["e-registry-ranker-10"].attrib["style"]
    assert "dashed=1;" in dashed
    dotted = found["e-tuner-trainer-8"].attrib["style"]
    assert "dashPattern=1 3;" in dotted


def test_exports_are_deterministic(study_blueprint: Blueprint) -> None:
    for to in ("mermaid", "drawio"):
        assert export(study_blueprint, to) == export(study_blueprint, to)


def test_unknown_export_format_is_a_value_error(study_blueprint: Blueprint) -> None:
    with pytest.raises(ValueError, match="choose from mermaid, drawio"):
        export(study_blueprint, "visio")


# The command line


def test_render_writes_mermaid_and_drawio_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    status = main(["render", str(SPEC_EXAMPLE), "-o", str(out), "--format", "svg,mermaid,drawio"])
    assert status == 0
    folder = out / "video-recommendation"
    assert (folder / "video-recommendation.mmd").read_text().startswith("---\ntitle:")
    assert cells((folder / "video-recommendation.drawio").read_text())
    main(["render", str(SPEC_EXAMPLE), "-o", str(tmp_path / "plain"), "--no-narrative"])
    assert not list((tmp_path / "plain").rglob("*.mmd"))  # not written unless asked
    assert not list((tmp_path / "plain").rglob("*.drawio"))


def test_export_writes_a_file_named_for_the_blueprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(SPEC_EXAMPLE), "--to", "drawio"]) == 0
    assert capsys.readouterr().out == "wrote video-recommendation.drawio\n"
    assert cells((tmp_path / "video-recommendation.drawio").read_text())
    assert main(["export", str(SPEC_EXAMPLE), "--to", "mermaid", "-o", "docs/chart.mmd"]) == 0
    assert (tmp_path / "docs" / "chart.mmd").read_text().startswith("---\n")


def test_export_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(SPEC_EXAMPLE), "--to", "mermaid", "-o", "-"]) == 0
    assert "\nflowchart " in capsys.readouterr().out


def test_export_errors_exit_with_their_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("archgen: 1\ntitle: Bad\ncomponents: {a: {kind: nope}}\n")
    assert main(["export", str(bad), "--to", "mermaid", "-o", "-"]) == 1
    assert "bad.yaml:3:" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["export", str(SPEC_EXAMPLE), "--to", "visio"])
    assert usage.value.code == 2
    (tmp_path / "taken").write_text("a file, not a folder")
    out = tmp_path / "taken" / "chart.mmd"
    assert main(["export", str(SPEC_EXAMPLE), "--to", "mermaid", "-o", str(out)]) == 4


def test_flow_labels_keep_flows_apart(study_blueprint: Blueprint) -> None:
    """Two flows between one pair of components stay two links and two edges."""
    doubled = replace(
        study_blueprint, flows=(*study_blueprint.flows, Flow("users", "gateway", "second"))
    )
    assert export(doubled, "mermaid").count("c_users -->") == 3
    edges = [c for c in cells(export(doubled, "drawio")).values() if c.get("edge") == "1"]
    assert len(edges) == len(doubled.flows)


def test_control_characters_never_reach_the_files(study_blueprint: Blueprint) -> None:
    components = dict(study_blueprint.components)
    components["users"] = replace(components["users"], label="bell\x07 here")
    blueprint = replace(study_blueprint, components=components, direction="TB")
    assert cells(export(blueprint, "drawio"))["c-users"].get("value") == "bell here"
    assert 'c_users["bell here"]' in export(blueprint, "mermaid")
