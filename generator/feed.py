"""Site → what tells a reader what changed: the Atom feed's entries (articles and fact-checks, each with an `updated`
time of its own), the corrections log, and the day each page of the sitemap last changed."""
from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Callable

from .model import Appearance, Article, Claim, Correction, Date, Site, Verdict
from .urls import page_path

LATEST = 50  # articles, and as many claims: a feed is what is new, not an archive
LOG = "corrections/"  # the corrections log's path: reserved, no free page can take it (load.RESERVED)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of the feed: an article, or a claim with its verdict; `updated` is an RFC 3339 time."""

    path: str
    updated: str
    article: Article | None = None
    claim: Claim | None = None
    verdict: Verdict | None = None


ORDER = attrgetter("year", "month", "day")  # a Date's order, compared in C: a site holds ~17 stances an article


def newest(dates) -> Date | None:
    return max(dates, key=ORDER, default=None)


def _same(key, inputs, make):
    return make()


def claim_date(claim: Claim, apps: tuple[Appearance, ...]) -> Date | None:
    """When a fact-check last changed: its latest correction, else its review, else its newest appearance."""
    return claim.modified or claim.reviewed or newest(app.article.published for app in apps)


def claim_dates(site: Site, same: Callable = _same) -> dict[str, Date | None]:
    """Each claim's `claim_date`; `same(key, inputs, make)` (the plan's `Replan`) may give the last plan's."""
    return {slug: same(("date", slug), (claim, site.appearances[slug]),
                       lambda: claim_date(claim, site.appearances[slug])) for slug, claim in site.claims.items()}


def feed_entries(site: Site, dated: dict[str, Date | None]) -> tuple[tuple[Entry, ...], str]:
    """The newest articles and the latest fact-checks (by `dated`, `claim_dates`), newest first, and the feed's own
    `updated`.

    Dates are days (or months): entries of the same day are told apart by a second each, in the order of their
    paths, so that no two share an `updated` time and a reader orders them the same way every time."""
    articles = list(site.articles.values())[:LATEST]
    latest = newest(d for d in (*dated.values(), *(a.published for a in articles)) if d)
    dated = {slug: d or latest for slug, d in dated.items()}  # nothing dates it yet: as new as the site
    claims = sorted((c for c in site.claims.values() if dated[c.slug]), key=lambda c: (dated[c.slug], c.slug),
                    reverse=True)[:LATEST]
    days = {page_path("articles", a.slug): a.published for a in articles}
    days.update({page_path("claims", c.slug): dated[c.slug] for c in claims})
    times = unique_times(days)
    entries = [Entry(page_path("articles", a.slug), times[page_path("articles", a.slug)], article=a) for a in articles]
    entries += [Entry(page_path("claims", c.slug), times[page_path("claims", c.slug)], claim=c,
                      verdict=site.verdicts.get(c.verdict)) for c in claims]
    entries.sort(key=lambda e: (e.updated, e.path), reverse=True)
    return tuple(entries), max(times.values(), default="1970-01-01T00:00:00Z")


def unique_times(days: dict[str, Date]) -> dict[str, str]:
    """key → an RFC 3339 time on its day: midnight UTC, one second later for each key of the same day before it."""
    out, seen = {}, {}
    for key in sorted(days, key=lambda k: (days[k], k)):
        day = day_of(days[key])
        n = seen[day] = seen.get(day, -1) + 1
        out[key] = f"{day}T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z"
    return out


def day_of(date: Date) -> str:
    """YYYY-MM-DD; the first of the month where only the month is known."""
    return date.iso if date.day else f"{date.iso}-01"


@dataclass(frozen=True, slots=True)
class Corrected:
    """One line of the corrections log: a correction, and the claim it changed with its verdict now."""

    correction: Correction
    claim: Claim
    verdict: Verdict | None


def corrections_log(site: Site) -> tuple[Corrected, ...]:
    """Every correction of every published claim, newest first (a day's by claim title, then as written)."""
    found = [(c, claim, n) for claim in site.claims.values() for n, c in enumerate(claim.corrections)]
    found.sort(key=lambda x: (-x[0].date.year, -x[0].date.month, -x[0].date.day, x[1].title.casefold(),
                              x[1].slug, x[2]))
    return tuple(Corrected(c, claim, site.verdicts.get(claim.verdict)) for c, claim, _ in found)


def last_changes(site: Site, claims: dict[str, Date | None], same: Callable = _same) -> dict[str, str]:
    """Page path → the day (YYYY-MM-DD) it last changed, for what the content dates: articles, claims (`claims`,
    `claim_dates`), actors, outlets and topics; the home page and the lists as their newest. Free pages have no
    date. `same` (the plan's `Replan`) may give what the last plan worked out of the same objects."""
    dates: dict[str, Date] = {page_path("articles", a.slug): a.published for a in site.articles.values()}
    dates.update({page_path("claims", slug): d for slug, d in claims.items() if d})
    for slug, stances in site.stances.items():
        if stances:
            dates[page_path("actors", slug)] = same(("actor date", slug), (stances,), lambda: newest(
                s.appearance.article.published for s in stances))
    for slug, articles in site.published.items():
        if articles:
            dates[page_path("outlets", slug)] = same(("outlet date", slug), (articles,), lambda: newest(
                a.published for a in articles))
    for claim in site.claims.values():
        for topic in claim.topics:
            path = page_path("topics", topic)
            if claims[claim.slug] and (path not in dates or dates[path] < claims[claim.slug]):
                dates[path] = claims[claim.slug]
    corrections = [c.date for claim in site.claims.values() for c in claim.corrections]
    if corrections:
        dates[LOG] = newest(corrections)
    latest = newest(dates.values())
    out = {path: day_of(d) for path, d in dates.items()}
    if latest:
        out["*"] = day_of(latest)  # every other page the site makes of its content: home, lists, matrix, map, data
    return out


def sitemap(site: Site, paths: list[str], claims: dict[str, Date | None], same: Callable = _same
            ) -> list[tuple[str, str]]:
    """Each path with the day it last changed ('' for a free page, which has no date)."""
    changed, free = last_changes(site, claims, same), {f"{slug}/" for slug in site.pages}
    return [(path, "" if path in free else changed.get(path, changed.get("*", ""))) for path in paths]
