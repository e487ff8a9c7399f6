"""Section 6: whole commands' CPU time against the same diagram drawn by hand with
`diagrams`, and against an empty Python; and what ``archgen validate`` imports.

How a command is run and timed is ``processes.py``; this module chooses the
commands and judges them. Their gallery in every format is kept for section 7
(``weight.py``) to weigh.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from gallery_timing import copy_blueprints
from measure import WITHOUT_PNG
from plan import COLD_GALLERY_CPU_MAX, RENDER_CPU_MAX, WARM_GALLERY_CPU_MAX, Plan, Section
from processes import (
    ARCHGEN,
    BASELINE,
    PYTHON_PASS,
    SPEC_EXAMPLE,
    child_environment,
    imports_after_validate,
    process_cpu,
)
from tables import Verdict, ratio, table
from weight import Weight, weigh

from archgen.build import GALLERY_FORMATS

# An empty Python and a gallery with nothing to redraw take a few hundredths of a
# second, which the kernel counts coarsely: the median of three `python -c pass` runs
# was 0.025 s in one run of the benchmark and 0.016 s in the next, which alone moves
# the ratio between the two by half. Their medians are taken over more runs.
SHORT_RUN_REPEATS = 25


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
    """The baseline, an empty Python, a full render, validate's imports, then the
    galleries (`time_galleries`), whose output in every format is weighed."""
    env = child_environment(scratch)
    out = scratch / "process-out"
    formats = ("--format", ",".join(plan.formats))
    render = (*ARCHGEN, "render", str(SPEC_EXAMPLE), "-o", str(out / "render"), *formats)
    baseline = process_cpu(
        (sys.executable, str(BASELINE), str(out / "baseline")), env, repeats=plan.repeats
    )
    python = process_cpu(PYTHON_PASS, env, repeats=SHORT_RUN_REPEATS)
    render_cpu = process_cpu(render, env, repeats=plan.repeats)
    no_png = (*render[: -len(formats)], "--format", ",".join(WITHOUT_PNG))
    render_without_png = process_cpu(no_png, env, repeats=plan.repeats)
    validate_imports = imports_after_validate(env)
    cold, warm, cold_all_formats = time_galleries(chosen, plan, scratch, env, out)
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


def time_galleries(
    chosen: Sequence[Path], plan: Plan, scratch: Path, env: dict[str, str], out: Path
) -> tuple[float, float, float]:
    """A gallery cold and warm as `make gallery` runs it (its default formats), then cold
    again in every format, into `out`/all-formats. A cold gallery runs once: it averages
    over its blueprints already."""
    source = copy_blueprints(chosen, scratch / "process-src")

    def gallery(folder: str) -> tuple[str, ...]:
        return (*ARCHGEN, "gallery", str(source), "-o", str(out / folder), "-j", "1", "-q")

    cold = process_cpu((*gallery("gallery"), "--force"), env, repeats=1, warm_up=False)
    warm = process_cpu(gallery("gallery"), env, repeats=SHORT_RUN_REPEATS)
    everything = (*gallery("all-formats"), "--format", ",".join(plan.formats), "--force")
    cold_all_formats = process_cpu(everything, env, repeats=1, warm_up=False)
    return cold, warm, cold_all_formats


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
