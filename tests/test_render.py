"""render(): files written, one layout, self-contained and deterministic output."""

from __future__ import annotations

import base64
import io
import math
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from pathlib import Path

import PIL.Image
import pytest
from conftest import component, make_steps

from archgen.catalog import load_catalog
from archgen.layout import search as layout
from archgen.layout.style import CLUSTER_COLORS, EDGE_LABEL_SIZE, MUTED_COLOR, TECH_SIZE, TEXT_COLOR
from archgen.model import Blueprint
from archgen.parse.load import load
from archgen.render import diagrams as render_module
from archgen.render import icons, raster
from archgen.render.diagrams import render
from archgen.render.nodeicons import ICON_DETAIL, catalog_icon, unit_drawing, user_icon
from archgen.render.raster import (
    MAX_PNG_PIXELS,
    MAX_PNG_SIDE,
    MIN_PNG_ZOOM,
    OVERVIEW_PNG_PIXELS,
    PNG_ZOOM,
    PX_PER_PT,
    STEP_PNG_PIXELS,
    STEP_PNG_ZOOM,
    png_bytes,
    png_zoom,
    svg_pixels,
)
from archgen.render.stepview import FADED_OPACITY, FADED_TEXT, TOUCHING_OPACITY

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def dot_runs(monkeypatch) -> list[str]:
    """Every DOT source handed to Graphviz during the test."""
    sources: list[str] = []
    real_run_dot = layout.run_dot

    def counting_run_dot(source: str) -> str:
        sources.append(source)
        return real_run_dot(source)

    monkeypatch.setattr(layout, "run_dot", counting_run_dot)
    return sources


def test_render_writes_every_format_and_focused_steps(small_blueprint, tmp_path):
    written = render(small_blueprint, tmp_path)
    folder = tmp_path / "video-recommendation"
    expected = {
        "video-recommendation.svg",
        "video-recommendation.png",
        "video-recommendation.dot",
        "step-3-data.svg",
        "step-3-data.png",
        "step-6-serving.svg",
        "step-6-serving.png",
    }
    assert {p.name for p in written} == expected
    assert all(p.parent == folder for p in written)
    assert {p.name for p in folder.iterdir()} == expected


def test_render_writes_only_the_formats_asked(small_blueprint, tmp_path):
    written = render(small_blueprint, tmp_path, formats=("svg",), steps=False)
    assert [p.name for p in written] == ["video-recommendation.svg"]


def test_dot_alone_is_the_source_of_the_chosen_layout(small_blueprint, tmp_path):
    """The DOT holds the arrangement the layout stage chose, whatever else is written."""
    written = render(small_blueprint, tmp_path / "dot", formats=("dot",))
    assert [p.name for p in written] == ["video-recommendation.dot"]
    render(small_blueprint, tmp_path / "all")
    dot_file = Path("video-recommendation") / "video-recommendation.dot"
    assert (tmp_path / "dot" / dot_file).read_text() == (tmp_path / "all" / dot_file).read_text()


def test_unknown_format_is_refused(small_blueprint, tmp_path):
    with pytest.raises(ValueError, match="pdf"):
        render(small_blueprint, tmp_path, formats=("svg", "pdf"))


def test_one_layout_serves_every_format_and_view(small_blueprint, tmp_path, dot_runs):
    written = render(small_blueprint, tmp_path)
    runs_for_everything = len(dot_runs)
    render(small_blueprint, tmp_path / "svg-only", formats=("svg",), steps=False)
    # Formats and step views add no Graphviz run: they all come from the one layout.
    assert len(dot_runs) == 2 * runs_for_everything
    folder = tmp_path / "video-recommendation"
    assert (folder / "video-recommendation.dot").read_text() in dot_runs
    overview = (folder / "video-recommendation.svg").read_text()
    step_files = [p for p in written if p.name.startswith("step-") and p.suffix == ".svg"]
    assert len(step_files) == 2
    for step_file in step_files:
        step_svg = step_file.read_text()
        assert f' opacity="{FADED_OPACITY}"' in step_svg
        # A step view is the overview restyled: every shape and icon where it was.
        assert drawn_geometry(step_svg) == drawn_geometry(overview)


def drawn_geometry(svg: str) -> list[str]:
    return re.findall(
        r'(?<![\w-])(?:points|d|x|y|width|height)="[^"]*"', svg.split('<g id="g-', 1)[-1]
    )


def emphasis_of(svg_path: Path) -> dict[str, str]:
    """Each node, edge and cluster id -> "faded", "touching" or "full", as drawn."""
    root = ET.parse(svg_path).getroot()
    names = {FADED_OPACITY: "faded", TOUCHING_OPACITY: "touching", None: "full"}
    return {
        group.get("id", ""): names[
            next((c.get("opacity") for c in group if c.get("opacity")), None)
        ]
        for group in root.iter(f"{SVG}g")
        if group.get("class") in ("node", "edge", "cluster")
    }


def faded_ids(svg_path: Path) -> set[str]:
    return {ident for ident, level in emphasis_of(svg_path).items() if level == "faded"}


def test_step_view_fades_what_the_step_does_not_focus(study_blueprint, tmp_path):
    render(study_blueprint, tmp_path, formats=("svg",))
    serving = faded_ids(tmp_path / "study" / "step-6-serving.svg")
    for kept in ("c-gateway", "c-ranker", "g-online", "e-retrieval-ranker-13"):
        assert kept not in serving
    for faded in ("c-users", "c-trainer", "g-data", "g-ops"):
        assert faded in serving
    monitoring = faded_ids(tmp_path / "study" / "step-7-monitoring.svg")
    assert "e-monitor-alerts-18" not in monitoring


def test_flows_into_and_out_of_the_focus_are_half_faded(study_blueprint, tmp_path):
    render(study_blueprint, tmp_path, formats=("svg",))
    serving = emphasis_of(tmp_path / "study" / "step-6-serving.svg")
    assert serving["e-retrieval-ranker-13"] == "full"
    # The model reaches the ranker from training: an input of the serving step.
    assert serving["e-registry-ranker-10"] == "touching"
    # An edge touching a group counts as inside the focus only when all its members are.
    assert serving["e-online-monitor-17"] == "touching"
    assert emphasis_of(tmp_path / "study" / "step-7-monitoring.svg")["e-online-monitor-17"] == (
        "touching"
    )
    assert {level for ident, level in serving.items() if ident.startswith("e-")} == {
        "full",
        "touching",
        "faded",
    }


def relative_luminance(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_faded_text_keeps_a_readable_contrast_on_every_background(study_blueprint, tmp_path):
    render(study_blueprint, tmp_path, formats=("svg",))
    svg = (tmp_path / "study" / "step-6-serving.svg").read_text()
    faded_fills = set(re.findall(r'<text[^>]* fill="(#[0-9a-f]{6})"', svg)) - {
        TEXT_COLOR,
        MUTED_COLOR,
        "#334155",
        "#374151",
    }
    assert faded_fills == {FADED_TEXT}
    backgrounds = ["#ffffff", *(fill for fill, _ in CLUSTER_COLORS)]
    assert min(contrast(FADED_TEXT, background) for background in backgrounds) >= 2.5


def test_each_step_image_says_which_step_it_shows(study_blueprint, tmp_path):
    render(study_blueprint, tmp_path, formats=("svg",))
    root = ET.parse(tmp_path / "study" / "step-6-serving.svg").getroot()
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert f"6 · Serving\u00a0— {study_blueprint.title}" in texts
    overview = ET.parse(tmp_path / "study" / "study.svg").getroot()
    assert not any("6 · Serving" in "".join(t.itertext()) for t in overview.iter(f"{SVG}text"))


def test_cluster_around_a_focused_node_stays_visible(study_blueprint, tmp_path):
    render(study_blueprint, tmp_path, formats=("svg",))
    data = faded_ids(tmp_path / "study" / "step-3-data.svg")
    assert {"g-data", "g-ingest", "g-offline"}.isdisjoint(data)
    assert {"g-training", "g-online", "g-ops"} <= data


def test_steps_without_focus_get_no_diagram(small_blueprint, tmp_path):
    blueprint = replace(small_blueprint, steps=make_steps({"data": ()}))
    written = render(blueprint, tmp_path, formats=("svg",))
    assert not [p for p in written if p.name.startswith("step-")]
    written = render(small_blueprint, tmp_path / "no-steps", formats=("svg",), steps=False)
    assert not [p for p in written if p.name.startswith("step-")]


def test_a_step_that_loses_its_focus_loses_its_old_diagram(small_blueprint, tmp_path):
    render(small_blueprint, tmp_path, formats=("svg",))
    before = {p.name for p in (tmp_path / small_blueprint.id).glob("step-*.svg")}
    assert before
    render(replace(small_blueprint, steps=make_steps({})), tmp_path, formats=("svg",))
    assert not list((tmp_path / small_blueprint.id).glob("step-*.svg"))


def local_paths(text: str, blueprint: Blueprint, out: Path) -> list[str]:
    suspects = [
        "site-packages",
        str(Path(sys.prefix)),
        str(out),
        str(Path.cwd()),
        "/tmp",
        "file:",
    ]
    suspects += [str(c.icon.parent) for c in blueprint.components.values() if c.icon]
    return [s for s in suspects if s in text]


def test_svg_is_self_contained(study_blueprint, tmp_path):
    written = render(study_blueprint, tmp_path, formats=("svg", "dot"))
    for path in written:
        text = path.read_text()
        assert local_paths(text, study_blueprint, tmp_path) == [], path.name
        assert not re.search(r'"/[a-z]', text), path.name
    root = ET.parse(tmp_path / "study" / "study.svg").getroot()
    symbols = {s.get("id") for s in root.iter(f"{SVG}symbol")}
    uses = [u.get(XLINK_HREF) for u in root.iter(f"{SVG}use")]
    assert len(uses) == len(study_blueprint.components)
    assert {u.removeprefix("#") for u in uses if u} == symbols
    for image in root.iter(f"{SVG}image"):
        assert image.get(XLINK_HREF, "").startswith("data:image/png;base64,")


def test_archgens_own_vector_icons_are_drawn_inline_and_pictures_embedded(tmp_path):
    """Role tiles and brand logos are SVG elements in their symbol (no base64 to carry
    or decode); product PNGs are embedded images. Both fill the symbol's unit square."""
    blueprint = load(Path(__file__).parent / "data" / "valid" / "spec-example.yaml")
    (svg_path,) = render(blueprint, tmp_path, formats=("svg",), steps=False)
    kinds = {"inline": 0, "image": 0}
    for symbol in ET.parse(svg_path).getroot().iter(f"{SVG}symbol"):
        (drawing,) = list(symbol)
        assert (drawing.get("width"), drawing.get("height")) == ("1", "1")
        if drawing.tag == f"{SVG}svg":
            kinds["inline"] += 1
            assert drawing.get("viewBox")
        else:
            assert drawing.tag == f"{SVG}image"
            assert drawing.get(XLINK_HREF, "").startswith("data:image/png;base64,")
            kinds["image"] += 1
    assert kinds["inline"] >= 5 and kinds["image"] >= 1
    assert "image/svg+xml" not in svg_path.read_text()
    tile = icons.icon_image("lucide:layers", "#123456")
    assert unit_drawing(tile, 80).startswith('<svg width="1" height="1" viewBox="0 0 48 48">')


def embedded_icons(svg_path: Path) -> dict[str, tuple[str, float]]:
    """Symbol id -> (its image's data URI, the largest side a ``<use>`` draws it at, in px)."""
    root = ET.parse(svg_path).getroot()
    drawn: dict[str, float] = {}
    for use in root.iter(f"{SVG}use"):
        symbol = use.get(XLINK_HREF, "").removeprefix("#")
        side = max(float(use.get("width", 0)), float(use.get("height", 0))) * PX_PER_PT
        drawn[symbol] = max(drawn.get(symbol, 0.0), side)
    return {
        symbol.get("id", ""): (image.get(XLINK_HREF, ""), drawn[symbol.get("id", "")])
        for symbol in root.iter(f"{SVG}symbol")
        for image in symbol.iter(f"{SVG}image")
    }


def icon_uri_of(svg_path: Path, component_id: str) -> str:
    return embedded_icons(svg_path)[icon_symbol_of(svg_path, component_id)][0]


def icon_symbol_of(svg_path: Path, component_id: str) -> str:
    root = ET.parse(svg_path).getroot()
    node = root.find(f".//*[@id='c-{component_id}']")
    assert node is not None
    use = node.find(f"{SVG}use")
    assert use is not None
    return use.get(XLINK_HREF, "").removeprefix("#")


def icon_drawing_of(svg_path: Path, component_id: str) -> str:
    """The markup inside the symbol that draws a component's icon."""
    symbol = icon_symbol_of(svg_path, component_id)
    found = re.search(
        rf'<symbol id="{symbol}" viewBox="0 0 1 1">(.*?)</symbol>', svg_path.read_text()
    )
    assert found is not None
    return found.group(1)


def expected_drawing(svg_path: Path, component_id: str, image: icons.Image) -> str:
    """What the diagram should draw of `image`: scaled to its largest drawn size."""
    root = ET.parse(svg_path).getroot()
    symbol = icon_symbol_of(svg_path, component_id)
    drawn = max(
        max(float(use.get("width", 0)), float(use.get("height", 0))) * PX_PER_PT
        for use in root.iter(f"{SVG}use")
        if use.get(XLINK_HREF) == f"#{symbol}"
    )
    return unit_drawing(image, math.ceil(ICON_DETAIL * drawn))


def decoded_png(uri: str) -> PIL.Image.Image:
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    return PIL.Image.open(io.BytesIO(base64.b64decode(uri.removeprefix(prefix))))


def test_each_icon_is_embedded_once_at_about_twice_its_drawn_size(tmp_path):
    """The cloud flavors' icons are 256 px PNGs drawn at about 69 px or less."""
    blueprint = load(Path(__file__).parent / "data" / "valid" / "spec-example.yaml")
    (svg_path,) = render(blueprint, tmp_path, formats=("svg",), steps=False, flavor="aws")
    embedded = embedded_icons(svg_path)
    uris = [uri for uri, _ in embedded.values()]
    assert len(set(uris)) == len(uris)
    rasters = [(decoded_png(uri), drawn) for uri, drawn in embedded.values() if "png" in uri]
    assert len(rasters) >= 3
    for image, drawn in rasters:
        assert max(image.size) <= 2.2 * drawn, (image.size, drawn)
        assert max(image.size) >= 1.5 * drawn, (image.size, drawn)


def test_a_users_png_icon_is_scaled_down_and_a_small_one_kept(small_blueprint, tmp_path):
    big, small = tmp_path / "big.png", tmp_path / "small.png"
    PIL.Image.new("RGBA", (600, 300), "#2563eb").save(big)
    PIL.Image.new("RGBA", (24, 24), "#dc2626").save(small)
    own = {
        name: replace(small_blueprint.components[name], icon=icon)
        for name, icon in (("users", big), ("api", small))
    }
    blueprint = replace(small_blueprint, components={**small_blueprint.components, **own})
    (svg_path,) = render(blueprint, tmp_path / "out", formats=("svg",), steps=False)
    drawn = embedded_icons(svg_path)[icon_symbol_of(svg_path, "users")][1]
    with decoded_png(icon_uri_of(svg_path, "users")) as image:
        width, height = image.size
    assert max(width, height) <= 2.2 * drawn and abs(width - 2 * height) <= 1
    assert icon_uri_of(svg_path, "api") == icons.Image("image/png", small.read_bytes()).data_uri()


def test_scaled_down_icons_are_encoded_the_same_every_time():
    """Pillow's encoder with fixed options is deterministic: output stays byte-identical."""
    data = catalog_icon("aws.ml.Sagemaker", icons.NEUTRAL_TINT).data
    assert icons.downscaled_png(data, 100) == icons.downscaled_png(data, 100)


def test_svg_icons_are_embedded_compact():
    tile = icons.embeddable(icons.icon_image("lucide:layers"), 100).data.decode()
    logo = icons.embeddable(icons.icon_image("simple:pytorch"), 100).data.decode()
    for svg in (tile, logo):
        assert not re.search(r">\s+<|<title|\n", svg), svg
    noisy = b'<?xml version="1.0"?>\n<!-- made by hand -->\n<svg>\n  <title>T</title>\n  <rect/>\n</svg>\n'
    assert icons.compact_svg(noisy) == b"<svg><rect/></svg>"


def test_lucide_archive_is_opened_once_per_process(monkeypatch):
    opened: list[object] = []
    real_init = zipfile.ZipFile.__init__

    def counting_init(self, *args, **kwargs):
        opened.append(args[0])
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting_init)
    icons.lucide_zip.cache_clear()
    glyphs = [icons.lucide_glyph(name, "#123456") for name in ("cog", "gavel", "layers", "globe")]
    assert len(opened) == 1
    assert all("#123456" in glyph for glyph in glyphs)


def test_user_svg_icon_is_embedded_as_svg(small_blueprint, tmp_path):
    icon = tmp_path / "icons" / "mine.svg"
    icon.parent.mkdir()
    icon.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><rect/></svg>')
    users = replace(small_blueprint.components["users"], icon=icon)
    blueprint = replace(small_blueprint, components={**small_blueprint.components, "users": users})
    render(blueprint, tmp_path / "out", formats=("svg",), steps=False)
    svg_path = tmp_path / "out" / "video-recommendation" / "video-recommendation.svg"
    uri = icon_uri_of(svg_path, "users")
    # Compacting leaves an SVG without whitespace or metadata as it was.
    assert uri == "data:image/svg+xml;base64," + base64.b64encode(icon.read_bytes()).decode()
    assert str(tmp_path) not in svg_path.read_text()


def test_flavor_argument_overrides_the_blueprint_flavor(small_blueprint, tmp_path):
    catalog = load_catalog()
    render(small_blueprint, tmp_path / "a", formats=("svg",), steps=False)
    render(small_blueprint, tmp_path / "b", formats=("svg",), steps=False, flavor="aws")
    name = "video-recommendation/video-recommendation.svg"
    tint = catalog.step_colors["data"]
    for out, flavor in ((tmp_path / "a", "onprem"), (tmp_path / "b", "aws")):
        expected = catalog_icon(catalog.kinds["feature_store"].icon(flavor), tint)
        drawing = icon_drawing_of(out / name, "features")
        assert drawing == expected_drawing(out / name, "features", expected)
        # A tech sets the icon whatever the flavor.
        kafka = catalog_icon("onprem.queue.Kafka", tint)
        assert icon_drawing_of(out / name, "events") == expected_drawing(
            out / name, "events", kafka
        )
    # The service the aws icon shows is named (wrapped over two lines).
    svg = (tmp_path / "b" / name).read_text()
    assert ">Amazon SageMaker</text>" in svg and ">Feature Store</text>" in svg


def test_icon_encoding_is_cached_until_the_file_changes(tmp_path, monkeypatch):
    icon = tmp_path / "icon.png"
    PIL.Image.new("RGB", (4, 4), "red").save(icon)
    reads: list[Path] = []
    real_read_input = icons.read_input

    def counting_read_input(path: Path, limit: int) -> bytes:
        reads.append(path)
        return real_read_input(path, limit)

    monkeypatch.setattr(icons, "read_input", counting_read_input)
    first = user_icon(icon)
    assert user_icon(icon) == first
    assert reads == [icon]
    PIL.Image.new("RGB", (5, 5), "blue").save(icon)  # another size: a change even within one tick
    assert user_icon(icon) != first


def test_output_is_identical_across_runs_and_folders(study_blueprint, tmp_path):
    first = render(study_blueprint, tmp_path / "one", formats=("svg", "dot"))
    second = render(study_blueprint, tmp_path / "elsewhere" / "two", formats=("svg", "dot"))
    for a, b in zip(first, second, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes(), a.name
    svg = (tmp_path / "one" / "study" / "study.svg").read_text()
    assert "<!--" not in svg


def test_png_is_the_svg_at_the_preferred_zoom(small_blueprint, tmp_path):
    render(small_blueprint, tmp_path, formats=("svg", "png"), steps=False)
    folder = tmp_path / "video-recommendation"
    width, height = svg_pixels((folder / "video-recommendation.svg").read_text())
    expected = (round(PNG_ZOOM * width), round(PNG_ZOOM * height))
    assert png_size((folder / "video-recommendation.png").read_bytes()) == expected


def test_step_pngs_are_drawn_at_the_step_zoom(small_blueprint, tmp_path):
    written = render(small_blueprint, tmp_path, formats=("svg", "png"))
    step_png = next(p for p in written if p.name.startswith("step-") and p.suffix == ".png")
    width, height = svg_pixels(step_png.with_suffix(".svg").read_text())
    expected = (round(STEP_PNG_ZOOM * width), round(STEP_PNG_ZOOM * height))
    assert png_size(step_png.read_bytes()) == expected


def test_png_is_scaled_down_to_fit_the_side_limit(small_blueprint, tmp_path):
    render(small_blueprint, tmp_path, formats=("svg",), steps=False)
    svg = (tmp_path / "video-recommendation" / "video-recommendation.svg").read_text()
    width, height = svg_pixels(svg)
    cap = max(width, height) // 3
    png_width, png_height = png_size(png_bytes(svg, max_side=cap))
    assert max(png_width, png_height) == cap
    assert png_width * max(width, height) == pytest.approx(width * cap, abs=max(width, height))


@pytest.mark.parametrize(("width", "height"), [(40_000, 300), (300, 70_000), (20_000, 200)])
def test_png_zoom_never_exceeds_the_side_limit(width, height):
    zoom = png_zoom(width, height, 2.0, MAX_PNG_SIDE, max_pixels=10**12)
    assert round(max(width, height) * zoom) <= MAX_PNG_SIDE
    assert round(max(width, height) * zoom) >= MAX_PNG_SIDE - 1


@pytest.mark.parametrize("budget", [OVERVIEW_PNG_PIXELS, STEP_PNG_PIXELS])
def test_png_zoom_bounds_the_pixel_count(budget):
    zoom = png_zoom(1300, 1100, 2.0, MAX_PNG_SIDE, budget)
    assert zoom < 2.0
    assert 1300 * 1100 * zoom**2 == pytest.approx(budget)


def test_png_zoom_keeps_the_preferred_zoom_when_it_fits():
    assert png_zoom(1200, 800, 2.0, MAX_PNG_SIDE, OVERVIEW_PNG_PIXELS) == 2.0


def test_png_zoom_keeps_the_smallest_text_12_px_tall_over_the_budget():
    """A diagram too big for its budget gets more pixels, not unreadable text."""
    assert MIN_PNG_ZOOM * min(TECH_SIZE, EDGE_LABEL_SIZE) * PX_PER_PT == pytest.approx(12)
    zoom = png_zoom(4000, 3000, PNG_ZOOM, MAX_PNG_SIDE, STEP_PNG_PIXELS)
    assert zoom == MIN_PNG_ZOOM
    assert 4000 * 3000 * zoom**2 > STEP_PNG_PIXELS


def test_a_huge_diagram_is_scaled_down_whatever_its_text_size():
    """Past MAX_PNG_PIXELS, rasterizing would take minutes: the cap beats the text floor."""
    zoom = png_zoom(9000, 6000, PNG_ZOOM, MAX_PNG_SIDE, OVERVIEW_PNG_PIXELS)
    assert zoom < MIN_PNG_ZOOM
    assert 9000 * 6000 * zoom**2 == pytest.approx(MAX_PNG_PIXELS)


def test_pngs_of_a_real_render_keep_to_their_budgets_and_legible_text(tmp_path):
    """Ad click prediction is big enough for both budgets to bind: at their preferred
    zooms its overview would be 4.8 megapixels and its step views 2.1."""
    path = Path(__file__).parent.parent / "blueprints" / "ad-click-prediction.yaml"
    blueprint = load(path, root=path.parent)
    written = render(blueprint, tmp_path, formats=("svg", "png"))
    pixels = {png.stem: png_size(png.read_bytes()) for png in written if png.suffix == ".png"}
    overview = pixels.pop(blueprint.id)
    assert overview[0] * overview[1] == pytest.approx(OVERVIEW_PNG_PIXELS, rel=0.01)
    assert len(pixels) > 2
    for width, height in pixels.values():
        assert width * height == pytest.approx(STEP_PNG_PIXELS, rel=0.01)
    # A budget too small for legible text is exceeded: the smallest text stays 12 px.
    svg = (tmp_path / blueprint.id / f"{blueprint.id}.svg").read_text()
    width, _ = png_size(png_bytes(svg, STEP_PNG_ZOOM, max_pixels=100_000))
    assert width == pytest.approx(MIN_PNG_ZOOM * svg_pixels(svg)[0], abs=1)


def test_missing_graphviz_is_reported_with_how_to_install(small_blueprint, tmp_path, monkeypatch):
    monkeypatch.setattr(layout.shutil, "which", lambda name: None)
    with pytest.raises(layout.GraphvizMissing) as raised:
        render(small_blueprint, tmp_path)
    message = str(raised.value)
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    assert "\n" not in message
    assert not (tmp_path / "video-recommendation").exists()


def test_graphviz_failure_carries_its_stderr_and_writes_nothing(
    small_blueprint, tmp_path, monkeypatch
):
    fake_dot = tmp_path / "bin" / "dot"
    fake_dot.parent.mkdir()
    fake_dot.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n")
    fake_dot.chmod(0o755)
    monkeypatch.setattr(layout.shutil, "which", lambda name: str(fake_dot))
    with pytest.raises(layout.GraphvizFailed, match="something broke") as raised:
        render(small_blueprint, tmp_path / "out")
    assert raised.value.returncode == 3
    assert not (tmp_path / "out").exists()


def test_invalid_dot_source_fails_loudly():
    with pytest.raises(layout.GraphvizFailed, match="syntax error"):
        layout.run_dot("digraph { a -> }")


def test_a_blueprint_without_groups_or_flows_renders(small_blueprint, tmp_path):
    lone = component("solo")
    blueprint = replace(
        small_blueprint, components={"solo": lone}, groups={}, flows=(), steps=make_steps({})
    )
    (svg_path,) = render(blueprint, tmp_path, formats=("svg",))
    root = ET.parse(svg_path).getroot()
    assert [g.get("id") for g in root.iter(f"{SVG}g") if g.get("class") == "node"] == ["c-solo"]


def test_render_module_does_not_print(small_blueprint, tmp_path, capsys):
    render_module.render(small_blueprint, tmp_path, formats=("svg", "dot"))
    assert capsys.readouterr() == ("", "")


def test_a_group_looks_focused_only_when_all_its_members_are(study_blueprint, tmp_path):
    """A group with some members in focus frames them, half-faded with a grey title."""
    framing = next(g for g in study_blueprint.groups if len(study_blueprint.group_members(g)) > 1)
    one_member = study_blueprint.group_members(framing)[:1]
    steps = {step.name: step.focus for step in study_blueprint.steps}
    study_blueprint = replace(study_blueprint, steps=make_steps({**steps, "model": one_member}))
    render(study_blueprint, tmp_path, formats=("svg",))
    seen = set()
    for step in study_blueprint.steps:
        if not step.focus:
            continue
        levels = emphasis_of(tmp_path / "study" / f"{step.slug}.svg")
        for group in study_blueprint.groups:
            members = set(study_blueprint.group_members(group))
            if not members:
                continue
            expected = (
                "full"
                if members <= set(step.focus)
                else "touching"
                if members & set(step.focus)
                else "faded"
            )
            assert levels[f"g-{group}"] == expected, (step.name, group)
            seen.add(expected)
    assert seen == {"full", "touching", "faded"}
    model = ET.parse(tmp_path / "study" / "step-4-model.svg").getroot()
    title = model.find(f".//{SVG}g[@id='g-{framing}']/{SVG}text")
    assert title is not None and title.get("fill") == MUTED_COLOR


@pytest.fixture
def font_choices(monkeypatch) -> list[bool]:
    """For every rasterization during the test: whether DejaVu alone drew it."""
    choices: list[bool] = []
    real = raster.font_options

    def recording(dejavu_only: bool) -> object:
        choices.append(dejavu_only)
        return real(dejavu_only)

    monkeypatch.setattr(raster, "font_options", recording)
    return choices


def test_pngs_are_drawn_with_dejavu_alone_and_look_the_same(
    small_blueprint, tmp_path, font_choices
):
    """Skipping the system's fonts saves loading them all, and changes no pixel."""
    render(small_blueprint, tmp_path, formats=("svg",), steps=False)
    svg = (tmp_path / "video-recommendation" / "video-recommendation.svg").read_text()
    with_dejavu = png_bytes(svg)
    assert font_choices[-1] is True
    assert [Path(f).name for f in raster.diagram_fonts()] == [
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
    ]
    raster.diagram_fonts.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(raster.shutil, "which", lambda name: None)
        assert png_bytes(svg) == with_dejavu
        assert font_choices[-1] is False
    raster.diagram_fonts.cache_clear()


def test_text_beyond_dejavu_is_drawn_with_the_system_fonts(small_blueprint, tmp_path, font_choices):
    users = replace(small_blueprint.components["users"], label="視聴者")
    blueprint = replace(small_blueprint, components={**small_blueprint.components, "users": users})
    render(blueprint, tmp_path, formats=("png",), steps=False)
    assert font_choices[-1] is False


def test_pngs_are_paletted_and_deterministic(small_blueprint, tmp_path):
    """A palette of at most 256 colours: a third of the bytes, the same bytes every run."""
    render(small_blueprint, tmp_path / "a", formats=("png",), steps=False)
    render(small_blueprint, tmp_path / "b", formats=("png",), steps=False)
    name = Path("video-recommendation") / "video-recommendation.png"
    data = (tmp_path / "a" / name).read_bytes()
    assert data == (tmp_path / "b" / name).read_bytes()
    colour_type = data[25]
    assert colour_type == 3  # indexed colour
    with PIL.Image.open(io.BytesIO(data)) as image:
        colours = image.convert("RGB").getcolors(maxcolors=256)
    # Anti-aliased text and icons keep their many shades, not a posterised few.
    assert colours is not None and len(colours) > 64
