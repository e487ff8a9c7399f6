"""Section 4b: the fuzzer's worst shapes, validated only, as ratios.

Each shape is timed twice within the format's limits (`archgen.format`), at a
tenth of the limit and at the limit: loading must grow about linearly, where
it once grew with the cube of the groups (a chain of 3,000 nested groups took
43 s). Then the shape as the fuzzer wrote it, past the limit, must be refused
with an error that names the limit, not a RecursionError or a hang. Loading
is validation only: the render-side shapes are timed in `scale.py`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from plan import GROWTH_MAX, BenchmarkFailed, Section
from tables import Verdict, millis, ratio, table

from archgen.errors import BlueprintError
from archgen.format import COMPONENTS, FOCUS_ENTRIES, GROUP_DEPTH, GROUPS
from archgen.parse.load import load

MEMBERS_PER_GROUP = COMPONENTS.value // GROUPS.value
FLOWS_PER_GROUP = 10
FOCUSED_GROUPS = 20


@dataclass(frozen=True)
class Shape:
    """A shape grown to `size` within the limits, and the same shape as the fuzzer wrote it."""

    name: str
    within: Callable[[int], str]
    sizes: tuple[int, int]
    past: Callable[[], str]
    past_note: str


@dataclass(frozen=True)
class ShapeTiming:
    name: str
    sizes: tuple[int, int]
    seconds: tuple[float, float]
    past_note: str
    past_seconds: float
    past_refused: bool
    past_error: str

    @property
    def growth(self) -> float:
        """Time ratio at the limit / at a tenth of it, over the size ratio: 1.0 when linear."""
        small, large = self.seconds
        return (large / small) / (self.sizes[1] / self.sizes[0])


def _header(title: str) -> list[str]:
    return ["archgen: 1", f"title: {title}"]


def _groups(count: int, parent: Callable[[int], int | None]) -> list[str]:
    """`count` groups, each with its members; `parent(i)` is group i's parent, if any."""
    lines = ["groups:"]
    for i in range(count):
        above = parent(i)
        lines.append(
            f"  g{i}: {{label: G{i}" + (f", parent: g{above}}}" if above is not None else "}")
        )
    lines.append("components:")
    lines += [
        f"  c{i}_{m}: {{kind: client, group: g{i}}}"
        for i in range(count)
        for m in range(MEMBERS_PER_GROUP)
    ]
    return lines


def deep_chains(count: int) -> str:
    """`count` groups in chains as deep as the limit allows."""
    depth = GROUP_DEPTH.value
    chains = _groups(count, lambda i: i - 1 if i % depth else None)
    return "\n".join([*_header("Deep group chains"), *chains]) + "\n"


def one_chain(depth: int) -> str:
    """One chain of groups `depth` deep, a member in the innermost: the fuzzer's 1,200."""
    lines = ["groups:", "  g0: G0"]
    lines += [f"  g{i}: {{label: G{i}, parent: g{i - 1}}}" for i in range(1, depth)]
    lines += ["components:", f"  users: {{kind: client, group: g{depth - 1}}}"]
    return "\n".join([*_header("One deep chain"), *lines]) + "\n"


def group_ring(count: int, flows_per_group: int = FLOWS_PER_GROUP) -> str:
    """`count` groups, each with flows to the next `flows_per_group` groups round a ring."""
    lines = _groups(count, lambda i: None)
    lines.append("flows:")
    lines += [
        f"  - g{i} -> g{(i + step) % count}"
        for i in range(count)
        for step in range(1, flows_per_group + 1)
    ]
    return "\n".join([*_header("Ring of groups"), *lines]) + "\n"


def repeated_focus(entries: int) -> str:
    """A step's focus naming a handful of groups over and over, `entries` entries in all."""
    lines = _groups(FOCUSED_GROUPS, lambda i: None)
    named = ", ".join(f"g{i % FOCUSED_GROUPS}" for i in range(entries))
    lines += ["serving:", f"  focus: [{named}]"]
    return "\n".join([*_header("Focus repeated"), *lines]) + "\n"


SHAPES: tuple[Shape, ...] = (
    Shape(
        "deep group chains",
        deep_chains,
        (GROUPS.value // 10, GROUPS.value),
        lambda: one_chain(1_200),
        "one chain 1,200 deep",
    ),
    Shape(
        "ring of group-to-group flows",
        group_ring,
        (GROUPS.value // 10, GROUPS.value),
        lambda: group_ring(5_000, 1),
        "5,000 groups in a ring",
    ),
    Shape(
        "focus repeated",
        repeated_focus,
        (FOCUS_ENTRIES.value // 10, FOCUS_ENTRIES.value),
        lambda: repeated_focus(5_000),
        "5,000 focus entries",
    ),
)


def cpu_seconds(path: Path, repeats: int) -> tuple[float, str]:
    """The fastest of `repeats` loads, in CPU seconds (other load on the machine does not
    count), and the first line of the error when the blueprint is refused."""
    best, error = float("inf"), ""
    for _ in range(repeats):
        started = time.process_time()
        try:
            load(path)
        except BlueprintError as refused:
            error = str(refused).splitlines()[0]
        best = min(best, time.process_time() - started)
    return best, error


def time_shapes(repeats: int, scratch: Path) -> list[ShapeTiming]:
    folder = scratch / "shapes"
    folder.mkdir(parents=True, exist_ok=True)
    timings = []
    for number, shape in enumerate(SHAPES):
        seconds = []
        for size in shape.sizes:
            path = folder / f"shape-{number}-{size}.yaml"
            path.write_text(shape.within(size))
            taken, error = cpu_seconds(path, repeats)
            if error:  # the shape was meant to stay within the limits
                raise BenchmarkFailed(f"{shape.name} at {size}: {error}")
            seconds.append(taken)
        past = folder / f"shape-{number}-past.yaml"
        past.write_text(shape.past())
        past_seconds, past_error = cpu_seconds(past, 1)
        timings.append(
            ShapeTiming(
                shape.name,
                shape.sizes,
                (seconds[0], seconds[1]),
                shape.past_note,
                past_seconds,
                "over the limit" in past_error,
                past_error,
            )
        )
    return timings


def shapes_section(timings: list[ShapeTiming]) -> Section:
    rows = [
        [
            t.name,
            f"{t.sizes[0]}->{t.sizes[1]}",
            millis(t.seconds[0]),
            millis(t.seconds[1]),
            ratio(t.growth),
            t.past_note,
            millis(t.past_seconds),
        ]
        for t in timings
    ]
    text = table(
        "4b. Hostile shapes, validated only (CPU ms; growth 1.0 = linear)",
        ["shape", "sizes", "small ms", "limit ms", "growth", "past the limit", "refused in ms"],
        rows,
    )
    verdicts = [
        verdict
        for t in timings
        for verdict in (
            Verdict(
                f"{t.name}: load time growth {t.sizes[0]}->{t.sizes[1]} / {t.sizes[1] // t.sizes[0]}",
                ratio(t.growth),
                f"<= {GROWTH_MAX}",
                t.growth <= GROWTH_MAX,
            ),
            Verdict(
                f"{t.name}: {t.past_note} refused, naming the limit",
                "yes" if t.past_refused else f"no: {t.past_error or 'loaded'}",
                "refused",
                t.past_refused,
            ),
        )
    ]
    return Section("hostile_shapes", text, verdicts, [asdict(t) for t in timings])
