"""A site folder → the paths saved in it, as the operating system tells them (watchdog: inotify, FSEvents) → rebuilds.

The preview watches site.toml, content/ and the theme's templates/ and static/;
nothing is polled, so a save is seen at once, and a large site costs no CPU
while nobody types. The loop that rebuilds after each save never dies: a
failure is reported (browser and terminal) and the next save is picked up.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from ..config import theme_dirs
from .rebuild import Preview, failure_problem

QUIET_SECONDS = 1.0  # after a save, pages nobody is looking at wait this long: the next save may come first
IDLE_SECONDS = 0.5  # with nothing to do, the watcher still looks up this often (e.g. to stop)
BURST_SECONDS = 0.01  # a save is over when no event followed for this long (waiting at most 10 times this)
SITE_FOLDERS = ("content", "templates", "static")
TEMPORARY = ".preview-tmp"  # the suffix of the files the panel's edits write before renaming them: not saves


class Saves(FileSystemEventHandler):
    """The watched paths that changed (site-relative, or absolute for the default theme), kept until taken.

    Saves that come while the preview rebuilds wait here for the next round: none is lost.
    """

    def __init__(self, root: Path):
        self.root, self.paths, self.came = root, set(), threading.Condition()
        self.observer: BaseObserver | None = None  # set by `observe`: a site folder made later is watched too

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        found = {self.key(p) for p in (event.src_path, event.dest_path) if p}
        found = {p for p in found if ("/" in p or p in ("site.toml", *SITE_FOLDERS))  # not the root's other files
                 and not p.endswith(TEMPORARY)}
        if event.is_directory and self.observer is not None:
            for name in found & set(SITE_FOLDERS):
                if (self.root / name).is_dir():
                    self.observer.schedule(self, str(self.root / name), recursive=True)
        if found:
            with self.came:
                self.paths |= found
                self.came.notify()

    def key(self, path: str | bytes) -> str:
        path = Path(os.fsdecode(path))
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.as_posix()

    def take(self, timeout: float) -> set[str]:
        """What changed, once a burst of events is over (an editor's save is several); empty after `timeout`."""
        with self.came:
            if not self.came.wait_for(lambda: self.paths, timeout):
                return set()
            deadline = time.monotonic() + BURST_SECONDS * 10
            while time.monotonic() < deadline and self.came.wait(BURST_SECONDS):
                pass
            found, self.paths = self.paths, set()
        return found


def observe(root: Path, saves: Saves) -> BaseObserver:
    """Start telling `saves` of every change to site.toml, content/ and the theme's templates/ and static/."""
    folders = [(root, False), *((d, True) for d in (root / "content", *theme_dirs(root, "templates"),
                                                    *theme_dirs(root, "static")) if d.is_dir())]
    for kind in (Observer, PollingObserver):  # polling where the system cannot tell (e.g. inotify's limit)
        observer = kind()
        try:
            for folder, recursive in folders:
                observer.schedule(saves, str(folder), recursive=recursive)
            observer.start()
            saves.observer = observer
            return observer
        except OSError:
            observer.stop()
    raise OSError(f"cannot watch {root}")


# -- the loop ------------------------------------------------------------------

def watch(preview: Preview, saves: Saves, stop: threading.Event, say) -> None:
    """Rebuild after every save; while the editor pauses, render what is pending. Stops only at `stop`."""
    quiet_from = time.monotonic()  # pending pages wait until then: the next save may come first
    busy = True  # whether `settle` has more to do
    while not stop.is_set():
        changed = saves.take(max(0.0, quiet_from - time.monotonic()) if busy else IDLE_SECONDS)
        try:
            if not changed:
                if time.monotonic() >= quiet_from:
                    busy = preview.settle()
                continue
            kind, count, seconds = preview.rebuild(changed)
        except Exception as e:  # noqa: BLE001 - `rebuild` reports its own failures; this is the last line
            kind, count, seconds = preview.report(failure_problem(e, changed)), 0, 0.0
            busy = False
        quiet_from, busy = time.monotonic() + QUIET_SECONDS, busy or bool(changed)
        if kind == "problems":
            say("\n".join(map(str, preview.problems)) + f"\n{len(preview.problems)} problem(s); "
                "still serving the last good pages")
        elif changed:
            say(f"{kind}: {', '.join(sorted(changed)[:3])}{' …' if len(changed) > 3 else ''} → {count} pages in "
                f"{seconds * 1000:.0f} ms")
