"""The catalog as a picture: one self-contained HTML page of every icon.

`archgen catalog` lists references; this page shows what they draw, so a
reader can check at a glance that each kind reads as its role in every flavor
and which products each cloud flavor names. Icons are embedded as data URIs
and every text is escaped, so the page works as a single file anywhere.
"""

from __future__ import annotations

from html import escape

from archgen.catalog import Catalog, Kind, Tech
from archgen.format import FLAVORS, STEP_NAMES
from archgen.render.icons import NEUTRAL_TINT, icon_image

STYLE = """
body { font: 14px/1.4 "DejaVu Sans", Verdana, sans-serif; color: #1f2937; margin: 24px; }
table { border-collapse: collapse; }
th, td { padding: 6px 10px; border-bottom: 1px solid #e5e7eb; text-align: left;
  vertical-align: top; }
td.icon { width: 120px; text-align: center; font-size: 11px; color: #6b7280; }
tr:nth-child(even) td.icon { background: #f4f6fa; }
img { width: 48px; height: 48px; display: block; margin: 0 auto 4px; }
.techs { display: flex; flex-wrap: wrap; gap: 8px; }
.tech { width: 120px; padding: 8px; text-align: center; background: #e9f1fb;
  border-radius: 8px; font-size: 12px; }
code { font-size: 11px; color: #6b7280; }
"""


def catalog_sheet(catalog: Catalog) -> str:
    """The whole page; kinds by framework step, one column per flavor, then every tech."""
    kinds = sorted(catalog.kinds.values(), key=lambda kind: STEP_NAMES.index(kind.step))
    header = "".join(f"<th>{escape(flavor)}</th>" for flavor in FLAVORS)
    kind_rows = "\n".join(_kind_row(catalog, kind) for kind in kinds)
    techs = "\n".join(_tech_card(tech) for tech in sorted(catalog.techs.values(), key=_name))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>archgen catalog</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>archgen catalog</h1>\n<h2>Kinds ({len(kinds)})</h2>\n"
        "<p>Without a <code>tech</code>, a component shows its kind's role icon; a cloud "
        "flavor shows the cloud's service where it has one, with its name.</p>\n"
        f"<table>\n<tr><th>kind</th>{header}</tr>\n{kind_rows}\n</table>\n"
        f"<h2>Techs ({len(catalog.techs)})</h2>\n"
        "<p>A <code>tech</code> sets the icon in every flavor; its name is printed.</p>\n"
        f'<div class="techs">\n{techs}\n</div>\n</body>\n</html>\n'
    )


def _kind_row(catalog: Catalog, kind: Kind) -> str:
    tint = catalog.step_colors[kind.step]
    cells = []
    for flavor in FLAVORS:
        service = kind.services.get(flavor)
        caption = service.name if service else "role icon"
        cells.append(f'<td class="icon">{_img(kind.icon(flavor), tint, caption)}</td>')
    name = (
        f"<td><strong>{escape(kind.label)}</strong><br><code>{escape(kind.name)}</code>"
        f"<br>{escape(kind.step)}</td>"
    )
    return f"<tr>{name}{''.join(cells)}</tr>"


def _tech_card(tech: Tech) -> str:
    return (
        f'<div class="tech">{_img(tech.icon, NEUTRAL_TINT, tech.label)}'
        f"<br><code>{escape(tech.name)}</code></div>"
    )


def _img(ref: str, tint: str, text: str) -> str:
    """The icon, titled with its reference so the catalog entry can be found, above `text`."""
    uri = icon_image(ref, tint).data_uri()
    return f'<img src="{uri}" alt="" title="{escape(ref)}">{escape(text)}'


def _name(tech: Tech) -> str:
    return tech.name
