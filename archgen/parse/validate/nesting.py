"""Groups inside groups: cycles of parents and nesting too deep, each found in one pass.

Every later stage walks a group's chain of parents (to draw clusters inside
clusters, to find a component's enclosing groups), so validation cuts the
chains it reports: a group in a cycle or nested past the limit loses its
parent, and no walk after this one is longer than the limit. The walks here
are loops over a parent map, not recursion, with what each has settled kept,
so a chain of a thousand groups costs a thousand steps, not a million.
"""

from __future__ import annotations

from collections.abc import Mapping

from archgen.model import Group


def parent_cycles(groups: Mapping[str, Group]) -> list[list[str]]:
    """Each cycle of parents, starting at its group written first: `[a, b]` for a -> b -> a."""
    order = {ident: place for place, ident in enumerate(groups)}
    walk_of: dict[str, int] = {}  # group -> the walk that reached it first
    cycles = []
    for walk, start in enumerate(groups):
        path = []
        group: str | None = start
        while group is not None and group in groups and group not in walk_of:
            walk_of[group] = walk
            path.append(group)
            group = groups[group].parent
        if group is not None and walk_of.get(group) == walk:  # this walk came back on itself
            cycle = path[path.index(group) :]
            first = min(range(len(cycle)), key=lambda place: order[cycle[place]])
            cycles.append(cycle[first:] + cycle[:first])
    return cycles


def nesting_depths(groups: Mapping[str, Group]) -> dict[str, int]:
    """How many groups deep each group sits, itself included: 1 at the top level.
    The parents must hold no cycle (`parent_cycles` finds them)."""
    depths: dict[str, int] = {}
    for start in groups:
        path = []
        group: str | None = start
        while group is not None and group in groups and group not in depths:
            path.append(group)
            group = groups[group].parent
        depth = depths.get(group, 0) if group is not None else 0
        for settled in reversed(path):
            depth += 1
            depths[settled] = depth
    return depths
