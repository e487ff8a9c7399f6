"""The JSON Schema accepts every blueprint the loader accepts, and rejects known mistakes."""

from __future__ import annotations

import contextlib
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from archgen.catalog import load_catalog
from archgen.errors import BlueprintError
from archgen.format import STEP_NAMES, STEPS, names
from archgen.schema_gen import SCHEMA_FILE, schema_text

REPO = Path(__file__).resolve().parent.parent
VALID = sorted((REPO / "tests" / "data" / "valid").glob("*.yaml"))
BUNDLED = sorted((REPO / "blueprints").rglob("*.yaml"))
SCHEMA_INVALID = sorted((REPO / "tests" / "data" / "schema-invalid").glob("*.yaml"))
ERROR_AT = re.compile(r"^# error at: (\S+)$", re.MULTILINE)
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


class EditorLoader(yaml.CSafeLoader):
    """Reads YAML roughly as an editor's YAML 1.2 parser does: dates stay text.

    libyaml, because the pure-Python parser rejects `[Is it real-time?]`.
    """


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


def read(text: str) -> Any:
    return yaml.load(text, Loader=EditorLoader)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema)


def errors(validator: jsonschema.Draft202012Validator, text: str) -> list[str]:
    return [error.message for error in validator.iter_errors(read(text))]


def test_the_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_committed_schema_is_the_generated_one() -> None:
    """Fails after a catalog or model change until `python -m archgen.schema_gen` is run."""
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(load_catalog())


def test_kind_and_tech_enums_are_the_catalog(schema: dict[str, Any]) -> None:
    catalog = load_catalog()
    assert schema["$defs"]["kind"]["enum"] == list(catalog.kinds)
    assert schema["$defs"]["tech"]["enum"] == list(catalog.techs)


def test_each_step_takes_its_fields_notes_and_focus(schema: dict[str, Any]) -> None:
    for step in STEPS:
        properties = schema["properties"][step.name]["properties"]
        assert list(properties) == [*names(step.fields), "notes", "focus"]
        assert schema["properties"][step.name]["additionalProperties"] is False


def test_every_property_tells_the_editor_what_it_is(schema: dict[str, Any]) -> None:
    """Hover help in the editor comes from `description`."""
    mappings = [
        schema,
        *(schema["properties"][step] for step in STEP_NAMES),
        schema["$defs"]["component"]["anyOf"][1],
        schema["$defs"]["group"]["anyOf"][1],
        schema["$defs"]["flow"]["anyOf"][2],
    ]
    for mapping in mappings:
        for name, prop in mapping["properties"].items():
            has_help = prop.get("description") or prop.get("$ref") in (
                "#/$defs/kind",
                "#/$defs/tech",
            )
            assert has_help, name


@pytest.mark.parametrize("path", VALID + BUNDLED, ids=lambda p: str(p.relative_to(REPO)))
def test_valid_and_bundled_blueprints_validate(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    assert errors(validator, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(REPO)))
def test_bundled_blueprints_point_their_editor_at_the_schema(path: Path) -> None:
    modeline = MODELINE.search(path.read_text(encoding="utf-8"))
    assert modeline, "no yaml-language-server modeline"
    assert (path.parent / modeline.group(1)).resolve() == SCHEMA_FILE


@pytest.mark.parametrize("path", SCHEMA_INVALID, ids=lambda p: p.stem)
def test_schema_invalid_examples_fail_where_they_say(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    """Each file's `# error at:` comment names the place its one mistake is reported."""
    text = path.read_text(encoding="utf-8")
    expected = ERROR_AT.search(text)
    assert expected, "no `# error at:` comment"
    error = jsonschema.exceptions.best_match(validator.iter_errors(read(text)))
    assert error is not None
    assert "/" + "/".join(map(str, error.absolute_path)) == "/" + expected.group(1).strip("/")


@pytest.mark.parametrize("path", SCHEMA_INVALID, ids=lambda p: p.stem)
def test_the_loader_rejects_what_the_schema_rejects(path: Path) -> None:
    from archgen.parse.load import load

    with pytest.raises(BlueprintError):
        load(path)


def test_the_spec_example_is_among_the_valid_files() -> None:
    """A copy of the spec's complete example, so CI needs no access to the spec."""
    assert REPO / "tests" / "data" / "valid" / "spec-example.yaml" in VALID


def test_the_invalid_corpus_covers_the_mistakes_it_should() -> None:
    stems = {path.stem for path in SCHEMA_INVALID}
    expected = {
        "unknown-top-level-key",
        "unknown-step-key",
        "bad-flavor",
        "bad-component-id",
        "wrong-type-components",
        "unknown-kind",
        "bad-flow-style",
        "missing-title",
    }
    assert expected <= stems


ALLOWED = {
    "a fragment needs no title": """
        archgen: 1
        fragment: true
        components: {users: client}
    """,
    "a file that extends may remove, and add to inherited components": """
        archgen: 1
        extends: [lib/base.yaml]
        components:
          old: null
          users: {label: Viewers}
        groups: {gone: null}
    """,
    "numbers and true/false in text places are read as text": """
        archgen: 1
        title: 2024
        serving: {latency: 200, mode: true}
        requirements: {scale: {Peak QPS: 100000, Users: 2B}}
        components: {users: {kind: client, label: 3.10}}
    """,
    "empty sections while typing, a flow without label, a group without label": """
        archgen: 1
        title: Typing
        components: {a: client, b: ranker}
        groups: {g: {parent: h}, h: H}
        data:
        flows:
          - a -> b:
    """,
    "every flow form": """
        archgen: 1
        title: Flows
        components: {a: client, b: api_gateway, c: {kind: ranker, group: h}}
        groups: {g: Group, h: {label: Inner, parent: g}}
        flows:
          - a -> b -> c: requests, then ranking
          - a <-> b
          - "b->c"
          - {from: a, to: g, label: x, style: dashed, two_way: true}
    """,
    "study notes half typed: an empty answer, an empty review, no references yet": """
        archgen: 1
        title: Notes
        components: {a: client}
        requirements:
          questions: [Is it real-time?, {Global?: }, {Peak QPS?: 100000}]
          estimates: [2 TB a day]
        model: {tradeoffs: One option, followups: [{Why?: 42}]}
        references:
        review: {ignore: }
    """,
}

REJECTED = {
    "null without extends removes nothing": """
        archgen: 1
        title: T
        components: {users: client, old: null}
    """,
    "a file that extends nothing needs components": """
        archgen: 1
        title: T
        components:
    """,
    "the version is the integer 1, not text": """
        archgen: 1.5
        title: T
        components: {users: client}
    """,
    "a two-key mapping is not a one-key flow": """
        archgen: 1
        title: T
        components: {a: client, b: ranker}
        flows: [{a -> b: x, b -> a: y}]
    """,
    "focus lists ids": """
        archgen: 1
        title: T
        serving: {focus: [Ranker]}
        components: {ranker: ranker}
    """,
    "a reference is an http or https URL": """
        archgen: 1
        title: T
        components: {users: client}
        references: ["javascript:alert(1)"]
    """,
    "an item with its answer is a one-key mapping": """
        archgen: 1
        title: T
        components: {users: client}
        requirements: {questions: [{Real-time?: yes, Global?: no}]}
    """,
    "review takes `ignore` and nothing else": """
        archgen: 1
        title: T
        components: {users: client}
        review: {ignored: [no-baseline]}
    """,
    "extends names files": """
        archgen: 1
        extends: []
        components: {users: client}
    """,
}


# What `lib/base.yaml` holds when the cases above are loaded for real.
BASE = """
archgen: 1
fragment: true
title: Base
components: {old: client, users: client}
groups: {gone: Gone}
"""


def load_text(folder: Path, text: str) -> None:
    """Load a case with archgen itself, next to the fragment it may extend."""
    from archgen.parse.load import load

    (folder / "lib").mkdir()
    (folder / "lib" / "base.yaml").write_text(BASE, encoding="utf-8")
    path = folder / "blueprint.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    load(path)


@pytest.mark.parametrize("text", ALLOWED.values(), ids=ALLOWED.keys())
def test_the_schema_allows(validator: jsonschema.Draft202012Validator, text: str) -> None:
    assert errors(validator, text) == []


@pytest.mark.parametrize("text", ALLOWED.values(), ids=ALLOWED.keys())
def test_the_loader_accepts_what_the_schema_allows(tmp_path: Path, text: str) -> None:
    """The editor must never flag a file that archgen accepts."""
    from archgen.parse.load import FragmentError

    with contextlib.suppress(FragmentError):  # read and checked, just not drawable alone
        load_text(tmp_path, text)


@pytest.mark.parametrize("text", REJECTED.values(), ids=REJECTED.keys())
def test_the_schema_rejects(validator: jsonschema.Draft202012Validator, text: str) -> None:
    assert errors(validator, text) != []


@pytest.mark.parametrize("text", REJECTED.values(), ids=REJECTED.keys())
def test_the_loader_rejects_these_too(tmp_path: Path, text: str) -> None:
    with pytest.raises(BlueprintError):
        load_text(tmp_path, text)
