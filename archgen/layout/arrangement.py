"""The arrangements a blueprint is laid out in: the choices ``dot`` is given.

Kept apart from the DOT source they shape: the layout stage searches over
them, and the DOT builder only reads one.

>>> [(a.direction, a.side, a.reverse, a.newrank) for a in arrangements("BT")]
[('BT', True, False, False), ('BT', True, False, True), ('BT', True, True, False), ('BT', True, True, True)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from archgen.layout.style import ICON_SIZES


class Spacing(TypedDict):
    """Space between nodes of a rank and between ranks, in inches as Graphviz takes them."""

    nodesep: float
    ranksep: float


@dataclass(frozen=True)
class Arrangement:
    """The choices that shape one layout of a blueprint; the layout stage tries several.

    ``side`` puts each icon left of its label instead of above it: nodes get
    wider and much shorter, so a top-to-bottom layout of many ranks stays
    within a page's proportions. Without ``compound``, a flow to a group
    ends at the group's central member instead of its border. ``reverse``
    declares components and groups in reverse order: ``dot`` starts ordering
    each rank from the declaration order, so this gives it a second, different
    start that often crosses fewer edges. ``loose`` lets dashed and dotted
    flows (deployments, feedback, control) leave the ranking to the solid
    ones, so a long way back does not stretch the whole diagram. ``bounded``
    caps ``dot``'s own searches for a large blueprint: an order with more
    crossings in seconds, rather than a better one in minutes.
    """

    direction: str = "LR"
    newrank: bool = False
    nodesep: float = 0.45
    ranksep: float = 0.65
    side: bool = False
    compound: bool = True
    splines: str = "spline"
    reverse: bool = False
    loose: bool = False
    # Ids of edges (as `edge_id` names them) that do not constrain ranks.
    loosened: frozenset[str] = frozenset()
    compact: bool = False
    bounded: bool = False

    @property
    def icon_size(self) -> int:
        """The side, in points, of every node's icon cell: one size for all nodes of a layout."""
        return ICON_SIZES[self.side, self.compact]


# Tight spacing: labels are set by the page, so space between nodes costs text size.
TIGHT: Spacing = {"nodesep": 0.3, "ranksep": 0.35}
# Icons beside labels in a top-to-bottom layout, above them in a left-to-right one,
# so nodes are short along the axis that ranks stack on. The order is the one in
# which, over the bundled gallery and tests/data/realistic, a clean layout comes
# soonest: each `dot` run costs tens of milliseconds, and the first clean one ends
# the search. Left to right comes last: with labels on its edges it is wide.
AUTO_ARRANGEMENTS: tuple[Arrangement, ...] = (
    Arrangement("TB", side=True, newrank=True, nodesep=0.6, ranksep=0.35),
    Arrangement("TB", side=True, newrank=True, **TIGHT),
    Arrangement("TB", side=True, **TIGHT),
    Arrangement("TB", side=True, newrank=True, compact=True, **TIGHT),
    Arrangement("TB", side=True, reverse=True, **TIGHT),
    Arrangement("TB", side=True, newrank=True, reverse=True, **TIGHT),
    Arrangement("TB", side=True, newrank=True, reverse=True, nodesep=0.3, ranksep=0.25),
    Arrangement("TB", side=True, reverse=True, loose=True, nodesep=0.3, ranksep=0.25),
    Arrangement("TB", side=True, newrank=True, loose=True, nodesep=0.3, ranksep=0.25),
    Arrangement("TB", side=True, newrank=True, reverse=True, compact=True, **TIGHT),
    Arrangement("LR", **TIGHT),
    Arrangement("LR", newrank=True, **TIGHT),
)


def arrangements(direction: str) -> tuple[Arrangement, ...]:
    """What to try, best first: `auto` picks the direction too; a fixed direction is kept."""
    if direction == "auto":
        return AUTO_ARRANGEMENTS
    return tuple(
        Arrangement(
            direction, side=direction in ("TB", "BT"), newrank=newrank, reverse=reverse, **TIGHT
        )
        for reverse in (False, True)
        for newrank in (False, True)
    )
