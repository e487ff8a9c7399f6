"""The check types a rule may use, in one registry.

A check passes or gives hits: each hit is one thing missing, with where it
belongs (paths for `Blueprint.mark`, most precise first), the step it concerns
when that is not the rule's own, and values for the rule's message (a rule's
text may say `{component}` when its check provides `component`).

The same checks serve as conditions: a rule applies only where each check in
its `when` passes. Every check type declares its parameters and what each one
holds, so that `archgen.review.soundness` can check a rule without running it.
A new check type is one function here, registered with `@check_type`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from archgen.model import Blueprint, field_pairs
from archgen.review.graph import FlowGraph
from archgen.review.rules import Check, RuleSet, as_check
from archgen.review.text import is_written, path_label, text_of

# What a parameter holds: kind names or `$sets`; text paths (see archgen.review.text);
# a concept's name; nested checks; a yes/no; a whole number; `in` or `out`.
ParamKind = Literal["kinds", "paths", "path", "concept", "checks", "flag", "number", "direction"]
Params = Mapping[str, Any]


@dataclass(frozen=True)
class Hit:
    where: tuple[str, ...] = ()
    step: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckType:
    run: Callable[[Context, Params], list[Hit]]
    params: Mapping[str, ParamKind]
    required: tuple[str, ...]
    # The names a rule's text may use, filled from each hit.
    provides: tuple[str, ...] = ()


CHECKS: dict[str, CheckType] = {}


def check_type(
    name: str,
    params: Mapping[str, ParamKind],
    *,
    optional: tuple[str, ...] = (),
    provides: tuple[str, ...] = (),
) -> Callable[[Callable[[Context, Params], list[Hit]]], Callable[[Context, Params], list[Hit]]]:
    """Register a check type under `name`; its parameters are required unless `optional`."""

    def register(
        run: Callable[[Context, Params], list[Hit]],
    ) -> Callable[[Context, Params], list[Hit]]:
        required = tuple(p for p in params if p not in optional)
        CHECKS[name] = CheckType(run, params, required, provides)
        return run

    return register


class Context:
    """One blueprint under review, with what the checks work out about it once."""

    def __init__(self, blueprint: Blueprint, rules: RuleSet) -> None:
        self.blueprint = blueprint
        self.rules = rules

    @cached_property
    def graph(self) -> FlowGraph:
        return FlowGraph.of(self.blueprint)

    def run(self, check: Check) -> list[Hit]:
        return CHECKS[check.type].run(self, check.params)

    def holds(self, check: Check) -> bool:
        return not self.run(check)

    def components_of(self, kinds: str | list[str]) -> list[str]:
        """Ids of the components of these kinds (or `$sets`), in the blueprint's order."""
        wanted = self.rules.kinds(kinds)
        return [c.id for c in self.blueprint.components.values() if c.kind in wanted]

    def mentions(self, concept: str, paths: list[str]) -> bool:
        pattern = self.rules.patterns[concept]
        return any(pattern.search(text_of(self.blueprint, path)) for path in paths)

    def label(self, component: str) -> str:
        return " ".join(self.blueprint.components[component].label.split())


@check_type("kinds_present", {"kinds": "kinds"})
def kinds_present(ctx: Context, params: Params) -> list[Hit]:
    """Passes when some component is of one of `kinds`."""
    return [] if ctx.components_of(params["kinds"]) else [Hit()]


@check_type(
    "path",
    {"from": "kinds", "to": "kinds", "through": "kinds", "avoid": "kinds", "each": "flag"},
    optional=("through", "avoid", "each"),
    provides=("component",),
)
def path(ctx: Context, params: Params) -> list[Hit]:
    """Passes when flows lead from a component of kinds `from` to one of kinds `to`
    (by way of one of kinds `through`, never through one of kinds `avoid`, when
    given); with `each`, from every such component. Passes when no component is
    of kinds `from`: there is nothing to lead."""
    sources = ctx.components_of(params["from"])
    targets = set(ctx.components_of(params["to"]))
    through = set(ctx.components_of(params["through"])) if "through" in params else None
    avoid = set(ctx.components_of(params.get("avoid", [])))
    if not params.get("each"):
        leads = not sources or ctx.graph.leads(sources, targets, through, avoid)
        return [] if leads else [Hit()]
    return [
        Hit((f"components.{s}",), values={"component": ctx.label(s)})
        for s in sources
        if not ctx.graph.leads([s], targets, through, avoid)
    ]


@check_type("field_present", {"fields": "paths", "numbers": "flag"}, optional=("numbers",))
def field_present(ctx: Context, params: Params) -> list[Hit]:
    """Passes when one of `fields` is written (and, with `numbers`, gives a figure)."""
    paths: list[str] = params["fields"]
    for found in (text_of(ctx.blueprint, p) for p in paths):
        if found.strip() and (not params.get("numbers") or re.search(r"\d", found)):
            return []
    return [Hit(tuple(paths))]


@check_type("field_pair", {"fields": "paths"}, provides=("present", "missing"))
def field_pair(ctx: Context, params: Params) -> list[Hit]:
    """Passes when both `fields` (two paths) are written, or neither is."""
    first, second = params["fields"]
    if is_written(ctx.blueprint, first) == is_written(ctx.blueprint, second):
        return []
    present, missing = (first, second) if is_written(ctx.blueprint, first) else (second, first)
    values = {"present": path_label(present), "missing": path_label(missing)}
    return [Hit((present,), values=values)]


@check_type("mentions", {"concept": "concept", "in": "paths"})
def mentions(ctx: Context, params: Params) -> list[Hit]:
    """Passes when the text at one of the paths `in` names the `concept`."""
    paths: list[str] = params["in"]
    return [] if ctx.mentions(params["concept"], paths) else [Hit(tuple(paths))]


@check_type("answered", {"field": "path"}, provides=("count", "total"))
def answered(ctx: Context, params: Params) -> list[Hit]:
    """Passes when every item of a question-and-answer `field` gives its answer."""
    step, _, name = str(params["field"]).partition(".")
    pairs = field_pairs(ctx.blueprint.step(step).value(name))
    open_items = [question for question, answer in pairs if not answer.strip()]
    if not open_items:
        return []
    values = {"count": str(len(open_items)), "total": str(len(pairs))}
    return [Hit((params["field"],), values=values)]


@check_type(
    "orphans",
    {"direction": "direction", "except": "kinds"},
    optional=("except",),
    provides=("component",),
)
def orphans(ctx: Context, params: Params) -> list[Hit]:
    """A hit for each component no flow enters (`direction: in`) or leaves (`out`),
    unless it is of kinds `except`; it concerns the component's own step."""
    neighbours = ctx.graph.predecessors if params["direction"] == "in" else ctx.graph.successors
    exempt = set(ctx.components_of(params.get("except", [])))
    return [
        Hit((f"components.{c.id}",), step=c.step, values={"component": ctx.label(c.id)})
        for c in ctx.blueprint.components.values()
        if not neighbours[c.id] and c.id not in exempt
    ]


@check_type("any_of", {"checks": "checks"})
def any_of(ctx: Context, params: Params) -> list[Hit]:
    """Passes when one of `checks` passes; otherwise gives the first one's hits."""
    results = [ctx.run(as_check(entry)) for entry in params["checks"]]
    return [] if any(not hits for hits in results) else results[0]


@check_type("latency_budget", {"field": "path", "at_most_ms": "number"})
def latency_budget(ctx: Context, params: Params) -> list[Hit]:
    """Passes when `field` states a latency budget of `at_most_ms` or less: the
    largest time it gives, for that is the end-to-end figure. As a condition,
    it picks out the designs whose budget is tight."""
    budget = largest_time_ms(text_of(ctx.blueprint, params["field"]))
    fits = budget is not None and budget <= params["at_most_ms"]
    return [] if fits else [Hit((params["field"],))]


_TIME = re.compile(r"(\d+(?:[.,]\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?)(?!\w)", re.I)


def largest_time_ms(text: str) -> float | None:
    """The largest time in milliseconds or seconds that `text` gives, in milliseconds.

    >>> largest_time_ms("retrieval 30 ms, ranking 100 ms; 1.5 s to the first token")
    1500.0
    """
    times = [
        float(number.replace(",", "")) * (1 if unit.lower().startswith("m") else 1000)
        for number, unit in _TIME.findall(text)
    ]
    return max(times, default=None)
