"""The code stays ruff-clean: checked here so CI holds every change to it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean(command: list[str]) -> None:
    assert RUFF, "ruff is part of the dev extras: pip install -e '.[dev]'"
    targets = [p for p in ("archgen", "tests", "bench") if (ROOT / p).is_dir()]
    result = subprocess.run([RUFF, *command, *targets], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
