"""Plane geometry for the layout measures: boxes, segments, polylines.

Plain Python on tuples: a 30-node diagram is a few thousand segments, and
bounding-box checks before every exact test keep measuring it to a few
milliseconds without numpy. Coordinates are SVG user units (points), y down.

>>> segments_cross((0, 0), (2, 2), (0, 2), (2, 0))
True
>>> segments_cross((0, 0), (1, 1), (1, 1), (2, 0))  # touching is not crossing
False
>>> Box(0, 0, 4, 2).distance_to_segment((6, 1), (9, 1))
2.0
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

Point = tuple[float, float]
# Points per cubic Bézier segment when flattening: dot's curves between two
# control points bend gently, and eight chords stay within a fraction of a point.
CURVE_STEPS = 8


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle, x0 <= x1 and y0 <= y1."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def around(cls, points: Sequence[Point]) -> Box:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        return cls(min(xs), min(ys), max(xs), max(ys))

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def shrunk(self, by: float) -> Box:
        """Smaller on every side; never inside out (a thin box becomes a line)."""
        cx, cy = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        return Box(
            min(self.x0 + by, cx),
            min(self.y0 + by, cy),
            max(self.x1 - by, cx),
            max(self.y1 - by, cy),
        )

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 <= other.x1
            and other.x0 <= self.x1
            and self.y0 <= other.y1
            and other.y0 <= self.y1
        )

    def contains(self, p: Point) -> bool:
        return self.x0 <= p[0] <= self.x1 and self.y0 <= p[1] <= self.y1

    def encloses(self, other: Box) -> bool:
        return self.contains((other.x0, other.y0)) and self.contains((other.x1, other.y1))

    def distance_to_point(self, p: Point) -> float:
        dx = max(self.x0 - p[0], 0.0, p[0] - self.x1)
        dy = max(self.y0 - p[1], 0.0, p[1] - self.y1)
        return math.hypot(dx, dy)

    def distance_to_box(self, other: Box) -> float:
        dx = max(self.x0 - other.x1, 0.0, other.x0 - self.x1)
        dy = max(self.y0 - other.y1, 0.0, other.y0 - self.y1)
        return math.hypot(dx, dy)

    def corners(self) -> tuple[Point, Point, Point, Point]:
        return ((self.x0, self.y0), (self.x1, self.y0), (self.x1, self.y1), (self.x0, self.y1))

    def meets_segment(self, a: Point, b: Point) -> bool:
        """Whether segment ab touches or enters the box (Liang-Barsky clipping)."""
        t0, t1 = 0.0, 1.0
        dx, dy = b[0] - a[0], b[1] - a[1]
        for p, q in (
            (-dx, a[0] - self.x0),
            (dx, self.x1 - a[0]),
            (-dy, a[1] - self.y0),
            (dy, self.y1 - a[1]),
        ):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
        return True

    def distance_to_segment(self, a: Point, b: Point) -> float:
        """Zero when the segment meets the box; otherwise the nearest approach,
        which for a convex box is at a segment end or at a box corner."""
        if self.meets_segment(a, b):
            return 0.0
        return min(
            self.distance_to_point(a),
            self.distance_to_point(b),
            *(point_segment_distance(c, a, b) for c in self.corners()),
        )


def point_segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2
    t = min(1.0, max(0.0, t))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def orientation(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """A proper crossing: each segment's ends strictly on either side of the other.

    Touching, sharing an end and running along each other are not crossings,
    so edges that leave a node side by side do not count.
    """
    d1, d2 = orientation(c, d, a), orientation(c, d, b)
    d3, d4 = orientation(a, b, c), orientation(a, b, d)
    return d1 * d2 < 0 and d3 * d4 < 0


def crossing_point(a: Point, b: Point, c: Point, d: Point) -> Point:
    """Where the lines through ab and cd meet; call only for segments that cross."""
    d1, d2 = orientation(c, d, a), orientation(c, d, b)
    t = d1 / (d1 - d2)
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def bezier_weights(steps: int) -> tuple[tuple[float, float, float, float], ...]:
    """Bernstein weights at t = 1/steps .. 1: computed once, used for every curve."""
    ts = [i / steps for i in range(1, steps + 1)]
    return tuple(((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3) for t in ts)


WEIGHTS = bezier_weights(CURVE_STEPS)


def cubic_points(p0: Point, p1: Point, p2: Point, p3: Point) -> list[Point]:
    """The curve at CURVE_STEPS equal parameter steps, its end included and its start left out."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p0, p1, p2, p3
    return [
        (w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3, w0 * y0 + w1 * y1 + w2 * y2 + w3 * y3)
        for w0, w1, w2, w3 in WEIGHTS
    ]


def segments(points: Sequence[Point]) -> Iterator[tuple[Point, Point]]:
    return pairwise(points)
