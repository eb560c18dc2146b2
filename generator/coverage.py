"""A site folder → the sentences of its articles that attribute a statement to someone and that no annotation covers.

A sentence is attributed when it holds one of the language's attribution verbs
(`attribution_verbs` in the theme's strings, so a site may change the list in
site.toml's `[strings]`); it is covered when any annotation's passage overlaps
it. Each comes with the actors it probably names: the actor whose name or alias
stands nearest the verb, outside quotation marks, on the side where the
speaker stands (after verbs listed in `attribution_after`, such as `kata`, or
a verb that follows a comma or a closing quote; before it otherwise), with
those joined to it ("Moskow dan Pyongyang"), the most specific where one name
holds another; and whether the verb asserts or denies (`attribution_denials`).
This is advice for the fact-checker, never an error.
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
from .fields import split_front_matter
from .load import load_content
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
    actors: tuple[str, ...]  # the actors' slugs, each one the speaker's side names ("Moskow dan Pyongyang"), or ()
    named: str  # the capitalised words taken for the speaker when no actor matched, or ""
    claim: str = ""  # the existing claim the sentence probably makes, or ""
    stance: str = "asserts"  # or "denies", by the verb ("membantah", "denied")

    @property
    def actor(self) -> str:
        return self.actors[0] if self.actors else ""

    def __str__(self) -> str:
        shown = self.sentence if len(self.sentence) <= SHOWN else self.sentence[:SHOWN - 1].rstrip() + "\u2026"
        who = ", ".join(self.actors) or (f"{self.named!r}, not among the actors" if self.named else "nobody named")
        about = f" \u2014 claim? {self.claim}" if self.claim else ""
        return f"{self.src}: unannotated attribution: \"{shown}\" (probably {self.stance}: {who}){about}"

    def as_dict(self) -> dict:
        """For `check --coverage --format json`: what an annotation of the sentence would say."""
        return {"path": self.src.path, "line": self.src.line, "severity": "advice", "message": str(self)[
            len(str(self.src)) + 2:], "sentence": self.sentence, "verb": self.verb, "stance": self.stance,
            "actors": list(self.actors), "named": self.named or None, "claim": self.claim or None}


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
    denials: re.Pattern | None  # attribution_denials: the verbs by which the speaker denies
    after: frozenset[str]  # attribution_after: the speaker is named after these
    pronouns: frozenset[str]  # attribution_pronouns: a speaker named so is the one named last


def words_of(strings: dict) -> Words:
    endings = strings.get("attribution_endings", [])
    return Words(_verb_pattern(strings.get("attribution_verbs", []), endings),
                 _verb_pattern(strings.get("attribution_denials", []), endings),
                 frozenset(fold(str(v)).lower() for v in strings.get("attribution_after", [])),
                 frozenset(fold(str(v)).lower() for v in strings.get("attribution_pronouns", [])))


def unannotated_in(article: Article, file_text: str, words: Words,
                   names: list[tuple[re.Pattern, str, str]]) -> list[Unannotated]:
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
        speakers = [(verb, *probable_speakers(sentence, verb, words.after, names, words.pronouns)) for verb in found]
        # the verb whose speaker is an actor, named where that verb names its speaker ("…, ujar Valeriy Akimenko")
        verb, actors, named, _ = min(speakers, key=lambda s: (not s[1], s[3] if s[1] else 0))
        if not actors and named.lower() in words.pronouns and last:  # "Dia menambahkan, …": the one who spoke last
            actors, named = (last,), ""
        last = actors[0] if actors else last
        denies = words.denials is not None and words.denials.fullmatch(fold(verb.group(0))) is not None
        out.append(Unannotated(Src(article.src.path, body_line + line), sentence, verb.group(0), actors, named,
                               stance="denies" if denies else "asserts"))
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


def _name_index(actors: tuple[Actor, ...]) -> list[tuple[re.Pattern, str, str]]:
    """Every way a text may name an actor, longest first, with the actor it belongs to (its affiliation): all-capital
    names (AS, PBB) only as written; a name's note in brackets ("Pejabat senior NATO (anonim)") is no part of it."""
    names: dict[str, tuple[str, int]] = {}
    parents = {actor.slug: actor.affiliation for actor in actors}
    for actor in actors:
        for name in (actor.name, *actor.aliases):
            for form in (name, re.sub(r"\s*\([^()]*\)\s*$", "", name)):
                names.setdefault(fold(form).strip(), (actor.slug, 1))
        last = actor.name.split()[-1] if actor.kind == "person" and actor.name.split() else ""
        if len(last) >= SURNAME_MIN:
            names.setdefault(fold(last), (actor.slug, 0))
    out = []
    for name, (slug, weight) in sorted(names.items(), key=lambda kv: (-kv[1][1], -len(kv[0]), kv[0])):
        if not name:
            continue
        flags = 0 if name.isupper() else re.I
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)", flags)
        out.append((pattern, slug, parents.get(slug, "")))
    return out


# Between two names of one speaker's side: nothing, a comma, or a conjunction ("Moskow dan Pyongyang").
JOINED = re.compile(r"\s*,?\s*(?:(?:dan|serta|maupun|and|or|atau|&)\s+)?", re.I)


def probable_speakers(sentence: str, verb: re.Match, after: set[str], names: list[tuple[re.Pattern, str, str]],
                      pronouns: frozenset[str] = frozenset()) -> tuple[tuple[str, ...], str, int]:
    """(actor slugs, "") for the actors named on the speaker's side of the verb, each one: the nearest, and those
    joined to it ("Baik Pyongyang maupun Moskow"), the most specific of a name inside another ("Presiden Rusia
    Vladimir Putin": Putin, not Rusia); ((), words) when no actor is named, words that are a name, a pronoun or "";
    and how sure that is (0: the side the verb names its speaker on; higher: less sure)."""
    quoted = _quoted(sentence)
    taken = [False] * len(sentence)
    mentions = []  # (start, end, slug, affiliation), outside quotation marks
    for pattern, slug, parent in names:
        for m in pattern.finditer(sentence):
            if quoted[m.start()] or any(taken[m.start():m.end()]):
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            mentions.append((m.start(), m.end(), slug, parent))
    head = max(sentence.rfind(c, 0, verb.start()) for c in CLAUSE) + 1  # the clause the verb ends
    tail = min([i for i in (sentence.find(c, verb.end()) for c in CLAUSE) if i >= 0] or [len(sentence)])
    before = [m for m in sorted(mentions, reverse=True) if head <= m[0] and m[1] <= verb.start()]
    later = [m for m in sorted(mentions) if verb.end() <= m[0] and m[1] <= tail]
    # "Nam Sung-wook, seorang profesor …, mengatakan": the sentence opens with the speaker
    opening = [m for m in sorted(mentions) if m[0] <= 1 and m[1] <= verb.start()]
    raw_before = re.findall(r"[\w'-]+", sentence[head:verb.start()])
    raw_after = re.findall(r"[\w'-]+", sentence[verb.end():tail])
    # "dia menambahkan", "kata mereka": a pronoun names the one who spoke last (the caller knows who)
    words_before = raw_before[-1] if raw_before and raw_before[-1].lower() in pronouns else \
        _name(sentence[head:verb.start()], -3, head == 0)
    words_after = raw_after[0] if raw_after and raw_after[0].lower() in pronouns else \
        _name(sentence[verb.end():tail], 5, False)
    opening_words = re.match(r"\s*((?:[A-Z][\w'-]*\s*)+)", sentence[:verb.start()])
    opening_name = opening_words.group(1).split() if opening_words else []
    if len(opening_name) == 1 and len(re.findall(r"[\w'-]+", sentence[:verb.start()])) > 1:
        opening_name = []  # "Tatkala isolasi …", "Beberapa peneliti …": a sentence's first word, not a name
    lead = sentence[:verb.start()].rstrip()
    after_words = " ".join(re.findall(r"[\w'-]+", sentence[verb.end():tail])[:5])
    speaker_after = (fold(verb.group(0)).lower() in after or lead.endswith('"')
                     or lead.endswith(",") and re.match(r"\s*[A-Z]", sentence[verb.end():tail]) is not None
                     and len(after_words.split()) <= 4)  # "…, said John Kirby." not "…, mengatakan Korea Utara …"
    if speaker_after:
        order = [later, words_after, before, opening, words_before]
    else:
        described = len(raw_before) >= 2 and not words_before and not before  # "para analis menyebut": unnamed
        order = [before, opening, words_before, " ".join(opening_name)] + ([] if described else [later, words_after])
    for rank, choice in enumerate(order):
        if choice:
            return (_joined(sentence, choice), "", rank) if isinstance(choice, list) else ((), choice, rank)
    return (), "", len(order)


def _joined(sentence: str, mentions: list[tuple[int, int, str, str]]) -> tuple[str, ...]:
    """The first mention (the nearest the verb) and those joined to it, in the order the sentence names them,
    without an actor that another of them belongs to."""
    chain = [mentions[0]]
    for m in mentions[1:]:
        a, b = sorted((chain[-1], m))
        if not JOINED.fullmatch(sentence[a[1]:b[0]]):
            break
        chain.append(m)
    parents = {m[3] for m in chain}
    slugs = [m[2] for m in sorted(chain) if m[2] not in parents]
    return tuple(dict.fromkeys(slugs or [m[2] for m in sorted(chain)]))


def _name(text: str, count: int, starts_sentence: bool) -> str:
    """The capitalised words of `text` nearest the verb (of its last `-count` words, or its first `count`), as a
    name: "" when they hold none ("atas", "para analis"), never a fragment ("oleh agensi berita negara Tass" →
    "Tass"). When `text` starts the sentence, its capitalised first word alone is no name ("Beberapa peneliti")."""
    found = list(re.finditer(r"[\w'-]+", text))
    words = [m.group(0) for m in found]
    first = max(len(words) + count, 0) if count < 0 else 0  # where the window starts in `words`
    runs: list[list[tuple[int, str]]] = [[]]
    for n, w in enumerate(words):  # a name is whole, even past the window: "Pengadilan Pidana Internasional"
        if runs[-1] and text[found[n - 1].end():found[n].start()].strip():
            runs.append([])  # a bracket or a comma ends a name
        if w[0].isupper() or any(ch.isdigit() for ch in w):
            runs[-1].append((n, w))
        elif runs[-1]:
            runs.append([])
    runs = [r for r in runs if r and any(first <= n < first + abs(count) for n, _ in r)]
    good = [r for r in runs if not (starts_sentence and len(r) == 1 and r[0][0] == 0 and len(words) > 1)]
    if not good:
        return ""
    return " ".join(w for _, w in (good[-1] if count < 0 else good[0]))


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

