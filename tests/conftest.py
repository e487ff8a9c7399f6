"""Shared fixtures: blueprints built directly from the typed model, no YAML, and a
headless Chromium for the pages."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from archgen.format import STEP_NAMES
from archgen.model import Blueprint, Component, Flow, Group, Step
from archgen.render.icons import icon_file

try:
    from playwright.sync_api import Browser, sync_playwright
except ImportError:  # checked in `browser`, which says what to install
    sync_playwright = None

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True, scope="session")
def ctrl_c_delivered() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt here and in the processes the tests start, as at a
    terminal, even when the suite itself was started in the background (`make test &`,
    nohup), whose shell has it ignored: an ignored signal stays ignored in every child."""
    if signal.getsignal(signal.SIGINT) != signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def fake_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """A `dot` that runs `script` (sh), found first on PATH; its path, to change it."""
    dot = tmp_path / "fake-bin" / "dot"
    dot.parent.mkdir(exist_ok=True)
    dot.write_text("#!/bin/sh\n" + script)
    dot.chmod(0o755)
    monkeypatch.setenv("PATH", f"{dot.parent}{os.pathsep}{os.environ['PATH']}")
    return dot


def make_steps(focus: Mapping[str, tuple[str, ...]]) -> tuple[Step, ...]:
    """All seven steps in order, with the given focus lists."""
    return tuple(
        Step(name=name, number=number, focus=focus.get(name, ()))
        for number, name in enumerate(STEP_NAMES, start=1)
    )


def component(ident: str, kind: str = "client", **fields: object) -> Component:
    defaults: dict[str, object] = {
        "label": ident.replace("_", " ").capitalize(),
        "description": f"The {ident}.",
        "step": "requirements",
    }
    return Component(id=ident, kind=kind, **{**defaults, **fields})  # type: ignore[arg-type]


@pytest.fixture
def small_blueprint() -> Blueprint:
    """The spec's video-recommendation example."""
    components = [
        component("users", label="Viewers"),
        component("api", "api_gateway", group="serving", label="API gateway"),
        component("events", "event_stream", group="data", tech="kafka", label="Event stream"),
        component("etl", "batch_etl", group="data", tech="spark", label="Batch ETL"),
        component("features", "feature_store", group="data", label="Feature store"),
        component("trainer", "training_pipeline", group="training", label="Training pipeline"),
        component(
            "registry", "model_registry", group="training", tech="mlflow", label="Model registry"
        ),
        component(
            "candidates", "candidate_generation", group="serving", label="Candidate generation"
        ),
        component("ranker", "ranker", group="serving", label="Ranker"),
        component("rerank", "re_ranker", group="serving", label="Re-ranking"),
        component("monitor", "monitoring", label="Monitoring"),
    ]
    flows = (
        Flow("users", "api", "feed request"),
        Flow("api", "candidates"),
        Flow("candidates", "ranker"),
        Flow("ranker", "rerank"),
        Flow("rerank", "api", "ranked videos"),
        Flow("users", "events", "watches, likes"),
        Flow("events", "etl"),
        Flow("etl", "features"),
        Flow("features", "trainer"),
        Flow("trainer", "registry"),
        Flow("registry", "ranker", "deploy", style="dashed"),
        Flow("features", "ranker", "online features"),
        Flow("api", "monitor", "logs"),
    )
    return Blueprint(
        id="video-recommendation",
        title="Video Recommendation",
        source=Path("video-recommendation.yaml"),
        components={c.id: c for c in components},
        flavor="onprem",
        groups={
            "data": Group("data", "Data pipeline"),
            "training": Group("training", "Training"),
            "serving": Group("serving", "Serving"),
        },
        flows=flows,
        steps=make_steps(
            {
                "data": ("events", "etl", "features"),
                "serving": ("api", "candidates", "ranker", "rerank"),
            }
        ),
    )


STUDY_ICONS = {
    "users": "onprem.client.Users",
    "gateway": "onprem.network.Nginx",
    "events": "onprem.queue.Kafka",
    "stream": "onprem.analytics.Flink",
    "lake": "onprem.storage.Ceph",
    "etl": "onprem.analytics.Spark",
    "features": "onprem.database.Cassandra",
    "cache": "onprem.inmemory.Redis",
    "trainer": "onprem.mlops.Polyaxon",
    "tuner": "onprem.workflow.Airflow",
    "registry": "onprem.mlops.Mlflow",
    "retrieval": "generic.compute.Rack",
    "ranker": "generic.compute.Rack",
    "index": "onprem.search.Solr",
    "monitor": "onprem.monitoring.Grafana",
    "alerts": "onprem.monitoring.Prometheus",
}


@pytest.fixture
def study_blueprint() -> Blueprint:
    """A realistic design: 16 components, nested groups, a group endpoint, every edge style."""
    placed = {
        "users": (None, "Mobile & web\nclients", None),
        "gateway": ("online", "API gateway", None),
        "events": ("ingest", "Event stream", "kafka"),
        "stream": ("ingest", "Stream processor", None),
        "lake": ("offline", "Data lake", None),
        "etl": ("offline", "Batch ETL", None),
        "features": ("data", "Feature store", None),
        "cache": ("online", "Feature cache", None),
        "trainer": ("training", "Training pipeline", None),
        "tuner": ("training", "Hyperparameter tuning", None),
        "registry": ("training", "Model registry", None),
        "retrieval": ("online", "Candidate retrieval", None),
        "ranker": ("online", "Ranker", None),
        "index": ("online", "Vector index", None),
        "monitor": ("ops", "Dashboards", None),
        "alerts": ("ops", "Alerting", None),
    }
    components = {
        ident: component(
            ident,
            "event_stream" if tech else "client",
            group=group,
            label=label,
            tech=tech,
            icon=None if tech else icon_file(STUDY_ICONS[ident]),
        )
        for ident, (group, label, tech) in placed.items()
    }
    groups = {
        "data": Group("data", "Data platform"),
        "ingest": Group("ingest", "Streaming", parent="data"),
        "offline": Group("offline", "Batch", parent="data"),
        "training": Group("training", "Training"),
        "online": Group("online", "Online serving"),
        "ops": Group("ops", "Operations"),
        "unused": Group("unused", "Never drawn"),
    }
    flows = (
        Flow("users", "gateway", "search, feed"),
        Flow("users", "events", "clicks, views"),
        Flow("events", "stream"),
        Flow("stream", "features", "real-time features"),
        Flow("events", "lake", "raw events"),
        Flow("lake", "etl"),
        Flow("etl", "features", "batch features"),
        Flow("features", "trainer", "training data"),
        Flow("tuner", "trainer", style="dotted", two_way=True),
        Flow("trainer", "registry", "model"),
        Flow("registry", "ranker", "deploy", style="dashed"),
        Flow("gateway", "retrieval"),
        Flow("retrieval", "index", "ANN query", two_way=True),
        Flow("retrieval", "ranker", "top 500"),
        Flow("features", "cache", style="bold"),
        Flow("cache", "ranker", "online features"),
        Flow("ranker", "gateway", "top 20"),
        Flow("online", "monitor", "logs, metrics"),
        Flow("monitor", "alerts"),
    )
    return Blueprint(
        id="study",
        title="Search & Recommendation Platform",
        source=Path("study.yaml"),
        components=components,
        groups=groups,
        flows=flows,
        steps=make_steps(
            {
                "data": ("events", "stream", "lake", "etl", "features"),
                "model": ("trainer", "tuner", "registry"),
                "serving": ("gateway", "cache", "retrieval", "ranker", "index"),
                "monitoring": ("monitor", "alerts"),
            }
        ),
    )


def require(missing: str) -> None:
    """Skip locally, fail in CI: the page must have been checked before anything lands."""
    if os.environ.get("CI"):
        pytest.fail(missing)
    pytest.skip(missing)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        require("Chromium is not installed (apt-get install chromium)")
    if sync_playwright is None:
        require("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextmanager
def opened_page(browser: Browser, path: Path) -> Iterator[tuple[object, list[str], list[str]]]:
    """`path` loaded in a fresh page, with every URL it requests and every dialog it opens
    (dismissed): a page must fetch nothing from outside its folder and run no script."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    try:
        yield page, requested, dialogs
    finally:
        context.close()
