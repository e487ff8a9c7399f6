"""archgen's benchmark: the design's "Speed and scale" targets, as ratios.

Every result is a ratio of two times taken in the same run (these machines
are noisy; absolute seconds mean little from one run to the next):

1. archgen's own work per blueprint as a fraction of Graphviz's ``dot`` time,
   and PNG rasterizing as its own multiple of ``dot``;
2. ``dot`` runs for a build in every format with every step view: one;
3. the gallery's speed-up on every core, and a warm run against a cold one;
4. how time grows with the number of components, on synthetic blueprints,
   and whether the largest still renders;
5. how readable the overview diagrams are (``layout_report.py``): aspect,
   text size at a page's width, crossings, edges through labels and nodes;
6. whole commands' CPU time against the same diagram drawn by hand with
   `diagrams` and against an empty Python, and what `archgen validate` imports;
7. the weight of the gallery that section 6 rendered: all of it, the largest
   SVG, and the PNGs' pixel budgets.

Run ``python bench/run.py`` (``make bench``); ``--quick`` for a small run,
``--json FILE`` to keep the numbers. See bench/README.md for the thresholds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import layout_report
from measure import (
    OWN_STAGES,
    WITHOUT_PNG,
    BlueprintTiming,
    BuildRun,
    measured_build,
    time_blueprint,
)
from processes import (
    ARCHGEN,
    BASELINE,
    PYTHON_PASS,
    SPEC_EXAMPLE,
    CommandFailed,
    child_environment,
    imports_after_validate,
    process_cpu,
)
from synthetic import write_synthetic
from tables import Verdict, millis, ratio, table, verdict_table
from weight import MAX_GALLERY_BYTES, MAX_SVG_BYTES, Weight, weigh

import archgen.layout.search
from archgen.build import FORMATS, GALLERY_FORMATS, BuildOptions
from archgen.catalog import load_catalog
from archgen.errors import BlueprintError, GraphvizError
from archgen.gallery import case_studies, render_gallery
from archgen.layout.quality import TARGETS
from archgen.parse.load import load

REPO = Path(__file__).resolve().parent.parent
BLUEPRINTS = REPO / "blueprints"

# The thresholds of the design targets (bench/README.md says why these).
OWN_RATIO_MAX = 0.5
PARALLEL_EFFICIENCY_MIN = 0.7
WARM_RATIO_MAX = 0.05
GROWTH_MAX = 1.5
RENDER_CPU_MAX = 1.5
COLD_GALLERY_CPU_MAX = 2.5
WARM_GALLERY_CPU_MAX = 10.0


class BenchmarkFailed(Exception):
    """Something the benchmark renders failed; its numbers would mean nothing."""


@dataclass(frozen=True)
class Plan:
    """How much to measure: `blueprints` None means every bundled case study."""

    blueprints: int | None
    gallery: int
    sizes: tuple[int, ...]
    repeats: int
    png: bool
    layout_check: int
    quality_sizes: tuple[int, ...]

    @property
    def formats(self) -> tuple[str, ...]:
        return FORMATS if self.png else WITHOUT_PNG


FULL = Plan(
    blueprints=None,
    gallery=8,
    sizes=(25, 50, 100, 200, 400),
    repeats=3,
    png=True,
    layout_check=25,
    quality_sizes=layout_report.SYNTHETIC_SIZES,
)
# A smoke test: PNG (the slow part) only for the layout count, on a tiny blueprint.
QUICK = Plan(
    blueprints=2,
    gallery=2,
    sizes=(10, 20, 40),
    repeats=2,
    png=False,
    layout_check=5,
    quality_sizes=layout_report.SYNTHETIC_SIZES[:2],
)


@dataclass
class Section:
    """One target's table, its verdicts, and its numbers for --json."""

    name: str
    text: str
    verdicts: list[Verdict]
    data: Any = None


@dataclass(frozen=True)
class LayoutCount:
    name: str
    formats: tuple[str, ...]
    views: int
    dot_runs: int
    # What choosing the layout alone costs: a build may run no more than this.
    layout_runs: int


@dataclass(frozen=True)
class GalleryRun:
    seconds: float
    cpu_seconds: float
    rendered: int

    @property
    def cores_busy(self) -> float:
        """CPU time of archgen and every process it started, per second of wall time.

        A parallel run that is slow while this stays near 1 did not get the
        cores (another load on the machine) or did not use them.
        """
        return self.cpu_seconds / self.seconds


@dataclass(frozen=True)
class GalleryTiming:
    blueprints: int
    cores: int
    formats: tuple[str, ...]
    serial: GalleryRun
    parallel: GalleryRun
    warm: GalleryRun

    @property
    def speedup(self) -> float:
        return self.serial.seconds / self.parallel.seconds

    @property
    def warm_ratio(self) -> float:
        return self.warm.seconds / self.parallel.seconds


@dataclass(frozen=True)
class LargestRender:
    components: int
    formats: tuple[str, ...]
    ok: bool
    seconds: float = 0.0
    png_seconds: float = 0.0
    dot_runs: int = 0
    error: str = ""

    @property
    def note(self) -> str:
        if not self.ok:
            return f"{self.components} components: FAILED: {self.error}"
        return (
            f"{self.components} components ({','.join(self.formats)}, steps, narrative):"
            f" {self.seconds:.1f} s in all, {self.png_seconds:.1f} s of it PNG,"
            f" {self.dot_runs} dot run(s)"
        )


@dataclass
class Scale:
    sizes: list[int] = field(default_factory=list)
    flows: list[int] = field(default_factory=list)
    timings: list[BlueprintTiming] = field(default_factory=list)

    def seconds(self, stage: str) -> list[float]:
        if stage == "total":
            return [t.dot + t.own for t in self.timings]
        if stage == "own":
            return [t.own for t in self.timings]
        if stage == "dot":
            return [t.dot for t in self.timings]
        return [t.stages[stage] for t in self.timings]

    def growth(self, stage: str) -> float:
        """Time ratio largest/smallest over size ratio: 1.0 when linear."""
        times = self.seconds(stage)
        return (times[-1] / times[0]) / (self.sizes[-1] / self.sizes[0])

    def exponent(self, stage: str) -> float:
        """The local growth exponent between the two largest sizes: 1.0 when linear."""
        times = self.seconds(stage)
        return math.log(times[-1] / times[-2]) / math.log(self.sizes[-1] / self.sizes[-2])


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


# -- 3. the gallery ----------------------------------------------------------------


def copy_blueprints(chosen: Sequence[Path], source: Path) -> Path:
    """The bundled blueprints with only the `chosen` case studies (all the fragments)."""
    shutil.copytree(BLUEPRINTS, source)
    keep = {path.relative_to(BLUEPRINTS) for path in chosen}
    for path in case_studies(source):
        if path.relative_to(source) not in keep:
            path.unlink()
    return source


def time_gallery(chosen: Sequence[Path], scratch: Path, formats: tuple[str, ...]) -> GalleryTiming:
    """A cold gallery on one core, then on every core, then the same again with nothing changed."""
    source = copy_blueprints(chosen, scratch / "gallery-src")
    options = BuildOptions(formats=formats)

    def timed_run(out: Path, jobs: int | None) -> GalleryRun:
        cpu_before, started = cpu_seconds(), time.perf_counter()
        report = render_gallery(source, out, options, jobs=jobs)
        elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
        if not report.ok:
            raise BenchmarkFailed("; ".join(map(str, report.errors)))
        return GalleryRun(elapsed, cpu, len(report.rendered))

    return GalleryTiming(
        len(chosen),
        os.cpu_count() or 1,
        formats,
        serial=timed_run(scratch / "gallery-1", 1),
        parallel=timed_run(scratch / "gallery-n", None),
        warm=timed_run(scratch / "gallery-n", None),
    )


def cpu_seconds() -> float:
    """User and system time of this process and of its finished children (workers, dot)."""
    usages = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


def gallery_section(g: GalleryTiming) -> Section:
    runs = [
        ("cold, -j 1", g.serial),
        (f"cold, -j {g.cores} (every core)", g.parallel),
        ("warm, nothing changed", g.warm),
    ]
    rows = [
        [name, f"{run.seconds:.3f}", f"{run.cpu_seconds:.3f}", ratio(run.cores_busy), run.rendered]
        for name, run in runs
    ]
    efficiency = g.speedup / g.cores
    verdicts = [
        Verdict(
            f"gallery speed-up on {g.cores} cores (speed-up / cores)",
            f"{g.speedup:.2f}x ({efficiency:.2f})",
            f">= {PARALLEL_EFFICIENCY_MIN} x cores",
            efficiency >= PARALLEL_EFFICIENCY_MIN if g.cores > 1 else None,
        ),
        Verdict(
            "warm gallery run / cold run",
            f"{g.warm_ratio:.3f}",
            f"<= {WARM_RATIO_MAX}, 0 re-rendered",
            g.warm_ratio <= WARM_RATIO_MAX and g.warm.rendered == 0,
        ),
    ]
    title = (
        f"3. Gallery of {g.blueprints} blueprints ({','.join(g.formats)}, steps, narrative)"
        f" on {g.cores} cores"
    )
    text = table(title, ["run", "seconds", "cpu s", "cores busy", "rendered"], rows)
    return Section("gallery", text, verdicts, asdict(g) | {"speedup": g.speedup})


# -- 4. scale ----------------------------------------------------------------------


def time_scale(plan: Plan, scratch: Path) -> Scale:
    scale = Scale()
    folder = scratch / "synthetic"
    for size in plan.sizes:
        path = write_synthetic(folder, size)
        scale.sizes.append(size)
        scale.flows.append(len(load(path, root=folder).flows))
        scale.timings.append(
            time_blueprint(path, folder, scratch / "out", repeats=plan.repeats, with_png=False)
        )
    return scale


def render_largest(size: int, scratch: Path, formats: tuple[str, ...]) -> LargestRender:
    """The largest synthetic blueprint with steps and narrative: does it render?"""
    folder = scratch / "synthetic"
    path = write_synthetic(folder, size)
    out = scratch / "largest"
    try:
        run = measured_build(path, folder, out, formats)
    except (BlueprintError, GraphvizError) as error:
        return LargestRender(size, formats, ok=False, error=str(error).splitlines()[0])
    return LargestRender(
        size,
        formats,
        ok=True,
        seconds=run.seconds["load"] + run.seconds["build"],
        png_seconds=run.seconds.get("png", 0.0),
        dot_runs=run.dot_runs,
    )


def scale_section(scale: Scale, largest: LargestRender) -> Section:
    data = {
        "sizes": scale.sizes,
        "flows": scale.flows,
        "timings": [asdict(t) for t in scale.timings],
        "growth": {s: scale.growth(s) for s in ("load", "own", "dot", "total")},
        "exponent": {s: scale.exponent(s) for s in ("load", "own", "dot", "total")},
        "largest": asdict(largest),
    }
    return Section("scale", scale_text(scale, largest), scale_verdicts(scale, largest), data)


def scale_text(scale: Scale, largest: LargestRender) -> str:
    """Times by size, then how each stage grows from the smallest size to the largest."""
    rows = [
        [
            size,
            flows,
            millis(t.stages["load"]),
            millis(t.dot),
            millis(t.own),
            ratio(t.own_ratio),
            f"{t.own / size * 1e6:.0f}",
        ]
        for size, flows, t in zip(scale.sizes, scale.flows, scale.timings, strict=True)
    ]
    first, last = scale.sizes[0], scale.sizes[-1]
    growth_rows = [
        [stage, ratio(scale.growth(stage)), ratio(scale.exponent(stage))]
        for stage in ("load", "own", "dot", "total")
    ]
    return "\n\n".join(
        [
            table(
                "4. Scale: synthetic layered blueprints (steps and narrative, svg and dot)",
                ["comps", "flows", "load ms", "dot ms", "own ms", "own/dot", "own us/comp"],
                rows,
            ),
            table(
                f"   growth: time({last})/time({first}) / {last // first}, and the exponent"
                f" between {scale.sizes[-2]} and {last} (1.0 = linear)",
                ["stage", "growth", "exponent"],
                growth_rows,
            ),
            "   largest: " + largest.note,
        ]
    )


def scale_verdicts(scale: Scale, largest: LargestRender) -> list[Verdict]:
    first, last = scale.sizes[0], scale.sizes[-1]
    return [
        *(
            Verdict(
                f"{stage} time growth {first}->{last} components / {last // first}",
                ratio(scale.growth(stage)),
                f"<= {GROWTH_MAX}",
                scale.growth(stage) <= GROWTH_MAX,
            )
            for stage in ("load", "own")
        ),
        Verdict(
            f"dot time growth {first}->{last} / {last // first} (Graphviz's own)",
            ratio(scale.growth("dot")),
            "reported",
            None,
        ),
        Verdict(
            f"{largest.components} components render ({','.join(largest.formats)})",
            "yes" if largest.ok else f"no: {largest.error}",
            "renders",
            largest.ok,
        ),
    ]


# -- 5. layout quality ---------------------------------------------------------------


def quality_section(chosen: Sequence[Path], plan: Plan, scratch: Path) -> Section:
    rows = layout_report.measure_all(chosen, plan.quality_sizes, scratch)
    text = layout_report.report_text(rows, TARGETS)
    return Section(
        "layout_quality", text, layout_report.verdicts(rows), layout_report.as_data(rows)
    )


# -- 6. whole processes ----------------------------------------------------------


@dataclass(frozen=True)
class ProcessTiming:
    """Median CPU seconds of whole commands, each with every process it started."""

    formats: tuple[str, ...]
    python: float
    baseline: float
    render: float
    # The same render without PNGs: what the PNGs cost is the difference. Reported.
    render_without_png: float
    blueprints: int
    cold_gallery: float
    warm_gallery: float
    # A cold gallery asked for `formats` (PNGs too, in a full run): reported, no target.
    cold_gallery_all_formats: float
    validate_imports: list[str]
    weight: Weight

    @property
    def render_ratio(self) -> float:
        return self.render / self.baseline

    @property
    def render_without_png_ratio(self) -> float:
        return self.render_without_png / self.baseline

    @property
    def cold_ratio(self) -> float:
        return self.cold_gallery / self.blueprints / self.baseline

    @property
    def cold_all_formats_ratio(self) -> float:
        return self.cold_gallery_all_formats / self.blueprints / self.baseline

    @property
    def warm_ratio(self) -> float:
        return self.warm_gallery / self.python


def time_processes(chosen: Sequence[Path], plan: Plan, scratch: Path) -> ProcessTiming:
    """The baseline, an empty Python, a full render, validate's imports, then a gallery
    cold and warm as `make gallery` runs it (its default formats), and cold again in every
    format, whose output is weighed. A cold gallery runs once: it averages over its
    blueprints already."""
    env = child_environment(scratch)
    out = scratch / "process-out"
    formats = ("--format", ",".join(plan.formats))
    source = copy_blueprints(chosen, scratch / "process-src")

    def gallery(folder: str) -> tuple[str, ...]:
        return (*ARCHGEN, "gallery", str(source), "-o", str(out / folder), "-j", "1", "-q")

    render = (*ARCHGEN, "render", str(SPEC_EXAMPLE), "-o", str(out / "render"), *formats)
    baseline = process_cpu(
        (sys.executable, str(BASELINE), str(out / "baseline")), env, repeats=plan.repeats
    )
    python = process_cpu(PYTHON_PASS, env, repeats=plan.repeats)
    render_cpu = process_cpu(render, env, repeats=plan.repeats)
    no_png = (*render[: -len(formats)], "--format", ",".join(WITHOUT_PNG))
    render_without_png = process_cpu(no_png, env, repeats=plan.repeats)
    validate_imports = imports_after_validate(env)
    cold = process_cpu((*gallery("gallery"), "--force"), env, repeats=1, warm_up=False)
    warm = process_cpu(gallery("gallery"), env, repeats=plan.repeats)
    everything = (*gallery("all-formats"), *formats, "--force")
    cold_all_formats = process_cpu(everything, env, repeats=1, warm_up=False)
    return ProcessTiming(
        plan.formats,
        python,
        baseline,
        render_cpu,
        render_without_png,
        len(chosen),
        cold,
        warm,
        cold_all_formats,
        validate_imports,
        weigh(out / "all-formats"),
    )


def process_section(p: ProcessTiming) -> Section:
    imported = ", ".join(p.validate_imports) or "none"
    title = "6. Whole processes: CPU seconds, user+sys with every child process, medians"
    rows = process_rows(p)
    text = table(title, ["command", "cpu s"], rows) + f"\n   archgen validate imported: {imported}"
    ratios = {
        "render_ratio": p.render_ratio,
        "render_without_png_ratio": p.render_without_png_ratio,
        "cold_ratio": p.cold_ratio,
        "cold_all_formats_ratio": p.cold_all_formats_ratio,
        "warm_ratio": p.warm_ratio,
    }
    return Section("processes", text, process_verdicts(p, imported), asdict(p) | ratios)


def process_rows(p: ProcessTiming) -> list[list[str]]:
    formats = ",".join(p.formats)
    gallery_formats = ",".join(GALLERY_FORMATS)
    return [
        ["python -c pass", f"{p.python:.3f}"],
        ["baseline: bench/baseline_diagrams.py (png,svg)", f"{p.baseline:.3f}"],
        [f"archgen render spec-example ({formats}, steps, narrative)", f"{p.render:.3f}"],
        [
            f"archgen render spec-example ({','.join(WITHOUT_PNG)}, steps, narrative)",
            f"{p.render_without_png:.3f}",
        ],
        [
            f"archgen gallery, cold, -j 1 ({p.blueprints} blueprints, {gallery_formats})",
            f"{p.cold_gallery:.3f}",
        ],
        ["  per blueprint", f"{p.cold_gallery / p.blueprints:.3f}"],
        ["archgen gallery, warm (nothing changed)", f"{p.warm_gallery:.3f}"],
        [f"archgen gallery, cold, -j 1, --format {formats}", f"{p.cold_gallery_all_formats:.3f}"],
        ["  per blueprint", f"{p.cold_gallery_all_formats / p.blueprints:.3f}"],
    ]


def process_verdicts(p: ProcessTiming, imported: str) -> list[Verdict]:
    return [
        Verdict(
            "archgen render, everything / hand-written baseline, CPU",
            ratio(p.render_ratio),
            f"<= {RENDER_CPU_MAX}",
            p.render_ratio <= RENDER_CPU_MAX,
        ),
        Verdict(
            f"archgen render in {','.join(WITHOUT_PNG)} (no PNG) / baseline, CPU",
            ratio(p.render_without_png_ratio),
            "-",
            None,
        ),
        Verdict(
            "cold gallery CPU per blueprint / baseline",
            ratio(p.cold_ratio),
            f"<= {COLD_GALLERY_CPU_MAX}",
            p.cold_ratio <= COLD_GALLERY_CPU_MAX,
        ),
        Verdict(
            f"cold gallery in {','.join(p.formats)}, CPU per blueprint / baseline",
            ratio(p.cold_all_formats_ratio),
            "-",
            None,
        ),
        Verdict(
            "warm gallery CPU / python -c pass",
            ratio(p.warm_ratio, 1),
            f"<= {WARM_GALLERY_CPU_MAX:g}",
            p.warm_ratio <= WARM_GALLERY_CPU_MAX,
        ),
        Verdict(
            "rendering modules imported by archgen validate",
            imported,
            "none",
            not p.validate_imports,
        ),
    ]


def weight_section(p: ProcessTiming) -> Section:
    w = p.weight
    formats = ",".join(p.formats)
    rows = [
        [f"files ({p.blueprints} blueprints, {formats})", w.files],
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
    title = f"7. Weight of the gallery rendered in section 6 with --format {formats}"
    return Section("weight", table(title, ["what", "size"], rows), verdicts, asdict(w))


# -- the run ---------------------------------------------------------------------


def sections(plan: Plan, scratch: Path) -> Iterator[Section]:
    """Each target's section as soon as it is measured."""
    bundled = case_studies(BLUEPRINTS)
    chosen = bundled if plan.blueprints is None else bundled[: plan.blueprints]
    out = scratch / "out"
    timings = [
        time_blueprint(path, BLUEPRINTS, out, repeats=plan.repeats, with_png=plan.png)
        for path in chosen
    ]
    yield own_work_section(timings)

    small = write_synthetic(scratch / "synthetic", plan.layout_check)
    counts = [
        LayoutCount(t.name, FORMATS, t.views, t.full_dot_runs, layout_runs(path, BLUEPRINTS))
        for t, path in zip(timings, chosen, strict=True)
        if t.full_dot_runs is not None
    ]
    counts.append(
        layout_count(small, small.parent, measured_build(small, small.parent, out, FORMATS))
    )
    yield layout_section(counts)

    yield gallery_section(time_gallery(bundled[: plan.gallery], scratch, plan.formats))

    yield scale_section(
        time_scale(plan, scratch), render_largest(plan.sizes[-1], scratch, plan.formats)
    )

    yield quality_section(chosen, plan, scratch)

    processes = time_processes(chosen, plan, scratch)
    yield process_section(processes)
    yield weight_section(processes)


def machine() -> dict[str, Any]:
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "graphviz": dot.stderr.strip(),
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description="Measure archgen's speed and scale targets as ratios."
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and 2 blueprints, no PNG per blueprint (a smoke test)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the results here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    plan = QUICK if args.quick else FULL
    info = machine()
    print(
        f"archgen benchmark ({'quick' if args.quick else 'full'}): {info['cores']} cores,"
        f" Python {info['python']}, {info['graphviz']}\n",
        flush=True,
    )
    done: list[Section] = []
    try:
        with tempfile.TemporaryDirectory(prefix="archgen-bench-") as scratch:
            for section in sections(plan, Path(scratch)):
                print(section.text + "\n", flush=True)
                done.append(section)
    except (BlueprintError, GraphvizError, BenchmarkFailed, CommandFailed) as error:
        print(f"bench: a blueprint failed to render: {error}", file=sys.stderr)
        return 1
    verdicts = [v for s in done for v in s.verdicts]
    print(verdict_table(verdicts))
    if args.quick:
        print("\n(--quick: too small for the verdicts to mean much; run without it to judge)")
    if args.json:
        results = {
            "plan": asdict(plan),
            "machine": info,
            "targets": [asdict(v) for v in verdicts],
            **{s.name: s.data for s in done},
        }
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
