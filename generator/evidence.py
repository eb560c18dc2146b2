"""A claim's `sources:` and its analysis's `[@ID]` citations, a body's `![alt](media/FILE)` images → Source records,
HTML and the Problems found.

Both are handled inside Python-Markdown, as annotations are: an inline pattern turns `[@id]` (Pandoc's citation
form) into a numbered link to the claim's list of sources, numbered in the order of first citation; a tree processor
checks each image against content/media/ and gives it its sizes (`srcset`, `width`, `height`).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .config import LANGUAGE, SLUG
from .errors import Problem, Src, did_you_mean
from .media import WIDTHS, sized_name, sizes_of
from .model import Image, Source

SOURCE = {"id", "title", "publisher", "date", "url", "archive_url", "quote", "note", "language"}
# `[@a]`, `[@a; @b]`, `[@a, p. 3]` (a locator): a key is anything up to a space, `,`, `;` or `]`, so a mistyped one
# is reported, not left as text
ITEM = r"@[^\s;,\[\]]+(?:,[^;\[\]]*)?"
CITATION = rf"\[({ITEM}(?:\s*;\s*{ITEM})*)\]"
KEY = re.compile(r"@([^\s;,\[\]]+)(?:,([^;\[\]]*))?")
PASSAGE = re.compile(r"^/articles/[^/#]+/?#.+")  # a link to an article's passage: what an analysis may rest on
MEDIA = "media/"
SIZES = "(max-width: 46rem) 100vw, 44rem"  # how wide an image shows: the text's column (--measure), or the screen


# -- reading `sources:` ----------------------------------------------------------

def read_sources(r, require_archive: bool) -> tuple[Source, ...]:
    """The claim's sources, in the order written, each checked; `r` is the claim's `fields.Reader`."""
    items = r.fields.get("sources")
    if items is None:
        return ()
    if not isinstance(items, list):
        r.error("sources", "'sources' must be a list of '- id: …' / 'title: …' / 'publisher: …' / 'date: …' items")
        return ()
    out, seen = [], set()
    for n, item in enumerate(items, 1):
        s = type(r)(item, r.path, r.offset, r.problems, f" in source {n}", r.fields.lines.get("sources", 0))
        if not s.check(SOURCE, ("id", "title", "publisher", "date")):
            continue
        key = s.text("id")
        if not SLUG.match(key):
            s.error("id", f"source id {key!r} is not a valid SLUG: use lowercase letters, digits and hyphens")
            continue
        if key in seen:
            s.error("id", f"two sources have the id {key!r}")
            continue
        seen.add(key)
        url, archive = s.url("url"), s.url("archive_url")
        if url and not archive:
            s.problems.append(Problem(s.src("url"), f"source {key!r} has a url but no archive_url: archive it "
                                      "(web.archive.org, archive.today) so the evidence outlives the page",
                                      warning=not require_archive))
        language = s.text("language")
        if language and not LANGUAGE.match(language):  # it becomes the quote's lang attribute
            s.error("language", f"'language' must be a BCP 47 tag such as 'id' or 'en-GB': {language[:40]!r}")
            language = ""
        out.append(Source(key, s.text("title"), s.text("publisher"), s.date("date", month_ok=True), url, archive,
                          s.text("quote"), s.text("note"), s.src(), language=language))
    return tuple(out)


def cited_in_plain_text(r, keys=("title", "summary")) -> None:
    """A citation written in a claim's plain-text fields, which show as written (link previews, search, the feed,
    ClaimReview): an error at the field, pointing to the analysis."""
    for key in keys:
        m = re.search(CITATION, r.text(key))
        if m:
            r.error(key, f"{key!r} is plain text, shown as written in link previews, search and the feed: cite "
                         f"{m.group(0)} in the analysis below the front matter")


ARTICLE_KINDS = ("article", "post")


def read_post(r, media: dict, widths: tuple[int, ...]) -> tuple[str, str, Image | None]:
    """An article file's `kind`, and a post's `account` and `screenshot`; `r` is the file's `fields.Reader`."""
    kind, account = r.text("kind") or "article", r.text("account")
    if kind not in ARTICLE_KINDS:
        r.error("kind", f"unknown kind {kind!r}: use 'post' for a social-media post or message, or leave it out "
                        f"for a news article{did_you_mean(kind, ARTICLE_KINDS)}")
    elif kind == "post" and not account:
        r.error(None, "missing required field 'account': the account that posted it, as the platform shows it")
    for key in ("account", "screenshot"):
        if key in r.fields and kind == "article":
            r.error(key, f"{key!r} is for posts: add 'kind: post'")
    return kind, account, read_screenshot(r, media, widths) if kind == "post" else None


def read_screenshot(r, media: dict, widths: tuple[int, ...]) -> Image | None:
    """A post's `screenshot: {src: media/FILE, alt: "…", blur: [[x, y, w, h]]}`; `r` is the post's `fields.Reader`."""
    if r.fields.get("screenshot") is None:
        return None
    s = type(r)(r.fields["screenshot"], r.path, r.offset, r.problems, " in 'screenshot'",
                r.fields.lines.get("screenshot", 0))
    if not s.check({"src", "alt", "blur"}, ("src", "alt")):
        return None
    src, blur = s.text("src").removeprefix("/"), s.fields.get("blur") or []
    if empty := says_nothing(s.text("alt"), src):
        s.error("alt", empty)
    if src not in media:
        s.error("src", no_such_image(src, media) if src.startswith(MEDIA) else
                f"no such image: content/{src} (write media/FILE: the path is relative to content/)")
        return None
    if not isinstance(blur, list) or not all(isinstance(b, list) and len(b) == 4 and
                                             all(type(n) is int and n >= 0 for n in b) for b in blur):
        s.error("blur", "'blur' lists the boxes to blur, in pixels of the image: [[x, y, width, height], …]")
        blur = []
    width, height = media[src]
    if missed := blurs_nothing(blur, width, height):
        s.error("blur", missed)
    sizes = sizes_of(width, widths)
    return Image(src, s.text("alt"), sizes[-1], round(height * sizes[-1] / width),
                 tuple((sized_name(src, w, width), w) for w in sizes), tuple(tuple(b) for b in blur))


# alt texts that pass a validator and tell a reader who cannot see the image nothing
NAMELESS = {"image", "img", "picture", "photo", "screenshot", "gambar", "foto", "tangkapan layar",
            "ilustrasi", "illustration", "alt", "todo"}


def says_nothing(alt: str, src: str) -> str:
    """The message for alt text that is only a word like "foto" or the file's name ("IMG_2041", "peta.png": a
    plain word such as "Peta" for peta.png may well say what it shows); "" for any other."""
    words = " ".join(alt.lower().replace("-", " ").replace("_", " ").split())
    name = src.rsplit("/", 1)[-1].lower()
    stem = name.rpartition(".")[0]
    if words in NAMELESS or alt.lower() == name or (alt.lower() == stem and re.search(r"[\d_-]", stem)):
        return (f"alt text {alt!r} says nothing to a reader who cannot see the image: say what it shows "
                "(who posted what, what the chart or the photo shows)")
    return ""


def blurs_nothing(boxes, width: int, height: int) -> str:
    """The message for the first box that would blur nothing of a `width` × `height` image (outside it, or empty):
    a phone number left readable because a box was measured on another copy of the screenshot."""
    for x, y, w, h in boxes:
        if x >= width or y >= height or not w or not h:
            return (f"the box [{x}, {y}, {w}, {h}] blurs nothing: the image is {width} × {height} pixels "
                    "(x and y from its top left corner, width and height above 0)")
    return ""


def number_sources(sources: tuple[Source, ...], cited: tuple[str, ...]) -> tuple[Source, ...]:
    """The cited sources first, numbered in the order of first citation, then the others, unnumbered."""
    order = {key: n for n, key in enumerate(dict.fromkeys(cited), 1)}
    numbered = sorted((replace(s, number=order[s.id]) for s in sources if s.id in order), key=lambda s: s.number)
    return (*numbered, *(s for s in sources if s.id not in order))


def citation_problems(sources: tuple[Source, ...], cited: tuple[str, ...], body: str, path: str,
                      body_line: int) -> list[Problem]:
    """An unknown `[@ID]`, at the line it is written on."""
    known = {s.id for s in sources}
    out = []
    for key in dict.fromkeys(k for k in cited if k not in known):
        out.append(Problem(Src(path, body_line + _line(body, "@" + key)),
                           f"citation of an unknown source [@{key}]{did_you_mean(key, known)}"
                           + ("" if known else " (list it under 'sources:' in the front matter)")))
    return out


def rests_on_nothing(sources: tuple[Source, ...], links: tuple[tuple[str, int], ...]) -> bool:
    """Whether an analysis neither cites a source nor links a passage: a verdict with no evidence shown."""
    return not any(s.number for s in sources) and not any(PASSAGE.match(href) for href, _ in links)


def no_such_image(src: str, media) -> str:
    """The message for a missing image, with the file meant where one is close by name (by its stem: every path
    shares `media/` and most an extension, which would make any two look alike)."""
    import difflib
    names = {m.removeprefix(MEDIA).rpartition(".")[0]: m for m in media}
    close = difflib.get_close_matches(src.removeprefix(MEDIA).rpartition(".")[0], list(names), n=1, cutoff=0.6)
    return f"no such image: content/{src}" + (f" (did you mean {names[close[0]]!r}?)" if close else "")


def _line(body: str, needle: str) -> int:
    return next((i for i, line in enumerate(body.splitlines()) if needle in line), 0)


# -- in the Markdown step -----------------------------------------------------------

class Cite(InlineProcessor):
    """`[@id]` → `[<a href="#source-id">1</a>]`, numbered in the order of first citation; keys noted in `cited`.

    Only where `sources` is set (a claim's analysis): elsewhere the text stays as it is written.
    """

    def __init__(self, md: markdown.Markdown):
        super().__init__(CITATION, md)
        self.sources: frozenset[str] | None = None
        self.cited: list[str] = []

    def handleMatch(self, m: re.Match, data: str):  # noqa: N802
        if self.sources is None:
            return None, None, None
        sup = ET.Element("sup", {"class": "cite"})
        sup.text = "["
        keys = KEY.findall(m.group(1))
        for n, (key, locator) in enumerate(keys):
            first = key not in self.cited
            self.cited.append(key)
            if key not in self.sources:  # reported by `citation_problems`; shown as written meanwhile
                link = ET.SubElement(sup, "span")
                link.text = "@" + key
            else:
                number = list(dict.fromkeys(k for k in self.cited if k in self.sources)).index(key) + 1
                link = ET.SubElement(sup, "a", {"href": f"#source-{key}"})
                if first:
                    link.set("id", f"cite-{key}")
                link.text = str(number)
            locator = " ".join(locator.split())
            link.tail = (f", {locator}" if locator else "") + ("; " if n + 1 < len(keys) else "]")
        return sup, m.start(0), m.end(0)


class Images(Treeprocessor):
    """Checks every image of the tree: its `alt`, and that a `media/FILE` exists; gives the existing ones their sizes.

    Notes (src, problem) in `seen` for each thing wrong with an image.
    """

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self.media: dict[str, tuple[int, int]] = {}
        self.widths: tuple[int, ...] = WIDTHS
        self.prefix = "../../"
        self.seen: list[tuple[str, str]] = []

    def run(self, root: ET.Element) -> None:
        self.seen = []
        for img in root.iter("img"):
            src, alt = img.get("src", ""), (img.get("alt") or "").strip()
            local = src.removeprefix("/")
            if not alt:
                self.seen.append((src, "an image needs alt text, saying what it shows: ![what it shows](…)"))
            elif empty := says_nothing(alt, src):
                self.seen.append((src, empty))
            if local.startswith(MEDIA) and local not in self.media:
                self.seen.append((src, no_such_image(local, self.media)))
            elif local.startswith(MEDIA):
                width, height = self.media[local]
                sizes = sizes_of(width, self.widths)
                img.set("src", self.prefix + sized_name(local, sizes[-1], width))
                if len(sizes) > 1:
                    img.set("srcset", ", ".join(f"{self.prefix}{sized_name(local, w, width)} {w}w" for w in sizes))
                    img.set("sizes", SIZES)
                img.set("width", str(sizes[-1]))
                img.set("height", str(round(height * sizes[-1] / width)))
                img.set("loading", "lazy")
                img.set("decoding", "async")
            elif not re.match(r"(?i)https?://|/", src):  # a site path (/img/…) is left to the output's link check
                self.seen.append((src, f"image {src!r} points nowhere: put it under content/media/ and write "
                                       "media/FILE"))


RAW_IMG = re.compile(r"<img\b[^>]*>", re.I)
RAW_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
RAW_ALT = re.compile(r"""\balt\s*=\s*(?:"\s*[^"\s][^"]*"|'\s*[^'\s][^']*'|[^\s>"']+)""", re.I)


def raw_images(raw: list[str], media: dict) -> list[tuple[str, str]]:
    """Raw HTML `<img>` tags of a body, checked like Markdown's: (src, problem) for each problem."""
    out = []
    for block in raw:
        for tag in RAW_IMG.findall(block):
            m = RAW_SRC.search(tag)
            src = next((g for g in m.groups() if g is not None), "") if m else ""
            local = src.removeprefix("/")
            if not RAW_ALT.search(tag):
                out.append((src, "an image needs alt text, saying what it shows"))
            if local.startswith(MEDIA) and local not in media:
                out.append((src, no_such_image(local, media)))
            elif local.startswith(MEDIA):
                out.append((src, f"write the image as ![alt]({local}), so it is served in sizes for the screen"))
            elif not re.match(r"(?i)https?://|/", src):
                out.append((src, f"image {src!r} points nowhere: put it under content/media/ and write media/FILE"))
    return out


def image_problems(seen, body: str, path: str, body_line: int) -> list[Problem]:
    """Each bad image at the line it is written on."""
    return [Problem(Src(path, body_line + _line(body, src or "<img")), problem) for src, problem in seen]


class Evidence(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.inlinePatterns.register(Cite(md), "cite", 175)  # before links: `[@x]` is no reference link
        md.treeprocessors.register(Images(md), "images", -15)  # after inline parsing and unescaping
