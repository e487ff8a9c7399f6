"""Section 5: the layout report (``layout_report.py``) as a section of the benchmark.

Kept apart from ``layout_report.py``, which also runs on its own (``make layout``):
``plan.py`` reads that module's sizes, so that module cannot import ``Section``
from ``plan.py`` without a cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import layout_report
from plan import Plan, Section

from archgen.layout.quality import TARGETS


def quality_section(chosen: Sequence[Path], plan: Plan, scratch: Path) -> Section:
    rows = layout_report.measure_all(chosen, plan.quality_sizes, scratch)
    text = layout_report.report_text(rows, TARGETS)
    return Section(
        "layout_quality", text, layout_report.verdicts(rows), layout_report.as_data(rows)
    )
