"""Checked records, drafts among them → the records a build publishes, and the Problems of published pages that point to drafts.

A draft (`draft: true`) is checked like any record — `link` has done that before
this runs — and then left out: no page, no entry in any list, feed or data file.
What a published page says of a draft is an error at its line, naming the draft,
with one exception: an article's passage of a draft claim is left out (load left
it unmarked) with a warning, so an article can go out before one of its claims
is ready. `build --drafts` and the preview publish drafts, and never come here.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath

from .errors import Problem, Src, field_src

NOUNS = {"articles": "article", "claims": "claim", "actors": "actor", "outlets": "outlet", "pages": "page"}


def leave_out_drafts(records: dict[str, dict], aliases: dict, problems: list[Problem]) -> tuple[dict[str, dict], dict]:
    """`records`: kind ("articles", "claims", "actors", "outlets", "pages") → slug → record.

    Returns the same without drafts (articles without their passages of draft claims), and the claim aliases
    of the claims kept; appends a Problem for each thing a published record says of a draft.
    """
    drafts = {kind: {slug: r for slug, r in found.items() if r.draft} for kind, found in records.items()}
    kept = {kind: {slug: r for slug, r in found.items() if not r.draft} for kind, found in records.items()}
    if not any(drafts.values()):  # nothing to leave out, nothing to point to: no passage and link walked for it
        return kept, dict(aliases)

    def draft(kind: str, slug: str) -> str:
        """' draft claim 'x' (content/claims/x.md is draft: true)', or '' when it is no draft."""
        record = drafts[kind].get(slug)
        return f"draft {NOUNS[kind]} {slug!r} ({record.src.path} is draft: true)" if record else ""

    left_out: dict[tuple[str, str], str] = {}  # (article, passage id) → its draft claim
    for slug, article in kept["articles"].items():
        if draft("outlets", article.outlet):
            problems.append(Problem(field_src(article, "outlet"), f"a published article from a "
                                    f"{draft('outlets', article.outlet)}: publish the outlet, or make this a draft"))
        shown = []
        for a in article.annotations:
            if draft("claims", a.claim):
                problems.append(Problem(field_src(a, "claim"), f"annotation of draft claim {a.claim!r} left out "
                                        f"({drafts['claims'][a.claim].src.path} is draft: true)", warning=True))
                left_out[slug, a.id] = a.claim
                continue
            shown.append(a)
            for role in ("asserts", "denies"):
                for actor in getattr(a, role):
                    if draft("actors", actor):
                        problems.append(Problem(field_src(a, role), f"{draft('actors', actor)} in {role!r}: publish "
                                                "the actor, or leave it out of this passage"))
        if len(shown) < len(article.annotations):
            kept["articles"][slug] = replace(article, annotations=tuple(shown))
    for claim in kept["claims"].values():
        if draft("actors", claim.claimant):
            problems.append(Problem(field_src(claim, "claimant"), f"claimant is a {draft('actors', claim.claimant)}"))
        for other in claim.related:
            if draft("claims", other):
                problems.append(Problem(field_src(claim, "related"), f"related claim is a {draft('claims', other)}"))
    for actor in kept["actors"].values():
        if draft("actors", actor.affiliation):
            problems.append(Problem(field_src(actor, "affiliation"), f"affiliation is a "
                                    f"{draft('actors', actor.affiliation)}"))
    for kind in ("articles", "claims", "pages"):
        for record in kept[kind].values():
            for href, line in record.links:
                why = _link_to_draft(href, draft, aliases, left_out)
                if why:
                    problems.append(Problem(Src(record.src.path, line), f"link {href!r} to {why}"))
    return kept, {alias: claim for alias, claim in aliases.items() if not claim.draft}


def _link_to_draft(href: str, draft, aliases: dict, left_out: dict[tuple[str, str], str]) -> str:
    """What draft a site-relative link reaches ('' for none)."""
    path, _, anchor = href.partition("#")
    parts = PurePosixPath(path.split("?")[0]).parts[1:]
    if len(parts) == 1:
        return draft("pages", parts[0])
    if len(parts) != 2 or parts[0] not in NOUNS:
        return ""
    kind, slug = parts
    if kind == "claims" and slug in aliases:
        slug = aliases[slug].slug
    if (slug, anchor) in left_out:
        return f"a passage of {draft('claims', left_out[slug, anchor])}, left out of the article"
    return draft(kind, slug)
