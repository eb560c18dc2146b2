"""Rendered pages → a Pagefind search bundle (`pagefind/`): in a build's output, or in memory for the preview.

Pagefind indexes the `main` of article, claim and actor pages (base.html marks
it `data-pagefind-body`, with the kind of page as metadata), in the language
of `<html lang>`, which gives it its stemming. The theme's boilerplate inside
those pages is left out by EXCLUDED. The bundle's file names are hashes of
their content, so the same pages give the same bundle.

A large site's bundle is made of shards: each indexed page belongs to one by a
hash of its path; the first shard is `pagefind/` itself and the others are
`pagefind/1/`, `pagefind/2/`, …, listed in `pagefind/shards.json`; search.js merges them in the
reader's browser (Pagefind's `mergeIndex`). Pagefind has no incremental mode,
so a shard is what a change costs: a build indexes again only the shards whose
pages changed, and takes the others from the build cache (or, in the preview,
from the last run). Pages are fed to Pagefind's service from memory, and its
files come back in memory, each page without the elements marked
`data-pagefind-ignore="all"` (`document`): Pagefind would read them only to
throw them away, and a claim or actor page is mostly such passages.
"""
from __future__ import annotations

import base64
import hashlib
import importlib
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from .cache import digest, generator_key
from .errors import Problem, Src
from .pool import die_with_parent
from .write import put

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
SHARD_PAGES = 128  # a shard holds about this many pages at most, up to MAX_SHARDS shards
MAX_SHARDS = 32  # each is a few more small requests when a reader starts to search
MANIFEST = "shards.json"  # the shards search.js merges into the first: ["1/", "2/", …]
MERGED = ("pagefind-entry.json", ".pf_meta", "index/", "fragment/", "filter/")  # what a merged shard is read for
TIMEOUT = 900  # seconds for one Pagefind service's shards


def shard_count(pages: int) -> int:
    """How many shards `pages` indexed pages make: a power of two, so a growing site seldom moves its pages."""
    count = 1
    while count < MAX_SHARDS and count * SHARD_PAGES < pages:
        count *= 2
    return count


def shard_of(path: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "big") % count


def pagefind_program() -> str | None:
    """Pagefind's program, found where the `pagefind` package looks (`pagefind.service.get_executable`): the
    PAGEFIND_BINARY_PATH variable, the binary packages `pagefind[extended]` and `pagefind` install, the PATH. Not
    through that package, which imports asyncio for its own client (15 ms of a warm build's start)."""
    given = os.environ.get("PAGEFIND_BINARY_PATH")
    if given is not None:
        return given
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return str(importlib.import_module(package).get_executable())
        except (ImportError, FileNotFoundError):
            continue
    return shutil.which("pagefind_extended") or shutil.which("pagefind")


class Service:
    """Pagefind's indexing service (`pagefind --service`): requests and replies are base64 JSON, each ended by
    a comma. Spoken to directly, as the `pagefind` package's asyncio client waits 0.1 s for every reply."""

    def __init__(self, background: bool = False) -> None:
        binary = pagefind_program()
        if binary is None:
            raise OSError("Pagefind's program is missing: pip install 'pagefind[extended]'")

        def start() -> None:  # in the child: end with the build, and in the background yield the CPU
            die_with_parent()
            if background and hasattr(os, "nice"):
                os.nice(19)

        self._said = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self._said, preexec_fn=start)
        except OSError as e:
            self._said.close()
            raise OSError(f"Pagefind did not run: {e}") from None
        self._sent = 0

    def ask(self, payloads: Iterable[dict], count: int | None = None) -> list[dict]:
        """Send every request (from a thread, each as soon as it is made, as replies come while we write) and return
        the replies in order; `count`: how many `payloads` makes, when it is not a list."""
        first = self._sent + 1
        count = len(payloads) if count is None else count
        self._sent += count

        def write() -> None:
            made = iter(enumerate(payloads))
            while True:
                try:
                    i, payload = next(made, (0, None))
                except BaseException as e:  # noqa: BLE001 - making a request failed (a page unreadable): said below
                    failed.append(e)
                    self.proc.kill()
                    return
                try:
                    if payload is None:
                        self.proc.stdin.flush()
                        return
                    wire = json.dumps({"message_id": first + i, "payload": payload}).encode("utf-8")
                    self.proc.stdin.write(base64.b64encode(wire) + b",")
                except OSError:
                    return  # Pagefind ended: the reading below says why

        failed: list[BaseException] = []
        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        replies: dict[int, dict] = {}
        rest = b""
        while len(replies) < count:
            chunk = self.proc.stdout.read1(1 << 20)
            if not chunk:
                self.proc.wait()
                writer.join()
                if failed:
                    raise failed[0]
                self._said.seek(0)
                said = self._said.read().decode("utf-8", "replace").strip().splitlines()
                raise OSError(f"Pagefind failed: {said[-1] if said else f'exit status {self.proc.returncode}'}")
            *whole, rest = (rest + chunk).split(b",")
            for reply in map(json.loads, map(base64.b64decode, whole)):
                if reply["payload"].get("type") == "Error":
                    self.proc.kill()  # so the writer, and closing, cannot wait on a service nobody reads
                    raise OSError(f"Pagefind failed: {reply['payload'].get('message', '')}")
                replies[reply["message_id"]] = reply["payload"]
        writer.join()
        return [replies[first + i] for i in range(count)]

    def index(self, pages: Iterable[tuple[str, bytes]], count: int | None = None) -> dict[str, bytes]:
        """The bundle (path within it → bytes) of these pages (output path → HTML; `count` of them, when `pages`
        is not a list), each sent as soon as it is made."""
        config = {"exclude_selectors": list(EXCLUDED)}
        index = self.ask([{"type": "NewIndex", "config": config}])[0]["index_id"]
        self.ask(({"type": "AddFile", "index_id": index, "file_path": path,
                   "file_contents": html.decode("utf-8", "replace")} for path, html in pages),
                 len(pages) if count is None else count)
        files = self.ask([{"type": "GetFiles", "index_id": index}])[0]["files"]
        self.ask([{"type": "DeleteIndex", "index_id": index}])
        return {f["path"]: base64.b64decode(f["content"]) for f in files}

    def close(self) -> None:
        if self.proc.stdin:
            try:
                self.proc.stdin.close()
            except OSError:
                pass  # Pagefind was stopped (the preview closing) before it read all it was sent
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._said.close()


IGNORED = b'data-pagefind-ignore="all"'
TAG = re.compile(rb"<([a-z][a-z0-9]*)[\s/>]")
VOID = frozenset(b"area base br col embed hr img input link meta source track wbr".split())
_TAGS: dict[bytes, re.Pattern] = {}


def document(body: bytes) -> bytes:
    """What Pagefind is given of a page: the page without its elements marked `data-pagefind-ignore="all"`,
    which Pagefind would parse and then leave out, with anything in them (tests/test_search.py checks the
    bundle is the same byte for byte). An element whose end cannot be found is left in, and so is the rest."""
    kept, at, look = [], 0, 0
    while (i := body.find(IGNORED, look)) >= 0:
        look = i + len(IGNORED)
        start = body.rfind(b"<", at, i)  # the element's tag (attribute values have no "<": they are escaped)
        found = TAG.match(body, start) if start >= 0 and body[i - 1:i].isspace() else None
        if found is None or body.find(b">", start, i) >= 0:
            continue  # words in a text, not an attribute
        tag, end = found.group(1), body.find(b">", look) + 1
        if tag not in VOID:
            scan = _TAGS.get(tag) or _TAGS.setdefault(tag, re.compile(b"<(/?)" + tag + rb"[\s/>]"))
            depth = 1
            for other in scan.finditer(body, end):
                depth += -1 if other.group(1) else 1
                if depth == 0:
                    break
            if depth:
                break
            end = body.find(b">", other.start()) + 1
        kept.append(body[at:start])
        at = look = end
    return b"".join(kept) + body[at:] if kept else body


def indexed(body: bytes) -> str:
    """The SHA-256 of what the search indexes of a page that holds `MARK` (its `document`); '' for any other
    file. Two pages that differ only where the search does not look have the same."""
    return hashlib.sha256(document(body)).hexdigest() if MARK in body else ""


def index_pages(pages: dict[str, str], read, cached=lambda key: None, keep=lambda key, files: None, jobs: int = 1,
                background: bool = False, running: list | None = None,
                done=lambda files: None, has=lambda key: True) -> tuple[dict[str, bytes], str]:
    """Indexed pages (output path → `indexed(HTML)`; `read(path)` gives the HTML) → the bundle's files (path
    within `pagefind/` → bytes), or what went wrong ('' when nothing did).

    `cached(key)` gives a shard's files indexed before (or None) and `keep(key, files)` is told the shards
    indexed now; the missing shards are indexed by up to `jobs` Pagefind services at once, and only their pages
    are read. The shards `has(key)` says are missing are indexed first, while the others are taken from `cached`
    (at 10 000 articles, 31 shards' 13 000 files taken and compared while Pagefind indexes the one that changed).
    `done(files)` is given each shard's files (their paths in the bundle) as soon as they are known, from the
    thread that indexed them. In the `background` (the preview) Pagefind runs at the lowest CPU priority and
    stands in `running` while it runs, so that stopping the preview can stop it.
    """
    count = shard_count(len(pages))
    shards: list[list[str]] = [[] for _ in range(count)]
    for path in sorted(pages):
        shards[shard_of(path, count)].append(path)
    shards = [shard for shard in shards if shard] or [[]]  # Pagefind cannot search an empty index
    count = len(shards)
    made = [os.environ.get("PAGEFIND_BINARY_PATH", ""), *EXCLUDED]
    keys = [digest("search", generator_key(), *made, k, *(x for path in shard for x in (path, pages[path])))
            for k, shard in enumerate(shards)]
    found: dict[int, dict[str, bytes]] = {}

    def known(k: int, files: dict[str, bytes]) -> None:
        found[k] = files
        done({(f"{k}/" if k else "") + path: body for path, body in files.items()})

    todo: queue.SimpleQueue = queue.SimpleQueue()  # shards to index, then a None for each service
    threads: list[threading.Thread] = []
    errors: list[str] = []

    def index(k: int) -> None:  # to the first free service; one more started while there are fewer than `jobs`
        todo.put(k)
        if len(threads) < jobs:
            threads.append(threading.Thread(target=work))
            threads[-1].start()

    def work() -> None:
        try:
            service = Service(background)
        except OSError as e:
            errors.append(str(e))
            return
        if running is not None:
            running.append(service.proc)
        timer = threading.Timer(TIMEOUT, service.proc.kill)
        timer.start()
        try:
            while not errors:
                k = todo.get()  # one at a time, whichever service is free
                if k is None:
                    break
                files = service.index(((path, document(read(path))) for path in shards[k]), len(shards[k]))
                if k:  # a merged shard: its index only (Pagefind's scripts and styles come from the first)
                    files = {path: body for path, body in files.items() if path.startswith(MERGED) or
                             path.endswith(MERGED)}
                keep(keys[k], files)
                known(k, files)
        except (OSError, ValueError) as e:  # ValueError: a reply that is not what the service says
            service.proc.kill()
            errors.append(str(e) if isinstance(e, OSError) else f"Pagefind failed: an unreadable reply ({e})")
        except Exception as e:  # noqa: BLE001 - anything else (a page that is not what it should be): said, not raised
            service.proc.kill()  # in a thread, it would leave the build a shard short and a traceback
            errors.append(f"Pagefind was not given a page: {type(e).__name__}: {e}")
        finally:
            timer.cancel()
            if running is not None:
                running.remove(service.proc)
            service.close()  # in the thread that started it: Linux ties the child's end to this thread

    try:
        missing = [k for k, key in enumerate(keys) if not has(key)]
        for k in missing:
            index(k)
        for k, key in enumerate(keys):
            if k in missing:
                continue
            files = cached(key)
            if files is None:  # not there after all (a damaged entry; or `has` cannot tell, as in the preview)
                index(k)
            else:
                known(k, files)
    finally:
        for thread in threads:
            todo.put(None)
        for thread in threads:
            thread.join()
    if errors:
        return {}, errors[0]
    bundle = {(f"{k}/" if k else "") + path: body for k in range(count) for path, body in found[k].items()}
    bundle[MANIFEST] = json.dumps([f"{k}/" for k in range(1, count)]).encode("utf-8")
    return bundle, ""


def index_site(out: Path, shown_as: str, pages: dict[str, str], store=None, jobs: int | None = None,
               written: set[str] | None = None, left: set[str] | None = None) -> list[Problem]:
    """Write the search bundle of the `pages` under `out` (output file → `indexed(HTML)`) into `out/pagefind/`
    (its files' paths go into `written`; a file `out` already holds as it should be is left alone, and its path
    goes into `left` too); a Problem if that failed.

    With the build cache (`store`, a cache.Cache), a shard of the same indexed pages (paths and bytes) is taken
    from it instead of running Pagefind again; only the pages of the shards indexed again are read. Up to `jobs`
    Pagefind services run at once; by default one more than the cores, as each waits while this process reads
    and sends it pages (a cold build at 1 000 articles: 0.976 x the time, paired with one per core).
    """
    indexed = []
    cache = store is not None and store.folder is not None

    def keep(key: str, files: dict[str, bytes]) -> None:
        indexed.append(key)
        if cache:
            store.put("search", key, files)

    def write(files: dict[str, bytes]) -> None:  # a shard's files, while Pagefind indexes the next
        for path, body in files.items():
            target = out / BUNDLE / path
            if written is not None:
                written.add(f"{BUNDLE}/{path}")
            try:
                if target.stat().st_size == len(body) and target.read_bytes() == body:
                    if left is not None:
                        left.add(f"{BUNDLE}/{path}")
                    continue  # an earlier output's file (a spare), as it should be
            except OSError:
                pass
            put(target, body)

    bundle, failed = index_pages(pages, lambda path: (out / path).read_bytes(),
                                 (lambda key: store.get("search", key)) if cache else (lambda key: None), keep,
                                 jobs or (os.cpu_count() or 1) + 1, done=write,
                                 has=(lambda key: store.has("search", key)) if cache else (lambda key: False))
    if store is not None and not failed:
        store.shards = (len(indexed), len(json.loads(bundle[MANIFEST])) + 1)
    if failed:
        return [Problem(Src(f"{shown_as}/{BUNDLE}/", 1), f"the search index was not built: {failed}")]
    write({MANIFEST: bundle[MANIFEST]})
    return []


QUIET_SECONDS = 0.5  # the preview indexes once saves pause this long


class LiveIndex:
    """The preview's search: its pages (in memory) indexed again in a background thread after every rebuild.

    A rebuild only hands over the pages (`update`) and returns, so a save shows as fast as before; saves
    that come while Pagefind runs are gathered into the next run. `files` maps "pagefind/…" to bytes and
    keeps the previous run's files too, so a page that started searching with the old index still finds them.
    A run indexes again only the shards whose pages changed.
    """

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.error = ""
        self.runs = 0
        self._shards: dict[str, dict[str, bytes]] = {}  # the last run's shards, by key
        self._written: dict[str, bytes] = {}
        self._digests: dict[str, tuple[bytes, str]] = {}  # page → (its bytes, their `indexed`)
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
        pages = {name: body for name, body in files.items() if name.endswith(".html") and MARK in body}
        if self.files and pages.keys() == self._written.keys() and all(
                self._written[name] is body or self._written[name] == body for name, body in pages.items()):
            return None, ""
        digests = {}  # each page's, worked out again only for new bytes
        for name, body in pages.items():
            last = self._digests.get(name)
            digests[name] = last[1] if last is not None and last[0] is body else indexed(body)
        self._digests = {name: (pages[name], made) for name, made in digests.items()}
        used: dict[str, dict[str, bytes]] = {}

        def keep(key: str, shard: dict[str, bytes]) -> None:
            used[key] = shard

        def cached(key: str) -> dict[str, bytes] | None:
            if key in self._shards:
                used[key] = self._shards[key]
            return used.get(key)

        bundle, error = index_pages(digests, pages.__getitem__, cached, keep, background=True, running=self._running)
        if error:
            return None, error
        self._written, self._shards = pages, used
        return {f"{BUNDLE}/{name}": body for name, body in bundle.items()}, ""
