"""Sections 1 and 2: what archgen itself costs per blueprint against Graphviz, and
that a build in every format with every step view adds no ``dot`` run to the ones
that choose its layout.

Both read the same per-blueprint timings (``measure.time_blueprint``), so they
share a module.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from measure import OWN_STAGES, BlueprintTiming, BuildRun, measured_build
from plan import BLUEPRINTS, OWN_RATIO_MAX, Section
from synthetic import write_synthetic
from tables import Verdict, millis, ratio, table

import archgen.layout.search
from archgen.build import FORMATS
from archgen.catalog import load_catalog
from archgen.parse.load import load

# -- 1. own work against Graphviz --------------------------------------------


def own_work_section(timings: Sequence[BlueprintTiming]) -> Section:
    return Section(
        "own_work", own_work_text(timings), own_work_verdicts(timings), [asdict(t) for t in timings]
    )


def own_work_text(timings: Sequence[BlueprintTiming]) -> str:
    """Per blueprint, then per stage: where archgen's own time goes, against dot's."""
    rows = [
        [
            t.name,
            t.components,
            t.views,
            millis(t.dot),
            millis(t.own),
            ratio(t.own_ratio),
            millis(t.png),
            ratio(t.png_ratio, 1),
        ]
        for t in timings
    ]
    headers = ["blueprint", "comps", "views", "dot ms", "own ms", "own/dot", "png ms", "png/dot"]
    dot_total = sum(t.dot for t in timings)
    stage_totals = {stage: sum(t.stages[stage] for t in timings) for stage in OWN_STAGES}
    stage_totals["other"] = sum(t.own for t in timings) - sum(stage_totals.values())
    stage_rows = [
        [stage, millis(total / len(timings)), ratio(total / dot_total)]
        for stage, total in stage_totals.items()
    ]
    return "\n\n".join(
        [
            table("1. archgen's own work per blueprint against Graphviz's dot", headers, rows),
            table(
                "   own work by stage: mean ms per blueprint, and as a fraction of dot",
                ["stage", "ms", "x dot"],
                stage_rows,
            ),
        ]
    )


def own_work_verdicts(timings: Sequence[BlueprintTiming]) -> list[Verdict]:
    own_ratios = [t.own_ratio for t in timings]
    verdicts = [
        Verdict(
            "own work / dot, median per blueprint",
            f"{statistics.median(own_ratios):.2f} (max {max(own_ratios):.2f})",
            f"<= {OWN_RATIO_MAX}",
            statistics.median(own_ratios) <= OWN_RATIO_MAX,
        )
    ]
    png_ratios = [r for t in timings if (r := t.png_ratio) is not None]
    if png_ratios:
        verdicts.append(
            Verdict(
                "PNG rasterizing / dot, median per blueprint",
                f"{statistics.median(png_ratios):.1f}",
                "reported",
                None,
            )
        )
    return verdicts


# -- 2. one layout ---------------------------------------------------------------


@dataclass(frozen=True)
class LayoutCount:
    name: str
    formats: tuple[str, ...]
    views: int
    dot_runs: int
    # What choosing the layout alone costs: a build may run no more than this.
    layout_runs: int


def layout_counts(
    timings: Sequence[BlueprintTiming], chosen: Sequence[Path], size: int, scratch: Path
) -> list[LayoutCount]:
    """The bundled blueprints whose timing built every format, and a synthetic one of
    `size` components built in every format, so a quick run (no PNG) still counts one."""
    small = write_synthetic(scratch / "synthetic", size)
    counts = [
        LayoutCount(t.name, FORMATS, t.views, t.full_dot_runs, layout_runs(path, BLUEPRINTS))
        for t, path in zip(timings, chosen, strict=True)
        if t.full_dot_runs is not None
    ]
    run = measured_build(small, small.parent, scratch / "out", FORMATS)
    counts.append(layout_count(small, small.parent, run))
    return counts


def layout_section(counts: Sequence[LayoutCount]) -> Section:
    rows = [[c.name, ",".join(c.formats), c.views, c.dot_runs, c.layout_runs] for c in counts]
    extra = max(c.dot_runs - c.layout_runs for c in counts)
    verdict = Verdict(
        "dot runs a build adds to choosing its layout (every format, every step view)",
        f"{extra} at most",
        "== 0",
        extra == 0,
    )
    text = table(
        "2. One layout: dot runs for a build in every format with every step view,"
        " against the runs that choose the layout",
        ["blueprint", "formats", "views", "dot runs", "layout runs"],
        rows,
    )
    return Section("one_layout", text, [verdict], [asdict(c) for c in counts])


def layout_count(path: Path, root: Path, run: BuildRun) -> LayoutCount:
    return LayoutCount(path.stem, FORMATS, run.views, run.dot_runs, layout_runs(path, root))


def layout_runs(path: Path, root: Path) -> int:
    """The ``dot`` runs of ``layout.lay_out`` alone: the arrangements it tried."""
    blueprint = load(path, root=root)
    real_run_dot = archgen.layout.search.run_dot
    sources: list[str] = []

    def counting(source: str) -> str:
        sources.append(source)
        return real_run_dot(source)

    archgen.layout.search.run_dot = counting
    try:
        archgen.layout.search.lay_out(blueprint, load_catalog())
    finally:
        archgen.layout.search.run_dot = real_run_dot
    return len(sources)
