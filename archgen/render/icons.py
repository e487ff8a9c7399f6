"""The pictures behind the catalog's icon references.

A reference names one of three icon sets, each a maintained package, so
archgen draws no icon of its own:

- ``aws.ml.Sagemaker``: a `diagrams` node class, whose PNG is a product's
  or a cloud service's own icon;
- ``lucide:layers``: a Lucide line icon (ISC), drawn as a *role tile*, the
  line in a colour on a light rounded square of the same hue, so that it
  says what a component does, never which product does it;
- ``simple:pytorch``: a Simple Icons brand logo (CC0), filled with its brand
  colour, darkened where that colour would vanish on a light group fill.

Every picture comes back as bytes with its MIME type; SVGs carry concrete
colours (no ``currentColor``: an ``<img>`` or ``<image>`` has no CSS colour
to inherit) and explicit sizes, so browsers and resvg draw them alike.

``embeddable`` is what a diagram carries of a picture: a raster scaled down
to the size it is drawn at (the `diagrams` PNGs are often 256 px or more for
a 69 px cell), a vector without whitespace or metadata.
"""

from __future__ import annotations

import ast
import base64
import importlib.util
import io
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from archgen.files import UnusableInput, input_file, read_input
from archgen.format import ICON_BYTES, ICON_PIXELS
from archgen.render.colour import legible, mix_white
from archgen.render.safesvg import IconProblem, clean_svg

if TYPE_CHECKING:
    import PIL.Image

LUCIDE = "lucide:"
SIMPLE = "simple:"
# The colour of a role tile whose component has no framework step to lend one.
NEUTRAL_TINT = "#475569"
# Share of white mixed into a tile's tint for its fill and its border.
TILE_FILL_WHITE = 0.88
TILE_BORDER_WHITE = 0.55
# Colours in a scaled-down raster icon's palette: a logo drawn 40 px wide shows no
# difference between 128 and 256, and its bytes, repeated in every view, shrink a fifth.
ICON_COLOURS = 128
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
# What an SVG icon carries that draws nothing: the XML declaration, comments,
# titles, descriptions, editor metadata, and whitespace between tags.
SVG_NOISE = re.compile(
    r"<\?xml.*?\?>|<!--.*?-->|<(title|desc|metadata)\b[^>]*?(/>|>.*?</\1>)",
    re.DOTALL,
)
SVG_GAPS = re.compile(r">\s+<")
# A picture an SVG icon may embed: a PNG, JPEG or GIF, base64-encoded.
RASTER_URI = re.compile(r"data:image/(png|jpeg|gif);base64,([A-Za-z0-9+/=\s]+)", re.IGNORECASE)
# What Pillow raises on a cut or corrupt picture: each decoder has its own.
_DAMAGED = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# How files that are not PNGs begin, to say what a misnamed icon is.
FILE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "a JPEG"),
    (b"GIF8", "a GIF"),
    (b"RIFF", "a WebP"),
    (b"<svg", "an SVG"),
    (b"<?xml", "XML (an SVG?)"),
    (b"%PDF", "a PDF"),
    (b"PK", "a zip archive"),
    (b"<", "HTML or XML"),
)


@dataclass(frozen=True)
class Image:
    mime: str
    data: bytes
    # archgen's own vector drawing (a role tile, a brand logo): a diagram may carry
    # it as SVG elements. A user's file stays an <image>, where no script can run.
    drawn_by_archgen: bool = False

    def data_uri(self) -> str:
        return f"data:{self.mime};base64," + base64.b64encode(self.data).decode("ascii")


def icon_image(ref: str, tint: str = NEUTRAL_TINT) -> Image:
    """The picture a reference names; `tint` colours role tiles and nothing else."""
    if ref.startswith(LUCIDE):
        return role_tile(ref.removeprefix(LUCIDE), tint)
    if ref.startswith(SIMPLE):
        return brand_logo(ref.removeprefix(SIMPLE))
    return Image("image/png", icon_file(ref).read_bytes())


def file_image(path: Path) -> Image:
    """A blueprint's own icon file, a PNG or an SVG (validation allows nothing else),
    checked and made safe to copy into every diagram: an SVG rebuilt from what
    draws (:mod:`archgen.render.safesvg`), a PNG decoded and encoded again, so
    that nothing but its pixels comes along (no text chunk, nothing after its end).

    Kept per process while the file is unchanged: validation checks the icon, and
    every view and format of every blueprint that names it then embeds it.
    Raises IconProblem, in words for a diagnostic at the `icon` key.
    """
    try:
        stat = input_file(path).stat()
    except UnusableInput as problem:
        raise IconProblem(str(problem)) from None
    except OSError as error:  # gone since it was checked
        raise IconProblem(f"cannot be read ({error.strerror})") from None
    return _checked_file_image(path, stat.st_mtime_ns, stat.st_size)


@cache
def _checked_file_image(path: Path, mtime_ns: int, size: int) -> Image:
    try:
        data = read_input(path, ICON_BYTES.value)
    except UnusableInput as problem:
        raise IconProblem(str(problem)) from None
    if len(data) > ICON_BYTES.value:  # never read whole: it would go into every diagram
        raise IconProblem.over(ICON_BYTES, f"holds {max(size, len(data)):,} bytes")
    if path.suffix.lower() == ".svg":
        return Image("image/svg+xml", clean_svg(data, is_small_raster))
    return Image("image/png", checked_png(data))


def icon_file_problem(path: Path) -> str:
    """Why a blueprint's icon file cannot be drawn, or '' when it can."""
    try:
        file_image(path)
    except IconProblem as problem:
        return str(problem)
    return ""


def checked_png(data: bytes) -> bytes:
    """`data` when it is a whole PNG within the format's ICON_PIXELS, encoded again.

    Pillow reads the header first, so a decompression bomb (a few hundred
    bytes that inflate to gigabytes) is refused by its size before a pixel is
    decoded; `verify` then checks every chunk, and decoding the pixels finds
    data cut short or corrupt.
    """
    import PIL.Image  # here, not at the top: loading a blueprint draws no icon

    try:
        with _raster(data, ("PNG",)) as image:
            image.verify()
        with _raster(data, ("PNG",)) as image:
            image.load()
            out = io.BytesIO()
            image.save(out, "PNG")
    except PIL.UnidentifiedImageError:
        if data.startswith(PNG_SIGNATURE):
            raise IconProblem("is a damaged PNG (its header cannot be read)") from None
        raise IconProblem(f"is not a PNG image ({_looks_like(data)})") from None
    except IconProblem:
        raise
    except _DAMAGED as error:
        raise IconProblem(f"is a damaged PNG ({error})") from None
    return out.getvalue()


def is_small_raster(uri: str) -> bool:
    """Whether a ``data:`` URI in an SVG icon is a PNG, JPEG or GIF that says so
    and is within ICON_PIXELS: viewers decode it, and so does resvg."""
    match = RASTER_URI.fullmatch(uri.strip())
    if match is None:
        return False
    try:
        picture = base64.b64decode(match[2], validate=True)
        with _raster(picture, (match[1].upper(),)) as image:
            image.verify()
    except _DAMAGED:  # IconProblem and binascii.Error are ValueErrors
        return False
    return True


@contextmanager
def _raster(data: bytes, formats: tuple[str, ...]) -> Iterator[PIL.Image.Image]:
    """The picture opened (its header read, no pixel decoded) in one of `formats`,
    refused past ICON_PIXELS."""
    import PIL.Image

    with warnings.catch_warnings():
        # Pillow warns of, then refuses, a bomb far past our own limit: both are ours.
        warnings.simplefilter("error", PIL.Image.DecompressionBombWarning)
        try:
            image = PIL.Image.open(io.BytesIO(data), formats=formats)
        except (PIL.Image.DecompressionBombWarning, PIL.Image.DecompressionBombError):
            pillows = PIL.Image.MAX_IMAGE_PIXELS or 0
            raise IconProblem.over(ICON_PIXELS, f"has more than {pillows:,} pixels") from None
    with image:
        width, height = image.size
        if width * height > ICON_PIXELS.value:
            raise IconProblem.over(ICON_PIXELS, f"is {width:,} x {height:,} pixels")
        yield image


def _looks_like(data: bytes) -> str:
    """What a file that is not the picture its name says seems to be, for the message."""
    start = data[:64].lstrip()
    for signature, kind in FILE_SIGNATURES:
        if start.startswith(signature):
            return f"it looks like {kind}"
    return "it starts with no PNG signature"


def embeddable(image: Image, max_side: int) -> Image:
    """`image` as a diagram embeds it: a raster no more than `max_side` pixels a side,
    a vector compacted. Most of a diagram's bytes, and of rasterizing it, were
    full-size icon PNGs drawn a fraction of their size."""
    if image.mime == "image/svg+xml":
        return Image(image.mime, compact_svg(image.data), image.drawn_by_archgen)
    return Image("image/png", downscaled_png(image.data, max_side))


def downscaled_png(data: bytes, max_side: int) -> bytes:
    """The raster `data` fitted within `max_side` pixels, re-encoded as an optimized
    palette PNG; `data` itself when it already fits (never scaled up).

    Pillow's encoder with fixed options is deterministic, so output stays
    byte-identical; the colour profile is dropped, as resvg ignores it.
    """
    import PIL.Image  # here, not at the top: loading a blueprint draws no icon

    with PIL.Image.open(io.BytesIO(data)) as image:
        if max(image.size) <= max_side:
            return data
        # Palette and grey images are resampled in colour: a palette cannot blend pixels.
        picture = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA")
        picture.thumbnail((max_side, max_side), PIL.Image.Resampling.LANCZOS)
        # A palette with alpha looks the same at an icon's size for a third of the bytes.
        palette = picture.quantize(ICON_COLOURS, method=PIL.Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        palette.save(out, "PNG", optimize=True, icc_profile=None)
    return out.getvalue()


def compact_svg(data: bytes) -> bytes:
    """An SVG without what draws nothing. Whitespace between tags goes too, which
    an icon's text (it has none, as a rule) would lose between two spans."""
    text = SVG_NOISE.sub("", data.decode("utf-8"))
    return SVG_GAPS.sub("><", text).strip().encode("utf-8")


def icon_problem(ref: str) -> str:
    """Why a reference names no picture, or '' when it does."""
    try:
        icon_image(ref)
    except (ImportError, AttributeError, ValueError, KeyError, OSError) as error:
        return f"names no icon ({error})"
    return ""


def is_logo(ref: str) -> bool:
    """Whether a reference draws a product (a logo or a cloud service) rather than a role."""
    return not ref.startswith(LUCIDE)


@cache
def icon_file(ref: str) -> Path:
    """The PNG file behind a diagrams node reference such as ``onprem.queue.Kafka``.

    Read from the node module's source rather than imported: importing
    `diagrams` loads the `graphviz` binding, a tenth of a second a render
    would spend for one file name.
    """
    module_name, _, class_name = ref.rpartition(".")
    if not module_name:
        raise ValueError(f"{ref!r} is not a diagrams node class")
    package = diagrams_package()
    source = package.joinpath(*module_name.split(".")).with_suffix(".py")
    if not source.is_file():
        raise ImportError(f"diagrams has no module {module_name!r}")
    icons = node_icons(source)
    if class_name not in icons:
        raise AttributeError(f"diagrams.{module_name} has no node class {class_name!r}")
    path = package.parent.joinpath(*icons[class_name])
    if path.suffix != ".png" or not path.is_file():
        raise ValueError(f"{ref!r} has no PNG file ({path})")
    return path


def diagrams_package() -> Path:
    """The folder of the installed `diagrams` package, found without importing it."""
    spec = importlib.util.find_spec("diagrams")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the diagrams package is not installed")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


@cache
def node_icons(source: Path) -> dict[str, tuple[str, str]]:
    """Class name (and alias) -> its ``_icon_dir`` and ``_icon``, in one of
    diagrams' generated node modules (``class Kafka(_Queue): _icon = "kafka.png"``)."""
    assigned: dict[str, dict[str, str]] = {}
    bases: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for statement in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(statement, ast.ClassDef):
            assigned[statement.name] = {
                target.id: value.value
                for item in statement.body
                if isinstance(item, ast.Assign) and isinstance(value := item.value, ast.Constant)
                for target in item.targets
                if isinstance(target, ast.Name) and isinstance(value.value, str)
            }
            base = statement.bases[0] if statement.bases else None
            if isinstance(base, ast.Name):
                bases[statement.name] = base.id
        elif isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Name):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    aliases[target.id] = statement.value.id

    def inherited(name: str | None, attribute: str) -> str | None:
        while name is not None and name in assigned:
            if attribute in assigned[name]:
                return assigned[name][attribute]
            name = bases.get(name)
        return None

    icons: dict[str, tuple[str, str]] = {}
    for name, attributes in assigned.items():
        folder = inherited(name, "_icon_dir")
        if "_icon" in attributes and folder is not None:
            icons[name] = (folder, attributes["_icon"])
    icons.update({alias: icons[name] for alias, name in aliases.items() if name in icons})
    return icons


@cache
def role_tile(name: str, tint: str) -> Image:
    """A Lucide icon drawn in `tint` on a pale tile of the same hue.

    The tile keeps the icon legible on any group fill, and its hue (one per
    framework step) stays recognisable when a step view fades the node.
    """
    glyph = lucide_glyph(name, tint)
    fill, border = mix_white(tint, TILE_FILL_WHITE), mix_white(tint, TILE_BORDER_WHITE)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">'
        f'<rect x="1" y="1" width="46" height="46" rx="11" fill="{fill}"'
        f' stroke="{border}" stroke-width="1.5"/>{glyph}</svg>'
    )
    return Image("image/svg+xml", svg.encode(), drawn_by_archgen=True)


def lucide_glyph(name: str, tint: str) -> str:
    """Lucide's `name` as a 30 px inner ``<svg>`` at (9, 9), stroked in `tint`.

    Lucide draws in currentColor, which an embedded image cannot inherit.
    """
    try:
        data = lucide_zip().read(f"{name}.svg")
    except KeyError:
        raise KeyError(f"Lucide has no {name!r}") from None
    svg = ElementTree.fromstring(data)
    for element in svg.iter():
        # Inside the tile's own <svg>, the namespace is inherited.
        element.tag = element.tag.removeprefix(SVG_NAMESPACE)
        # Lucide's files are indented; its icons hold shapes only, never text.
        element.text = element.tail = None
    svg.attrib.update({"width": "30", "height": "30", "x": "9", "y": "9", "stroke-width": "2"})
    glyph = ElementTree.tostring(svg, encoding="unicode").replace(" />", "/>")
    return glyph.replace("currentColor", tint)


@cache
def lucide_zip() -> zipfile.ZipFile:
    """Lucide's icon archive, opened once per process: reading its index of some
    1,700 icons cost about 30 ms for each icon when the `lucide` package opened it."""
    return zipfile.ZipFile(io.BytesIO(files("lucide").joinpath("lucide.zip").read_bytes()))


@cache
def brand_logo(slug: str) -> Image:
    """A Simple Icons logo in its brand colour, darkened until it shows on every background."""
    import simple_icons_pack  # here, not at the top: loading a blueprint draws no icon

    icon = simple_icons_pack.get_icon(slug)
    if icon is None:
        raise KeyError(f"Simple Icons has no {slug!r}")
    colour = legible(f"#{icon.hex}")
    body = icon.svg.replace(
        '<svg role="img" viewBox="0 0 24 24" xmlns="http://www.w3.org/2000/svg">',
        '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="-3 -3 30 30"'
        f' fill="{colour}">',
        1,
    )
    if body == icon.svg:
        raise ValueError(f"Simple Icons' {slug!r} has an unexpected <svg> opening")
    return Image("image/svg+xml", compact_svg(body.encode()), drawn_by_archgen=True)
