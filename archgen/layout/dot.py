"""Graphviz DOT source for a blueprint.

Names and labels reach the source only through ``quoting``; how things look
(font, sizes, colours) comes from ``style``; the choices a layout is made
with come from one ``Arrangement``.

Node, cluster and edge ids come from blueprint ids, so the laid-out SVG is
stable and its elements can be found again after layout (icons, step views).
Icons are not in the DOT source: each node keeps an empty, fixed-size cell
filled with ``ICON_PLACEHOLDER``, and the SVG finishing puts the embedded
icon there. That keeps the DOT free of local paths; the flavor only decides
which product name, if any, is printed under a label.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Iterator
from typing import TypeVar

from archgen.catalog import Catalog
from archgen.layout.arrangement import Arrangement, arrangements
from archgen.layout.quoting import Html, attr_list, font, printable, quote
from archgen.layout.style import (
    CLUSTER_COLORS,
    CLUSTER_LABEL_SIZE,
    EDGE_COLOR,
    EDGE_LABEL_SIZE,
    EDGE_LABEL_WIDTH,
    FONT,
    ICON_PLACEHOLDER,
    LABEL_SIZE,
    MUTED_COLOR,
    NODE_BOX,
    TECH_SIZE,
    TEXT_COLOR,
    TEXT_WIDTHS,
    TITLE_SIZE,
)
from archgen.model import Blueprint, Component, Flow, Group

T = TypeVar("T")

# Text beside an icon reads from the icon's edge; text under one is centred.
TEXT_ALIGN = {False: "", True: ' ALIGN="LEFT" BALIGN="LEFT"'}

FLOW_STYLE_ATTRS: dict[str, dict[str, str]] = {
    "solid": {},
    "dashed": {"style": "dashed"},
    "dotted": {"style": "dotted"},
    "bold": {"style": "bold", "penwidth": "2.2"},
}


def wrapped(text: str, width: int) -> str:
    """Long lines broken at spaces into balanced lines, so a long label makes a
    taller node, not a wide one, and no line is left with one short word.

    >>> wrapped("Served predictions and user actions", 20)
    'Served predictions\\nand user actions'
    """
    return "\n".join(balanced(line, width) for line in text.split("\n"))


def balanced(line: str, width: int) -> str:
    """The narrowest wrap with as few lines as wrapping at `width` gives."""
    lines = words_wrapped(line, width)
    if len(lines) < 2:
        return line
    shortest = max(len(word) for word in line.split())
    for narrower in range(max(shortest, len(line) // len(lines)), width):
        candidate = words_wrapped(line, narrower)
        if len(candidate) == len(lines):
            return "\n".join(candidate)
    return "\n".join(lines)


def words_wrapped(line: str, width: int) -> list[str]:
    return textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False)


def node_id(component_id: str) -> str:
    return f"c-{component_id}"


def cluster_id(group_id: str) -> str:
    return f"g-{group_id}"


def cluster_name(group_id: str) -> str:
    """Named from the id, never the label: two groups with one label stay two."""
    return f"cluster_{group_id}"


def edge_id(flow: Flow, index: int) -> str:
    """Component and group ids hold no '-', so this names each flow unambiguously."""
    return f"e-{flow.source}-{flow.target}-{index}"


# dot's own searches, capped for a blueprint too large to search arrangements for:
# crossing minimisation at half its default iterations (mclimit), and network
# simplex for node placement at a tenth of an iteration per node (nslimit). On
# random flows across groups, placement is where dot spends its time (300
# components in 30 groups: 61 s of CPU, 10 s capped, with 7% more crossings);
# tidy blueprints of a few hundred components take a second either way.
BOUNDED_WORK = {"mclimit": "0.5", "nslimit": "0.1"}


def graph_attrs(blueprint: Blueprint, arrangement: Arrangement) -> dict[str, str]:
    return {
        "id": "diagram",
        "rankdir": arrangement.direction,
        **({"newrank": "true"} if arrangement.newrank else {}),
        **(BOUNDED_WORK if arrangement.bounded else {}),
        "compound": "true",
        "splines": arrangement.splines,
        "outputorder": "edgesfirst",
        "pad": "0.2",
        "nodesep": f"{arrangement.nodesep:g}",
        "ranksep": f"{arrangement.ranksep:g}",
        "bgcolor": "white",
        "fontname": FONT,
        "fontcolor": TEXT_COLOR,
        "label": Html(font(blueprint.title, TITLE_SIZE, bold=True)),
        "labelloc": "t",
        "labeljust": "l",
    }


NODE_DEFAULTS = {"shape": "plain", "fontname": FONT, "fontcolor": TEXT_COLOR}
EDGE_DEFAULTS = {
    "color": EDGE_COLOR,
    "penwidth": "1.2",
    "arrowsize": "0.7",
    "fontname": FONT,
    "fontcolor": "#374151",
}


def node_label(
    component: Component, catalog: Catalog, flavor: str, arrangement: Arrangement
) -> Html:
    """The icon cell, the label and, in small grey type, the name of the product the
    icon shows (the tech, or the cloud service in a cloud flavor): no unstated claims.

    Stacked, the icon sits above centred text; `side` puts it left of
    left-aligned text; `compact` makes the icon smaller and wraps text sooner.
    """
    side, widths = arrangement.side, TEXT_WIDTHS[arrangement.compact]
    texts = []
    if printable(component.label).strip():
        label = wrapped(component.label, widths[0])
        texts.append(f'<TD CELLPADDING="2"{TEXT_ALIGN[side]}>{font(label, LABEL_SIZE)}</TD>')
    caption = catalog.caption(component, flavor)
    if caption:
        caption_text = font(wrapped(caption, widths[1]), TECH_SIZE, MUTED_COLOR)
        texts.append(f"<TD{TEXT_ALIGN[side]}>{caption_text}</TD>")
    size = arrangement.icon_size
    icon = f'FIXEDSIZE="TRUE" WIDTH="{size}" HEIGHT="{size}" BGCOLOR="{ICON_PLACEHOLDER}"></TD>'
    if side and texts:
        span = f' ROWSPAN="{len(texts)}"'
        rows = [f'<TD{span} {icon}<TD{span} WIDTH="6"></TD>{texts[0]}', *texts[1:]]
    else:
        rows = [f"<TD {icon}", *texts]
    body = "".join(f"<TR>{row}</TR>" for row in rows)
    return Html(
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" BGCOLOR="{NODE_BOX}">'
        f"{body}</TABLE>"
    )


def node_statement(
    component: Component, catalog: Catalog, flavor: str, arrangement: Arrangement
) -> str:
    attrs = {
        "id": node_id(component.id),
        "label": node_label(component, catalog, flavor, arrangement),
    }
    return f"{quote(component.id)} {attr_list(attrs)}"


def cluster_attrs(group: Group, depth: int, direction: str = "LR") -> dict[str, str]:
    """Cluster labels sit top left whatever the direction: Graphviz flips them
    with the ranks (bottom under BT, right under RL), so ask for the mirror."""
    fill, border = CLUSTER_COLORS[depth % len(CLUSTER_COLORS)]
    return {
        "id": cluster_id(group.id),
        "label": Html(font(group.label, CLUSTER_LABEL_SIZE, "#334155", bold=True)),
        "labeljust": "r" if direction == "RL" else "l",
        "labelloc": "b" if direction == "BT" else "t",
        "style": "rounded,filled",
        "fillcolor": fill,
        "color": border,
        "penwidth": "1",
        "margin": "12",
    }


def drawn_groups(blueprint: Blueprint) -> list[Group]:
    """Groups with at least one member, directly or through nested groups."""
    return [g for g in blueprint.groups.values() if blueprint.group_members(g.id)]


def in_order(items: list[T], reverse: bool) -> list[T]:
    return items[::-1] if reverse else items


def cluster_lines(
    blueprint: Blueprint,
    catalog: Catalog,
    arrangement: Arrangement,
    flavor: str,
    groups: list[Group],
) -> Iterator[str]:
    """Statements for the components and the drawn `groups`, each cluster inside its
    parent's: what each parent holds is sorted out once, so the cost is linear however
    deep the nesting or many the groups."""
    components: dict[str | None, list[Component]] = defaultdict(list)
    for component in in_order(list(blueprint.components.values()), arrangement.reverse):
        components[component.group].append(component)
    subgroups: dict[str | None, list[Group]] = defaultdict(list)
    for group in in_order(groups, arrangement.reverse):
        subgroups[group.parent].append(group)

    def inside(parent: str | None, depth: int) -> Iterator[str]:
        pad = "  " * (depth + 1)
        for component in components[parent]:
            yield pad + node_statement(component, catalog, flavor, arrangement)
        for group in subgroups[parent]:
            yield f"{pad}subgraph {quote(cluster_name(group.id))} {{"
            yield f"{pad}  graph {attr_list(cluster_attrs(group, depth, arrangement.direction))}"
            yield from inside(group.id, depth + 1)
            yield pad + "}"

    return inside(None, 0)


def anchor(blueprint: Blueprint, endpoint: str) -> str:
    """The node an edge is attached to: a group's central member stands for the group."""
    if not blueprint.is_group(endpoint):
        return endpoint
    members = blueprint.group_members(endpoint)
    return members[len(members) // 2]


def edge_attrs(
    blueprint: Blueprint,
    flow: Flow,
    index: int,
    compound: bool = True,
    loose: bool = False,
    loosened: frozenset[str] = frozenset(),
) -> dict[str, str]:
    attrs: dict[str, str] = {"id": edge_id(flow, index)}
    if compound and blueprint.is_group(flow.source):
        attrs["ltail"] = cluster_name(flow.source)
    if compound and blueprint.is_group(flow.target):
        attrs["lhead"] = cluster_name(flow.target)
    if printable(flow.label).strip():
        attrs["label"] = edge_label(flow.label)
    if flow.two_way:
        attrs["dir"] = "both"
    attrs.update(FLOW_STYLE_ATTRS[flow.style])
    if (loose and flow.style in ("dashed", "dotted")) or attrs["id"] in loosened:
        attrs["constraint"] = "false"
    return attrs


def edge_label(text: str) -> Html:
    """On a white chip, so a line crossing the label does not hide it."""
    return Html(
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" BGCOLOR="white">'
        f"<TR><TD>{font(wrapped(text, EDGE_LABEL_WIDTH), EDGE_LABEL_SIZE)}</TD></TR></TABLE>"
    )


def edge_lines(blueprint: Blueprint, arrangement: Arrangement) -> Iterator[str]:
    for index, flow in enumerate(blueprint.flows):
        tail = quote(anchor(blueprint, flow.source))
        head = quote(anchor(blueprint, flow.target))
        attrs = edge_attrs(
            blueprint, flow, index, arrangement.compound, arrangement.loose, arrangement.loosened
        )
        yield f"  {tail} -> {head} {attr_list(attrs)}"


def build_dot(
    blueprint: Blueprint,
    catalog: Catalog,
    arrangement: Arrangement | None = None,
    flavor: str | None = None,
) -> str:
    """The DOT source of a blueprint's overview diagram; the same input gives the same text.

    Without an `arrangement`, the first one tried for the blueprint's direction;
    `flavor` (default: the blueprint's) decides which product names are printed.
    """
    arrangement = arrangement or arrangements(blueprint.direction)[0]
    lines = [
        f"digraph {quote(blueprint.id)} {{",
        f"  graph {attr_list(graph_attrs(blueprint, arrangement))}",
        f"  node {attr_list(NODE_DEFAULTS)}",
        f"  edge {attr_list(EDGE_DEFAULTS)}",
        *cluster_lines(
            blueprint, catalog, arrangement, flavor or blueprint.flavor, drawn_groups(blueprint)
        ),
        *edge_lines(blueprint, arrangement),
        "}",
    ]
    return "\n".join(lines) + "\n"
