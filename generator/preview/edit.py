"""An edit request from the preview's panel → the bytes of the content files it changes, validated like a build.

Front matter is never dumped again: PyYAML's node marks locate the
`annotations:` list and the one item concerned, and only that item's changed
lines are spliced, so comments, key order, quoting and the article's text keep
every byte. A new claim or actor gets a file of its own, its slug made from its
title or name. A change that would make the site fail is refused with the
build's PATH:LINE: problems, and nothing is written. When an annotation's
claim or quote changes, its old anchor is kept with `id:`, so links published
to the passage still land on it. New claims and actors start as drafts: the
preview shows them, a build publishes them once an editor removes `draft: true`.

A byte-order mark and CRLF line endings stay as found. `saving` writes the
files, never over an editor's save.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..annotate import Wanted
from ..config import SLUG
from ..errors import Problem, SiteError, Src
from ..source import CONTROL, char_name
from ..link import link_site
from ..load import KINDS, passage_anchor, load_actor, load_article, load_claim, renderer
from ..media import WIDTHS
from ..model import Config, Site
from ..urls import make_slug

MAX_QUOTE = 5000  # characters; a passage, not an article
MAX_SLUGS = 50  # actors on one side of one annotation
FRONT = re.compile(r"\ufeff?---[ \t]*\r?\n(.*?)(?:^|\n)---[ \t]*(?:\r?\n|$)", re.S)
ORDER = ("claim", "quote", "occurrence", "asserts", "denies", "id")


class BadRequest(ValueError):
    """A request the panel would never send (malformed JSON fields): refused before anything is read."""


@dataclass(frozen=True, slots=True)
class NewClaim:
    title: str


@dataclass(frozen=True, slots=True)
class NewActor:
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Request:
    article: str  # its slug
    id: str  # the annotation changed or removed (its anchor); "" adds one
    remove: bool
    quote: str
    occurrence: int | None
    claim: str | NewClaim
    asserts: tuple[str | NewActor, ...]
    denies: tuple[str | NewActor, ...]


@dataclass(frozen=True, slots=True)
class Edit:
    files: dict[str, bytes]  # site-relative path → its new bytes (new files included, the article last)
    anchor: str  # the annotation's anchor after the edit; "" when removed
    read: dict[str, bytes | None] = field(default_factory=dict)  # path → the bytes planned on (None: a new file)


# -- the request ---------------------------------------------------------------

def read_request(body: bytes) -> object:
    """The JSON the panel posts, or BadRequest: JSON nested deeper than Python recurses (30 000 `[`), text that is
    not UTF-8 or holds a control character — never a 500."""
    try:
        data = json.loads(body)
    except RecursionError:
        raise BadRequest("the JSON is nested too deeply") from None
    except ValueError as e:  # not JSON, not UTF-8, a number of thousands of digits
        raise BadRequest(f"not JSON: {e}") from None
    todo = [data]
    while todo:  # a loop, not recursion: whatever json.loads could nest, this walks
        value = todo.pop()
        if isinstance(value, dict):
            todo += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            todo += value
        elif isinstance(value, str) and CONTROL.search(value):
            raise BadRequest(f"control character {char_name(CONTROL.search(value).group()[0])} in the request")
    return data


def parse_request(data: object) -> Request:
    """The JSON the panel posts → a Request; only its shape is checked here."""
    if not isinstance(data, dict):
        raise BadRequest("expected a JSON object")

    def text(key: str, limit: int = 200, required: bool = False) -> str:
        value = data.get(key, "")
        if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
            raise BadRequest(f"{key!r} must be text of at most {limit} characters")
        return value

    def actor(value) -> str | NewActor:
        if isinstance(value, str) and len(value) <= 200:
            return value
        if isinstance(value, dict) and isinstance(value.get("name"), str) and isinstance(value.get("kind"), str):
            if 0 < len(value["name"].strip()) <= 200:
                return NewActor(" ".join(value["name"].split()), value["kind"])
        raise BadRequest("an actor is a slug or {name, kind}")

    def side(key: str) -> tuple:
        value = data.get(key, [])
        if not isinstance(value, list) or len(value) > MAX_SLUGS:
            raise BadRequest(f"{key!r} must be a list of at most {MAX_SLUGS} actors")
        return tuple(actor(v) for v in value)

    claim = data.get("claim", "")
    if isinstance(claim, dict) and isinstance(claim.get("title"), str) and 0 < len(claim["title"].strip()) <= 300:
        claim = NewClaim(" ".join(claim["title"].split()))
    elif not isinstance(claim, str) or len(claim) > 200:
        raise BadRequest("'claim' is a slug or {title}")
    occurrence = data.get("occurrence")
    if occurrence is not None and (not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1):
        raise BadRequest("'occurrence' must be a whole number from 1")
    remove = data.get("remove", False) is True
    request = Request(text("article", required=True), text("id"), remove,
                      " ".join(text("quote", MAX_QUOTE).split()), occurrence, claim, side("asserts"), side("denies"))
    if remove and not request.id:
        raise BadRequest("say which annotation to remove ('id')")
    if not remove and (not request.quote or not request.claim):
        raise BadRequest("an annotation needs a quote and a claim")
    return request


# -- YAML text -----------------------------------------------------------------

def yaml_text(value: str, plain_ok: bool = False) -> str:
    """A string as YAML that reads back as exactly that string: plain where safe, else double-quoted."""
    if plain_ok and SLUG.match(value) and yaml.safe_load(value) == value:
        return value
    out = json.dumps(value, ensure_ascii=False)  # JSON strings are YAML double-quoted scalars, but for these:
    out = "".join(f"\\u{ord(c):04x}" if 0x7f <= ord(c) <= 0x9f or ord(c) in (0x2028, 0x2029, 0xfeff, 0xfffe, 0xffff)
                  else c for c in out)
    return out if yaml.safe_load(out) == value else json.dumps(value)


def field_line(key: str, value) -> str:
    if isinstance(value, (list, tuple)):
        return f"{key}: [{', '.join(yaml_text(v, plain_ok=True) for v in value)}]"
    if isinstance(value, int):
        return f"{key}: {value}"
    return f"{key}: {yaml_text(value, plain_ok=key != 'quote')}"


# -- finding an annotation in the front matter ------------------------------------

@dataclass(slots=True)
class Item:
    """One `- claim: …` of the annotations list: its fields and the file lines (0-based, inclusive) they take."""

    first: int  # the line of its '-'
    last: int
    key_column: int
    dash_column: int
    fields: dict  # key → (value, first line, last line)
    block: bool  # written as a block mapping (one key per line)

    def anchor(self) -> str:
        get = lambda k: self.fields.get(k, (None,))[0]  # noqa: E731
        return str(get("id") or "") or passage_anchor(str(get("claim") or ""), str(get("quote") or ""), get("occurrence"))


@dataclass(slots=True)
class FrontMatter:
    lines: list[str]  # the whole file, each line with its ending
    newline: str
    end: int  # the line of the closing '---'
    key: tuple[int, int] | None  # lines of `annotations:` and its value, when there is no item to follow
    items: list[Item]


def _last_line(node: yaml.Node) -> int:
    """The last line holding any of `node`'s text (PyYAML's end mark of a block stands on the next token)."""
    if isinstance(node, yaml.ScalarNode) or node.flow_style or not node.value:
        end = node.end_mark
        return end.line if end.column > 0 or end.line == node.start_mark.line else end.line - 1
    last = node.value[-1]
    return _last_line(last[1] if isinstance(node, yaml.MappingNode) else last)


def _value(node: yaml.Node):
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def read_front_matter(text: str, path: str) -> FrontMatter:
    m = FRONT.match(text)
    if not m:
        raise SiteError([Problem(Src(path, 1), "no front matter to add the annotation to")])
    offset = text[:m.start(1)].count("\n")  # the file line of the front matter's first line
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in text[:m.end()] else "\n"
    end = offset + m.group(1).count("\n") + 1
    try:
        root = yaml.compose(m.group(1), Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", 0) + offset + 1
        raise SiteError([Problem(Src(path, line), f"malformed YAML: {getattr(e, 'problem', e)}")]) from None
    if not isinstance(root, yaml.MappingNode):
        raise SiteError([Problem(Src(path, 2), "the front matter must be a mapping of fields")])
    found = [(k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "annotations"]
    if not found:
        return FrontMatter(lines, newline, end, None, [])
    key, value = found[-1]
    if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null") or \
            isinstance(value, yaml.SequenceNode) and not value.value:
        return FrontMatter(lines, newline, end, (offset + key.start_mark.line, offset + _last_line(value)), [])
    if not isinstance(value, yaml.SequenceNode) or value.flow_style:
        raise SiteError([Problem(Src(path, offset + key.start_mark.line + 1),
                                 "the preview edits only annotations written as a list of '- claim: …' items")])
    items = []
    for node in value.value:
        if not isinstance(node, yaml.MappingNode):
            raise SiteError([Problem(Src(path, offset + node.start_mark.line + 1), "an annotation must be a mapping")])
        dash = m.group(1).rfind("-", 0, node.start_mark.index)
        dash_line = m.group(1).count("\n", 0, dash)
        dash_column = dash - (m.group(1).rfind("\n", 0, dash) + 1)
        fields = {k.value: (_value(v), offset + k.start_mark.line, offset + _last_line(v)) for k, v in node.value}
        items.append(Item(offset + dash_line, offset + _last_line(node), node.start_mark.column, dash_column,
                          fields, not node.flow_style))
    return FrontMatter(lines, newline, end, None, items)


# -- splicing ------------------------------------------------------------------

def _item_lines(fields: dict, dash_column: int, key_column: int, newline: str) -> list[str]:
    keys = [k for k in ORDER if k in fields]
    return [(" " * dash_column + "-" + " " * (key_column - dash_column - 1) if n == 0 else " " * key_column)
            + field_line(k, fields[k]) + newline for n, k in enumerate(keys)]


def splice(front: FrontMatter, old: Item | None, new: dict | None) -> str:
    """The file with one annotation added (old None), changed, or removed (new None); every other line kept."""
    lines = list(front.lines)
    nl = front.newline
    if old is None:
        if front.items:
            last = front.items[-1]
            lines[last.last + 1:last.last + 1] = _item_lines(new, last.dash_column, last.key_column, nl)
        elif front.key:
            lines[front.key[0]:front.key[1] + 1] = ["annotations:" + nl, *_item_lines(new, 2, 4, nl)]
        else:
            if front.end > 0 and not lines[front.end - 1].endswith("\n"):
                lines[front.end - 1] += nl
            lines[front.end:front.end] = ["annotations:" + nl, *_item_lines(new, 2, 4, nl)]
        return "".join(lines)
    if new is None:
        del lines[old.first:old.last + 1]
        return "".join(lines)
    first_key = min(old.fields, key=lambda k: old.fields[k][1])
    if not old.block or first_key not in new or old.fields[first_key][1] != old.first or \
            any(old.fields[k][1] == old.fields[j][2] for k in old.fields for j in old.fields if j != k):
        lines[old.first:old.last + 1] = _item_lines(new, old.dash_column, old.key_column, nl)  # rewrite it whole
        return "".join(lines)
    changes = []  # (first line, last line, replacement lines), applied from the bottom up
    for key, (value, first, last) in old.fields.items():
        if key not in new:
            changes.append((first, last, []))
        elif new[key] != value and not (isinstance(value, list) and tuple(value) == tuple(new[key])):
            lead = lines[first][:old.key_column] if first == old.first else " " * old.key_column
            changes.append((first, last, [lead + field_line(key, new[key]) + nl]))
    added = [k for k in ORDER if k in new and k not in old.fields]
    if added:
        changes.append((old.last + 1, old.last, [" " * old.key_column + field_line(k, new[k]) + nl for k in added]))
    for first, last, replacement in sorted(changes, key=lambda c: c[0], reverse=True):
        lines[first:last + 1] = replacement
    return "".join(lines)


# -- the edit ------------------------------------------------------------------

def plan_edit(root: Path, config: Config, content, site: Site, data: object, link_cache: dict | None = None) -> Edit:
    """Work out the files an edit request changes, check them as a build would; SiteError when refused.

    `link_cache` (the preview's) spares linking again the articles the edit does not touch; it is not changed.
    """
    request = parse_request(data)
    article = site.articles.get(request.article) if SLUG.match(request.article) else None
    if article is None:
        raise BadRequest(f"no article {request.article!r}")
    path = f"content/articles/{request.article}.md"
    read = _read(root, path)
    bom = "\ufeff" if read.startswith(b"\xef\xbb\xbf") else ""
    text = _decode(read, path).removeprefix(bom)  # as a build reads it; the mark is written back as found
    front = read_front_matter(text, path)
    old = next((i for i in front.items if i.anchor() == request.id), None) if request.id else None
    if request.id and old is None:
        raise SiteError([Problem(Src(path, 1), f"no annotation with the anchor {request.id!r} here any more "
                                               "(the file changed since the page was shown: reload it)")])
    files: dict[str, bytes] = {}
    new = None
    if not request.remove:
        claim = _new_claim(root, site, request.claim, files) if isinstance(request.claim, NewClaim) \
            else request.claim
        sides = {side: _actors(root, site, getattr(request, side), files) for side in ("asserts", "denies")}
        quote = old.fields.get("quote", ("",))[0] if old is not None else ""
        same_quote = " ".join(str(quote).split()) == request.quote  # as written (line breaks, say) when unchanged
        new = {"claim": claim, "quote": quote if same_quote else request.quote}
        occurrence = _occurrence(config, text, request, old if same_quote else None)
        if occurrence:
            new["occurrence"] = occurrence
        new.update({side: list(slugs) for side, slugs in sides.items() if slugs})
        if old is not None:
            kept = old.fields.get("id", (None,))[0] or old.anchor()
            if "id" in old.fields or passage_anchor(claim, request.quote, occurrence) != kept:
                new["id"] = str(kept)  # the passage's published anchor stays
    changed = splice(front, old, new)
    files[path] = (bom + changed).encode("utf-8")
    anchor = "" if new is None else new.get("id") or passage_anchor(new["claim"], new["quote"], new.get("occurrence"))
    _validate(config, content, path, changed, files, _copy(link_cache))
    return Edit(files, anchor, {p: read if p == path else None for p in files})


def _read(root: Path, path: str) -> bytes:
    try:
        return (root / path).read_bytes()
    except OSError as e:
        raise SiteError([Problem(Src(path, 1), f"cannot read the file: {e.strerror or e}")]) from None


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SiteError([Problem(Src(path, line), f"not UTF-8: byte 0x{data[e.start]:02x} cannot be read "
                                                  "(save the file as UTF-8)")]) from None


def _new_claim(root: Path, site: Site, claim: NewClaim, files: dict) -> str:
    slug = make_slug(claim.title)
    path = f"content/claims/{slug}.md"
    if not slug:
        raise SiteError([Problem(Src(path, 1), f"no slug can be made from the title {claim.title!r}: "
                                               "use letters or digits")])
    if slug in site.claims or slug in site.aliases or (root / path).exists():
        raise SiteError([Problem(Src(path, 1), f"a claim {slug!r} exists already: pick it instead of making "
                                               "a new one")])
    files[path] = f"---\ntitle: {yaml_text(claim.title)}\ndraft: true\n---\n".encode()
    return slug


def _actors(root: Path, site: Site, wanted: tuple, files: dict) -> tuple[str, ...]:
    out = []
    for actor in wanted:
        if isinstance(actor, NewActor):
            slug = make_slug(actor.name)
            path = f"content/actors/{slug}.yaml"
            if actor.kind not in KINDS:
                raise BadRequest(f"an actor's kind is one of {', '.join(KINDS)}")
            if not slug:
                raise SiteError([Problem(Src(path, 1), f"no slug can be made from the name {actor.name!r}")])
            if path not in files:
                if slug in site.actors or (root / path).exists():
                    raise SiteError([Problem(Src(path, 1), f"an actor {slug!r} exists already: pick it instead")])
                files[path] = f"name: {yaml_text(actor.name)}\nkind: {actor.kind}\ndraft: true\n".encode()
            actor = slug
        if actor not in out:
            out.append(actor)
    return tuple(out)


def _occurrence(config: Config, text: str, request: Request, old: Item | None) -> int | None:
    """`occurrence` when the quote is found more than once in the rendered text; else None.

    `old` is the annotation changed when its quote stays: its place stays too, unless the request names another.
    """
    m = FRONT.match(text)
    try:
        wanted = Wanted(id="q", claim="", quote=request.quote, stance="mentions", href="", title="")
        found = renderer(config.trusted_html).render(text[m.end():], [wanted]).found
    except Exception:  # noqa: BLE001 - a body the renderer refuses is reported by the validation after
        return request.occurrence
    count = found[0].count if found else 0
    if count <= 1:
        return None
    if request.occurrence is None and old is not None:  # the same quote: the same place
        return old.fields.get("occurrence", (None,))[0]
    return request.occurrence


def _copy(link_cache: dict | None) -> dict:
    """A cache for one trial link: linking fills its own dict of articles, never the preview's."""
    try:
        return {"articles": dict((link_cache or {}).get("articles", {})), "slugs": (link_cache or {}).get("slugs")}
    except RuntimeError:  # the preview's watcher was relinking just then: link without it
        return {}


def _validate(config: Config, content, path: str, text: str, files: dict[str, bytes], link_cache: dict) -> None:
    """Load and link the site as it would be after the edit; SiteError with the build's problems if it fails."""
    problems: list[Problem] = []
    claims = {c.slug: c for c in content.claims}
    actors = {a.slug: a for a in content.actors}
    media = ({m.src: (m.width, m.height) for m in content.media}, config.media.get("widths", WIDTHS))  # images
    for new in (p for p in files if p.startswith("content/claims/")):
        record, found = load_claim(new, files[new].decode("utf-8"), config.trusted_html, config.require_archive,
                                   *media)
        problems += found
        if record is not None:
            claims[record.slug] = record
    for new in (p for p in files if p.startswith("content/actors/")):
        record, found = load_actor(new, files[new].decode("utf-8"))
        problems += found
        if record is not None:
            actors[record.slug] = record
    titles = {c.slug: c.title for c in claims.values()}
    article, found = load_article(path, text, titles, config.trusted_html, config.language, media=media[0],
                                  widths=media[1])
    problems += found
    errors = [p for p in problems if not p.warning]
    if errors or article is None:
        raise SiteError(errors or [Problem(Src(path, 1), "the article would not load")])
    articles = tuple(article if a.src.path == path else a for a in content.articles)
    link_site(replace(content, articles=articles, claims=tuple(claims.values()), actors=tuple(actors.values()),
                      problems=()), config, link_cache)
