"""The overview diagram as a notebook shows it, for `Blueprint._repr_svg_`.

JupyterLab draws an SVG output as an image, a page of its own; the classic
Notebook and nbconvert's HTML export paste it into the page, where every
output shares one set of ids. The overview's icons are ``<symbol id="icon-1">``
drawn by ``<use href="#icon-1">``: two diagrams in one page would both draw
the first one's icons. So every id here is prefixed with a digest of the
diagram itself, which keeps it deterministic (the same blueprint gives the
same SVG, and two copies of one diagram may share their ids harmlessly).
The XML prolog goes too: pasted into a page, the SVG is no longer a file.

>>> unique_ids('<symbol id="icon-1"/><use xlink:href="#icon-1"/>', "ag1234-")
'<symbol id="ag1234-icon-1"/><use xlink:href="#ag1234-icon-1"/>'
"""

from __future__ import annotations

import hashlib
import re

from archgen.model import Blueprint
from archgen.render.diagrams import overview_svg

ID = re.compile(r'(\sid=")|(href="#)|(url\(#)')


def notebook_svg(blueprint: Blueprint) -> str:
    """The overview SVG in the blueprint's flavor, its ids made unique to this diagram."""
    finished = overview_svg(blueprint)
    svg = finished[finished.index("<svg") :]
    return unique_ids(svg, f"ag{hashlib.sha256(svg.encode()).hexdigest()[:10]}-")


def unique_ids(svg: str, prefix: str) -> str:
    """Every id, and every reference to one, with `prefix` in front."""
    return ID.sub(lambda match: match.group(0) + prefix, svg)
