"""The command line: a thin shell over the Python API.

Exit codes: 0 when everything worked, 1 when a blueprint is invalid (its
errors go to stderr as `file:line:col: error: ...`), 2 for wrong usage, 3 when
Graphviz is missing or fails.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from archgen import __version__
from archgen.build import (
    FORMATS,
    GALLERY_FORMATS,
    BuildOptions,
    build,
    check_options,
    formats_from,
)
from archgen.diagnostics import BlueprintError, Diagnostic
from archgen.format import FLAVORS
from archgen.load import FragmentError, load

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_GRAPHVIZ = 0, 1, 2, 3

DESCRIPTION = """\
archgen turns ML system design blueprints (YAML) into self-contained SVG and
PNG diagrams, one diagram per design step, and a step-by-step narrative in
Markdown and HTML."""

EPILOG = """\
examples:
  archgen validate blueprints/video-recommendation.yaml
  archgen render blueprints/video-recommendation.yaml -o output
  archgen render my-system.yaml -o out --format svg --flavor aws --no-steps
  archgen catalog --flavor gcp
  archgen catalog --html catalog.html

exit codes: 0 ok, 1 invalid blueprint, 2 wrong usage, 3 Graphviz missing or failing"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("archgen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`archgen catalog | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        # An unwritable output folder, a full disk: say which file, not a traceback.
        where = f" {error.filename}" if error.filename else ""
        print(f"archgen: error: cannot write{where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_INVALID


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
    _add_render(commands)
    _add_gallery(commands)
    _add_new(commands)
    _add_catalog(commands)
    return parser


def _command(
    commands: argparse._SubParsersAction,
    name: str,
    help_text: str,
    run: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=help_text, description=help_text)
    sub.set_defaults(run=run)
    return sub


def _add_files(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("files", nargs="+", type=Path, metavar="FILE", help="blueprint files (.yaml)")
    sub.add_argument(
        "--root",
        type=Path,
        help="folder that `extends` and `icon` paths must stay inside (default: each blueprint's folder)",
    )


def _add_validate(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "validate", "check blueprints without rendering them", run_validate)
    _add_files(sub)


def _add_render(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "render", "render blueprints into OUT/<id>/", run_render)
    _add_files(sub)
    add_render_options(sub, FORMATS)


def add_render_options(sub: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """Options shared by `render` and `gallery`, whose default `formats` differ."""
    sub.add_argument(
        "-o", "--out", type=Path, default=Path("output"), help="output folder (default: output)"
    )
    sub.add_argument(
        "--format",
        default=",".join(formats),
        help=f"comma-separated formats to write, of {','.join(FORMATS)} (default: {','.join(formats)})",
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
    sub = _command(
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
    sub = _command(commands, "new", "write a starter blueprint that validates and renders", run_new)
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
    sub = _command(
        commands, "catalog", "list the component kinds and techs, and their icons", run_catalog
    )
    sub.add_argument("--flavor", choices=FLAVORS, help="list what this flavor draws for each kind")
    sub.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help="instead of the listing, write a page showing every icon of every flavor and tech",
    )


def options_from(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        formats=formats_from(args.format),
        flavor=args.flavor,
        steps=not args.no_steps,
        narrative=not args.no_narrative,
        templates=args.templates,
    )


def usage_error(problems: list[str]) -> int:
    for problem in problems:
        print(f"archgen: error: {problem}", file=sys.stderr)
    return EXIT_USAGE


def report(error: BlueprintError) -> None:
    report_warnings(error.diagnostics)


def report_warnings(diagnostics: Iterable[Diagnostic]) -> None:
    """Diagnostics as `file:line:col: severity: message` lines on stderr."""
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)


def run_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for file in args.files:
        try:
            blueprint = load(file, root=args.root)
        except FragmentError:
            print(f"{file}: fragment, checked as part of each blueprint that extends it")
            continue
        except BlueprintError as error:
            report(error)
            status = EXIT_INVALID
            continue
        report_warnings(blueprint.warnings)
        print(f"{file}: ok ({len(blueprint.components)} components, {len(blueprint.flows)} flows)")
    return status


def run_render(args: argparse.Namespace) -> int:
    from archgen.layout import GraphvizError

    options = options_from(args)
    problems = check_options(options)
    if problems:
        return usage_error(problems)
    status = EXIT_OK
    for file in args.files:
        try:
            blueprint = load(file, root=args.root)
            report_warnings(blueprint.warnings)
            written = build(blueprint, args.out, options)
        except BlueprintError as error:
            report(error)
            status = EXIT_INVALID
            continue
        except GraphvizError as error:
            print(f"archgen: {error}", file=sys.stderr)
            return EXIT_GRAPHVIZ
        print(f"{file}: wrote {len(written)} files to {args.out / blueprint.id}")
    return status


def run_catalog(args: argparse.Namespace) -> int:
    from archgen.catalog import catalog_listing, load_catalog
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
    from archgen.gallery import progress_printer, render_gallery, summary_line

    options = options_from(args)
    problems = check_options(options)
    if not args.folder.is_dir():
        problems.append(f"{args.folder} is not a folder of blueprints")
    if args.jobs is not None and args.jobs < 1:
        problems.append("--jobs takes a number of workers, 1 or more")
    if problems:
        return usage_error(problems)
    try:
        report = render_gallery(
            args.folder,
            args.out,
            options,
            jobs=args.jobs,
            progress=progress_printer(sys.stdout, args.quiet),
            force=args.force,
        )
    except Exception as error:
        if not graphviz_failed(error):
            raise
        print(f"archgen: {error}", file=sys.stderr)
        return EXIT_GRAPHVIZ
    for line in report.errors:
        print(line, file=sys.stderr)
    if not args.quiet:
        print(summary_line(report, args.out))
    return EXIT_OK if report.ok else EXIT_INVALID


def graphviz_failed(error: Exception) -> bool:
    """Whether `error` is Graphviz missing or failing (a GraphvizError).

    Asked without importing the layout: a gallery with nothing to redraw never
    loads it, and a module that was never loaded raised nothing.
    """
    layout = sys.modules.get("archgen.layout")
    return layout is not None and isinstance(error, layout.GraphvizError)


def run_new(args: argparse.Namespace) -> int:
    from archgen.starter import StarterError, write_starter

    try:
        path = write_starter(Path(args.name), base=args.base, overwrite=args.force)
    except StarterError as error:
        return usage_error([str(error)])
    print(f"wrote {path}; render it with: archgen render {path} -o output")
    return EXIT_OK
