"""Site → Pages (a path, a template and the resolved objects it shows) → rendered text, written to a folder.

`plan_pages` decides every page of the site and hands each template finished
objects; templates never look anything up. `render_pages` renders them
(over the cores for a large site) straight into the output folder.
"""
from __future__ import annotations

import gc
import hashlib
import html
import operator
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.bccache

from . import data, feed, insights, l10n, scale, share
from .cache import LastOutput, Reads, page_key
from .errors import Problem
from .media import plan_media
from .pool import pool
from .search import indexed
from .templating import NOTES_DIV, make_env, template_problem
from .model import Actor, Appearance, Article, Claim, Config, Outlet, Side, Site, Stance, Verdict
from .page import ClaimRow, Page, claim_rows
from .urls import absolute, output_file, page_path, root_for
from .write import put

PARALLEL_FROM = 400  # pages; below this a process pool costs more than it saves
IMAGE_COST = 20  # a share image takes about as long as 20 pages
UNLISTED = frozenset({"alias.html", "embed.html"})  # pages that are not for search engines
SHARE_IMAGE = "share.png"  # a claim's share image, at claims/SLUG/share.png
SITE_IMAGE = "share.png"  # the site's own share image, at the root: every page without one of its own shows it


@dataclass(frozen=True, slots=True)
class ClaimStances:
    """One claim on an actor's page, with the actor's (and its members') stances on it."""

    row: ClaimRow
    asserts: tuple[Stance, ...]
    denies: tuple[Stance, ...]

    def members(self, slug: str) -> tuple[Said, ...]:
        """What the group's members (everyone but `slug` itself) said of the claim, each member named once."""
        said: dict[str, tuple[Actor, dict[str, list[Appearance]]]] = {}
        for s in (*self.asserts, *self.denies):
            if s.actor.slug != slug:
                said.setdefault(s.actor.slug, (s.actor, {"asserts": [], "denies": []}))[1][s.role].append(s.appearance)
        return tuple(Said(actor, tuple(roles["asserts"]), tuple(roles["denies"]))
                     for actor, roles in sorted(said.values(), key=lambda kv: kv[0].name.casefold()))


@dataclass(frozen=True, slots=True)
class Note:
    """One passage as its note shows it, next to the passage: its number, claim, verdict and who says what."""

    app: Appearance
    verdict: Verdict | None


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the article's HTML, then the notes of the passages that end in it."""

    html: str
    notes: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class CarriedClaim:
    """A claim an article carries, for the summary at its top: its verdict, passages, and who says what in it."""

    claim: Claim
    verdict: Verdict | None
    notes: tuple[Note, ...]
    asserts: tuple[Actor, ...]
    denies: tuple[Actor, ...]


@dataclass(frozen=True, slots=True)
class Said:
    """One actor on one claim, named once: the passages where it asserts it and where it denies it."""

    actor: Actor
    asserts: tuple[Appearance, ...]
    denies: tuple[Appearance, ...]

    @property
    def stance(self) -> str:
        return "both" if self.asserts and self.denies else "asserts" if self.asserts else "denies"

    def by_article(self, role: str) -> list[tuple[Appearance, ...]]:
        """The passages of one role, those of one outlet on one date together: each source cited once."""
        grouped: dict[tuple, list[Appearance]] = {}
        for app in getattr(self, role):
            grouped.setdefault((app.outlet.slug, app.article.published), []).append(app)
        return [tuple(apps) for apps in grouped.values()]


@dataclass(frozen=True, slots=True)
class Camp:
    """A side of a claim told honestly: what the group itself said, apart from what its members said."""

    group: Actor
    own: Said | None
    members: tuple[Said, ...]


def camps_of(sides: tuple[Side, ...]) -> list[Camp]:
    """Each Side split into the group's own stances and each member's, every actor named once."""
    out = []
    for side in sides:
        said: dict[str, dict[str, dict[int, Appearance]]] = {}  # each appearance once (by identity: a comparison
        actors: dict[str, Actor] = {}  # by value would read the articles' words, which a claim page does not show)
        for s in (*side.asserts, *side.denies):
            actors[s.actor.slug] = s.actor
            said.setdefault(s.actor.slug, {"asserts": {}, "denies": {}})[s.role].setdefault(id(s.appearance),
                                                                                            s.appearance)
        told = {slug: Said(actors[slug], tuple(roles["asserts"].values()), tuple(roles["denies"].values()))
                for slug, roles in said.items()}
        own = told.pop(side.group.slug, None)
        out.append(Camp(side.group, own, tuple(sorted(told.values(), key=lambda s: s.actor.name.casefold()))))
    return out


class Replan:
    """What the last plan made of each article, claim, actor and outlet, reused while it is made of the very same
    objects. The preview keeps `memo` between plans; after a save, relink keeps every object the save did not
    touch, so only the pages of what it changed are planned anew (10 000 articles: ~0.3 s less a save)."""

    def __init__(self, memo: dict | None, scope: tuple):
        self.memo = memo
        self.last = memo if memo is not None and memo.get("scope") == scope else {}
        self.now: dict = {"scope": scope}

    def __call__(self, key: tuple, inputs: tuple, make):
        old = self.last.get(key)
        if old is not None and len(old[0]) == len(inputs) and all(map(operator.is_, old[0], inputs)):
            made = old[1]
        else:
            made = make()
            if old is not None and made == old[1]:
                made = old[1]  # the same value made of new objects: the old one, so that what is made of it is too
        if self.memo is not None:
            self.now[key] = (inputs, made)
        return made

    def done(self) -> None:
        """Keep what this plan made (and nothing of objects gone since) for the next plan."""
        if self.memo is not None:
            self.memo.clear()
            self.memo.update(self.now)


def plan_pages(site: Site, template_dirs: list[Path] = (), memo: dict | None = None) -> list[Page]:
    """Every page of the site; `memo` (kept by the preview) spares planning again what the last plan made of
    objects that did not change."""
    config = site.config
    font = share.font_path(list(template_dirs))
    same = Replan(memo, (config, font))
    rows = claim_rows(site, same)
    steps = scale.verdict_steps(config.verdicts)
    overview = insights.Overview(site, rows)
    pages = [
        Page("", "home.html", {"site": site, "overview": overview}, derive=_home),
        Page("articles/", "articles.html", {"articles": [(a, site.outlets[a.outlet], len(a.annotations))
                                                         for a in site.articles.values()]}),
        Page("claims/", "claims.html", {"rows": list(rows.values()), "verdicts": config.verdicts}),
        Page("actors/", "actors.html", {"site": site}, derive=_actors),
        Page("outlets/", "outlets.html", {"outlets": [(o, len(site.published[o.slug])) for o in site.outlets.values()]}),
        Page("404.html", "404.html", {}),
        Page(feed.LOG, "corrections.html", {"log": feed.corrections_log(site)}),
        Page(SITE_IMAGE, "", make=share.site_image, context={
            "title": config.title, "description": config.description, "font": font,
            "figures": " · ".join(l10n.language(config.language).plural(config.strings[f"count_{kind}"], n) for kind, n in (
                ("claims", len(site.claims)), ("articles", len(site.articles)), ("actors", len(site.actors)))),
            "scale": tuple((v.label, steps[v.key].colour) for v in sorted(config.verdicts, key=lambda v: steps[v.key].step))}),
    ]
    pages += (_article_page(site, slug, same) for slug in site.articles)
    for slug in site.claims:
        pages += _claim_set(site, slug, rows, same, font, steps)
    for alias, claim in site.aliases.items():
        pages.append(Page(page_path("claims", alias), "alias.html", {"claim": claim}))
    for slug, actor in site.actors.items():
        stances = site.stances[slug]
        claims = same(("actor claims", slug), (stances,),
                      lambda: tuple(dict.fromkeys(st.appearance.claim.slug for st in stances)))
        shown = tuple(rows[c] for c in claims)
        affiliation, members = site.actors.get(actor.affiliation), site.members[slug]
        pages.append(same(("actor", slug), (actor, affiliation, members, stances, *shown), lambda: Page(
            page_path("actors", slug), "actor.html", {
                "actor": actor, "affiliation": affiliation, "members": members, "stances": stances,
                "rows": dict(zip(claims, shown))}, derive=_actor, draft=actor.draft)))
    for slug, outlet in site.outlets.items():
        articles = site.published[slug]
        pages.append(same(("outlet", slug), (outlet, articles), lambda: Page(
            page_path("outlets", slug), "outlet.html", {"outlet": outlet, "articles": articles}, draft=outlet.draft)))
    for slug, free in site.pages.items():
        pages.append(Page(f"{slug}/", "page.html", {"page": free}, draft=free.draft))
    pages += insights.plan_insights(site, overview)
    pages += plan_media(site.media, config, {a.screenshot.src: a.screenshot.blur for a in site.articles.values()
                                             if a.screenshot and a.screenshot.blur})
    dated = feed.claim_dates(site, same)  # when each claim last changed: the feed's and the sitemap's
    entries, updated = feed.feed_entries(site, dated)
    listed = [p.path for p in pages if p.template not in UNLISTED and (p.path == "" or p.path.endswith("/"))]
    pages += [
        Page("feed.xml", "feed.xml", {"entries": entries, "updated": updated}),
        Page("sitemap.xml", "sitemap.xml", {"urls": feed.sitemap(site, listed, dated, same)}),
        Page("robots.txt", "robots.txt", {}),
        Page("claims.json", "", {"site": site}, make=data.claims_json),
        Page(".nojekyll", "", text=""),
    ]
    if config.custom_domain:
        pages.append(Page("CNAME", "", text=config.custom_domain + "\n"))
    same.done()
    return pages


def plan_shown(site: Site, template_dirs: list[Path], memo: dict | None, shown: set[str]) -> list[Page] | None:
    """The pages of these output files as `plan_pages` plans them, without planning the others, when each is an
    article's page or a claim's (what an editor looks at while writing); None when one is not. The preview shows
    them so, and plans the whole site after (`memo` is only read)."""
    wanted: dict[str, set[str]] = {"articles": set(), "claims": set()}
    for name in shown:
        kind, slug, rest = (name.split("/", 2) + ["", ""])[:3]
        if kind not in wanted or (slug not in site.articles if kind == "articles" else slug not in site.claims) or \
                rest not in ("index.html", *(("embed/index.html", SHARE_IMAGE) if kind == "claims" else ())):
            return None
        wanted[kind].add(slug)
    font = share.font_path(list(template_dirs))
    same = Replan(memo, (site.config, font))
    pages = [_article_page(site, slug, same) for slug in sorted(wanted["articles"])]
    if wanted["claims"]:
        rows, steps = claim_rows(site, same), scale.verdict_steps(site.config.verdicts)
        for slug in sorted(wanted["claims"]):
            pages += _claim_set(site, slug, rows, same, font, steps)
    return [p for p in pages if output_file(p.path) in shown]


def _article_page(site: Site, slug: str, same: Replan) -> Page:
    article = site.articles[slug]
    outlet, passages = site.outlets[article.outlet], site.passages[slug]
    return same(("article", slug), (article, outlet, passages, site.verdicts), lambda: Page(
        page_path("articles", slug), "article.html", {"article": article, "outlet": outlet, "passages": passages,
                                                      "verdicts": site.verdicts}, derive=_article, draft=article.draft))


def _claim_set(site: Site, slug: str, rows: dict, same: Replan, font: str, steps: dict) -> list[Page]:
    """A claim's page, its embeddable card and its share image, as the last plan made them while their inputs
    are the same objects."""
    claim, row, related = site.claims[slug], rows[slug], tuple(rows[c.slug] for c in site.related[slug])
    return same(("claim", slug), (claim, row, site.appearances[slug], site.sides[slug], *related),
                lambda: _claim_pages(site.config, claim, row, site.appearances[slug], site.sides[slug], related,
                                     font, steps))


def _claim_pages(config: Config, claim: Claim, row: ClaimRow, appearances: tuple[Appearance, ...],
                 sides: tuple[Side, ...], related: tuple[ClaimRow, ...], font: str, steps: dict) -> list[Page]:
    """A claim's page, its embeddable card and its share image."""
    path = page_path("claims", claim.slug)
    return [
        Page(path, "claim.html", {"config": config, "claim": claim, "row": row, "appearances": appearances,
                                  "sides": sides, "related": list(related), "image": path + SHARE_IMAGE},
             derive=_claim, draft=claim.draft),
        Page(path + "embed/", "embed.html", {"row": row}),
        Page(path + SHARE_IMAGE, "", make=share.share_image, context={
            "claim": claim.title, "verdict": row.verdict.label if row.verdict else config.strings["unrated"],
            **_share_step(row.verdict, steps), "kicker": config.strings["claims"], "site": config.title, "font": font}),
    ]


# -- what templates get, worked out when a page is rendered ------------------------

def _home(site: Site, overview: insights.Overview) -> dict:
    verdict_counts = Counter(c.verdict for c in site.claims.values())
    disputed = sorted((r for r in overview.rows.values() if r.disputed), key=insights.dispute_order)
    return {
        "counts": {"articles": len(site.articles), "claims": len(site.claims), "actors": len(site.actors),
                   "outlets": len(site.outlets), "passages": sum(len(a.annotations) for a in site.articles.values())},
        "verdicts": [(v, verdict_counts.get(v.key, 0)) for v in site.config.verdicts],
        "unrated": verdict_counts.get("", 0),
        "disputed": disputed[:6],
        "latest": [(a, site.outlets[a.outlet]) for a in list(site.articles.values())[:6]],
        **insights.home(site, overview),
    }


def _article(article: Article, outlet: Outlet, passages: tuple[Appearance, ...], verdicts: dict[str, Verdict]) -> dict:
    """The article's text cut where passages end, each piece followed by its passages' notes; the claims it carries."""
    notes = {app.annotation.id: Note(app, verdicts.get(app.claim.verdict)) for app in passages}
    pieces = NOTES_DIV.split(article.body)
    segments = [Segment(html, tuple(notes[i] for i in ids.split() if i in notes))
                for html, ids in zip(pieces[::2], [*pieces[1::2], ""])]
    carried: dict[str, list[Note]] = {}
    for note in sorted(notes.values(), key=lambda n: n.app.annotation.number):
        carried.setdefault(note.app.claim.slug, []).append(note)
    claims = [CarriedClaim(group[0].app.claim, group[0].verdict, tuple(group),
                           _distinct_actors(a for n in group for a in n.app.asserts),
                           _distinct_actors(a for n in group for a in n.app.denies)) for group in carried.values()]
    return {"article": article, "outlet": outlet, "passages": passages, "segments": segments, "claims": claims}


def _distinct_actors(actors) -> tuple[Actor, ...]:
    return tuple({a.slug: a for a in actors}.values())


def _share_step(verdict: Verdict | None, steps: dict[str, scale.Step]) -> dict:
    """What a share image needs of a verdict's place on the scale."""
    step = steps[verdict.key] if verdict else None
    return {"colour": step.colour, "step": step.step, "steps": step.steps} if step else {"colour": "", "step": 0, "steps": 0}


def _actors(site: Site) -> dict:
    return {"actors": [(a, len({s.appearance.claim.slug for s in site.stances[a.slug]})) for a in site.actors.values()]}


def _claim(config: Config, claim: Claim, row: ClaimRow, appearances: tuple[Appearance, ...], **shown) -> dict:
    return {**shown, "claim": claim, "row": row, "verdict": row.verdict, "appearances": appearances,
            "camps": camps_of(shown["sides"]),
            "asserts": [app for app in appearances if app.asserts], "denies": [app for app in appearances if app.denies],
            "jsonld": data.claim_review(config, claim, row.verdict, appearances, row.claimant),
            **insights.claim_page(claim, appearances, config.topics)}


def _actor(actor: Actor, affiliation: Actor | None, members: tuple[Actor, ...], stances: tuple[Stance, ...],
           rows: dict[str, ClaimRow]) -> dict:
    """The actor's claims, by title, each with the stances the actor (or its members) took on it."""
    grouped: dict[str, list[Stance]] = {}
    for s in stances:
        grouped.setdefault(s.appearance.claim.slug, []).append(s)
    claims = [ClaimStances(rows[slug], tuple(s for s in group if s.role == "asserts"),
                           tuple(s for s in group if s.role == "denies"))
              for slug, group in sorted(grouped.items(), key=lambda kv: rows[kv[0]].claim.title.casefold())]
    return {"actor": actor, "affiliation": affiliation, "members": members, "claims": claims}


# -- rendering -----------------------------------------------------------------

def menu_of(site: Site) -> tuple:
    """The free pages the site menu lists, in their order."""
    return tuple(p for p in site.pages.values() if p.menu is not None)


def render_page(env: jinja2.Environment, page: Page) -> str | bytes:
    if page.make:
        return page.make(**page.context)
    if not page.template:
        return page.text
    config = env.globals["site"]
    context = page.derive(**page.context) if page.derive else page.context
    return env.get_template(page.template).render(
        context, page_path=page.path, root=root_for(page.path, config), url=absolute(config, page.path),
        draft=page.draft)


# Every so many pages, what a render process keeps (the fingerprints of the contexts, the fragments rendered once)
# is swept once and set aside from the collector's passes, which otherwise walked it again and again (4 s of a
# render process's 17 at 10 000 articles): the site itself was set aside before the processes started (build.py).
SETTLE_EVERY = 500
_JOB: tuple = ()  # (pages, template_dirs, config, out, root, menu, store, kept, last), inherited by forked workers
_ENV: tuple | None = None  # (the _JOB, its templates' environment, [pages rendered]) of this process's shares
SHARES = 16  # for each worker process: a worker that is done takes the next share, so none waits on another


def _render_share(share: tuple[int, int]) -> tuple[list[Problem], int, list[Problem], dict, dict]:
    """Render one share of the pages: the theme's problems, how many pages were kept or copied, the build cache's
    warnings, the keys of the pages (output file → (key without words, key, `search.indexed` of its bytes, the
    groups of words it read, the SHA-256 of its bytes)), and the `search.indexed` of every indexed page."""
    global _ENV
    pages, template_dirs, config, out, root, menu, store, kept, last = _JOB
    if _ENV is None or _ENV[0] is not _JOB:  # one per process and build: what `{% once %}` renders is kept in it
        _ENV = (_JOB, make_env(template_dirs, config, menu, store), [0])
    env, rendered = _ENV[1], _ENV[2]
    problems, reused, warned, keys, searched = [], 0, len(store.problems) if store else 0, {}, {}
    cached = store is not None and store.folder is not None
    for page in pages[share[0]::share[1]]:
        rendered[0] += 1  # the pages this process went through in this build
        if rendered[0] % SETTLE_EVERY == 0:
            gc.collect()
            gc.freeze()
        name = output_file(page.path)
        keyed: dict[tuple, str | None] = {}  # the words a key shows → the page's key, each worked out once
        if cached:
            there = _same(kept.get(name), store, page, menu, keyed)
            if there:  # the folder built in (an earlier output) holds these very bytes already
                keys[name], reused = there, reused + 1
                if there[2]:
                    searched[name] = there[2]
                continue
            there = _same(last.keys.get(name), store, page, menu, keyed)
            data = last.read(name, there[4]) if there else None
            if data is not None:  # the last output holds them: copied, not rendered
                keys[name], reused = there, reused + 1
                if there[2]:
                    searched[name] = there[2]
                put(out / name, data)
                continue
        try:
            Reads.shown = set()
            text = render_page(env, page)
        except Exception as e:  # noqa: BLE001 - a theme mistake becomes a report, not a traceback
            problems.append(template_problem(e, page, template_dirs, root))
            continue
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        mark = indexed(data)
        if mark:
            searched[name] = mark
        shape = _key(keyed, store, page, menu, ()) if cached else None
        if shape:  # a page is recorded with its key without articles' words, and with the words it read (cache.Reads)
            shown = tuple(sorted(Reads.shown))
            key = _key(keyed, store, page, menu, shown)
            if key:
                keys[name] = (shape, key, mark, list(shown), hashlib.sha256(data).hexdigest())
        put(out / name, data)
    return problems, reused, store.problems[warned:] if store else [], keys, searched


def _same(there, store, page, menu, keyed: dict) -> tuple | None:
    """`there` (the keys a folder's record gives a page) if they are this page's, else None: its key with the words it
    read then, which covers all its key without words covers (equal, that is equal too), worked out alone."""
    if there and isinstance(there[3], list) and there[1] == _key(keyed, store, page, menu, there[3]):
        return there
    return None


def _key(keyed: dict, store, page, menu, shown) -> str | None:
    """The page's key with the words `shown` (`page_key`), from `keyed` when worked out before for this page."""
    shown = tuple(shown)
    if shown not in keyed:
        keyed[shown] = page_key(store, page, menu, shown=shown)
    return keyed[shown]


def render_pages(pages: list[Page], template_dirs: list[Path], config: Config, out: Path, root: Path,
                 jobs: int | None = None, menu: tuple = (), store=None, kept: dict | None = None,
                 last: LastOutput | None = None) -> list[Problem]:
    """Render every page into `out`, or leave it as `out` holds it (`kept`: output file → the keys of the page it
    holds), or copy it from the last output (`last`, a cache.LastOutput) where that holds it; with the build cache
    (`store`, a cache.Cache), which counts the pages kept or copied in `reused` and gets their keys in `keys`. The
    Problems of a broken theme, if any."""
    global _JOB, _ENV
    _JOB = (pages, template_dirs, config, out, root, menu, store, kept or {}, last or LastOutput())
    jobs = jobs or os.cpu_count() or 1
    try:
        work = len(pages) + IMAGE_COST * sum(p.make is share.share_image for p in pages)
        if jobs == 1 or work < PARALLEL_FROM:
            results = [_render_share((0, 1))]
            if store:
                del store.problems[len(store.problems) - len(results[0][2]):]  # counted once, below
        else:
            count = jobs * SHARES
            # the shares with a page that shows the whole site (the open data, the home page) begun first, so that no
            # worker is left alone with one at the end; their results taken in the shares' own order
            whole = {i % count for i, page in enumerate(pages) if isinstance(page.context.get("site"), Site)}
            shares = sorted(((i, count) for i in range(count)), key=lambda share: share[0] not in whole)
            with pool(jobs, fork=True) as workers:
                done = dict(zip(shares, workers.map(_render_share, shares)))
            results = [done[(i, count)] for i in range(count)]
        if store:
            store.reused += sum(r[1] for r in results)
            store.problems += [w for r in results for w in r[2]]
            for r in results:
                store.keys.update(r[3])
                store.searched.update(r[4])
        return [p for r in results for p in r[0]]
    finally:
        _JOB, _ENV = (), None
