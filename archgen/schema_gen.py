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
``propertyNames``, ``const``), besides declaring draft 2020-12. This module
builds the top level; the definitions it refers to are `archgen.schema_defs`'.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from archgen.catalog import Catalog, load_catalog
from archgen.files import write_atomic
from archgen.format import (
    DEFAULT_DIRECTION,
    DEFAULT_FLAVOR,
    DIRECTIONS,
    FAMILIES,
    FLAVORS,
    LEVELS,
    MAX_ID,
    SLUG_PATTERN,
    STEP_EXTRA_KEYS,
    STEPS,
    TOP_LEVEL_KEYS,
    VERSION,
    Choice,
    StepFormat,
    names,
)
from archgen.schema_defs import (
    FIELD_SCHEMAS,
    ID,
    IDENT,
    TEXT,
    Schema,
    choice,
    definitions,
    described,
    properties,
)

SLUG = f"^{SLUG_PATTERN.pattern}$"
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "blueprint.schema.json"


def build_schema(catalog: Catalog) -> Schema:
    """The whole schema as a JSON-ready dictionary."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"archgen blueprint, format {VERSION}",
        "description": "An ML system design: the seven framework steps and the architecture.",
        "type": "object",
        "properties": properties(TOP_LEVEL_KEYS, _top_level_schemas()),
        "required": ["archgen"],
        "additionalProperties": False,
        "allOf": [_standalone_rules(), _complete_rules()],
        "$defs": definitions(catalog),
    }


def _top_level_schemas() -> dict[str, Schema]:
    path = {"type": "string", "minLength": 1}
    return {
        "archgen": {"type": "integer", "const": VERSION},
        "id": {"type": "string", "pattern": SLUG, "maxLength": MAX_ID},
        "title": TEXT,
        "summary": TEXT,
        "tags": {"type": "array", "items": TEXT},
        "family": _explained_choice(FAMILIES),
        "level": _explained_choice(LEVELS),
        "related": {"type": ["array", "null"], "items": {"type": "string", "pattern": SLUG}},
        "flavor": choice(FLAVORS, DEFAULT_FLAVOR),
        "direction": choice(DIRECTIONS, DEFAULT_DIRECTION),
        "extends": {"anyOf": [path, {"type": "array", "items": path, "minItems": 1}]},
        "fragment": {"type": "boolean"},
        **{step.name: _step_schema(step) for step in STEPS},
        "groups": _id_map("#/$defs/group"),
        "components": _id_map("#/$defs/component"),
        "flows": {"type": ["array", "null"], "items": {"$ref": "#/$defs/flow"}},
        "references": {"type": ["array", "null"], "items": {"$ref": "#/$defs/reference"}},
        "review": {"$ref": "#/$defs/review"},
    }


def _explained_choice(values: tuple[Choice, ...]) -> Schema:
    """A closed choice whose values the editor explains as it offers them."""
    return {
        **choice(names(values)),
        "enumDescriptions": [f"{value.title}: {value.help}" for value in values],
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


def _step_schema(step: StepFormat) -> Schema:
    fields = {
        field.name: described(field.help, FIELD_SCHEMAS[field.shape]) for field in step.fields
    }
    extras = {"notes": TEXT, "focus": {"type": "array", "items": ID}}
    return {
        "type": ["object", "null"],
        "properties": {**fields, **properties(STEP_EXTRA_KEYS, extras)},
        "additionalProperties": False,
    }


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
