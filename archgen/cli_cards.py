"""`archgen cards`: flashcards from blueprints, as an Anki deck or a CSV.

Kept beside `cli.py`, which only registers it: the command's arguments and
its run, in the command line's terms; the cards themselves are
`archgen.cards`, which knows nothing of the terminal.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from archgen.cli_console import add_command, count, print_diagnostics
from archgen.errors import UsageError

HELP = "write flashcards from blueprints: an Anki deck (.apkg), or CSV when FILE ends in .csv"
EPILOG = """\
Each step field becomes a card ("Video Recommendation: Offline metrics?"), and so does
each clarifying question, tradeoff and follow-up that has an answer. Card ids come from
the blueprint id, the step and the question, so importing a new deck updates the cards
Anki already has. With --diagrams, a card shows its step's diagram, read from a folder
that `archgen render` or `archgen gallery` wrote (DIR/<id>/step-N-<step>.svg)."""


def add_cards(commands: argparse._SubParsersAction) -> None:
    sub = add_blueprints_command(commands, "cards", HELP, EPILOG, run_cards)
    sub.add_argument(
        "-o", "--out", type=Path, required=True, metavar="FILE", help="the deck: .apkg or .csv"
    )
    sub.add_argument(
        "--diagrams",
        type=Path,
        metavar="DIR",
        help="rendered output folder whose step diagrams go into the .apkg (DIR/<id>/...)",
    )


def add_blueprints_command(
    commands: argparse._SubParsersAction,
    name: str,
    help_text: str,
    epilog: str,
    run: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    """A command that reads blueprint files and folders (`cards`, `book`), with those
    arguments and `--root` already added, for `collect_blueprints` to read."""
    sub = add_command(commands, name, help_text, run, epilog)
    sub.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path("blueprints")],
        metavar="DIR|FILE",
        help="blueprint files, or folders of them (fragments skipped); default: blueprints",
    )
    sub.add_argument(
        "--root",
        type=Path,
        help="folder that a FILE's `extends` and `icon` paths must stay inside (default: its folder)",
    )
    return sub


def run_cards(args: argparse.Namespace) -> int:
    from archgen.cards import DECK_SUFFIXES, blueprint_cards, collect_blueprints, write_deck

    problems = []
    if args.out.suffix.lower() not in DECK_SUFFIXES:
        problems.append(f"-o: a deck is a {' or a '.join(DECK_SUFFIXES)} file, not {args.out}")
    if args.diagrams is not None and not args.diagrams.is_dir():
        problems.append(f"--diagrams: {args.diagrams} is not a folder")
    if problems:
        raise UsageError(*problems)
    blueprints = collect_blueprints(args.paths, args.root)
    for blueprint in blueprints:
        print_diagnostics(blueprint.warnings)
    cards = [card for blueprint in blueprints for card in blueprint_cards(blueprint)]
    write_deck(cards, args.out, args.diagrams)
    print(
        f"wrote {count(len(cards), 'card')} from {count(len(blueprints), 'blueprint')} to {args.out}"
    )
    return 0
