"""Markdown + the quotes to find → HTML with each passage wrapped in `<mark>`s, and where each was found.

Annotation happens inside Python-Markdown, on its ElementTree, after inline
parsing: a quote is matched against the *rendered* text, so emphasis, links
and line breaks inside a passage do not matter, and no HTML is parsed twice.
Matching folds runs of white space and typographic quotes, dashes and
ellipses (`fold`), then maps the match back to the text nodes it covers.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace

import markdown
import nh3
from markdown.treeprocessors import InlineProcessor, Treeprocessor

FOLD_TABLE = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2026": "...", "\u00a0": " ", "\u202f": " ",
})
SPACES = re.compile(r"\s+")
STASHED = re.compile("\x02[^\x03]*\x03?")  # Python-Markdown's placeholder for raw HTML (`<b>`), put back at the end
# What folding does not map one character to one: "…" (three), and a run of white space and placeholders (one
# space, or nothing when it holds no white space: `a<b>b</b>` reads "ab")
UNEVEN = re.compile(f"(?:\\s|{STASHED.pattern})+|\u2026")
BLOCKS = frozenset("p li h1 h2 h3 h4 h5 h6 blockquote pre td th dt dd div table tr ul ol hr br".split())
CONTEXT = 32  # characters of prefix and suffix kept for a TextQuoteSelector
TRAILING = re.compile("[.,;:!?)\\]\"'\u201d\u2019\u00bb\u2026]+")  # punctuation a footnote number goes after
NOTES = "passage-notes"  # class of the empty div left after each top-level block where passages end


def fold(text: str) -> str:
    """The form quotes are matched in: NFC, plain punctuation, single spaces."""
    return SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(FOLD_TABLE))


@dataclass(frozen=True, slots=True)
class Wanted:
    """A quote to find and mark: what the article's front matter asks for."""

    id: str
    claim: str
    quote: str
    stance: str
    href: str  # the claim page, relative to the article
    title: str  # the claim, for the marker's tooltip
    occurrence: int | None = None
    also: tuple[str, ...] = ()  # anchors the passage had before its claim was renamed: kept, so old links land


@dataclass(frozen=True, slots=True)
class Found:
    """Where a quote stands in the rendered text (`count` 1 when all is well)."""

    id: str
    count: int
    number: int = 0  # its place in reading order among the article's annotations, from 1
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    closest: str = ""


@dataclass(slots=True)
class _Slot:
    """One text node of the tree: `el.text` (tail=False) or `el.tail` (tail=True)."""

    el: ET.Element
    parent: ET.Element | None
    tail: bool
    start: int  # where its folded text begins in the whole folded text
    skip: int  # leading folded characters dropped (a space already emitted)
    folded: str
    gap: bool = False  # a block boundary stands between this text and the one before
    pieces: list = field(default_factory=list)  # (start, end, wanted index) in original indices
    imap: list[int] | None = None

    @property
    def text(self) -> str:
        return (self.el.tail if self.tail else self.el.text) or ""

    def index_map(self) -> list[int]:
        """For each folded character (after `skip`), its index in the original text; computed once."""
        if self.imap is None:
            text = self.text
            if len(self.folded) == len(text) and "\u2026" not in text:  # folding only shortens, but for "…":
                # the same length then means every character kept its place
                self.imap = list(range(self.skip, len(text)))
                return self.imap
            out: list[int] = []
            at = 0
            for m in UNEVEN.finditer(text):  # between these, folding maps one character to one
                out.extend(range(at, m.start()))
                if m.group() == "\u2026":
                    out.extend([m.start()] * 3)
                else:  # the run's one space stands where its first white space does; placeholders take none
                    space = SPACES.search(text, m.start(), m.end())
                    out.extend([space.start()] if space else [])
                at = m.end()
            out.extend(range(at, len(text)))
            self.imap = out[self.skip:]
        return self.imap


class AnnotateTree(Treeprocessor):
    """Finds the `wanted` quotes in the tree and wraps them; leaves one `Found` per quote in `found`."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self.wanted: list[Wanted] = []
        self.found: list[Found] = []
        self.text = ""

    def run(self, root: ET.Element) -> None:
        self.found = []
        slots, text = _collect(root)
        self.text = _visible(text).strip()
        if not self.wanted:
            return
        placed: list[tuple[int, int, int, _Slot, int]] = []  # (a, b, wanted index, last slot, its end)
        for index, w in enumerate(self.wanted):
            needle = fold(w.quote).strip()
            hits = _find_all(text, needle) if needle else []
            if w.occurrence is None:
                a = hits[0] if len(hits) == 1 else None
            else:
                a = hits[w.occurrence - 1] if 0 < w.occurrence <= len(hits) else None
            if a is None:
                self.found.append(Found(w.id, len(hits), closest="" if hits else _closest(text, needle)))
                continue
            b = a + len(needle)
            exact, start, end, (last_slot, last_end) = _place(slots, a, b, index)
            prefix, suffix = _around(slots, start, end)
            self.found.append(Found(w.id, 1, exact=exact, prefix=prefix, suffix=suffix))
            placed.append((a, b, index, last_slot, last_end))
        numbers = {p[2]: n for n, p in enumerate(sorted(placed, key=lambda p: (p[0], -p[1], p[2])), 1)}
        self.found = [replace(f, number=numbers.get(i, 0)) for i, f in enumerate(self.found)]
        markers = _markers(placed)
        anchored: set[str] = set()
        for slot in slots:
            if slot.pieces:
                _wrap(slot, self.wanted, numbers, markers.get(id(slot), {}), anchored)
        _leave_notes(root)


def _leave_notes(root: ET.Element) -> None:
    """After each top-level block whose passages end in it, an empty `div.passage-notes` naming them.

    Names and verdicts are not known yet; the article page puts each passage's note there when it renders.
    """
    for at, block in reversed(list(enumerate(root))):
        ids = [a.get("data-passage") for a in block.iter("a") if a.get("data-passage")]
        if ids:
            root.insert(at + 1, ET.Element("div", {"class": NOTES, "data-passages": " ".join(ids)}))


def _collect(root: ET.Element) -> tuple[list[_Slot], str]:
    """Every text node in document order, and the whole folded text they make."""
    slots: list[_Slot] = []
    parts: list[str] = []
    length = 0
    last_space = True
    gap = False

    def add(el: ET.Element, parent: ET.Element | None, tail: bool) -> None:
        nonlocal length, last_space, gap
        raw = (el.tail if tail else el.text) or ""
        if not raw:
            return
        if not unicodedata.is_normalized("NFC", raw):
            raw = unicodedata.normalize("NFC", raw)
            setattr(el, "tail" if tail else "text", raw)
        # as `fold` does, placeholders taking no room (text without them needs no call per run of spaces)
        folded = (UNEVEN.sub(_one_space, raw) if "\x02" in raw else SPACES.sub(" ", raw)).translate(FOLD_TABLE)
        skip = 1 if last_space and folded.startswith(" ") else 0
        slots.append(_Slot(el, parent, tail, length, skip, folded, gap))
        gap = False
        kept = folded[skip:]
        parts.append(kept)
        length += len(kept)
        if kept:
            last_space = kept.endswith(" ")

    def separate() -> None:
        nonlocal length, last_space, gap
        gap = True
        if not last_space:
            parts.append(" ")
            length += 1
            last_space = True

    def walk(el: ET.Element) -> None:
        if el.tag in BLOCKS:
            separate()
        add(el, None, False)
        for child in el:
            walk(child)
            if child.tag in BLOCKS:
                separate()
            add(child, el, True)

    walk(root)
    return slots, "".join(parts)


def _one_space(run: re.Match) -> str:
    if run.group() == "\u2026":
        return run.group()
    return " " if SPACES.search(run.group()) else ""


def _visible(text: str) -> str:
    """Text without Python-Markdown's placeholders for raw HTML."""
    return STASHED.sub("", text)


def _find_all(text: str, needle: str) -> list[int]:
    hits, i = [], text.find(needle)
    while i >= 0:
        hits.append(i)
        i = text.find(needle, i + 1)
    return hits


def _closest(text: str, needle: str) -> str:
    """The passage of `text` most like `needle`, for a 'did you mean': from the word the quote's first matched
    letters stand in to the word its last ones do (a quote that misses a word, or has one more, still starts and
    ends where it does), never with punctuation the quote does not reach."""
    if not needle or not text:
        return ""
    m = difflib.SequenceMatcher(None, text, needle, autojunk=False).find_longest_match(0, len(text), 0, len(needle))
    if not m.size:
        return ""
    slack = len(needle) // 2 + 8  # room for the words the quote misses
    lo, hi = max(0, m.a - m.b - slack), min(len(text), m.a - m.b + len(needle) + slack)
    blocks = [b for b in difflib.SequenceMatcher(None, text[lo:hi], needle, autojunk=False).get_matching_blocks()
              if b.size]
    kept = [b for b in blocks if b.size >= min(4, len(needle))] or [max(blocks, key=lambda b: b.size)]
    while len(kept) > 1 and _stray(kept[0], kept[1], len(needle)):  # a few letters met by chance in the slack
        kept.pop(0)
    while len(kept) > 1 and _stray(kept[-2], kept[-1], len(needle)):
        kept.pop()
    start, end = lo + kept[0].a, lo + kept[-1].a + kept[-1].size
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():  # whole words
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    best = text[start:end].strip()
    return best if difflib.SequenceMatcher(None, best, needle).ratio() >= 0.5 else ""


def _stray(first, second, size: int) -> bool:
    """Whether two matched blocks lie much farther apart in the text than in the quote (`size` long)."""
    apart_in_text, apart_in_quote = second.a - first.a - first.size, second.b - first.b - first.size
    return apart_in_text - apart_in_quote > max(12, size // 3)


def _place(slots: list[_Slot], a: int, b: int, index: int) -> tuple[str, tuple, tuple, tuple]:
    """Record the pieces of original text the folded range [a, b) covers.

    Returns the passage as the page shows it; where it starts and ends, as (slot number, index);
    and where its last marked piece ends, as (slot, index), for the marker.
    """
    exact: list[str] = []
    prev_end = None
    last = (slots[0], 0)
    span = []
    for n, slot in enumerate(slots):
        s_start = slot.start
        lo, hi = max(a, s_start), min(b, s_start + len(slot.folded) - slot.skip)
        if lo >= hi:
            continue
        imap = slot.index_map()
        o_start, o_end = imap[lo - s_start], imap[hi - 1 - s_start] + 1
        piece = _visible(slot.text[o_start:o_end])
        span.append(((n, o_start), (n, o_end)))
        if prev_end is not None and lo > prev_end:
            exact.append(" ")
        exact.append(piece)
        prev_end = hi
        if piece.strip():  # marked around raw HTML's placeholders, never over one: a mark cuts no tag in two
            cuts = [o_start, *(x for m in STASHED.finditer(slot.text, o_start, o_end) for x in m.span()), o_end]
            slot.pieces += [(s, e, index) for s, e in zip(cuts[::2], cuts[1::2]) if slot.text[s:e].strip()]
            last = (slot, o_end)
    return SPACES.sub(" ", "".join(exact)).strip(), span[0][0], span[-1][1], last


def _around(slots: list[_Slot], start: tuple[int, int], end: tuple[int, int]) -> tuple[str, str]:
    """The text a reader sees just before and just after a passage, CONTEXT characters each."""
    (first, at), (last, to) = start, end
    before, k = [slots[first].text[:at]], first
    while k > 0 and _seen(before) < 2 * CONTEXT:
        before += [" "] if slots[k].gap else []
        k -= 1
        before.append(slots[k].text)
    after, k = [slots[last].text[to:]], last
    while k + 1 < len(slots) and _seen(after) < 2 * CONTEXT:
        k += 1
        after += [" ", slots[k].text] if slots[k].gap else [slots[k].text]
    prefix = SPACES.sub(" ", _visible("".join(reversed(before))))
    suffix = SPACES.sub(" ", _visible("".join(after)))
    return prefix[-CONTEXT:].lstrip(), suffix[:CONTEXT].rstrip()


def _seen(texts: list[str]) -> int:
    """How many characters a reader sees of these text nodes: raw HTML takes none, a run of white space one."""
    return sum(len(SPACES.sub(" ", _visible(t))) for t in texts)


def _markers(placed: list[tuple[int, int, int, _Slot, int]]) -> dict[int, dict[int, list[int]]]:
    """Where each annotation's link marker goes: {id(slot): {end: [wanted indexes]}}.

    Overlapping annotations form a run; all of a run's markers go where the
    run ends, so no marker ever lands inside another annotation's passage.
    """
    out: dict[int, dict[int, list[int]]] = {}
    run: list[tuple[int, int, int, _Slot, int]] = []
    for item in sorted(placed, key=lambda p: (p[0], -p[1])) + [None]:
        if run and (item is None or item[0] >= max(p[1] for p in run)):
            _, _, _, slot, end = max(run, key=lambda p: p[1])
            end = _after_punctuation(slot, end)
            out.setdefault(id(slot), {}).setdefault(end, []).extend(p[2] for p in run)
            run = []
        if item is not None:
            run.append(item)
    return out


def _after_punctuation(slot: _Slot, end: int) -> int:
    """Where a footnote number goes: after the punctuation that closes the passage ("Ukraina.³"), never inside a passage."""
    m = TRAILING.match(slot.text, end)
    if not m:
        return end
    return min([m.end(), *(max(s, end) for s, e, _ in slot.pieces if s < m.end() and e > end)])


def _wrap(slot: _Slot, wanted: list[Wanted], numbers: dict[int, int], markers: dict[int, list[int]], anchored: set[str]) -> None:
    """Split the slot's text into plain runs and nested `mark`s, then splice them into the tree."""
    text = slot.text
    holder = ET.Element("holder")
    stack: list[tuple[int, ET.Element]] = []  # open marks: (wanted index, element)
    cuts = sorted({0, len(text), *(p for s, e, _ in slot.pieces for p in (s, e)), *markers})
    for lo, hi in zip(cuts, cuts[1:]):
        indexes = [i for _, _, i in sorted((s, -e, i) for s, e, i in slot.pieces if s <= lo and hi <= e)]
        keep = 0
        while keep < min(len(stack), len(indexes)) and stack[keep][0] == indexes[keep]:
            keep += 1
        del stack[keep:]
        for i in indexes[keep:]:
            w = wanted[i]
            mark = ET.SubElement(stack[-1][1] if stack else holder, "mark", {
                "class": f"ann ann-{w.stance}", "data-claim": w.claim, "data-stance": w.stance, "data-ann": w.id})
            if w.id not in anchored:
                mark.set("id", w.id)
                anchored.add(w.id)
                for old in w.also:  # an empty element at the passage's start for each anchor it had before
                    ET.SubElement(mark, "span", {"id": old, "class": "ann-alias"})
            stack.append((i, mark))
        _append_text(stack[-1][1] if stack else holder, text[lo:hi])
        if hi in markers:
            del stack[:]
            for i in markers[hi]:
                holder.append(_marker(wanted[i], numbers[i]))
    _splice(slot, holder)


def _marker(w: Wanted, number: int) -> ET.Element:
    sup = ET.Element("sup", {"class": "ann-ref"})
    link = ET.SubElement(sup, "a", {"href": w.href, "title": w.title, "data-claim": w.claim, "data-passage": w.id,
                                    "class": f"ann-ref-{w.stance}"})
    link.text = str(number)
    return sup


def _append_text(el: ET.Element, text: str) -> None:
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


def _splice(slot: _Slot, holder: ET.Element) -> None:
    if slot.tail:
        slot.el.tail = holder.text
        parent, at = slot.parent, list(slot.parent).index(slot.el) + 1
    else:
        slot.el.text = holder.text
        parent, at = slot.el, 0
    for k, child in enumerate(list(holder)):
        parent.insert(at + k, child)


class SiteLinks(Treeprocessor):
    """Rewrites site-relative links (`/claims/x/`) to be relative to the page; records their targets."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self.root_prefix = "../../"
        self.targets: list[str] = []

    def run(self, root: ET.Element) -> None:
        self.targets = []
        for el in root.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if value and value.startswith("/") and not value.startswith("//"):
                    self.targets.append(value)
                    el.set(attr, self.root_prefix + value[1:])


# What any of Python-Markdown's inline patterns needs to match: text without these is returned as it is.
KNOWN_INLINE = {"backtick", "escape", "reference", "link", "image_link", "image_reference", "short_reference",
                "short_image_ref", "autolink", "automail", "linebreak", "html", "entity", "em_strong", "cite"}
INLINE_TRIGGERS = re.compile(r"[`\\\[\]!<>&*_]|  \n|\x02")


class QuickInline(InlineProcessor):
    """Python-Markdown's inline step, minus trying every pattern on text none of them can match.

    Most paragraphs of an article are plain prose; this halves the cost of rendering one.
    """

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if patternIndex == 0 and not INLINE_TRIGGERS.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


BRACKETS = re.compile(r"[\[\]]")


def bracket_ends(data: str) -> list[int | None]:
    """What Python-Markdown's link patterns' `_findBracketEnds` gives (for each index of `data`, the index just
    past the `]` that closes a bracket opened before it, or None), found a stretch between brackets at a time:
    Python-Markdown steps through every character of every paragraph with a `[`, a tenth of reading an article."""
    ends: list[int | None] = [None] * (len(data) + 1)
    stack: list[tuple[int, int, int]] = []  # stretches still open: (first index, last index + 1, depth before)
    depth, start = 0, 0
    for at in (*(m.start() for m in BRACKETS.finditer(data)), len(data)):
        while stack and depth < stack[-1][2]:  # the indexes of these stretches are closed at `start`
            first, stop, _ = stack.pop()
            ends[first:stop] = [start] * (stop - first)
        stack.append((start, at + 1, depth))
        if at < len(data):
            depth += 1 if data[at] == "[" else -1
        start = at + 1
    return ends


class Annotator(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        if set(md.inlinePatterns._data) <= KNOWN_INLINE:  # another extension's pattern may need other characters
            md.treeprocessors.register(QuickInline(md), "inline", 20)
        for pattern in md.inlinePatterns:
            if hasattr(pattern, "_findBracketEnds"):  # Python-Markdown 3.8's: each finds the same brackets faster
                pattern._findBracketEnds = bracket_ends
        # After inline parsing (20) and unescaping (0): the text is what the page shows.
        md.treeprocessors.register(AnnotateTree(md), "annotate", -10)
        md.treeprocessors.register(SiteLinks(md), "site_links", -20)


SAFE_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "srcset", "sizes", "decoding"},
    "td": {"align", "colspan", "rowspan"}, "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"}, "time": {"datetime"}, "abbr": {"title"},
}


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    text: str  # the text a reader sees, folded
    found: tuple[Found, ...]
    links: tuple[str, ...]  # site-relative link targets, as written
    cited: tuple[str, ...] = ()  # the keys of its `[@ID]` citations, in order (evidence.Cite)
    images: tuple[tuple[str, str], ...] = ()  # (an image's src, what is wrong with it), for each problem (evidence.Images)


class MarkdownError(ValueError):
    """Text that Python-Markdown cannot take, such as emphasis or lists nested thousands deep."""


class Renderer:
    """One reusable Markdown converter (building one costs more than a page)."""

    def __init__(self, trusted_html: bool = False):
        from markdown.extensions.sane_lists import SaneListExtension
        from markdown.extensions.tables import TableExtension

        from .evidence import Evidence
        # the extensions themselves, not their names: a name is looked up among every installed package's entry
        # points, 37 ms in each process that builds a converter (a warm build at 1 000 articles takes about 1 s)
        self.md = markdown.Markdown(extensions=[TableExtension(), SaneListExtension(), Annotator(), Evidence()])
        self.trusted_html = trusted_html

    def render(self, text: str, wanted: list[Wanted] = (), depth: int = 2, sources: frozenset[str] | None = None,
               media: dict | None = None, widths: tuple[int, ...] | None = None) -> Rendered:
        """`depth`: how many folders deep the page stands (`claims/x/`: 2), for its site-relative links.

        `sources`: the ids `[@ID]` may cite (a claim's analysis), or None where citations are plain text;
        `media`: content/media/'s images ("media/FILE" → width, height), served in `widths`."""
        from .evidence import WIDTHS, raw_images
        cite, images = self.md.inlinePatterns["cite"], self.md.treeprocessors["images"]
        cite.sources, cite.cited = sources, []
        images.media, images.prefix, images.seen = media or {}, "../" * depth, []
        images.widths = widths or WIDTHS
        annotate = self.md.treeprocessors["annotate"]
        annotate.wanted, annotate.found, annotate.text = list(wanted), [], ""  # nothing left from the last text
        links = self.md.treeprocessors["site_links"]
        links.root_prefix, links.targets = "../" * depth, []  # an empty text runs no treeprocessor: none kept
        try:
            html = self.md.reset().convert(text)
        except RecursionError:
            raise MarkdownError("the text nests emphasis, lists or quotes too deeply to be read "
                                "(thousands of '*', '>' or indents in a row?)") from None
        if not self.trusted_html:
            html = nh3.clean(html, attributes=SAFE_ATTRIBUTES, generic_attribute_prefixes={"data-"},
                             link_rel=None)
        found = annotate.found or [Found(w.id, 0) for w in wanted]  # an empty text: the tree is never walked
        seen = [*images.seen, *raw_images(self.md.htmlStash.rawHtmlBlocks, images.media)]
        return Rendered(html, annotate.text, tuple(found), tuple(links.targets), tuple(cite.cited), tuple(seen))
