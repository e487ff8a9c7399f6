"""The hand-written baseline: the spec's example drawn with `diagrams`' own API.

This is what a user would write without archgen: the same components,
groups and flows as ``tests/data/valid/spec-example.yaml``, one PNG and one
SVG overview, with `diagrams`' on-prem icons. The benchmark runs it as a
whole process and measures archgen's CPU time against it.

Run: ``python bench/baseline_diagrams.py OUT_DIR``
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from diagrams import Cluster, Diagram, Edge
from diagrams.onprem.analytics import Spark
from diagrams.onprem.client import Users
from diagrams.onprem.compute import Server
from diagrams.onprem.database import Cassandra
from diagrams.onprem.mlops import Mlflow
from diagrams.onprem.monitoring import Prometheus
from diagrams.onprem.network import Kong
from diagrams.onprem.queue import Kafka
from diagrams.onprem.workflow import Kubeflow


def draw(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    os.chdir(out)
    with Diagram(
        "Video Recommendation",
        filename="video-recommendation",
        outformat=["png", "svg"],
        show=False,
        direction="LR",
    ):
        users = Users("Viewers")
        with Cluster("Data pipeline"):
            events = Kafka("Event stream")
            etl = Spark("Batch ETL")
            features = Cassandra("Feature store")
        with Cluster("Training"):
            trainer = Kubeflow("Training pipeline")
            registry = Mlflow("Model registry")
        with Cluster("Serving"):
            api = Kong("API gateway")
            candidates = Server("Candidate generation")
            ranker = Server("Ranker")
            rerank = Server("Re-ranking")
        monitor = Prometheus("Monitoring")

        users >> Edge(label="feed request") >> api
        api >> candidates >> ranker >> rerank
        rerank >> Edge(label="ranked videos") >> api
        users >> Edge(label="watches, likes") >> events
        events >> etl >> features
        features >> trainer >> registry
        registry >> Edge(label="deploy", style="dashed") >> ranker
        features >> Edge(label="online features") >> ranker
        api >> Edge(label="logs") >> monitor


if __name__ == "__main__":
    draw(Path(sys.argv[1]).resolve())
