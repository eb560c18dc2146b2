"""Rendered pages → a Pagefind search bundle (`pagefind/`): in a build's output, or in memory for the preview.

Pagefind indexes the `main` of article, claim and actor pages (base.html marks
it `data-pagefind-body`, with the kind of page as metadata), in the language
of `<html lang>`, which gives it its stemming. The theme's boilerplate inside
those pages is left out by EXCLUDED. The bundle's file names are hashes of
their content, so the same pages give the same bundle.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from .errors import Problem, Src
from .pool import die_with_parent

BUNDLE = "pagefind"
MARK = b"data-pagefind-body"
EXCLUDED = (  # the theme's words that every such page has alike, and what is found better elsewhere
    "[aria-hidden=true]", ".stance", ".empty",  # icons, stance words, "nobody denies this claim"
    "h2[id]",  # the theme's section headings (headings in content have no id)
    ".legend", ".ann-ref", ".passages",  # an article's key, passage numbers, and list of claims (on their pages)
    ".verdict-description", ".quote-meta", ".by-side thead", ".timeline-summary", ".timeline", ".spread", ".cite",
    ".claim .kicker", ".actor-page .kicker",  # "Claim", "Person": the kind of page is its metadata
    ".actor-page .quote",  # the passages an actor's page quotes are found on their articles and claims
)


def pagefind_command(site: Path, bundle: Path) -> list[str] | str:
    """The command that indexes `site` into `bundle`, or why there is none."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return "Pagefind is not installed: pip install 'pagefind[extended]'"
    binary = get_executable()
    if binary is None:
        return "Pagefind's program is missing: pip install 'pagefind[extended]'"
    excluded = [arg for selector in EXCLUDED for arg in ("--exclude-selectors", selector)]
    return [str(binary), "--site", str(site), "--output-path", str(bundle), "--silent", *excluded]


def run_pagefind(site: Path, bundle: Path, background: bool = False, running: list | None = None) -> str:
    """Index the HTML pages under `site` into `bundle`; '' when that worked, else what went wrong.

    In the `background` (the preview), Pagefind runs at the lowest CPU priority, so a rebuild goes first, and
    stands in `running` while it runs, so that stopping the preview can stop it.
    """
    command = pagefind_command(site.resolve(), bundle.resolve())
    if isinstance(command, str):
        return command
    def start() -> None:  # in the child: end with the build, and in the background yield the CPU
        die_with_parent()
        if background and hasattr(os, "nice"):
            os.nice(19)

    try:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=start)
    except OSError as e:
        return f"Pagefind did not run: {e}"
    if running is not None:
        running.append(proc)
    try:
        out, err = proc.communicate(timeout=900)
    except subprocess.TimeoutExpired:
        proc.kill()
        return "Pagefind did not finish in 900 s"
    finally:
        if running is not None:
            running.remove(proc)
    if proc.returncode != 0:
        said = (err or out).strip().splitlines()
        return f"Pagefind failed: {said[-1] if said else f'exit status {proc.returncode}'}"
    return ""


def index_site(out: Path, shown_as: str, store=None) -> list[Problem]:
    """Write the search bundle of the pages under `out` into `out/pagefind/`; a Problem if that failed.

    With the build cache (`store`, a cache.Cache), the bundle of the same indexed pages (paths and bytes) is
    taken from it instead of running Pagefind again.
    """
    key = None
    if store is not None and store.folder is not None:
        from .cache import digest, generator_key
        pages = sorted(p for p in out.rglob("*.html") if p.is_file())
        parts = [(p.relative_to(out).as_posix(), p.read_bytes()) for p in pages]
        key = digest("search", generator_key(), os.environ.get("PAGEFIND_BINARY_PATH", ""), *EXCLUDED,
                     *(x for rel, body in parts if MARK in body for x in (rel, body)))
        bundle = store.get("search", key)
        if bundle is not None:
            for rel, body in bundle.items():
                (out / BUNDLE / rel).parent.mkdir(parents=True, exist_ok=True)
                (out / BUNDLE / rel).write_bytes(body)
            return []
    failed = run_pagefind(out, out / BUNDLE)
    if failed:
        return [Problem(Src(f"{shown_as}/{BUNDLE}/", 1), f"the search index was not built: {failed}")]
    if key:
        store.put("search", key, {f.relative_to(out / BUNDLE).as_posix(): f.read_bytes()
                                  for f in sorted((out / BUNDLE).rglob("*")) if f.is_file()})
    return []


QUIET_SECONDS = 0.5  # the preview indexes once saves pause this long


class LiveIndex:
    """The preview's search: its pages (in memory) indexed again in a background thread after every rebuild.

    A rebuild only hands over the pages (`update`) and returns, so a save shows as fast as before; saves
    that come while Pagefind runs are gathered into the next run. `files` maps "pagefind/…" to bytes and
    keeps the previous run's files too, so a page that started searching with the old index still finds them.
    """

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.error = ""
        self.runs = 0
        self._tmp = Path(tempfile.mkdtemp(prefix="factcheck-search-"))
        self._written: dict[str, bytes] = {}
        self._last: dict[str, bytes] = {}
        self._wanted: dict[str, bytes] | None = None
        self._closed = False
        self._running: list = []  # the Pagefind process, while one runs
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._work, name="search-index", daemon=True)
        self._thread.start()

    def update(self, files: dict[str, bytes]) -> None:
        """Index these pages (output file → bytes) soon; a newer call replaces one still waiting."""
        with self._wake:
            self._wanted = files
            self._wake.notify()

    def wait(self, runs: int, timeout: float) -> bool:
        """Until `runs` indexing runs have finished (for tests and tools); False on timeout."""
        with self._wake:
            return self._wake.wait_for(lambda: self.runs >= runs, timeout)

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        for proc in list(self._running):  # stopping the preview does not wait for an index nobody will read
            proc.kill()
        self._thread.join(timeout=10)
        shutil.rmtree(self._tmp, ignore_errors=True)

    def _work(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._wanted is not None or self._closed)
                while not self._closed and self._wake.wait(QUIET_SECONDS):  # a burst of saves: index the last
                    pass
                if self._closed:
                    return
                files, self._wanted = self._wanted, None
            fresh, error = self._index(files)
            with self._wake:
                if fresh is not None:
                    self.files = {**self._last, **fresh}
                    self._last = fresh
                self.error = error
                self.runs += 1
                self._wake.notify_all()

    def _index(self, files: dict[str, bytes]) -> tuple[dict[str, bytes] | None, str]:
        """The new bundle's files, or None when it failed (and why) or when no page it holds has changed."""
        site, bundle = self._tmp / "site", self._tmp / BUNDLE
        pages = {name: body for name, body in files.items() if name.endswith(".html") and MARK in body}
        if self.files and pages.keys() == self._written.keys() and all(
                self._written[name] is body or self._written[name] == body for name, body in pages.items()):
            return None, ""
        for name in set(self._written) - set(pages):
            (site / name).unlink(missing_ok=True)
        for name, body in pages.items():
            if self._written.get(name) is not body:
                (site / name).parent.mkdir(parents=True, exist_ok=True)
                (site / name).write_bytes(body)
        self._written = pages
        shutil.rmtree(bundle, ignore_errors=True)
        site.mkdir(parents=True, exist_ok=True)
        error = run_pagefind(site, bundle, background=True, running=self._running)
        if error:
            return None, error
        return {f"{BUNDLE}/{f.relative_to(bundle).as_posix()}": f.read_bytes()
                for f in sorted(bundle.rglob("*")) if f.is_file()}, ""
