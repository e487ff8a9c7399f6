"""`archgen book`: every case study of a gallery in one PDF, to study from.

Kept beside `cli.py`, which only registers it: the command's arguments and
its run, in the command line's terms; the book itself is `archgen.book`,
which knows nothing of the terminal.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from archgen.cli_cards import add_blueprints_command
from archgen.cli_console import gallery_progress, print_diagnostics
from archgen.errors import UsageError
from archgen.format import FLAVORS

HELP = (
    "write a study book: every case study, its diagrams, steps, review and references, in one PDF"
)
EPILOG = """\
The book opens with a cover, the contents and a guide to the interview's seven steps;
then each case study, in order of title: its overview diagram, each step with its
fields, notes, tradeoffs, follow-ups with their answers, estimates and step diagram,
its design review and its references. Diagrams are vector drawings (zoom in to read
them); the contents link to each case study, the PDF's outline to each step too. It is
typeset with Typst, which archgen installs with itself: no browser or LaTeX needed."""


def add_book(commands: argparse._SubParsersAction) -> None:
    sub = add_blueprints_command(commands, "book", HELP, EPILOG, run_book)
    sub.add_argument("-o", "--out", type=Path, required=True, metavar="FILE", help="the PDF")
    sub.add_argument("--title", help="the title on its cover and in the PDF's properties")
    sub.add_argument("--flavor", choices=FLAVORS, help="icon set, overriding each blueprint's")
    sub.add_argument("-j", "--jobs", type=int, help="parallel workers (default: every core)")
    sub.add_argument("-q", "--quiet", action="store_true", help="print only errors")


def run_book(args: argparse.Namespace) -> int:
    from archgen.book import DEFAULT_TITLE, write_book
    from archgen.cards import collect_blueprints

    problems = []
    if args.out.suffix.lower() != ".pdf":
        problems.append(f"-o: the book is a .pdf file, not {args.out}")
    if args.jobs is not None and args.jobs < 1:
        problems.append("--jobs takes a number of workers, 1 or more")
    if args.title is not None and not args.title.strip():
        problems.append("--title: give the book a title, or leave the option out")
    if problems:
        raise UsageError(*problems)
    blueprints = sorted(collect_blueprints(args.paths, args.root), key=lambda b: b.title.lower())
    if not blueprints:
        raise UsageError(
            f"no blueprints in {', '.join(map(str, args.paths))}: nothing to put in a book"
        )
    for blueprint in blueprints:
        print_diagnostics(blueprint.warnings)
    with gallery_progress(args.quiet) as progress:
        write_book(
            blueprints,
            args.out,
            title=args.title or DEFAULT_TITLE,
            flavor=args.flavor,
            jobs=args.jobs,
            progress=progress,
        )
    if not args.quiet:
        studies = "case study" if len(blueprints) == 1 else "case studies"
        print(f"wrote {args.out}: {len(blueprints)} {studies}")
    return 0
