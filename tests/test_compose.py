"""Composition through `extends`: each merge rule and each composition error."""

from __future__ import annotations

from pathlib import Path

import pytest

from archgen.errors import BlueprintError
from archgen.model import Flow
from archgen.parse.load import load

BASE = """archgen: 1
fragment: true
title: Base title
tags: [a, b]
groups:
  serving: Serving
  inner: {label: Inner, parent: serving}
components:
  users: client
  api: {kind: api_gateway, group: inner}
  x: event_stream
  events: event_stream
  store: {kind: database, group: serving}
requirements:
  functional: [One, Two]
serving:
  focus: [api, x]
flows:
  - users -> api: request
  - api -> x -> events -> store
"""


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / next(iter(files))


def child(body: str, extends: str = "lib/base.yaml") -> str:
    return f"archgen: 1\nextends: {extends}\n{body}"


def load_child(tmp_path: Path, body: str) -> object:
    return load(tree(tmp_path, {"main.yaml": child(body), "lib/base.yaml": BASE}))


def errors_of(path: Path, root: Path | None = None) -> list[str]:
    with pytest.raises(BlueprintError) as caught:
        load(path, root=root)
    return [str(d) for d in caught.value.diagnostics]


def test_inherits_and_later_values_win(tmp_path: Path) -> None:
    bp = load_child(tmp_path, "title: Mine\ncomponents:\n  users: {label: Viewers}\n")
    assert bp.title == "Mine"
    assert bp.components["users"].kind == "client"  # shorthand became a mapping first
    assert bp.components["users"].label == "Viewers"
    assert bp.id == "main"  # id is never inherited


def test_lists_append_without_duplicates_but_focus_is_replaced(tmp_path: Path) -> None:
    bp = load_child(
        tmp_path,
        "tags: [b, c]\nrequirements:\n  functional: [Two, Three]\n"
        "serving:\n  focus: [users]\nflows:\n  - users -> api: updated\n  - users -> store\n",
    )
    assert bp.tags == ("a", "b", "c")
    assert dict(bp.step("requirements").fields)["functional"] == ("One", "Two", "Three")
    assert bp.step("serving").focus == ("users",)
    assert Flow("users", "api", "updated") in bp.flows
    assert sum(1 for f in bp.flows if (f.source, f.target) == ("users", "api")) == 1
    assert Flow("users", "store") in bp.flows


def test_bases_merge_in_order(tmp_path: Path) -> None:
    second = "archgen: 1\nfragment: true\ntitle: Second\ncomponents:\n  users: {label: Second}\n"
    main = "archgen: 1\nextends: [lib/base.yaml, lib/second.yaml]\n"
    bp = load(tree(tmp_path, {"main.yaml": main, "lib/base.yaml": BASE, "lib/second.yaml": second}))
    assert bp.title == "Second"
    assert bp.components["users"].label == "Second"


def test_null_removes_a_component_with_its_edges_and_focus(tmp_path: Path) -> None:
    bp = load_child(tmp_path, "components:\n  x: null\n")
    assert "x" not in bp.components
    assert all("x" not in (f.source, f.target) for f in bp.flows)
    assert Flow("events", "store") in bp.flows  # the rest of the chain stays
    assert bp.step("serving").focus == ("api",)


def test_removing_a_group_moves_its_members_to_the_parent(tmp_path: Path) -> None:
    bp = load_child(tmp_path, "groups:\n  inner: null\n")
    assert bp.components["api"].group == "serving"
    assert "inner" not in bp.groups


def test_a_reference_to_a_removed_id_is_an_error(tmp_path: Path) -> None:
    main = tree(
        tmp_path,
        {
            "main.yaml": child("components:\n  x: null\nflows:\n  - users -> x\n"),
            "lib/base.yaml": BASE,
        },
    )
    (message,) = errors_of(main)
    assert message.startswith(f"{main}:6:")
    assert "was removed" in message


def test_an_error_inside_a_base_points_at_the_base(tmp_path: Path) -> None:
    broken = BASE.replace("users: client", "users: clent")
    main = tree(tmp_path, {"main.yaml": child(""), "lib/base.yaml": broken})
    (message,) = errors_of(main)
    assert message.startswith("lib/base.yaml:9:10:") or ":9:10:" in message
    assert "base.yaml" in message and "unknown kind 'clent'" in message


def test_missing_base_shows_the_chain(tmp_path: Path) -> None:
    middle = "archgen: 1\nfragment: true\nextends: gone.yaml\n"
    main = tree(
        tmp_path, {"main.yaml": child("title: T\n", "lib/middle.yaml"), "lib/middle.yaml": middle}
    )
    (message,) = errors_of(main)
    assert "middle.yaml:3:10" in message and "'gone.yaml', which does not exist" in message
    assert "main.yaml:2 -> " in message


def test_cycle_shows_the_chain(tmp_path: Path) -> None:
    a = "archgen: 1\nextends: b.yaml\ntitle: A\ncomponents:\n  users: client\n"
    b = "archgen: 1\nfragment: true\nextends: a.yaml\n"
    main = tree(tmp_path, {"a.yaml": a, "b.yaml": b})
    (message,) = errors_of(main)
    assert "cycle" in message and "a.yaml:2 -> " in message and "b.yaml:3" in message


def test_extends_outside_the_root_is_refused(tmp_path: Path) -> None:
    files = {"root/main.yaml": child("title: T\n", "../outside.yaml"), "outside.yaml": BASE}
    main = tree(tmp_path, files)
    (message,) = errors_of(main)
    assert "outside the blueprint root" in message


def test_fragment_flag_is_not_inherited(tmp_path: Path) -> None:
    bp = load_child(tmp_path, "")
    assert bp.title == "Base title"
    assert bp.sources[-1] == (tmp_path / "main.yaml").resolve()
    assert bp.sources[0] == (tmp_path / "lib/base.yaml").resolve()
