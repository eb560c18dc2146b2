"""A site folder → the sentences of its articles that attribute a statement to someone and that no annotation covers.

A sentence is attributed when it holds one of the language's attribution verbs
(`attribution_verbs` in the theme's strings, so a site may change the list in
site.toml's `[strings]`); it is covered when any annotation's passage overlaps
it. Each comes with the actor it probably names: an actor whose name or alias
stands nearest the verb, outside quotation marks, on the side where the
speaker stands (after verbs listed in `attribution_after`, such as `kata`, or
a verb that follows a comma or a closing quote; before it otherwise). This is
advice for the fact-checker, never an error.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from .annotate import fold
from .config import _load_strings, load_config
from .errors import Src
from .load import load_content, split_front_matter
from .model import Actor, Article

SHOWN = 160  # characters of a sentence shown in the report
# A sentence ends at . ! ? (and the quotes or brackets closing with it) before a space and a capital, digit or
# quote, or straight before a capitalised word where a copy lost the space ("Rusia.Pemimpin").
BOUNDARY = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9]|[\"']?[A-Z][a-z])")
CLAUSE = ",;\""  # what ends the clause of a verb: its speaker is named inside it
SURNAME_MIN = 4  # a person's last name alone is taken for them only when it is at least this long
CLAIM_SHARE = 0.45  # a claim is named as probable when the sentence holds this share of its title's weighted words


@dataclass(frozen=True, slots=True)
class Unannotated:
    """An attributed sentence no annotation covers: where it starts, its text, the verb, the probable speaker."""

    src: Src
    sentence: str
    verb: str
    actor: str  # an actor's slug, or "" when no actor's name stands near the verb
    named: str  # the capitalised words taken for the speaker when no actor matched, or ""
    claim: str = ""  # the existing claim the sentence probably makes, or ""

    def __str__(self) -> str:
        shown = self.sentence if len(self.sentence) <= SHOWN else self.sentence[:SHOWN - 1].rstrip() + "\u2026"
        who = self.actor or (f"{self.named!r}, not among the actors" if self.named else "nobody named")
        about = f" \u2014 claim? {self.claim}" if self.claim else ""
        return f"{self.src}: unannotated attribution: \"{shown}\" (probably: {who}){about}"


@dataclass(frozen=True, slots=True)
class Coverage:
    found: tuple[Unannotated, ...]
    articles: int  # articles read
    unread: tuple[str, ...]  # articles with content errors, which `check` reports

    def report(self) -> str:
        """Each sentence as `PATH:LINE: …`, then a summary."""
        lines = [str(u) for u in self.found]
        lines += [f"{path}:1: not read: it has content errors (run check)" for path in self.unread]
        count = len({u.src.path for u in self.found})
        lines.append(f"coverage: {len(self.found)} attributed sentence{'s' * (len(self.found) != 1)} without an "
                     f"annotation in {count} of {self.articles} article{'s' * (self.articles != 1)} "
                     f"(advice, not errors)")
        return "\n".join(lines)


def find_unannotated(root: Path) -> Coverage:
    config = load_config(root)
    loaded = load_content(root, config)
    names = _name_index(loaded.actors)
    claims = _claim_index(loaded.claims, loaded.actors)
    strings = {config.language: words_of(config.strings)}
    found: list[Unannotated] = []
    for article in sorted(loaded.articles, key=lambda a: a.src.path):
        lang = article.language or config.language
        if lang not in strings:
            strings[lang] = words_of(_load_strings(root, lang, []))
        text = (root / article.src.path).read_text("utf-8")
        found += [replace(u, claim=probable_claim(u.sentence, claims))
                  for u in unannotated_in(article, text, strings[lang], names)]
    loaded_paths = {a.src.path for a in loaded.articles}
    unread = sorted({p.src.path for p in loaded.problems if p.src.path.startswith("content/articles/")} - loaded_paths)
    return Coverage(tuple(found), len(loaded.articles), tuple(unread))


@dataclass(frozen=True, slots=True)
class Words:
    """One language's words for attribution, from the theme's strings."""

    verbs: re.Pattern | None  # attribution_verbs, each with an optional attribution_endings ending
    after: frozenset[str]  # attribution_after: the speaker is named after these
    pronouns: frozenset[str]  # attribution_pronouns: a speaker named so is the one named last


def words_of(strings: dict) -> Words:
    return Words(_verb_pattern(strings.get("attribution_verbs", []), strings.get("attribution_endings", [])),
                 frozenset(fold(str(v)).lower() for v in strings.get("attribution_after", [])),
                 frozenset(fold(str(v)).lower() for v in strings.get("attribution_pronouns", [])))


def unannotated_in(article: Article, file_text: str, words: Words,
                   names: list[tuple[re.Pattern, str]]) -> list[Unannotated]:
    """The article's attributed sentences that no annotation overlaps, each with the line of the file it starts on."""
    if words.verbs is None:
        return []
    _, body, body_line = split_front_matter(file_text, article.src.path, [])
    text = article.text
    spans = [(_span(text, a), a) for a in article.annotations]
    out, cursor, last = [], 0, ""
    for start, end in sentences(text, _block_starts(text, body)):
        sentence = text[start:end]
        found = _verbs_in(sentence, words.verbs)
        line, cursor = _line_of(sentence, body, cursor)
        covering = [a for (a0, b0), a in spans if 0 <= a0 < end and start < b0]
        if covering:
            last = next((slug for a in covering for slug in (*a.asserts, *a.denies)), last)
        if not found or covering:
            continue
        speakers = [(verb, *probable_speaker(sentence, verb, words.after, names)) for verb in found]
        verb, actor, named = next((s for s in speakers if s[1]), speakers[0])  # the verb whose speaker is an actor
        if not actor and named.lower() in words.pronouns and last:  # "Dia menambahkan, …": the one who spoke last
            actor, named = last, ""
        last = actor or last
        out.append(Unannotated(Src(article.src.path, body_line + line), sentence, verb.group(0), actor, named))
    return out


# -- sentences -------------------------------------------------------------------------

def sentences(text: str, starts: set[int]) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the text; `starts` are where paragraphs begin."""
    cuts = {0, len(text), *starts}
    for m in BOUNDARY.finditer(text):
        if not _initial(text, m.start()):
            cuts.add(m.end())
    spans = []
    points = sorted(cuts)
    for a, b in zip(points, points[1:]):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
    return spans


def _initial(text: str, i: int) -> bool:
    """A dot after a lone capital ("J.", "U.S.") ends an initial, not a sentence."""
    return text[i] == "." and i >= 1 and text[i - 1].isupper() and (i < 2 or not text[i - 2].isalpha())


def _block_starts(text: str, body: str) -> set[int]:
    """Where each paragraph of the body begins in the plain text: a paragraph ends a sentence even without a dot."""
    starts, cursor = set(), 0
    for block in re.split(r"\n\s*\n", body):
        words = re.findall(r"\w+", block)[:4]
        if not words:
            continue
        m = re.compile(r"\W+".join(map(re.escape, words))).search(text, cursor)
        if m:
            at = m.start()
            while at > 0 and not text[at - 1].isspace():  # an opening quote or bracket belongs to the paragraph
                at -= 1
            starts.add(max(at, cursor))
            cursor = m.end()
    return starts


def _line_of(sentence: str, body: str, cursor: int) -> tuple[int, int]:
    """The 0-based line of the body where the sentence starts, and where to look for the next one."""
    words = re.findall(r"\w+", sentence)[:4]
    if not words:
        return body[:cursor].count("\n"), cursor
    pattern = re.compile(r"\W+".join(map(re.escape, words)))
    m = pattern.search(body, cursor) or pattern.search(body)
    if not m:
        return body[:cursor].count("\n"), cursor
    return body[:m.start()].count("\n"), max(cursor, m.start() + 1)


def _span(text: str, annotation) -> tuple[int, int]:
    """Where the annotation's passage stands in the plain text (its prefix picks among repeats); (-1, -1) if lost."""
    exact = fold(annotation.exact).strip()
    hits = [m.start() for m in re.finditer(re.escape(exact), text)] if exact else []
    if not hits:
        return -1, -1
    prefix = fold(annotation.prefix).rstrip()

    def agreement(at: int) -> int:
        before, n = text[:at].rstrip(), 0
        while n < min(len(before), len(prefix)) and before[-1 - n] == prefix[-1 - n]:
            n += 1
        return n

    at = max(hits, key=agreement)
    return at, at + len(exact)


# -- verbs and speakers --------------------------------------------------------------------

def _verb_pattern(verbs, endings=()) -> re.Pattern | None:
    """One pattern for the words (a phrase's words may be apart by any white space), each with an optional ending."""
    words = sorted({fold(str(v)).strip() for v in verbs if str(v).strip()}, key=len, reverse=True)
    if not words:
        return None
    ending = "|".join(re.escape(str(e)) for e in sorted(endings, key=len, reverse=True) if str(e))
    return re.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + r")"
                      + (f"(?:{ending})?" if ending else "") + r"(?!\w)", re.I)


def _verbs_in(sentence: str, verbs: re.Pattern) -> list[re.Match]:
    """The sentence's attribution verbs, those outside quotation marks first."""
    quoted = _quoted(sentence)
    return sorted(verbs.finditer(sentence), key=lambda m: quoted[m.start()])


def _quoted(sentence: str) -> list[bool]:
    """For each character, whether it stands inside quotation marks; a quote may begin or end in another sentence."""
    marks = [i for i, c in enumerate(sentence) if c == '"']
    inside = [False] * (len(sentence) + 1)
    if marks and _closing(sentence, marks[0]):  # a quote that began in an earlier sentence ends here
        inside[:marks[0] + 1] = [True] * (marks[0] + 1)
        marks = marks[1:]
    for a, b in zip(marks[::2], marks[1::2]):
        inside[a:b + 1] = [True] * (b + 1 - a)
    if len(marks) % 2:  # a quote that goes on in the next sentence
        inside[marks[-1]:] = [True] * (len(inside) - marks[-1])
    return inside


def _closing(sentence: str, i: int) -> bool:
    return i > 0 and not sentence[i - 1].isspace() and (i + 1 == len(sentence) or not sentence[i + 1].isalnum())


def _name_index(actors: tuple[Actor, ...]) -> list[tuple[re.Pattern, str]]:
    """Every way a text may name an actor, longest first; all-capital names (AS, PBB) only as written."""
    names: dict[str, tuple[str, int]] = {}
    for actor in actors:
        for name in (actor.name, *actor.aliases):
            names.setdefault(fold(name).strip(), (actor.slug, 1))
        last = actor.name.split()[-1] if actor.kind == "person" and actor.name.split() else ""
        if len(last) >= SURNAME_MIN:
            names.setdefault(fold(last), (actor.slug, 0))
    out = []
    for name, (slug, weight) in sorted(names.items(), key=lambda kv: (-kv[1][1], -len(kv[0]), kv[0])):
        if not name:
            continue
        flags = 0 if name.isupper() else re.I
        out.append((re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)", flags), slug))
    return out


def probable_speaker(sentence: str, verb: re.Match, after: set[str],
                     names: list[tuple[re.Pattern, str]]) -> tuple[str, str]:
    """(actor slug, "") for the actor named on the speaker's side of the verb; ("", words) when no actor is named."""
    quoted = _quoted(sentence)
    taken = [False] * len(sentence)
    mentions = []  # (start, end, slug), outside quotation marks
    for pattern, slug in names:
        for m in pattern.finditer(sentence):
            if quoted[m.start()] or any(taken[m.start():m.end()]):
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            mentions.append((m.start(), m.end(), slug))
    head = max(sentence.rfind(c, 0, verb.start()) for c in CLAUSE) + 1  # the clause the verb ends
    tail = min([i for i in (sentence.find(c, verb.end()) for c in CLAUSE) if i >= 0] or [len(sentence)])
    before = [m for m in sorted(mentions, reverse=True) if head <= m[0] and m[1] <= verb.start()]
    later = [m for m in sorted(mentions) if verb.end() <= m[0] and m[1] <= tail]
    # "Nam Sung-wook, seorang profesor …, mengatakan": the sentence opens with the speaker
    opening = [m for m in sorted(mentions) if m[0] <= 1 and m[1] <= verb.start()]
    words_before = " ".join(re.findall(r"[\w'-]+", sentence[head:verb.start()])[-3:])
    words_after = " ".join(re.findall(r"[\w'-]+", sentence[verb.end():tail])[:5])
    opening_words = re.match(r"\s*((?:[A-Z][\w'-]*\s*)+)", sentence[:verb.start()])
    lead = sentence[:verb.start()].rstrip()
    speaker_after = (fold(verb.group(0)).lower() in after or lead.endswith('"')
                     or lead.endswith(",") and re.match(r"\s*[A-Z]", sentence[verb.end():tail]) is not None
                     and len(words_after.split()) <= 4)  # "…, said John Kirby." not "…, mengatakan Korea Utara …"
    if speaker_after:
        order = [later, words_after, before, opening, words_before]
    else:
        order = [before, opening, words_before, opening_words.group(1).strip() if opening_words else "", later,
                 words_after]
    for choice in order:
        if choice:
            return (choice[0][2], "") if isinstance(choice, list) else ("", choice)
    return "", ""


# -- claims ---------------------------------------------------------------------------------

def _claim_index(claims, actors) -> list[tuple[str, dict[str, float]]]:
    """Each claim's title words but the actors' names (a claim is what is said, not who), weighted by how rare they
    are among the titles."""
    named = {w for a in actors for name in (a.name, *a.aliases) for w in _words(name)}
    titles = {c.slug: set(_words(c.title)) - named for c in claims}
    counts = Counter(w for words in titles.values() for w in words)
    return [(slug, {w: math.log((len(titles) + 1) / counts[w]) for w in words}) for slug, words in titles.items()]


def probable_claim(sentence: str, index: list[tuple[str, dict[str, float]]]) -> str:
    """The claim whose title the sentence says most of, if it says at least CLAIM_SHARE of it; else ""."""
    words = set(_words(sentence))
    share, slug = max(((sum(v for w, v in title.items() if w in words) / (sum(title.values()) or 1), slug)
                       for slug, title in index if len(words & title.keys()) >= 2), default=(0.0, ""))
    return slug if share >= CLAIM_SHARE else ""


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", fold(text).lower()) if len(w) > 2]

