"""How readable archgen's overview diagrams are: the layout targets, measured.

Lays out every bundled case study and a few synthetic blueprints (5-30
components) the way ``archgen render`` does (``layout.lay_out``: the best of
a few arrangements), measures the chosen SVG with ``archgen.layout.quality`` and
prints a row per diagram and a verdict per target. The verdicts are on the bundled
gallery, which is what the targets are set for; synthetic rows are shown
for information.

Run ``python bench/layout_report.py`` (``make layout``); ``--check`` exits 1
when a target is not met, ``--json FILE`` keeps the numbers. ``bench/run.py``
prints the same report as its fifth section.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from synthetic import write_synthetic
from tables import Verdict, table, verdict_table

from archgen.catalog import Catalog, load_catalog
from archgen.gallery import case_studies
from archgen.layout import search as layout
from archgen.layout.quality import TARGETS, LayoutQuality, Targets, measure
from archgen.parse.load import load

REPO = Path(__file__).resolve().parent.parent
BLUEPRINTS = REPO / "blueprints"
SYNTHETIC_SIZES = (5, 10, 20, 30)
TITLE = "5. Layout quality of the overview diagrams (shown at most 1152 px wide)"


@dataclass(frozen=True)
class Measured:
    name: str
    bundled: bool
    components: int
    flows: int
    quality: LayoutQuality
    measure_ms: float


def measure_blueprint(path: Path, root: Path, catalog: Catalog, bundled: bool) -> Measured:
    blueprint = load(path, root=root)
    chosen = layout.lay_out(blueprint, catalog)
    started = time.perf_counter()
    quality = measure(chosen.svg)
    elapsed = (time.perf_counter() - started) * 1000
    return Measured(
        blueprint.id, bundled, len(blueprint.components), len(blueprint.flows), quality, elapsed
    )


def measure_all(bundled: Sequence[Path], sizes: Sequence[int], scratch: Path) -> list[Measured]:
    catalog = load_catalog()
    rows = [measure_blueprint(path, BLUEPRINTS, catalog, True) for path in bundled]
    folder = scratch / "synthetic"
    for size in sizes:
        rows.append(measure_blueprint(write_synthetic(folder, size), folder, catalog, False))
    return rows


def row_cells(m: Measured, targets: Targets) -> list[object]:
    q = m.quality
    edge_px = q.edge_label_px
    return [
        m.name if m.bundled else f"{m.name} *",
        m.components,
        f"{q.width_pt:.0f}x{q.height_pt:.0f}",
        f"{q.aspect:.2f}",
        f"{q.node_label_px:.1f}",
        "-" if edge_px is None else f"{edge_px:.1f}",
        q.crossings,
        len(q.through_labels),
        len(q.through_nodes),
        len(q.through_titles),
        len(q.misplaced),
        len(q.labels_on_nodes),
        f"{m.measure_ms:.1f}",
        "pass" if not q.problems(targets) else "FAIL",
    ]


HEADERS = [
    "blueprint",
    "comps",
    "size pt",
    "aspect",
    "node px",
    "edge px",
    "cross",
    "thru lbl",
    "thru node",
    "thru title",
    "misplaced",
    "lbl on node",
    "ms",
    "verdict",
]


def misplaced_lines(rows: Sequence[Measured]) -> list[str]:
    """Which label sits nearer which other edge: where the layout engineer should look."""
    return [
        f"   {m.name}: label of {own} is nearer {other}"
        for m in rows
        for own, other in m.quality.misplaced
    ]


def report_text(rows: Sequence[Measured], targets: Targets) -> str:
    body = table(TITLE, HEADERS, [row_cells(m, targets) for m in rows])
    notes = ["   * synthetic (bench/synthetic.py): shown, not judged", *misplaced_lines(rows)]
    return "\n".join([body, *notes])


def share(rows: Sequence[Measured], passes: Sequence[bool]) -> str:
    return f"{sum(passes)} of {len(rows)} pass"


def size_verdict(
    rows: Sequence[Measured], what: str, values: Sequence[float | None], minimum: float
) -> Verdict:
    shown = [v for v in values if v is not None]
    ok = [v is None or v >= minimum for v in values]
    smallest = f"smallest {min(shown):.1f} px" if shown else "no labels"
    return Verdict(
        f"{what} >= {minimum:g} px", f"{share(rows, ok)}, {smallest}", f">= {minimum:g} px", all(ok)
    )


def fault_verdict(
    rows: Sequence[Measured], what: str, counts: Sequence[int], judged: bool
) -> Verdict:
    in_diagrams = sum(1 for c in counts if c)
    measured = f"{sum(counts)} in {in_diagrams} of {len(rows)} diagrams"
    return Verdict(
        what, measured, "0" if judged else "reported", sum(counts) == 0 if judged else None
    )


# (what, LayoutQuality field, judged): the faults a layout is checked for, worst first.
FAULTS: tuple[tuple[str, str, bool], ...] = (
    ("edges through another edge's label", "through_labels", True),
    ("edges through a node not their end", "through_nodes", True),
    ("labels nearer another edge than their own", "misplaced", True),
    ("labels over a node", "labels_on_nodes", True),
    ("edges through a cluster title", "through_titles", False),
)


def verdicts(rows: Sequence[Measured], targets: Targets = TARGETS) -> list[Verdict]:
    """One verdict per target, on the bundled gallery's rows."""
    gallery = [m for m in rows if m.bundled]
    return [
        *shape_verdicts(gallery, targets),
        *(
            fault_verdict(gallery, what, [len(getattr(m.quality, field)) for m in gallery], judged)
            for what, field, judged in FAULTS
        ),
        *reported_verdicts(rows, targets),
    ]


def shape_verdicts(gallery: Sequence[Measured], targets: Targets) -> list[Verdict]:
    """Proportions, text sizes and crossings against their targets."""
    qs = [m.quality for m in gallery]
    aspects = [q.aspect for q in qs]
    crossings = [q.crossings for q in qs]
    in_range = [targets.aspect_min <= a <= targets.aspect_max for a in aspects]
    median = statistics.median(crossings)
    few = [c <= targets.max_crossings for c in crossings]
    return [
        Verdict(
            f"aspect within [{targets.aspect_min:g}, {targets.aspect_max:g}]",
            f"{share(gallery, in_range)}, {min(aspects):.2f} to {max(aspects):.2f}",
            f"{targets.aspect_min:g} to {targets.aspect_max:g}",
            all(in_range),
        ),
        size_verdict(gallery, "node labels", [q.node_label_px for q in qs], targets.node_label_px),
        size_verdict(gallery, "edge labels", [q.edge_label_px for q in qs], targets.edge_label_px),
        Verdict(
            "edge crossings, median over the gallery",
            f"{median:g}",
            f"<= {targets.median_crossings:g}",
            median <= targets.median_crossings,
        ),
        Verdict(
            "edge crossings, most in one diagram",
            f"{max(crossings)} ({share(gallery, few)})",
            f"<= {targets.max_crossings}",
            all(few),
        ),
    ]


def reported_verdicts(rows: Sequence[Measured], targets: Targets) -> list[Verdict]:
    """What is shown without a target: how many diagrams are clean, and what measuring costs."""
    gallery = [m for m in rows if m.bundled]
    synthetic = [m for m in rows if not m.bundled]
    return [
        Verdict(
            "diagrams meeting every target",
            share(gallery, [not m.quality.problems(targets) for m in gallery]),
            "reported",
            None,
        ),
        Verdict(
            "synthetic diagrams meeting every target",
            share(synthetic, [not m.quality.problems(targets) for m in synthetic]),
            "reported",
            None,
        ),
        Verdict(
            "measuring one diagram (median ms)",
            f"{statistics.median(m.measure_ms for m in rows):.1f}",
            "reported",
            None,
        ),
    ]


def as_data(rows: Sequence[Measured]) -> list[dict[str, object]]:
    """Each row's numbers for --json, the derived ones (aspect, px, score) included."""
    return [
        asdict(m)
        | {
            "aspect": m.quality.aspect,
            "node_label_px": m.quality.node_label_px,
            "edge_label_px": m.quality.edge_label_px,
            "score": m.quality.score(),
            "problems": m.quality.problems(),
        }
        for m in rows
    ]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/layout_report.py",
        description="Measure the layout targets of the overview diagrams.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="2 bundled blueprints, synthetic 5 and 10"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is not met")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the numbers here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    bundled = case_studies(BLUEPRINTS)
    chosen, sizes = (bundled[:2], SYNTHETIC_SIZES[:2]) if args.quick else (bundled, SYNTHETIC_SIZES)
    with tempfile.TemporaryDirectory(prefix="archgen-layout-") as scratch:
        rows = measure_all(chosen, sizes, Path(scratch))
    found = verdicts(rows)
    print(report_text(rows, TARGETS) + "\n\n" + verdict_table(found))
    if args.json:
        results = {"targets": [asdict(v) for v in found], "diagrams": as_data(rows)}
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 1 if args.check and any(v.met is False for v in found) else 0


if __name__ == "__main__":
    sys.exit(main())
