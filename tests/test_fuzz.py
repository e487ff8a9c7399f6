"""The fuzz test: mutated blueprints never get a traceback, a hang or an undocumented exit code.

Seeded (set ARCHGEN_FUZZ_SEED to explore others, ARCHGEN_FUZZ_CASES for more
cases) and bounded: each case has a time limit, and the whole run stops
taking new cases after its budget. A failure names the seed and the
operations, which rebuild the mutant exactly.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from fuzzing import Mutant, Mutator, odd_paths, plain_data

from archgen.cli import EXIT_GRAPHVIZ, EXIT_INVALID, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE, main

VALID = Path(__file__).parent / "data" / "valid"
BASES = ("spec-example", "edge-cases", "study-notes")
DOCUMENTED_EXITS = {EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_GRAPHVIZ, EXIT_OUTPUT}
FIRST_SEED = int(os.environ.get("ARCHGEN_FUZZ_SEED", "20261130"))
CASES = int(os.environ.get("ARCHGEN_FUZZ_CASES", "90"))
VALIDATE_SECONDS = 10
RENDER_SECONDS = 60
BUDGET_SECONDS = 150


class TooSlow(Exception):
    """Raised by the alarm inside a case that runs past its limit."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TooSlow(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(args: list[str], seconds: int) -> tuple[int | None, str]:
    """The exit code of the CLI on `args`, or None and the reason when it raised or ran too long."""
    try:
        with time_limit(seconds):
            return main(args), ""
    except SystemExit as exit_:
        return (exit_.code if isinstance(exit_.code, int) else EXIT_USAGE), ""
    except Exception as error:  # the finding itself: anything main let escape
        return None, f"{type(error).__name__}: {str(error)[:200]}"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(VALID / "icons", folder / "icons")
    return folder


def mutants(root: Path) -> Iterator[Mutant]:
    paths = odd_paths(root)
    mutators = [Mutator(plain_data(VALID / f"{name}.yaml"), paths) for name in BASES]
    for offset in range(CASES):
        seed = FIRST_SEED + offset
        yield mutators[seed % len(mutators)].mutant(seed)


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the time limit per case needs SIGALRM")
def test_mutated_blueprints_get_a_documented_exit_and_never_a_traceback(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings: list[str] = []
    rendered = 0
    deadline = time.monotonic() + BUDGET_SECONDS
    for mutant in mutants(root):
        if time.monotonic() > deadline:
            break
        path = root / f"case-{mutant.seed}.yaml"
        path.write_text(mutant.text, encoding="utf-8")
        code, problem = run(["validate", str(path)], VALIDATE_SECONDS)
        if code == EXIT_OK:
            code, problem = run(
                ["render", str(path), "-o", str(root / "out"), "--format", "svg,dot"],
                RENDER_SECONDS,
            )
            rendered += 1
        stderr = capsys.readouterr().err
        if problem or code not in DOCUMENTED_EXITS or "Traceback" in stderr:
            findings.append(
                f"seed {mutant.seed} {mutant.operations}: exit {code} {problem} {stderr[-300:]!r}"
            )
        path.unlink()
    assert not findings, "\n".join(findings)
    assert rendered > 0, "no mutant was valid: the mutator only tests the validator"


def test_a_mutant_is_rebuilt_from_its_seed_alone(root: Path) -> None:
    first, second = (next(mutants(root)) for _ in range(2))
    assert first == second
    base = plain_data(VALID / f"{BASES[FIRST_SEED % len(BASES)]}.yaml")
    unchanged = yaml.safe_dump(base, sort_keys=False, allow_unicode=True, width=10_000)
    assert first.text != unchanged  # it is a mutant, not the base written out again
