"""Timing archgen from the outside: whole commands, as a user runs them.

Each command runs as its own process and is measured by the CPU time (user
and system) it and everything it started used, read from
``resource.getrusage(RUSAGE_CHILDREN)`` before and after: that counts Python's
start-up, every import, Graphviz and the gallery's workers, and nothing else
running on the machine.

Children run with Python's bytecode cache on, kept in the scratch folder
(``PYTHONPYCACHEPREFIX``), as an installed archgen runs: a first run of each
command that compiles the modules is not timed.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC_EXAMPLE = REPO / "tests" / "data" / "valid" / "spec-example.yaml"
BASELINE = REPO / "bench" / "baseline_diagrams.py"
ARCHGEN: tuple[str, ...] = (sys.executable, "-m", "archgen")
PYTHON_PASS: tuple[str, ...] = (sys.executable, "-c", "pass")
# What only rendering needs: `archgen validate` must import none of them.
RENDERING_MODULES: tuple[str, ...] = ("jinja2", "markdown_it", "resvg", "PIL", "diagrams")
# Runs the command line's validate in-process, then prints which of argv[2:] it imported.
IMPORTS_AFTER_VALIDATE = """\
import json, sys
from archgen.cli import main
main(["validate", sys.argv[1]])
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2:]))))
"""


class CommandFailed(Exception):
    """A measured command exited with an error: its time would mean nothing."""


def child_environment(scratch: Path) -> dict[str, str]:
    """This environment with bytecode caching on, its cache in `scratch`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    return env


def children_cpu() -> float:
    """User and system seconds of every finished child (and their children) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: Sequence[str], env: dict[str, str]) -> str:
    """Run `command` to the end and return its stdout; CommandFailed when it fails."""
    completed = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if completed.returncode != 0:
        raise CommandFailed(f"{' '.join(command)}: exit {completed.returncode}: {completed.stderr}")
    return completed.stdout


def process_cpu(
    command: Sequence[str], env: dict[str, str], *, repeats: int, warm_up: bool = True
) -> float:
    """Median CPU seconds of `command` over `repeats` runs, after an untimed one when
    `warm_up` (which compiles the modules it imports into the bytecode cache)."""
    if warm_up:
        run(command, env)
    samples = []
    for _ in range(repeats):
        before = children_cpu()
        run(command, env)
        samples.append(children_cpu() - before)
    return statistics.median(samples)


def imports_after_validate(env: dict[str, str]) -> list[str]:
    """Which of RENDERING_MODULES a process has imported after `archgen validate`."""
    script = [sys.executable, "-c", IMPORTS_AFTER_VALIDATE, str(SPEC_EXAMPLE)]
    stdout = run([*script, *RENDERING_MODULES], env)
    return json.loads(stdout.splitlines()[-1])
