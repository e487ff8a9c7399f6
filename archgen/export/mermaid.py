"""A blueprint as a Mermaid flowchart, for Markdown that renders it (GitHub, GitLab, Notion).

Mermaid lays the chart out itself, so only the structure travels: components
as nodes, groups as (nested) subgraphs, flows as links with their labels and
styles, and the direction archgen's own layout chose. Written by hand rather
than with a library: the text is a few line shapes, and none of the Python
Mermaid writers on PyPI is kept up or escapes labels for Mermaid's grammar,
which is the part that matters.

Every id and label reaches the text through `mermaid_id` and `label`, so
nothing a blueprint says can break the chart's grammar:

>>> mermaid_id("c", "end")
'c_end'
>>> label('Say "hi" <now> #1')
'"Say #quot;hi#quot; #lt;now#gt; #35;1"'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from archgen.catalog import Catalog
from archgen.layout.dot import drawn_groups
from archgen.layout.quoting import printable
from archgen.layout.style import CLUSTER_COLORS
from archgen.model import Blueprint, Component, Flow, Group, group_chain

# Mermaid's link for each flow style: (one way, both ways). Mermaid has no dotted
# line of its own (its `-.->` draws dashes), so a dotted flow is a dashed link whose
# dashes `linkStyle` shortens to dots.
LINKS: dict[str, tuple[str, str]] = {
    "solid": ("-->", "<-->"),
    "dashed": ("-.->", "<-.->"),
    "dotted": ("-.->", "<-.->"),
    "bold": ("==>", "<==>"),
}
DOTTED = "stroke-dasharray:2 3"
# Characters Mermaid's grammar gives a meaning to even inside a quoted label, as its
# entity codes (`#name;`, decoded after parsing). `#` first: entities start with it.
ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "|": "#124;",
    "`": "#96;",
    "%": "#37;",
}
UNSAFE = re.compile("[" + re.escape("".join(ENTITIES)) + "]")
TITLE_CHARACTERS = str.maketrans({"<": "\u2039", ">": "\u203a", "&": "and"})
NOT_ID = re.compile(r"[^A-Za-z0-9_]")


def mermaid_id(prefix: str, ident: str) -> str:
    """A Mermaid node id: a prefix keeps ids off Mermaid's keywords (`end`, `subgraph`) and
    off the letters `o` and `x`, which read as link ends; other characters become `_`."""
    return f"{prefix}_{NOT_ID.sub('_', ident)}"


def label(text: str) -> str:
    """`text` as a quoted Mermaid label: special characters as entities, lines as `<br>`."""
    escaped = UNSAFE.sub(lambda m: ENTITIES[m.group()], printable(text).strip())
    return '"' + "<br>".join(line.strip() for line in escaped.splitlines()) + '"'


def title(text: str) -> str:
    """The chart's title as Mermaid can show it: it decodes no entities there and drops
    what looks like a tag, so angle brackets become single guillemets and `&` a word.

    >>> title("Ads <CTR> & bids") == "Ads \u2039CTR\u203a and bids"
    True
    """
    return printable(text).replace("\n", " ").translate(TITLE_CHARACTERS)


def flowchart(blueprint: Blueprint, catalog: Catalog, direction: str, flavor: str) -> str:
    """The Mermaid source; `direction` is the layout's (TB, LR, BT or RL), `flavor` decides
    which product names are printed under labels. The same input gives the same text."""
    groups = drawn_groups(blueprint)
    lines = [
        "---",
        f"title: {json.dumps(title(blueprint.title))}",
        "---",
        f"flowchart {direction}",
        *member_lines(blueprint, catalog, flavor, groups),
        *(link_line(blueprint, flow) for flow in blueprint.flows),
        *style_lines(blueprint, catalog, groups),
    ]
    return "\n".join(lines) + "\n"


def node_line(component: Component, catalog: Catalog, flavor: str) -> str:
    text = component.label
    caption = catalog.caption(component, flavor)
    if caption:
        text += f"\n{caption}"
    return f"{mermaid_id('c', component.id)}[{label(text)}]"


def member_lines(
    blueprint: Blueprint,
    catalog: Catalog,
    flavor: str,
    groups: list[Group],
    parent: str | None = None,
    depth: int = 1,
) -> Iterator[str]:
    """The components and drawn groups directly inside `parent`, each group's members nested."""
    pad = "  " * depth
    for component in blueprint.components.values():
        if component.group == parent:
            yield pad + node_line(component, catalog, flavor)
    for group in groups:
        if group.parent == parent:
            yield f"{pad}subgraph {mermaid_id('g', group.id)} [{label(group.label)}]"
            yield from member_lines(blueprint, catalog, flavor, groups, group.id, depth + 1)
            yield f"{pad}end"


def end_id(blueprint: Blueprint, ident: str) -> str:
    """A flow's end: a group's subgraph, which Mermaid links to as a whole, or a node."""
    return mermaid_id("g" if blueprint.is_group(ident) else "c", ident)


def link_line(blueprint: Blueprint, flow: Flow) -> str:
    """One link. A two-way link is written from its node end: Mermaid 11's renderer loses
    a two-way link that starts at a nested subgraph (its path comes out as NaN)."""
    ends = (flow.source, flow.target)
    if flow.two_way and blueprint.is_group(flow.source) and not blueprint.is_group(flow.target):
        ends = (flow.target, flow.source)
    arrow = LINKS[flow.style][flow.two_way]
    text = f"|{label(flow.label)}|" if flow.label.strip() else ""
    return f"  {end_id(blueprint, ends[0])} {arrow}{text} {end_id(blueprint, ends[1])}"


def style_lines(blueprint: Blueprint, catalog: Catalog, groups: list[Group]) -> Iterator[str]:
    """The look archgen's diagrams have, where Mermaid can say it: groups filled by depth,
    nodes edged in their step's colour, dotted flows in dots."""
    for group in groups:
        fill, border = CLUSTER_COLORS[depth_of(blueprint, group) % len(CLUSTER_COLORS)]
        yield f"  style {mermaid_id('g', group.id)} fill:{fill},stroke:{border}"
    by_tint: dict[str, list[str]] = {}
    for component in blueprint.components.values():
        by_tint.setdefault(catalog.tint(component), []).append(mermaid_id("c", component.id))
    for index, (tint, ids) in enumerate(sorted(by_tint.items())):
        yield f"  classDef tint{index} stroke:{tint},stroke-width:2px"
        yield f"  class {','.join(ids)} tint{index}"
    for index, flow in enumerate(blueprint.flows):
        if flow.style == "dotted":
            yield f"  linkStyle {index} {DOTTED}"


def depth_of(blueprint: Blueprint, group: Group) -> int:
    return len(group_chain(blueprint.groups, group.id)) - 1
