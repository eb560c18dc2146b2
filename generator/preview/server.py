"""A site folder → a live preview on 127.0.0.1 (HTTP and Server-Sent Events), where the editor can also annotate.

Browsers listen on Server-Sent Events: `reload` after a rebuild, `css` when
only stylesheets changed, `problems` (the same PATH:LINE: messages as the
terminal) when the content is broken, while the last good pages stay served.
python-livereload is not used: it drops changes that come within 3 s of a
reload (see README). Every request must name the address served in `Host`
(DNS rebinding); the annotation panel's writes must also come from the
preview's own pages (`Origin`, and a token made for this run), on loopback.
"""
from __future__ import annotations

import ipaddress
import json
import os
import secrets
import signal
import sys
import threading
import webbrowser
from http import HTTPStatus
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import ReaderGone, SiteError
from ..errors import say as tell
from ..load import KINDS
from ..urls import output_file
from .edit import BadRequest, read_request
from .messages import explain
from .rebuild import Preview
from .saving import Conflict, save
from .watch import Saves, observe, watch

EVENTS = "/__preview/events"
CLIENT = """<script>
(() => {
  const version = %d;
  let box = null;
  const show = (problems) => {
    box = box || document.body.appendChild(document.createElement("div"));
    box.id = "preview-problems";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:2147483640;" +
      "background:#fff5f5;color:#5c0a0a;border:3px solid #c0392b;border-radius:.5rem;padding:1rem 1.2rem;" +
      "font:14px/1.5 ui-monospace,monospace;box-shadow:0 .5rem 2rem rgba(0,0,0,.3);white-space:pre-wrap";
    box.textContent = problems.join("\\n");
  };
  // The annotation panel may hold the reload while it saves (it reloads after): cancelable.
  const reload = () => { if (dispatchEvent(new CustomEvent("preview:reload", {cancelable: true}))) location.reload(); };
  const es = new EventSource("%s?page=" + encodeURIComponent(location.pathname));
  es.addEventListener("hello", (e) => {
    const state = JSON.parse(e.data);
    if (state.problems.length) show(state.problems);
    else if (state.version !== version) reload();
  });
  es.addEventListener("reload", reload);
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


# -- who may ask -----------------------------------------------------------------

LOOPBACK = ("127.0.0.1", "localhost", "::1")
CATALOG = "/__preview/catalog"
ANNOTATE = "/__preview/annotate"
MAX_BODY = 64 * 1024  # bytes of JSON an edit may post
PANEL = Path(__file__).with_name("panel.js")
PANEL_STYLE = Path(__file__).with_name("panel.css")


@dataclass(frozen=True, slots=True)
class Gate:
    """Who the preview answers (any request) and who may write (the panel's POSTs)."""

    names: frozenset[str]  # the host names a request's `Host` may give (IPv6 in brackets)
    any_ip: bool  # serving on every interface: any IP address is a name of this machine (no DNS, no rebinding)
    writable: bool  # writing only when serving on loopback
    token: str

    @classmethod
    def of(cls, host: str) -> Gate:
        names = {"localhost", "127.0.0.1", "[::1]", _bracketed(host.lower())}
        return cls(frozenset(names), host in ("0.0.0.0", "::", ""), host in LOOPBACK, secrets.token_urlsafe(24))

    def host_ok(self, header: str | None) -> bool:
        name = _host_name(header or "")
        if name in self.names:
            return True
        try:
            return self.any_ip and bool(ipaddress.ip_address(name.strip("[]")))
        except ValueError:
            return False

    def token_ok(self, value: str | None) -> bool:
        return secrets.compare_digest((value or "").encode("utf-8", "surrogateescape"), self.token.encode())

    def write_refusal(self, handler: BaseHTTPRequestHandler) -> str:
        """Why this POST may not write, or ''."""
        headers = handler.headers
        if not self.writable or handler.client_address[0] not in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
            return "the preview writes only when it serves on loopback (127.0.0.1)"
        if headers.get("Origin", "").lower() != f"http://{(headers.get('Host') or '').lower()}":
            return "this request does not come from the preview's own pages (Origin)"
        if not self.token_ok(headers.get("X-Preview-Token")):
            return "this request does not carry the preview's token: reload the page"
        return ""


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _host_name(header: str) -> str:
    """`Host: name:port` → name, lowercased ('[::1]' keeps its brackets)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[:header.find("]") + 1]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def panel_script(preview: Preview, gate: Gate, path: str) -> str:
    """The annotation panel for an article page of the preview, or ''. Never part of a build."""
    parts = path.strip("/").split("/")
    site = preview.site
    if not gate.writable or len(parts) != 2 or parts[0] != "articles" or site is None or parts[1] not in site.articles:
        return ""
    words = {key.removeprefix("panel_"): text for key, text in site.config.strings.items() if key.startswith("panel_")}
    settings = json.dumps({"token": gate.token, "article": parts[1], "catalog": CATALOG, "annotate": ANNOTATE,
                           "t": words})
    settings = settings.replace("<", "\\u003c")  # nothing in it can close the script
    return (f"<style>\n{PANEL_STYLE.read_text('utf-8')}</style>\n"
            f"<script>\n{PANEL.read_text('utf-8')}\npreviewPanel({settings});\n</script>\n")


def catalog(preview: Preview, article: str) -> dict:
    """What the panel searches: claims, actors (with affiliation), actor kinds, and the article's annotations."""
    site = preview.site
    if site is None:
        return {"claims": [], "actors": [], "kinds": [{"key": k, "label": k} for k in KINDS], "annotations": []}
    shown = site.articles.get(article)
    kind = {k: site.config.strings.get(f"kind_{k}", k) for k in KINDS}  # in the site's language
    return {
        "claims": [{"slug": c.slug, "title": c.title} for c in site.claims.values()],
        "actors": [{"slug": a.slug, "name": a.name, "kind": kind.get(a.kind, a.kind), "aliases": list(a.aliases),
                    "affiliation": site.actors[a.affiliation].name if a.affiliation in site.actors else ""}
                   for a in site.actors.values()],
        "kinds": [{"key": k, "label": label} for k, label in kind.items()],
        "annotations": [{"id": a.id, "claim": a.claim, "quote": a.quote, "asserts": list(a.asserts),
                         "denies": list(a.denies)} for a in (shown.annotations if shown else ())],
    }


# -- HTTP --------------------------------------------------------------------

def make_handler(preview: Preview, stop: threading.Event, gate: Gate, say=print):
    editing = threading.Lock()  # one edit at a time: each reads the file the one before wrote

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as two writes: don't hold the body for an ACK

        def log_message(self, *args) -> None:  # the terminal shows rebuilds, not every request
            pass

        def refused_host(self) -> bool:
            if gate.host_ok(self.headers.get("Host")):
                return False
            self.close_connection = True
            self.send(HTTPStatus.FORBIDDEN, f"Forbidden: this preview answers only requests for its own address, "
                      f"not {self.headers.get('Host')!r}.\n".encode(), "text/plain; charset=utf-8")
            return True

        def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
            self.head_only = True
            self.do_GET()

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.refused_host():
                return
            path = unquote(urlsplit(self.path).path)
            if path == EVENTS:
                return self.events()
            try:
                if path == CATALOG:
                    return self.catalog()
                self.get(path)
            except (BrokenPipeError, ConnectionResetError):  # the browser moved on, e.g. to reload
                self.close_connection = True

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            if self.refused_host():
                return
            self.close_connection = True  # a refused body is never read: the connection cannot be reused
            if unquote(urlsplit(self.path).path) != ANNOTATE:
                return self.send_json(HTTPStatus.NOT_FOUND, {"error": "no such endpoint"})
            refusal = gate.write_refusal(self)
            if refusal:
                return self.send_json(HTTPStatus.FORBIDDEN, {"error": refusal})
            if not self.headers.get("Content-Type", "").startswith("application/json"):
                return self.send_json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "send JSON"})
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                return self.send_json(HTTPStatus.LENGTH_REQUIRED, {"error": "say the Content-Length"})
            if not 0 <= length <= MAX_BODY:
                return self.send_json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": f"at most {MAX_BODY} bytes"})
            strings: dict = {}
            try:
                data = read_request(self.rfile.read(length))
                with editing:
                    with preview.changed:  # the three of one rebuild
                        site, content, config = preview.site, preview.content, preview.config
                        problems = preview.problems
                    strings = getattr(config or preview.loaded, "strings", {})  # the site's language, once it loaded
                    if site is None or problems:
                        raise SiteError(problems)
                    edit = save(preview.root, config, content, site, data, preview.link_cache)
            except Conflict as e:  # an editor keeps saving the file: the panel keeps the annotation, to save again
                return self.send_json(HTTPStatus.CONFLICT, {"error": str(e), "messages": [
                    {"text": strings.get("panel_conflict", str(e)), "closest": ""}]})
            except (BadRequest, ValueError) as e:  # JSON that the panel would never send
                return self.send_json(HTTPStatus.BAD_REQUEST, {"error": str(e)})
            except SiteError as e:
                return self.send_json(HTTPStatus.UNPROCESSABLE_ENTITY, {
                    "problems": [str(p) for p in e.problems], "messages": [explain(p, strings) for p in e.problems]})
            except Exception as e:  # noqa: BLE001 - e.g. a full disk: the editor is told, the preview goes on
                say(f"could not save an annotation: {type(e).__name__}: {e}")
                return self.send_json(HTTPStatus.INTERNAL_SERVER_ERROR,
                                      {"error": f"the preview could not save: {type(e).__name__}: {e}"})
            say(f"annotated: {', '.join(edit.files)}")
            self.send_json(HTTPStatus.OK, {"id": edit.anchor, "files": list(edit.files)})

        def catalog(self) -> None:
            if not gate.token_ok(self.headers.get("X-Preview-Token")):
                return self.send_json(HTTPStatus.FORBIDDEN, {"error": "no token"})
            article = parse_qs(urlsplit(self.path).query).get("article", [""])[0]
            with preview.changed:
                data = catalog(preview, article)
            self.send_json(HTTPStatus.OK, data)

        def get(self, path: str) -> None:
            found = preview.lookup(path.lstrip("/"))
            if found is None and not path.endswith("/") and preview.lookup(path.lstrip("/") + "/"):
                return self.send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", {"Location": path + "/"})
            if found is None:
                body = (preview.lookup("404.html") or (_EMPTY, ""))[0]
                return self.send(HTTPStatus.NOT_FOUND, self.inject(body, ""), "text/html; charset=utf-8")
            body, kind = found
            self.send(HTTPStatus.OK, self.inject(body, path) if kind.startswith("text/html") else body, kind)

        def inject(self, body: bytes, path: str) -> bytes:
            script = (CLIENT % (preview.version, EVENTS) + panel_script(preview, gate, path)).encode()
            at = body.rfind(b"</body>")
            return body[:at] + script + body[at:] if at >= 0 else body + script

        def send_json(self, status, data: dict) -> None:
            self.send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")

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


def say(text: str) -> None:
    """What the preview tells its terminal; once nobody reads it (`serve | head -3`), nothing: saves are still
    rebuilt and served (the watcher would otherwise end at its next report)."""
    try:
        tell(text)
    except ReaderGone as gone:
        gone.silence()


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
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
    server.RequestHandlerClass = make_handler(preview, stop, Gate.of(host), say)
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
        say(f"ready in {seconds:.2f} s: {len(preview.planned)} pages, rendered as they are asked for "
            "or in the background")
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

