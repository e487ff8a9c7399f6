"""The catalog of component kinds and technologies, read from catalog.yaml.

The catalog is data: adding a kind, a tech or an icon is one entry in
``catalog.yaml``. Icons are references that ``archgen.render.icons`` resolves
(``lucide:layers``, ``simple:pytorch``, ``aws.ml.Sagemaker``), so the pictures
come from maintained icon sets and the catalog only says which one means what.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from archgen.model import Component

CATALOG_FILE = Path(__file__).with_name("catalog.yaml")

# Kind names are written in blueprints as `kind: feature_store`; tech names
# as `tech: vertex-ai`.
KIND_NAME = re.compile(r"[a-z][a-z0-9_]*")
TECH_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
COLOUR = re.compile(r"#[0-9a-f]{6}")


@dataclass(frozen=True)
class Service:
    """A cloud's managed service that plays a kind's role: its icon is a product's, so its
    name is printed under the component's label."""

    name: str
    icon: str


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    description: str
    step: str
    # The role icon, a ``lucide:`` reference: what the component does.
    role_icon: str
    # cloud flavor -> the service that cloud offers for the role
    services: dict[str, Service]

    def icon(self, flavor: str) -> str:
        """The icon reference in `flavor`: the cloud's service where it has one, else the role."""
        service = self.services.get(flavor)
        return service.icon if service else self.role_icon


@dataclass(frozen=True)
class Tech:
    name: str
    label: str
    icon: str


@dataclass(frozen=True)
class Catalog:
    kinds: dict[str, Kind]
    techs: dict[str, Tech]
    # framework step -> the colour of its role tiles
    step_colors: dict[str, str]
    digest: str

    def icon_ref(self, component: Component, flavor: str) -> str:
        """The icon reference a component is drawn with: its tech wins over its kind."""
        if component.tech:
            return self.techs[component.tech].icon
        return self.kinds[component.kind].icon(flavor)

    def tint(self, component: Component) -> str:
        """The colour of the component's role tile: its kind's framework step."""
        return self.step_colors[self.kinds[component.kind].step]

    def caption(self, component: Component, flavor: str) -> str | None:
        """The product name printed under the label: the tech's, else the cloud service's
        whose icon is drawn. None when the picture names no product."""
        if component.tech:
            return self.techs[component.tech].label
        if component.icon is not None:
            return None
        service = self.kinds[component.kind].services.get(flavor)
        return service.name if service else None


@cache
def load_catalog() -> Catalog:
    """The bundled catalog; `catalog_rules.catalog_problems` is what keeps it sound."""
    import yaml  # here: a gallery with nothing to redraw hashes the catalog, never reads it

    raw = CATALOG_FILE.read_bytes()
    # libyaml's loader when PyYAML has it: the pure-Python one takes a tenth of a second.
    data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    kinds = {
        name: Kind(
            name=name,
            label=entry["label"],
            description=entry["description"],
            step=entry["step"],
            role_icon=entry["icon"],
            services={
                flavor: Service(name=service["name"], icon=service["icon"])
                for flavor, service in entry.get("services", {}).items()
            },
        )
        for name, entry in data["kinds"].items()
    }
    techs = {
        name: Tech(name=name, label=entry["label"], icon=entry["icon"])
        for name, entry in data["techs"].items()
    }
    return Catalog(
        kinds=kinds,
        techs=techs,
        step_colors=dict(data["step_colors"]),
        digest=hashlib.sha256(raw).hexdigest(),
    )
