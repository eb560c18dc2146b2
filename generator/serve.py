"""A site folder → a live preview on 127.0.0.1: pages kept in memory, only what a save touches re-rendered, browsers told.

The operating system tells of each save (watchdog); a rebuild reuses every file
not changed (load cache) and every article not changed (link cache), plans the
pages anew (cheap), and re-renders only the pages whose context or templates
changed, those on screen first. Browsers listen on Server-Sent Events:
`reload` after a rebuild, `css` when only stylesheets changed, `problems`
(the same PATH:LINE: messages as the terminal) when the content is broken,
while the last good pages stay served. python-livereload is not used: it
drops changes that come within 3 s of a reload (see README).
"""
from __future__ import annotations

import gc
import json
import mimetypes
import os
import signal
import sys
import threading
import time
import webbrowser
from collections import Counter
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import jinja2
import jinja2.meta

from .config import load_config, theme_dirs
from .errors import Problem, SiteError
from .link import link_site
from .load import load_content
from .model import Config
from .render import Page, make_env, plan_pages, render_page, template_problem
from .search import LiveIndex
from .urls import output_file
from .watch import Saves, observe

QUIET_SECONDS = 1.0  # after a save, pages nobody is looking at wait this long: the next save may come first
IDLE_SECONDS = 0.5  # with nothing to do, the watcher still looks up this often (e.g. to stop)
KINDS_KEPT = 64  # versions whose kind of change (reload, css, problems) the preview remembers
EVENTS = "/__preview/events"
CLIENT = """<script>
(() => {
  const version = %d;
  let box = null;
  const show = (problems) => {
    box = box || document.body.appendChild(document.createElement("div"));
    box.id = "preview-problems";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#fff5f5;color:#5c0a0a;border:3px solid #c0392b;border-radius:.5rem;padding:1rem 1.2rem;" +
      "font:14px/1.5 ui-monospace,monospace;box-shadow:0 .5rem 2rem rgba(0,0,0,.3);white-space:pre-wrap";
    box.textContent = problems.join("\\n");
  };
  const es = new EventSource("%s?page=" + encodeURIComponent(location.pathname));
  es.addEventListener("hello", (e) => {
    const state = JSON.parse(e.data);
    if (state.problems.length) show(state.problems);
    else if (state.version !== version) location.reload();
  });
  es.addEventListener("reload", () => location.reload());
  es.addEventListener("problems", (e) => show(JSON.parse(e.data).problems));
  es.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("preview", Date.now());
      link.href = url.href;
    }
  });
})();
</script>
"""


class Preview:
    """The site as the preview serves it, rebuilt in place; thread-safe through `changed`."""

    def __init__(self, root: Path, base_url: str):
        self.root, self.base_url = root, base_url
        self.load_cache: dict = {}  # unchanged files are not read again
        self.link_cache: dict = {}  # unchanged articles are not linked again
        self.planned: dict[str, Page] = {}  # output file → page, as last planned
        self.files: dict[str, bytes] = {}
        self.pending: dict[str, Page] = {}  # changed pages not rendered yet: output file → page
        self.watching: Counter[str] = Counter()  # output files open in browsers now
        self.template_dirs: list[Path] = []
        self.problems: tuple[Problem, ...] = ()
        self.version = 0
        self.kinds: dict[int, str] = {}  # version → "reload" | "css" | "problems"
        self.changed = threading.Condition()
        self.env: jinja2.Environment | None = None
        self.config = None  # of the pages served
        self.loaded: Config | None = None  # the last config read; content changes cannot change it
        self.swept = False  # whether the garbage collector has swept since the last change
        self.search = LiveIndex()  # Pagefind over `files`, indexed again in the background after each rebuild

    # -- building ----------------------------------------------------------
    def rebuild(self, changed: set[str] | None = None) -> tuple[str, int, float]:
        """Bring the pages up to date with the files; (what changed, pages rendered, seconds)."""
        gc.disable()  # a collection now would walk the whole site mid-rebuild: `settle` sweeps when the editor pauses
        try:
            return self._rebuild(set(changed or ()))
        finally:
            gc.enable()

    def _rebuild(self, changed: set[str]) -> tuple[str, int, float]:
        started = time.perf_counter()
        if changed and all(p.startswith("static/") or "/static/" in p for p in changed):
            kind = "css" if all(p.endswith(".css") for p in changed) else "reload"
            return self._publish(kind, ()), 0, time.perf_counter() - started
        try:
            if self.loaded is None or not all(p.startswith("content/") for p in changed):
                self.loaded = None  # until site.toml and the UI strings load without a problem
                config = load_config(self.root, self.base_url)
                self.loaded = self.config if config == self.config else config  # the same object compares faster
            config = self.loaded
            site = link_site(load_content(self.root, config, cache=self.load_cache), config, self.link_cache)
            template_dirs = theme_dirs(self.root, "templates")
            pages = {output_file(p.path): p for p in plan_pages(site, template_dirs)}
            everything = config != self.config or template_dirs != self.template_dirs or self.env is None
            if everything:
                self.env = make_env(template_dirs, config)
                self.env.auto_reload = True
            stale = _templates_touched(template_dirs, changed)
            if stale:
                uses = {name: _uses(self.env, name) for name in {p.template for p in pages.values() if p.template}}
                stale = {name for name, used in uses.items() if used & stale}
            todo = {name: p for name, p in pages.items() if everything or p.template in stale
                    or self.planned.get(name) != p or name in self.pending}
            # The pages browsers are showing are rendered now; after a theme change (or at start) one page of
            # each template too, so a template mistake shows at once. The rest wait for a request or a pause.
            samples = {p.template: p for p in reversed(todo.values()) if p.template} if everything or stale else {}
            now = [p for name, p in todo.items() if name in self.watching or samples.get(p.template) is p]
            rendered, problems = self._render(now, template_dirs)
            if problems:
                raise SiteError(problems)
        except SiteError as e:
            return self._publish("problems", e.problems), 0, time.perf_counter() - started
        with self.changed:
            for gone in self.files.keys() - pages.keys():
                del self.files[gone]
            self.files.update(rendered)
            self.pending = {name: p for name, p in todo.items() if name not in rendered}
            self.planned = pages
            self.config, self.template_dirs = config, template_dirs
            if not self.pending:
                self.search.update(dict(self.files))
        if not todo and not self.problems:  # e.g. a save without an edit: nothing to reload
            return "unchanged", 0, time.perf_counter() - started
        return self._publish("reload", ()), len(now), time.perf_counter() - started

    def _render(self, pages: list[Page], template_dirs: list[Path]) -> tuple[dict[str, bytes], list[Problem]]:
        rendered, problems = {}, []
        for page in pages:
            try:
                body = render_page(self.env, page)
                rendered[output_file(page.path)] = body if isinstance(body, bytes) else body.encode("utf-8")
            except Exception as e:  # noqa: BLE001 - a theme mistake becomes a report, not a crash
                problems.append(template_problem(e, page, template_dirs, self.root))
        return rendered, problems

    def finish(self, names: list[str]) -> None:
        """Render these pending pages (a browser asks for one, or the editor pauses)."""
        with self.changed:
            pages = {n: self.pending[n] for n in names if n in self.pending}
        rendered, problems = self._render(list(pages.values()), self.template_dirs)
        with self.changed:
            for name, page in pages.items():
                if self.pending.get(name) is page:  # not planned anew by a rebuild meanwhile
                    del self.pending[name]  # rendered, or broken until it or its template changes
                    if name in rendered:
                        self.files[name] = rendered[name]
            if pages and not self.pending:
                self.search.update(dict(self.files))
        if problems:
            self._publish("problems", problems)

    def settle(self) -> bool:
        """While the editor pauses: render one pending page; with none left, sweep the garbage once.

        True while there is more to do. The sweep (a full collection, then freezing what survives) is done now
        so that the collector need not walk the whole site in the middle of the next rebuild.
        """
        with self.changed:
            name = next(iter(self.pending), None)
        if name is not None:
            self.finish([name])
            return True
        if not self.swept:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.swept = True
        return False

    def _publish(self, kind: str, problems) -> str:
        with self.changed:
            self.swept = False
            self.problems = tuple(problems)
            self.version += 1
            self.kinds[self.version] = kind
            self.kinds.pop(self.version - KINDS_KEPT, None)  # a browser further behind simply reloads
            self.changed.notify_all()
        return kind

    def event_since(self, seen: int) -> tuple[str, dict]:
        """The one event that brings a browser from version `seen` to now."""
        kinds = [self.kinds.get(v, "reload") for v in range(seen + 1, self.version + 1)]
        if self.problems:
            kind = "problems"
        else:
            kind = "css" if kinds and all(k == "css" for k in kinds) else "reload"
        return kind, self.state()

    def state(self) -> dict:
        return {"version": self.version, "problems": [str(p) for p in self.problems]}

    # -- serving -----------------------------------------------------------
    def lookup(self, path: str) -> tuple[bytes, str] | None:
        """The bytes and type of the file at a URL path ('' is home), from memory or the static folders."""
        name = output_file(path)
        if name in self.pending:
            self.finish([name])
        with self.changed:
            body = self.files.get(name)
        if body is None:
            body = self.search.files.get(name)
        if body is not None:
            return body, _type_of(name)
        for folder in theme_dirs(self.root, "static"):
            f = (folder / name).resolve()
            if f.is_relative_to(folder.resolve()) and f.is_file():
                return f.read_bytes(), _type_of(name)
        return None


def _type_of(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return kind + "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("json", "xml", "javascript")) else kind


def _templates_touched(template_dirs: list[Path], changed: set[str]) -> set[str]:
    """The template names among changed paths (site-relative, or absolute for the default theme)."""
    names = set()
    for path in changed:
        if path.startswith("templates/"):
            names.add(path.removeprefix("templates/"))
        for d in template_dirs:
            if Path(path).is_absolute() and Path(path).is_relative_to(d):
                names.add(Path(path).relative_to(d).as_posix())
    return names


def _uses(env: jinja2.Environment, template: str) -> set[str]:
    """Every template `template` extends, includes or imports, itself included."""
    seen, todo = set(), [template]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source = env.loader.get_source(env, name)[0]
            todo.extend(n for n in jinja2.meta.find_referenced_templates(env.parse(source)) if n)
        except jinja2.TemplateError:
            pass
    return seen


# -- watching ------------------------------------------------------------------

def watch(preview: Preview, saves: Saves, stop: threading.Event, say) -> None:
    """Rebuild after every change; while the editor pauses, render what is pending."""
    quiet_from = time.monotonic()  # pending pages wait until then: the next save may come first
    busy = True  # whether `settle` has more to do
    while not stop.is_set():
        changed = saves.take(max(0.0, quiet_from - time.monotonic()) if busy else IDLE_SECONDS)
        if not changed:
            if time.monotonic() >= quiet_from:
                busy = preview.settle()
            continue
        kind, count, seconds = preview.rebuild(changed)
        quiet_from, busy = time.monotonic() + QUIET_SECONDS, True
        if kind == "problems":
            say("\n".join(map(str, preview.problems)) + f"\n{len(preview.problems)} problem(s); still serving the last good pages")
        else:
            say(f"{kind}: {', '.join(sorted(changed)[:3])}{' …' if len(changed) > 3 else ''} → {count} pages in {seconds * 1000:.0f} ms")


# -- HTTP --------------------------------------------------------------------

def make_handler(preview: Preview, stop: threading.Event):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as two writes: don't hold the body for an ACK

        def log_message(self, *args) -> None:  # the terminal shows rebuilds, not every request
            pass

        def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
            self.head_only = True
            self.do_GET()

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = unquote(urlsplit(self.path).path)
            if path == EVENTS:
                return self.events()
            try:
                self.get(path)
            except (BrokenPipeError, ConnectionResetError):  # the browser moved on, e.g. to reload
                self.close_connection = True

        def get(self, path: str) -> None:
            found = preview.lookup(path.lstrip("/"))
            if found is None and not path.endswith("/") and preview.lookup(path.lstrip("/") + "/"):
                return self.send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", {"Location": path + "/"})
            if found is None:
                body = (preview.lookup("404.html") or (_EMPTY, ""))[0]
                return self.send(HTTPStatus.NOT_FOUND, self.inject(body), "text/html; charset=utf-8")
            body, kind = found
            self.send(HTTPStatus.OK, self.inject(body) if kind.startswith("text/html") else body, kind)

        def inject(self, body: bytes) -> bytes:
            script = (CLIENT % (preview.version, EVENTS)).encode()
            at = body.rfind(b"</body>")
            return body[:at] + script + body[at:] if at >= 0 else body + script

        def send(self, status, body: bytes, kind: str, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if not getattr(self, "head_only", False):
                self.wfile.write(body)

        def events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            shown = output_file(parse_qs(urlsplit(self.path).query).get("page", ["/"])[0].lstrip("/"))
            with preview.changed:
                preview.watching[shown] += 1
            try:
                with preview.changed:
                    seen, state = preview.version, preview.state()
                self.emit("hello", state)
                while not stop.is_set():
                    with preview.changed:
                        preview.changed.wait_for(lambda: preview.version != seen or stop.is_set(), timeout=10)
                        if preview.version == seen:
                            event = None
                        else:
                            event, seen = preview.event_since(seen), preview.version
                    if event is None:
                        self.wfile.write(b": still here\n\n")
                        self.wfile.flush()
                    else:
                        self.emit(*event)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with preview.changed:
                    preview.watching[shown] -= 1
                    if preview.watching[shown] <= 0:
                        del preview.watching[shown]
            self.close_connection = True

        def emit(self, kind: str, data: dict) -> None:
            self.wfile.write(f"event: {kind}\ndata: {json.dumps(data)}\n\n".encode())
            self.wfile.flush()

    return Handler


_EMPTY = b"<!doctype html><html><head><meta charset='utf-8'><title>Preview</title></head><body></body></html>"


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    def say(text: str) -> None:
        print(text, flush=True)

    if host not in ("127.0.0.1", "localhost", "::1"):
        say(f"warning: serving on {host}: anyone who can reach this machine can see the preview")
    root = root.resolve()
    stop = threading.Event()
    try:
        server = ThreadingHTTPServer((host, port), None)
    except OSError as e:
        say(f"cannot listen on {host}:{port}: {e.strerror} (try --port {port + 1})")
        return 1
    server.daemon_threads = True
    port = server.server_address[1]
    url = f"http://{'localhost' if host in ('0.0.0.0', '::') else host}:{port}/"
    preview = Preview(root, url)
    server.RequestHandlerClass = make_handler(preview, stop)
    saves = Saves(root)
    try:
        observer = observe(root, saves)  # before the first build: a save during it is rebuilt after it
    except OSError as e:
        say(f"cannot watch {root} for changes: {e}")
        server.server_close()
        return 1
    kind, count, seconds = preview.rebuild()
    if kind == "problems":
        say("\n".join(map(str, preview.problems)))
    else:
        say(f"ready in {seconds:.2f} s: {len(preview.planned)} pages, rendered as they are asked for or in the background")
    # Ctrl-C and SIGTERM stop the preview cleanly, even when started from a shell that ignores SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        threading.Thread(target=watch, args=(preview, saves, stop, say), daemon=True).start()
        if open_browser:
            webbrowser.open(url)
        say(f"Serving {root} at {url} (Ctrl-C to stop)")
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        say("stopped")
    finally:
        stop.set()
        with preview.changed:
            preview.changed.notify_all()
        server.server_close()
        observer.stop()
        preview.search.close()
    return 0


if __name__ == "__main__":  # pragma: no cover - `python -m generator serve` is the way in
    sys.exit(serve(Path(os.getcwd())))
