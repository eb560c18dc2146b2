"""Plain text of an article, or a claim's title, or an actor's name → a new content file, and what was changed.

`new_article` keeps every word of the copy, in order: it only adds paragraph
breaks (one per line of the copy, and where a sentence end runs straight into
the next sentence, `Rusia.Pemimpin`). What looks like copy debris (`date
2023-09`) is kept as a paragraph of its own and reported, never dropped: the
article file is the outlet's text word for word, and deleting is the
fact-checker's call. Nothing is ever overwritten; a file is written whole or
not at all, and only once the project's own loader has read it back without
an error other than those the note asks the user to fix.
"""
from __future__ import annotations

import datetime
import html
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .annotate import Renderer, fold
from .config import SLUG, load_config
from .errors import Problem, SiteError, Src, did_you_mean
from .fields import split_front_matter, suggest_slug
from .load import KINDS, load_actor, load_article, load_claim, load_outlet
from .source import control_problems
from .urls import make_slug

TITLE_PLACEHOLDER = "TODO: the article's title"  # an error in check and build until it is replaced
DRAFT = "draft: true  # a draft until an editor deletes this line: a build leaves it out"
TITLE_MAX_WORDS = 16
DEBRIS = re.compile(r"(?i)^(?:date|tanggal|published)[:\s]+(\d{4}-\d{2}(?:-\d{2})?)\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
NUMERIC_DATE = re.compile(r"\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\b")  # 5/9/2023, 05-09-2023: day first, as Indonesian
# outlets write it
DATELINE = re.compile(r"^(.{0,80}?)\s(?:--?|\u2013|\u2014)\s")  # "JAKARTA, KOMPAS.com - …", "Jakarta (ANTARA) – …"
WEEKDAY_DATE = re.compile(r"\b[A-Z][a-z]+ \((\d{1,2}([/.-])\d{1,2}\2\d{4})\)")  # "Selasa (5/9/2023)"
DATE_LINE_WORDS = 6
URL_LINE = re.compile(r"(?i)^(?:(?:url|link|source|sumber)\s*:?\s*)?(https?://\S+)$")
# A photo caption pasted after a paragraph's last sentence: "… oleh Rusia. Putin disambut di Pyongyang (RIA Novosti)"
CAPTION = re.compile(r"[.!?][\"\u201d]?\s+([A-Z][^.!?]*\([^()]+\))$")
CLOSING = "\u201d\u2019"  # typographic closing quotes
OPENING = "\u201c\u2018"


@dataclass(frozen=True, slots=True)
class Created:
    """A content file written: its site-relative path and what the user should know (changes, guesses, TODOs)."""

    path: str
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Copy:
    """A plain-text copy turned into Markdown paragraphs, and what was found in it."""

    text: str  # the Markdown body: the copy's words, paragraphs separated by blank lines
    title: str  # "" when no line looks like a title
    published: str  # YYYY-MM-DD or YYYY-MM, or ""
    url: str
    notes: tuple[str, ...]


# -- plain text → paragraphs ---------------------------------------------------

def glue_points(line: str) -> list[int]:
    """Where a line should break: sentences run together ("Rusia.Pemimpin"), a photo caption after the last one."""
    points, quoted = [], False
    for i, c in enumerate(line):
        if c in OPENING:
            quoted = True
        elif c in CLOSING:
            quoted = False
        elif c == '"':
            quoted = not quoted
        if c not in ".!?:" or i + 1 >= len(line) or _initial(line, i) or _in_address(line, i):
            continue
        at = i + 1
        nxt = line[at]
        if nxt in CLOSING or (nxt == '"' and quoted):  # the quote closes with the sentence: break after it
            at += 1
        if _starts_sentence(line[at:], line[i - 1] if i else ""):
            points.append(at)
    caption = CAPTION.search(line)
    if caption and caption.start(1) > (points[-1] if points else 0):
        points.append(caption.start(1))
    return points


def _initial(line: str, i: int) -> bool:
    """A dot after a lone capital ("J.", "U.S.") ends an initial, not a sentence."""
    return line[i] == "." and i >= 1 and line[i - 1].isupper() and (i < 2 or not line[i - 2].isalpha())


def _in_address(line: str, i: int) -> bool:
    """Inside a web or e-mail address ("https://www.BBC.com/News", "redaksi@Antara.com"), nothing is a sentence end."""
    start = line.rfind(" ", 0, i) + 1
    end = line.find(" ", i)
    token = line[start:end if end >= 0 else len(line)]
    return "://" in token or token.lower().startswith("www.") or "@" in token


def _starts_sentence(rest: str, before: str) -> bool:
    """A capitalised word, or an opening quote before one; an all-capitals word ("KTT") only after a small letter,
    so that "TRIBUNNEWS.COM" stays whole."""
    m = re.match(r"[\"'\u201c\u2018]{0,2}(\w+)", rest)
    if not m or m.start(1) == 0 and rest[0] in "\"'" or not m.group(1)[0].isupper():
        return False
    word = m.group(1)
    return m.start(1) > 0 or any(ch.islower() for ch in word[1:]) or before.islower() or before.isdigit()


def paragraphs(copy: str) -> tuple[list[tuple[int, str]], list[str]]:
    """The copy's paragraphs, each with the line of the copy it comes from, and notes on the breaks added."""
    out: list[tuple[int, str]] = []
    breaks: list[str] = []  # where a break was put into a line, as "…nanti?|Kremlin…"
    for number, line in enumerate(copy.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        at = 0
        m = DEBRIS.match(line) if not out else None
        if m and line[m.end():].strip():
            out.append((number, line[:m.end()]))
            at = m.end()
        for point in glue_points(line):
            if point > at:
                out.append((number, line[at:point].strip()))
                breaks.append(f"line {number}: {line[max(at, point - 12):point].lstrip()}|{line[point:point + 12]}")
                at = point
        out.append((number, line[at:].strip()))
    notes = []
    if breaks:
        shown = "; ".join(repr(b) for b in breaks[:6]) + (f"; and {len(breaks) - 6} more" if len(breaks) > 6 else "")
        notes.append(f"inserted {len(breaks)} paragraph break{'s' * (len(breaks) != 1)} where sentences (or a photo "
                     f"caption) ran together: {shown}")
    lines = [line.strip() for line in copy.splitlines()]
    joined = sum(1 for a, b in zip(lines, lines[1:]) if a and b)
    if joined:
        notes.append(f"made {joined} line break{'s' * (joined != 1)} of the copy paragraph breaks (Markdown would "
                     f"join the lines)")
    return out, notes


def _ranges(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:12]))
    return shown + (f" and {len(numbers) - 12} more" if len(numbers) > 12 else "")


def _escape_markdown(paragraph: str, renderer: Renderer) -> tuple[str, bool]:
    """The paragraph, with escapes only where Markdown would otherwise change what the page shows."""
    if shown_text(renderer.render(paragraph).html) == fold(paragraph).strip():
        return paragraph, False
    escaped = re.sub(r"([\\`*_\[\]])", r"\\\1", paragraph)
    escaped = re.sub(r"&(?=#?\w+;)", "&amp;", escaped).replace("<", "&lt;")
    escaped = re.sub(r"^(\d+)([.)])(?=\s)", r"\1\\\2", escaped)
    escaped = re.sub(r"^([-+=#>])", r"\\\1", escaped)
    return escaped, True


def shown_text(html_text: str) -> str:
    """What a browser shows of rendered HTML, folded as quotes are matched."""
    return fold(html.unescape(re.sub(r"<[^>]*>", " ", html_text))).strip()


def read_copy(copy: str, months: list[str], trusted_html: bool = False) -> Copy:
    """A plain-text copy of an article → its Markdown body and what can be guessed from it."""
    copy = copy.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    paras, notes = paragraphs(copy)
    if not paras:
        raise ValueError("the copy has no text")
    body, escaped, renderer = [], [], Renderer(trusted_html)
    for number, text in paras:
        text, changed = _escape_markdown(text, renderer)
        body.append(text)
        if changed:
            escaped.append(number)
    lines = [line.strip() for line in copy.splitlines()]
    if escaped:
        notes.append(f"escaped Markdown characters with a backslash on line{'s' * (len(escaped) != 1)} "
                     f"{_ranges(sorted(set(escaped)))}, so that the page shows them as the copy has them")
    first = next(line for line in lines if line)
    debris = DEBRIS.match(first)
    if debris:
        notes.append(f"line 1 starts with {debris.group(0)!r}, which looks like debris of the copy: kept as a "
                     f"paragraph of its own so that the text stays word for word; delete it if it is not the article's")
    title = _title(first, paras) if not debris else ""
    if title:
        notes.append(f"title: taken from line 1 of the copy ({title!r}); the line stays in the text too, "
                     f"delete it there if the page should not repeat it")
    else:
        notes.append(f"title: no line of the copy looks like a title; write it in place of {TITLE_PLACEHOLDER!r}")
    lead = _dateline(paras[1][1]) if title and len(paras) > 1 else paras[0][1]
    published, where = (debris.group(1), debris.group(0)) if debris else _date(lead, months)
    if published:
        notes.append(f"published: {published}, read from {where!r}; check it")
    else:
        notes.append("published: no date found in the copy; write it where the TODO says (check reports it until then)")
    url = next((m.group(1) for line in lines if (m := URL_LINE.match(line))), "")
    if url:
        notes.append(f"url: {url}, found in the copy (kept in the text too)")
    return Copy("\n\n".join(body) + "\n", title, published, url, tuple(notes))


def _title(first: str, paras: list[tuple[int, str]]) -> str:
    words = first.split()
    ends_sentence = first.rstrip("\"'\u201d\u2019)").endswith((".", "!", "?", ":", ";", ","))
    if len(paras) < 2 or paras[0][1] != first or len(words) > TITLE_MAX_WORDS or ends_sentence:
        return ""
    return first


def _dateline(text: str) -> str:
    """What of the paragraph after a title line dates the article: a line of little else (`Selasa, 05 Sep 2023
    14:30 WIB`), the dateline before the first dash (`JAKARTA, 5/9/2023 - …`), a weekday's date in brackets
    (`…, Selasa (5/9/2023), …`); not a date the text speaks of (`tiba pada 19 Juni 2024`)."""
    if len(text.split()) <= DATE_LINE_WORDS:
        return text
    found = [m.group(1) for m in [DATELINE.match(text), *WEEKDAY_DATE.finditer(text)] if m]
    return " ".join(found)


def _date(text: str, months: list[str]) -> tuple[str, str]:
    """A full date in the first paragraph, as (YYYY-MM-DD, the words it was read from), or ("", "")."""
    candidates = []
    if m := ISO_DATE.search(text):
        candidates.append((m.start(), m.group(0), m.group(0)))
    if m := NUMERIC_DATE.search(text):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if month > 12 >= day:  # only a month-first date can have a 13th month
            day, month = month, day
        candidates.append((m.start(), f"{year:04d}-{month:02d}-{day:02d}", m.group(0)))
    names = "|".join(re.escape(name) for name in months) + "".join(f"|{re.escape(name[:3])}" for name in months)
    if months and (m := re.search(rf"\b(\d{{1,2}}) ({names})\.? (\d{{4}})\b", text, re.I)):  # "5 Sep 2023" too
        month = next(n for n, name in enumerate(months, 1) if name.lower().startswith(m.group(2).lower()))
        candidates.append((m.start(), f"{int(m.group(3)):04d}-{month:02d}-{int(m.group(1)):02d}", m.group(0)))
    for _, iso, where in sorted(candidates):
        if _valid_date(iso):
            return iso, where
    return "", ""


def _valid_date(iso: str) -> bool:
    try:
        datetime.date.fromisoformat(iso)
    except ValueError:
        return False
    return True


# -- front matter and files ------------------------------------------------------

def quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML): `: `, `#`, a leading `*` round-trip."""
    return json.dumps(value, ensure_ascii=False)


def article_text(copy: Copy, outlet: str, post: bool = False, account: str = "") -> str:
    lines = ["---", f"title: {quoted(copy.title or TITLE_PLACEHOLDER)}", f"outlet: {outlet}"]
    if post:
        lines += ["kind: post", f"account: {quoted(account)}" if account else
                  "# TODO account: the account that posted it, as the platform shows it",
                  "# archive_url: an archived copy (web.archive.org, archive.today)",
                  "# screenshot: {src: media/FILE, alt: what the screenshot shows}"]
    if copy.published:
        lines.append(f"published: {copy.published}  # read from the copy: check it")
    else:
        lines.append("# TODO published: YYYY-MM-DD (or YYYY-MM): no date was found in the copy")
    if copy.url:
        lines.append(f"url: {quoted(copy.url)}")
    elif post:  # the address a reader checks the post against, unless it has none (a forwarded message)
        lines.append("# url: the post's address (leave it out for a forwarded message or a removed post)")
    lines += ["annotations: []", "---", copy.text]
    return "\n".join(lines)


def claim_text(title: str) -> str:
    return "\n".join(["---", f"title: {quoted(title)}", DRAFT, "# verdict: a key of [[verdicts]] in site.toml",
                      "# reviewed: YYYY-MM-DD", "# summary: one or two sentences", "# topics: []", "---", ""])


def actor_text(name: str, kind: str) -> str:
    return "\n".join([f"name: {quoted(name)}", f"kind: {kind}", DRAFT, "# role: …",
                      "# affiliation: another actor's SLUG",
                      "# aliases: [other names used in texts]", ""])


def write_new(path: Path, text: str) -> None:
    """Write `text` to a new file at `path`, whole or not at all; never replace an existing file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        try:
            os.link(tmp, path)  # fails if the path exists: no window in which another file could be replaced
        except FileExistsError:
            raise
        except OSError:  # no hard links on this file system: exclusive create, then fill it
            with open(path, "x", encoding="utf-8", newline="\n") as f:
                f.write(text)
    finally:
        os.unlink(tmp)


# -- the commands ------------------------------------------------------------------

def new_file(root: Path, what: str, slug: str | None, options: dict) -> Created:
    """`new article|claim|actor [SLUG]` with the command line's options (`outlet`, `source`, `title`, `name`, `kind`).

    Without a SLUG, one is made from the claim's title, the actor's name or the article's title line, in any
    script (`make_slug`: Сергей Шойгу → sergei-shoigu).
    """
    if what == "article":
        return new_article(root, slug, options["outlet"], Path(options["source"]))
    if what == "post":
        return new_article(root, slug, options["platform"], Path(options["source"]), post=True,
                           account=options.get("account") or "")
    if what == "claim":
        return new_claim(root, slug, options["title"])
    return new_actor(root, slug, options["name"], options["kind"])


def _slug_for(slug: str | None, name: str, kind: str, what: str) -> tuple[str | None, tuple[str, ...], list[Problem]]:
    """The SLUG given, or one made from `name` (None: none could be); the note saying so; a Problem when none can
    be made."""
    if slug is not None:
        return slug, (), []
    made = make_slug(name) or None
    if not made:
        why = f"no SLUG given, and none can be made from the {what} {name.strip()!r}: give one"
        return None, (), [Problem(Src(f"content/{kind}/", 1), why)] if name.strip() else []  # blank: its own error
    return made, (f"slug: {made!r}, made from the {what}: rename the file now if you want another, before it is "
                  f"published under that address",), []


def new_article(root: Path, slug: str | None, outlet: str, source: Path, post: bool = False,
                account: str = "") -> Created:
    """content/articles/SLUG.md from a plain-text copy (`post`: a post on the platform `outlet`); SiteError when
    refused."""
    config = load_config(root)
    problems, copy = [], None
    try:
        text = source.read_text("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # any line ends, the old Mac's too
        problems += control_problems(text, str(source), first=True)
        copy = read_copy(text, list(config.strings.get("months", [])), config.trusted_html)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        problems.append(Problem(Src(str(source), 1), f"cannot read the copy: {e}"))
    slug, made, refused = _slug_for(slug, copy.title if copy else "", "articles", "copy's title line")
    if copy is not None and slug is None:
        problems += refused or [Problem(Src("content/articles/", 1), "no SLUG given, and the copy has no title line "
                                                                     "to make one from: give one")]
    rel = f"content/articles/{slug}.md" if slug is not None else "content/articles/"
    if slug is not None:
        problems += _slug_problems(root, rel, slug, "articles", (".md",))
    outlets = {p.stem: p for p in _kind_files(root, "outlets", (".yaml", ".yml"))}
    option = "--platform" if post else "--outlet"
    if outlet not in outlets:
        hint = did_you_mean(outlet, outlets) or f" (add content/outlets/{outlet}.yaml first)"
        problems.append(Problem(Src(rel, 1), f"{option}: no outlet {outlet!r} in content/outlets/{hint}"))
    elif post:
        record = load_outlet(outlets[outlet].relative_to(root).as_posix(), outlets[outlet].read_text("utf-8"))[0]
        if record is None or record.kind != "platform":
            platforms = [slug for slug, p in outlets.items() if "kind: platform" in p.read_text("utf-8")]
            problems.append(Problem(Src(rel, 1), f"--platform: {outlet!r} is not an outlet of kind platform "
                                                 f"(platforms: {', '.join(platforms) or 'none yet'})"))
    if problems:
        raise SiteError(problems)
    text = article_text(copy, outlet, post, account.strip())
    _, found = load_article(rel, text, {}, config.trusted_html, config.language)
    expected = [] if copy.published else ["missing required field 'published'"]
    notes = made + copy.notes
    if post and not account.strip():
        expected.append("missing required field 'account': the account that posted it, as the platform shows it")
        notes += ("account: not given (--account); write it where the TODO says (check reports it until then)",)
    if not copy.title:  # the placeholder check and build report until the title is written
        expected.append(f"placeholder TODO in 'title': {TITLE_PLACEHOLDER!r}: write the real value "
                        f"(nothing unfinished is published)")
    _refuse_unexpected(found, expected)
    return _create(root, rel, text, notes)


def new_claim(root: Path, slug: str | None, title: str) -> Created:
    load_config(root)
    slug, made, problems = _slug_for(slug, title, "claims", "title")
    rel = f"content/claims/{slug}.md" if slug is not None else "content/claims/"
    if slug is not None:
        problems += _slug_problems(root, rel, slug, "claims", (".md",))
    if not title.strip():
        problems.append(Problem(Src(rel, 1), "--title: a claim needs its title, stated as a statement"))
    if problems:
        raise SiteError(problems)
    text = claim_text(title.strip())
    _refuse_unexpected(load_claim(rel, text, False)[1], [])
    return _create(root, rel, text, made + ("write the analysis, in Markdown, below the front matter",
                                            "draft: true keeps it unpublished: delete that line once the claim "
                                            "is ready (a published claim needs its analysis)"))


def new_actor(root: Path, slug: str | None, name: str, kind: str) -> Created:
    load_config(root)
    slug, made, problems = _slug_for(slug, name, "actors", "name")
    rel = f"content/actors/{slug}.yaml" if slug is not None else "content/actors/"
    if slug is not None:
        problems += _slug_problems(root, rel, slug, "actors", (".yaml", ".yml"))
    if not name.strip():
        problems.append(Problem(Src(rel, 1), "--name: an actor needs a name"))
    if kind not in KINDS:
        problems.append(Problem(Src(rel, 1), f"--kind: unknown kind {kind!r}: use one of {', '.join(KINDS)}"
                                             f"{did_you_mean(kind, KINDS)}"))
    if problems:
        raise SiteError(problems)
    text = actor_text(name.strip(), kind)
    _refuse_unexpected(load_actor(rel, text)[1], [])
    return _create(root, rel, text, made + ("draft: true keeps it unpublished: delete that line once an "
                                            "annotation names the actor",))


def _slug_problems(root: Path, rel: str, slug: str, kind: str, suffixes: tuple[str, ...]) -> list[Problem]:
    if not SLUG.match(slug):
        better = suggest_slug(slug)
        return [Problem(Src(rel, 1), f"{slug!r} is not a valid SLUG: use lowercase letters, digits and hyphens "
                                     f"(like {better!r})")]
    taken = [p for p in _kind_files(root, kind, suffixes) if p.stem == slug]
    if taken:
        return [Problem(Src(rel, 1), f"the SLUG {slug!r} is taken: {taken[0].relative_to(root).as_posix()} exists "
                                     f"(nothing was written)")]
    if kind == "claims":
        for p in _kind_files(root, kind, suffixes):
            fields, _, _ = split_front_matter(p.read_text("utf-8"), p.name, [])
            aliases = fields.get("aliases") if isinstance(fields, dict) else None
            if slug in (aliases if isinstance(aliases, list) else [aliases]):
                return [Problem(Src(rel, 1), f"the SLUG {slug!r} is taken: it is an alias of "
                                             f"content/claims/{p.name}, so its URL already leads there")]
    return []


def _kind_files(root: Path, kind: str, suffixes: tuple[str, ...]) -> list[Path]:
    folder = root / "content" / kind
    return sorted(p for p in folder.iterdir() if p.suffix in suffixes and p.is_file()) if folder.is_dir() else []


def _refuse_unexpected(found: list[Problem], expected: list[str]) -> None:
    """The loader must read what we write: any other problem is our bug, and nothing is written."""
    unexpected = [p for p in found if p.message not in expected]
    if unexpected:
        raise SiteError([Problem(p.src, f"internal error, nothing written: the file would read as: {p.message}")
                         for p in unexpected])


def _create(root: Path, rel: str, text: str, notes: tuple[str, ...]) -> Created:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_new(path, text)
    except FileExistsError:
        raise SiteError([Problem(Src(rel, 1), "the file appeared while it was being written: nothing was written")])
    return Created(rel, notes)
