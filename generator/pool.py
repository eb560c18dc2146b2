"""Work spread over the cores → a process pool whose workers end with the build, even when it is killed.

The build's other helper processes (Pagefind) are started with `die_with_parent` for the same reason.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to end this worker when the build that started it dies (SIGKILL included)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass


def _start_worker() -> None:
    """A worker ends with the build, and collects its own garbage, whether or not the build had paused the
    collector when it forked (build.py pauses it while it loads: Python-Markdown leaves cycles behind)."""
    die_with_parent()
    gc.enable()


def pool(jobs: int, fork: bool = False) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("fork") if fork else None
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker)
