"""archgen's pre-commit hooks, run by pre-commit itself on a scratch repository.

`pre-commit try-repo` clones this repository at HEAD (with the uncommitted
changes to tracked files), builds the hooks' environment by pip-installing
archgen from that clone and runs the hooks, as a user's `pre-commit run` would
after pointing at archgen's repository. Each run builds its environment anew:
a minute or more.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pre_commit", reason="pre-commit is in the dev extras: pip install -e '.[dev]'")

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
VALID = (DATA / "valid" / "spec-example.yaml").read_text()
INVALID = (DATA / "invalid" / "bad-component-id.yaml").read_text()
# YAML that is no blueprint, outside `blueprints/`: the hooks must leave it alone.
NOT_A_BLUEPRINT = "on: [push\n"


def is_git_checkout(folder: Path) -> bool:
    if shutil.which("git") is None:
        return False
    found = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True, text=True
    )
    return found.returncode == 0 and Path(found.stdout.strip()).resolve() == folder.resolve()


pytestmark = pytest.mark.skipif(
    not is_git_checkout(ROOT), reason="pre-commit try-repo clones archgen's git checkout"
)


def scratch_repo(folder: Path, files: dict[str, str]) -> Path:
    """A git repository holding `files` (path -> text), added but not committed."""
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    subprocess.run(["git", "add", "."], cwd=folder, check=True)
    return folder


def try_repo(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo <archgen> ARGS --all-files` in `repo`. archgen comes from the
    environment pre-commit builds, not from this process's path; pre-commit's log goes
    to a folder of the test's. Skips when pip cannot install archgen's dependencies."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "PYTHONPATH"}
    env["PRE_COMMIT_HOME"] = str(repo.parent / "pre-commit-home")
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), *args]
    ran = subprocess.run(
        [*command, "--all-files", "--color=never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    output = ran.stdout + ran.stderr
    if ran.returncode == 3 and "Installing environment" in output and "pip" in output:
        lines = output.splitlines()
        problem = next((line for line in lines if "unexpected error" in line), lines[-1])
        pytest.skip(f"pre-commit could not build archgen's environment (offline?): {problem}")
    return ran


def test_validate_fails_on_an_invalid_blueprint_naming_its_place(tmp_path: Path) -> None:
    repo = scratch_repo(
        tmp_path / "repo",
        {"blueprints/good.yaml": VALID, "blueprints/bad.yaml": INVALID, "ci.yaml": NOT_A_BLUEPRINT},
    )
    ran = try_repo(repo, "archgen-validate")
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "blueprints/bad.yaml:5:3: error: bad component id 'Users'" in ran.stdout
    assert "blueprints/good.yaml: ok" in ran.stdout
    assert "ci.yaml" not in ran.stdout


def test_both_hooks_pass_valid_blueprints(tmp_path: Path) -> None:
    repo = scratch_repo(
        tmp_path / "repo", {"blueprints/good.yaml": VALID, "ci.yaml": NOT_A_BLUEPRINT}
    )
    ran = try_repo(repo)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert re.search(r"archgen validate\.+Passed", ran.stdout)
    assert re.search(r"archgen review\.+Passed", ran.stdout)
