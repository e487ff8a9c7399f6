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
from archgen.build import BuildOptions
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
        graphviz_installed(),
        *(f"{name}:{','.join(installed(name))}" for name in ICON_PACKAGES),
        package_digest(Path(archgen.__file__).parent),
    ]
    return digest_of(parts)


def package_digest(package: Path) -> str:
    """Every file below `package`: a module, the catalog or the review rules (which decide
    each Review section and card badge) may change an output. Known by size and time of
    change, as Python knows whether a module's compiled code is current: reading them
    all would cost a run with nothing to redraw more than anything else it does."""
    return digest_of(f"{name}:{file_version(package / name)}" for name in package_files(package))


def file_version(path: Path) -> str:
    status = path.stat()
    return f"{status.st_size}:{status.st_mtime_ns}"


def package_files(package: Path) -> list[str]:
    """The package's files as sorted relative paths, compiled bytecode left out unvisited:
    walking into every `__pycache__` would cost more than hashing what is kept."""
    found = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        where = Path(folder).relative_to(package)
        found += [(where / name).as_posix() for name in names]
    return sorted(found)


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


def graphviz_installed() -> str:
    """The `dot` on PATH, as its file: installing another Graphviz replaces or moves it.
    Read from the file system rather than by running `dot -V`: starting a process is
    the dearest thing a gallery with nothing to redraw would do."""
    executable = shutil.which("dot")
    if executable is None:
        return "dot:none"
    try:
        resolved = Path(executable).resolve()
        return f"dot:{resolved}:{file_version(resolved)}"
    except OSError:  # removed since `which` found it
        return "dot:unknown"
