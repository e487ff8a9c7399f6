"""The JSON Schema of blueprint format v1, generated from the format and the catalog.

An editor running yaml-language-server reads ``schema/blueprint.schema.json``
(through the modeline ``# yaml-language-server: $schema=...``) to complete and
check blueprints as they are typed. Its keys, help, steps, enums, kinds and
techs come from ``archgen.format`` and the catalog, so it cannot drift from what
the loader accepts; a test fails while the committed file is stale. Regenerate
it with ``python -m archgen.schema_gen``.

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
from archgen.format import (
    ARROW,
    COMPONENT_KEYS,
    DEFAULT_DIRECTION,
    DEFAULT_FLAVOR,
    DEFAULT_FLOW_STYLE,
    DIRECTIONS,
    FLAVORS,
    FLOW_KEYS,
    FLOW_STYLES,
    GROUP_KEYS,
    ID_PATTERN,
    MAX_ID,
    SLUG_PATTERN,
    STEP_EXTRA_KEYS,
    STEP_NAMES,
    STEPS,
    TOP_LEVEL_KEYS,
    VERSION,
    Key,
    Shape,
    StepFormat,
)

Schema = dict[str, Any]

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "blueprint.schema.json"

IDENT = f"^{ID_PATTERN.pattern}$"
SLUG = f"^{SLUG_PATTERN.pattern}$"
# A chain of ids joined by `->` or `<->`; a string flow may add `: label`.
_CHAIN = rf"\s*{ID_PATTERN.pattern}(\s*{ARROW.pattern}\s*{ID_PATTERN.pattern})+\s*"
CHAIN = f"^{_CHAIN}$"
CHAIN_WITH_LABEL = rf"^{_CHAIN}(:[\s\S]*)?$"

TEXT: Schema = {"$ref": "#/$defs/text"}
ID: Schema = {"$ref": "#/$defs/id"}
KIND: Schema = {"$ref": "#/$defs/kind"}
TECH: Schema = {"$ref": "#/$defs/tech"}
# A step field's schema by the shape the format gives it.
FIELD_SCHEMAS: dict[Shape, Schema] = {
    "text": {"$ref": "#/$defs/text_or_list"},
    "table": {"type": "object", "additionalProperties": TEXT},
}


def build_schema(catalog: Catalog) -> Schema:
    """The whole schema as a JSON-ready dictionary."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"archgen blueprint, format {VERSION}",
        "description": "An ML system design: the seven framework steps and the architecture.",
        "type": "object",
        "properties": _properties(TOP_LEVEL_KEYS, _top_level_schemas()),
        "required": ["archgen"],
        "additionalProperties": False,
        "allOf": [_standalone_rules(), _complete_rules()],
        "$defs": _definitions(catalog),
    }


def _top_level_schemas() -> dict[str, Schema]:
    path = {"type": "string", "minLength": 1}
    return {
        "archgen": {"type": "integer", "const": VERSION},
        "id": {"type": "string", "pattern": SLUG, "maxLength": MAX_ID},
        "title": TEXT,
        "summary": TEXT,
        "tags": {"type": "array", "items": TEXT},
        "flavor": _choice(FLAVORS, DEFAULT_FLAVOR),
        "direction": _choice(DIRECTIONS, DEFAULT_DIRECTION),
        "extends": {"anyOf": [path, {"type": "array", "items": path, "minItems": 1}]},
        "fragment": {"type": "boolean"},
        **{step.name: _step_schema(step) for step in STEPS},
        "groups": _id_map("#/$defs/group"),
        "components": _id_map("#/$defs/component"),
        "flows": {"type": ["array", "null"], "items": {"$ref": "#/$defs/flow"}},
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
        "text_or_list": {"anyOf": [TEXT, {"type": "array", "items": TEXT}]},
        "id": {"type": "string", "pattern": IDENT, "maxLength": MAX_ID},
        "kind": {
            "description": _help(COMPONENT_KEYS, "kind"),
            "type": "string",
            "enum": [kind.name for kind in kinds],
            "enumDescriptions": [f"{kind.label}: {kind.description}" for kind in kinds],
        },
        "tech": {
            "description": _help(COMPONENT_KEYS, "tech"),
            "type": "string",
            "enum": [tech.name for tech in techs],
            "enumDescriptions": [tech.label for tech in techs],
        },
        "component": _component_schema(),
        "group": _group_schema(),
        "flow": _flow_schema(),
    }


def _component_schema() -> Schema:
    schemas = {
        "kind": KIND,
        "label": TEXT,
        "tech": TECH,
        "icon": {"type": "string", "minLength": 1},
        "group": ID,
        "description": TEXT,
        "step": _choice(STEP_NAMES),
    }
    return {
        "description": "A kind name (shorthand), a mapping, or null to remove an inherited one.",
        "anyOf": [KIND, _closed(COMPONENT_KEYS, schemas), {"type": "null"}],
    }


def _group_schema() -> Schema:
    mapping = _closed(GROUP_KEYS, {"label": TEXT, "parent": ID})
    return {
        "description": "A label (shorthand), a mapping, or null to remove an inherited group.",
        "anyOf": [TEXT, mapping, {"type": "null"}],
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
        "additionalProperties": {"anyOf": [TEXT, {"type": "null"}]},
    }
    schemas = {
        "from": ID,
        "to": ID,
        "label": TEXT,
        "style": _choice(FLOW_STYLES, DEFAULT_FLOW_STYLE),
        "two_way": {"type": "boolean", "default": False},
    }
    full_form = {
        "type": "object",
        "properties": _properties(FLOW_KEYS, schemas),
        "required": ["from", "to"],
        "additionalProperties": False,
    }
    return {"anyOf": [string_form, one_key_form, full_form]}


def _step_schema(step: StepFormat) -> Schema:
    fields = {
        field.name: _described(field.help, FIELD_SCHEMAS[field.shape]) for field in step.fields
    }
    extras = {"notes": TEXT, "focus": {"type": "array", "items": ID}}
    return {
        "type": ["object", "null"],
        "properties": {**fields, **_properties(STEP_EXTRA_KEYS, extras)},
        "additionalProperties": False,
    }


def _properties(keys: tuple[Key, ...], schemas: dict[str, Schema]) -> Schema:
    """Each key's schema with the format's help for it, in the format's order.

    A key with no schema here fails at once, so the schema cannot leave one out.
    """
    return {key.name: _described(key.help, schemas[key.name]) for key in keys}


def _described(about: str, schema: Schema) -> Schema:
    """The schema with help for the editor; a kind's or tech's help is on its definition."""
    return schema if schema in (KIND, TECH) else {"description": about, **schema}


def _closed(keys: tuple[Key, ...], schemas: dict[str, Schema]) -> Schema:
    """A mapping that takes these keys and no other."""
    return {
        "type": "object",
        "properties": _properties(keys, schemas),
        "additionalProperties": False,
    }


def _help(keys: tuple[Key, ...], name: str) -> str:
    return next(key.help for key in keys if key.name == name)


def _choice(values: Iterable[str], default: str | None = None) -> Schema:
    choice: Schema = {"type": "string", "enum": list(values)}
    if default is not None:
        choice["default"] = default
    return choice


def _id_map(item_ref: str) -> Schema:
    return {
        "type": ["object", "null"],
        "propertyNames": {"pattern": IDENT, "maxLength": MAX_ID},
        "additionalProperties": {"$ref": item_ref},
    }


def schema_text(catalog: Catalog) -> str:
    """The schema file's exact content: stable key order, two-space indent."""
    return json.dumps(build_schema(catalog), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the schema to the given path, or over the repository's copy."""
    parser = argparse.ArgumentParser(
        prog="python -m archgen.schema_gen",
        description="Regenerate the blueprint JSON Schema from the format and the catalog.",
    )
    parser.add_argument("target", nargs="?", type=Path, default=SCHEMA_FILE, help="output file")
    target = parser.parse_args(argv).target
    write_atomic(target, schema_text(load_catalog()))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
