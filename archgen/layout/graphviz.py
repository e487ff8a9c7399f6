"""Running Graphviz's ``dot``, the one program archgen starts, on a short leash.

On a large, tangled graph ``dot`` can run for minutes, and a broken or
replaced ``dot`` can write anything, forever. So each run has a deadline
(``DOT_TIMEOUT`` seconds, or ``ARCHGEN_DOT_TIMEOUT`` from the environment),
each of its output streams is read up to ``OUTPUT_LIMIT`` bytes and no
further, and what it writes must be a whole SVG document. Anything else is a
``GraphvizError`` that says so in one line; ``dot`` is killed, never waited
for, and nothing it wrote is held past the limit.
"""

from __future__ import annotations

import os
import select
import selectors
import shutil
import subprocess
import time
import xml.parsers.expat
from collections.abc import Mapping
from dataclasses import dataclass

from archgen.errors import (
    GraphvizBadOutput,
    GraphvizFailed,
    GraphvizMissing,
    GraphvizTimeout,
)

# Seconds one `dot` run may take. The 2,000-component limit of the format lays
# out in well under this on a laptop; a run past it is stuck, not slow.
DOT_TIMEOUT = 60.0
TIMEOUT_ENV = "ARCHGEN_DOT_TIMEOUT"
# Bytes read from each of dot's streams: twenty times the SVG of the largest blueprint
# the format allows, so only a broken `dot` reaches it.
OUTPUT_LIMIT = 64 * 2**20
READ_CHUNK = 2**16


@dataclass(frozen=True)
class DotRun:
    """What one finished ``dot`` run wrote, as bytes: its SVG and its messages."""

    returncode: int
    stdout: bytes
    stderr: bytes


def dot_timeout(environ: Mapping[str, str] = os.environ) -> float:
    """The deadline of one ``dot`` run, in seconds: the environment's, when it is a
    positive number, else the default.

    >>> dot_timeout({"ARCHGEN_DOT_TIMEOUT": "300"}), dot_timeout({})
    (300.0, 60.0)
    """
    try:
        seconds = float(environ.get(TIMEOUT_ENV, ""))
    except ValueError:
        return DOT_TIMEOUT
    return seconds if seconds > 0 else DOT_TIMEOUT


def run_dot(source: str) -> str:
    """Lay out DOT source and return the SVG that `dot -Tsvg` writes."""
    executable = shutil.which("dot")
    if executable is None:
        raise GraphvizMissing()
    timeout = dot_timeout()
    try:
        run = bounded_run([executable, "-Tsvg"], source.encode("utf-8"), timeout, OUTPUT_LIMIT)
    except FileNotFoundError as error:
        raise GraphvizMissing() from error
    messages = run.stderr.decode("utf-8", errors="replace")
    if run.returncode != 0:
        raise GraphvizFailed(run.returncode, messages)
    return checked_svg(run.stdout, messages)


def bounded_run(argv: list[str], data: bytes, timeout: float, limit: int) -> DotRun:
    """`argv` run with `data` on its stdin, killed at `timeout` seconds or once a stream
    passes `limit` bytes (GraphvizTimeout, GraphvizBadOutput with what it said so far).

    ``subprocess.run`` reads everything a program writes, however much: this reads
    both streams as they come, so a flood stops at the limit, not at memory's end.
    """
    deadline = time.monotonic() + timeout
    with subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        try:
            stdout, stderr = exchange(process, data, deadline, limit)
            process.wait(max(deadline - time.monotonic(), 0.001))
        except subprocess.TimeoutExpired:
            raise GraphvizTimeout(timeout, TIMEOUT_ENV) from None
        finally:
            if process.returncode is None:
                process.kill()
                process.wait()
    return DotRun(process.returncode, stdout, stderr)


def exchange(
    process: subprocess.Popen[bytes], data: bytes, deadline: float, limit: int
) -> tuple[bytes, bytes]:
    """`data` written to the process while its stdout and stderr are read, until it closes
    them both: ``communicate``, with a deadline that holds and a cap on each stream."""
    assert process.stdin and process.stdout and process.stderr
    received = {process.stdout: bytearray(), process.stderr: bytearray()}
    pending, offset = memoryview(data), 0
    with selectors.DefaultSelector() as selector:
        for stream in received:
            selector.register(stream, selectors.EVENT_READ)
        selector.register(process.stdin, selectors.EVENT_WRITE)
        while len(selector.get_map()) > 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise subprocess.TimeoutExpired(process.args, 0)
            for key, _ in selector.select(remaining):
                if key.fileobj is process.stdin:
                    offset = write_some(process.stdin.fileno(), pending, offset)
                    if offset >= len(pending):
                        selector.unregister(process.stdin)
                        process.stdin.close()
                    continue
                chunk = os.read(key.fd, READ_CHUNK)
                buffer = received[key.fileobj]  # type: ignore[index]
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                buffer += chunk
                if len(buffer) > limit:
                    said = received[process.stderr].decode("utf-8", errors="replace")
                    raise GraphvizBadOutput(
                        f"over {limit // 2**20} MB, more than any diagram needs", said
                    )
    return bytes(received[process.stdout]), bytes(received[process.stderr])


def write_some(fd: int, data: memoryview, offset: int) -> int:
    """The next piece of `data` written without blocking; a reader that left takes no more."""
    try:
        return offset + os.write(fd, data[offset : offset + select.PIPE_BUF])
    except BrokenPipeError:
        return len(data)


def checked_svg(output: bytes, messages: str) -> str:
    """`output` as text when it is one whole SVG document; a GraphvizBadOutput naming what
    is wrong otherwise, so no later stage meets garbage, half a file or nothing."""
    if not output.strip():
        raise GraphvizBadOutput("empty", messages)
    try:
        text = output.decode("utf-8")
    except UnicodeDecodeError:
        raise GraphvizBadOutput("not UTF-8 text", messages) from None
    parser, roots = xml.parsers.expat.ParserCreate(), []

    def first_element(name: str, _attributes: object) -> None:
        roots.append(name)
        parser.StartElementHandler = None

    parser.StartElementHandler = first_element
    try:
        parser.Parse(output, True)
    except xml.parsers.expat.ExpatError as error:
        raise GraphvizBadOutput(f"not a whole SVG document ({error})", messages) from None
    if roots != ["svg"]:
        raise GraphvizBadOutput(f"a <{roots[0]}> document, not SVG", messages)
    return text
