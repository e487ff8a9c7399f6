"""The JSON Schema of blueprint format v1, generated from the model and the catalog.

An editor running yaml-language-server reads ``schema/blueprint.schema.json``
(through the modeline ``# yaml-language-server: $schema=...``) to complete and
check blueprints as they are typed. The schema's steps, enums, kinds and techs
come from ``archgen.model`` and the catalog, so it cannot drift from what the
loader accepts; a test fails while the committed file is stale. Regenerate it
with ``python -m archgen.schema_gen``.

The schema is the editor's help, not the judge: references between ids,
composition and anything that needs other files are checked by the loader.
Where the loader is lenient (an empty `flows:` or step while typing), the
schema is too, so the editor never flags what archgen accepts.
It keeps to keywords that draft-07 editors also understand (``if``/``then``,
``propertyNames``, ``const``), besides declaring draft 2020-12.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from archgen.catalog import Catalog, load_catalog
from archgen.files import write_atomic
from archgen.model import DIRECTIONS, FLAVORS, FLOW_STYLES, STEP_FIELDS, STEP_TITLES

Schema = dict[str, Any]

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "blueprint.schema.json"

IDENT = "^[a-z][a-z0-9_]*$"
SLUG = "^[a-z0-9][a-z0-9-]*$"
ID_MAX = 64
# A chain of ids joined by `->` or `<->`; a string flow may add `: label`.
_CHAIN = r"\s*[a-z][a-z0-9_]*(\s*<?->\s*[a-z][a-z0-9_]*)+\s*"
CHAIN = f"^{_CHAIN}$"
CHAIN_WITH_LABEL = rf"^{_CHAIN}(:[\s\S]*)?$"

FIELD_HELP: dict[str, dict[str, str]] = {
    "requirements": {
        "objective": "The business objective the system serves.",
        "functional": "What the system must do for its users.",
        "non_functional": "Latency, availability, freshness, cost and other qualities.",
        "scale": "Label to figure, e.g. `{Daily active users: 2B, Peak QPS: 100k}`.",
        "constraints": "Limits the design must respect: budget, privacy, hardware, deadlines.",
        "questions": "Clarifying questions to ask before designing.",
    },
    "framing": {
        "objective": "The ML objective that stands for the business objective.",
        "input": "What the model receives.",
        "output": "What the model returns.",
        "category": "The kind of ML task: classification, ranking, regression, generation...",
    },
    "data": {
        "sources": "Where the training and serving data come from.",
        "features": "The features the model uses.",
        "labels": "Where the labels come from, and how noisy or delayed they are.",
    },
    "model": {
        "baseline": "The simple model to beat first.",
        "candidates": "Model families worth comparing.",
        "choice": "The model chosen, and why.",
        "loss": "The loss the model is trained on.",
        "training": "How training runs: data volume, schedule, distribution, tricks.",
    },
    "evaluation": {
        "offline": "Offline metrics, computed on held-out data.",
        "online": "Online metrics, measured on live traffic.",
    },
    "serving": {
        "mode": "How predictions are served: online, batch, streaming, on device...",
        "latency": "The latency budget and where it goes.",
        "testing": "How a new model reaches production: shadow, canary, A/B test...",
    },
    "monitoring": {
        "metrics": "What is watched in production.",
        "alerts": "What pages someone, and when.",
        "retraining": "When and how the model is retrained.",
    },
}

TOP_LEVEL_HELP = {
    "archgen": "Format version of this blueprint: the integer 1.",
    "id": (
        "Slug naming the output folder, at most 64 characters; defaults to the file's stem, "
        "lower-cased, with other characters turned into `-`."
    ),
    "title": "Title of the system; required except in a fragment or a file that extends another.",
    "summary": "One paragraph describing the system.",
    "tags": "Words to find and group blueprints by.",
    "flavor": "Icon set; the command line may override it.",
    "direction": (
        "Direction the diagram flows in: auto (archgen picks the one that fits a page best), "
        "left to right, top to bottom, right to left or bottom to top."
    ),
    "extends": (
        "Path, or list of paths, to blueprints or fragments merged in order before this file, "
        "relative to this file."
    ),
    "fragment": "`true` marks a part meant to be extended, never rendered on its own.",
    "groups": "Group id to group: a label, or a mapping with `label` and `parent`.",
    "components": "Component id to component: a kind name, or a mapping with `kind` and more.",
    "flows": "Edges between components or groups: `a -> b: label`, chains, or full mappings.",
}


def build_schema(catalog: Catalog) -> Schema:
    """The whole schema as a JSON-ready dictionary."""
    properties: Schema = {
        "archgen": {"description": TOP_LEVEL_HELP["archgen"], "type": "integer", "const": 1},
        "id": {
            "description": TOP_LEVEL_HELP["id"],
            "type": "string",
            "pattern": SLUG,
            "maxLength": ID_MAX,
        },
        "title": _text(TOP_LEVEL_HELP["title"]),
        "summary": _text(TOP_LEVEL_HELP["summary"]),
        "tags": {"description": TOP_LEVEL_HELP["tags"], "type": "array", "items": _text()},
        "flavor": _choice(TOP_LEVEL_HELP["flavor"], FLAVORS, "generic"),
        "direction": _choice(TOP_LEVEL_HELP["direction"], DIRECTIONS, "auto"),
        "extends": {
            "description": TOP_LEVEL_HELP["extends"],
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            ],
        },
        "fragment": {"description": TOP_LEVEL_HELP["fragment"], "type": "boolean"},
        **{step: _step_schema(step) for step in STEP_FIELDS},
        "groups": _id_map(TOP_LEVEL_HELP["groups"], "#/$defs/group"),
        "components": _id_map(TOP_LEVEL_HELP["components"], "#/$defs/component"),
        "flows": {
            "description": TOP_LEVEL_HELP["flows"],
            "type": ["array", "null"],
            "items": {"$ref": "#/$defs/flow"},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "archgen blueprint, format 1",
        "description": "An ML system design: the seven framework steps and the architecture.",
        "type": "object",
        "properties": properties,
        "required": ["archgen"],
        "additionalProperties": False,
        "allOf": [_standalone_rules(), _complete_rules()],
        "$defs": _definitions(catalog),
    }


def _standalone_rules() -> Schema:
    """A file that extends nothing has nothing to remove: no null component or group."""
    not_null = {"not": {"type": "null"}}
    return {
        "if": {"not": {"required": ["extends"]}},
        "then": {
            "properties": {
                "components": {"additionalProperties": not_null},
                "groups": {"additionalProperties": not_null},
            }
        },
    }


def _complete_rules() -> Schema:
    """A file that stands alone must be whole: title, components, each one's kind.

    These are the spec's required keys; a group's label is not among them
    (the loader defaults it). A fragment, or a file that extends others, may
    inherit them, so only composition can tell whether they are missing.
    """
    is_fragment = {"required": ["fragment"], "properties": {"fragment": {"const": True}}}
    return {
        "if": {"not": {"anyOf": [{"required": ["extends"]}, is_fragment]}},
        "then": {
            "required": ["title", "components"],
            "properties": {
                "components": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {
                        "if": {"type": "object"},
                        "then": {"required": ["kind"]},
                    },
                },
            },
        },
    }


def _definitions(catalog: Catalog) -> Schema:
    kinds = list(catalog.kinds.values())
    techs = list(catalog.techs.values())
    return {
        "text": {
            "description": "Markdown text; a number or true/false is read as the text written.",
            "type": ["string", "number", "boolean"],
        },
        "text_or_list": {
            "anyOf": [
                {"$ref": "#/$defs/text"},
                {"type": "array", "items": {"$ref": "#/$defs/text"}},
            ]
        },
        "id": {"type": "string", "pattern": IDENT, "maxLength": ID_MAX},
        "kind": {
            "description": "A kind from the catalog (`archgen catalog` lists them).",
            "type": "string",
            "enum": [kind.name for kind in kinds],
            "enumDescriptions": [f"{kind.label}: {kind.description}" for kind in kinds],
        },
        "tech": {
            "description": "A technology from the catalog; it sets the icon whatever the flavor.",
            "type": "string",
            "enum": [tech.name for tech in techs],
            "enumDescriptions": [tech.label for tech in techs],
        },
        "component": _component_schema(),
        "group": _group_schema(),
        "flow": _flow_schema(),
    }


def _component_schema() -> Schema:
    mapping = {
        "type": "object",
        "properties": {
            "kind": {"$ref": "#/$defs/kind"},
            "label": _text("Text under the icon; defaults to the kind's label."),
            "tech": {"$ref": "#/$defs/tech"},
            "icon": {
                "description": "PNG or SVG file, relative to this blueprint, inside its root.",
                "type": "string",
                "minLength": 1,
            },
            "group": _ref_id("The group this component is drawn in."),
            "description": _text("One sentence for the narrative; defaults to the kind's."),
            "step": _choice(
                "The framework step it belongs to; defaults to the kind's.", STEP_FIELDS
            ),
        },
        "additionalProperties": False,
    }
    return {
        "description": "A kind name (shorthand), a mapping, or null to remove an inherited one.",
        "anyOf": [{"$ref": "#/$defs/kind"}, mapping, {"type": "null"}],
    }


def _group_schema() -> Schema:
    mapping = {
        "type": "object",
        "properties": {
            "label": _text("Text shown on the group's border."),
            "parent": _ref_id("The group this one is nested in."),
        },
        "additionalProperties": False,
    }
    return {
        "description": "A label (shorthand), a mapping, or null to remove an inherited group.",
        "anyOf": [{"$ref": "#/$defs/text"}, mapping, {"type": "null"}],
    }


def _flow_schema() -> Schema:
    string_form = {
        "description": "`a -> b`, a chain `a -> b -> c`, `<->` for two-way, then `: label`.",
        "type": "string",
        "pattern": CHAIN_WITH_LABEL,
    }
    one_key_form = {
        "description": "`a -> b: label`, as YAML reads an unquoted list item.",
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "propertyNames": {"pattern": CHAIN},
        "additionalProperties": {"anyOf": [{"$ref": "#/$defs/text"}, {"type": "null"}]},
    }
    full_form = {
        "type": "object",
        "properties": {
            "from": _ref_id("Component or group the edge starts at."),
            "to": _ref_id("Component or group the edge ends at."),
            "label": _text("Text on the edge."),
            "style": _choice("How the edge is drawn.", FLOW_STYLES, "solid"),
            "two_way": {"description": "Arrows at both ends.", "type": "boolean", "default": False},
        },
        "required": ["from", "to"],
        "additionalProperties": False,
    }
    return {"anyOf": [string_form, one_key_form, full_form]}


def _step_schema(step: str) -> Schema:
    fields: Schema = {
        name: (
            {"description": help_text, "type": "object", "additionalProperties": _text()}
            if name == "scale"
            else {"description": help_text, "$ref": "#/$defs/text_or_list"}
        )
        for name, help_text in _field_help(step).items()
    }
    fields["notes"] = _text("Free Markdown text for this step.")
    fields["focus"] = {
        "description": (
            "Component or group ids this step's diagram highlights; [] for no diagram. "
            "Defaults to the components whose step is this one."
        ),
        "type": "array",
        "items": {"$ref": "#/$defs/id"},
    }
    return {
        "description": f"Step: {STEP_TITLES[step]}. Each value is text or a list of text.",
        "type": ["object", "null"],
        "properties": fields,
        "additionalProperties": False,
    }


def _field_help(step: str) -> dict[str, str]:
    """Help for each of a step's fields, in the model's order."""
    return {name: FIELD_HELP[step][name] for name in STEP_FIELDS[step]}


def _text(description: str = "") -> Schema:
    """Text, with help for the editor when the place gives it a meaning."""
    text: Schema = {"$ref": "#/$defs/text"}
    return {"description": description, **text} if description else text


def _ref_id(description: str) -> Schema:
    return {"description": description, "$ref": "#/$defs/id"}


def _choice(description: str, values: Iterable[str], default: str | None = None) -> Schema:
    choice: Schema = {"description": description, "type": "string", "enum": list(values)}
    if default is not None:
        choice["default"] = default
    return choice


def _id_map(description: str, item_ref: str) -> Schema:
    return {
        "description": description,
        "type": ["object", "null"],
        "propertyNames": {"pattern": IDENT, "maxLength": ID_MAX},
        "additionalProperties": {"$ref": item_ref},
    }


def schema_text(catalog: Catalog) -> str:
    """The schema file's exact content: stable key order, two-space indent."""
    return json.dumps(build_schema(catalog), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the schema to the given path, or over the repository's copy."""
    parser = argparse.ArgumentParser(
        prog="python -m archgen.schema_gen",
        description="Regenerate the blueprint JSON Schema from the model and the catalog.",
    )
    parser.add_argument("target", nargs="?", type=Path, default=SCHEMA_FILE, help="output file")
    target = parser.parse_args(argv).target
    write_atomic(target, schema_text(load_catalog()))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
