"""Work spread over the cores → a process pool whose workers end with the build, even when it is killed.

The build's other helper processes (Pagefind) are started with `die_with_parent` for the same reason, and so are
the one-off helpers `forked` starts (the spare output's copy of links) and those that send back what they found
(`Forked`: the spare output's check, what the last build published).
"""
from __future__ import annotations

import ctypes
import gc
import marshal
import multiprocessing
import os
import select
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to end this worker when the build that started it dies (SIGKILL included)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass


def forked(work, answer: int = -1) -> int:
    """Run `work()` in a forked process of its own, which ends with the build and runs nothing else of it; the
    bytes it returns are written to the descriptor `answer` (if any), and it exits 0 once done, 1 if it failed.
    Its pid, or 0 where none could be started. Nothing in it may start a thread or wait on one of the build's."""
    try:
        pid = os.fork()
    except OSError:
        return 0
    if pid == 0:
        code = 1
        try:
            die_with_parent()
            data = work()
            if answer >= 0:
                with open(answer, "wb") as f:
                    f.write(data)
            code = 0
        finally:
            os._exit(code)
    return pid


def ended(pid: int, stop: bool = False) -> bool:
    """Wait for the process `forked` started (killed first with `stop`): whether it did its work."""
    if stop:
        os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1] == 0


WAIT = 60  # seconds `Forked.result` waits for an answer before it stops the process (a hung one must not hang us)


class Forked:
    """`work()` done by a process of its own (`forked`) while the build goes on, its value (data marshal carries)
    sent back through a pipe. `result()` waits for it (`WAIT` seconds at most): None where no process could start,
    it failed or it did not answer in time, and the caller then does the work itself. `close()` ends the process if
    its result was never taken."""

    def __init__(self, work) -> None:
        self.fd, answer = os.pipe()
        self.pid = forked(lambda: marshal.dumps(work()), answer)
        os.close(answer)
        if self.pid <= 0:
            self.close()

    def result(self):
        if self.pid <= 0:
            return None
        chunks, deadline = [], time.monotonic() + WAIT
        while select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:  # the whole answer: the process has ended, or is ending
                os.close(self.fd)
                self.fd, done, self.pid = -1, ended(self.pid), 0
                try:
                    return marshal.loads(b"".join(chunks)) if done else None
                except (EOFError, ValueError, TypeError):
                    return None
            chunks.append(chunk)
        self.close()  # no answer in time
        return None

    def close(self) -> None:
        if self.pid > 0:
            ended(self.pid, stop=True)
            self.pid = 0
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _start_worker() -> None:
    """A worker ends with the build, and collects its own garbage, whether or not the build had paused the
    collector when it forked (build.py pauses it while it loads: Python-Markdown leaves cycles behind)."""
    die_with_parent()
    gc.enable()


def pool(jobs: int, fork: bool = False) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("fork") if fork else None
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker)
