"""How a diagram looks: its font, type sizes, colours and icon sizes.

Read by the DOT builder, which asks Graphviz for them, and by the stages after
layout, which must match them: the SVG finishing names the font family, the
step views fade with the same greys, the PNG sizes its smallest text.
"""

from __future__ import annotations

FONT = "DejaVu Sans"
# Fonts a viewer without DejaVu falls back on: Verdana has about DejaVu's widths.
FONT_FAMILY = f"{FONT},Verdana,sans-serif"
ICON_SIZE = 52
# (side, compact) -> the icon's side in points: beside a label an icon needs
# less room, and a compact node gives more of the page's width to text.
ICON_SIZES = {(False, False): ICON_SIZE, (True, False): 40, (False, True): 40, (True, True): 32}
# The fill of each node's empty icon cell: a colour nothing else uses, so the
# cell's polygon can be found in the SVG and replaced by the icon.
ICON_PLACEHOLDER = "#fffffe"
# The background of each node's label table: white at 1/255 opacity, invisible,
# but it makes Graphviz draw the node's full box as the node's first polygon,
# which is what the layout measures read as the node's extent.
NODE_BOX = "#ffffff01"

TEXT_COLOR = "#1f2937"
MUTED_COLOR = "#6b7280"
EDGE_COLOR = "#4b5563"
LABEL_SIZE = 12
TECH_SIZE = 10
EDGE_LABEL_SIZE = 10.5
CLUSTER_LABEL_SIZE = 12
TITLE_SIZE = 18
# Characters per line before a node or edge label wraps at a space.
NODE_LABEL_WIDTH = 16
# A product name under the label wraps wider: it is smaller type.
CAPTION_WIDTH = 22
# compact -> (label, caption) characters per line.
TEXT_WIDTHS = {False: (NODE_LABEL_WIDTH, CAPTION_WIDTH), True: (12, 16)}
EDGE_LABEL_WIDTH = 20

# (fill, border) of a cluster by nesting depth, cycling for deeper nesting.
CLUSTER_COLORS: tuple[tuple[str, str], ...] = (
    ("#f4f6fa", "#c3cddb"),
    ("#e9f1fb", "#a9c1de"),
    ("#eef7ef", "#b1d1b5"),
    ("#fbf5e9", "#dbc9a3"),
)
