"""Synthetic blueprints of any size, for measuring how cost grows with components.

A blueprint of n components is a row of ML "domains" of 25 components each
(the last one cut short), each a nested group with five layers (ingest,
features, training, serving, observe) wired the way the bundled case studies
are: a request path, a data pipeline, a training loop and monitoring. Each
domain also feeds the next one (shared features, a warm-started model), so
the diagram is one connected graph. Flows grow linearly with n, as in a real
architecture, and every framework step gets text and a focus.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DOMAIN_SIZE = 25
LAYERS: dict[str, str] = {
    "ingest": "Ingestion",
    "features": "Features",
    "training": "Training",
    "serving": "Serving",
    "observe": "Monitoring",
}


@dataclass(frozen=True)
class Slot:
    """One component of a domain; the first slots alone already form a connected pipeline."""

    name: str
    kind: str
    layer: str | None
    tech: str | None = None


SLOTS: tuple[Slot, ...] = (
    Slot("users", "client", None),
    Slot("api", "api_gateway", "serving"),
    Slot("events", "event_stream", "ingest", "kafka"),
    Slot("stream", "stream_processor", "ingest", "flink"),
    Slot("lake", "data_lake", "ingest"),
    Slot("feature_jobs", "feature_pipeline", "features"),
    Slot("feature_store", "feature_store", "features", "redis"),
    Slot("dataset", "dataset_builder", "training"),
    Slot("trainer", "training_pipeline", "training"),
    Slot("registry", "model_registry", "training", "mlflow"),
    Slot("candidates", "candidate_generation", "serving"),
    Slot("ranker", "ranker", "serving"),
    Slot("rerank", "re_ranker", "serving"),
    Slot("predictions", "prediction_log", "observe"),
    Slot("monitor", "monitoring", "observe", "prometheus"),
    Slot("etl", "batch_etl", "ingest", "spark"),
    Slot("validation", "data_validation", "ingest"),
    Slot("embedder", "embedding_model", "features"),
    Slot("vectors", "vector_index", "features", "qdrant"),
    Slot("tuning", "hyperparameter_tuning", "training"),
    Slot("evaluator", "offline_evaluation", "training"),
    Slot("cache", "cache", "serving", "redis"),
    Slot("drift", "drift_detection", "observe"),
    Slot("alerts", "alerting", "observe"),
    Slot("tracking", "experiment_tracking", "training", "mlflow"),
)
assert len(SLOTS) == DOMAIN_SIZE

# (from slot, to slot, label, style, two_way) inside one domain.
DOMAIN_FLOWS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("users", "api", "request", "solid", False),
    ("api", "candidates", "query", "solid", False),
    ("candidates", "ranker", "1,000 candidates", "solid", False),
    ("ranker", "rerank", "scored", "solid", False),
    ("rerank", "api", "results", "solid", False),
    ("users", "events", "clicks, views", "solid", False),
    ("events", "stream", "", "solid", False),
    ("stream", "lake", "sessions", "solid", False),
    ("lake", "feature_jobs", "raw tables", "solid", False),
    ("feature_jobs", "feature_store", "features", "solid", False),
    ("feature_store", "dataset", "point-in-time features", "solid", False),
    ("dataset", "trainer", "train / validation splits", "solid", False),
    ("trainer", "registry", "model", "solid", False),
    ("registry", "ranker", "deploy", "dashed", False),
    ("feature_store", "ranker", "online features", "solid", False),
    ("rerank", "predictions", "served items", "solid", False),
    ("predictions", "monitor", "logs", "solid", False),
    ("events", "etl", "daily dump", "solid", False),
    ("etl", "lake", "", "solid", False),
    ("lake", "validation", "checks", "solid", False),
    ("validation", "feature_jobs", "clean data", "solid", False),
    ("feature_jobs", "embedder", "items", "solid", False),
    ("embedder", "vectors", "embeddings", "solid", False),
    ("vectors", "candidates", "nearest neighbours", "solid", False),
    ("tuning", "trainer", "hyperparameters", "dotted", False),
    ("trainer", "evaluator", "candidate model", "solid", False),
    ("evaluator", "registry", "passes offline gates", "solid", False),
    ("api", "cache", "cached results", "solid", True),
    ("predictions", "drift", "", "solid", False),
    ("drift", "alerts", "drift", "solid", False),
    ("monitor", "alerts", "SLO breaches", "solid", False),
    ("alerts", "trainer", "retrain", "dotted", False),
    ("trainer", "tracking", "metrics", "dashed", False),
)
# (from slot in domain d-1, to slot in domain d, label, style): what chains the domains.
CROSS_FLOWS: tuple[tuple[str, str, str, str], ...] = (
    ("feature_store", "feature_jobs", "shared features", "solid"),
    ("registry", "trainer", "warm start", "dashed"),
)

STEP_TEXT: dict[str, dict[str, Any]] = {
    "requirements": {
        "objective": "Rank items for every domain within the latency budget.",
        "functional": ["Personalised results", "New items searchable within an hour"],
        "scale": {"Daily active users": "100M", "Peak QPS": "50k"},
    },
    "data": {"sources": ["Click logs", "Item catalogue"], "labels": "Clicks within a session."},
    "model": {"baseline": "Popularity.", "choice": "Two-tower retrieval and a *GBDT* ranker."},
    "evaluation": {"offline": ["nDCG@10", "Recall@100"], "online": ["CTR", "Revenue"]},
    "serving": {"mode": "online", "latency": "p99 under 200 ms"},
    "monitoring": {"metrics": ["Latency", "Feature drift"], "retraining": "Daily."},
}


def component_id(domain: int, slot: Slot) -> str:
    return f"d{domain}_{slot.name}"


def synthetic_tree(size: int) -> dict[str, Any]:
    """The blueprint document of `size` components, as YAML would read it."""
    placed = [(index // DOMAIN_SIZE, SLOTS[index % DOMAIN_SIZE]) for index in range(size)]
    ids = {component_id(domain, slot) for domain, slot in placed}
    domains = range(placed[-1][0] + 1)
    components = {
        component_id(domain, slot): {
            "kind": slot.kind,
            "group": f"d{domain}_{slot.layer}" if slot.layer else f"d{domain}",
            "label": f"{slot.name.replace('_', ' ').capitalize()} {domain + 1}",
            **({"tech": slot.tech} if slot.tech else {}),
        }
        for domain, slot in placed
    }
    flows = synthetic_flows(domains)
    rankers = sorted(i for i in ids if i.endswith("_ranker"))
    return {
        "archgen": 1,
        "title": f"Synthetic platform of {size} components",
        "summary": "Generated by the benchmark to measure how rendering cost grows.",
        "tags": ["synthetic", "benchmark"],
        **STEP_TEXT,
        "framing": {
            "objective": "Rank candidates by predicted engagement.",
            "focus": rankers or sorted(ids)[:1],
        },
        "groups": synthetic_groups(placed, domains),
        "components": components,
        "flows": [f for f in flows if f["from"] in ids and f["to"] in ids],
    }


def synthetic_groups(placed: Sequence[tuple[int, Slot]], domains: range) -> dict[str, Any]:
    """A group per domain, holding a group per layer that has a component in it."""
    return {f"d{d}": f"Domain {d + 1}" for d in domains} | {
        f"d{d}_{layer}": {"label": label, "parent": f"d{d}"}
        for d in domains
        for layer, label in LAYERS.items()
        if any(domain == d and slot.layer == layer for domain, slot in placed)
    }


def synthetic_flows(domains: range) -> list[dict[str, Any]]:
    """Every domain's own flows, and the flows from each domain into the next."""
    return [
        flow(f"d{d}_{a}", f"d{d}_{b}", label, style, two_way)
        for d in domains
        for a, b, label, style, two_way in DOMAIN_FLOWS
    ] + [
        flow(f"d{d - 1}_{a}", f"d{d}_{b}", label, style, False)
        for d in domains[1:]
        for a, b, label, style in CROSS_FLOWS
    ]


def flow(source: str, target: str, label: str, style: str, two_way: bool) -> dict[str, Any]:
    return {"from": source, "to": target, "label": label, "style": style, "two_way": two_way}


def write_synthetic(folder: Path, size: int) -> Path:
    """`folder/synthetic-SIZE.yaml`, ready for archgen.parse.load."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"synthetic-{size}.yaml"
    path.write_text(synthetic_yaml(size), encoding="utf-8")
    return path


def synthetic_yaml(size: int) -> str:
    return yaml.safe_dump(synthetic_tree(size), sort_keys=False)
