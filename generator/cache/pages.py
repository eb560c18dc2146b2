"""A page's context and theme → its key (`page_key`, `Fingerprints`); `Cache`, the store with this build's state."""
from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import marshal
import operator
import time
from dataclasses import dataclass, field
from pathlib import Path

from .keys import digest, file_key
from .reads import hiding
from .store import FOLDER, Store


@dataclass
class Cache(Store):
    """The build cache of one build: its entries (`Store`), the fingerprints of this build's objects that page keys
    are made of (`prints`, and without articles' words, `shapes` and `showing`), and what the build counts."""

    scope: str = ""  # the theme and settings every page shares: part of each page's key (set by the build)
    reused: int = 0  # pages the cache gave this build
    shards: tuple[int, int] = (0, 0)  # search shards indexed by this build, of all
    phases: dict = field(default_factory=dict)  # phase → seconds, for `build --verbose`
    prints: Fingerprints = field(default_factory=lambda: Fingerprints())  # of this build's objects
    _shapes: Fingerprints | None = None  # the same, without articles' words: `shapes`
    _showing: dict = field(default_factory=dict)  # shown groups → Fingerprints without the others' fields
    _loaded: list = field(default_factory=list)  # (record, key, shape) of every record seeded so far
    _made: list = field(default_factory=list)  # (value, inputs) of every `made_of` so far
    started: float = field(default_factory=time.time)  # entries not used since are pruned after a build
    # output file → (key without words, key, search.indexed, words read, SHA-256 of its bytes)
    keys: dict = field(default_factory=dict)
    searched: dict = field(default_factory=dict)  # output file → search.indexed of every indexed page
    sources: dict = field(default_factory=dict)  # input file → [size, inode, times, SHA-256] (`inputs_key`)
    seen: dict = field(default_factory=dict)  # the same, as this build's `inputs_key` saw every file
    linked: Path | None = None  # a spare of links to this build's output (`output_folder`), recorded with it
    checked: dict = field(default_factory=dict)  # the spare's files as checked (`spare_output`): → manifest entry

    @property
    def shapes(self) -> Fingerprints:
        """Fingerprints without articles' words (every field `words()` names), made when first asked: "up to
        date" needs none."""
        if self._shapes is None:
            self._shapes = Fingerprints(hiding(()))
        return self._shapes

    def showing(self, shown) -> Fingerprints:
        """Fingerprints without the fields `words()` names but those of the groups `shown` (the groups a page
        read, short of the text: `page_key` takes `prints` then), made when first asked from each record's
        fingerprint without words and the fields it shows (an article's passages' context)."""
        shown = frozenset(shown)
        if not shown:
            return self.shapes
        found = self._showing.get(shown)
        if found is None:
            found = self._showing[shown] = Fingerprints(hiding(shown))
            for record, key, shape in self._loaded:
                found.seed(record, key, shape, self.shapes.hidden)
            found.made_of(self._made)
        return found

    def made_of(self, made) -> None:
        """Each (value, inputs) of `made`: `value` is made from `inputs` alone, by the generator's code (the
        linked `Site`, from the loaded records and the config): in every fingerprint, its is theirs, so the pages
        that show the whole site need not walk it for their keys."""
        made = list(made)
        for prints in (self.prints, self.shapes, *self._showing.values()):
            prints.made_of(made)
        self._made += made

    def shapes_of(self, values: list) -> list[bytes]:
        """The fingerprints without words (`shapes`) of `values`: what a process forked from this one works out
        for `known_shapes`, on the other core."""
        return [self.shapes.of(value) for value in values]

    def known_shapes(self, values: list, prints: list | None) -> None:
        """Take `prints`, what `shapes_of(values)` gave in a process forked after `values` were made (the same
        objects, as its copy of them), as their fingerprints without words; nothing where there are none (that
        process failed: the pages' keys walk them then)."""
        if isinstance(prints, list) and len(prints) == len(values) and \
                all(type(found) is bytes and len(found) == 32 for found in prints):
            self.shapes.memo.update(zip(map(id, values), zip(values, prints)))

    def get_record(self, key: str) -> tuple | None:
        """A content file's (record, problems), stored under its `load_key`; its fingerprints known at once."""
        found = self.get("load", key)
        if not (isinstance(found, tuple) and len(found) == 3):
            return None
        record, problems, shape = found
        self.seed_record(record, key, shape)
        return record, problems

    def put_record(self, key: str, loaded: tuple) -> tuple | None:
        """Store a content file's (record, problems) under its `load_key`, with its fingerprint without words,
        which it returns for `seed_record` (the worker that loaded the file stores it; the build seeds it)."""
        record, problems = loaded
        shape = None
        if type(record) in self.shapes.hidden:
            shape = (self.shapes.of(record), tuple(map(self.shapes.of, self.shapes.parts(record))))
        self.put("load", key, (record, problems, shape))
        return shape

    def for_worker(self) -> Cache:
        """The same cache without this build's fingerprints: what a loading process (or chunk) stores with."""
        return Cache(self.folder)

    def seed_record(self, record, key: str, shape: tuple | None) -> None:
        """Note that `record` was loaded under `key` (with its fingerprint without words, `shape`)."""
        if record is not None:
            self.prints.seed(record, key)
            self.shapes.seed(record, key, shape)
            for some in self._showing.values():
                some.seed(record, key, shape, self.shapes.hidden)
            self._loaded.append((record, key, shape))


def open_cache(root: Path, enabled: bool = True) -> Cache:
    return Cache(root / FOLDER if enabled else None)


class Uncachable(Exception):
    """A value `Fingerprints` cannot state exactly: the page that shows it is rendered every time."""


class Fingerprints:
    """Values → SHA-256 of everything in them (a dataclass's type and every field, a dict's items in order,
    a set's sorted), each object's worked out once: pages share articles, claims and actors, and one site's
    objects never change. Any type it does not know raises Uncachable."""

    LEAVES = (int, float, bool, type(None), complex)

    def __init__(self, hidden: dict[type, tuple[str, ...]] | None = None) -> None:
        self.memo: dict[int, tuple[object, bytes]] = {}  # id → (the object, kept alive; its fingerprint)
        self.recipes: dict[int, tuple[object, tuple]] = {}  # id → (an object, what it is made of: `made_of`)
        self.fields: dict[type, tuple[str, ...]] = {}
        self.ways: dict[type, object] = {}  # type → how its values' fingerprints are worked out (`_way`)
        self.hidden = hidden or {}  # type → fields left out (`words()`: a page's fingerprint without the text)

    def of(self, value) -> bytes:
        kind = type(value)
        if kind in self.LEAVES:
            return f"{kind.__name__}:{value!r}".encode()
        if kind is str and len(value) <= 64:  # short strings (names, slugs, keys) stand for themselves
            return b"str:" + value.encode("utf-8", "surrogatepass")
        seen = self.memo.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        recipe = self.recipes.get(id(value))
        if recipe is not None and recipe[0] is value:
            found = _sum(b"made of", *map(self.of, recipe[1]))
        else:
            way = self.ways.get(kind)
            found = (way or self._way(kind))(value)
        self.memo[id(value)] = (value, found)
        return found

    def _way(self, kind: type):
        """How `of` works out the fingerprint of a value of this type (decided once per type): its name, and its
        bytes, items or fields; a type it does not know raises Uncachable."""
        name = f"{kind.__module__}.{kind.__qualname__}".encode()
        if issubclass(kind, bytes):
            way = lambda value: _sum(name, value)  # noqa: E731
        elif issubclass(kind, str):
            way = lambda value: _sum(name, value.encode("utf-8", "surrogatepass"))  # noqa: E731
        elif issubclass(kind, (tuple, list)):
            way = lambda value: _sum(name, *self._all(value))  # noqa: E731
        elif issubclass(kind, dict):
            way = lambda value: _sum(name, *self._all([x for item in value.items() for x in item]))  # noqa: E731
        elif issubclass(kind, (set, frozenset)):
            way = lambda value: _sum(name, *sorted(map(self.of, value)))  # noqa: E731
        elif dataclasses.is_dataclass(kind):
            names = self.fields.get(kind) or self._names(kind)
            if len(names) > 1:
                fields = operator.attrgetter(*names)
            else:  # attrgetter gives one field alone, not in a tuple; of none, nothing
                fields = lambda value: tuple(getattr(value, n) for n in names)  # noqa: E731
            way = lambda value: _sum(name, *self._all(fields(value)))  # noqa: E731
        elif name == b"generator.insights.Overview":  # what the home and insight pages share: worked out from
            way = lambda value: _sum(name, self.of(value.site), self.of(value.rows))  # noqa: E731 - these two alone
        elif issubclass(kind, (datetime.date, enum.Enum)):
            way = lambda value: _sum(name, repr(value).encode())  # noqa: E731
        else:
            raise Uncachable(name.decode())
        self.ways[kind] = way
        return way

    def _all(self, values) -> list[bytes]:
        """What `of` gives each of `values`, the common ones (a short string, an int, None, an object worked out
        before: the fields of records, the items of a page's lists) without a call: a warm build at 10 000
        articles fingerprints 2.4 million of them."""
        memo, out = self.memo, []
        for value in values:
            kind = type(value)
            if kind is str and len(value) <= 64:
                out.append(b"str:" + value.encode("utf-8", "surrogatepass"))
            elif kind is int or kind is bool or value is None:
                out.append(f"{kind.__name__}:{value!r}".encode())
            else:
                seen = memo.get(id(value))
                out.append(seen[1] if seen is not None and seen[0] is value else self.of(value))
        return out

    def made_of(self, made: list[tuple]) -> None:
        """Each (value, inputs) of `made`: `value` is made from `inputs` alone, by the generator's code (the linked
        `Site`, from the loaded records and the config): its fingerprint is theirs, worked out from them when first
        asked, and its fields are never walked."""
        self.recipes.update((id(value), (value, inputs)) for value, inputs in made)

    def _names(self, kind: type) -> tuple[str, ...]:
        """The fields of a dataclass type that its values' fingerprints cover (all but the hidden ones), kept."""
        hidden = self.hidden.get(kind, ())
        names = self.fields[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.name not in hidden)
        return names

    def parts(self, record) -> list:
        """The dataclasses a record holds in its tuple fields (an article's annotations, a claim's corrections), in
        order; none of its hidden fields is read."""
        values = map(record.__getattribute__, self.fields.get(type(record)) or self._names(type(record)))
        return [v for value in values if type(value) is tuple for v in value if hasattr(v, "__dataclass_fields__")]

    def seed(self, record, key: str, shape: tuple | None = None, everything: dict | None = None) -> None:
        """A loaded record's fingerprint is the key it was loaded (or found in the cache) under: its file's text,
        path, loader and the loader's arguments determine it entirely, and its parts' (an article's annotations)
        with their place, so their fields need not be walked. A record with hidden fields takes `shape`
        instead: its fingerprint and its parts', as worked out when it was loaded; when `shape` leaves out more
        fields (`everything` that can be hidden) than these fingerprints do, with the fields they show."""
        parts = self.parts(record)
        if type(record) not in self.hidden and type(record) not in (everything or {}):  # the key stands for it:
            shape = (b"record " + key.encode(), [b"record %d " % i + key.encode() for i in range(len(parts))])
        if shape is None or len(shape[1]) != len(parts):
            return
        if everything:
            def shown(value, made: bytes) -> bytes:
                names = [n for n in everything.get(type(value), ()) if n not in self.hidden.get(type(value), ())]
                return _sum(b"showing", made, *(self.of(getattr(value, n)) for n in names)) if names else made

            made = [shown(part, made) for part, made in zip(parts, shape[1])]
            shape = (_sum(shown(record, shape[0]), *made), made)
        self.memo[id(record)] = (record, shape[0])
        self.memo.update((id(part), (part, made)) for part, made in zip(parts, shape[1]))


def _sum(*parts: bytes) -> bytes:
    """SHA-256 of byte strings, each length-prefixed (marshal's format 2, which has no back-references: a tuple's
    bytes are its items' alone); a fingerprint's 32 raw bytes."""
    return hashlib.sha256(marshal.dumps(parts, 2)).digest()


def page_key(store: Cache, page, menu, shown=None) -> str | None:
    """A page's bytes: its path, template, everything in its context (with articles' words, or only the groups of
    them `shown`: see `words()`) and the theme (`store.scope`); None for a page whose context holds what
    `Fingerprints` cannot state (it is rendered every time)."""
    shown = None if shown is None or "text" in shown else tuple(sorted(shown))  # the text determines the rest
    prints = store.prints if shown is None else store.showing(shown)
    try:
        listed = [prints.of(page.context), prints.of(menu), page.path, page.template, page.draft, page.text]
    except Uncachable:
        return None
    if page.make is not None:
        font = page.context.get("font", "")
        listed += [f"{page.make.__module__}.{page.make.__qualname__}", file_key(font) if isinstance(font, str) else ""]
    if page.derive is not None:
        listed.append(f"{page.derive.__module__}.{page.derive.__qualname__}")
    return digest("page" if shown is None else f"page showing {shown}", store.scope, *listed)
