"""How wide a line of DejaVu Sans is, for the text boxes the SVG does not give.

Graphviz writes a ``<text>`` with its start point and font size but not its
width. The advance widths below are DejaVu Sans's and DejaVu Sans Bold's own
(read from the fonts' ``hmtx`` tables, in hundredths of an em, for ASCII
space to tilde), which is what Graphviz measured with when it made room for
the text; anything outside ASCII counts as a wide letter. Ascent and descent
are the fonts' ``hhea`` values (1901 and 483 of 2048 units per em).

>>> text_width("Serving", 12.0, bold=True)
51.72
>>> round(text_width("ab", 10.0), 2)
12.4
"""

from __future__ import annotations

FIRST = 32
REGULAR = (
    32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 34, 34, 84, 84, 84, 53, 100, 68, 69, 70, 77, 63, 58, 77, 75, 29, 29, 66, 56, 86,
    75, 79, 60, 79, 69, 63, 61, 73, 68, 99, 69, 61, 69, 39, 34, 39, 84, 50, 50, 61, 63, 55, 63,
    62, 35, 63, 63, 28, 28, 58, 28, 97, 63, 61, 63, 63, 41, 52, 39, 63, 59, 82, 59, 59, 52, 64,
    34, 64, 84,
)  # fmt: skip
BOLD = (
    35, 46, 52, 84, 70, 100, 87, 31, 46, 46, 52, 84, 38, 42, 38, 37, 70, 70, 70, 70, 70, 70, 70,
    70, 70, 70, 40, 40, 84, 84, 84, 58, 100, 77, 76, 73, 83, 68, 68, 82, 84, 37, 37, 77, 64, 100,
    84, 85, 73, 85, 77, 72, 68, 81, 77, 110, 77, 72, 73, 46, 37, 46, 84, 50, 50, 67, 72, 59, 72,
    68, 44, 72, 71, 34, 34, 67, 34, 104, 71, 69, 72, 72, 49, 60, 48, 71, 65, 92, 65, 65, 58, 71,
    37, 71, 84,
)  # fmt: skip
# A letter outside the tables: as wide as an upper-case letter, so a box errs large.
OTHER = 80
ASCENT = 1901 / 2048
DESCENT = 483 / 2048


def text_width(text: str, size: float, bold: bool = False) -> float:
    table = BOLD if bold else REGULAR
    hundredths = sum(
        table[code - FIRST] if FIRST <= code < FIRST + len(table) else OTHER
        for code in map(ord, text)
    )
    return hundredths * size / 100
