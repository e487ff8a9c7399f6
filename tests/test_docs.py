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
