"""Files saved in a site folder → its pages, kept in memory and rebuilt in place: only what a save touches.

A rebuild reuses every file not changed (load cache) and every article not
changed (link cache), plans the pages anew (cheap), and re-renders only the
pages whose context or templates changed, those on screen first; the rest wait
for a request or a pause. After a save of content, the pages on screen (an
article's, a claim's) are planned alone and shown at once; the whole site is
planned when the editor pauses or another page is asked for (`catch_up`). A
broken site, or any failure of a rebuild, becomes `problems` (PATH:LINE:
messages) while the last good pages stay served.
"""
from __future__ import annotations

import gc
import mimetypes
import os
import threading
import time
from collections import Counter
from pathlib import Path

import jinja2
import jinja2.meta

from ..config import load_config, theme_dirs
from ..errors import Problem, SiteError, Src
from ..link import link_site
from ..load import Loaded, load_content, missed_saves
from ..model import Config, Site
from ..relink import relink
from ..render import Page, menu_of, plan_pages, plan_shown, render_page
from ..templating import make_env, template_problem
from ..search import LiveIndex
from ..source import link_out, links_out
from ..urls import output_file

KINDS_KEPT = 64  # versions whose kind of change (reload, css, problems) the preview remembers


class Preview:
    """The site as the preview serves it, rebuilt in place; thread-safe through `changed`."""

    def __init__(self, root: Path, base_url: str):
        self.root, self.base_url = root, base_url
        self.load_cache: dict = {}  # unchanged files are not read again
        self.link_cache: dict = {}  # unchanged articles are not linked again
        self.planned: dict[str, Page] = {}  # output file → page, as last planned
        self.plan_memo: dict = {}  # what the last plan made of each object: reused while the objects are the same
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
        self.site: Site | None = None  # the last good site, and the records it was linked from (for edits)
        self.content: Loaded | None = None
        self.search = LiveIndex()  # Pagefind over `files`, indexed again in the background after each rebuild
        self.looked = False  # whether every content file was looked at since the last rebuild, or only those saved
        self.unapplied: set[str] = set()  # the saves of rebuilds that failed: the next rebuild looks at them too
        # After a save, the pages on screen are planned and shown first (render.plan_shown); until the whole site
        # is planned again (`catch_up`), `fresh` holds the output files rendered so, and is None otherwise.
        self.fresh: set[str] | None = None
        self.planning = threading.RLock()  # one rebuild or catch-up at a time

    # -- building ----------------------------------------------------------
    def rebuild(self, changed: set[str] | None = None) -> tuple[str, int, float]:
        """Bring the pages up to date with the files; (what changed, pages rendered, seconds)."""
        gc.disable()  # a collection now would walk the whole site mid-rebuild: `settle` sweeps when the editor pauses
        started = time.perf_counter()
        # a template saved while the site was broken is still to be shown (a full rebuild, `changed` empty, shows all)
        saved, changed = changed, set(changed) | self.unapplied if changed else set()
        try:
            with self.planning:
                done = self._rebuild(changed)
        except Exception as e:  # noqa: BLE001 - whatever a save breaks, the preview reports it and keeps watching
            done = self._publish("problems", [failure_problem(e, saved)]), 0, time.perf_counter() - started
        finally:
            gc.enable()
        self.unapplied = changed if done[0] == "problems" else set()
        return done

    def _rebuild(self, changed: set[str]) -> tuple[str, int, float]:
        started = time.perf_counter()
        if changed and all(p.startswith("static/") or "/static/" in p for p in changed):
            kind = "css" if all(p.endswith(".css") for p in changed) else "reload"
            return self._publish(kind, ()), 0, time.perf_counter() - started
        only_content = all(p.startswith("content/") for p in changed)
        try:
            if self.loaded is None or not only_content:
                self.loaded = None  # until site.toml and the UI strings load without a problem
                config = load_config(self.root, self.base_url)
                refused = links_out(self.root, ("static", "templates"))  # content's: load_content says
                if refused:
                    raise SiteError(refused)
                self.loaded = self.config if config == self.config else config  # the same object compares faster
            config = self.loaded
            # drafts show, banded; only the files saved are looked at, the rest once the editor pauses (`settle`)
            content = load_content(self.root, config, cache=self.load_cache, drafts=True, saved=changed or None)
            self.looked = not changed
            site = relink(self.site, self.content, content, config) or link_site(content, config, self.link_cache)
            template_dirs = theme_dirs(self.root, "templates")
            menu = menu_of(site)
            everything = (config != self.config or template_dirs != self.template_dirs or self.env is None
                          or menu != self.env.globals["menu"])
            if changed and only_content and not everything and not self.problems:
                shown = plan_shown(site, template_dirs, self.plan_memo, set(self.watching))
                if shown:  # the pages on screen first; the whole site is planned when the editor pauses
                    rendered, problems = self._render(shown, template_dirs)
                    if problems:
                        raise SiteError(problems)
                    with self.changed:
                        self.files.update(rendered)
                        self.fresh, self.site, self.content = set(rendered), site, content
                    return self._publish("reload", ()), len(rendered), time.perf_counter() - started
            return self._replan(site, content, config, template_dirs, menu, everything, changed, started)
        except SiteError as e:
            return self._publish("problems", e.problems), 0, time.perf_counter() - started

    def catch_up(self) -> bool:
        """Plan the whole site after a rebuild that planned only the pages on screen; whether there was any to do.
        Nothing is published: the screens already show these pages."""
        with self.planning:
            if self.fresh is None:
                return False
            try:
                kind = self._replan(self.site, self.content, self.config, self.template_dirs,
                                    menu_of(self.site), False, set(), time.perf_counter(), publish=False)[0]
            except SiteError as e:
                kind = self._publish("problems", e.problems)
            except Exception as e:  # noqa: BLE001 - as in `rebuild`
                kind = self._publish("problems", [failure_problem(e, None)])
            if kind == "problems":
                self.fresh = None
            return True

    def _replan(self, site: Site, content: Loaded, config: Config, template_dirs: list[Path], menu: tuple,
                everything: bool, changed: set[str], started: float, publish: bool = True) -> tuple[str, int, float]:
        """Plan every page of `site`, and render those on screen that changed; with `publish`, tell the screens."""
        try:
            pages = {output_file(p.path): p for p in plan_pages(site, template_dirs, self.plan_memo)}
            if everything:
                self.env = make_env(template_dirs, config, menu)
                self.env.auto_reload, self.env.once_memo = True, None  # templates and objects change under it
            stale = _templates_touched(template_dirs, changed)
            if stale:
                uses = {name: _uses(self.env, name) for name in {p.template for p in pages.values() if p.template}}
                stale = {name for name, used in uses.items() if used & stale}
            todo = {name: p for name, p in pages.items() if everything or p.template in stale
                    or _replanned(self.planned.get(name), p) or name in self.pending}
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
            self.site, self.content = site, content
            self.fresh = None
            if not self.pending:
                self.search.update(dict(self.files))
        if (not todo and not self.problems) or not publish:  # e.g. a save without an edit: nothing to reload
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
        """While the editor pauses: render one pending page; with none left, look at every content file once
        (a rebuild after a save looks only at the files saved) and rebuild if the watcher missed any; then sweep
        the garbage once.

        True while there is more to do. The sweep (a full collection, then freezing what survives) is done now
        so that the collector need not walk the whole site in the middle of the next rebuild.
        """
        if self.catch_up():
            return True
        with self.changed:
            name = next(iter(self.pending), None)
        if name is not None:
            self.finish([name])
            return True
        if not self.looked:
            self.looked = True
            missed = missed_saves(self.root, self.load_cache)
            if missed:
                self.rebuild(missed)
                return True
        if not self.swept:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.swept = True
        return False

    def report(self, problem: Problem) -> str:
        """Show a failure from outside a rebuild, as a rebuild's problems are shown."""
        return self._publish("problems", [problem])

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
        if self.fresh is not None and name not in self.fresh and name in self.planned:
            self.catch_up()  # the page may have changed since
        found = self._find(name)
        if found is None and self.catch_up():  # a page the last save made
            found = self._find(name)
        return found

    def _find(self, name: str) -> tuple[bytes, str] | None:
        if name in self.pending:
            self.finish([name])
        with self.changed:
            body = self.files.get(name)
        if body is None:
            body = self.search.files.get(name)
        if body is not None:
            return body, _type_of(name)
        for folder in theme_dirs(self.root, "static"):
            if folder == self.root / "static" and link_out(self.root, f"static/{name}"):
                continue
            f = Path(os.path.realpath(folder / name))
            if f.is_relative_to(os.path.realpath(folder)) and f.is_file():
                return f.read_bytes(), _type_of(name)
        return None


def failure_problem(e: BaseException, changed: set[str] | None) -> Problem:
    """A rebuild that failed unexpectedly, as a Problem at the file saved (the first, if several were)."""
    paths = sorted(p for p in (changed or ()) if not Path(p).is_absolute()) or ["content"]
    what = "too deeply nested to read (Python's recursion limit)" if isinstance(e, RecursionError) else \
        f"{type(e).__name__}: {e}"
    return Problem(Src(paths[0], 1), f"the preview could not rebuild after this save: {what}")


def _replanned(old: Page | None, new: Page) -> bool:
    """Whether a page differs from the last plan's: the same object (the plan reused it) at once, else by value."""
    return old is not new and old != new


def _type_of(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    textual = kind.startswith("text/") or kind.endswith(("json", "xml", "javascript"))
    return kind + "; charset=utf-8" if textual else kind


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
