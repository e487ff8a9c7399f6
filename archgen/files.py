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

# The names write_atomic gives its temporary files: `.NAME.` + mkstemp's eight
# random characters + `.tmp`.
TEMPORARY_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def write_atomic(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_temporary_files(folder: Path) -> None:
    """A run killed between writing a temporary file and renaming it leaves the file behind."""
    if folder.is_dir():
        for path in folder.rglob(".*.tmp"):
            if TEMPORARY_NAME.fullmatch(path.name) and path.is_file():
                path.unlink(missing_ok=True)
