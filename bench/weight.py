"""How much a rendered gallery weighs: every file summed, the largest SVG, and
whether each PNG kept to its pixel budget (or exceeded it only to keep its
smallest text 12 px tall, as ``archgen.render.raster.png_zoom`` allows).

Section 7 of the benchmark weighs the gallery that section 6 rendered in every
format, rather than rendering one more.
"""

from __future__ import annotations

import struct
from dataclasses import asdict, dataclass
from pathlib import Path

from plan import Section
from tables import Verdict, table

from archgen.render.raster import MIN_PNG_ZOOM, OVERVIEW_PNG_PIXELS, STEP_PNG_PIXELS, svg_pixels

MAX_GALLERY_BYTES = 20_000_000
MAX_SVG_BYTES = 150_000


@dataclass(frozen=True)
class Weight:
    files: int
    total_bytes: int
    largest_svg: str
    largest_svg_bytes: int
    largest_overview_pixels: int
    largest_step_pixels: int
    # PNGs past their budget for any reason but the 12 px text floor.
    over_budget: list[str]


def png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def over_budget(png: Path) -> bool:
    """Past its budget (beyond rounding each side to whole pixels), and drawn at
    more than the zoom its smallest text needs."""
    width, height = png_size(png)
    budget = STEP_PNG_PIXELS if png.name.startswith("step-") else OVERVIEW_PNG_PIXELS
    if (width - 1) * (height - 1) <= budget:
        return False
    svg_width, _ = svg_pixels(png.with_suffix(".svg").read_text())
    return width > round(MIN_PNG_ZOOM * svg_width) + 1


def weigh(gallery: Path) -> Weight:
    """The weight of a gallery rendered with svg and png into `gallery`."""
    files = [p for p in gallery.rglob("*") if p.is_file()]
    svgs = [p for p in files if p.suffix == ".svg"]
    pngs = [p for p in files if p.suffix == ".png"]
    largest = max(svgs, key=lambda p: p.stat().st_size)
    overviews = [p for p in pngs if not p.name.startswith("step-")]
    steps = [p for p in pngs if p.name.startswith("step-")]

    def most_pixels(paths: list[Path]) -> int:
        return max((w * h for w, h in map(png_size, paths)), default=0)

    return Weight(
        files=len(files),
        total_bytes=sum(p.stat().st_size for p in files),
        largest_svg=str(largest.relative_to(gallery)),
        largest_svg_bytes=largest.stat().st_size,
        largest_overview_pixels=most_pixels(overviews),
        largest_step_pixels=most_pixels(steps),
        over_budget=sorted(str(p.relative_to(gallery)) for p in pngs if over_budget(p)),
    )


def weight_section(w: Weight, blueprints: int, formats: tuple[str, ...]) -> Section:
    shown = ",".join(formats)
    rows: list[list[object]] = [
        [f"files ({blueprints} blueprints, {shown})", w.files],
        ["all of it, MB", f"{w.total_bytes / 1e6:.2f}"],
        [f"largest SVG, KB ({w.largest_svg})", f"{w.largest_svg_bytes / 1e3:.1f}"],
        ["largest overview PNG, megapixels", f"{w.largest_overview_pixels / 1e6:.2f}"],
        ["largest step PNG, megapixels", f"{w.largest_step_pixels / 1e6:.2f}"],
    ]
    verdicts = [
        Verdict(
            "rendered gallery, MB",
            f"{w.total_bytes / 1e6:.2f}",
            f"<= {MAX_GALLERY_BYTES / 1e6:g}",
            w.total_bytes <= MAX_GALLERY_BYTES,
        ),
        Verdict(
            "largest SVG, KB",
            f"{w.largest_svg_bytes / 1e3:.1f}",
            f"<= {MAX_SVG_BYTES / 1e3:g}",
            w.largest_svg_bytes <= MAX_SVG_BYTES,
        ),
        Verdict(
            "PNGs past their pixel budget (4 MP overview, 2 MP step) but for 12 px text",
            str(len(w.over_budget)),
            "0",
            not w.over_budget,
        ),
    ]
    title = f"7. Weight of the gallery rendered in section 6 with --format {shown}"
    return Section("weight", table(title, ["what", "size"], rows), verdicts, asdict(w))
