"""`archgen review`: the design review of blueprints, as lines an editor reads or as JSON.

Findings go to stdout, one `file:line:col: severity: [rule] message` line each
and a summary line per file, or all of them as one JSON list with `--format
json`; what stops a blueprint from loading goes to stderr as `archgen
validate` reports it. The review itself is `archgen.review`'s: this module
only chooses the words on screen and the exit status.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from archgen.cli_console import print_diagnostics, print_error
from archgen.errors import BlueprintError

if TYPE_CHECKING:
    from archgen.review import Finding

EXIT_OK = 0
# A finding at the threshold fails the run as an invalid blueprint does: both need an edit.
EXIT_FINDINGS = 1
OUTPUT_FORMATS = ("text", "json")


def add_review_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--format",
        choices=OUTPUT_FORMATS,
        default="text",
        help="text: one `file:line:col: severity: [rule] message` line per finding (default); "
        "json: a list of objects with file, line, col, rule, severity, step and message",
    )
    sub.add_argument(
        "--strict", action="store_true", help="fail on warnings too, not only on errors"
    )


def run_review(args: argparse.Namespace) -> int:
    """Exit 0 when no finding reaches the threshold (errors; warnings too with
    --strict), 1 when one does or a blueprint is invalid."""
    threshold = "warning" if args.strict else "error"
    status = EXIT_OK
    findings: list[Finding] = []
    for file in args.files:
        try:
            found, failed = _review_file(file, args.root, threshold, args.format == "text")
        except BlueprintError as error:
            print_error(error)
            status = error.exit_code
            continue
        findings += found
        status = max(status, EXIT_FINDINGS if failed else EXIT_OK)
    if args.format == "json":
        print(json.dumps([f.as_json() for f in findings], indent=2))
    return status


def _review_file(
    file: Path, root: Path | None, threshold: str, show: bool
) -> tuple[list[Finding], bool]:
    """The file's findings and whether they fail; printed as lines when `show`."""
    from archgen.parse.load import FragmentError, load
    from archgen.review import review

    try:
        blueprint = load(file, root=root)
    except FragmentError:
        note = f"{file}: fragment, reviewed as part of each blueprint that extends it"
        print(note, file=sys.stdout if show else sys.stderr)
        return [], False
    print_diagnostics(blueprint.warnings)
    result = review(blueprint)
    if show:
        for finding in result.findings:
            print(finding)
        print(f"{file}: review: {result.summary()}")
    return list(result.findings), result.fails(threshold)
