"""`archgen export`: one blueprint as a Mermaid flowchart or a draw.io diagram.

Kept beside `cli.py`, which only registers it: the command's arguments and
its run, in the command line's terms; the formats themselves are
`archgen.export`, which knows nothing of the terminal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from archgen.cli_console import add_command
from archgen.format import FLAVORS

# Kept here rather than imported from `archgen.export`: building the parser for
# `archgen validate` must not import the exporter.
TARGETS = {"mermaid": "mmd", "drawio": "drawio"}
HELP = "write a blueprint as a Mermaid flowchart (.mmd) or a draw.io diagram (.drawio)"
EPILOG = """\
Mermaid: a `flowchart` with the groups as subgraphs and the flows' labels and styles,
for Markdown that renders Mermaid (GitHub, GitLab, Notion); Mermaid lays it out itself.
draw.io: archgen's own layout, to edit in diagrams.net: groups are containers, icons are
inline, and flows stay attached to the nodes you move.
Without -o, the file is <id>.mmd or <id>.drawio in the current folder; `-o -` prints it."""


def add_export(commands: argparse._SubParsersAction) -> None:
    sub = add_command(commands, "export", HELP, run_export, EPILOG)
    sub.add_argument("file", type=Path, metavar="FILE", help="the blueprint (.yaml)")
    sub.add_argument("--to", required=True, choices=tuple(TARGETS), help="the format to write")
    sub.add_argument(
        "-o", "--out", metavar="OUT", help="the file to write, or - for stdout (default: <id>.EXT)"
    )
    sub.add_argument(
        "--flavor", choices=FLAVORS, help="icon set and product names, overriding the blueprint's"
    )
    sub.add_argument(
        "--root",
        type=Path,
        help="folder that `extends` and `icon` paths must stay inside (default: the blueprint's)",
    )


def run_export(args: argparse.Namespace) -> int:
    from archgen.cli_console import print_diagnostics
    from archgen.export import export
    from archgen.files import write_atomic
    from archgen.parse.load import load

    blueprint = load(args.file, root=args.root)
    print_diagnostics(blueprint.warnings)
    text = export(blueprint, args.to, flavor=args.flavor)
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.out) if args.out else Path(f"{blueprint.id}.{TARGETS[args.to]}")
    write_atomic(out, text)
    print(f"wrote {out}")
    return 0
