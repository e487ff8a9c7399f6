"""The seven framework steps: their fields, notes and focus.

Which fields a step takes, and in what shape, is the format's (`archgen.format`):
a field added there is read here with no change.
"""

from __future__ import annotations

from archgen.format import STEP_EXTRA_KEYS, STEPS, Field, StepFormat, names
from archgen.model import FieldValue, Step
from archgen.parse.validate.entities import Entities
from archgen.parse.validate.references import References
from archgen.parse.validate.shapes import Shapes
from archgen.parse.yamltree import Mapping, Node, Sequence, kind_of

# What the two parts of an item of a `pairs` field are, for messages about it.
PAIR_FORMS: dict[str, str] = {
    "questions": "question: answer",
    "tradeoffs": "option: reason",
    "followups": "question: answer",
}


def read_steps(tree: Mapping, entities: Entities, refs: References) -> tuple[Step, ...]:
    """All seven steps in framework order, the absent ones empty but for their default focus."""
    return tuple(
        _step(tree.get(step.name), step, number, entities, refs)
        for number, step in enumerate(STEPS, 1)
    )


def _step(
    node: Node | None, step: StepFormat, number: int, entities: Entities, refs: References
) -> Step:
    shapes = refs.shapes
    name = step.name
    default_focus = tuple(c.id for c in entities.components.values() if c.step == name)
    if node is None:
        return Step(name, number, focus=default_focus)
    if not isinstance(node, Mapping):
        shapes.errors.error(node.mark, f"step `{name}` must be a mapping, not {kind_of(node)}")
        return Step(name, number)
    shapes.unknown_keys(node, (*names(step.fields), *names(STEP_EXTRA_KEYS)), f"step `{name}`")
    fields = []
    for field in step.fields:
        value = node.get(field.name)
        read = _field(value, field, f"`{name}.{field.name}`", shapes) if value is not None else None
        if read:
            fields.append((field.name, read))
    notes = shapes.text(node.get("notes"), f"`{name}.notes`") or ""
    focus_node = node.get("focus")
    focus = default_focus if focus_node is None else refs.focus(focus_node, entities)
    return Step(name, number, tuple(fields), notes, focus)


def _field(node: Node, field: Field, what: str, shapes: Shapes) -> FieldValue | None:
    if field.shape == "pairs":
        return shapes.pairs(node, what, PAIR_FORMS.get(field.name, "text: text"))
    if field.shape == "table" or (field.shape == "table_or_text" and isinstance(node, Mapping)):
        return _table(node, field, shapes)
    if isinstance(node, Sequence):
        return shapes.text_list(node, what)
    if isinstance(node, Mapping):
        shapes.errors.error(node.mark, f"{what} must be text or a list of text, not a mapping")
        return None
    return shapes.text(node, what)


def _table(node: Node, field: Field, shapes: Shapes) -> tuple[tuple[str, str], ...]:
    if not isinstance(node, Mapping):
        shapes.errors.error(
            node.mark,
            f"`{field.name}` must be a mapping of label to value, not {kind_of(node)}",
        )
        return ()
    rows = (
        (key, shapes.text(value, f"{field.name} value '{key}'"))
        for key, (_, value) in node.entries.items()
    )
    return tuple((key, value) for key, value in rows if value is not None)
