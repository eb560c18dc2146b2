"""content/ → records (Article, Claim, Actor, Outlet) and the Problems found reading them.

Each file is read on its own: YAML with the line of every field, Markdown
rendered and annotated. Articles are spread over the cores when there are
many. Nothing here looks across files: that is `link`'s job.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .annotate import MarkdownError, Renderer, Wanted, fold
from .config import LANGUAGE, SLUG
from .errors import Problem, Src, did_you_mean
from .evidence import (blurs_nothing, citation_problems, cited_in_plain_text, image_problems, number_sources,
                       read_post, read_sources)
from .fields import FRONT, Fields, Reader, parse_yaml, shown_value, split_front_matter, suggest_slug
from .media import WIDTHS, scan_media
from .placeholders import placeholder_lines
from .pool import pool
from .source import CONTROL, char_name, link_out, read_file_text
from .model import Actor, Annotation, Article, Claim, Config, Correction, Date, FreePage, Outlet, stance_of

KINDS = ("person", "government", "organization", "media", "group")
ARTICLE = {"title", "outlet", "published", "url", "authors", "language", "annotations", "note", "draft",
           "archive_url", "kind", "account", "screenshot"}
ANNOTATION = {"claim", "quote", "asserts", "denies", "id", "occurrence"}
CLAIM = {"title", "verdict", "reviewed", "summary", "topics", "related", "aliases", "corrections", "draft",
         "claimant", "sources"}
CORRECTION = {"date", "note"}
ACTOR = {"name", "kind", "role", "affiliation", "aliases", "same_as", "draft"}
OUTLET = {"name", "url", "country", "draft", "description", "kind"}
OUTLET_KINDS = ("news", "platform")
PAGE = {"title", "menu", "draft"}
# The site's own top-level paths (pages, lists, theme folders): a free page cannot take them.
RESERVED = frozenset({"articles", "claims", "actors", "outlets", "topics", "matrix", "map", "data", "search",
                      "pagefind", "css", "js", "img", "fonts", "feed.xml", "sitemap.xml", "robots.txt", "404",
                      "corrections"})
UNKNOWN_DATE = Date(1, 1, 1)  # stands in for a date in error: the record is only checked, never published
PARALLEL_FROM = 48  # articles or claims; below this a process pool costs more than it saves


@dataclass(frozen=True, slots=True)
class Loaded:
    articles: tuple[Article, ...]
    claims: tuple[Claim, ...]
    actors: tuple[Actor, ...]
    outlets: tuple[Outlet, ...]
    problems: tuple[Problem, ...]
    pages: tuple[FreePage, ...] = ()
    unreadable: frozenset[str] = frozenset()  # "kind/slug" of files too broken to load: no follow-on errors
    drafts: bool = False  # whether drafts are published; if not, articles leave draft claims' passages unmarked
    media: tuple = ()  # media.MediaFile: the images under content/media/


# -- one file at a time --------------------------------------------------------

_RENDERERS: dict[bool, Renderer] = {}  # one per process: building a Markdown converter is costly


def renderer(trusted_html: bool) -> Renderer:
    if trusted_html not in _RENDERERS:
        _RENDERERS[trusted_html] = Renderer(trusted_html)
    return _RENDERERS[trusted_html]


def slug_problem(path: str, slug: str) -> list[Problem]:
    if SLUG.match(slug):
        return []
    return [Problem(Src(path, 1), f"the file name {slug!r} is not a valid SLUG: use lowercase letters, "
                                  f"digits and hyphens (like {suggest_slug(slug)!r})")]


def _render(trusted_html: bool, body: str, path: str, body_line: int, problems: list[Problem], wanted=(), depth=2,
            **evidence):
    """The body as HTML; a body Markdown cannot take (e.g. `*` × 3000) is a Problem, rendered as plain text.

    `evidence`: what `Renderer.render` needs for citations (`sources`) and images (`media`, `widths`)."""
    try:
        rendered = renderer(trusted_html).render(body, wanted, depth, **evidence)
    except MarkdownError as e:
        _RENDERERS.pop(trusted_html, None)  # a converter that gave up mid-way is not reused
        problems.append(Problem(Src(path, body_line), str(e)))
        return renderer(trusted_html).render("", ())
    bad = CONTROL.search(rendered.html) or CONTROL.search(rendered.text)
    if bad:  # the text held none (read_text): a character reference made it, `&#27;`, decoded by the sanitizer
        n = ord(bad.group()[0])
        ref = re.search(rf"&#(?:[xX]0*{n:x}|0*{n});", body, re.I)
        line = body_line + body.count("\n", 0, ref.start()) if ref else body_line
        problems.append(Problem(Src(path, line), f"control character {char_name(bad.group()[0])}, written as "
                                                 f"{ref.group() if ref else 'a character reference'}: delete it"))
    return rendered


def load_outlet(path: str, text: str) -> tuple[Outlet | None, list[Problem]]:
    problems = slug_problem(path, Path(path).stem)
    fields = parse_yaml(text, path, 1, problems)
    if fields is None and problems:
        return None, problems
    r = Reader(fields or Fields(), path, 1, problems)
    r.check(OUTLET, ("name",))
    country = r.text("country")
    if country:
        from .l10n import country_problem  # Babel's territories: read only where an outlet names a country
        why = country_problem(country)
        if why:
            r.error("country", why)
    kind = r.text("kind") or "news"
    if kind not in OUTLET_KINDS:
        r.error("kind", f"unknown kind {kind!r}: an outlet is 'news' (the default) or 'platform' (Facebook, X, "
                        f"WhatsApp…, where posts appear){did_you_mean(kind, OUTLET_KINDS)}")
    return Outlet(Path(path).stem, r.text("name"), r.url("url"), country.upper(), r.src(),
                  draft=r.flag("draft"), description=r.text("description"), kind=kind), problems


def load_actor(path: str, text: str) -> tuple[Actor | None, list[Problem]]:
    problems = slug_problem(path, Path(path).stem)
    fields = parse_yaml(text, path, 1, problems)
    if fields is None and problems:
        return None, problems
    r = Reader(fields or Fields(), path, 1, problems)
    r.check(ACTOR, ("name", "kind"))
    kind = r.text("kind")
    if kind and kind not in KINDS:
        r.error("kind", f"unknown kind {kind!r}: use one of {', '.join(KINDS)}{did_you_mean(kind, KINDS)}")
    return Actor(Path(path).stem, r.text("name"), kind, r.text("role"), r.text("affiliation"),
                 r.slugs("aliases"), r.urls("same_as"), r.src(), r.lines(), draft=r.flag("draft")), problems


def load_claim(path: str, text: str, trusted_html: bool, require_archive: bool = False, media: dict | None = None,
               widths: tuple[int, ...] | None = None) -> tuple[Claim | None, list[Problem]]:
    problems = slug_problem(path, Path(path).stem)
    fields, body, body_line = split_front_matter(text, path, problems)
    if fields is None:
        return None, problems
    r = Reader(fields, path, FRONT, problems)
    r.check(CLAIM, ("title",))
    verdict, reviewed = r.text("verdict"), r.date("reviewed", month_ok=False)
    if verdict and reviewed is None and "reviewed" not in r.fields:
        r.error("verdict", "a claim with a verdict needs 'reviewed', the date of the verdict (YYYY-MM-DD)")
    sources = read_sources(r, require_archive)
    cited_in_plain_text(r)
    rendered = _render(trusted_html, body, path, body_line, problems, sources=frozenset(s.id for s in sources),
                       media=media, widths=widths)
    problems += placeholder_lines(body, path, body_line)
    problems += citation_problems(sources, rendered.cited, body, path, body_line)
    problems += image_problems(rendered.images, body, path, body_line)
    sources, links = number_sources(sources, rendered.cited), _link_lines(rendered.links, body, body_line)
    return Claim(Path(path).stem, r.text("title"), verdict, reviewed, r.text("summary"),
                 r.slug_list("topics", "topic"), r.slugs("related"), r.slugs("aliases"), rendered.html, r.src(),
                 r.lines(), links, _corrections(r), draft=r.flag("draft"), claimant=r.text("claimant"),
                 sources=sources), problems


def _corrections(r: Reader) -> tuple[Correction, ...]:
    items = r.fields.get("corrections")
    if items is None:
        return ()
    if not isinstance(items, list):
        r.error("corrections", "'corrections' must be a list of '- date: YYYY-MM-DD' / 'note: …' items")
        return ()
    out = []
    for n, item in enumerate(items, 1):
        c = Reader(item, r.path, r.offset, r.problems, f" in correction {n}", r.fields.lines.get("corrections", 0))
        if c.check(CORRECTION, ("date", "note")):
            date = c.date("date", month_ok=False)
            if date is not None:
                out.append(Correction(date, c.text("note"), c.src()))
    return tuple(sorted(out, key=lambda c: c.date))


def load_page(path: str, text: str, trusted_html: bool, media: dict | None = None,
              widths: tuple[int, ...] | None = None) -> tuple[FreePage | None, list[Problem]]:
    slug = Path(path).stem
    problems = slug_problem(path, slug)
    if slug in RESERVED:
        problems.append(Problem(Src(path, 1), f"the page name {slug!r} is taken by the site's own pages: "
                                              f"choose another file name"))
    fields, body, body_line = split_front_matter(text, path, problems)
    if fields is None:
        return None, problems
    r = Reader(fields, path, FRONT, problems)
    r.check(PAGE, ("title",))
    rendered = _render(trusted_html, body, path, body_line, problems, depth=1,  # SLUG/ is one folder deep
                       media=media, widths=widths)
    problems += placeholder_lines(body, path, body_line)
    problems += image_problems(rendered.images, body, path, body_line)
    return FreePage(slug, r.text("title"), r.whole("menu"), rendered.html, r.src(), r.lines(),
                    _link_lines(rendered.links, body, body_line), draft=r.flag("draft")), problems


def load_article(path: str, text: str, titles: dict[str, str], trusted_html: bool, language: str,
                 hidden: frozenset[str] = frozenset(), renamed: dict[str, tuple[str, ...]] | None = None,
                 media: dict | None = None, widths: tuple[int, ...] | None = None,
                 ) -> tuple[Article | None, list[Problem]]:
    """The article; kept even with errors (so that `link` still checks what it names), never published then.

    Passages of the `hidden` claims (drafts, when drafts are not published) are checked but left unmarked.
    `renamed`: claim slug → its earlier slugs (`aliases`); a passage keeps the anchors it had under them.
    """
    problems = slug_problem(path, Path(path).stem)
    fields, body, body_line = split_front_matter(text, path, problems)
    if fields is None:
        return None, problems
    r = Reader(fields, path, FRONT, problems)
    r.check(ARTICLE, ("title", "outlet", "published"))
    published = r.date("published", month_ok=True)
    own = r.text("language")
    if own and not LANGUAGE.match(own):  # it becomes the text's lang attribute: a tag, or the site's
        r.error("language", f"'language' must be a BCP 47 tag such as 'id' or 'en-GB': {shown_value(own)}")
        own = ""
    readers, wanted = _wanted(r, titles, renamed or {})
    kind, account, screenshot = read_post(r, media or {}, widths or WIDTHS)
    media = {"media": media, "widths": widths}
    rendered = _render(trusted_html, body, path, body_line, problems, wanted, **media)
    problems += image_problems(rendered.images, body, path, body_line)
    founds = rendered.found
    if any(w.claim in hidden for w in wanted):
        rendered = _render(trusted_html, body, path, body_line, [], [w for w in wanted if w.claim not in hidden],
                           **media)
        shown = {f.id: f for f in rendered.found}  # where the marked passages stand in reading order now
        founds = [shown.get(w.id, f) for w, f in zip(wanted, founds)]
    annotations = []
    for a, w, found in zip(readers, wanted, founds):
        if not found.number:  # not placed: not found, found more than once, or not at the occurrence asked
            a.error("quote", _quote_problem(w, found))
        annotations.append(Annotation(w.id, w.claim, w.quote, a.slugs("asserts"), a.slugs("denies"), found.number,
                                      found.exact, found.prefix, found.suffix, a.src(), a.lines(), w.also))
    return Article(Path(path).stem, r.text("title"), r.text("outlet"), published or UNKNOWN_DATE, r.url("url"),
                   r.slugs("authors"), own or language,
                   tuple(sorted(annotations, key=lambda a: a.number)), rendered.html, rendered.text, r.src(),
                   r.lines(), _link_lines(rendered.links, body, body_line), r.text("note"),
                   draft=r.flag("draft"), archive_url=r.url("archive_url"), kind=kind, account=account,
                   screenshot=screenshot), problems


def _link_lines(links: tuple[str, ...], body: str, body_line: int) -> tuple[tuple[str, int], ...]:
    """Each site-relative link with the line of the file it is written on."""
    lines = body.splitlines()
    return tuple((href, body_line + next((i for i, line in enumerate(lines) if href in line), 0)) for href in links)


def _wanted(r: Reader, titles: dict[str, str], renamed: dict[str, tuple[str, ...]]) -> tuple[list[Reader], list[Wanted]]:
    items = r.fields.get("annotations") or []
    if not isinstance(items, list):
        r.error("annotations", "'annotations' must be a list of '- claim: … quote: …' items")
        return [], []
    readers, wanted, ids = [], [], set()
    for n, item in enumerate(items, 1):
        a = Reader(item, r.path, r.offset, r.problems, f" in annotation {n}", r.fields.lines.get("annotations", 0))
        if not a.check(ANNOTATION, ("claim", "quote")):
            continue
        claim, quote, occurrence = a.text("claim"), a.text("quote"), a.fields.get("occurrence")
        if occurrence is not None and (not isinstance(occurrence, int) or isinstance(occurrence, bool)
                                       or occurrence < 1):
            a.error("occurrence", f"'occurrence' must be a whole number from 1: {shown_value(occurrence)}")
            continue
        anchor = a.text("id") or passage_anchor(claim, quote, occurrence)
        if a.text("id") and not SLUG.match(anchor):
            a.error("id", f"'id' must be lowercase letters, digits and hyphens: {anchor!r}")
            continue
        if anchor in ids:
            a.error("id" if a.text("id") else "quote", f"two annotations of this article share the anchor {anchor!r}"
                    + ("" if a.text("id") else " (the same claim and quote twice?)"))
            continue
        ids.add(anchor)
        stance = stance_of(a.slugs("asserts"), a.slugs("denies"))
        readers.append(a)
        also = () if a.text("id") else tuple(passage_anchor(old, quote, occurrence) for old in renamed.get(claim, ()))
        wanted.append(Wanted(anchor, claim, quote, stance, f"../../claims/{claim}/", titles.get(claim, ""), occurrence,
                             also))
    return readers, wanted


def passage_anchor(claim: str, quote: str, occurrence) -> str:
    """A stable anchor: it depends on this annotation alone, never on its neighbours."""
    digest = hashlib.sha1(f"{claim}\n{fold(quote).strip()}\n{occurrence or ''}".encode()).hexdigest()
    return f"{claim[:48].rstrip('-')}-{digest[:6]}"


def _quote_problem(w: Wanted, found) -> str:
    shown = w.quote if len(w.quote) <= 90 else w.quote[:87] + "..."
    if found.count == 0:
        hint = f" (closest passage: {found.closest!r})" if found.closest else ""
        return f"quote not found in the article's text: {shown!r}{hint}"
    if w.occurrence is not None:
        return f"'occurrence: {w.occurrence}' asked, but the quote is found {found.count} times: {shown!r}"
    return (f"ambiguous quote, found {found.count} times in the article's text: {shown!r} "
            f"(quote more of the passage, or add 'occurrence: N' to pick one)")


# -- the whole folder ----------------------------------------------------------

SUFFIXES = {"outlets": (".yaml", ".yml"), "actors": (".yaml", ".yml"), "claims": (".md",), "pages": (".md",),
            "articles": (".md",)}  # content/KIND/ → the files it holds


def _files(root: Path, kind: str) -> dict[str, tuple[int, int, int]]:
    """The kind's files (in no order: `_load_kind` gives its records sorted) → (modification time, size, inode);
    a DirEntry spares a second stat."""
    try:
        with os.scandir(root / "content" / kind) as found:
            entries = [e for e in found if e.name.endswith(SUFFIXES[kind]) and (e.is_symlink() or e.is_file())]
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return {f"content/{kind}/{e.name}": _times(_stat(e)) for e in entries}


def _stat(entry: os.DirEntry) -> os.stat_result:
    """The entry's file, or the link itself when it leads nowhere (reading it then says so)."""
    try:
        return entry.stat()
    except OSError:
        return entry.stat(follow_symlinks=False)


def _times(st: os.stat_result) -> tuple[int, int, int]:
    return st.st_mtime_ns, st.st_size, st.st_ino


def _listing(root: Path, kind: str, cache: dict, saved: set[str] | None) -> dict[str, tuple[int, int, int]]:
    """The kind's files as `_files` gives them: listed afresh, or, told which paths were `saved` since the last
    listing (the preview's watcher), that listing with those alone looked at again (10 000 files: ~60 ms less)."""
    folder, last = f"content/{kind}/", cache.get(("listing", kind))
    if saved is None or last is None or any(folder.startswith(p.rstrip("/") + "/") for p in saved):
        listing = _files(root, kind)
    else:
        listing = dict(last)
        for rel in saved:
            if not rel.startswith(folder) or "/" in rel[len(folder):]:
                continue
            try:
                st = os.stat(root / rel)
            except (OSError, ValueError):
                st = None
            if st is not None and stat.S_ISREG(st.st_mode) and rel.endswith(SUFFIXES[kind]):
                listing[rel] = _times(st)
            else:
                listing.pop(rel, None)
    cache[("listing", kind)] = listing
    return listing


def missed_saves(root: Path, cache: dict) -> set[str]:
    """Content files that came, went or changed since the listings in `cache` (the preview's, kept by loads told
    only what was saved): what a watcher did not say."""
    missed = set()
    for kind in SUFFIXES:
        last, now = cache.get(("listing", kind), {}), _files(root, kind)
        missed |= last.keys() ^ now.keys()
        missed |= {rel for rel, times in now.items() if last.get(rel, times) != times}
    return missed


def _load_chunk(loader, chunk: list[tuple[str, str, str]], store, *args) -> tuple[list, list[Problem]]:
    """Load these files (path, text, build cache key); with the build cache (`store`, a cache.Cache), the process
    that loads a file also stores it. Each (record, problems) and its fingerprint without words (or None), and
    what the cache had to say."""
    done = []
    for path, text, key in chunk:
        loaded = loader(path, text, *args)
        done.append((loaded, store.put_record(key, loaded) if store else None))
    if store:
        store.flush()  # the chunk's records as one file
    return done, store.problems if store else []


def _load_kind(root: Path, kind: str, loader, args: tuple, cache: dict, jobs: int, store=None,
               saved: set[str] | None = None):
    """Load every file of one kind, reusing what `cache` holds for files unchanged since (with the same `args`),
    and what the build cache (`store`, a cache.Cache) holds for the same bytes, path and `args` (a file that
    `store.seen` says is as the build's hash of its inputs found it is not even read)."""
    results, todo, stored, keys = {}, [], {}, {}
    args_key = hash(tuple(tuple(sorted(a.items())) if isinstance(a, dict) else a for a in args))
    fingerprint = ""
    if store is not None and store.folder is not None:
        from .cache import canonical, digest, load_key
        fingerprint = digest(canonical(args))  # hashed once: an article's arguments hold every claim's title
    for rel, times in _listing(root, kind, cache, saved).items():
        key = (*times, args_key)
        seen = cache.get(rel)
        if seen is not None and seen[0] == key:
            results[rel] = seen[1]
            continue
        made = store.seen.get(str(root / rel)) if fingerprint else None  # as the build's `inputs_key` saw it
        if made and made[:3] == [times[1], times[2], times[0]] and " " not in made[4]:  # a file, unchanged since
            found = store.get_record(load_key(loader, rel, made[4], fingerprint))
            if found is not None:  # no need to read the file: the record of these very bytes
                cache[rel] = (key, found)
                results[rel] = found
                continue
        text, problem, sha = read_file_text(root / rel, rel, inside=root)
        if problem is None:
            todo.append((rel, text, key))
            if fingerprint:
                keys[rel] = load_key(loader, rel, sha, fingerprint)
                found = store.get_record(keys[rel])
                if found is not None:
                    stored[rel] = found
        else:
            cache[rel] = (key, (None, [problem]))
            results[rel] = cache[rel][1]
    chunk = [(rel, text, keys.get(rel, "")) for rel, text, _ in todo if rel not in stored]
    writes = store if keys else None
    chunks = [chunk[i::jobs * 4] for i in range(jobs * 4)] if jobs > 1 and len(chunk) >= PARALLEL_FROM else [chunk]
    arguments = [[loader] * len(chunks), chunks, [writes and writes.for_worker()] * len(chunks),
                 *[[a] * len(chunks) for a in args]]
    if len(chunks) > 1:
        with pool(jobs) as workers:
            parts = list(workers.map(_load_chunk, *arguments))
    else:
        parts = list(map(_load_chunk, *arguments))
    by_path = {}
    for c, (done, said) in zip(chunks, parts):
        for (rel, _, key), (loaded, shape) in zip(c, done):
            by_path[rel] = loaded
            if writes:
                writes.seed_record(loaded[0], key, shape)
        if writes:
            writes.problems += [p for p in said if p not in writes.problems]  # "cannot be written" once
    by_path.update(stored)
    for rel, _, key in todo:
        cache[rel] = (key, by_path[rel])
        results[rel] = by_path[rel]
    return [(rel, results[rel]) for rel in sorted(results)]


def load_content(root: Path, config: Config, jobs: int | None = None, cache: dict | None = None,
                 drafts: bool = False, store=None, saved: set[str] | None = None) -> Loaded:
    """Read every content file under root/content; `cache` (kept by the preview) spares unchanged files, and
    `saved` (the paths saved since the last load with this `cache`) spares looking at the others at all.

    With `drafts` false (a build), `link` leaves drafts out, and articles mark no passage of a draft claim.
    """
    cache = {} if cache is None else cache
    jobs = jobs or os.cpu_count() or 1
    problems: list[Problem] = []
    unreadable: set[str] = set()

    def keep(kind: str, results):
        out = []
        for path, (record, found) in results:
            problems.extend(found)
            if record is not None:
                out.append(record)
            else:
                unreadable.add(f"{kind}/{Path(path).stem}")
        return tuple(out)

    def load(kind: str, loader, args: tuple = (), jobs: int = 1):
        refused = link_out(root, f"content/{kind}")  # content/pages → /elsewhere: none of its files is read
        if refused:
            problems.append(refused)
            return ()
        return keep(kind, _load_kind(root, kind, loader, args, cache, jobs, store, saved))

    media, found = scan_media(root)
    problems += found
    problems += [Problem(Src(config.src.path, config.media.get("regions_line", 1)), f"[media.regions] blurs {src!r}, which "
                         f"is not an image under content/media/{did_you_mean(src, media)}")
                 for src in config.media.get("regions", {}) if src not in media]
    sizes = {src: (m.width, m.height) for src, m in media.items()}
    problems += [Problem(Src(config.src.path, config.media.get("regions_line", 1)),
                         f"[media.regions] {src!r}: {missed}")
                 for src, boxes in config.media.get("regions", {}).items() if src in sizes
                 if (missed := blurs_nothing(boxes, *sizes[src]))]
    widths = config.media.get("widths", WIDTHS)
    outlets = load("outlets", load_outlet)
    actors = load("actors", load_actor)
    claims = load("claims", load_claim, (config.trusted_html, config.require_archive, sizes, widths), jobs)
    pages = load("pages", load_page, (config.trusted_html, sizes, widths))
    titles = {c.slug: c.title for c in claims}
    renamed = {c.slug: c.aliases for c in claims if c.aliases}
    hidden = frozenset() if drafts else frozenset(c.slug for c in claims if c.draft)
    articles = load("articles", load_article, (titles, config.trusted_html, config.language, hidden, renamed, sizes,
                                               widths), jobs)
    return Loaded(articles, claims, actors, outlets, tuple(problems), pages, frozenset(unreadable), drafts,
                  tuple(media.values()))
