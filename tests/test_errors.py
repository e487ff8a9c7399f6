"""Every broken blueprint in tests/data/invalid fails with the line and column it names.

Each file starts with `# expect: LINE:COL text` comments: for each, one
reported diagnostic must sit at that place and contain that text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archgen.errors import BlueprintError
from archgen.parse.load import load

INVALID = Path(__file__).parent / "data" / "invalid"
EXPECT = re.compile(r"# expect: (\d+):(\d+) (.+)")


def expectations(path: Path) -> list[tuple[int, int, str]]:
    found = [EXPECT.match(line) for line in path.read_text().splitlines()]
    return [(int(m[1]), int(m[2]), m[3]) for m in found if m]


@pytest.mark.parametrize("path", sorted(INVALID.glob("*.yaml")), ids=lambda p: p.stem)
def test_invalid_blueprint_reports_line_and_column(path: Path) -> None:
    wanted = expectations(path)
    assert wanted, f"{path.name} has no `# expect:` line"
    with pytest.raises(BlueprintError) as caught:
        load(path)
    got = [(d.mark.line, d.mark.col, d.message) for d in caught.value.diagnostics]
    for line, col, text in wanted:
        assert any(
            (line, col) == (g_line, g_col) and text in message for g_line, g_col, message in got
        ), f"expected {line}:{col} {text!r}; got {got}"
    assert all(d.mark.file == path for d in caught.value.diagnostics)


def test_errors_come_in_line_order() -> None:
    with pytest.raises(BlueprintError) as caught:
        load(INVALID / "several-errors.yaml")
    places = [(d.mark.line, d.mark.col) for d in caught.value.diagnostics]
    assert places == sorted(places)
    assert len(places) >= 5
