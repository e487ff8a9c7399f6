"""Step views: the overview SVG restyled to show what one framework step discusses.

Nothing moves: a step view is the overview with its elements restyled, so a
reader walking the steps keeps their bearings (as in Ilograph's walkthroughs).
Three levels of emphasis:

- the step's focus (nodes, groups wholly in focus, flows among them) as drawn;
- flows into and out of the focus half-faded, so the step keeps its inputs
  and outputs, and groups with only some members in focus half-faded with a
  grey title, so they frame the focus without claiming all of it;
- everything else faded: shapes, lines and icons at low opacity, text in a
  grey that keeps at least 2.5:1 contrast on every group fill, so the
  context stays recognisable.

The image says which step it is: its title becomes "6 · Serving — <title>".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from archgen.layout.dot import cluster_id, drawn_groups, edge_id, node_id
from archgen.layout.style import MUTED_COLOR, TEXT_COLOR
from archgen.model import Blueprint, Step

FADED_OPACITY = "0.25"
TOUCHING_OPACITY = "0.45"
# 3.1:1 on white and at least 2.6:1 on the darkest group fill (tested).
FADED_TEXT = "#8f949c"
CAPTION_SIZE = 18.0
# Average advance of DejaVu Sans Bold, in ems: enough to keep a caption inside the image.
BOLD_EM_WIDTH = 0.64

VIEW_GROUP = re.compile(r'(<g id="([^"]*)" class="(?:node|edge|cluster)")>(.*?)</g>', re.DOTALL)
SHAPE = re.compile(r"<(path|polygon|polyline|ellipse|use|image)\b")
TEXT_FILL = re.compile(r'(<text\b[^>]*?) fill="[^"]*"')
TITLE = re.compile(
    r'(<g id="diagram" class="graph"[^>]*>\s*<title>[^<]*</title>\s*<polygon[^>]*/>\s*)'
    r"((?:<text\b[^>]*>[^<]*</text>\s*)+)"
)
TEXT_POSITION = re.compile(r'x="([-\d.]+)" y="([-\d.]+)"')
VIEWBOX_WIDTH = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"')

FULL, TOUCHING, PARTIAL = "full", "touching", "partial"


def step_views(svg: str, blueprint: Blueprint) -> dict[str, str]:
    """Step slug -> the overview SVG restyled for that step, for every step with a focus."""
    return {step.slug: step_view(svg, blueprint, step) for step in blueprint.steps if step.focus}


def step_view(svg: str, blueprint: Blueprint, step: Step) -> str:
    restyled = restyle(svg, emphasis(blueprint, step))
    return captioned(restyled, f"{step.number} · {step.title}", blueprint.title)


def emphasis(blueprint: Blueprint, step: Step) -> dict[str, str]:
    """SVG id -> FULL, TOUCHING or PARTIAL; every id not named here is faded.

    Each group is weighed against the focus once, so a flow to a group costs no
    more than a flow to a component: the cost is linear in the blueprint.
    """
    focus = set(step.focus)
    levels = {node_id(component_id): FULL for component_id in focus}
    for group in drawn_groups(blueprint):
        members = set(blueprint.group_members(group.id))
        if members & focus:
            levels[cluster_id(group.id)] = FULL if members <= focus else PARTIAL

    def in_focus(endpoint: str) -> bool:
        if blueprint.is_group(endpoint):
            return levels.get(cluster_id(endpoint)) == FULL
        return endpoint in focus

    for index, flow in enumerate(blueprint.flows):
        ends = (in_focus(flow.source), in_focus(flow.target))
        if all(ends):
            levels[edge_id(flow, index)] = FULL
        elif any(ends):
            levels[edge_id(flow, index)] = TOUCHING
    return levels


def restyle(svg: str, levels: Mapping[str, str]) -> str:
    def styled(match: re.Match[str]) -> str:
        opening, ident, body = match.groups()
        level = levels.get(ident)
        if level == FULL:
            return match.group(0)
        if level == TOUCHING:
            return f"{opening}>{see_through(body, TOUCHING_OPACITY)}</g>"
        if level == PARTIAL:
            return f"{opening}>{recoloured(see_through(body, TOUCHING_OPACITY), MUTED_COLOR)}</g>"
        return f"{opening}>{recoloured(see_through(body, FADED_OPACITY), FADED_TEXT)}</g>"

    return VIEW_GROUP.sub(styled, svg)


def see_through(body: str, opacity: str) -> str:
    """Shapes, lines and icons see-through; text keeps its own colour, since an opacity on
    the whole group would make it unreadable."""
    return SHAPE.sub(lambda m: f'{m.group(0)} opacity="{opacity}"', body)


def recoloured(body: str, color: str) -> str:
    return TEXT_FILL.sub(lambda m: f'{m.group(1)} fill="{color}"', body)


def captioned(svg: str, caption: str, title: str) -> str:
    """The title lines replaced by "caption — title", shrunk to fit the image's width."""
    match, width = TITLE.search(svg), VIEWBOX_WIDTH.search(svg)
    if match is None or width is None:
        return svg
    position = TEXT_POSITION.search(match.group(2))
    x, y = (float(v) for v in position.groups()) if position else (8.0, 0.0)
    text = f"{caption}\u00a0— {title}"
    room = float(width.group(1)) - 2 * max(x, 8.0)
    size = min(CAPTION_SIZE, room / (BOLD_EM_WIDTH * len(text)))
    element = (
        f'<text text-anchor="start" x="{x:g}" y="{y:g}" font-weight="bold" font-size="{size:.2f}" fill="{TEXT_COLOR}">'
        f'{escape(caption)}<tspan font-weight="normal">\u00a0— {escape(title)}</tspan></text>\n'
    )
    return svg[: match.start(2)] + element + svg[match.end(2) :]
