"""What a benchmark run measures and what it hands back, shared by every section.

The thresholds live here, together, because bench/README.md gives the reasons
for all of them at once; a section module reads its own from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import layout_report
from measure import WITHOUT_PNG
from tables import Verdict

from archgen.build import FORMATS

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
