"""The catalog of component kinds and technologies, read from catalog.yaml.

The catalog is data: adding a kind, a tech or an icon mapping is one entry in
``catalog.yaml``. Icons are named by their `diagrams` node class (for example
``onprem.queue.Kafka``), so the node vocabulary stays the one `diagrams`
ships and the icon file is wherever that class says it is.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from archgen.model import FLAVORS, STEP_NAMES, Component

CATALOG_FILE = Path(__file__).with_name("catalog.yaml")


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    description: str
    step: str
    # flavor -> diagrams node reference, e.g. "aws.analytics.Kinesis"
    icons: dict[str, str]


@dataclass(frozen=True)
class Tech:
    name: str
    label: str
    icon: str


@dataclass(frozen=True)
class Catalog:
    kinds: dict[str, Kind]
    techs: dict[str, Tech]
    digest: str

    def icon_ref(self, component: Component, flavor: str) -> str:
        """The diagrams node a component is drawn with: its tech wins over its kind."""
        if component.tech:
            return self.techs[component.tech].icon
        return self.kinds[component.kind].icons[flavor]

    def icon_path(self, component: Component, flavor: str) -> Path:
        if component.icon is not None:
            return component.icon
        return icon_file(self.icon_ref(component, flavor))


@cache
def icon_file(ref: str) -> Path:
    """The PNG file behind a diagrams node reference such as ``onprem.queue.Kafka``."""
    module_name, _, class_name = ref.rpartition(".")
    module = importlib.import_module(f"diagrams.{module_name}")
    node_class = getattr(module, class_name)
    package_parent = Path(importlib.import_module("diagrams").__file__).resolve().parent.parent
    return package_parent / node_class._icon_dir / node_class._icon


@cache
def load_catalog() -> Catalog:
    raw = CATALOG_FILE.read_bytes()
    data = yaml.safe_load(raw)
    kinds = {
        name: Kind(
            name=name,
            label=entry["label"],
            description=entry["description"],
            step=entry["step"],
            icons=dict(entry["icons"]),
        )
        for name, entry in data["kinds"].items()
    }
    techs = {
        name: Tech(name=name, label=entry["label"], icon=entry["icon"])
        for name, entry in data["techs"].items()
    }
    for kind in kinds.values():
        assert kind.step in STEP_NAMES, f"catalog: kind {kind.name} has unknown step {kind.step}"
        assert set(kind.icons) == set(FLAVORS), f"catalog: kind {kind.name} lacks a flavor"
    return Catalog(kinds=kinds, techs=techs, digest=hashlib.sha256(raw).hexdigest())
