"""Laying a blueprint out: which arrangements ``dot`` is run on (``graphviz`` runs it).

``dot`` lays out a few arrangements of the blueprint (directions, node
shapes, spacing, ranking), in a fixed order of preference; the first that
meets every layout target is kept, or else the one the layout measures score
best. Each ``dot`` run takes tens of milliseconds, so trying a few is cheap,
and the choice depends only on the input: the result is deterministic.
Every format and step view is derived from the one SVG chosen, so they all
share one layout.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property

from archgen.catalog import Catalog
from archgen.errors import GraphvizFailed
from archgen.layout.arrangement import Arrangement, arrangements
from archgen.layout.dot import build_dot
from archgen.layout.graphviz import run_dot
from archgen.layout.quality import LayoutQuality, measure
from archgen.model import Blueprint

# Extra ``dot`` runs at most, to repair a layout that misses a target.
REPAIR_TRIES = 6
# Past this many components archgen lays a blueprint out once, as preferred: the
# measures cost the square of the flows, and no arrangement fits a diagram that
# large on a page anyway.
SEARCH_LIMIT = 60


@dataclass(frozen=True)
class Layout:
    """The chosen arrangement, its DOT source, the SVG ``dot`` made of it, and its measures."""

    arrangement: Arrangement
    source: str
    svg: str

    @cached_property
    def quality(self) -> LayoutQuality:
        """Measured when first asked: a layout chosen without a search is never measured."""
        return measure(self.svg)


def fallbacks(arrangement: Arrangement) -> tuple[Arrangement, ...]:
    """Arrangements Graphviz 2.43 lays out when the preferred ones fail, simplest last.

    Clusters joined by many flows can make ``dot`` fail to rank ("trouble in
    init_rank"), which ``newrank`` avoids; edges clipped at cluster borders can
    make it lose an edge while routing, which plain edges to the group's
    central member avoid; straight polyline routing never fails to route.
    """
    ranked = replace(arrangement, newrank=True)
    plain = replace(ranked, compound=False)
    return (ranked, plain, replace(plain, splines="polyline"))


def lay_out(blueprint: Blueprint, catalog: Catalog, flavor: str | None = None) -> Layout:
    """The best layout of `blueprint`: the first arrangement that meets every target, or
    else the best scoring one; the fallbacks when Graphviz fails on all of them.

    The flavor matters: a cloud flavor prints service names, which take room. A
    blueprint too large to search is laid out once, with ``dot``'s work bounded.
    """
    flavor = flavor or blueprint.flavor
    searching = len(blueprint.components) <= SEARCH_LIMIT
    preferred = arrangements(blueprint.direction)
    candidates = preferred if searching else (replace(preferred[0], bounded=True),)
    layouts, failure = try_arrangements(blueprint, catalog, flavor, candidates, searching)
    if not layouts:
        untried = [a for a in fallbacks(candidates[0]) if a not in candidates]
        layouts, last = try_arrangements(blueprint, catalog, flavor, untried, searching)
        failure = last or failure
    if not layouts:
        assert failure is not None
        raise failure
    if not searching:
        return layouts[0]
    starts = {min(layouts, key=score), min(layouts, key=readable_first)}
    return min((repaired(blueprint, catalog, flavor, start) for start in starts), key=score)


def score(layout: Layout) -> float:
    return layout.quality.score()


def readable_first(layout: Layout) -> tuple[bool, float]:
    """Layouts with readable text and page proportions first: the repair frees edges from
    ranking, which can move labels and lines, but never makes text bigger."""
    return (not layout.quality.fits_page(), layout.quality.score())


def repaired(blueprint: Blueprint, catalog: Catalog, flavor: str, best: Layout) -> Layout:
    """The best layout, improved by freeing its worst edges from ranking, one at a time.

    An edge that crosses others or runs through labels is usually a long way
    back (feedback, deployment) that pulls ranks apart; laid out without
    constraining the ranks, it often stops doing harm. Bounded by REPAIR_TRIES
    extra ``dot`` runs, and only for a layout that misses a target.
    """
    tried: set[str] = set()
    while len(tried) < REPAIR_TRIES and best.quality.problems():
        culprit = next((e for e in culprits(best.quality) if e not in tried), None)
        if culprit is None:
            break
        tried.add(culprit)
        loosened = best.arrangement.loosened | {culprit}
        arrangement = replace(best.arrangement, loosened=loosened)
        layouts, _ = try_arrangements(blueprint, catalog, flavor, (arrangement,))
        if layouts and layouts[0].quality.score() < best.quality.score():
            best = layouts[0]
    return best


def culprits(quality: LayoutQuality) -> list[str]:
    """Edge ids by the harm they do: in hard faults first, then in crossings."""
    harm: Counter[str] = Counter()
    weighed = [(10, pairs) for pairs in quality.hard_faults.values()]
    for weight, pairs in [*weighed, (1, quality.crossing_pairs)]:
        for pair in pairs:
            for ident in pair:
                if ident.startswith("e-"):
                    harm[ident] += weight
    return sorted(harm, key=lambda ident: (-harm[ident], ident))


def try_arrangements(
    blueprint: Blueprint,
    catalog: Catalog,
    flavor: str,
    candidates: Iterable[Arrangement],
    searching: bool = True,
) -> tuple[list[Layout], GraphvizFailed | None]:
    """The layouts Graphviz manages, up to the first that meets every target (or, when
    not `searching`, the first at all), and the last failure; a missing Graphviz stops
    everything at once."""
    layouts: list[Layout] = []
    failure = None
    for arrangement in candidates:
        source = build_dot(blueprint, catalog, arrangement, flavor)
        try:
            svg = run_dot(source)
        except GraphvizFailed as error:
            failure = error
            continue
        layouts.append(Layout(arrangement, source, svg))
        if not searching or layouts[-1].quality.is_clean():
            break
    return layouts, failure
