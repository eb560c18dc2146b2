"""Site → the machine-readable files: claims.json, claims.csv, annotations.jsonld, each claim's ClaimReview."""
from __future__ import annotations

import csv
import io
import json

from .model import Actor, Appearance, Claim, Config, Site, Source, Verdict
from .urls import absolute, page_path


SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def to_json(data) -> str:
    """Stable, compact JSON."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def script_json(data) -> str:
    """Stable JSON that is safe inside a <script> element: no `</script>`, no `<!--`, whatever the content says."""
    return to_json(data).translate(SCRIPT_SAFE)


def appearance_data(site: Site, app: Appearance) -> dict:
    return {
        "article": app.article.slug, "outlet": app.outlet.slug, "published": app.article.published.iso,
        "quote": app.annotation.quote, "exact": app.annotation.exact, "stance": app.stance,
        "asserts": [a.slug for a in app.asserts], "denies": [a.slug for a in app.denies],
        "url": absolute(site.config, app.path),
        "kind": app.article.kind, "account": app.article.account or None,
        "original": app.article.url or None, "archive_url": app.article.archive_url or None,
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
            "sources": [source_data(s) for s in claim.sources],
        })
    return to_json({"site": site.config.title, "url": site.config.base_url, "claims": claims}) + "\n"


def source_data(source: Source) -> dict:
    """A claim's source for claims.json: `number` is its place among the cited ones, null when uncited."""
    return {"id": source.id, "number": source.number or None, "title": source.title, "publisher": source.publisher,
            "date": source.date.iso if source.date else None, "url": source.url, "archive_url": source.archive_url,
            "quote": source.quote, "note": source.note}


def claim_review(config: Config, claim: Claim, verdict: Verdict | None, apps: tuple[Appearance, ...],
                 claimant: Actor | None = None) -> str:
    """schema.org ClaimReview with what Google's fact-check guidelines ask for; '' for an unrated claim."""
    if verdict is None:
        return ""
    ratings = [v.rating for v in config.verdicts]
    # Where nothing records where the claim appeared, the claim itself, described: never this site's page
    works = _appearances(apps) or [{"@type": "CreativeWork", "headline": claim.title}]
    item = {"@type": "Claim", "appearance": works}
    if apps:
        item["datePublished"] = apps[0].article.published.iso
        item["firstAppearance"] = works[0]
    if claimant:
        item["author"] = {"@type": "Person" if claimant.kind == "person" else "Organization", "name": claimant.name,
                          **({"sameAs": list(claimant.same_as)} if claimant.same_as else {})}
    review = {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": absolute(config, page_path("claims", claim.slug)),
        "claimReviewed": claim.title,
        "datePublished": claim.reviewed.iso if claim.reviewed else "",
        **({"dateModified": claim.modified.iso} if claim.modified else {}),
        "inLanguage": config.language,
        "author": {"@type": "Organization", "name": config.author, "url": config.base_url},
        "reviewRating": {"@type": "Rating", "ratingValue": verdict.rating, "bestRating": max(ratings),
                         "worstRating": min(ratings), "alternateName": verdict.label},
        "itemReviewed": item,
    }
    cited = [source_work(s) for s in claim.sources if s.number]
    if cited:
        review["citation"] = cited
    return script_json(review)


def source_work(source: Source) -> dict:
    """A source as schema.org gives a work cited: the original's url, the archived copy as `archivedAt`."""
    work = {"@type": "CreativeWork", "name": source.title,
            "publisher": {"@type": "Organization", "name": source.publisher}}
    if source.date:
        work["datePublished"] = source.date.iso
    if source.url:
        work["url"] = source.url
    if source.archive_url:
        work["archivedAt"] = source.archive_url
    return work


def _appearances(apps: tuple[Appearance, ...]) -> list[dict]:
    """Where the claim appeared, one work per article or post, earliest first."""
    works: dict[str, dict] = {}
    for app in apps:
        if app.article.slug not in works:
            works[app.article.slug] = _creative_work(app)
    return list(works.values())


def _creative_work(app: Appearance) -> dict:
    """The article or post where a claim appeared: the original (`url`) when known, else described inline by
    headline, outlet and date; never this site's copy, which is not where it appeared."""
    article, outlet = app.article, app.outlet
    work = {"@type": "SocialMediaPosting" if article.post else "NewsArticle", "headline": article.title,
            "datePublished": article.published.iso}
    if article.url:
        work["url"] = article.url
    if article.archive_url:
        work["archivedAt"] = article.archive_url
    work["publisher"] = {"@type": "Organization", "name": outlet.name, **({"url": outlet.url} if outlet.url else {})}
    return work


# -- claims.csv ------------------------------------------------------------------

CSV_COLUMNS = ("claim", "claim_title", "verdict", "verdict_label", "rating", "reviewed", "topics",
               "article", "article_title", "outlet", "outlet_name", "published", "stance",
               "asserts", "denies", "asserts_names", "denies_names", "quote", "exact",
               "passage_url", "claim_url", "article_url", "article_kind", "account", "archive_url")


def claims_csv(site: Site) -> str:
    """One row per appearance (a claim in an article's passage), claims in site order, each by date."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for claim in site.claims.values():
        verdict = site.verdicts.get(claim.verdict)
        for app in site.appearances[claim.slug]:
            writer.writerow(map(_cell, [
                claim.slug, claim.title, verdict.key if verdict else "", verdict.label if verdict else "",
                verdict.rating if verdict else "", claim.reviewed.iso if claim.reviewed else "", ";".join(claim.topics),
                app.article.slug, app.article.title, app.outlet.slug, app.outlet.name, app.article.published.iso,
                app.stance, ";".join(a.slug for a in app.asserts), ";".join(a.slug for a in app.denies),
                "; ".join(a.name for a in app.asserts), "; ".join(a.name for a in app.denies),
                app.annotation.quote, app.annotation.exact, absolute(site.config, app.path),
                absolute(site.config, page_path("claims", claim.slug)), app.article.url,
                app.article.kind, app.article.account, app.article.archive_url,
            ]))
    return out.getvalue()


FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula (OWASP: CSV injection)


def _cell(value):
    """A CSV cell a spreadsheet shows as text: a leading `=`, `+`, `-` or `@` gets a `'` before it."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA) else value


# -- annotations.jsonld: W3C Web Annotations ---------------------------------------

ANNOTATION_TERMS = ("claim", "stance", "asserts", "denies", "passage")
TERM_ANCHOR = "term-"  # the open-data page defines each term at data/#term-NAME


def annotations_jsonld(site: Site) -> str:
    """Every annotation of every article as a W3C Web Annotation on the article's own URL, in one collection.

    The target is the original article (our copy when it has no `url`), found by a TextQuoteSelector whose
    `exact`, `prefix` and `suffix` are the text as the page shows it. Our own terms (`claim`, `stance`,
    `asserts`, `denies`, `passage`) are defined on the open-data page.
    """
    config = site.config
    vocab = absolute(config, "data/") + "#" + TERM_ANCHOR
    terms = {term: {"@id": vocab + term, "@type": "@id"} for term in ANNOTATION_TERMS}
    terms["stance"] = {"@id": vocab + "stance"}
    terms["asserts"]["@container"] = terms["denies"]["@container"] = "@set"
    items = []
    for article in site.articles.values():
        items += [_annotation(site, app) for app in site.passages[article.slug]]
    collection = {
        "@context": ["http://www.w3.org/ns/anno.jsonld", terms],
        "id": absolute(config, "annotations.jsonld"), "type": "AnnotationCollection",
        "label": config.title, "total": len(items),
        "first": {"id": absolute(config, "annotations.jsonld") + "#page-1", "type": "AnnotationPage",
                  "startIndex": 0, "items": items},
    }
    return json.dumps(collection, ensure_ascii=False) + "\n"


def _annotation(site: Site, app: Appearance) -> dict:
    config, strings, ann = site.config, site.config.strings, app.annotation
    claim_url = absolute(config, page_path("claims", app.claim.slug))
    said = [f"{strings[role]}: {', '.join(a.name for a in actors)}."
            for role, actors in (("asserts", app.asserts), ("denies", app.denies)) if actors]
    return {
        "id": absolute(config, "annotations.jsonld") + f"#{app.article.slug}/{ann.id}",
        "type": "Annotation", "motivation": "classifying",
        "creator": {"type": "Organization", "name": config.author, "homepage": config.base_url},
        "body": [
            {"type": "SpecificResource", "source": claim_url, "purpose": "classifying"},
            {"type": "TextualBody", "purpose": "tagging", "value": app.stance},
            {"type": "TextualBody", "purpose": "describing", "format": "text/plain", "language": config.language,
             "value": " ".join([f"{strings['claims']}: {app.claim.title}.", *said])},
        ],
        "target": {
            "source": app.article.url or absolute(config, page_path("articles", app.article.slug)),
            "selector": {"type": "TextQuoteSelector", "exact": ann.exact, "prefix": ann.prefix, "suffix": ann.suffix},
        },
        "claim": claim_url, "stance": app.stance, "passage": absolute(config, app.path),
        "asserts": [absolute(config, page_path("actors", a.slug)) for a in app.asserts],
        "denies": [absolute(config, page_path("actors", a.slug)) for a in app.denies],
    }
