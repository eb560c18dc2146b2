"""Site → the machine-readable files: claims.json and each claim's ClaimReview JSON-LD."""
from __future__ import annotations

import json

from .model import Appearance, Claim, Site
from .urls import absolute, page_path


def to_json(data) -> str:
    """Stable, compact JSON that is safe inside a <script> element."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).replace("</", "<\\/")


def appearance_data(site: Site, app: Appearance) -> dict:
    return {
        "article": app.article.slug, "outlet": app.outlet.slug, "published": app.article.published.iso,
        "quote": app.annotation.quote, "exact": app.annotation.exact, "stance": app.stance,
        "asserts": [a.slug for a in app.asserts], "denies": [a.slug for a in app.denies],
        "url": absolute(site.config, app.path),
    }


def claims_json(site: Site) -> str:
    claims = []
    for claim in site.claims.values():
        verdict = site.verdicts.get(claim.verdict)
        claims.append({
            "slug": claim.slug, "title": claim.title, "summary": claim.summary,
            "url": absolute(site.config, page_path("claims", claim.slug)),
            "verdict": {"key": verdict.key, "label": verdict.label, "rating": verdict.rating} if verdict else None,
            "reviewed": claim.reviewed.iso if claim.reviewed else None,
            "topics": list(claim.topics), "related": [c.slug for c in site.related[claim.slug]],
            "appearances": [appearance_data(site, app) for app in site.appearances[claim.slug]],
        })
    return to_json({"site": site.config.title, "url": site.config.base_url, "claims": claims}) + "\n"


def claim_review(site: Site, claim: Claim) -> str:
    """schema.org ClaimReview with what Google's fact-check guidelines ask for; '' for an unrated claim."""
    verdict = site.verdicts.get(claim.verdict)
    if verdict is None:
        return ""
    config = site.config
    ratings = [v.rating for v in config.verdicts]
    apps = site.appearances[claim.slug]
    speakers = {a.slug: a for app in apps for a in app.asserts}
    item = {
        "@type": "Claim",
        "appearance": [_creative_work(site, app) for app in apps] or [{"@type": "CreativeWork", "url": absolute(config, page_path("claims", claim.slug))}],
    }
    if apps:
        item["datePublished"] = apps[0].article.published.iso
        item["firstAppearance"] = _creative_work(site, apps[0])
    if speakers:
        first = next(iter(speakers.values()))
        item["author"] = {"@type": "Person" if first.kind == "person" else "Organization", "name": first.name,
                          **({"sameAs": list(first.same_as)} if first.same_as else {})}
    review = {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": absolute(config, page_path("claims", claim.slug)),
        "claimReviewed": claim.title,
        "datePublished": claim.reviewed.iso if claim.reviewed else "",
        "inLanguage": config.language,
        "author": {"@type": "Organization", "name": config.author, "url": config.base_url},
        "reviewRating": {"@type": "Rating", "ratingValue": verdict.rating, "bestRating": max(ratings),
                         "worstRating": min(ratings), "alternateName": verdict.label},
        "itemReviewed": item,
    }
    return to_json(review)


def _creative_work(site: Site, app: Appearance) -> dict:
    work = {"@type": "CreativeWork", "url": app.article.url or absolute(site.config, app.path),
            "headline": app.article.title, "datePublished": app.article.published.iso,
            "publisher": {"@type": "Organization", "name": app.outlet.name}}
    if app.outlet.url:
        work["publisher"]["url"] = app.outlet.url
    return work
