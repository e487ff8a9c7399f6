"""What besides a blueprint's own files changes what the gallery writes for it.

Its hash is the cache's environment key: when it changes, every blueprint is
rendered again. It has to be cheap, since a gallery with nothing to redraw
computes it and little else: files are hashed, never parsed or imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

import archgen
import archgen.catalog
import archgen.review.rules
from archgen.build import BuildOptions
from archgen.errors import GraphvizError
from archgen.layout.graphviz import OUTPUT_LIMIT, bounded_run, dot_timeout
from archgen.narrate.templates import templates_digest

# The icons are drawn from these packages: a new version may change a picture.
ICON_PACKAGES: tuple[str, ...] = ("diagrams", "lucide", "simple-icons-pack")


def environment_key(options: BuildOptions) -> str:
    """Everything besides the blueprint's own files that changes what gets written."""
    parts = [
        archgen.__version__,
        templates_digest(options.templates, "narrative"),
        templates_digest(options.templates, "practice"),
        json.dumps(asdict(options), default=str, sort_keys=True),
        graphviz_version(),
        *(f"{name}:{','.join(installed(name))}" for name in ICON_PACKAGES),
        code_digest(Path(archgen.__file__).parent),
        # The catalog's file is hashed, not parsed: parsing it costs more than the rest.
        f"catalog:{file_digest(archgen.catalog.CATALOG_FILE)}",
        # The review rules decide each narrative's Review section and each card's badge.
        f"review:{file_digest(archgen.review.rules.RULES_FILE)}",
    ]
    return digest_of(parts)


def code_digest(package: Path) -> str:
    """Every module below `package`, subpackages included, by path and content: a change
    in any of them may change an output."""
    modules = sorted(package.rglob("*.py"))
    return digest_of(f"{p.relative_to(package).as_posix()}:{file_digest(p)}" for p in modules)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digest_of(parts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def installed(distribution: str) -> list[str]:
    """The distribution's ``NAME-VERSION.dist-info`` folders on sys.path: their names
    carry its version. Found by listing folders rather than through importlib.metadata,
    whose import alone costs more than a gallery run with nothing to redraw."""
    prefix = distribution.replace("-", "_").lower() + "-"
    found: list[str] = []
    for entry in filter(None, sys.path):
        try:
            names = os.listdir(entry)
        except OSError:  # a zip file, a folder that went away
            continue
        found += sorted(
            n for n in names if n.lower().startswith(prefix) and n.endswith(".dist-info")
        )
    return found


def graphviz_version() -> str:
    executable = shutil.which("dot")
    if executable is None:
        return "none"
    try:  # bounded as every run of `dot` is: a hung one must not hang the gallery
        run = bounded_run([executable, "-V"], b"", dot_timeout(), OUTPUT_LIMIT)
    except GraphvizError:
        return "unknown"
    return run.stderr.decode("utf-8", errors="replace").strip()
