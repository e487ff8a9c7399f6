"""Where each part of a blueprint is written, for messages that point into the file.

Stages after validation (the design review above all) speak about a blueprint
as a whole, but a user fixes a line: `Blueprint.marks` tells them which. The
marks come from the composed tree, whose nodes remember their own file, so in
a composed blueprint a part inherited from a fragment points into the fragment.
Each mark is the key's, as an unknown key's error is.
"""

from __future__ import annotations

from archgen.diagnostics import Mark
from archgen.format import STEP_NAMES
from archgen.parse.compose import Composed
from archgen.parse.yamltree import Mapping, Scalar, Sequence

# Top-level keys whose entries are marked too: `requirements.scale`, `components.api`.
_NESTED = frozenset({*STEP_NAMES, "components", "groups"})


def read_marks(composed: Composed) -> dict[str, Mark]:
    """ "" (the file's first line), each top-level key, each step field, each
    component and group (`components.<id>`), each rule `review.ignore.<id>`, each
    case study named `related.<id>`."""
    marks = {"": Mark(composed.file, 1, 1)}
    for key, (key_node, value) in composed.tree.entries.items():
        marks[key] = key_node.mark
        if key in _NESTED and isinstance(value, Mapping):
            for sub_key, (sub_node, _) in value.entries.items():
                marks[f"{key}.{sub_key}"] = sub_node.mark
    review = composed.tree.get("review")
    ignore = review.get("ignore") if isinstance(review, Mapping) else None
    for item in ignore.items if isinstance(ignore, Sequence) else ():
        if isinstance(item, Mapping):
            item = next((key for key, _ in item.entries.values()), item)
        if isinstance(item, Scalar) and not item.is_null:
            marks.setdefault(f"review.ignore.{item.value}", item.mark)
    related = composed.tree.get("related")
    for item in related.items if isinstance(related, Sequence) else ():
        if isinstance(item, Scalar) and not item.is_null:
            marks.setdefault(f"related.{item.value}", item.mark)
    return marks
