"""The `$defs` of the blueprint JSON Schema, and the helpers that describe keys in it.

`archgen.schema_gen` assembles the schema's top level from these: text, ids,
the catalog's kinds and techs, components, groups, flows, and the study notes
of format 1.1 (answered items, estimates, references, review ignores). Every
key's help comes from `archgen.format`, so the editor says what the docs say.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from archgen.catalog import Catalog
from archgen.format import (
    ARROW,
    COMPONENT_KEYS,
    DEFAULT_FLOW_STYLE,
    FLOW_KEYS,
    FLOW_STYLES,
    GROUP_KEYS,
    ID_PATTERN,
    MAX_ID,
    REFERENCE_KEYS,
    REVIEW_KEYS,
    STEP_NAMES,
    Key,
    Shape,
)

Schema = dict[str, Any]

IDENT = f"^{ID_PATTERN.pattern}$"
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
    "pairs": {"$ref": "#/$defs/pairs"},
    "table_or_text": {
        "anyOf": [
            {"type": "object", "additionalProperties": TEXT},
            {"$ref": "#/$defs/text_or_list"},
        ]
    },
}
# An http(s) URL with nothing a URL must percent-encode; the loader also wants a host.
URL_PATTERN = r'^[hH][tT][tT][pP][sS]?://[^\s\x00-\x1f\x7f<>"\\^`{|}]+$'


def definitions(catalog: Catalog) -> Schema:
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
            "description": help(COMPONENT_KEYS, "kind"),
            "type": "string",
            "enum": [kind.name for kind in kinds],
            "enumDescriptions": [f"{kind.label}: {kind.description}" for kind in kinds],
        },
        "tech": {
            "description": help(COMPONENT_KEYS, "tech"),
            "type": "string",
            "enum": [tech.name for tech in techs],
            "enumDescriptions": [tech.label for tech in techs],
        },
        "component": _component_schema(),
        "group": _group_schema(),
        "flow": _flow_schema(),
        **_study_note_definitions(),
    }


def _component_schema() -> Schema:
    schemas = {
        "kind": KIND,
        "label": TEXT,
        "tech": TECH,
        "icon": {"type": "string", "minLength": 1},
        "group": ID,
        "description": TEXT,
        "step": choice(STEP_NAMES),
    }
    return {
        "description": "A kind name (shorthand), a mapping, or null to remove an inherited one.",
        "anyOf": [KIND, closed(COMPONENT_KEYS, schemas), {"type": "null"}],
    }


def _group_schema() -> Schema:
    mapping = closed(GROUP_KEYS, {"label": TEXT, "parent": ID})
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
        "style": choice(FLOW_STYLES, DEFAULT_FLOW_STYLE),
        "two_way": {"type": "boolean", "default": False},
    }
    full_form = {
        "type": "object",
        "properties": properties(FLOW_KEYS, schemas),
        "required": ["from", "to"],
        "additionalProperties": False,
    }
    return {"anyOf": [string_form, one_key_form, full_form]}


def _study_note_definitions() -> Schema:
    """Format 1.1: an item with its answer, the lists of them, a reference, the review."""
    one_key = {
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "propertyNames": {"minLength": 1},
        "additionalProperties": {"anyOf": [TEXT, {"type": "null"}]},
    }
    url = {"type": "string", "pattern": URL_PATTERN}
    full_reference = closed(REFERENCE_KEYS, {"title": TEXT, "url": url, "note": TEXT})
    ignore = {"type": ["array", "null"], "items": {"$ref": "#/$defs/pair"}}
    return {
        "pair": {
            "description": "Text, or one `text: text`: a question and the answer assumed, "
            "an option and why.",
            "anyOf": [TEXT, one_key],
        },
        "pairs": {"anyOf": [TEXT, {"type": "array", "items": {"$ref": "#/$defs/pair"}}]},
        "reference": {
            "description": "An http(s) URL, or a mapping with `title`, `url` and `note`.",
            "anyOf": [url, {**full_reference, "required": ["title", "url"]}],
        },
        "review": {**closed(REVIEW_KEYS, {"ignore": ignore}), "type": ["object", "null"]},
    }


def properties(keys: tuple[Key, ...], schemas: dict[str, Schema]) -> Schema:
    """Each key's schema with the format's help for it, in the format's order.

    A key with no schema here fails at once, so the schema cannot leave one out.
    """
    return {key.name: described(key.help, schemas[key.name]) for key in keys}


def described(about: str, schema: Schema) -> Schema:
    """The schema with help for the editor; a kind's or tech's help is on its definition."""
    return schema if schema in (KIND, TECH) else {"description": about, **schema}


def closed(keys: tuple[Key, ...], schemas: dict[str, Schema]) -> Schema:
    """A mapping that takes these keys and no other."""
    return {
        "type": "object",
        "properties": properties(keys, schemas),
        "additionalProperties": False,
    }


def help(keys: tuple[Key, ...], name: str) -> str:
    return next(key.help for key in keys if key.name == name)


def choice(values: Iterable[str], default: str | None = None) -> Schema:
    choice: Schema = {"type": "string", "enum": list(values)}
    if default is not None:
        choice["default"] = default
    return choice
