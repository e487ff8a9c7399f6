"""The walk along the architecture: order, coverage and how the prose reads."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from itertools import pairwise
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


def test_paragraph_names_kind_tech_and_description_and_tells_each_flow_once():
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
    # The walk meets Viewers first, so Viewers' paragraph tells all three flows.
    assert told["users"] == (
        "Viewers (client). It sends feed request to API gateway, receives ranked videos back"
        " from API gateway and writes watches, likes to Events."
    )
    # The label says the kind already, so only the tech is added.
    assert told["api"] == "API gateway (FastAPI). Routes."
    assert told["events"] == "Events (event stream on Apache Kafka)."


def test_each_flow_is_told_in_exactly_one_paragraph():
    blueprint = CASES["groups"]
    walked = walk(blueprint)
    # By its two ends, whichever end's paragraph tells it.
    mentions = Counter(
        frozenset((stop.component.id, span.ref))
        for stop in walked
        for span in stop.prose
        if span.ref
    )
    assert all(count == 1 for count in mentions.values()), mentions
    assert frozenset({"t1", "t2"}) in mentions


def test_a_description_and_the_flows_told_with_it_make_one_sentence():
    told = paragraphs(
        graph(
            [comp("a", description="Joins clicks with impressions."), comp("b"), comp("c")],
            [Flow("a", "b", "joined rows"), Flow("a", "c", "late clicks"), Flow("c", "a")],
        )
    )
    assert told["a"] == (
        "a (stream processor). Joins clicks with impressions; it sends joined rows to b"
        " and late clicks to c; it takes input from c."
    )


def test_a_description_ending_in_a_question_keeps_its_own_sentence():
    told = paragraphs(graph([comp("a", description="Why not?"), comp("b")], [Flow("a", "b")]))
    assert told["a"] == "a (stream processor). Why not? It feeds b."


VERBS = graph(
    [
        comp("users", "client"),
        comp("api", "api_gateway"),
        comp("ranker", "ranker"),
        comp("features", "feature_store"),
        comp("log", "prediction_log"),
        comp("lake", "data_lake"),
        comp("etl", "batch_etl"),
    ],
    [
        Flow("users", "api"),
        Flow("api", "users"),
        Flow("api", "ranker"),
        Flow("features", "ranker"),
        Flow("ranker", "log"),
        Flow("log", "lake"),
        Flow("lake", "etl"),
        Flow("etl", "features"),
    ],
)


def test_unlabelled_flows_take_their_verb_from_the_kinds_at_both_ends():
    told = paragraphs(VERBS)
    assert told == {
        "users": "users (client). It calls api and is served by api.",
        "api": "api (API gateway). It feeds ranker.",
        "ranker": "ranker. It reads from features and writes to log.",
        "log": "log (prediction log). It feeds lake.",
        "lake": "lake (data lake). It feeds etl.",
        "etl": "etl (batch ETL). It writes to features.",
        "features": "features (feature store).",
    }


def test_labelled_flows_take_their_verb_from_the_kinds_too():
    labelled = replace(VERBS, flows=tuple(replace(f, label="x") for f in VERBS.flows))
    told = paragraphs(labelled)
    assert told["users"] == "users (client). It sends x to api and receives x back from api."
    assert told["ranker"] == "ranker. It reads x from features and writes x to log."
    assert told["log"] == "log (prediction log). It feeds x to lake."
    assert told["features"] == "features (feature store)."


def test_a_store_tells_what_it_stores_and_a_client_what_serves_it():
    told = paragraphs(
        graph(
            [comp("db", "database"), comp("job"), comp("users", "client"), comp("api")],
            [Flow("job", "db"), Flow("api", "users"), Flow("db", "api", "rows")],
        )
    )
    assert told["users"] == "users (client). It is served by api."
    assert told["job"] == "job (stream processor). It writes to db."
    assert told["db"] == "db (database). It feeds rows to api."


def test_no_paragraph_sends_data_however_many_unlabelled_flows_there_are():
    chain = [
        comp(f"s{n}", kind)
        for n, kind in enumerate(
            ["client", "api_gateway", "ranker", "cache", "ranker", "database", "batch_etl"]
        )
    ]
    flows = [Flow(a.id, b.id) for a, b in pairwise(chain)]
    told = paragraphs(graph(chain, flows))
    verbs = [
        re.sub(r" s\d.*", "", text.split(". It ", 1)[1])
        for text in told.values()
        if ". It " in text
    ]
    assert not any("data" in text.replace("(database)", "") for text in told.values())
    assert verbs == ["calls", "feeds", "writes to", "feeds", "writes to", "feeds"]


def test_two_way_flows_and_self_loops_read_naturally():
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
    assert told["a"] == (
        "a (stream processor). It feeds b and c; it exchanges prompts with Writer;"
        " it sends retries to itself."
    )
    assert told["llm"] == "Writer (LLM)."


def test_group_endpoints_read_as_groups_and_are_told_once_by_the_first_member():
    told = paragraphs(CASES["groups"])
    assert told["src"] == "src (stream processor). It feeds the Training group."
    assert told["t1"] == (
        "t1 (stream processor). It feeds t2."
        " It belongs to the Training group, which sends models to the Serving group."
    )
    assert told["t2"] == "t2 (stream processor)."
    assert told["s"] == "s (stream processor)."


def test_a_group_label_that_says_group_is_not_doubled():
    told = paragraphs(
        graph(
            [comp("a"), comp("b", group="g")],
            [Flow("a", "g")],
            [Group("g", "Training group")],
        )
    )
    assert told["a"].endswith("It feeds the Training group.")


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
    assert told["a"] == "Acme Inc. (stream processor). Does things; it feeds Corp."
    assert told["b"] == "Corp. (stream processor)."


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
