"""One blueprint, any flavor: every valid example renders with each icon set."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archgen.catalog import load_catalog
from archgen.load import load
from archgen.model import FLAVORS
from archgen.render import render

VALID = sorted((Path(__file__).parent / "data" / "valid").glob("*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"
HREFS = ("href", "{http://www.w3.org/1999/xlink}href")


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_every_flavor_renders_every_component_with_an_embedded_icon(
    path: Path, flavor: str, tmp_path: Path
) -> None:
    blueprint = load(path)
    (svg_path,) = render(blueprint, tmp_path, formats=("svg",), steps=False, flavor=flavor)
    root = ET.parse(svg_path).getroot()
    nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
    assert sorted(g.get("id") for g in nodes) == sorted(f"c-{c}" for c in blueprint.components)
    links = [el.get(attr) for el in root.iter() for attr in HREFS if el.get(attr)]
    images = [link for link in links if not link.startswith("#")]
    assert images and all(link.startswith("data:image/") for link in images)


def test_flavors_draw_kinds_with_their_own_icons() -> None:
    catalog = load_catalog()
    for kind in catalog.kinds.values():
        assert set(kind.icons) == set(FLAVORS)
    distinct = {flavor: {k.icons[flavor] for k in catalog.kinds.values()} for flavor in FLAVORS}
    assert distinct["aws"] != distinct["gcp"] != distinct["azure"]
