"""Timing archgen from the inside: where the seconds of one build go.

A :class:`Stopwatch` wraps archgen's functions at the names the pipeline
looks them up by (``archgen.layout.search.run_dot``, ``archgen.render.diagrams.png_bytes``,
...), so a normal :func:`archgen.build` run is measured stage by stage and the
number of Graphviz runs is counted, without changing what archgen does.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import archgen.layout.search
import archgen.narrate.narrative
import archgen.render.diagrams
from archgen.build import FORMATS, BuildOptions, build
from archgen.model import Blueprint
from archgen.parse.load import load

# (module, attribute, stage): where each stage of a build is looked up at run time.
# Graphviz and PNG rasterizing are not archgen's own work; the rest is.
STAGE_HOOKS: tuple[tuple[Any, str, str], ...] = (
    (archgen.layout.search, "run_dot", "dot"),
    (archgen.render.diagrams, "png_bytes", "png"),
    (archgen.layout.search, "build_dot", "dot source"),
    (archgen.layout.search, "measure", "layout measures"),
    (archgen.render.diagrams, "icon_drawings", "svg post"),
    (archgen.render.diagrams, "finish_svg", "svg post"),
    (archgen.render.diagrams, "step_views", "step views"),
    (archgen.render.diagrams, "write_atomic", "write diagrams"),
    (archgen.narrate.narrative, "narrate", "narrative"),
)
NOT_OWN = ("dot", "png")
OWN_STAGES = (
    "load",
    "dot source",
    "layout measures",
    "svg post",
    "step views",
    "narrative",
    "write diagrams",
)
WITHOUT_PNG: tuple[str, ...] = ("svg", "dot")


@dataclass
class Stopwatch:
    """Seconds and calls per stage name, added up over everything timed."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - started
            self.calls[stage] += 1

    def timed(self, function: Callable[..., Any], stage: str) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.timing(stage):
                return function(*args, **kwargs)

        return wrapper

    @contextmanager
    def hooked(self) -> Iterator[Stopwatch]:
        """Every stage of STAGE_HOOKS timed while inside; archgen is restored on leaving."""
        with ExitStack() as restore:
            for module, name, stage in STAGE_HOOKS:
                original = getattr(module, name)
                restore.callback(setattr, module, name, original)
                setattr(module, name, self.timed(original, stage))
            yield self


@dataclass(frozen=True)
class BuildRun:
    """One load plus build of one blueprint, measured by stage."""

    seconds: dict[str, float]
    dot_runs: int
    components: int
    views: int

    @property
    def own(self) -> float:
        """Everything archgen did itself: the whole run less Graphviz and rasterizing."""
        total = self.seconds["load"] + self.seconds["build"]
        return total - sum(self.seconds.get(stage, 0.0) for stage in NOT_OWN)


def measured_build(path: Path, root: Path, out: Path, formats: tuple[str, ...]) -> BuildRun:
    """Load and build one blueprint (steps and narrative on) the way the command line does."""
    watch = Stopwatch()
    with watch.hooked():
        with watch.timing("load"):
            blueprint = load(path, root=root)
        with watch.timing("build"):
            build(blueprint, out, BuildOptions(formats=formats))
    return BuildRun(
        dict(watch.seconds), watch.calls["dot"], len(blueprint.components), view_count(blueprint)
    )


def view_count(blueprint: Blueprint) -> int:
    """The overview plus one view per step with a focus: the diagrams one layout must serve."""
    return 1 + sum(1 for step in blueprint.steps if step.focus)


@dataclass(frozen=True)
class BlueprintTiming:
    """Medians over repeated builds of one blueprint; PNG from one full-format build."""

    name: str
    components: int
    views: int
    dot: float
    own: float
    stages: dict[str, float]
    png: float | None = None
    full_dot_runs: int | None = None

    @property
    def own_ratio(self) -> float:
        return self.own / self.dot

    @property
    def png_ratio(self) -> float | None:
        return None if self.png is None else self.png / self.dot


def time_blueprint(
    path: Path, root: Path, out: Path, *, repeats: int, with_png: bool
) -> BlueprintTiming:
    """Own work and Graphviz time (medians of `repeats` builds without PNG, which never
    touch the rasterizer), then one build in every format for the PNG time and dot count."""
    runs = [measured_build(path, root, out, WITHOUT_PNG) for _ in range(repeats)]
    full = measured_build(path, root, out, FORMATS) if with_png else None
    return BlueprintTiming(
        name=path.stem,
        components=runs[0].components,
        views=runs[0].views,
        dot=statistics.median(run.seconds["dot"] for run in runs),
        own=statistics.median(run.own for run in runs),
        stages={
            stage: statistics.median(run.seconds.get(stage, 0.0) for run in runs)
            for stage in OWN_STAGES
        },
        png=None if full is None else full.seconds["png"],
        full_dot_runs=None if full is None else full.dot_runs,
    )


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    """Median wall time of `action` over `repeats` calls."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)
