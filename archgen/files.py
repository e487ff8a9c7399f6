"""Writing outputs so that a crash never leaves a half-written file.

Every output goes to a temporary file in the same folder and is then renamed
over the target: a rename within one file system is atomic, so a reader sees
either the old file whole or the new one whole.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from archgen.errors import OutputError

# The names write_atomic gives its temporary files: `.NAME.` + mkstemp's eight
# random characters + `.tmp`.
TEMPORARY_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def write_atomic(path: Path, data: bytes | str) -> None:
    """Raises OutputError, naming `path`, when the file cannot be written; the old file, if
    any, stays whole."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    make_folder(path.parent, path)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as error:
        _discard(tmp)
        raise OutputError(path, error.strerror or str(error)) from error
    except BaseException:
        _discard(tmp)
        raise


def make_folder(folder: Path, target: Path | None = None) -> None:
    """Create `folder` and its parents, or raise OutputError naming `target` (the file it is
    made for), or else the folder."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:
        raise OutputError(target or folder, f"{folder} is a file, not a folder") from error
    except OSError as error:
        raise OutputError(target or folder, error.strerror or str(error)) from error


def _discard(tmp: str | None) -> None:
    if tmp is not None:
        Path(tmp).unlink(missing_ok=True)


def remove_temporary_files(folder: Path) -> None:
    """A run killed between writing a temporary file and renaming it leaves the file behind."""
    if folder.is_dir():
        for path in folder.rglob(".*.tmp"):
            if TEMPORARY_NAME.fullmatch(path.name) and path.is_file():
                path.unlink(missing_ok=True)
