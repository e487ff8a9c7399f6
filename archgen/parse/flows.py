"""Flow items to single edges, as soon as a file is read.

The spec allows three spellings of a flow (a string chain, a one-key mapping,
a full mapping). Expanding them here, per file, lets composition treat flows
as plain edges (to drop those that touch a removed component) and lets every
later stage ignore the spelling.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from archgen.diagnostics import Collector, Mark, one_of
from archgen.format import (
    ARROW,
    DEFAULT_FLOW_STYLE,
    FLOW_KEYS,
    FLOW_STYLES,
    TWO_WAY_ARROW,
    boolean,
    names,
)
from archgen.parse.limits import label_fits, suggestion
from archgen.parse.yamltree import Mapping, Node, Scalar, Sequence, kind_of

FULL_FORM_KEYS = names(FLOW_KEYS)
FORMS_HINT = "write `a -> b`, `a -> b: label`, or a mapping with `from` and `to`"


@dataclass(frozen=True)
class Endpoint:
    id: str
    mark: Mark


@dataclass(frozen=True)
class FlowEdge:
    source: Endpoint
    target: Endpoint
    label: str = ""
    style: str = DEFAULT_FLOW_STYLE
    two_way: bool = False

    @property
    def key(self) -> tuple[str, str, bool]:
        """Two edges are the same edge when this matches (a <-> b is b <-> a)."""
        if self.two_way:
            low, high = sorted((self.source.id, self.target.id))
            return (low, high, True)
        return (self.source.id, self.target.id, False)


def parse_flows(node: Node, errors: Collector) -> list[FlowEdge]:
    if isinstance(node, Scalar) and node.is_null:
        return []
    if not isinstance(node, Sequence):
        errors.error(node.mark, f"`flows` must be a list, not {kind_of(node)}", FORMS_HINT)
        return []
    edges: list[FlowEdge] = []
    for item in node.items:
        edges.extend(parse_flow(item, errors))
    return edges


def parse_flow(item: Node, errors: Collector) -> list[FlowEdge]:
    if isinstance(item, Scalar):
        return _parse_string_flow(item, errors)
    if isinstance(item, Mapping):
        only_key = next(iter(item.entries)) if len(item.entries) == 1 else None
        if only_key is not None and _has_arrow(only_key):
            return _parse_one_key_flow(item, errors)
        if only_key is not None and only_key not in FULL_FORM_KEYS:
            errors.error(item.mark, f"flow '{only_key}: ...' has no arrow", FORMS_HINT)
            return []
        return _parse_full_flow(item, errors)
    errors.error(item.mark, "a flow cannot be a list", FORMS_HINT)
    return []


def _has_arrow(text: str) -> bool:
    return ARROW.search(text) is not None


def _parse_string_flow(item: Scalar, errors: Collector) -> list[FlowEdge]:
    chain, colon, label = item.value.partition(":")
    if not _has_arrow(chain):
        errors.error(item.mark, f"flow '{item.value}' has no arrow", FORMS_HINT)
        return []
    label_text = label.strip() if colon else ""
    if not label_fits(label_text, item.mark, "a flow label", errors):
        return []
    return _parse_chain(chain, item, label_text, errors)


def _parse_one_key_flow(item: Mapping, errors: Collector) -> list[FlowEdge]:
    key, value = next(iter(item.entries.values()))
    if isinstance(value, Scalar):
        label = "" if value.is_null else value.value.strip()
        warn_if_cut(value, errors)
        if not label_fits(label, value.mark, "a flow label", errors):
            return []
    else:
        errors.error(value.mark, f"a flow label must be text, not {kind_of(value)}")
        label = ""
    return _parse_chain(key.value, key, label, errors)


def _parse_chain(chain: str, where: Scalar, label: str, errors: Collector) -> list[FlowEdge]:
    """`a -> b <-> c` to edges; each arrow governs its own edge."""
    parts = ARROW.split(chain)
    arrows = ARROW.findall(chain)
    offsets = _part_offsets(chain, parts, arrows)
    endpoints: list[Endpoint] = []
    for part, offset in zip(parts, offsets, strict=True):
        name = part.strip()
        mark = _mark_inside(where, offset + len(part) - len(part.lstrip()))
        if not name:
            errors.error(mark, f"flow '{chain.strip()}' has an arrow with nothing on one side")
            return []
        if " " in name or "\t" in name:
            errors.error(mark, f"'{name}' is not one id", "separate ids with `->`")
            return []
        endpoints.append(Endpoint(name, mark))
    return [
        FlowEdge(source, target, label=label, two_way=arrow == TWO_WAY_ARROW)
        for source, target, arrow in zip(endpoints, endpoints[1:], arrows, strict=False)
    ]


def _part_offsets(chain: str, parts: list[str], arrows: list[str]) -> list[int]:
    offsets, position = [], 0
    for index, part in enumerate(parts):
        offsets.append(position)
        position += len(part) + (len(arrows[index]) if index < len(arrows) else 0)
    return offsets


def _mark_inside(scalar: Scalar, offset: int) -> Mark:
    """The column of a character inside a one-line scalar (quoted ones start one later)."""
    if "\n" in scalar.value:
        return scalar.mark
    shift = offset if scalar.plain else offset + 1
    return replace(scalar.mark, col=scalar.mark.col + shift)


def _parse_full_flow(item: Mapping, errors: Collector) -> list[FlowEdge]:
    for key, (key_node, _) in item.entries.items():
        if key not in FULL_FORM_KEYS:
            hint = suggestion(key, FULL_FORM_KEYS, errors) or FORMS_HINT
            errors.error(key_node.mark, f"unknown flow key '{key}'", hint)
    source = _endpoint(item, "from", errors)
    target = _endpoint(item, "to", errors)
    label = _label(item.get("label"), errors)
    style = _style(item.get("style"), errors)
    two_way = _two_way(item.get("two_way"), errors)
    if source is None or target is None:
        return []
    return [FlowEdge(source, target, label=label, style=style, two_way=two_way)]


def _endpoint(item: Mapping, key: str, errors: Collector) -> Endpoint | None:
    node = item.get(key)
    if node is None:
        errors.error(item.mark, f"flow lacks `{key}`", FORMS_HINT)
        return None
    if not isinstance(node, Scalar) or node.is_null:
        errors.error(node.mark, f"`{key}` must be a component or group id, not {kind_of(node)}")
        return None
    if _has_arrow(node.value):
        errors.error(node.mark, f"`{key}` takes one id, not a chain")
        return None
    return Endpoint(node.value.strip(), node.mark)


def _label(node: Node | None, errors: Collector) -> str:
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return ""
    if not isinstance(node, Scalar):
        errors.error(node.mark, f"`label` must be text, not {kind_of(node)}")
        return ""
    warn_if_cut(node, errors)
    label = node.value.strip()
    return label if label_fits(label, node.mark, "a flow label", errors) else ""


def warn_if_cut(label: Scalar, errors: Collector) -> None:
    """YAML drops everything from an unquoted ` #` on as a comment: say so, in case
    the author meant it as part of the label."""
    if label.comment is None:
        return
    comment, mark = label.comment
    errors.warning(
        mark,
        f"the flow label ends at '{label.value}': YAML reads '{comment}' as a comment",
        "if it belongs to the label, quote the label",
    )


def _style(node: Node | None, errors: Collector) -> str:
    if node is None:
        return DEFAULT_FLOW_STYLE
    if isinstance(node, Scalar) and node.value in FLOW_STYLES:
        return node.value
    shown = node.describe() if isinstance(node, Scalar) else kind_of(node)
    hint = (
        suggestion(node.value, FLOW_STYLES, errors) if isinstance(node, Scalar) else ""
    ) or one_of(FLOW_STYLES)
    errors.error(node.mark, f"unknown flow style {shown}", hint)
    return DEFAULT_FLOW_STYLE


def _two_way(node: Node | None, errors: Collector) -> bool:
    if node is None:
        return False
    value = boolean(node)
    if value is None:
        errors.error(node.mark, "`two_way` must be true or false")
        return False
    return value
