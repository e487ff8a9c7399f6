"""The flows as a graph of components, for rules about what reaches what.

A flow that ends at a group stands for a flow to each of its members (the
diagram draws one arrow to the border, the design means all of them), and a
two-way flow is a flow each way. Paths follow the arrows: a model that is
deployed from a registry is downstream of it, never the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass

from archgen.model import Blueprint


@dataclass(frozen=True)
class FlowGraph:
    """Each component's direct successors, and which components any flow touches."""

    successors: dict[str, frozenset[str]]
    predecessors: dict[str, frozenset[str]]

    @classmethod
    def of(cls, blueprint: Blueprint) -> FlowGraph:
        forward: dict[str, set[str]] = {c: set() for c in blueprint.components}
        backward: dict[str, set[str]] = {c: set() for c in blueprint.components}
        for flow in blueprint.flows:
            edges = [(flow.source, flow.target)]
            if flow.two_way:
                edges.append((flow.target, flow.source))
            for source, target in edges:
                for a in _members(blueprint, source):
                    for b in _members(blueprint, target):
                        forward[a].add(b)
                        backward[b].add(a)
        return cls(
            {c: frozenset(s) for c, s in forward.items()},
            {c: frozenset(s) for c, s in backward.items()},
        )

    def reach(self, starts: Iterable[str], avoid: Set[str] = frozenset()) -> set[str]:
        """Every component one or more flows lead to from any of `starts`, without
        passing through any of `avoid`."""
        seen: set[str] = set()
        stack = [n for s in starts for n in self.successors[s]]
        while stack:
            node = stack.pop()
            if node not in seen and node not in avoid:
                seen.add(node)
                stack.extend(self.successors[node] - seen)
        return seen

    def leads(
        self,
        sources: Iterable[str],
        targets: Set[str],
        through: Set[str] | None = None,
        avoid: Set[str] = frozenset(),
    ) -> bool:
        """Whether a path runs from one of `sources` to one of `targets`, by way of one
        of `through` when it is given, and never through one of `avoid`."""
        if through is not None:
            sources = self.reach(sources, avoid) & through
        return bool(self.reach(sources, avoid) & targets)


def _members(blueprint: Blueprint, endpoint: str) -> tuple[str, ...]:
    return blueprint.group_members(endpoint) if blueprint.is_group(endpoint) else (endpoint,)
