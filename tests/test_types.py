"""archgen type-checks clean, under the mypy settings in pyproject.toml.

Run as a test so that `make test`, and so CI, keeps the types honest; mypy
caches what it has checked in .mypy_cache, so a run after a small change is quick.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_archgen_type_checks_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "archgen"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
