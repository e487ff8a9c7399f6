"""A plain (non-editable) install ships what archgen needs at run time.

The templates and the schema live at the top of the repository, where users
and editors look for them; the wheel must carry them inside the package, and
an installed archgen must find them there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SPEC_EXAMPLE = ROOT / "tests" / "data" / "valid" / "spec-example.yaml"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w"]
    subprocess.run([*command, str(out), str(ROOT)], check=True, capture_output=True)
    (built,) = out.glob("archgen-*.whl")
    return built


def test_the_wheel_carries_catalog_review_rules_templates_and_schema(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "archgen/catalog.yaml",
        "archgen/review/rules.yaml",
        "archgen/schema/blueprint.schema.json",
        "archgen/templates/narrative.html.j2",
        "archgen/templates/narrative.md.j2",
        "archgen/templates/practice.html.j2",
        "archgen/templates/practice.css",
        "archgen/templates/gallery.html.j2",
        "archgen/templates/starter.yaml.j2",
        "archgen/gallery/__init__.py",
        "archgen/book/style.typ",
        "archgen/licenses/lucide-ISC.txt",
        "archgen/licenses/simple-icons-CC0.txt",
    }
    assert expected <= names


def test_the_wheel_says_archgen_is_typed(wheel: Path) -> None:
    """PEP 561: a type checker reads archgen's annotations only when py.typed is there."""
    assert "archgen/py.typed" in zipfile.ZipFile(wheel).namelist()


def test_the_wheel_requires_the_icon_sets_it_draws_from(wheel: Path) -> None:
    """The icons are read from these packages at run time, so they are dependencies."""
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        requires = [
            line.split(":", 1)[1].strip()
            for line in archive.read(metadata).decode().splitlines()
            if line.startswith("Requires-Dist:") and "extra ==" not in line
        ]
    names = {re.split(r"[<>=!~ ;\[]", req, maxsplit=1)[0].lower() for req in requires}
    assert {"diagrams", "lucide", "simple-icons-pack"} <= names


def test_an_installed_archgen_renders_without_the_repository(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    args = ["render", str(SPEC_EXAMPLE), "-o", "out", "--format", "svg"]
    result = subprocess.run(
        [sys.executable, "-m", "archgen", *args], cwd=work, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    page = work / "out" / "video-recommendation" / "index.html"
    assert "Video Recommendation" in page.read_text(encoding="utf-8")
    probe = "import archgen.narrate.templates as t; print(t.builtin_templates_dir())"
    where = subprocess.run(
        [sys.executable, "-c", probe], cwd=work, env=env, capture_output=True, text=True
    )
    assert where.stdout.strip().startswith(str(target))
