"""The catalog keeps the spec's promises: every kind and tech, sound entries, real icons."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import diagrams
import pytest

from archgen.catalog import (
    Catalog,
    Kind,
    Tech,
    catalog_listing,
    catalog_problems,
    icon_file,
    load_catalog,
)
from archgen.model import FLAVORS, Component

# Copied from the spec (blueprint-spec.md, "Components"): the catalog holds at least these.
SPEC_KINDS = [
    "client",
    "api_gateway",
    "load_balancer",
    "data_source",
    "event_stream",
    "stream_processor",
    "batch_etl",
    "data_lake",
    "data_warehouse",
    "database",
    "object_storage",
    "data_validation",
    "labeling",
    "human_review",
    "feature_pipeline",
    "feature_store",
    "embedding_model",
    "dataset_builder",
    "training_pipeline",
    "hyperparameter_tuning",
    "experiment_tracking",
    "model_registry",
    "offline_evaluation",
    "model_compression",
    "batch_inference",
    "online_inference",
    "indexing_pipeline",
    "vector_index",
    "search_index",
    "candidate_generation",
    "ranker",
    "re_ranker",
    "cache",
    "experimentation",
    "prediction_log",
    "monitoring",
    "drift_detection",
    "alerting",
    "orchestrator",
    "llm",
    "guardrails",
    "notebook",
]

SPEC_TECHS = [
    "kafka",
    "flink",
    "spark",
    "beam",
    "airflow",
    "kubeflow",
    "mlflow",
    "redis",
    "cassandra",
    "postgres",
    "qdrant",
    "elasticsearch",
    "s3",
    "bigquery",
    "snowflake",
    "sagemaker",
    "bedrock",
    "vertex-ai",
    "prometheus",
    "grafana",
    "fastapi",
    "kubernetes",
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_every_kind_the_spec_lists_is_there(catalog: Catalog) -> None:
    assert len(SPEC_KINDS) == 42
    assert sorted(set(SPEC_KINDS) - set(catalog.kinds)) == []


def test_every_tech_the_spec_lists_is_there_among_at_least_forty(catalog: Catalog) -> None:
    assert sorted(set(SPEC_TECHS) - set(catalog.techs)) == []
    assert len(catalog.techs) >= 40


def test_the_bundled_catalog_breaks_none_of_its_rules(catalog: Catalog) -> None:
    assert catalog_problems(catalog) == []


def test_every_kind_has_an_icon_file_in_every_flavor(catalog: Catalog) -> None:
    for kind in catalog.kinds.values():
        assert tuple(kind.icons) == FLAVORS, kind.name
        for ref in kind.icons.values():
            assert icon_file(ref).is_file(), ref


# Kinds that often share a diagram: a reader tells them apart by their icons.
KINDS_SEEN_TOGETHER = [
    ("feature_store", "cache", "database", "vector_index"),
    ("candidate_generation", "ranker", "re_ranker", "online_inference"),
    ("monitoring", "drift_detection", "alerting", "prediction_log"),
    ("training_pipeline", "offline_evaluation", "model_registry", "dataset_builder"),
    ("embedding_model", "vector_index", "search_index", "llm", "guardrails"),
    ("event_stream", "stream_processor", "batch_etl", "batch_inference", "indexing_pipeline"),
]


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize("kinds", KINDS_SEEN_TOGETHER, ids="-".join)
def test_kinds_seen_together_look_different(
    catalog: Catalog, flavor: str, kinds: tuple[str, ...]
) -> None:
    """Compared by PNG file, since two diagrams classes may alias one picture."""
    pictures = {kind: icon_file(catalog.kinds[kind].icons[flavor]) for kind in kinds}
    assert len(set(pictures.values())) == len(kinds), pictures


def test_no_kind_is_drawn_as_a_flowchart_shape(catalog: Catalog) -> None:
    """Flowchart symbols read as placeholders next to product icons."""
    flowchart = [
        (kind.name, flavor)
        for kind in catalog.kinds.values()
        for flavor, ref in kind.icons.items()
        if ref.startswith("programming.flowchart.")
    ]
    assert flowchart == []


def test_descriptions_read_as_one_sentence_after_the_component_name(catalog: Catalog) -> None:
    """The narrative writes "<label>: <description>", so each starts with a capital."""
    for kind in catalog.kinds.values():
        assert kind.description[0].isupper(), kind.name
        assert kind.description.endswith("."), kind.name
        assert "\n" not in kind.description, kind.name


def broken_catalog() -> Catalog:
    good = load_catalog().kinds["feature_store"]
    kinds = {
        "Bad-Name": dataclasses.replace(good, name="Bad-Name"),
        "no_step": dataclasses.replace(good, name="no_step", step="deployment"),
        "two_lines": dataclasses.replace(good, name="two_lines", description="One.\nTwo."),
        "no_period": dataclasses.replace(good, name="no_period", description="No period"),
        "no_azure": dataclasses.replace(
            good, name="no_azure", icons={f: good.icons[f] for f in FLAVORS if f != "azure"}
        ),
        "bad_icon": Kind(
            name="bad_icon",
            label="Bad icon",
            description="Points at nothing.",
            step="data",
            icons={**good.icons, "aws": "aws.ml.NoSuchService"},
        ),
    }
    techs = {
        "Kafka_2": Tech(name="Kafka_2", label="Kafka", icon="onprem.queue.Kafka"),
        "nolabel": Tech(name="nolabel", label=" ", icon="nosuchmodule.Thing"),
    }
    return Catalog(kinds=kinds, techs=techs, digest="")


def test_the_check_finds_each_kind_of_problem() -> None:
    problems = "\n".join(catalog_problems(broken_catalog()))
    expected = [
        "kind Bad-Name: the name is not lower_case_with_underscores",
        "kind no_step: unknown step 'deployment'",
        "kind two_lines: the description must be one line ending with a period",
        "kind no_period: the description must be one line ending with a period",
        "kind no_azure: icons must name exactly the flavors",
        "kind bad_icon (aws): icon aws.ml.NoSuchService is not a diagrams node class",
        "tech Kafka_2: the name is not lower-case-with-dashes",
        "tech nolabel: the label must be one line of text",
        "tech nolabel: icon nosuchmodule.Thing is not a diagrams node class",
    ]
    for problem in expected:
        assert problem in problems
    assert len(catalog_problems(broken_catalog())) == len(expected)


def test_icon_file_is_the_png_the_diagrams_class_names() -> None:
    resources = Path(diagrams.__file__).resolve().parent.parent / "resources"
    assert icon_file("onprem.queue.Kafka") == resources / "onprem" / "queue" / "kafka.png"


def test_a_tech_sets_the_icon_whatever_the_flavor(catalog: Catalog) -> None:
    events = Component(id="events", kind="event_stream", label="", description="", step="data")
    with_tech = dataclasses.replace(events, tech="kafka")
    assert catalog.icon_ref(events, "aws") == "aws.analytics.KinesisDataStreams"
    assert catalog.icon_ref(events, "gcp") == "gcp.analytics.Pubsub"
    for flavor in FLAVORS:
        assert catalog.icon_ref(with_tech, flavor) == "onprem.queue.Kafka"


def test_the_listing_names_every_kind_and_tech_with_its_icons(catalog: Catalog) -> None:
    lines = catalog_listing(catalog).splitlines()
    rows = {line.split()[0]: line for line in lines if line.startswith("  ")}
    for kind in catalog.kinds.values():
        row = rows[kind.name]
        assert kind.label in row and kind.step in row
        assert all(ref in row for ref in kind.icons.values())
    for tech in catalog.techs.values():
        assert tech.label in rows[tech.name] and tech.icon in rows[tech.name]


def test_the_listing_lines_its_columns_up(catalog: Catalog) -> None:
    listing = catalog_listing(catalog)
    kinds_part = listing.split("\n\n")[0].splitlines()[1:]
    header = kinds_part[0]
    step_column = header.index("STEP")
    for row in kinds_part[1:]:
        name = row.split()[0]
        assert row[step_column:].startswith(catalog.kinds[name].step)


def test_the_listing_for_one_flavor_shows_only_its_icons(catalog: Catalog) -> None:
    listing = catalog_listing(catalog, flavor="gcp")
    assert "gcp.ml.VertexAI" in listing
    assert "aws.analytics.KinesisDataStreams" not in listing
    assert "GCP" in listing and "AZURE" not in listing
