"""One blueprint, any flavor: every valid example renders with each icon set."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import PIL.Image
import pytest

from archgen.catalog import load_catalog
from archgen.format import FLAVORS
from archgen.parse.load import load
from archgen.render.colour import rgb
from archgen.render.diagrams import render
from archgen.render.icons import is_logo

VALID_DIR = Path(__file__).parent / "data" / "valid"
VALID = sorted(VALID_DIR.glob("*.yaml"))
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


def test_cloud_flavors_draw_their_own_services_and_name_them(tmp_path: Path) -> None:
    """A cloud's service icon is a product: its name is printed under the label."""
    catalog = load_catalog()
    blueprint = load(VALID_DIR / "spec-example.yaml")
    for flavor in ("aws", "gcp", "azure"):
        (svg_path,) = render(blueprint, tmp_path, formats=("svg",), steps=False, flavor=flavor)
        text = svg_path.read_text(encoding="utf-8")
        for component in blueprint.components.values():
            caption = catalog.caption(component, flavor)
            if caption:
                assert caption.split()[-1] in text, (flavor, component.id)
    distinct = {flavor: {k.icon(flavor) for k in catalog.kinds.values()} for flavor in FLAVORS}
    assert distinct["aws"] != distinct["gcp"] != distinct["azure"]
    assert distinct["generic"] == distinct["onprem"]


@pytest.mark.parametrize("flavor", ["generic", "onprem"])
def test_a_component_without_tech_shows_no_product(flavor: str, tmp_path: Path) -> None:
    """Role icons only, and no product name that the blueprint did not give."""
    catalog = load_catalog()
    blueprint = load(VALID_DIR / "spec-example.yaml")
    for component in blueprint.components.values():
        if not component.tech and component.icon is None:
            assert not is_logo(catalog.icon_ref(component, flavor)), component.id
            assert catalog.caption(component, flavor) is None, component.id


def test_svg_icons_render_in_the_png(tmp_path: Path) -> None:
    """resvg draws embedded SVG icons: the role tiles' colours reach the PNG (to within
    the few levels the PNG's 256-colour palette may move them)."""
    blueprint = load(VALID_DIR / "spec-example.yaml")
    written = render(blueprint, tmp_path, formats=("svg", "png"), steps=False, flavor="generic")
    (png,) = [path for path in written if path.suffix == ".png"]
    catalog = load_catalog()
    with PIL.Image.open(png) as image:
        colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 24)}
    tints = {rgb(catalog.tint(c)) for c in blueprint.components.values() if not c.tech}

    def drawn(tint: tuple[int, ...]) -> bool:
        return any(max(abs(a - b) for a, b in zip(tint, c, strict=True)) <= 8 for c in colours)

    assert all(drawn(tint) for tint in tints)
