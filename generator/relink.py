"""Last Site + records in which only articles' text changed → the new Site, patched; None when a full link is needed.

The preview's usual save changes the words of one article and nothing it refers to: the same slug, date,
outlet and annotations of the same claims by the same actors. Then every backlink keeps its place, and only
the objects that hold the article (its appearances, their stances, the camps and lists they sit in) are made
again. Anything more (a new annotation, another actor, a renamed file, a new warning) returns None, and
`link.link_site` links the whole site; the result is the same either way (tests/test_relink.py).
"""
from __future__ import annotations

from dataclasses import replace

from .errors import Problem
from .link import check_links, link_article, members_of
from .load import Loaded
from .model import Appearance, Article, Config, Side, Site, Stance


def relink(site: Site | None, before: Loaded | None, loaded: Loaded, config: Config) -> Site | None:
    """`site`, linked from `before`, brought up to `loaded`; None unless only articles' text changed."""
    if site is None or before is None or config is not site.config or not _same_except_articles(before, loaded):
        return None
    if len(before.articles) != len(loaded.articles):
        return None
    changed = [(old, new) for old, new in zip(before.articles, loaded.articles) if old is not new]
    if not changed or not all(_same_shape(site, old, new) for old, new in changed):
        return None
    if _breaks_links(site, loaded, changed):
        return None  # the full link reports it
    apps: dict[int, Appearance] = {}  # id of an old appearance → its new one
    made: dict[tuple, Stance] = {}  # (id of the old appearance, role, actor) → the new stance
    passages = dict(site.passages)
    for old, new in changed:
        fresh = link_article(new, site.claims, site.actors, site.outlets, {}).appearances
        for before_app, (app, own) in zip(site.passages[old.slug], fresh):
            apps[id(before_app)] = app
            made.update(((id(before_app), s.role, s.actor.slug), s) for s in own)
        passages[new.slug] = tuple(app for app, _ in fresh)
    claims = {a.claim for _, new in changed for a in new.annotations}
    swap: dict[int, Stance] = {}  # id of an old stance → its new one; every stance on a claim is in its sides
    for claim in claims:
        for side in site.sides[claim]:
            for s in (*side.asserts, *side.denies):
                if id(s.appearance) in apps:
                    swap[id(s)] = made[(id(s.appearance), s.role, s.actor.slug)]

    def renewed(stances: tuple[Stance, ...]) -> tuple[Stance, ...]:
        return tuple([swap.get(id(s), s) for s in stances])

    actors = {slug for _, new in changed for a in new.annotations for slug in (*a.asserts, *a.denies)}
    actors |= {group for slug in actors for group in members_of(site.actors[slug], site.actors)}
    outlets = {new.outlet for _, new in changed}
    articles = {new.slug: new for _, new in changed}
    return replace(
        site,
        articles={slug: articles.get(slug, a) for slug, a in site.articles.items()},
        appearances={**site.appearances, **{c: tuple(apps.get(id(a), a) for a in site.appearances[c]) for c in claims}},
        passages=passages,
        stances={**site.stances, **{a: renewed(site.stances[a]) for a in actors}},
        sides={**site.sides, **{c: tuple(Side(side.group, renewed(side.asserts), renewed(side.denies))
                                         for side in site.sides[c]) for c in claims}},
        published={**site.published, **{o: tuple(articles.get(a.slug, a) for a in site.published[o]) for o in outlets}})


def _same_except_articles(before: Loaded, loaded: Loaded) -> bool:
    """The other records are the very objects linked last time (the load cache keeps unchanged files' records)."""
    return (before.drafts == loaded.drafts and before.unreadable == loaded.unreadable
            and before.problems == loaded.problems and before.media == loaded.media
            and all(_identical(getattr(before, kind), getattr(loaded, kind))
                    for kind in ("claims", "actors", "outlets", "pages")))


def _identical(old: tuple, new: tuple) -> bool:
    return len(old) == len(new) and all(a is b for a, b in zip(old, new))


def _same_shape(site: Site, old: Article, new: Article) -> bool:
    """Everything the backlinks and their order are made of is as it was: only the text and what quotes it differ
    (and every passage of it is linked: none left out as a draft claim's)."""
    return (old.slug == new.slug and old.published == new.published and old.outlet == new.outlet
            and old.draft == new.draft and len(old.annotations) == len(new.annotations)
            and len(site.passages.get(old.slug, ())) == len(old.annotations)
            and all((a.id, a.also, a.claim, a.asserts, a.denies) == (b.id, b.also, b.claim, b.asserts, b.denies)
                    for a, b in zip(old.annotations, new.annotations)))


def _breaks_links(site: Site, loaded: Loaded, changed: list[tuple[Article, Article]]) -> bool:
    """Whether a changed article's links, or a link into it (to an anchor its text may no longer hold), fail."""
    slugs = {f"/articles/{new.slug}" for _, new in changed}
    records = {id(new): new for _, new in changed}
    for record in (*loaded.claims, *loaded.articles, *loaded.pages):
        if any(href.split("#")[0].rstrip("/") in slugs for href, _ in record.links):
            records.setdefault(id(record), record)
    problems: list[Problem] = []
    articles = site.articles | {new.slug: new for _, new in changed}
    check_links(list(records.values()), articles, site.claims, site.actors, site.outlets, site.pages, loaded.unreadable,
                problems)
    return bool(problems)
