"""One gallery run at a time in an output folder: the second waits for the first.

Two runs into one folder would clean up each other's temporary files and
overwrite each other's cache. Each run holds an exclusive `flock` on the
folder itself for as long as it lasts, so the second starts once the first is
done, and then finds everything the first rendered unchanged. The lock is the
folder's, not a file's: nothing is left behind, and the kernel releases it
however the run ends, SIGKILL included.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from archgen.errors import OutputError


@contextmanager
def folder_lock(out: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold `out` for this run; `waiting` hears when another run holds it first.

    A file system that cannot lock (some network file systems) leaves the folder
    unlocked, as it was before locks: refusing to run there would help no one.
    """
    try:
        handle = os.open(out, os.O_RDONLY)
    except OSError as error:
        raise OutputError(out, error.strerror or str(error)) from error
    try:
        _lock(handle, waiting)
        yield
    finally:
        os.close(handle)


def _lock(handle: int, waiting: Callable[[], None]) -> None:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        waiting()
        fcntl.flock(handle, fcntl.LOCK_EX)
    except OSError:  # no locks on this file system
        return
