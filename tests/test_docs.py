"""docs/format.md, the format reference in the repository, names every key archgen reads."""

from __future__ import annotations

import re
from pathlib import Path

from archgen import format as fmt

REFERENCE = Path(__file__).parent.parent / "docs" / "format.md"


def documented_keys() -> set[str]:
    """Every name written as inline code in the reference: `key`, `key:` or `key: value`."""
    return {m.group(1) for m in re.finditer(r"`([a-z_]+)(?::[^`]*)?`", REFERENCE.read_text())}


def test_every_key_the_validator_accepts_is_documented() -> None:
    keys = [
        *fmt.TOP_LEVEL_KEYS,
        *fmt.COMPONENT_KEYS,
        *fmt.GROUP_KEYS,
        *fmt.FLOW_KEYS,
        *fmt.STEP_EXTRA_KEYS,
        *fmt.REFERENCE_KEYS,
        *fmt.REVIEW_KEYS,
    ]
    fields = [field for step in fmt.STEPS for field in step.fields]
    missing = sorted({k.name for k in [*keys, *fields]} - documented_keys())
    assert missing == [], f"docs/format.md does not name: {', '.join(missing)}"


def test_every_value_the_validator_accepts_is_documented() -> None:
    words = documented_keys()
    values = (
        *fmt.FLAVORS,
        *fmt.FLOW_STYLES,
        *(d.lower() for d in fmt.DIRECTIONS),
        *fmt.names(fmt.FAMILIES),
        *fmt.names(fmt.LEVELS),
    )
    text = REFERENCE.read_text()
    missing = [v for v in values if v not in words and f"`{v}`" not in text.lower()]
    assert missing == []


def test_every_limit_is_documented_with_its_value() -> None:
    """The Limits section has a row per limit, `| name | value |`, with the value the code uses."""
    section = REFERENCE.read_text().split("\n## Limits\n", 1)[1].split("\n## ", 1)[0]
    rows = {
        cells[0]: cells[1]
        for cells in (
            [cell.strip() for cell in line.strip("|").split("|")]
            for line in section.splitlines()
            if line.startswith("| ")
        )
    }
    documented = {name: value for name, value in rows.items() if name != "limit"}
    assert documented == {limit.name: f"{limit.value:,}" for limit in fmt.LIMITS}
