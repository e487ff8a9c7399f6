"""Colours as ``#rrggbb`` strings: mixing them, and keeping them visible (WCAG contrast).

A logo keeps its colour where it shows on every background, and is darkened
toward black where it would not:

>>> legible("#ee4c2c"), legible("#f7df1e")
('#ee4c2c', '#948612')
"""

from __future__ import annotations

# What icons are drawn on: the page, and the fills of the two outer group depths.
BACKGROUNDS: tuple[str, ...] = ("#ffffff", "#f4f6fa", "#e9f1fb")
# WCAG's minimum contrast for graphical objects (1.4.11, non-text contrast).
MIN_CONTRAST = 3.0


def legible(colour: str) -> str:
    """`colour`, or the first shade of it toward black that has enough contrast on
    every background: a logo keeps its hue and stays visible."""
    shade = colour
    for step in range(1, 11):
        if min(contrast(shade, bg) for bg in BACKGROUNDS) >= MIN_CONTRAST:
            return shade
        shade = mix(colour, "#000000", step / 10)
    return shade


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours, from 1 to 21.

    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` of `other` mixed in, as ``#rrggbb``.

    >>> mix("#000000", "#ffffff", 0.5)
    '#808080'
    """
    parts = (round(a + (b - a) * share) for a, b in zip(rgb(colour), rgb(other), strict=True))
    return "#" + "".join(f"{part:02x}" for part in parts)


def mix_white(colour: str, share: float) -> str:
    return mix(colour, "#ffffff", share)
