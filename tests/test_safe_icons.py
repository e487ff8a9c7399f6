"""A user's icon file is made safe before it is copied into a diagram (issue 13, item 5).

An SVG is rebuilt from what draws: no script, event handler, foreignObject,
animation or link, and no reference outside the icon (tests/data/hostile/icons).
One that cannot be an icon (a DOCTYPE with entities, not SVG, a <use> bomb or
loop, nesting past the limit) is refused at the `icon` key, as is a PNG that is
not one, is damaged, is a decompression bomb, or a file past the size limit.
"""

from __future__ import annotations

import base64
import io
import re
import struct
import zlib
from pathlib import Path
from xml.etree import ElementTree

import PIL.Image
import PIL.PngImagePlugin
import pytest

from archgen.catalog import load_catalog
from archgen.cli import EXIT_INVALID, main
from archgen.errors import BlueprintError
from archgen.format import ICON_BYTES, ICON_DEPTH, ICON_ELEMENTS, ICON_PIXELS
from archgen.model import Blueprint
from archgen.parse.load import load
from archgen.render.icons import PNG_SIGNATURE, file_image, is_small_raster
from archgen.render.nodeicons import icon_drawings
from archgen.render.safesvg import clean_svg

HOSTILE = Path(__file__).parent / "data" / "hostile" / "icons"
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# What an icon may still point at: a part of itself, or an embedded raster picture.
LOCAL = re.compile(r"#|data:image/(png|jpeg|gif);base64,", re.IGNORECASE)
NEVER_KEPT = {"script", "foreignObject", "animate", "set", "animateTransform", "a", "feImage"}


BLUEPRINT = """\
archgen: 1
title: Icons
components:
  model: {{kind: ranker, icon: icons/{name}}}
"""
# Where the `icon` value is, where its errors must point.
ICON_LINE, ICON_COLUMN = 4, BLUEPRINT.format(name="").splitlines()[3].index("icons/") + 1


def blueprint_with_icon(tmp_path: Path, icon: Path) -> Path:
    """A blueprint whose one component draws `icon`, copied beside it."""
    (tmp_path / "icons").mkdir(parents=True, exist_ok=True)
    (tmp_path / "icons" / icon.name).write_bytes(icon.read_bytes())
    source = tmp_path / "blueprint.yaml"
    source.write_text(BLUEPRINT.format(name=icon.name))
    return source


def refusal(tmp_path: Path, icon: Path) -> str:
    """The one error loading reports for the icon, checked to sit at its `icon` value."""
    with pytest.raises(BlueprintError) as raised:
        load(blueprint_with_icon(tmp_path, icon))
    [diagnostic] = raised.value.diagnostics
    assert (diagnostic.mark.line, diagnostic.mark.col) == (ICON_LINE, ICON_COLUMN)
    assert diagnostic.message.startswith(f"icon 'icons/{icon.name}' ")
    return diagnostic.message


def problems(svg: bytes) -> list[str]:
    """What in an SVG could run, load or reach out: [] when nothing."""
    found = []
    for element in ElementTree.fromstring(svg).iter():
        name = element.tag.removeprefix(SVG)
        if not element.tag.startswith(SVG) or name in NEVER_KEPT:
            found.append(f"<{element.tag}>")
        for attribute, value in element.attrib.items():
            if attribute.lower().startswith("on"):
                found.append(f"<{name} {attribute}>")
            if attribute in ("href", XLINK_HREF) and not LOCAL.match(value):
                found.append(f"<{name} {attribute}={value!r}>")
            if re.search(r"url\s*\(\s*['\"]?(?!#)", value) or "\\" in value:
                found.append(f"<{name} {attribute}={value!r}>")
        if name == "style" and re.search(r"@|url\s*\(\s*['\"]?(?!#)", element.text or ""):
            found.append(f"<style>{element.text}</style>")
    return found


@pytest.mark.parametrize(
    "name", ["script.svg", "foreign-object.svg", "external-references.svg", "animation.svg"]
)
def test_a_hostile_svg_icon_is_rebuilt_from_what_draws(name: str) -> None:
    original = (HOSTILE / name).read_bytes()
    assert problems(original), "the hostile file has lost its teeth"
    cleaned = file_image(HOSTILE / name).data
    assert problems(cleaned) == []
    # What draws is kept.
    shapes = {e.tag.removeprefix(SVG) for e in ElementTree.fromstring(cleaned).iter()}
    assert shapes & {"circle", "rect"}


def test_local_references_and_paint_stay() -> None:
    cleaned = ElementTree.fromstring(file_image(HOSTILE / "external-references.svg").data)
    uses = [e.get("href") for e in cleaned.iter(f"{SVG}use")]
    assert "#kept" in uses
    fills = [e.get("fill") for e in cleaned.iter(f"{SVG}rect")]
    assert "url(#local)" in fills
    assert [s.get("stop-color") for s in cleaned.iter(f"{SVG}stop")] == ["#f97316", "#7c2d12"]


def test_an_embedded_raster_stays_only_when_it_is_a_small_picture() -> None:
    small, bomb = (base64.b64encode(blank_png(side, side)).decode() for side in (4, 20_000))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg">'
        f'<image id="small" href="data:image/png;base64,{small}"/>'
        f'<image id="bomb" href="data:image/png;base64,{bomb}"/>'
        f'<image id="lying" href="data:image/gif;base64,{small}"/></svg>'
    ).encode()
    kept = {
        e.get("id"): e.get("href") for e in ElementTree.fromstring(clean_svg(svg, is_small_raster))
    }
    assert kept == {"small": f"data:image/png;base64,{small}", "bomb": None, "lying": None}


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("entity-bomb.svg", "DOCTYPE"),
        ("external-entity.svg", "DOCTYPE"),
        ("use-bomb.svg", f"elements, over the limit: {ICON_ELEMENTS}"),
        ("use-loop.svg", "copies an element holding it"),
        ("not-svg.svg", "is not an SVG: its root element is 'html'"),
        ("no-namespace.svg", 'not <svg xmlns="http://www.w3.org/2000/svg">'),
        ("not-a-png.png", "is not a PNG image (it looks like HTML or XML)"),
    ],
)
def test_what_cannot_be_an_icon_is_refused_at_its_key(name: str, says: str, tmp_path: Path) -> None:
    assert says in refusal(tmp_path, HOSTILE / name)


def test_an_svg_nested_past_the_limit_is_refused_without_recursing(tmp_path: Path) -> None:
    deep = tmp_path / "deep.svg"
    depth = 20 * ICON_DEPTH.value * 10  # far past the limit, and past Python's recursion limit
    deep.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * depth + "</g>" * depth + "</svg>"
    )
    message = refusal(tmp_path / "bp", deep)
    assert f"nests elements {ICON_DEPTH.value + 1} levels deep, over the limit" in message


def test_malformed_xml_is_refused_with_where_it_breaks(tmp_path: Path) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text('<svg xmlns="http://www.w3.org/2000/svg">\n<circle r="1">\n</svg>')
    assert "is not well-formed XML (mismatched tag: line 3, column 2)" in refusal(
        tmp_path / "bp", broken
    )


def blank_png(width: int, height: int) -> bytes:
    """A black 1-bit PNG of any size, written chunk by chunk: a bomb is made in a
    moment, where Pillow would first build its 900 million pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = bytes(1 + (width + 7) // 8)  # a filter byte, then the row's bits
    squeeze = zlib.compressobj(9)
    idat = b"".join(squeeze.compress(row * 1000) for _ in range(height // 1000))
    idat += squeeze.compress(row * (height % 1000)) + squeeze.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [30_000, 10_000])
def test_a_decompression_bomb_png_is_refused_before_it_is_decoded(
    side: int, tmp_path: Path
) -> None:
    """Past Pillow's own limit (30,000 a side) and below it, where Pillow only warns."""
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(blank_png(side, side))
    assert bomb.stat().st_size < 200_000  # a few hundred KB that would decode to 100-900 MP
    assert f"over the limit: {ICON_PIXELS}" in refusal(tmp_path / "bp", bomb)


def test_a_png_just_over_the_pixel_limit_is_refused_and_one_at_it_is_not(tmp_path: Path) -> None:
    side = int(ICON_PIXELS.value**0.5)
    over = tmp_path / "over.png"
    PIL.Image.new("1", (side + 1, side)).save(over)
    assert f"is {side + 1:,} x {side:,} pixels, over the limit" in refusal(tmp_path / "bp", over)
    at = tmp_path / "at.png"
    PIL.Image.new("1", (side, side)).save(at)
    assert load(blueprint_with_icon(tmp_path / "ok", at)).components["model"].icon is not None


@pytest.mark.parametrize("damage", ["truncated", "crc", "pixels"])
def test_a_damaged_png_is_refused(damage: str, tmp_path: Path) -> None:
    out = io.BytesIO()
    PIL.Image.radial_gradient("L").save(out, "PNG")
    good = bytearray(out.getvalue())
    if damage == "truncated":
        bad = good[: len(good) // 2]
    elif damage == "crc":
        bad = good[:-20] + bytes(b ^ 0xFF for b in good[-20:-12]) + good[-12:]
    else:  # the compressed pixels themselves, CRC rewritten to match
        bad = corrupt_idat(good)
    path = tmp_path / f"{damage}.png"
    path.write_bytes(bytes(bad))
    assert "is a damaged PNG" in refusal(tmp_path / "bp", path)


def corrupt_idat(png: bytearray) -> bytearray:
    """The PNG with the bytes of its first IDAT chunk scrambled and its CRC made right,
    so that only decoding the pixels finds the damage."""
    start = png.index(b"IDAT") - 4
    (length,) = struct.unpack(">I", png[start : start + 4])
    data = bytes((b * 7 + 3) % 256 for b in png[start + 8 : start + 8 + length])
    crc = struct.pack(">I", zlib.crc32(b"IDAT" + data))
    return png[: start + 8] + data + crc + png[start + 12 + length :]


def test_an_icon_past_the_size_limit_is_refused_and_never_read_whole(tmp_path: Path) -> None:
    huge = tmp_path / "huge.png"
    out = io.BytesIO()
    PIL.Image.new("RGB", (8, 8)).save(out, "PNG")
    with huge.open("wb") as file:
        file.write(out.getvalue())
        file.truncate(40 * 2**20)  # 40 MB, sparse: what the fuzzer copied into every SVG
    message = refusal(tmp_path / "bp", huge)
    assert f"holds {40 * 2**20:,} bytes, over the limit: {ICON_BYTES}" in message


def test_a_png_icon_is_embedded_as_its_pixels_only(tmp_path: Path) -> None:
    """Text chunks and whatever follows the end of the picture stay out of the diagram."""
    out = io.BytesIO()
    info = PIL.PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    PIL.Image.new("RGB", (8, 8), "#2563eb").save(out, "PNG", pnginfo=info)
    icon = tmp_path / "polyglot.png"
    icon.write_bytes(out.getvalue() + b"<html><script>alert(2)</script></html>")
    embedded = file_image(icon).data
    assert b"script" not in embedded
    with PIL.Image.open(io.BytesIO(embedded)) as image:
        assert image.size == (8, 8) and image.getpixel((4, 4)) == (0x25, 0x63, 0xEB)


def test_the_diagram_embeds_the_cleaned_icon(tmp_path: Path) -> None:
    blueprint: Blueprint = load(blueprint_with_icon(tmp_path, HOSTILE / "script.svg"))
    [drawing] = icon_drawings(blueprint, load_catalog(), None, 48).values()
    uri = re.search(r'href="data:image/svg\+xml;base64,([^"]+)"', drawing)
    assert uri is not None
    assert problems(base64.b64decode(uri[1])) == []


def test_the_command_line_reports_a_hostile_icon_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = blueprint_with_icon(tmp_path, HOSTILE / "entity-bomb.svg")
    assert main(["validate", str(source)]) == EXIT_INVALID
    err = capsys.readouterr().err
    where = f"{source}:{ICON_LINE}:{ICON_COLUMN}"
    assert f"{where}: error: icon 'icons/entity-bomb.svg' has a DOCTYPE" in err
    assert "Traceback" not in err


def test_an_icon_spoilt_after_loading_is_an_error_at_the_file_when_drawn(tmp_path: Path) -> None:
    source = blueprint_with_icon(tmp_path, HOSTILE / "script.svg")
    blueprint = load(source)
    icon = tmp_path / "icons" / "script.svg"
    icon.write_text("<html>not an icon any more</html>")
    with pytest.raises(BlueprintError) as raised:
        icon_drawings(blueprint, load_catalog(), None, 48)
    [diagnostic] = raised.value.diagnostics
    assert diagnostic.mark.file == icon
    assert "icon 'script.svg' is not an SVG" in diagnostic.message
