"""A loaded blueprint in a Jupyter notebook: its overview diagram, through IPython's own
display machinery, drawn on first display and not on loading."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from IPython.core.formatters import DisplayFormatter

import archgen
from archgen.layout import search as layout

DATA = Path(__file__).parent / "data" / "valid"
SVG = "image/svg+xml"


def shown(blueprint: archgen.model.Blueprint) -> dict[str, str]:
    """What a notebook cell ending in `blueprint` would show: IPython's mime bundle."""
    data, _metadata = DisplayFormatter().format(blueprint)
    return data


def test_a_blueprint_shows_its_overview_diagram() -> None:
    blueprint = archgen.load(DATA / "spec-example.yaml")
    bundle = shown(blueprint)
    svg = ET.fromstring(bundle[SVG])
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    nodes = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"]
    titles = [node.findtext("{http://www.w3.org/2000/svg}title") for node in nodes]
    assert sorted(titles) == sorted(blueprint.components)
    # Every icon is embedded, and the text beside the diagram is one line.
    assert bundle[SVG].count("<use ") == len(blueprint.components)
    assert bundle["text/plain"] == (
        "<Blueprint 'video-recommendation': 11 components, 3 groups, 13 flows>"
    )


def test_two_diagrams_in_one_page_keep_their_own_icons() -> None:
    # The classic Notebook and nbconvert paste SVG outputs into one page, ids and all.
    first, second = (
        shown(archgen.load(DATA / name))[SVG] for name in ("spec-example.yaml", "edge-cases.yaml")
    )
    ids = [set(re.findall(r' id="([^"]+)"', svg)) for svg in (first, second)]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
    for svg, own in zip((first, second), ids, strict=True):
        assert set(re.findall(r'href="#([^"]+)"', svg)) <= own
    assert not first.startswith("<?xml")


def test_the_diagram_is_drawn_once_per_blueprint(monkeypatch: pytest.MonkeyPatch) -> None:
    blueprint = archgen.load(DATA / "spec-example.yaml")
    calls = []
    lay_out = layout.lay_out
    monkeypatch.setattr(layout, "lay_out", lambda *args: calls.append(1) or lay_out(*args))
    assert shown(blueprint)[SVG] == shown(blueprint)[SVG]
    assert len(calls) == 1
    # A changed copy is drawn anew, not shown with the old drawing.
    renamed = replace(blueprint, title="Renamed")
    shown(renamed)
    assert len(calls) == 2


def test_without_graphviz_the_text_is_shown_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blueprint = archgen.load(DATA / "spec-example.yaml")
    monkeypatch.setenv("PATH", str(DATA / "no-programs-here"))
    with pytest.warns(UserWarning, match="install Graphviz"):
        bundle = shown(blueprint)
    assert SVG not in bundle and bundle["text/plain"].startswith("<Blueprint")
    # Nothing was kept: once Graphviz is there, the diagram shows.
    monkeypatch.undo()
    assert SVG in shown(blueprint)


def test_loading_a_blueprint_does_not_import_the_renderer() -> None:
    code = (
        "import sys, archgen; archgen.load(sys.argv[1]); "
        "print(sorted(m for m in sys.modules if m.startswith(('archgen.render', 'archgen.layout'))))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code, str(DATA / "spec-example.yaml")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.strip() == "[]"
