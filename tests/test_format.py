"""`archgen.format` is the format's one source: the schema, the validator and the narrative follow it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from archgen.catalog import load_catalog
from archgen.diagnostics import BlueprintError, one_of
from archgen.format import (
    COMPONENT_KEYS,
    FLOW_KEYS,
    GROUP_KEYS,
    STEP_EXTRA_KEYS,
    STEPS,
    TOP_LEVEL_KEYS,
    Field,
    Key,
    names,
    step_format,
)
from archgen.narrate.narrative import template_context
from archgen.parse.load import load
from archgen.schema_gen import build_schema

HEAD = "archgen: 1\ntitle: T\ngroups:\n  g: G\ncomponents:\n  users: {kind: client, group: g}\n"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return build_schema(load_catalog())


def described(properties: dict[str, Any]) -> list[tuple[str, str]]:
    return [(name, prop.get("description", "")) for name, prop in properties.items()]


def helped(keys: tuple[Key, ...] | tuple[Field, ...]) -> list[tuple[str, str]]:
    return [(key.name, key.help) for key in keys]


def test_the_schema_offers_each_key_of_the_format_with_its_help(schema: dict[str, Any]) -> None:
    assert described(schema["properties"]) == helped(TOP_LEVEL_KEYS)
    component = schema["$defs"]["component"]["anyOf"][1]["properties"]
    assert list(component) == list(names(COMPONENT_KEYS))
    for name in ("kind", "tech"):  # their help is on their definitions, beside the catalog's names
        assert (name, schema["$defs"][name]["description"]) in helped(COMPONENT_KEYS)
    assert described(schema["$defs"]["group"]["anyOf"][1]["properties"]) == helped(GROUP_KEYS)
    assert described(schema["$defs"]["flow"]["anyOf"][2]["properties"]) == helped(FLOW_KEYS)
    for step in STEPS:
        properties = schema["properties"][step.name]["properties"]
        assert described(properties) == helped(step.fields) + helped(STEP_EXTRA_KEYS)


def hint_for_unknown_key(tmp_path: Path, text: str) -> str:
    """The hint of the one error a file with a key `zzz` gets: every allowed key, sorted."""
    path = tmp_path / "bp.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BlueprintError) as caught:
        load(path)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.message.startswith("unknown key 'zzz'")
    return diagnostic.hint


def test_the_validator_accepts_the_keys_of_the_format_and_no_other(tmp_path: Path) -> None:
    assert hint_for_unknown_key(tmp_path, HEAD + "zzz: 1\n") == one_of(names(TOP_LEVEL_KEYS))
    component = HEAD + "  api: {kind: api_gateway, zzz: 1}\n"
    assert hint_for_unknown_key(tmp_path, component) == one_of(names(COMPONENT_KEYS))
    group = HEAD.replace("g: G", "g: {label: G, zzz: 1}")
    assert hint_for_unknown_key(tmp_path, group) == one_of(names(GROUP_KEYS))
    for step in STEPS:
        allowed = one_of((*names(step.fields), *names(STEP_EXTRA_KEYS)))
        assert hint_for_unknown_key(tmp_path, HEAD + f"{step.name}: {{zzz: 1}}\n") == allowed


def test_a_field_added_to_the_format_is_offered_read_and_labelled(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Adding a step field is one entry in archgen.format, and nothing else."""
    step = step_format("model")
    risks = Field("risks", "Risks to the model", "What could make the model fail.")
    monkeypatch.setitem(step.__dict__, "fields", (*step.fields, risks))
    offered = build_schema(load_catalog())["properties"]["model"]["properties"]
    assert offered["risks"] == {"description": risks.help, "$ref": "#/$defs/text_or_list"}
    path = tmp_path / "bp.yaml"
    path.write_text(HEAD + "model:\n  choice: GBDT\n  risks: [Leakage]\n", encoding="utf-8")
    blueprint = load(path)
    assert blueprint.step("model").fields == (("choice", "GBDT"), ("risks", ("Leakage",)))
    [view] = [view for view in template_context(blueprint)["steps"] if view.name == "model"]
    assert [(field.key, field.label) for field in view.fields] == [
        ("choice", "Chosen model"),
        ("risks", "Risks to the model"),
    ]
