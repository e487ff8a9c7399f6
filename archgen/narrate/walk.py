"""A walk along the architecture: one paragraph per component, in flow order.

The narrative's "The architecture, step by step" section reads the graph the
way a person explains a diagram: start where requests and data come from,
follow the flows downstream, and say for each component what it is and what
it receives, exchanges and sends. The order is a depth-first walk, so a
reader follows one path to its end before going back to the next branch.

The prose is kept as :class:`Span` runs rather than finished text, so that
the Markdown and HTML templates can each escape and emphasise it their own
way: ``name`` spans are component or group labels, ``term`` spans are flow
labels, and ``plain`` spans are everything else. A name span that mentions
another component carries its id in ``ref``, so HTML can link to its paragraph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from archgen.catalog import Catalog, load_catalog
from archgen.model import Blueprint, Component, Flow
from archgen.narrate.text import squash

# Where requests and data come from: the walk starts there, clients first so
# that the request path is told before the data path.
ENTRY_KINDS: tuple[str, ...] = ("client", "data_source")
SENTENCE_ENDS: tuple[str, ...] = (".", "!", "?", "…")


@dataclass(frozen=True)
class Span:
    text: str
    style: Literal["plain", "name", "term"] = "plain"
    ref: str = ""


Prose = tuple[Span, ...]


@dataclass(frozen=True)
class Stop:
    """One component of the walk and the paragraph that presents it."""

    component: Component
    prose: Prose


def walk(blueprint: Blueprint, catalog: Catalog | None = None) -> tuple[Stop, ...]:
    """Every component exactly once, entry points first, then downstream."""
    order = visit_order(blueprint)
    narrator = _Narrator(blueprint, catalog or load_catalog(), order)
    return tuple(Stop(blueprint.components[c], narrator.paragraph(c)) for c in order)


def visit_order(blueprint: Blueprint) -> tuple[str, ...]:
    """Component ids depth-first from the entry points, following flows in the
    order they are declared; a part no entry point reaches starts at its first
    component, so cycles and disconnected parts are covered too."""
    downstream = _downstream(blueprint)
    order: list[str] = []
    seen: set[str] = set()
    for start in _starts(blueprint, downstream):
        stack = [start]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            order.append(current)
            stack.extend(reversed([n for n in downstream[current] if n not in seen]))
    return tuple(order)


def _members(blueprint: Blueprint, endpoint: str) -> tuple[str, ...]:
    """The components a flow endpoint stands for: a group means all its members."""
    return blueprint.group_members(endpoint) if blueprint.is_group(endpoint) else (endpoint,)


def _downstream(blueprint: Blueprint) -> dict[str, list[str]]:
    downstream: dict[str, list[str]] = defaultdict(list)
    for flow in blueprint.flows:
        sources = _members(blueprint, flow.source)
        targets = _members(blueprint, flow.target)
        for source in sources:
            downstream[source].extend(targets)
        if flow.two_way:
            for target in targets:
                downstream[target].extend(sources)
    return downstream


def _starts(blueprint: Blueprint, downstream: dict[str, list[str]]) -> list[str]:
    reached = {target for targets in downstream.values() for target in targets}
    components = list(blueprint.components.values())
    entry_kinds = [c.id for kind in ENTRY_KINDS for c in components if c.kind == kind]
    unreached = [c.id for c in components if c.id not in reached]
    return [*entry_kinds, *unreached, *blueprint.components]


class _Narrator:
    """Writes the paragraphs; knows the labels and which flows touch what."""

    def __init__(self, blueprint: Blueprint, catalog: Catalog, order: Sequence[str]) -> None:
        self.blueprint = blueprint
        self.catalog = catalog
        self.flows_at: dict[str, list[Flow]] = defaultdict(list)
        for flow in blueprint.flows:
            self.flows_at[flow.source].append(flow)
            if flow.target != flow.source:
                self.flows_at[flow.target].append(flow)
        # A group's own flows are told once, with the first member the walk meets.
        self.group_teller: dict[str, str] = {}
        for component in order:
            for group in self.blueprint.groups_of(component):
                self.group_teller.setdefault(group, component)

    def paragraph(self, component: str) -> Prose:
        told_groups = [
            g
            for g in self.blueprint.groups_of(component)
            if self.group_teller[g] == component and self.flows_at[g]
        ]
        sentences = [self.identity(self.blueprint.components[component])]
        description = squash(self.blueprint.components[component].description)
        if description:
            sentences.append(_sentence([Span(description)]))
        sentences.extend(self.flow_sentences(component))
        sentences.extend(self.group_sentence(g, component) for g in told_groups)
        if not self.is_connected(component):
            sentences.append(_sentence([Span("It is not connected to any other component")]))
        return _join(sentences, (Span(" "),))

    def is_connected(self, component: str) -> bool:
        return any(
            self.flows_at[ident] for ident in (component, *self.blueprint.groups_of(component))
        )

    def identity(self, component: Component) -> Prose:
        """The label, then the kind (unless the label already says it) and tech."""
        spans = [Span(self.label(component.id), "name")]
        kind = squash(self.catalog.kinds[component.kind].label)
        same = kind.casefold() == self.label(component.id).casefold()
        details = [] if same else [_common_noun(kind)]
        if component.tech:
            details.append(squash(self.catalog.techs[component.tech].label))
        if details:
            spans.append(Span(f" ({' on '.join(details)})"))
        return _sentence(spans)

    def flow_sentences(self, component: str) -> list[Prose]:
        """One sentence when each verb has one item, else one sentence per verb,
        so that no sentence strings 'and' inside 'and'."""
        clauses = self.clauses(component)
        if not clauses:
            return []
        if all(len(items) == 1 for _, items in clauses):
            joined = _join_words([_clause(verb, items) for verb, items in clauses])
            return [_sentence([Span("It "), *joined])]
        return [_sentence([Span("It "), *_clause(verb, items)]) for verb, items in clauses]

    def group_sentence(self, group: str, component: str) -> Prose:
        clauses = [_clause(verb, items) for verb, items in self.clauses(group)]
        return _sentence(
            [
                Span("It belongs to "),
                *self.name(group, component),
                Span(", which "),
                *_join_words(clauses),
            ]
        )

    def clauses(self, subject: str) -> list[tuple[str, list[Prose]]]:
        """What the subject receives, exchanges and sends, as verb and items."""
        flows = self.flows_at[subject]
        incoming = [
            f for f in flows if not f.two_way and f.target == subject and f.source != subject
        ]
        exchanged = [f for f in flows if f.two_way]
        outgoing = [f for f in flows if not f.two_way and f.source == subject]
        senders = {f.source for f in incoming}
        verbs = [
            ("receives", self.items(subject, incoming, lambda f: (f.source, "from"))),
            ("exchanges", self.items(subject, exchanged, lambda f: (_other(f, subject), "with"))),
            (
                "sends",
                self.items(
                    subject,
                    outgoing,
                    lambda f: (f.target, "back to" if f.target in senders else "to"),
                ),
            ),
        ]
        return [(verb, items) for verb, items in verbs if items]

    def items(
        self, subject: str, flows: Iterable[Flow], end_of: Callable[[Flow], tuple[str, str]]
    ) -> list[Prose]:
        """One item per flow label and preposition: '*label* from A and B'."""
        grouped: dict[tuple[str, str], list[str]] = {}
        for flow in flows:
            endpoint, preposition = end_of(flow)
            grouped.setdefault((squash(flow.label), preposition), []).append(endpoint)
        return [
            (
                Span(label, "term") if label else Span("data"),
                Span(f" {preposition} "),
                *_join_words([self.name(e, subject) for e in dict.fromkeys(endpoints)]),
            )
            for (label, preposition), endpoints in grouped.items()
        ]

    def name(self, endpoint: str, subject: str) -> Prose:
        if endpoint == subject:
            return (Span("itself"),)
        if not self.blueprint.is_group(endpoint):
            return (Span(self.label(endpoint), "name", ref=endpoint),)
        label = squash(self.blueprint.groups[endpoint].label) or endpoint
        suffix = () if label.casefold().endswith("group") else (Span(" group"),)
        return (Span("the "), Span(label, "name"), *suffix)

    def label(self, component: str) -> str:
        return squash(self.blueprint.components[component].label) or component


def _other(flow: Flow, subject: str) -> str:
    return flow.target if flow.source == subject else flow.source


def _clause(verb: str, items: list[Prose]) -> Prose:
    return (Span(f"{verb} "), *_join_words(items))


def _common_noun(label: str) -> str:
    """'Event stream' reads 'event stream' mid-sentence; 'API gateway' stays."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[1:] == first[1:].lower():
        return label[0].lower() + label[1:]
    return label


def _join_words(items: Sequence[Prose]) -> Prose:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 1:
        return tuple(span for item in items for span in item)
    return (*_join(items[:-1], (Span(", "),)), Span(" and "), *items[-1])


def _join(items: Sequence[Prose], separator: Prose) -> Prose:
    spans: list[Span] = []
    for index, item in enumerate(items):
        if index:
            spans.extend(separator)
        spans.extend(item)
    return tuple(spans)


def _sentence(spans: Sequence[Span]) -> Prose:
    """The spans with a full stop, unless the last one already ends a sentence."""
    if spans[-1].text.rstrip().endswith(SENTENCE_ENDS):
        return tuple(spans)
    return (*spans, Span("."))
