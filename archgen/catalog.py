"""The catalog of component kinds and technologies, read from catalog.yaml.

The catalog is data: adding a kind, a tech or an icon mapping is one entry in
``catalog.yaml``. Icons are named by their `diagrams` node class (for example
``onprem.queue.Kafka``), so the node vocabulary stays the one `diagrams`
ships and the icon file is wherever that class says it is.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from archgen.model import FLAVORS, STEP_NAMES, Component

CATALOG_FILE = Path(__file__).with_name("catalog.yaml")

# Kind names are written in blueprints as `kind: feature_store`; tech names
# as `tech: vertex-ai`.
KIND_NAME = re.compile(r"[a-z][a-z0-9_]*")
TECH_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


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
    """The bundled catalog; `catalog_problems` is what keeps it sound."""
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
    return Catalog(kinds=kinds, techs=techs, digest=hashlib.sha256(raw).hexdigest())


def catalog_problems(catalog: Catalog) -> list[str]:
    """Every way the catalog breaks its own rules, one sentence each.

    The catalog is data that anyone may extend, so its rules are checked by
    the test suite rather than by asserts at load time: a bad entry is found
    before release, and users never pay for the check.
    """
    problems = [*_kind_problems(catalog), *_tech_problems(catalog)]
    for owner, ref in _icon_refs(catalog):
        problem = _icon_problem(ref)
        if problem:
            problems.append(f"{owner}: icon {ref} {problem}")
    return problems


def _kind_problems(catalog: Catalog) -> Iterator[str]:
    for kind in catalog.kinds.values():
        where = f"kind {kind.name}"
        if not KIND_NAME.fullmatch(kind.name):
            yield f"{where}: the name is not lower_case_with_underscores"
        yield from _text_problems(where, kind.label, kind.description)
        if kind.step not in STEP_NAMES:
            yield f"{where}: unknown step {kind.step!r}"
        if set(kind.icons) != set(FLAVORS):
            yield f"{where}: icons must name exactly the flavors {', '.join(FLAVORS)}"


def _tech_problems(catalog: Catalog) -> Iterator[str]:
    for tech in catalog.techs.values():
        where = f"tech {tech.name}"
        if not TECH_NAME.fullmatch(tech.name):
            yield f"{where}: the name is not lower-case-with-dashes"
        yield from _text_problems(where, tech.label)


def _text_problems(where: str, label: str, description: str | None = None) -> Iterator[str]:
    if not isinstance(label, str) or not label.strip() or "\n" in label:
        yield f"{where}: the label must be one line of text"
    if description is None:
        return
    if not isinstance(description, str) or "\n" in description or not description.endswith("."):
        yield f"{where}: the description must be one line ending with a period"


def _icon_refs(catalog: Catalog) -> Iterator[tuple[str, str]]:
    for kind in catalog.kinds.values():
        for flavor, ref in kind.icons.items():
            yield f"kind {kind.name} ({flavor})", ref
    for tech in catalog.techs.values():
        yield f"tech {tech.name}", tech.icon


def _icon_problem(ref: str) -> str:
    """Why a diagrams node reference has no PNG behind it, or '' when it has."""
    try:
        path = icon_file(ref)
    except (ImportError, AttributeError, ValueError):
        return "is not a diagrams node class"
    return "" if path.suffix == ".png" and path.is_file() else f"has no PNG file ({path})"


def catalog_listing(catalog: Catalog, flavor: str | None = None) -> str:
    """The text of `archgen catalog`: kinds by framework step, then techs by name.

    Icons are shown as the diagrams node class each flavor draws, so a user
    can look the picture up; `flavor` narrows the kinds' icons to one column.
    """
    flavors = (flavor,) if flavor else FLAVORS
    kinds = sorted(catalog.kinds.values(), key=lambda kind: STEP_NAMES.index(kind.step))
    kind_rows = [
        [kind.name, kind.label, kind.step, *(kind.icons[f] for f in flavors)] for kind in kinds
    ]
    tech_rows = [[t.name, t.label, t.icon] for t in sorted(catalog.techs.values(), key=_name)]
    lines = [
        f"Kinds ({len(kind_rows)}): `kind:` in a component; the icon depends on the flavor",
        *_table(["KIND", "LABEL", "STEP", *(f.upper() for f in flavors)], kind_rows),
        "",
        f"Techs ({len(tech_rows)}): `tech:` in a component; the icon is the same in every flavor",
        *_table(["TECH", "LABEL", "ICON"], tech_rows),
    ]
    return "\n".join(lines)


def _name(tech: Tech) -> str:
    return tech.name


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as lines whose columns line up, two spaces apart, indented by two."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return [
        "  "
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
