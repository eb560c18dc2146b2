"""Site + claim rows → the who-says-what pages (matrix, map, topics, open data, search), claim and home extras.

Everything a template shows is computed here: which actors and claims a matrix
holds and in which order, every cell's stance and passages, each claim's
timeline. Templates only draw.
"""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from . import data
from .graph import claim_map
from .model import Actor, Appearance, Article, Claim, Date, Outlet, Site, Stance
from .page import Cell, ClaimRow, Matrix, MatrixColumn, MatrixRow, Page
from .urls import page_path

MATRIX_CLAIMS, MATRIX_ACTORS = 40, 60  # a larger site's matrix and map show its most disputed claims
HOME_CLAIMS, HOME_ACTORS = 6, 12
TOPIC_CLAIMS, TOPIC_ACTORS = 30, 40
SIDES = ("asserts", "denies")


# -- the stance matrix -------------------------------------------------------------

def own_stances(site: Site) -> dict[tuple[str, str], tuple[Stance, ...]]:
    """(actor slug, claim slug) → the stances the actor itself took (not its members), in date order."""
    found: dict[tuple[str, str], list[Stance]] = {}
    for slug, apps in site.appearances.items():
        for app in apps:
            for role in SIDES:
                for actor in getattr(app, role):
                    found.setdefault((actor.slug, slug), []).append(Stance(actor, role, app))
    return {key: tuple(stances) for key, stances in found.items()}


def dispute_order(row: ClaimRow) -> tuple:
    """Most disputed first: claims with both sides, then by how many actors take a side, then how often it appears."""
    return not row.disputed, -len(row.asserters) - len(row.deniers), -row.appearances, row.claim.title.casefold()


def stance_matrix(site: Site, rows: list[ClaimRow], stances: dict, max_claims: int, max_actors: int) -> Matrix:
    """The matrix of `rows` (claims) that have a stance, at most `max_claims` of them, most disputed first."""
    disputed = sorted((r for r in rows if r.asserters or r.deniers), key=dispute_order)
    shown = disputed[:max_claims]
    by_actor: dict[str, list[Cell]] = {}
    for i, row in enumerate(shown):
        for actor in (*row.asserters, *row.deniers):
            if actor.slug not in by_actor:
                by_actor[actor.slug] = [Cell("", ())] * len(shown)
            own = stances.get((actor.slug, row.claim.slug), ())
            by_actor[actor.slug][i] = Cell(_stance(own), own)
    everyone = {a.slug for r in disputed for a in (*r.asserters, *r.deniers)}
    busiest = sorted(by_actor, key=lambda slug: (-sum(bool(c.stance) for c in by_actor[slug]), _name(site, slug)))
    kept = busiest[:max_actors]
    # Actors in camps: sorted by what they say of the most disputed claim, then the next, …
    camp = {"asserts": 0, "both": 1, "denies": 2, "": 3}
    ordered = sorted(kept, key=lambda slug: ([camp[c.stance] for c in by_actor[slug]], _name(site, slug)))
    az_actor = {slug: n for n, slug in enumerate(sorted(kept, key=lambda s: _name(site, s)))}
    az_claim = {r.claim.slug: n for n, r in enumerate(sorted(shown, key=lambda r: r.claim.title.casefold()))}
    return Matrix(
        columns=tuple(MatrixColumn(r, az_claim[r.claim.slug]) for r in shown),
        rows=tuple(MatrixRow(site.actors[slug], tuple(by_actor[slug]), az_actor[slug]) for slug in ordered),
        claims=len(disputed), actors=len(everyone))


def _stance(stances: tuple[Stance, ...]) -> str:
    roles = {s.role for s in stances}
    return "both" if len(roles) == 2 else next(iter(roles), "")


def _name(site: Site, slug: str) -> str:
    return site.actors[slug].name.casefold()


# -- a claim's timeline ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Report:
    """An article's passages on one claim."""

    article: Article
    outlet: Outlet
    appearances: tuple[Appearance, ...]  # in reading order


@dataclass(frozen=True, slots=True)
class Moment:
    """One date in a claim's life: what appeared that day, and who carried, asserted or denied it first then."""

    date: Date
    reports: tuple[Report, ...]
    after: int | None  # days after the previous date; None where either is known to the month only
    since: int | None  # days after the first appearance, likewise
    at: float  # where the date falls between the first and the last appearance, 0–1
    outlets: tuple[Outlet, ...]  # outlets carrying the claim for the first time
    asserters: tuple[Actor, ...]  # actors asserting it for the first time
    deniers: tuple[Actor, ...]  # actors denying it for the first time: the answers


@dataclass(frozen=True, slots=True)
class Timeline:
    moments: tuple[Moment, ...]
    count: int  # appearances
    outlets: int
    answered: Moment | None  # the first denial

    @property
    def first(self) -> Moment | None:
        return self.moments[0] if self.moments else None

    @property
    def last(self) -> Moment | None:
        return self.moments[-1] if self.moments else None


def claim_timeline(appearances: tuple[Appearance, ...]) -> Timeline:
    """A claim's appearances (in date order) grouped by date, with what each date added."""
    by_date: dict[Date, list[Appearance]] = {}
    for app in appearances:
        by_date.setdefault(app.article.published, []).append(app)
    if not by_date:
        return Timeline((), 0, 0, None)
    earliest = min(by_date)
    first, last = _day(earliest), _day(max(by_date))
    seen: set[str] = set()
    moments: list[Moment] = []
    for date, apps in sorted(by_date.items()):
        outlets = _new(seen, (app.outlet for app in apps), "outlet:")
        asserters = _new(seen, (a for app in apps for a in app.asserts), "asserts:")
        deniers = _new(seen, (a for app in apps for a in app.denies), "denies:")
        since = _day(date) - first if date.day and earliest.day else None
        after = _day(date) - _day(moments[-1].date) if moments and date.day and moments[-1].date.day else None
        at = round((_day(date) - first) / (last - first), 3) if last > first else 0.0
        reports: dict[str, list[Appearance]] = {}
        for app in apps:
            reports.setdefault(app.article.slug, []).append(app)
        moments.append(Moment(date, tuple(Report(group[0].article, group[0].outlet, tuple(
            sorted(group, key=lambda app: app.annotation.number))) for group in reports.values()),
            after, since, at, outlets, asserters, deniers))
    answered = next((m for m in moments if m.deniers), None)
    return Timeline(tuple(moments), len(appearances), len({app.outlet.slug for app in appearances}), answered)


def _day(date: Date) -> int:
    return datetime.date(date.year, date.month, date.day or 1).toordinal()


def _new(seen: set[str], items, kind: str) -> tuple:
    fresh = []
    for item in items:
        if kind + item.slug not in seen:
            seen.add(kind + item.slug)
            fresh.append(item)
    return tuple(fresh)


# -- topics ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Topic:
    slug: str
    label: str

    @property
    def path(self) -> str:
        return page_path("topics", self.slug)


@dataclass(frozen=True, slots=True)
class TopicClaims:
    topic: Topic
    rows: tuple[ClaimRow, ...]  # its claims, most disputed first


def site_topics(rows: dict[str, ClaimRow], names: dict[str, str]) -> list[TopicClaims]:
    """Every topic claims name, by label, each with its claims."""
    claims: dict[str, list[ClaimRow]] = {}
    for row in rows.values():
        for slug in row.claim.topics:
            claims.setdefault(slug, []).append(row)
    return sorted((TopicClaims(topic(slug, names), tuple(sorted(found, key=dispute_order))) for slug, found in claims.items()),
                  key=lambda t: t.topic.label.casefold())


def topic(slug: str, names: dict[str, str]) -> Topic:
    """A topic with its name from site.toml's [topics]; without one, the slug's words, capitalised."""
    return Topic(slug, names.get(slug) or slug.replace("-", " ").capitalize())


# -- pages -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Field:
    name: str  # as the file writes it
    text: str  # the key of its description in the UI strings
    anchor: str = ""  # an id on the open-data page, for terms the JSON-LD context defines there


@dataclass(frozen=True, slots=True)
class DataFile:
    """A file of the open data, as the open-data page documents it."""

    path: str
    kind: str  # its key in the UI strings: data_json, data_csv, data_jsonld
    media_type: str
    count: int  # claims, rows or annotations
    fields: tuple[Field, ...]


class Overview:
    """What the home and insight pages share, each worked out once, when a page first asks for it.

    Compared by identity: a new site makes a new overview, and every page showing it is made again.
    """

    def __init__(self, site: Site, rows: dict[str, ClaimRow]):
        self.site, self.rows = site, rows

    @cached_property
    def stances(self) -> dict[tuple[str, str], tuple[Stance, ...]]:
        return own_stances(self.site)

    @cached_property
    def topics(self) -> list[TopicClaims]:
        return site_topics(self.rows, self.site.config.topics)

    @cached_property
    def matrix(self) -> Matrix:
        return stance_matrix(self.site, list(self.rows.values()), self.stances, MATRIX_CLAIMS, MATRIX_ACTORS)


def plan_insights(site: Site, overview: Overview) -> list[Page]:
    """The pages of this module: matrix, map, topics, open data (with its two files) and search."""
    pages = [
        Page("matrix/", "matrix.html", {"overview": overview}, derive=_matrix),
        Page("map/", "map.html", {"overview": overview}, derive=_map),
        Page("topics/", "topics.html", {"topics": overview.topics}),
        Page("data/", "data.html", {"site": site}, derive=_data),
        Page("search/", "search.html", {}),
        Page("claims.csv", "", {"site": site}, make=data.claims_csv),
        Page("annotations.jsonld", "", {"site": site}, make=data.annotations_jsonld),
    ]
    for found in overview.topics:
        pages.append(Page(found.topic.path, "topic.html", {"topic": found.topic, "rows": found.rows,
                                                           "overview": overview}, derive=_topic))
    return pages


def _matrix(overview: Overview) -> dict:
    return {"matrix": overview.matrix}


def _map(overview: Overview) -> dict:
    return {"map": claim_map(overview.matrix), "matrix": overview.matrix}


def _data(site: Site) -> dict:
    return {"files": data_files(site)}


def _topic(topic: Topic, rows: tuple[ClaimRow, ...], overview: Overview) -> dict:
    return {"topic": topic, "rows": rows,
            "matrix": stance_matrix(overview.site, list(rows), overview.stances, TOPIC_CLAIMS, TOPIC_ACTORS)}


def claim_page(claim: Claim, appearances: tuple[Appearance, ...], names: dict[str, str]) -> dict:
    """What a claim page shows beyond render's context: its timeline and its topics."""
    return {"timeline": claim_timeline(appearances), "topics": tuple(topic(slug, names) for slug in claim.topics)}


def home(site: Site, overview: Overview) -> dict:
    """What the home page shows beyond counts and lists: the span of the story, a small matrix, the topics."""
    dates = [a.published for a in site.articles.values()]
    verdicts = Counter(c.verdict for c in site.claims.values())
    return {
        "span": (min(dates), max(dates)) if dates else None,
        "verdict_max": max(verdicts.values(), default=1),
        "matrix": stance_matrix(site, list(overview.rows.values()), overview.stances, HOME_CLAIMS, HOME_ACTORS),
        "topics": sorted(overview.topics, key=lambda t: (-len(t.rows), t.topic.label.casefold()))[:12],
    }


def _fields(*pairs: str) -> tuple[Field, ...]:
    return tuple(Field(name, "field_" + text) for name, text in (p.split(":") for p in pairs))


JSON_FIELDS = _fields(
    "slug:claim", "title:claim_title", "summary:summary", "url:claim_url", "verdict:verdict_object",
    "reviewed:reviewed", "topics:topics", "related:related", "appearances:appearances", "appearances[].article:article",
    "appearances[].outlet:outlet", "appearances[].published:published", "appearances[].quote:quote",
    "appearances[].exact:exact", "appearances[].stance:stance", "appearances[].asserts:asserts",
    "appearances[].denies:denies", "appearances[].url:passage_url", "appearances[].kind:article_kind",
    "appearances[].account:account", "appearances[].original:article_url", "appearances[].archive_url:archive_url",
    "sources:sources")
CSV_FIELDS = _fields(*(f"{c}:{c}" for c in data.CSV_COLUMNS))
JSONLD_FIELDS = (*_fields("id:annotation_id", "motivation:motivation", "body:body", "target.source:target",
                          "target.selector:selector"),
                 *(Field(term, f"field_ld_{term}", data.TERM_ANCHOR + term) for term in data.ANNOTATION_TERMS))


def data_files(site: Site) -> tuple[DataFile, ...]:
    appearances = sum(len(apps) for apps in site.appearances.values())
    return (
        DataFile("claims.json", "data_json", "application/json", len(site.claims), JSON_FIELDS),
        DataFile("claims.csv", "data_csv", "text/csv", appearances, CSV_FIELDS),
        DataFile("annotations.jsonld", "data_jsonld", "application/ld+json", appearances, JSONLD_FIELDS),
    )
