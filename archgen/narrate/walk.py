"""A walk along the architecture: one paragraph per component, in flow order.

The narrative's "The architecture, step by step" section reads the graph the
way a person explains a diagram: start where requests and data come from,
follow the flows downstream, and say for each component what it is, what it
does (the blueprint's own description, else its kind's) and how it connects.
The order is a depth-first walk, so a reader follows one path to its end
before going back to the next branch.

Each flow is told once, in the paragraph the walk reaches first, with a verb
chosen by what stands at its two ends: a service *writes to* a store and
*reads from* it, a store *feeds* a service, a client *calls* one and is
*served*. The flows join the description's sentence, so a component's
paragraph says what it does and what it is connected to in one breath, and
no paragraph is a string of "sends data to".

The prose is kept as :class:`Span` runs rather than finished text, so that
the Markdown and HTML templates can each escape and emphasise it their own
way: ``name`` spans are component or group labels, ``term`` spans are flow
labels, and ``plain`` spans are everything else. A name span that mentions
another component carries its id in ``ref``, so HTML can link to its paragraph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from archgen.catalog import Catalog, load_catalog
from archgen.model import Blueprint, Component, Flow
from archgen.narrate.text import squash

# Where requests and data come from: the walk starts there, clients first so
# that the request path is told before the data path.
ENTRY_KINDS: tuple[str, ...] = ("client", "data_source")
# Kinds that hold data for others to read: a flow into one writes, a flow out of one feeds.
STORE_KINDS = frozenset(
    {
        "event_stream",
        "data_lake",
        "data_warehouse",
        "database",
        "object_storage",
        "feature_store",
        "experiment_tracking",
        "model_registry",
        "vector_index",
        "search_index",
        "cache",
        "prediction_log",
    }
)
CLIENT_KINDS = frozenset({"client"})
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


Role = Literal["store", "client", "service"]


@dataclass(frozen=True)
class _Verb:
    """How a flow reads from the end that tells it: with its label ('writes *logs* to X')
    and without ('writes to X')."""

    labelled: str
    preposition: str
    bare: str


# What a flow says, by the side of the end that tells it and the roles at both ends.
_WRITE = _Verb("writes", "to", "writes to")
_FEED = _Verb("feeds", "to", "feeds")
_SEND = _Verb("sends", "to", "feeds")
_CALL = _Verb("sends", "to", "calls")
_SERVE = _Verb("sends", "to", "serves")
_READ = _Verb("reads", "from", "reads from")
_STORE = _Verb("stores", "from", "stores the output of")
_HEAR = _Verb("receives", "from", "serves")
_SERVED = _Verb("receives", "from", "is served by")
_RECEIVE = _Verb("receives", "from", "takes input from")
_EXCHANGE = _Verb("exchanges", "with", "works with")


# The verb a flow is told with: by whether it leaves or reaches the end that tells it,
# that end's role and the other end's ("*" for any). The first rule that fits wins.
_VERB_RULES: tuple[tuple[bool, str, str, _Verb], ...] = (
    (True, "service", "store", _WRITE),
    (True, "client", "store", _WRITE),
    (True, "client", "*", _CALL),
    (True, "*", "client", _SERVE),
    (True, "store", "*", _FEED),
    (True, "*", "*", _SEND),
    (False, "service", "store", _READ),
    (False, "client", "store", _READ),
    (False, "*", "client", _HEAR),
    (False, "client", "*", _SERVED),
    (False, "store", "*", _STORE),
    (False, "*", "*", _RECEIVE),
)


def _verb_for(leaves: bool, subject: Role, other: Role) -> _Verb:
    return next(
        verb
        for out, this, that, verb in _VERB_RULES
        if out == leaves and this in ("*", subject) and that in ("*", other)
    )


class _Narrator:
    """Writes the paragraphs; knows the labels, which flows touch what, and who tells each."""

    def __init__(self, blueprint: Blueprint, catalog: Catalog, order: Sequence[str]) -> None:
        self.blueprint = blueprint
        self.catalog = catalog
        self.flows_at: dict[str, list[Flow]] = defaultdict(list)
        for flow in blueprint.flows:
            self.flows_at[flow.source].append(flow)
            if flow.target != flow.source:
                self.flows_at[flow.target].append(flow)
        # A group is told with the first member the walk meets, at that member's place.
        self.place = {component: place for place, component in enumerate(order)}
        for component in order:
            for group in self.blueprint.groups_of(component):
                self.place.setdefault(group, self.place[component])
        self.group_teller = {group: order[self.place[group]] for group in blueprint.groups}
        # Where each flow comes in the telling: by its teller's place, a group's flows after
        # its teller's own, then as declared. A flow whose reverse came earlier is an answer.
        self.rank = {
            flow: (self.place[self.teller(flow)], blueprint.is_group(self.teller(flow)), index)
            for index, flow in enumerate(blueprint.flows)
        }
        self.one_way = {(f.source, f.target): f for f in blueprint.flows if not f.two_way}

    def paragraph(self, component: str) -> Prose:
        told_groups = [
            g
            for g in self.blueprint.groups_of(component)
            if self.group_teller[g] == component and self.told_at(g)
        ]
        sentences = [self.identity(self.blueprint.components[component])]
        description = squash(self.blueprint.components[component].description)
        sentences.extend(self.what_it_does(description, self.clauses(component)))
        sentences.extend(self.group_sentence(g, component) for g in told_groups)
        if not self.is_connected(component):
            sentences.append(_sentence([Span("It is not connected to any other component")]))
        return _join(sentences, (Span(" "),))

    def what_it_does(self, description: str, clauses: list[Prose]) -> list[Prose]:
        """The description, and the flows told here as clauses of the same sentence (the
        description is what makes the sentence this blueprint's own)."""
        if not clauses:
            return [_sentence([Span(description)])] if description else []
        flows = _join(clauses, (Span("; it "),))
        if not description:
            return [_sentence([Span("It "), *flows])]
        if description.endswith(SENTENCE_ENDS) and not description.endswith("."):
            return [_sentence([Span(description)]), _sentence([Span("It "), *flows])]
        return [_sentence([Span(description.removesuffix(".") + "; it "), *flows])]

    def is_connected(self, component: str) -> bool:
        return any(
            self.flows_at[ident] for ident in (component, *self.blueprint.groups_of(component))
        )

    def identity(self, component: Component) -> Prose:
        """The label, then the kind (unless the label already says it) and tech."""
        spans = [Span(self.label(component.id), "name")]
        kind = squash(self.catalog.kinds[component.kind].label)
        same = kind.casefold() == self.label(component.id).casefold()
        details = [] if same else [common_noun(kind)]
        if component.tech:
            details.append(squash(self.catalog.techs[component.tech].label))
        if details:
            spans.append(Span(f" ({' on '.join(details)})"))
        return _sentence(spans)

    def group_sentence(self, group: str, component: str) -> Prose:
        return _sentence(
            [
                Span("It belongs to "),
                *self.name(group, component),
                Span(", which "),
                *_join(self.clauses(group), (Span("; it "),)),
            ]
        )

    def told_at(self, subject: str) -> list[Flow]:
        """The flows the subject's paragraph tells: those the walk meets there first."""
        return [f for f in self.flows_at[subject] if self.teller(f) == subject]

    def teller(self, flow: Flow) -> str:
        return min((flow.source, flow.target), key=lambda end: self.place.get(end, len(self.place)))

    def clauses(self, subject: str) -> list[Prose]:
        """The flows told here, one clause per verb ('writes *x* to A and *y* to B'); when
        each verb has one item with one end, the clauses share one 'it' ('reads A and
        writes B'), so that no clause strings 'and' inside 'and'."""
        by_verb: dict[str, dict[tuple[str, str], list[str]]] = {}
        for flow in self.told_at(subject):
            verb, other = self.verb(flow, subject)
            label = squash(flow.label)
            back = "back " if self.answers(flow) else ""
            said = (verb.labelled, back + verb.preposition) if label else (verb.bare, "")
            by_verb.setdefault(said[0], {}).setdefault((label, said[1]), []).append(other)
        clauses = [
            (Span(f"{verb} "), *_join_words([self.item(i, subject) for i in items.items()]))
            for verb, items in by_verb.items()
        ]
        single = all(
            len(items) == 1 and len(set(*items.values())) == 1 for items in by_verb.values()
        )
        if single:
            return [_join_words(clauses)] if clauses else []
        return clauses

    def answers(self, flow: Flow) -> bool:
        """Whether the flow goes back along one told before it."""
        reverse = self.one_way.get((flow.target, flow.source))
        return (
            not flow.two_way
            and flow.source != flow.target
            and reverse is not None
            and self.rank[reverse] < self.rank[flow]
        )

    def item(self, said: tuple[tuple[str, str], list[str]], subject: str) -> Prose:
        """'*label* to A and B', or 'A and B' for an unlabelled flow."""
        (label, preposition), ends = said
        names = _join_words([self.name(end, subject) for end in dict.fromkeys(ends)])
        if not label:
            return names
        return (Span(label, "term"), Span(f" {preposition} "), *names)

    def verb(self, flow: Flow, subject: str) -> tuple[_Verb, str]:
        """The verb the subject's paragraph tells `flow` with, and its other end."""
        other = _other(flow, subject)
        if flow.two_way:
            return _EXCHANGE, other
        leaves = flow.source == subject
        return _verb_for(leaves, self.role(subject), self.role(other)), other

    def role(self, end: str) -> Role:
        kind = "" if self.blueprint.is_group(end) else self.blueprint.components[end].kind
        if kind in STORE_KINDS:
            return "store"
        return "client" if kind in CLIENT_KINDS else "service"

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


def common_noun(label: str) -> str:
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
