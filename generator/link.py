"""Records + Config → Site: every reference resolved, every backlink computed, or all the Problems found."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from .config import SLUG
from .drafts import leave_out_drafts
from .errors import Problem, SiteError, Src, did_you_mean, field_src
from .evidence import rests_on_nothing
from .load import RESERVED, Loaded
from .model import Actor, Appearance, Article, Claim, Config, Side, Site, Stance

KINDS = ("articles", "claims", "actors", "outlets")


def link_site(loaded: Loaded, config: Config, cache: dict | None = None) -> Site:
    """Resolve and cross-link the records; `cache` (kept by the preview) spares relinking unchanged articles.

    With the same records and config as last time, the site is last time's: pages that show the whole site
    compare equal then (e.g. after a template edit).
    """
    cache = {} if cache is None else cache
    if cache.get("input") == (loaded, config):
        return cache["site"]
    problems = list(loaded.problems)
    outlets = _unique(loaded.outlets, problems)
    actors = _unique(loaded.actors, problems)
    claims = _unique(loaded.claims, problems)
    articles = _unique(loaded.articles, problems)
    pages = _unique(loaded.pages, problems)
    verdicts = {v.key: v for v in config.verdicts}
    names = _actor_names(actors)
    kinds = {id(actors): "actors", id(claims): "claims", id(outlets): "outlets"}

    def ref(value: str, known: dict, what: str, record, field: str, hints: dict | None = None) -> None:
        if not value or f"{kinds.get(id(known))}/{value}" in loaded.unreadable:
            return  # missing (reported by load), or a file too broken to load (reported): no follow-on noise
        if value not in known:
            hint = f" (did you mean {hints[value.casefold()]!r}?)" if hints and value.casefold() in hints else \
                did_you_mean(value, known)
            if not hint and known is verdicts:
                hint = f" (the verdicts of site.toml: {', '.join(verdicts) or 'none'})"
            problems.append(Problem(field_src(record, field), f"unknown {what} {value!r}{hint}"))

    for actor in actors.values():
        if actor.affiliation:
            ref(actor.affiliation, actors, "actor in 'affiliation'", actor, "affiliation", names)
    for claim in claims.values():
        if claim.verdict:
            ref(claim.verdict, verdicts, "verdict", claim, "verdict")
        ref(claim.claimant, actors, "actor in 'claimant'", claim, "claimant", names)
        if claim.verdict in verdicts and claim.reviewed and claim.body.strip() and \
                rests_on_nothing(claim.sources, claim.links):  # no analysis at all: _no_analysis says so
            problems.append(Problem(field_src(claim, "verdict"), "a rated claim's analysis must show its evidence: "
                                    "cite a source ([@ID], listed under 'sources:') or link a passage "
                                    "(/articles/SLUG/#ID)"))
        for other in claim.related:
            if other == claim.slug:
                problems.append(Problem(field_src(claim, "related"), f"claim {other!r} lists itself as related"))
            else:
                ref(other, claims, "claim in 'related'", claim, "related")
        if not claim.body.strip() and not claim.draft:
            problems.append(_no_analysis(claim))
    aliases = _aliases(claims, problems)
    linked: dict[str, Linked] = cache.setdefault("articles", {})  # article slug → how it was linked last time
    known = (frozenset(claims), frozenset(actors), frozenset(outlets))
    same_slugs = cache.get("slugs") == known
    for article in articles.values():
        if same_slugs and article.slug in linked and linked[article.slug].refs[0] is article:
            continue  # linked last time, when these same slugs existed: nothing to report
        ref(article.outlet, outlets, "outlet", article, "outlet")
        if article.post and article.outlet in outlets and outlets[article.outlet].kind != "platform":
            problems.append(Problem(field_src(article, "outlet"), f"a post's outlet must be a platform: "
                                    f"{article.outlet!r} is a news outlet (add 'kind: platform' to "
                                    f"{outlets[article.outlet].src.path} if it is one)"))
        for a in article.annotations:
            ref(a.claim, claims, "claim", a, "claim")
            for role in ("asserts", "denies"):
                for slug in getattr(a, role):
                    ref(slug, actors, "actor", a, role, names)
            both = a.denies and set(a.asserts) & set(a.denies)
            if both:
                problems.append(Problem(field_src(a, "denies"),
                                        f"{sorted(both)[0]!r} both asserts and denies the same passage"))
    _check_cycles(actors, problems)
    problems += unused(claims, actors, articles)
    check_links([*claims.values(), *articles.values(), *pages.values()], articles, claims, actors, outlets, pages,
                 loaded.unreadable, problems)
    if not loaded.drafts:  # checked like the rest above; now left out, and what published pages say of them checked
        kept, aliases = leave_out_drafts({"articles": articles, "claims": claims, "actors": actors,
                                          "outlets": outlets, "pages": pages}, aliases, problems)
        articles, claims, actors = kept["articles"], kept["claims"], kept["actors"]
        outlets, pages = kept["outlets"], kept["pages"]
    errors = [p for p in problems if not p.warning]
    if errors:
        raise SiteError(errors)
    site = _backlinks(config, articles, claims, actors, outlets, pages, verdicts, aliases, linked)
    if loaded.media:
        site = replace(site, media=loaded.media)
    warnings = tuple(sorted(p for p in problems if p.warning))
    if warnings:
        site = replace(site, warnings=warnings)
    cache.update(slugs=known, input=(loaded, config), site=site)
    return site


def _no_analysis(claim: Claim) -> Problem:
    """A published claim with no analysis: an error when it is rated (its page would give a verdict and no reason
    for it); a warning when it is not (its page still records who says what, and says it is not rated)."""
    if claim.verdict:
        return Problem(claim.src, f"a published claim rated {claim.verdict!r} needs its analysis: write it in "
                                  f"Markdown below the front matter, or keep the claim 'draft: true' until then")
    return Problem(claim.src, "a published claim with no analysis: write it below the front matter (until then its "
                              "page only records who says what)", warning=True)


def unused(claims: dict[str, Claim], actors: dict[str, Actor], articles: dict[str, Article]) -> list[Problem]:
    """A warning at each claim and actor that no annotation uses (an actor is used through its members too): what
    is left when an annotation is removed, published as a page with nothing on it."""
    used_claims, used_actors = set(), set()
    for article in articles.values():
        for a in article.annotations:
            used_claims.add(a.claim)
            used_actors.update(a.asserts, a.denies)
    for slug in list(used_actors):
        seen = set()
        while slug in actors and slug not in seen:  # an affiliation that goes round in a circle is reported above
            seen.add(slug)
            used_actors.add(slug)
            slug = actors[slug].affiliation
    return [Problem(record.src, f"no annotation uses this {what}: its page has no passage (annotate one, or delete "
                                f"the file)", warning=True)
            for what, records, used in (("claim", claims, used_claims), ("actor", actors, used_actors))
            for slug, record in sorted(records.items()) if slug not in used]


def _unique(records, problems: list[Problem]) -> dict:
    seen: dict = {}
    for record in records:
        if record.slug in seen:
            problems.append(Problem(record.src, f"two files claim the slug {record.slug!r}: "
                                                f"{seen[record.slug].src.path} and {record.src.path}"))
        else:
            seen[record.slug] = record
    return seen


def _actor_names(actors: dict[str, Actor]) -> dict[str, str]:
    """Names and aliases (folded) → slug, so `asserts: [Blinken]` can be answered with the slug."""
    out = {}
    for actor in actors.values():
        for name in (actor.name, *actor.aliases):
            out.setdefault(name.casefold(), actor.slug)
    return out


def _aliases(claims: dict[str, Claim], problems: list[Problem]) -> dict[str, Claim]:
    out: dict[str, Claim] = {}
    for claim in claims.values():
        src = field_src(claim, "aliases")
        for alias in claim.aliases:
            if not SLUG.match(alias):
                problems.append(Problem(src, f"alias {alias!r} is not a valid SLUG: use lowercase "
                                                   "letters, digits and hyphens"))
            elif alias in claims:
                problems.append(Problem(src, f"alias {alias!r} is already the slug of {claims[alias].src.path}"))
            elif alias in out:
                problems.append(Problem(src, f"two claims claim the alias {alias!r}: "
                                                   f"{out[alias].src.path} and {claim.src.path}"))
            else:
                out[alias] = claim
    return out


def _check_cycles(actors: dict[str, Actor], problems: list[Problem]) -> None:
    for actor in actors.values():
        seen, slug = [actor.slug], actor.affiliation
        while slug in actors:
            if slug in seen:
                if slug == actor.slug:
                    problems.append(Problem(field_src(actor, "affiliation"), "affiliation goes round in a circle: " +
                                            " → ".join([*seen, slug])))
                break
            seen.append(slug)
            slug = actors[slug].affiliation


def check_links(records, articles, claims, actors, outlets, free, unreadable, problems: list[Problem]) -> None:
    """Site-relative links written in content must reach a page (and a passage) that exists.

    Every link to a page is checked here, at its line in the content file; only links to files (a name with a
    dot, such as /css/site.css) are left to the check of the finished output.
    """
    topics = {t: claim for claim in claims.values() for t in claim.topics}
    pages = {"articles": articles, "claims": claims, "actors": actors, "outlets": outlets, "topics": topics}
    for record in records:
        for href, line in record.links:
            path, _, anchor = href.partition("#")
            parts = PurePosixPath(path.split("?")[0]).parts[1:]
            src = Src(record.src.path, line)
            if not parts or "." in parts[-1]:
                continue  # the home page, or a file: the output link check sees them
            if len(parts) == 1:
                if parts[0] not in KINDS and parts[0] not in RESERVED and parts[0] not in free \
                        and f"pages/{parts[0]}" not in unreadable:
                    problems.append(Problem(src, f"link to a missing page {href!r}"
                                                 f"{did_you_mean(parts[0], [*free, *KINDS, *RESERVED])}"))
                continue
            if len(parts) == 3 and parts[0] == "claims" and parts[2] == "embed":
                parts = parts[:2]  # a claim's embeddable card: there when the claim is
            if parts[0] not in pages or len(parts) > 2:
                problems.append(Problem(src, f"link to a missing page {href!r}"))
                continue
            known = pages[parts[0]]
            if len(parts) == 2 and f"{parts[0]}/{parts[1]}" in unreadable:
                continue  # that file's own error says why
            if len(parts) == 2 and parts[1] not in known:
                problems.append(Problem(src, f"link to a missing page {href!r}{did_you_mean(parts[1], known)}"))
            elif len(parts) == 2 and anchor and parts[0] == "articles":
                ids = [anchor for a in known[parts[1]].annotations for anchor in (a.id, *a.also)]
                if anchor not in ids and f'id="{anchor}"' not in known[parts[1]].body:
                    problems.append(Problem(src, f"link to a missing passage {href!r}{did_you_mean(anchor, ids)}"))


def root_of(actor: Actor, actors: dict[str, Actor]) -> Actor:
    """The top of an actor's affiliations: Blinken → Amerika Serikat."""
    seen = {actor.slug}
    while actor.affiliation in actors and actor.affiliation not in seen:
        actor = actors[actor.affiliation]
        seen.add(actor.slug)
    return actor


def _backlinks(config, articles, claims, actors, outlets, pages, verdicts, aliases, cache: dict[str, Linked]) -> Site:
    by_name = lambda r: (getattr(r, "name", "") or getattr(r, "title", "")).casefold()  # noqa: E731
    articles = dict(sorted(articles.items(), key=lambda kv: (_newest_first(kv[1]), kv[0])))
    claims = dict(sorted(claims.items(), key=lambda kv: (by_name(kv[1]), kv[0])))
    actors = dict(sorted(actors.items(), key=lambda kv: (by_name(kv[1]), kv[0])))
    outlets = dict(sorted(outlets.items(), key=lambda kv: (by_name(kv[1]), kv[0])))
    pages = dict(sorted(pages.items(), key=lambda kv: (kv[1].menu is None, kv[1].menu or 0, by_name(kv[1]), kv[0])))
    groups = {slug: members_of(actor, actors) for slug, actor in actors.items()}
    tops = {slug: root_of(actor, actors).slug for slug, actor in actors.items()}

    appearances: dict[str, list[Appearance]] = defaultdict(list)
    said: dict[str, list[Stance]] = defaultdict(list)  # claim slug → the stances taken on it, in date order
    passages: dict[str, tuple[Appearance, ...]] = {}
    for article in sorted(articles.values(), key=lambda a: (*_day(a.published), a.slug)):
        linked = link_article(article, claims, actors, outlets, cache).appearances
        passages[article.slug] = tuple(app for app, _ in linked)
        for app, own in linked:
            appearances[app.claim.slug].append(app)
            said[app.claim.slug].extend(own)
    for slug in set(cache) - set(articles):
        del cache[slug]

    members: dict[str, list[Actor]] = defaultdict(list)
    for actor in actors.values():
        for group in groups[actor.slug]:
            members[group].append(actor)

    stances: dict[str, list[Stance]] = defaultdict(list)
    sides: dict[str, dict[str, dict[str, list[Stance]]]] = defaultdict(dict)  # claim → top group → role → stances
    for claim_slug, found in said.items():
        camps = sides[claim_slug]
        for stance in found:
            slug = stance.actor.slug
            stances[slug].append(stance)
            for group in groups[slug]:
                stances[group].append(stance)
            camp = camps.get(tops[slug])
            if camp is None:
                camp = camps[tops[slug]] = {"asserts": [], "denies": []}
            camp[stance.role].append(stance)

    related: dict[str, set[str]] = defaultdict(set)
    for claim in claims.values():
        for other in claim.related:
            related[claim.slug].add(other)
            related[other].add(claim.slug)

    published: dict[str, list[Article]] = defaultdict(list)
    for article in articles.values():
        published[article.outlet].append(article)

    return Site(
        config=config, articles=articles, claims=claims, actors=actors, outlets=outlets, pages=pages,
        appearances={k: tuple(appearances.get(k, ())) for k in claims},
        passages={k: passages[k] for k in articles},
        stances={k: tuple(stances.get(k, ())) for k in actors},
        members={k: tuple(members.get(k, ())) for k in actors},
        sides={k: tuple(sorted((Side(actors[g], tuple(s["asserts"]), tuple(s["denies"]))
                                for g, s in sides.get(k, {}).items()),
                               key=lambda side: (-len(side.asserts) - len(side.denies), by_name(side.group))))
               for k in claims},
        published={k: tuple(published.get(k, ())) for k in outlets},
        related={k: tuple(claims[r] for r in sorted(related.get(k, ()), key=lambda r: by_name(claims[r]))) for k in claims},
        verdicts=verdicts, aliases=dict(sorted(aliases.items())))


def made_of(site: Site, linked: dict | None = None):
    """What of the linked site `_backlinks` makes of what alone, as (value, its inputs): a claim's sides, of its
    passages (in their order: each passage's stances are its actors') and of the actors (their names and
    affiliations place each stance in its camp); an article's passages, of the article and what it refers to. A
    page's key takes such a value's fingerprint from its inputs' (cache.Cache.made_of) instead of walking it: a
    claim's camps and their lists of stances, each passage an article's page shows. `linked` (`link_site`'s
    cache, as the build's linking left it) gives what each article's passages were made of, not found again."""
    for slug, sides in site.sides.items():
        if sides:  # not the empty tuple: Python has one, which every empty field holds
            yield sides, (site.appearances[slug], site.actors)
    for slug, passages in site.passages.items():  # an article's passages, of what `link_article` makes them of
        if passages:
            known = (linked or {}).get(slug)  # as `link_article` found them (`link_site`'s cache), when it did
            yield passages, (known.refs if known is not None and known.refs[0] is site.articles[slug] else
                             refs_of(site.articles[slug], site.claims, site.actors, site.outlets),)


def shown_often(site: Site) -> list:
    """The linked objects that many pages show and no recipe stands for (`made_of`): each claim's passages and
    each actor's stances (its own and its members'), as tuples, and each passage alone (a claim's row names the
    first one its claimant asserts). A page's key walks them (150 000 passages and stances at 10 000 articles),
    in every render process; the build has them walked once, by a process of its own while it plans
    (`Cache.shapes_of`, `Cache.known_shapes`)."""
    return [*site.appearances.values(), *site.stances.values(),
            *(app for apps in site.appearances.values() for app in apps)]


@dataclass(frozen=True, slots=True)
class Linked:
    """An article as linked: what it refers to (itself first) and its appearances, each with its stances."""

    refs: tuple
    appearances: tuple[tuple[Appearance, tuple[Stance, ...]], ...]


def link_article(article: Article, claims, actors, outlets, cache: dict[str, Linked]) -> Linked:
    """The article's appearances and stances; last time's while everything they show is the same."""
    refs = refs_of(article, claims, actors, outlets)
    kept = cache.get(article.slug)
    if kept is not None and kept.refs == refs:  # the same objects, mostly: compared by identity first
        return kept
    found = []
    for a in article.annotations:
        app = Appearance(claims[a.claim], article, outlets[article.outlet], a,
                         tuple(actors[s] for s in a.asserts), tuple(actors[s] for s in a.denies))
        found.append((app, tuple(Stance(actor, role, app) for role in ("asserts", "denies")
                                 for actor in getattr(app, role))))
    cache[article.slug] = Linked(refs, tuple(found))
    return cache[article.slug]


def refs_of(article: Article, claims, actors, outlets) -> tuple:
    """Everything an article's appearances and stances are made of: the article, its outlet, then the claim and
    the actors of each of its annotations."""
    return (article, outlets[article.outlet], *(claims[a.claim] for a in article.annotations),
            *(actors[s] for a in article.annotations for s in (*a.asserts, *a.denies)))


def members_of(actor: Actor, actors: dict[str, Actor]) -> list[str]:
    """The slugs of every group the actor belongs to, nearest first."""
    out, slug = [], actor.affiliation
    while slug in actors and slug not in out and slug != actor.slug:
        out.append(slug)
        slug = actors[slug].affiliation
    return out


def _day(date) -> tuple[int, int, int]:
    return date.year, date.month, date.day


def _newest_first(article: Article) -> tuple:
    d = article.published
    return (-d.year, -d.month, -d.day)
