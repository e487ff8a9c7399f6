"""YAML mistakes no explainer recognises keep the parser's own words, and the general hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from archgen.errors import BlueprintError
from archgen.parse.load import load
from archgen.parse.yamlmistakes import GENERAL_HINT, SyntaxProblem, explain


def test_an_unrecognised_mistake_keeps_the_parsers_words() -> None:
    problem = SyntaxProblem(
        "did not find expected ',' or ']'", 3, 10, "while parsing a flow sequence", 2, 6
    )
    mistake = explain("archgen: 1\ntags: [a,\n  b\nc: d\n", problem)
    assert (mistake.line, mistake.col) == (4, 11)
    assert mistake.message.startswith("YAML syntax: did not find expected ',' or ']'")
    assert "that starts at line 3, column 7" in mistake.message
    assert mistake.hint == GENERAL_HINT


def test_an_unclosed_bracket_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bracket.yaml"
    path.write_text("archgen: 1\ntitle: T\ntags: [a, b\ncomponents:\n  users: client\n")
    with pytest.raises(BlueprintError) as caught:
        load(path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.message.startswith("YAML syntax:")
    assert diagnostic.mark.line >= 3
