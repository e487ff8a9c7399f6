"""The walk along the architecture: order, coverage and how the prose reads."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from archgen.format import STEP_NAMES
from archgen.model import Blueprint, Component, Flow, Group, Step
from archgen.narrate.walk import Prose, visit_order, walk


def comp(ident: str, kind: str = "stream_processor", **fields: str) -> Component:
    """A component whose label is its id, so tests read like the graph."""
    values = {"label": ident, "description": "", "step": "data", **fields}
    return Component(id=ident, kind=kind, **values)


def graph(components: list[Component], flows: list[Flow], groups: list[Group] = ()) -> Blueprint:
    return Blueprint(
        id="walk-test",
        title="Walk test",
        source=Path("walk-test.yaml"),
        components={c.id: c for c in components},
        steps=tuple(Step(name, n) for n, name in enumerate(STEP_NAMES, start=1)),
        groups={g.id: g for g in groups},
        flows=tuple(flows),
    )


def text(prose: Prose) -> str:
    return "".join(span.text for span in prose)


def paragraphs(blueprint: Blueprint) -> dict[str, str]:
    return {stop.component.id: text(stop.prose) for stop in walk(blueprint)}


def test_walk_starts_at_clients_then_data_sources_and_goes_depth_first_in_flow_order():
    blueprint = graph(
        [
            comp("etl"),
            comp("corpus", "data_source"),
            comp("api"),
            comp("b"),
            comp("a"),
            comp("users", "client"),
        ],
        [
            Flow("users", "api"),
            Flow("api", "a"),
            Flow("a", "etl"),
            Flow("api", "b"),
            Flow("corpus", "etl"),
        ],
    )
    assert visit_order(blueprint) == ("users", "api", "a", "etl", "b", "corpus")


def test_components_without_incoming_flows_start_the_walk_after_entry_kinds():
    blueprint = graph(
        [comp("sink"), comp("job"), comp("store")],
        [Flow("job", "store"), Flow("store", "sink")],
    )
    assert visit_order(blueprint) == ("job", "store", "sink")


CASES = {
    "cycle": graph(
        [comp("a"), comp("b"), comp("c")], [Flow("a", "b"), Flow("b", "c"), Flow("c", "a")]
    ),
    "disconnected": graph(
        [comp("a"), comp("b"), comp("alone"), comp("x"), comp("y")],
        [Flow("a", "b"), Flow("x", "y"), Flow("y", "x")],
    ),
    "groups": graph(
        [
            comp("src"),
            comp("t1", group="train"),
            comp("t2", group="inner"),
            comp("s", group="serve"),
        ],
        [Flow("src", "train"), Flow("train", "serve", "models"), Flow("t1", "t2")],
        [
            Group("train", "Training"),
            Group("inner", "Inner", parent="train"),
            Group("serve", "Serving"),
        ],
    ),
    "two-way and self-loop": graph(
        [comp("api"), comp("cache"), comp("retry")],
        [Flow("api", "cache", "lookups", two_way=True), Flow("retry", "retry", "again")],
    ),
}


@pytest.mark.parametrize("blueprint", CASES.values(), ids=CASES.keys())
def test_every_component_is_told_exactly_once(blueprint: Blueprint):
    told = Counter(stop.component.id for stop in walk(blueprint))
    assert told == Counter(list(blueprint.components))


def test_a_flow_into_a_group_leads_to_its_members_nested_ones_included():
    # src -> train reaches t1 and t2; from t1, train -> serve is declared before t1 -> t2.
    assert visit_order(CASES["groups"]) == ("src", "t1", "s", "t2")


def test_paragraph_names_kind_tech_and_description_and_the_flows_both_ways():
    blueprint = graph(
        [
            comp("users", "client", label="Viewers"),
            comp("api", "api_gateway", label="API gateway", tech="fastapi", description="Routes"),
            comp("events", "event_stream", label="Events", tech="kafka"),
        ],
        [
            Flow("users", "api", "feed request"),
            Flow("api", "users", "ranked videos"),
            Flow("users", "events", "watches, likes"),
        ],
    )
    told = paragraphs(blueprint)
    assert told["users"] == (
        "Viewers (client). It receives ranked videos from API gateway. "
        "It sends feed request back to API gateway and watches, likes to Events."
    )
    # The label says the kind already, so only the tech is added.
    assert told["api"] == (
        "API gateway (FastAPI). Routes. It receives feed request from Viewers "
        "and sends ranked videos back to Viewers."
    )
    assert told["events"].startswith("Events (event stream on Apache Kafka). ")


def test_unlabelled_flows_two_way_flows_and_self_loops_read_naturally():
    told = paragraphs(
        graph(
            [comp("a"), comp("b"), comp("c"), comp("llm", "llm", label="Writer")],
            [
                Flow("a", "b"),
                Flow("a", "c"),
                Flow("a", "llm", "prompts", two_way=True),
                Flow("a", "a", "retries"),
            ],
        )
    )
    assert told["a"].endswith(
        "It exchanges prompts with Writer. It sends data to b and c and retries to itself."
    )
    assert told["llm"] == "Writer (LLM). It exchanges prompts with a."


def test_group_endpoints_read_as_groups_and_are_told_once_by_the_first_member():
    told = paragraphs(CASES["groups"])
    assert told["src"] == "src (stream processor). It sends data to the Training group."
    assert "It belongs to the Training group, which receives data from src and sends" in told["t1"]
    assert "models to the Serving group." in told["t1"]
    assert "belongs" not in told["t2"]
    assert told["s"].endswith(
        "It belongs to the Serving group, which receives models from the Training group."
    )


def test_a_group_label_that_says_group_is_not_doubled():
    told = paragraphs(
        graph(
            [comp("a"), comp("b", group="g")],
            [Flow("a", "g")],
            [Group("g", "Training group")],
        )
    )
    assert told["a"].endswith("It sends data to the Training group.")


def test_a_disconnected_component_says_so():
    assert paragraphs(CASES["disconnected"])["alone"] == (
        "alone (stream processor). It is not connected to any other component."
    )


def test_labels_and_descriptions_ending_a_sentence_get_no_second_full_stop():
    told = paragraphs(
        graph(
            [comp("a", label="Acme Inc.", description="Does things."), comp("b", label="Corp.")],
            [Flow("a", "b")],
        )
    )
    assert told["a"] == "Acme Inc. (stream processor). Does things. It sends data to Corp."
    assert told["b"] == "Corp. (stream processor). It receives data from Acme Inc."


def test_newlines_in_labels_become_spaces_in_prose():
    told = paragraphs(graph([comp("a", label="Feature\nstore")], []))
    assert told["a"].startswith("Feature store (stream processor).")


def test_more_than_two_items_are_joined_with_commas_and_a_final_and():
    told = paragraphs(
        graph(
            [comp("hub"), comp("a"), comp("b"), comp("c")],
            [Flow("hub", "a", "x"), Flow("hub", "b", "y"), Flow("hub", "c", "z")],
        )
    )
    assert told["hub"].endswith("It sends x to a, y to b and z to c.")


@pytest.mark.parametrize("blueprint", CASES.values(), ids=CASES.keys())
def test_prose_has_no_artefacts(blueprint: Blueprint):
    for paragraph in paragraphs(blueprint).values():
        assert "None" not in paragraph
        assert not re.search(r"\.\.|  | [,.]|,,|from to|to to", paragraph), paragraph
        assert paragraph.endswith(".")
