"""Worker processes, each rendering one blueprint at a time, that outlive each other's death.

`concurrent.futures.ProcessPoolExecutor` breaks as a whole when one worker is
killed (by the out-of-memory killer, say): every blueprint still pending fails
with it, and which blueprint killed it is lost. Here each worker has its own
pipe, so the parent always knows which blueprint a worker holds: a death fails
that blueprint alone (the caller may hand it out again), and a fresh worker
takes the dead one's place.

Workers share the parent's process group, ignore Ctrl-C (the parent stops them)
and die with the parent: on Linux the kernel kills them when it goes
(`PR_SET_PDEATHSIG`), and everywhere a watchdog thread ends a worker whose
parent is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Generic, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")
# How often a worker's watchdog looks for its parent, in seconds.
PARENT_CHECK_SECONDS = 0.5
# How long a worker asked to stop may take before it is killed, in seconds.
STOP_GRACE_SECONDS = 2.0
# linux/prctl.h: the signal a process gets when its parent dies.
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Died:
    """A worker ended while it held a task: killed, out of memory, or crashed."""

    # Its exit code: negative for the signal that killed it (-9: SIGKILL).
    exitcode: int | None

    def __str__(self) -> str:
        """
        >>> str(Died(-9)), str(Died(1))
        ('killed by SIGKILL', 'exit code 1')
        """
        code = self.exitcode
        if code is None or code >= 0:
            return f"exit code {code}"
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:  # a real-time signal, which has no name
            return f"killed by signal {-code}"


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task: object = None


# A task's payload for a worker: the file it names (for errors before it is
# unpickled) and the pickled task.
Parcel = tuple[Path, bytes]


class Pool(Generic[Task, Result]):
    """Up to `size` workers running `work`, started as tasks come."""

    def __init__(self, size: int, work: Callable[[Parcel], Result]) -> None:
        """`work` is what a worker runs on each parcel; it must not raise."""
        self.size = size
        self.work = work
        self.idle: list[_Worker] = []
        self.busy: list[_Worker] = []
        self.context = multiprocessing.get_context()

    @property
    def full(self) -> bool:
        return len(self.busy) >= self.size

    def start(self, task: Task, source: Path, payload: object) -> None:
        """Hand `payload` to a worker. Raises what pickling it raises (a structure nested
        too deeply, say): that failure is the task's own."""
        parcel = (source, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        while True:
            worker = self.idle.pop() if self.idle else self._new_worker()
            try:
                worker.conn.send(parcel)
            except OSError:  # it died while idle: its place goes to a fresh one
                self._discard(worker)
                continue
            worker.task = task
            self.busy.append(worker)
            return

    def finished(self) -> Iterator[tuple[Task, Result | Died]]:
        """Wait for at least one busy worker to finish; yield each task that did with its
        result, or with `Died` when its worker died holding it. None when none is busy:
        waiting on nothing would never end."""
        if not self.busy:
            return
        ready = set(wait([w.conn for w in self.busy] + [w.process.sentinel for w in self.busy]))
        for worker in [w for w in self.busy if {w.conn, w.process.sentinel} & ready]:
            self.busy.remove(worker)
            task: Task = worker.task  # type: ignore[assignment]
            yield task, self._result_of(worker)

    def _result_of(self, worker: _Worker) -> Result | Died:
        try:
            result: Result = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join()
            self._discard(worker)
            return Died(worker.process.exitcode)
        worker.task = None
        self.idle.append(worker)
        return result

    def stop(self) -> None:
        """End every worker, and wait for them: busy ones too (after Ctrl-C, or when the
        caller stopped listening). Idle ones are not told to stop but terminated as well:
        each inherited its elders' ends of their pipes, so none would see its own close."""
        workers = [*self.idle, *self.busy]
        for worker in workers:
            worker.process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.idle, self.busy = [], []

    def _new_worker(self) -> _Worker:
        mine, theirs = self.context.Pipe()
        process = self.context.Process(
            target=serve, args=(theirs, self.work, os.getpid()), daemon=True
        )
        with ctrl_c_held():
            process.start()
        theirs.close()  # else a dead worker's end stays open here, and its death unseen
        return _Worker(process, mine)

    def _discard(self, worker: _Worker) -> None:
        worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()


@contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Ctrl-C waits until the block ends. Arriving while a worker is forked, it would be
    raised inside the fork's own hooks, which swallow it: the run would go on. (A signal
    mask would not do: it holds the signal for this thread only, and another may take it.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    heard: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: heard.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if heard:
            signal.raise_signal(signal.SIGINT)


def serve(conn: Connection, work: Callable[[Parcel], object], parent: int) -> None:
    """A worker's life: run `work` on each parcel until the parent closes the pipe."""
    stop_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            parcel = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(work(parcel))


def stop_with_parent(parent: int) -> None:
    """A worker outlives its parent by at most PARENT_CHECK_SECONDS, however the parent
    ends (SIGKILL included): it would otherwise go on writing into the output folder."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()


def watch_parent(parent: int, every: float = PARENT_CHECK_SECONDS) -> None:
    """Ends this process once `parent` is no longer its parent (it died, and the process
    was handed to another). Checked once at once: the parent may be gone already."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)
