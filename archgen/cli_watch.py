"""`archgen watch`: render again on every save, and optionally serve the result.

Kept beside `cli.py`, which only registers it: the command's arguments, and
each render said in a line or two. The watching and the serving are
`archgen.watch`'s, which knows nothing of the terminal. Ctrl-C is how a
watch ends, so it ends it cleanly: a line, exit 0, no traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from archgen.build import WATCH_FORMATS
from archgen.cli_console import add_command, count, print_diagnostics

if TYPE_CHECKING:
    from archgen.watch import PreviewServer, WatchPass

EXIT_OK = 0
HELP = "render a blueprint, or a folder of them, again on every save (--serve: in a browser)"
EPILOG = """\
A blueprint file renders again when it, a fragment it extends, one of its icons or
a --templates file is saved; a folder renders like `archgen gallery`: only the
blueprints whose files or fragments changed, and the index. A save that does not
load prints its errors and keeps the last good output. With --serve, OUT is served
on 127.0.0.1 and an open page reloads itself after each render (the files on disk
stay as `archgen render` writes them). Ctrl-C stops."""


def add_watch(commands: argparse._SubParsersAction) -> None:
    from archgen.cli import add_render_options

    sub = add_command(commands, "watch", HELP, run_watch, EPILOG)
    sub.add_argument(
        "path", type=Path, metavar="FILE|DIR", help="a blueprint, or a folder of blueprints"
    )
    add_render_options(sub, WATCH_FORMATS)
    sub.add_argument(
        "--root",
        type=Path,
        help="for a FILE: the folder `extends` and `icon` paths must stay inside "
        "(default: the blueprint's folder)",
    )
    sub.add_argument(
        "--serve",
        type=int,
        metavar="PORT",
        help="serve OUT on http://127.0.0.1:PORT/ (0: any free port); open pages reload "
        "after each render",
    )


def run_watch(args: argparse.Namespace) -> int:
    from archgen.cli import options_from
    from archgen.watch import watch

    problems = []
    if args.serve is not None and not 0 <= args.serve <= 65535:
        problems.append("--serve takes a port number, 0 to 65535")
    if args.root is not None and args.path.is_dir():
        problems.append("--root: only for a FILE; a folder is its blueprints' root")
    options = options_from(args, problems)
    passes = watch(args.path, args.out, options, root=args.root)
    server: PreviewServer | None = None
    try:
        for number, result in enumerate(passes):
            show(result, first=number == 0)
            if number == 0:
                server = _start(args, result)
            elif server is not None:
                server.published(result.changed, [str(d) for d in result.errors])
    except KeyboardInterrupt:
        print("archgen watch: stopped", flush=True)
    finally:
        passes.close()
        if server is not None:
            server.close()
    return EXIT_OK


def _start(args: argparse.Namespace, first: WatchPass) -> PreviewServer | None:
    """After the first render: the server, when asked for, then the wait for saves."""
    from archgen.watch import PreviewServer

    server = None
    if args.serve is not None:
        server = PreviewServer(args.out, args.serve)
        server.published(False, [str(d) for d in first.errors])
        print(f"serving {args.out} at {server.url}{first.page}")
    print(f"watching {args.path} for saves; Ctrl-C stops", flush=True)
    return server


def show(result: WatchPass, first: bool = False) -> None:
    """A render in a line on stdout, timed; its errors and warnings on stderr before it."""
    print_diagnostics(result.warnings)
    print_diagnostics(result.errors)
    stamp = time.strftime("%H:%M:%S")
    if result.errors:
        print(f"{stamp} {count(len(result.errors), 'error')}: the last good output stays")
    if result.rendered:
        print(f"{stamp} rendered {', '.join(result.rendered)} ({result.seconds:.1f}s)")
    elif first and not result.errors:
        print(f"{stamp} nothing to render: the output is up to date")
    sys.stdout.flush()
