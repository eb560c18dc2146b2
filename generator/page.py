"""Linked site objects → the plan's nouns: a Page (one output file, planned), a ClaimRow (a claim as lists show it)
and the stance Matrix (actors by claims).

`render` (which plans the site's pages), `insights` (which plans the who-says-what
pages and fills the matrix) and `graph` (which lays the matrix out as a map)
speak them; they live here so that none of those imports another in a circle.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from .model import Actor, Appearance, Claim, Site, Stance, Verdict


@dataclass(frozen=True, slots=True)
class Page:
    """One file of the output: a template rendered with its context, or `make(**context)`, or fixed `text`.

    `context` holds what the page shows, as the linked site's objects; `derive(**context)`, where given, turns
    it into the template's context when the page is rendered, so timelines, matrices and JSON-LD are worked
    out only then (and in the build's worker processes).
    Planning is cheap, and a page whose context equals the last build's would render the same: objects a
    rebuild did not touch are the same objects, so comparing is mostly comparing identities. A page that
    shows the whole `Site` (compared by identity) is made again after every change.
    """

    path: str  # site path: "", "claims/x/", "feed.xml"
    template: str  # a template name, or "" for a page that `make` draws or `text` is
    context: dict = field(default_factory=dict, hash=False)
    text: str = ""
    make: Callable[..., str | bytes] | None = None  # e.g. data.claims_json(site=…), share.share_image(…)
    derive: Callable[..., dict] | None = None  # context → the template's context
    draft: bool = False  # a draft's page (preview, `build --drafts`): base.html shows a "Draft" band


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A claim as lists show it: its verdict and who stands on which side."""

    claim: Claim
    verdict: Verdict | None
    appearances: int
    asserters: tuple[Actor, ...]
    deniers: tuple[Actor, ...]
    claimant: Actor | None = None  # who made the claim: the claim's `claimant`, else its earliest asserter
    claimant_at: Appearance | None = None  # the first passage where the claimant asserts it

    @property
    def disputed(self) -> bool:
        return bool(self.asserters and self.deniers)


# -- the stance matrix: insights fills it, graph lays it out as a map ---------------------

@dataclass(frozen=True, slots=True)
class Cell:
    """One actor on one claim: its own stances, each a passage to link to; `stance` is '' where it took no side."""

    stance: str
    stances: tuple[Stance, ...]


@dataclass(frozen=True, slots=True)
class MatrixRow:
    actor: Actor
    cells: tuple[Cell, ...]  # one per column, in column order
    az: int  # its place in alphabetical order, for the A–Z sort


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    row: ClaimRow
    az: int


@dataclass(frozen=True, slots=True)
class Matrix:
    """Actors (rows) by claims (columns), most disputed claims first, actors grouped by the side they take."""

    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]
    claims: int  # claims with a stance among those it was drawn from; `columns` may hold fewer
    actors: int

    @property
    def complete(self) -> bool:
        return len(self.columns) == self.claims and len(self.rows) == self.actors


def claim_rows(site: Site, same: Callable | None = None) -> dict[str, ClaimRow]:
    """claim slug → its row, in the site's claim order; `same(key, inputs, make)` may give last plan's row."""
    rows = {}
    for slug, claim in site.claims.items():
        made = (claim, site.appearances[slug], site.verdicts.get(claim.verdict), site.actors.get(claim.claimant))
        rows[slug] = same(("row", slug), made, lambda: _row(*made)) if same else _row(*made)
    return rows


def _row(claim: Claim, apps: tuple[Appearance, ...], verdict: Verdict | None, named: Actor | None) -> ClaimRow:
    claimant, at = _claimant(apps, named)
    return ClaimRow(claim, verdict, len(apps), _distinct(a for app in apps for a in app.asserts),
                    _distinct(a for app in apps for a in app.denies), claimant, at)


def _claimant(apps: tuple[Appearance, ...], named: Actor | None) -> tuple[Actor | None, Appearance | None]:
    """Who made the claim, and the first passage where they assert it: the one the desk `named`, else the earliest
    asserter by article date. Of several on that date, the one asserting it in the most passages, then the first
    in date order (articles of one date by slug, passages in reading order): the same on every build, whichever
    annotation a file lists first."""
    if named is not None:
        return named, next((app for app in apps if named in app.asserts), None)
    asserted = [app for app in apps if app.asserts]
    if not asserted:
        return None, None
    times = Counter(a.slug for app in asserted for a in app.asserts)
    first = [(a, app) for app in asserted if app.article.published == asserted[0].article.published for a in app.asserts]
    return max(first, key=lambda found: times[found[0].slug])  # max keeps the first of equals


def _distinct(actors) -> tuple[Actor, ...]:
    """Actors in first-seen order, each once."""
    return tuple({a.slug: a for a in actors}.values())
