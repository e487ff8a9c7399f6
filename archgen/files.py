"""Files in and out: inputs opened only when they are plain files, outputs never half-written.

Every path a blueprint names (itself, `extends`, `icon`) goes through
`input_file` before anything opens it: a NUL byte, an overlong name, a loop
of symbolic links, a folder, a FIFO (whose open() would wait for a writer
forever) or a device such as /dev/zero (which never ends) is refused with a
reason a message can quote, never with a traceback. `read_input` then reads
at most one byte more than the caller allows, whatever the file turns into
meanwhile.

Every output goes to a temporary file in the same folder and is then renamed
over the target: a rename within one file system is atomic, so a reader sees
either the old file whole or the new one whole.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from archgen.errors import OutputError
from archgen.format import NAME_BYTES

# `.NAME.pPID.XXXXXXXX.tmp`: the file it will become, the process writing it, and
# mkstemp's random part. Without the pid, a leftover of an older archgen.
TEMPORARY_NAME = re.compile(r"\..+?(?:\.p(?P<pid>\d+))?\.[a-z0-9_]{8}\.tmp")


class UnusableInput(Exception):
    """Why a path cannot be read as an input file, as a phrase that follows the path
    in a message: 'does not exist', 'is a folder, not a file'."""


class OutsideRoot(UnusableInput):
    """The path leads out of the folder the blueprint may read from."""


# What an OS error on an input means to its author; anything else is quoted.
_OS_REASONS = {
    errno.ENOENT: "does not exist",
    errno.ENOTDIR: "does not exist (a part of its path is a file, not a folder)",
    errno.ELOOP: "is a loop of symbolic links",
    errno.ENAMETOOLONG: "is a path too long for the file system",
    errno.EACCES: "cannot be read: permission denied",
}


def input_file(path: Path, root: Path | None = None) -> Path:
    """`path` with its symbolic links resolved, once it is known to be a regular file
    (inside `root`, when one is given); raises UnusableInput saying why it is not."""
    resolved = real_path(path)
    if root is not None:
        real_root = real_path(root)
        if not resolved.is_relative_to(real_root):
            raise OutsideRoot(f"is outside the blueprint root {real_root}")
    try:
        mode = os.stat(resolved).st_mode
    except OSError as error:
        raise UnusableInput(_os_reason(error)) from error
    _check_regular(mode)
    return resolved


def real_path(path: Path) -> Path:
    """`path` absolute, with its symbolic links resolved as far as they go; unlike
    Path.resolve, never a RuntimeError on a loop nor a ValueError on a NUL byte."""
    _check_name(path)
    return Path(os.path.realpath(path))


def read_input(path: Path, limit: int) -> bytes:
    """The first `limit` + 1 bytes of the input file `path`, or all of it when shorter:
    a caller that gets more than `limit` knows the file is too big without reading it
    whole. Raises UnusableInput. What it opens is checked once open, so a path not yet
    through `input_file` (inside its root, say) is still read only if it is a file."""
    _check_name(path)
    try:
        # O_NONBLOCK: a FIFO put in the file's place since the check opens at once,
        # and is then refused, instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise UnusableInput(_os_reason(error)) from error
    with os.fdopen(fd, "rb") as handle:
        _check_regular(os.fstat(fd).st_mode)
        try:
            return handle.read(limit + 1)
        except OSError as error:
            raise UnusableInput(_os_reason(error)) from error


def _check_name(path: Path) -> None:
    """Refuses what the OS would turn into a ValueError, or reject name by name."""
    text = os.fspath(path)
    if "\0" in text:
        raise UnusableInput("holds a NUL character (U+0000)")
    for name in path.parts:
        size = len(os.fsencode(name))
        if size > NAME_BYTES.value:
            raise UnusableInput("has " + NAME_BYTES.exceeded(f"a name of {size:,} bytes"))


def _check_regular(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise UnusableInput("is a folder, not a file")
    if stat.S_ISFIFO(mode):
        raise UnusableInput("is a named pipe (FIFO), not a file")
    if stat.S_ISSOCK(mode):
        raise UnusableInput("is a socket, not a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise UnusableInput("is a device, not a file")
    raise UnusableInput("is not a regular file")


def _os_reason(error: OSError) -> str:
    known = _OS_REASONS.get(error.errno or 0)
    return known or f"cannot be read: {error.strerror or error}"


def write_atomic(path: Path, data: bytes | str) -> None:
    """Raises OutputError, naming `path`, when the file cannot be written; the old file, if
    any, stays whole."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    make_folder(path.parent, path)
    tmp: str | None = None
    import tempfile  # here: a gallery run with nothing to redraw writes nothing

    try:
        fd, tmp = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.p{os.getpid()}.", suffix=".tmp"
        )
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
    """A run killed between writing a temporary file and renaming it leaves the file behind.
    Those of a process still running are its own business: an `archgen render` into a
    folder a gallery writes in too, a worker not yet stopped."""
    if folder.is_dir():
        for path in folder.rglob(".*.tmp"):
            name = TEMPORARY_NAME.fullmatch(path.name)
            if name and not _still_writing(name["pid"]) and path.is_file():
                path.unlink(missing_ok=True)


def _still_writing(pid: str | None) -> bool:
    """True when `pid` names another process that is running."""
    if pid is None or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether it exists
    except PermissionError:  # running, as another user
        return True
    except (ProcessLookupError, OverflowError):  # gone, or a number no process can have
        return False
    return True
