"""The command line: a thin shell over the Python API.

Exit codes: 0 when everything worked, 1 when a blueprint is invalid (its
errors go to stderr as `file:line:col: error: ...`), 2 for wrong usage, 3 when
Graphviz is missing or fails, 4 when an output cannot be written. Each is the
`exit_code` of an `archgen.errors` class, and `main` is the one place that
turns those errors into messages and exit codes.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from archgen import __version__
from archgen.build import ALL_FORMATS, FORMATS, GALLERY_FORMATS, BuildOptions, build, check_options
from archgen.cli_book import add_book
from archgen.cli_cards import add_cards
from archgen.cli_console import (
    add_command,
    gallery_progress,
    print_diagnostics,
    print_error,
    summary_line,
)
from archgen.cli_export import add_export
from archgen.cli_watch import add_watch
from archgen.errors import ArchgenError, BlueprintError, GraphvizError, OutputError, UsageError
from archgen.format import FLAVORS
from archgen.parse.load import FragmentError, load

EXIT_OK = 0
EXIT_INVALID = BlueprintError.exit_code
EXIT_USAGE = UsageError.exit_code
EXIT_GRAPHVIZ = GraphvizError.exit_code
EXIT_OUTPUT = OutputError.exit_code

# The flag that sets each BuildOptions field, to point at in a usage error.
OPTION_FLAGS = {"formats": "--format", "narrative": "--no-narrative", "templates": "--templates"}

DESCRIPTION = """\
archgen turns ML system design blueprints (YAML) into self-contained SVG and
PNG diagrams, one diagram per design step, and a step-by-step narrative in
Markdown and HTML, and reviews each design the way an interviewer would."""

EPILOG = """\
examples:
  archgen validate blueprints/video-recommendation.yaml
  archgen review blueprints/*.yaml --strict
  archgen render blueprints/video-recommendation.yaml -o output
  archgen render my-system.yaml -o out --format svg --flavor aws --no-steps
  archgen catalog --flavor gcp
  archgen catalog --html catalog.html
  archgen cards blueprints -o deck.apkg --diagrams output
  archgen export blueprints/video-recommendation.yaml --to drawio
  archgen watch my-system.yaml -o out --serve 8000
  archgen book blueprints -o study-book.pdf

exit codes: 0 ok, 1 invalid blueprint (or review findings), 2 wrong usage, 3 Graphviz missing or failing,
  4 cannot write an output

the blueprint format, every key with an example: docs/format.md in archgen's repository"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except ArchgenError as error:
        print_error(error)
        if getattr(args, "verbose", False) and isinstance(error, GraphvizError) and error.output:
            print(f"Graphviz's full output:\n{error.output.rstrip()}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("archgen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`archgen catalog | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archgen",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"archgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_validate(commands)
    _add_review(commands)
    _add_render(commands)
    _add_gallery(commands)
    _add_new(commands)
    _add_catalog(commands)
    add_cards(commands)
    add_export(commands)
    add_watch(commands)
    add_book(commands)
    return parser


def _add_files(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("files", nargs="+", type=Path, metavar="FILE", help="blueprint files (.yaml)")
    sub.add_argument(
        "--root",
        type=Path,
        help="folder that `extends` and `icon` paths must stay inside (default: each blueprint's folder)",
    )


def _add_validate(commands: argparse._SubParsersAction) -> None:
    sub = add_command(commands, "validate", "check blueprints without rendering them", run_validate)
    _add_files(sub)


def _add_review(commands: argparse._SubParsersAction) -> None:
    from archgen.cli_review import add_review_options, run_review

    help_text = "review blueprints as an interviewer would: what a strong answer adds, by step"
    sub = add_command(commands, "review", help_text, run_review)
    _add_files(sub)
    add_review_options(sub)


def _add_render(commands: argparse._SubParsersAction) -> None:
    sub = add_command(commands, "render", "render blueprints into OUT/<id>/", run_render)
    _add_files(sub)
    add_render_options(sub, FORMATS)
    sub.add_argument(
        "--verbose",
        action="store_true",
        help="when Graphviz fails, print its full output too (also kept in OUT/<id>/graphviz.log)",
    )


def add_render_options(sub: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """Options shared by `render` and `gallery`, whose default `formats` differ."""
    sub.add_argument(
        "-o", "--out", type=Path, default=Path("output"), help="output folder (default: output)"
    )
    sub.add_argument(
        "--format",
        default=",".join(formats),
        help=f"comma-separated formats to write, of {','.join(ALL_FORMATS)} (default: {','.join(formats)})",
    )
    sub.add_argument(
        "--flavor", choices=FLAVORS, help="icon set, overriding each blueprint's `flavor`"
    )
    sub.add_argument("--no-steps", action="store_true", help="skip the per-step diagrams")
    sub.add_argument("--no-narrative", action="store_true", help="skip README.md and index.html")
    sub.add_argument(
        "--templates",
        type=Path,
        help="folder of your own narrative templates; missing files fall back to the built-in ones",
    )


def _add_gallery(commands: argparse._SubParsersAction) -> None:
    sub = add_command(
        commands,
        "gallery",
        "render every blueprint in a folder (fragments skipped), in parallel, re-rendering only "
        "what changed, plus OUT/index.html and OUT/README.md",
        run_gallery,
    )
    sub.add_argument(
        "folder", nargs="?", type=Path, default=Path("blueprints"), help="default: blueprints"
    )
    add_render_options(sub, GALLERY_FORMATS)
    sub.add_argument("-j", "--jobs", type=int, help="parallel workers (default: every core)")
    sub.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    sub.add_argument("--force", action="store_true", help="ignore the cache and render everything")


def _add_new(commands: argparse._SubParsersAction) -> None:
    sub = add_command(
        commands, "new", "write a starter blueprint that validates and renders", run_new
    )
    sub.add_argument("name", help="file to create (`.yaml` is added when missing)")
    sub.add_argument(
        "--from",
        dest="base",
        type=Path,
        metavar="BLUEPRINT",
        help="start from this blueprint or fragment: the new file extends it",
    )
    sub.add_argument("--force", action="store_true", help="overwrite the file if it exists")


def _add_catalog(commands: argparse._SubParsersAction) -> None:
    sub = add_command(
        commands, "catalog", "list the component kinds and techs, and their icons", run_catalog
    )
    sub.add_argument("--flavor", choices=FLAVORS, help="list what this flavor draws for each kind")
    sub.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help="instead of the listing, write a page showing every icon of every flavor and tech",
    )


def options_from(args: argparse.Namespace, more_problems: Iterable[str] = ()) -> BuildOptions:
    """The options, or a UsageError naming every flag that cannot work, followed by the
    command's `more_problems` with its other arguments: all are reported at once."""
    options = BuildOptions(
        formats=formats_from(args.format),
        flavor=args.flavor,
        steps=not args.no_steps,
        narrative=not args.no_narrative,
        templates=args.templates,
    )
    problems = [
        f"{', '.join(OPTION_FLAGS[name] for name in problem.fields)}: {problem.message}"
        for problem in check_options(options)
    ]
    problems += more_problems
    if problems:
        raise UsageError(*problems)
    return options


def formats_from(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def for_each_blueprint(files: Iterable[Path], action: Callable[[Path], None]) -> int:
    """Run `action` on every file: an invalid blueprint is reported, and the rest still run."""
    status = EXIT_OK
    for file in files:
        try:
            action(file)
        except BlueprintError as error:
            print_error(error)
            status = error.exit_code
    return status


def run_validate(args: argparse.Namespace) -> int:
    def validate(file: Path) -> None:
        try:
            blueprint = load(file, root=args.root)
        except FragmentError:
            print(f"{file}: fragment, checked as part of each blueprint that extends it")
            return
        print_diagnostics(blueprint.warnings)
        print(f"{file}: ok ({len(blueprint.components)} components, {len(blueprint.flows)} flows)")

    return for_each_blueprint(args.files, validate)


def run_render(args: argparse.Namespace) -> int:
    """Graphviz missing or failing, or an output that cannot be written, stops every file."""
    options = options_from(args)

    def render(file: Path) -> None:
        blueprint = load(file, root=args.root)
        print_diagnostics(blueprint.warnings)
        written = build(blueprint, args.out, options)
        print(f"{file}: wrote {len(written)} files to {args.out / blueprint.id}")

    return for_each_blueprint(args.files, render)


def run_catalog(args: argparse.Namespace) -> int:
    from archgen.catalog import load_catalog
    from archgen.cli_catalog import catalog_listing
    from archgen.files import write_atomic
    from archgen.sheet import catalog_sheet

    catalog = load_catalog()
    if args.html:
        write_atomic(args.html, catalog_sheet(catalog))
        print(f"wrote {args.html}")
        return EXIT_OK
    print(catalog_listing(catalog, flavor=args.flavor))
    return EXIT_OK


def run_gallery(args: argparse.Namespace) -> int:
    from archgen.gallery import render_gallery

    problems = []
    if not args.folder.is_dir():
        problems.append(f"{args.folder} is not a folder of blueprints")
    if args.jobs is not None and args.jobs < 1:
        problems.append("--jobs takes a number of workers, 1 or more")
    options = options_from(args, problems)
    with gallery_progress(args.quiet) as progress:
        report = render_gallery(
            args.folder, args.out, options, jobs=args.jobs, progress=progress, force=args.force
        )
    print_diagnostics([*report.errors, *report.warnings])
    if not args.quiet:
        print(summary_line(report, args.out))
    return report.exit_code


def run_new(args: argparse.Namespace) -> int:
    from archgen.starter import write_starter

    path = write_starter(Path(args.name), base=args.base, overwrite=args.force)
    print(f"wrote {path}; render it with: archgen render {path} -o output")
    return EXIT_OK
