"""Section 4c: the fuzzer's worst shapes, rendered in every format, as ratios.

Each shape is rendered twice, at a tenth of its size and at its size (every
format, step views and narrative), the largest at the format's limits:
groups nested as deep as allowed, a step's focus naming a few groups over
and over, components in groups with flows at random between them (which plain
``dot`` cannot rank), and the synthetic platform at the component limit.
archgen's own work must grow about linearly with the components (or not at
all, for the focus); Graphviz's and the rasterizer's growth is reported.
The validation side of these shapes is section 4b (``hostile.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from hostile import FOCUSED_GROUPS, MEMBERS_PER_GROUP, deep_chains, repeated_focus
from measure import BuildRun, measured_build
from plan import GROWTH_MAX, QUICK, REPO, Plan, Section
from synthetic import synthetic_yaml
from tables import Verdict, ratio, table

from archgen.errors import BlueprintError, GraphvizError
from archgen.format import COMPONENTS, FOCUS_ENTRIES

sys.path.append(str(REPO / "tests"))
from random_blueprints import Shape, random_blueprint  # the tests' generator

# One group per this many components in the messy shape: 30 groups for 300 components.
COMPONENTS_PER_GROUP = 10
# Builds of the smaller and the larger size, the fastest kept: the first build of a shape
# pays for what a process does once, and one build of either size can take half as long
# again while the machine does anything else: with one larger build, the component limit
# measured a growth of 1.90 in one run and 1.04 and 1.21 in the next two.
SMALL_AND_LARGE_REPEATS = (2, 2)


def messy(components: int) -> str:
    """Components in groups nested at random, flows at random between them and the groups."""
    groups = components // COMPONENTS_PER_GROUP
    return random_blueprint(0, Shape((components, components), (groups, groups)))


@dataclass(frozen=True)
class RenderShape:
    """A shape at two sizes, `full` or `quick` (a smoke test); `components` says how many
    a size has, which is what cost may grow with: the focus shape keeps its blueprint and
    only repeats entries, so its cost should not grow at all."""

    name: str
    write: Callable[[int], str]
    full: tuple[int, int]
    quick: tuple[int, int]
    components: Callable[[int], int] = lambda size: size


def chained_components(groups: int) -> int:
    return groups * MEMBERS_PER_GROUP


def focused_components(_entries: int) -> int:
    return FOCUSED_GROUPS * MEMBERS_PER_GROUP


# Section 4b's generators where the shape is the same: deep chains (sized in groups,
# each with its members) and a focus repeating a handful of groups.
SHAPES: tuple[RenderShape, ...] = (
    RenderShape("deep group chains", deep_chains, (10, 100), (5, 10), chained_components),
    RenderShape(
        "focus repeated", repeated_focus, (50, FOCUS_ENTRIES.value), (5, 50), focused_components
    ),
    RenderShape("messy random flows", messy, (30, 300), (20, 40)),
    RenderShape("component limit", synthetic_yaml, (200, COMPONENTS.value), (20, 40)),
)


@dataclass(frozen=True)
class ShapeRender:
    """One shape's two builds, as seconds by what did the work; `error` when one failed."""

    name: str
    sizes: tuple[int, int]
    components: tuple[int, int]
    own: tuple[float, float] = (0.0, 0.0)
    dot: tuple[float, float] = (0.0, 0.0)
    png: tuple[float, float] = (0.0, 0.0)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def growth(self, seconds: tuple[float, float]) -> float:
        """Time ratio large/small over the components ratio: 1.0 when linear."""
        small, large = seconds
        return (large / small) / (self.components[1] / self.components[0])


def time_render_shapes(plan: Plan, scratch: Path) -> list[ShapeRender]:
    folder = scratch / "render-shapes"
    folder.mkdir(parents=True, exist_ok=True)
    quick = plan == QUICK
    return [time_shape(shape, quick, plan.formats, folder) for shape in SHAPES]


def time_shape(
    shape: RenderShape, quick: bool, formats: tuple[str, ...], folder: Path
) -> ShapeRender:
    sizes = shape.quick if quick else shape.full
    components = (shape.components(sizes[0]), shape.components(sizes[1]))
    runs: list[BuildRun] = []
    for size, repeats in zip(sizes, SMALL_AND_LARGE_REPEATS, strict=True):
        path = folder / f"{shape.name.replace(' ', '-')}-{size}.yaml"
        path.write_text(shape.write(size), encoding="utf-8")
        try:
            builds = [measured_build(path, folder, folder / "out", formats) for _ in range(repeats)]
        except (BlueprintError, GraphvizError) as error:
            first_line = str(error).splitlines()[0]
            return ShapeRender(shape.name, sizes, components, error=f"at {size}: {first_line}")
        runs.append(min(builds, key=lambda run: run.own))
    small, large = runs
    return ShapeRender(
        shape.name,
        sizes,
        components,
        own=(small.own, large.own),
        dot=(small.seconds["dot"], large.seconds["dot"]),
        png=(small.seconds.get("png", 0.0), large.seconds.get("png", 0.0)),
    )


def render_shapes_section(renders: list[ShapeRender], formats: tuple[str, ...]) -> Section:
    rows = [
        [
            r.name,
            f"{r.sizes[0]}->{r.sizes[1]}",
            f"{r.components[1]}",
            f"{r.own[1]:.2f}",
            f"{r.dot[1]:.2f}",
            f"{r.png[1]:.2f}",
            *(ratio(r.growth(s)) if r.ok else "-" for s in (r.own, r.dot)),
        ]
        for r in renders
    ]
    text = table(
        f"4c. Hostile shapes, rendered ({','.join(formats)}, steps, narrative; seconds at the"
        " larger size; growth 1.0 = linear in components)",
        ["shape", "sizes", "comps", "own s", "dot s", "png s", "own growth", "dot growth"],
        rows,
    )
    return Section(
        "render_shapes", text, shape_verdicts(renders, formats), [asdict(r) for r in renders]
    )


def shape_verdicts(renders: list[ShapeRender], formats: tuple[str, ...]) -> list[Verdict]:
    verdicts = []
    for r in renders:
        verdicts.append(
            Verdict(
                f"{r.name} at {r.sizes[1]} renders ({','.join(formats)})",
                "yes" if r.ok else f"no: {r.error}",
                "renders",
                r.ok,
            )
        )
        if r.ok:
            growth = r.growth(r.own)
            verdicts.append(
                Verdict(
                    f"{r.name}: own work growth {r.sizes[0]}->{r.sizes[1]}",
                    ratio(growth),
                    f"<= {GROWTH_MAX}",
                    growth <= GROWTH_MAX,
                )
            )
    return verdicts
