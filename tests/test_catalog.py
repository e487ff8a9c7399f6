"""The catalog keeps the spec's promises: every kind and tech, sound entries, real icons."""

from __future__ import annotations

import dataclasses
import importlib
import io
import re
from pathlib import Path

import diagrams
import PIL.Image
import PIL.ImageDraw
import PIL.ImageOps
import pytest

from archgen.catalog import (
    Catalog,
    Kind,
    Service,
    Tech,
    load_catalog,
)
from archgen.catalog_rules import catalog_problems
from archgen.cli import main
from archgen.cli_catalog import catalog_listing
from archgen.format import CLOUD_FLAVORS, FLAVORS
from archgen.layout.style import CLUSTER_COLORS
from archgen.model import Component
from archgen.render.colour import BACKGROUNDS, MIN_CONTRAST, contrast
from archgen.render.icons import icon_file, icon_image, is_logo
from archgen.sheet import catalog_sheet

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

# The tools ML engineers reach for: the catalog names each of them.
ML_TECHS = [
    "pytorch", "tensorflow", "jax", "triton", "ray", "feast", "vllm", "hugging-face", "onnx",
    "faiss", "milvus", "weaviate", "pinecone", "kserve", "bentoml", "dbt", "great-expectations",
    "evidently", "wandb", "dask", "duckdb", "delta-lake", "iceberg", "openai", "anthropic",
]  # fmt: skip

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


def test_the_tools_ml_engineers_reach_for_are_techs(catalog: Catalog) -> None:
    assert sorted(set(ML_TECHS) - set(catalog.techs)) == []


def test_every_kind_has_an_icon_in_every_flavor(catalog: Catalog) -> None:
    for kind in catalog.kinds.values():
        for flavor in FLAVORS:
            assert icon_image(kind.icon(flavor)).data, (kind.name, flavor)


def test_kinds_show_roles_and_clouds_show_named_services(catalog: Catalog) -> None:
    """generic and onprem draw no product for a kind; a cloud's product comes with its name."""
    for kind in catalog.kinds.values():
        for flavor in ("generic", "onprem"):
            assert not is_logo(kind.icon(flavor)), kind.name
        for flavor in CLOUD_FLAVORS:
            service = kind.services.get(flavor)
            assert is_logo(kind.icon(flavor)) == (service is not None), (kind.name, flavor)
    assert {"feature_store", "event_stream", "llm"} <= {
        kind.name for kind in catalog.kinds.values() if set(kind.services) == set(CLOUD_FLAVORS)
    } | {"feature_store", "llm"}


@pytest.mark.parametrize("flavor", FLAVORS)
def test_no_two_kinds_share_an_icon(catalog: Catalog, flavor: str) -> None:
    """Compared by picture, since two diagrams classes may alias one PNG."""
    pictures = [icon_image(kind.icon(flavor)).data for kind in catalog.kinds.values()]
    assert len(set(pictures)) == len(pictures)


def test_no_tech_wears_a_kind_s_role_icon(catalog: Catalog) -> None:
    roles = {kind.role_icon for kind in catalog.kinds.values()}
    assert [t.name for t in catalog.techs.values() if t.icon in roles] == []


def test_the_backgrounds_icons_are_checked_on_are_the_group_fills() -> None:
    assert {fill for fill, _ in CLUSTER_COLORS[:2]} <= set(BACKGROUNDS)


def logo_refs(catalog: Catalog) -> list[str]:
    refs = {tech.icon for tech in catalog.techs.values()}
    refs |= {s.icon for kind in catalog.kinds.values() for s in kind.services.values()}
    return sorted(ref for ref in refs if is_logo(ref))


# A logo is "mostly white" when more than this share of its opaque pixels are
# near white and reach the picture's edge through near-white or transparent
# pixels: on a light group fill they merge into it. White inside a coloured
# shape (NGINX's N, Cosmos DB's clouds) does not count. MLflow's diagrams PNG,
# whose "ml" is white, scores 0.29 and Presto's 0.78; every logo in use scores
# below 0.11.
MAX_EXPOSED_WHITE = 0.2
MARKER = (255, 0, 255)


def exposed_white(png: bytes) -> float:
    """The share of a picture's opaque pixels that vanish on a light background."""
    with PIL.Image.open(io.BytesIO(png)) as image:
        rgba = PIL.ImageOps.expand(image.convert("RGBA"), border=1, fill=(255, 255, 255, 0))
    flat = PIL.Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba)
    PIL.ImageDraw.floodfill(flat, (0, 0), MARKER, thresh=60)
    alpha, filled = rgba.getchannel("A").tobytes(), flat.tobytes()
    opaque = [i for i, a in enumerate(alpha) if a >= 128]
    marker = bytes(MARKER)
    return sum(filled[3 * i : 3 * i + 3] == marker for i in opaque) / len(opaque)


@pytest.mark.parametrize("ref", ["onprem.mlops.Mlflow", "onprem.analytics.Presto"])
def test_the_measure_catches_logos_that_vanished(ref: str) -> None:
    assert exposed_white(icon_file(ref).read_bytes()) > MAX_EXPOSED_WHITE


def test_no_logo_vanishes_on_a_light_group_fill(catalog: Catalog) -> None:
    """PNG logos by their exposed white, SVG logos by their fill's contrast."""
    faint = []
    for ref in logo_refs(catalog):
        image = icon_image(ref)
        if image.mime == "image/png":
            if exposed_white(image.data) > MAX_EXPOSED_WHITE:
                faint.append(ref)
        else:
            (fill,) = re.findall(rb'fill="(#[0-9a-fA-F]{6})"', image.data)
            if min(contrast(fill.decode(), bg) for bg in BACKGROUNDS) < MIN_CONTRAST:
                faint.append(ref)
    assert faint == []


def test_embedded_svg_icons_have_concrete_colours(catalog: Catalog) -> None:
    """An <image> has no CSS colour to inherit: currentColor would draw black or nothing."""
    refs = [*logo_refs(catalog), *(kind.role_icon for kind in catalog.kinds.values())]
    refs += [tech.icon for tech in catalog.techs.values()]
    for ref in refs:
        image = icon_image(ref, "#1d4ed8")
        assert b"currentColor" not in image.data, ref
        if image.mime == "image/svg+xml":
            assert b'width="48" height="48"' in image.data, ref


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
        "no_step": dataclasses.replace(
            good, name="no_step", step="deployment", role_icon="lucide:pi", services={}
        ),
        "two_lines": dataclasses.replace(
            good, name="two_lines", description="One.\nTwo.", role_icon="lucide:omega", services={}
        ),
        "no_period": dataclasses.replace(
            good, name="no_period", description="No period", role_icon="lucide:sigma", services={}
        ),
        "twin": dataclasses.replace(good, name="twin", services={}),
        "on_prem": dataclasses.replace(
            good,
            name="on_prem",
            role_icon="lucide:radical",
            services={"onprem": Service("Cassandra", "onprem.database.Cassandra")},
        ),
        "bad_icon": Kind(
            name="bad_icon",
            label="Bad icon",
            description="Points at nothing.",
            step="data",
            role_icon="simple:pytorch",
            services={"aws": Service("Nothing", "aws.ml.NoSuchService")},
        ),
    }
    techs = {
        "Kafka_2": Tech(name="Kafka_2", label="Kafka", icon="onprem.queue.Kafka"),
        "nolabel": Tech(name="nolabel", label=" ", icon="nosuchmodule.Thing"),
        "layered": Tech(name="layered", label="Layered", icon=good.role_icon),
    }
    colours = {**load_catalog().step_colors, "data": "blue"}
    return Catalog(kinds=kinds, techs=techs, step_colors=colours, digest="")


def test_the_check_finds_each_kind_of_problem() -> None:
    problems = "\n".join(catalog_problems(broken_catalog()))
    expected = [
        "kind Bad-Name: the name is not lower_case_with_underscores",
        "kind no_step: unknown step 'deployment'",
        "kind two_lines: the description must be one line ending with a period",
        "kind no_period: the description must be one line ending with a period",
        "kind on_prem: services are for the cloud flavors aws, gcp, azure, not 'onprem'",
        "kind bad_icon: the role icon simple:pytorch must be a lucide: icon",
        "kind bad_icon (aws): icon aws.ml.NoSuchService names no icon",
        "kind twin (generic): shares its icon with kind Bad-Name",
        "kind twin (onprem): shares its icon with kind Bad-Name",
        "tech Kafka_2: the name is not lower-case-with-dashes",
        "tech nolabel: the label must be one line of text",
        "tech nolabel: icon nosuchmodule.Thing names no icon",
        "tech layered: shares its icon with kind Bad-Name",
        "step_colors: data is not a #rrggbb colour",
    ]
    for problem in expected:
        assert problem in problems
    assert len(catalog_problems(broken_catalog())) == len(expected)


def test_icon_file_is_the_png_the_diagrams_class_names() -> None:
    resources = Path(diagrams.__file__).resolve().parent.parent / "resources"
    assert icon_file("onprem.queue.Kafka") == resources / "onprem" / "queue" / "kafka.png"
    assert icon_file("onprem.queue.RabbitMQ") == resources / "onprem" / "queue" / "rabbitmq.png"


def diagrams_refs(catalog: Catalog) -> set[str]:
    refs = {service.icon for kind in catalog.kinds.values() for service in kind.services.values()}
    refs |= {tech.icon for tech in catalog.techs.values()}
    return {ref for ref in refs if not ref.startswith(("lucide:", "simple:"))}


def test_icon_file_read_from_source_is_the_file_the_imported_class_names(catalog: Catalog) -> None:
    """Reading diagrams' generated modules finds the same file as importing them would."""
    refs = diagrams_refs(catalog)
    assert len(refs) > 50
    for ref in refs:
        module_name, _, class_name = ref.rpartition(".")
        node = getattr(importlib.import_module(f"diagrams.{module_name}"), class_name)
        assert icon_file(ref) == resources_root() / node._icon_dir / node._icon, ref


def resources_root() -> Path:
    return Path(diagrams.__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("ref", "error"),
    [
        ("Kafka", ValueError),
        ("onprem.nosuchmodule.Kafka", ImportError),
        ("onprem.queue.NoSuchClass", AttributeError),
    ],
)
def test_icon_file_names_what_is_missing(ref: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        icon_file(ref)


def test_a_tech_sets_the_icon_and_the_caption_whatever_the_flavor(catalog: Catalog) -> None:
    events = Component(id="events", kind="event_stream", label="", description="", step="data")
    with_tech = dataclasses.replace(events, tech="kafka")
    assert catalog.icon_ref(events, "aws") == "aws.analytics.KinesisDataStreams"
    assert catalog.caption(events, "aws") == "Amazon Kinesis Data Streams"
    assert catalog.icon_ref(events, "gcp") == "gcp.analytics.Pubsub"
    assert catalog.icon_ref(events, "generic") == catalog.kinds["event_stream"].role_icon
    assert catalog.caption(events, "generic") is None
    for flavor in FLAVORS:
        assert catalog.icon_ref(with_tech, flavor) == "onprem.queue.Kafka"
        assert catalog.caption(with_tech, flavor) == "Apache Kafka"


@pytest.mark.parametrize("flavor", [None, *FLAVORS])
def test_the_listing_fits_in_100_columns(catalog: Catalog, flavor: str | None) -> None:
    assert max(len(line) for line in catalog_listing(catalog, flavor).splitlines()) <= 100


def test_the_listing_names_every_kind_and_tech_with_its_icons(catalog: Catalog) -> None:
    lines = catalog_listing(catalog).splitlines()
    rows = {line.split()[0]: line for line in lines if line.startswith("  ")}
    for kind in catalog.kinds.values():
        row = rows[kind.name]
        assert kind.label in row and kind.step in row and kind.role_icon in row
    for tech in catalog.techs.values():
        assert tech.label in rows[tech.name] and tech.icon in rows[tech.name]


def test_the_listing_lines_its_columns_up(catalog: Catalog) -> None:
    listing = catalog_listing(catalog)
    kinds_part = listing.split("\n\n")[0].splitlines()[1:]
    header = kinds_part[0]
    step_column = header.index("STEP")
    for row in kinds_part[1:]:
        name = row.split()[0]
        if name in catalog.kinds:
            assert row[step_column:].startswith(catalog.kinds[name].step)


def test_the_listing_for_one_flavor_shows_what_it_draws(catalog: Catalog) -> None:
    listing = catalog_listing(catalog, flavor="gcp")
    rows = {line.split()[0]: line for line in listing.splitlines() if line.startswith("  ")}
    assert rows["feature_store"].endswith("service: Vertex AI Feature Store")
    assert rows["ranker"].endswith(f"role: {catalog.kinds['ranker'].role_icon}")
    assert "Amazon Kinesis Data Streams" not in listing


def test_the_sheet_shows_every_kind_in_every_flavor_and_every_tech(catalog: Catalog) -> None:
    page = catalog_sheet(catalog)
    images = re.findall(r'<img src="([^"]*)"', page)
    assert len(images) == len(catalog.kinds) * len(FLAVORS) + len(catalog.techs)
    assert all(src.startswith("data:image/") for src in images)
    for tech in catalog.techs.values():
        assert f"<code>{tech.name}</code>" in page
    assert "Amazon SageMaker Feature Store" in page
    assert "Weights &amp; Biases" in page and "Weights & Biases" not in page


def test_catalog_html_writes_the_sheet(tmp_path: Path) -> None:
    out = tmp_path / "sheet" / "catalog.html"
    assert main(["catalog", "--html", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert list(out.parent.iterdir()) == [out]
