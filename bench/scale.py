"""Section 4: how time grows with the number of components, and whether the largest
size still renders.

Synthetic blueprints (``synthetic.py``) are used because the bundled ones are all
about the same size; growth is judged from the smallest to the largest size, and
the exponent between the two largest shows what fixed costs hide at small sizes.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from measure import BlueprintTiming, measured_build, time_blueprint
from plan import GROWTH_MAX, Plan, Section
from synthetic import write_synthetic
from tables import Verdict, millis, ratio, table

from archgen.errors import BlueprintError, GraphvizError
from archgen.parse.load import load

GROWTH_STAGES = ("load", "own", "dot", "total")


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
        "growth": {s: scale.growth(s) for s in GROWTH_STAGES},
        "exponent": {s: scale.exponent(s) for s in GROWTH_STAGES},
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
        [stage, ratio(scale.growth(stage)), ratio(scale.exponent(stage))] for stage in GROWTH_STAGES
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
