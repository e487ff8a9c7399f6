"""archgen's benchmark: the design's "Speed and scale" targets, as ratios.

Every result is a ratio of two times taken in the same run (these machines
are noisy; absolute seconds mean little from one run to the next):

1. archgen's own work per blueprint as a fraction of Graphviz's ``dot`` time,
   and PNG rasterizing as its own multiple of ``dot``;
2. ``dot`` runs for a build in every format with every step view: one;
3. the gallery's speed-up on every core, and a warm run against a cold one;
4. how time grows with the number of components, on synthetic blueprints,
   and whether the largest still renders; 4b. the fuzzer's worst shapes
   (deep group chains, a ring of group-to-group flows, a repeated focus),
   validated only: linear up to each limit, refused past it;
5. how readable the overview diagrams are (``layout_report.py``): aspect,
   text size at a page's width, crossings, edges through labels and nodes;
6. whole commands' CPU time against the same diagram drawn by hand with
   `diagrams` and against an empty Python, and what `archgen validate` imports;
7. the weight of the gallery that section 6 rendered: all of it, the largest
   SVG, and the PNGs' pixel budgets.

Each section has its own module: ``own_work.py`` (1 and 2), ``gallery_timing.py``
(3), ``scale.py`` (4), ``hostile.py`` (4b), ``layout_quality.py`` (5), ``process_timing.py`` (6) and
``weight.py`` (7); what to measure and the thresholds are in ``plan.py``.

Run ``python bench/run.py`` (``make bench``); ``--quick`` for a small run,
``--json FILE`` to keep the numbers. See bench/README.md for the thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from gallery_timing import gallery_section, time_gallery
from hostile import shapes_section, time_shapes
from layout_quality import quality_section
from measure import time_blueprint
from own_work import layout_counts, layout_section, own_work_section
from plan import BLUEPRINTS, FULL, QUICK, BenchmarkFailed, Plan, Section
from process_timing import process_section, time_processes
from processes import CommandFailed
from scale import render_largest, scale_section, time_scale
from tables import verdict_table
from weight import weight_section

from archgen.errors import BlueprintError, GraphvizError
from archgen.gallery import case_studies


def sections(plan: Plan, scratch: Path) -> Iterator[Section]:
    """Each target's section as soon as it is measured."""
    bundled = case_studies(BLUEPRINTS)
    chosen = bundled if plan.blueprints is None else bundled[: plan.blueprints]
    timings = [
        time_blueprint(path, BLUEPRINTS, scratch / "out", repeats=plan.repeats, with_png=plan.png)
        for path in chosen
    ]
    yield own_work_section(timings)

    yield layout_section(layout_counts(timings, chosen, plan.layout_check, scratch))

    yield gallery_section(time_gallery(bundled[: plan.gallery], scratch, plan.formats))

    yield scale_section(
        time_scale(plan, scratch), render_largest(plan.sizes[-1], scratch, plan.formats)
    )
    yield shapes_section(time_shapes(plan.repeats, scratch))

    yield quality_section(chosen, plan, scratch)

    processes = time_processes(chosen, plan, scratch)
    yield process_section(processes)
    yield weight_section(processes.weight, processes.blueprints, processes.formats)


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
