"""A site folder → its output folder: the whole pipeline, load → link → render → write."""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from .cache import Ahead, Cache, inputs_key, output_folder, record_output, scope_key
from .config import load_config, theme_dirs
from .errors import SiteError, Src, counted
from .link import link_site, made_of, shown_often
from .load import load_content
from .model import Site
from .pool import Forked
from .render import menu_of, plan_pages, render_pages
from .search import BUNDLE, index_site
from .source import links_out
from .urls import output_file
from .write import MARK, copy_static, output_problem, published, vanished, vanished_passages


WALK_AHEAD_FROM = 2000  # passages and stances; fewer are walked sooner than a process is forked to walk them


def build(root: Path, out: Path | None = None, base_url: str | None = None, jobs: int | None = None,
          last: Path | None = None, drafts: bool = False, store: Cache | None = None, inputs: str = "") -> Site:
    """Build the site at `root` into `out`; raises SiteError listing every problem, having written nothing.

    The returned site's `warnings` name what the build leaves out: the pages the last build (`last`, by
    default `out`) published that this one drops, passages of draft claims. `drafts` publishes drafts too.
    `store`, the build cache, gives what earlier builds made from the same inputs (`inputs`: their key, when
    the caller has it) and counts what it gave; its `phases` get the seconds each phase took.
    """
    with _collector_paused() as settled:
        return _build(root, out, base_url, jobs, last, drafts, store or Cache(None), inputs, settled)


def _build(root: Path, out: Path | None, base_url: str | None, jobs: int | None, last: Path | None, drafts: bool,
           store: Cache, inputs: str, settled) -> Site:
    clock = [time.perf_counter()]

    def phase(name: str) -> None:
        clock.append(time.perf_counter())
        store.phases[name] = store.phases.get(name, 0) + clock[-1] - clock[-2]

    if store.folder is not None:
        inputs = inputs or inputs_key(root, base_url, drafts, store)
        store.scope = scope_key(root, base_url, drafts)
        phase("hash inputs")
    refused = links_out(root)  # nothing of content/, static/ or templates/ is read while one leads out of the site
    if refused:
        raise SiteError(refused)
    config = load_config(root, base_url)
    refused = output_problem(out, root, Src("--out", 0)) if out else \
        output_problem(root / config.output_dir, root, Src(config.src.path, config.lines.get("output_dir", 1)))
    if refused:
        raise SiteError([refused])
    out = out or root / config.output_dir
    ahead = Ahead(store, out)  # the spare output claimed, and checked on the other core while the site is loaded
    previous = last or out
    before = Forked(lambda: published(previous))  # and what the last build published read there too
    walked: Forked | None = None
    try:
        loaded = load_content(root, config, jobs, drafts=drafts, store=store)
        phase("load")
        linking: dict = {}
        site = link_site(loaded, config, linking)
        settled()
        shared = shown_often(site) if store.folder is not None else []
        # what many pages show, walked for their keys on the other core while this one plans: not in each render
        # process (none of it is made of what `made_of` names, which need not be known to walk it)
        walked = Forked(lambda: store.shapes_of(shared)) if len(shared) >= WALK_AHEAD_FROM else None
        if store.folder is not None:
            store.made_of([(site, (loaded, config)), *made_of(site, linking.get("articles"))])
        phase("link")
        templates = theme_dirs(root, "templates")
        pages = plan_pages(site, templates)
        phase("plan")
        lasting = site.warnings  # what a build of the same inputs says again
        was = before.result() or published(previous)
        site = replace(site, warnings=(*site.warnings, *vanished(was[0], {p.path for p in pages}, config.output_dir),
                                       *vanished_passages(was[1], site.articles)))
        written = {MARK, *(output_file(p.path) for p in pages)}  # what the output holds; static files, search add theirs
        with output_folder(store, out, written, f"{BUNDLE}/", ahead) as (tmp, kept, last, pages_written):
            problems = copy_static(theme_dirs(root, "static"), tmp, written)  # into an earlier output, with the cache
            phase("static")
            if walked is not None:
                store.known_shapes(shared, walked.result())
            problems = problems or render_pages(pages, templates, config, tmp, root, jobs, menu_of(site), store,
                                                   kept, last)
            if not problems:
                pages_written()
            phase("render")
            left: set[str] = set()  # the search bundle's files the spare held as they should be
            problems = problems or index_site(tmp, config.output_dir, store.searched, store, jobs, written, left)
            phase("search")
            if problems:
                raise SiteError(problems)
            untouched = left | {name for name, made in store.keys.items() if kept.get(name) == made}
        phase("write")
        if store.folder is not None and inputs_key(root, base_url, drafts, store) == inputs:  # none changed meanwhile
            record_output(store, out, inputs, summary(site), lasting, written, untouched)
            store.prune(before=store.started - 2)  # file times tick coarsely: entries written just now stay
            phase("record")
        store.phases["pages"] = len(pages)
    finally:
        ahead.close()
        before.close()
        if walked is not None:
            walked.close()
    return replace(site, warnings=(*site.warnings, *store.problems))


@contextmanager
def _collector_paused():
    """Python's cycle collector paused while the site is loaded and linked, then (`settled()`) what was made so far
    left out of its passes until the build ends (`gc.freeze`; the forked render workers inherit it). Millions of
    objects are made then and hardly any is garbage, but each full pass walked them all again: 14 passes, 3.5 s
    of a 12 s warm build at 10 000 articles. The preview does the same between saves (preview/rebuild.py)."""
    enabled = gc.isenabled()
    gc.disable()

    def settled() -> None:
        gc.freeze()
        if enabled:
            gc.enable()

    try:
        yield settled
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def summary(site: Site) -> str:
    return ", ".join(counted(len(found), noun) for found, noun in ((site.articles, "article"), (site.claims, "claim"),
                                                                   (site.actors, "actor")))
