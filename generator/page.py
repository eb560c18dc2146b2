"""Linked site objects → the plan's two nouns: a Page (one output file, planned) and a ClaimRow (a claim as lists show it).

Both `render` (which plans the site's pages) and `insights` (which plans the
who-says-what pages) speak them; they live here so neither imports the other.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .model import Actor, Claim, Site, Verdict


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

    @property
    def disputed(self) -> bool:
        return bool(self.asserters and self.deniers)


def claim_rows(site: Site) -> dict[str, ClaimRow]:
    """claim slug → its row, in the site's claim order."""
    rows = {}
    for slug, claim in site.claims.items():
        apps = site.appearances[slug]
        rows[slug] = ClaimRow(claim, site.verdicts.get(claim.verdict), len(apps),
                              _distinct(a for app in apps for a in app.asserts),
                              _distinct(a for app in apps for a in app.denies))
    return rows


def _distinct(actors) -> tuple[Actor, ...]:
    """Actors in first-seen order, each once."""
    return tuple({a.slug: a for a in actors}.values())
