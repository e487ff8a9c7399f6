"""Plain-text tables and verdicts for the benchmark's report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """One design target: the ratio measured, the threshold chosen, and whether it is met.

    `met` is None for a number reported for information, with no target.
    """

    target: str
    measured: str
    threshold: str
    met: bool | None

    @property
    def label(self) -> str:
        return {True: "MET", False: "NOT MET", None: "info"}[self.met]


def ratio(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def millis(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f}"


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A titled table with columns wide enough for their widest cell; numbers align right.

    >>> print(table("T", ["name", "n"], [["a", 1], ["bb", 22]]))
    T
      name   n
      a      1
      bb    22
    """
    cells = [[str(h) for h in headers], *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [
        bool(rows) and all(is_number(row[i]) for row in cells[1:]) for i in range(len(headers))
    ]

    def line(row: list[str]) -> str:
        parts = (
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(row, widths, numeric, strict=True)
        )
        return "  " + "  ".join(parts).rstrip()

    return "\n".join([title, *(line(row) for row in cells)])


def is_number(cell: str) -> bool:
    try:
        float(cell.rstrip("x%"))
    except ValueError:
        return cell == "-"
    return True


def verdict_table(verdicts: Sequence[Verdict]) -> str:
    rows = [[v.target, v.measured, v.threshold, v.label] for v in verdicts]
    return table("Targets", ["target", "measured", "threshold", "verdict"], rows)
