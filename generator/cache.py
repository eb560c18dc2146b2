"""Keys and files → what an earlier build made from the same inputs: the build cache in `.factcheck-cache/`.

Every entry is keyed by a hash of the content that determines it: a content file's bytes and its loader's
arguments (its record and problems), a share image's text, colours and font, a page's template context and
theme (its rendered bytes), the indexed pages' bytes (the search bundle). Each key also holds `GENERATOR`: the
generator's own source and its libraries' versions, so a new version of either makes every entry miss.

An entry is `MAGIC`, the SHA-256 of its payload, and the payload: a pickle of data alone, read back by an
unpickler that knows no type but the model's records, `Src`, `Problem` and dates (`ALLOWED`), so an entry can
name no function to call; compiled templates, which are code, are kept only signed with a key of this user's,
outside the site (`code_secret`). A file that is truncated, damaged, unreadable, of any other type or unsigned is
ignored with a warning and made again, never used; a link planted in the cache is removed, never followed. A miss only costs the work a cold build
does, so the worst a stale cache can do is nothing: cold and warm builds give the same bytes.

`Inputs` is the whole build's fingerprint (every file under content/, site.toml, the theme's templates and
static files, the share font, the generator, --base-url and --drafts). A build records it with a manifest of
the output it wrote (size, inode and change time of every file, which any edit or replacement changes); when
the next build finds the same fingerprint and the output as written, it has nothing to do. The output before last
is kept here too (`spare_output`), with the keys of its pages: the next build writes into it only what changed.
"""
from __future__ import annotations

import dataclasses
import datetime
import enum
import errno
import hashlib
import hmac
import io
import json
import os
import pickle
import shutil
import stat
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

try:
    import fcntl  # the spare output's lock; where there is none, every build starts in a fresh folder
except ImportError:  # pragma: no cover - not Unix
    fcntl = None

from .errors import Problem, Src

FOLDER = ".factcheck-cache"  # in the site folder, beside content/; ignored by git
MAGIC = b"factcheck-cache 2\n"
PACKAGE = Path(__file__).resolve().parent


def digest(*parts) -> str:
    """One SHA-256 over `parts` (bytes, str or anything `repr` states exactly), each length-prefixed."""
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@lru_cache(maxsize=1)
def generator_key() -> str:
    """The generator's version: its source files (templates of the default theme are inputs of their own),
    Python's version and the versions of the installed packages (the libraries that shape the output among them)."""
    parts: list = [sys.version]
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".js", ".css", ".html", ".toml", ".json", ".ttf"):
            parts += [path.relative_to(PACKAGE).as_posix(), path.read_bytes()]
    for folder in sorted({p for p in sys.path if p.endswith(("site-packages", "dist-packages")) and os.path.isdir(p)}):
        parts += sorted(name for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info")))
    return digest(*parts)  # each installed package's name and version: a listing is faster than importlib.metadata


@lru_cache(maxsize=None)
def file_key(path: str) -> str:
    """A file's bytes as a key (the share font); "" for none."""
    return digest(Path(path).read_bytes()) if path else ""


def canonical(value) -> str:
    """`value` written the same way in every process (sets sorted, dicts by key): part of a key."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{canonical(k)}:{canonical(v)}" for k, v in sorted(value.items(), key=repr)) + "}"
    if isinstance(value, (set, frozenset)):
        return "set(" + ",".join(sorted(canonical(v) for v in value)) + ")"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__}(" + ",".join(canonical(v) for v in value) + ")"
    return f"{type(value).__name__}:{value!r}"


@lru_cache(maxsize=1)
def allowed() -> dict[tuple[str, str], type]:
    """The only types an entry may name: the frozen dataclasses of the model and of errors (a record, its parts,
    its problems) and the datetime module's. Each is data: made by its constructor or its dataclass `__setstate__`,
    and none runs anything else; an entry that names another type or function is ignored."""
    from . import errors, model
    found: dict[tuple[str, str], type] = {}
    for module in (model, errors):
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__ and dataclasses.is_dataclass(value) \
                    and "__setstate__" in vars(value):  # frozen with slots: state is set field by field
                found[value.__module__, value.__qualname__] = value
    found.update((("datetime", name), getattr(datetime, name)) for name in ("date", "datetime", "time", "timedelta",
                                                                              "timezone"))
    return found


class NotData(pickle.UnpicklingError):
    """An entry that names a type or function outside `allowed()`."""


class _Data(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        found = allowed().get((module, name))
        if found is None:
            raise NotData(f"{module}.{name}")
        return found


def loads(body: bytes):
    """A payload as `put` wrote it; NotData for one that names anything but `allowed()`."""
    return _Data(io.BytesIO(body)).load()


def read_file(path, limit: int | None = None) -> bytes:
    """A regular file's bytes, never through a link (OSError for a link, a folder, a device or a pipe)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a file")
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read() if limit is None else f.read(limit)
    finally:
        os.close(fd)


def write_new(folder: Path, name: str, data: bytes, mode: int = 0o644) -> None:
    """`folder/name` written whole (a fresh file beside it, then renamed over it: a link in its place is replaced,
    never written through)."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, folder / name)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@lru_cache(maxsize=1)
def code_secret() -> bytes | None:
    """This user's key for compiled templates, kept outside any site (`$XDG_CACHE_HOME/factcheck-generator/`,
    readable by the user alone), made at first use; None where there is none to be had (templates are then
    compiled every build). A cache copied from elsewhere, or written by anybody else, holds no template signed
    with it."""
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "factcheck-generator"
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(base)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
            return None
        path = base / "template-key"
        if not os.path.lexists(path):
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=base)  # private (0600) from the start
            with os.fdopen(fd, "wb") as f:
                f.write(os.urandom(32))
            try:
                os.link(tmp, path)  # only if none is there yet: two first builds agree on one key
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            key = f.read(33)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o077 or len(key) != 32:
            return None
        return key
    except (OSError, RuntimeError, KeyError):  # no home, a read-only one, another user's folder
        return None


def _sign(secret: bytes, *parts: bytes) -> bytes:
    return hmac.new(secret, b"".join(len(p).to_bytes(8, "little") + p for p in parts), "sha256").digest()


@dataclass
class Cache:
    """The cache folder (`folder` None: no cache, every lookup misses); `problems` are its warnings."""

    folder: Path | None
    problems: list[Problem] = field(default_factory=list)
    hits: int = 0
    misses: int = 0
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
    keys: dict = field(default_factory=dict)  # output file → (key without words, key, its search.indexed, words read)
    searched: dict = field(default_factory=dict)  # output file → search.indexed of every indexed page
    sources: dict = field(default_factory=dict)  # input file → [size, inode, times, SHA-256] (`inputs_key`)

    _dirs: set = field(default_factory=set)  # folders of the cache seen to be real folders, not links

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / key

    def real_dir(self, *parts: str, make: bool = True) -> Path | None:
        """`folder/parts`, each step a real folder of the cache (made where missing, with `make`): a link or file
        planted in the way is removed with a warning, never followed. None where there is none (without `make`)
        or it cannot be made."""
        if parts in self._dirs:
            return self.folder.joinpath(*parts)
        if parts and self.real_dir(*parts[:-1], make=make) is None:
            return None
        path = self.folder.joinpath(*parts)
        try:
            try:
                found = os.lstat(path).st_mode
            except FileNotFoundError:
                found = None
            if found is not None and not stat.S_ISDIR(found):
                self.planted(path, "in place of a folder")
                found = None
            if found is None:
                if not make:
                    return None
                os.mkdir(path)
        except OSError:
            return None
        self._dirs.add(parts)
        return path

    def planted(self, path: Path, where: str) -> None:
        """Remove what the build did not make from the cache (the link itself, never what it leads to), saying so."""
        self.problems.append(Problem(Src(self._shown(path), 1), f"a {_kind_of(path)} {where}, which the build did "
                                                                "not make: removed, not followed", warning=True))
        try:
            os.unlink(path)
        except IsADirectoryError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass

    def get(self, kind: str, key: str, valid=None):
        """What was stored under `key`, or None (a miss; a damaged entry is removed, with a warning). `valid(value)`
        says what is wrong with a value that reads ('' for nothing)."""
        if self.folder is None:
            return None
        path = self._path(kind, key)
        if self.real_dir(kind, key[:2], make=False) is None:
            self.misses += 1
            return None
        try:
            data = read_file(path)
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as e:
            return self._damaged(path, "a link, not a file" if e.errno == errno.ELOOP else
                                 f"unreadable ({e.strerror or 'not a file'})")
        body = data[len(MAGIC) + 32:]
        if not data.startswith(MAGIC) or data[len(MAGIC):len(MAGIC) + 32] != hashlib.sha256(body).digest():
            return self._damaged(path, "truncated or damaged")
        try:
            value = loads(body)
        except NotData as e:
            return self._damaged(path, f"names {ascii(str(e)[:100])}, which an entry may not hold")
        except Exception:  # noqa: BLE001 - a checksum that matches a payload we cannot read: still ignored
            return self._damaged(path, "unreadable")
        wrong = valid(value) if valid is not None else ""
        if wrong:
            return self._damaged(path, wrong)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            try:
                os.utime(fd)  # used by this build: kept by `prune`
            finally:
                os.close(fd)
        except OSError:
            pass
        self.hits += 1
        return value

    def get_code(self, key: str) -> bytes | None:
        """Compiled code stored by `put_code` on this machine by this user; None for anything else."""
        secret = code_secret()
        if secret is None or self.folder is None:
            return None
        name = _sign(secret, key.encode()).hex()

        def signed(value) -> str:
            ok = isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, bytes) for v in value) and \
                hmac.compare_digest(value[0], _sign(secret, name.encode(), value[1]))
            return "" if ok else "not signed with this user's key"

        found = self.get("template", name, signed)
        return found[1] if found is not None else None

    def put_code(self, key: str, code: bytes) -> None:
        """Store compiled code (a template's) signed with this user's key (`code_secret`); without one, nothing."""
        secret = code_secret()
        if secret is not None:
            name = _sign(secret, key.encode()).hex()
            self.put("template", name, (_sign(secret, name.encode(), code), code))

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
            for value, inputs in self._made:
                found.made_of(value, *inputs)
        return found

    def made_of(self, value, *inputs) -> None:
        """`value` is made from `inputs` alone, by the generator's code (the linked `Site`, from the loaded
        records and the config): in every fingerprint, its is theirs, so the pages that show the whole site need
        not walk it for their keys."""
        for prints in (self.prints, self.shapes, *self._showing.values()):
            prints.made_of(value, *inputs)
        self._made.append((value, inputs))

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

    def _damaged(self, path: Path, why: str):
        self.misses += 1
        self.problems.append(Problem(Src(self._shown(path), 1), f"build cache entry {why}: ignored, made again",
                                     warning=True))
        try:
            path.unlink()
        except OSError:
            pass
        return None

    def _shown(self, path: Path) -> str:
        """The path in the cache, as a warning names it (its control characters and non-ASCII escaped)."""
        rel = path.relative_to(self.folder).as_posix()
        return ascii(FOLDER if rel == "." else f"{FOLDER}/{rel}")[1:-1]

    def put(self, kind: str, key: str, value) -> None:
        """Store `value` under `key`, written whole or not at all (a crash leaves no half entry)."""
        if self.folder is None:
            return
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            folder = self.real_dir(kind, key[:2])
            if folder is None:
                raise OSError(0, "a folder of it cannot be made")
            write_new(folder, key, MAGIC + hashlib.sha256(body).digest() + body)
        except OSError as e:  # a full disk or a read-only site: the build goes on without the entry
            if not any("cannot be written" in p.message for p in self.problems):
                self.problems.append(Problem(Src(FOLDER, 0), f"the build cache cannot be written ({e.strerror}); "
                                                             "the build goes on without it", warning=True))

    def prune(self, before: float) -> None:
        """Remove the entries no build has used since `before` (a time.time()): the cache holds one site. Within
        the cache's own folders only: no link is followed."""
        if self.folder is None:
            return
        for kind in ("load", "page", "share", "search", "template"):
            top = self.real_dir(kind, make=False)
            if top is None:
                continue
            for folder, dirs, files, fd in os.fwalk(top):  # a link to a folder is listed in `dirs`, not entered
                for name in (*dirs, *files):
                    try:
                        found = os.stat(name, dir_fd=fd, follow_symlinks=False)
                        if stat.S_ISLNK(found.st_mode):  # no build makes one: planted, and never used
                            self.planted(Path(folder, name), "in the cache")
                        elif found.st_mtime < before and not stat.S_ISDIR(found.st_mode):
                            os.unlink(name, dir_fd=fd)
                    except OSError:
                        pass


def _kind_of(path: Path) -> str:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "file"
    return "symbolic link" if stat.S_ISLNK(mode) else "folder" if stat.S_ISDIR(mode) else "file"


def open_cache(root: Path, enabled: bool = True) -> Cache:
    return Cache(root / FOLDER if enabled else None)


# -- the whole build -----------------------------------------------------------

def _tree(folder: Path, parts: list, with_mode: bool = False, known: dict | None = None,
          seen: dict | None = None) -> None:
    """Every file under `folder` into `parts`: its relative path and the SHA-256 of its bytes (links followed, as
    reads do). A file whose size, inode and times are those `known` gives (path → [size, inode, modification and
    change time, SHA-256]) is not read again; what each file is now goes into `seen`."""
    if not folder.is_dir():
        parts.append(f"{folder}: none")
        return
    found = []
    for dirpath, dirs, files in os.walk(folder, followlinks=True):
        dirs.sort()
        found += [os.path.join(dirpath, name) for name in files]
    parts.append(str(folder.resolve()))
    skip = len(os.path.join(str(folder), ""))
    for path in sorted(found):
        parts.append(path[skip:])  # its path under `folder` (os.path.relpath takes 10 times as long)
        try:
            st = os.stat(path)
            now = [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]
            last = known.get(path) if known else None
            if isinstance(last, list) and len(last) == 5 and last[:4] == now:
                sha = last[4]  # any edit, replacement or `touch` changes the change time
            else:
                with open(path, "rb") as f:  # a Path for each file would take a third of the time
                    sha = hashlib.sha256(f.read()).hexdigest()
            parts.append(sha)
            if seen is not None:
                seen[path] = [*now, sha]
            if with_mode:
                parts.append(oct(st.st_mode & 0o777))
        except OSError as e:
            parts.append(f"unreadable: {e}")


def inputs_key(root: Path, base_url: str | None, drafts: bool, store: Cache | None = None) -> str:
    """Everything a build's output is made from, as one key. With `store`, a file as the last build saw it
    (`store.sources`) is not read again, and what this call sees becomes `store.sources`: the files changed over
    RACY_NS before it only, as a change within one tick of the file system's clock would not show."""
    from .config import SYSTEM_FONTS, theme_dirs
    started = time.time_ns()
    known, seen = (store.sources if store is not None else {}), {}
    parts: list = [generator_key(), base_url, drafts, os.environ.get("PAGEFIND_BINARY_PATH", "")]
    site = root / "site.toml"
    parts.append(site.read_bytes() if site.is_file() else b"")
    _tree(root / "content", parts, known=known, seen=seen)
    for folder in theme_dirs(root, "templates"):
        _tree(folder, parts, known=known, seen=seen)
    for folder in theme_dirs(root, "static"):
        _tree(folder, parts, with_mode=True, known=known, seen=seen)
    parts += [file_key(f) for f in SYSTEM_FONTS if os.path.isfile(f)][:1]
    if store is not None:
        store.sources = {path: made for path, made in seen.items() if not _racy(made[2], made[3], started)}
    return digest(*parts)


RACY_NS = 100_000_000  # file times tick coarsely (a few ms): a file changed this soon after its writing may not show it


def _racy(mtime_ns: int, ctime_ns: int, when_ns: int) -> bool:
    """Whether a file with these times changed too shortly before `when_ns` for its times to vouch for it."""
    return max(mtime_ns, ctime_ns) >= when_ns - RACY_NS


def _manifest(out: Path, racy_from: int | None = None, hashed: dict | None = None,
              odd: list | None = None) -> dict[str, list]:
    """Each file of `out` → size, inode, modification and change time (any edit, replacement or `touch` changes
    the change time) and, for a file written in the last RACY_NS before `racy_from` (as git does with racily
    clean files) or named in `hashed`, the SHA-256 of its bytes. What is neither a file nor a folder (a link, a
    pipe) is listed unread, and named in `odd`."""
    found = {}
    skip = len(os.path.join(str(out), ""))
    folders = [str(out)]
    while folders:  # os.scandir's entries carry their paths: a third faster than os.walk and os.path.join
        try:
            entries = os.scandir(folders.pop())
        except OSError:
            continue  # gone, or not a folder: as os.walk, nothing
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                    continue
                rel, st = entry.path[skip:], entry.stat(follow_symlinks=False)
                racy = hashed.get(rel, [""])[-1] if hashed is not None else \
                    racy_from is not None and _racy(st.st_mtime_ns, st.st_ctime_ns, racy_from)
                if not stat.S_ISREG(st.st_mode):
                    racy = False
                    if odd is not None:
                        odd.append(rel)
                found[rel] = [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns,
                              hashlib.sha256(Path(entry.path).read_bytes()).hexdigest() if racy else ""]
    return found


@dataclass(frozen=True)
class Record:
    """What the last build into an output folder said: its counts and warnings."""

    summary: str
    warnings: tuple[str, ...]


def _record_paths(cache: Cache, folder: Path) -> tuple[Path, Path]:
    """Where the record of what a build wrote into `folder` is kept (read by `fresh_output`), and the keys of the
    pages it holds (read only by a build that brings the folder up to date, so "up to date" reads no more)."""
    base = cache.folder / "builds" / digest(os.path.realpath(folder))
    return base, base.with_name(base.name + ".keys")


def _write_whole(cache: Cache, path: Path, text: str) -> None:
    """A record of the cache's `builds/`, written whole, in real folders of the cache alone."""
    try:
        folder = cache.real_dir(path.parent.name)
        if folder is not None:
            write_new(folder, path.name, text.encode("utf-8"))
    except OSError:
        pass


def _saved(cache: Cache, out: Path) -> dict:
    """The record of the last build into `out` ({} for none, or none that can be read)."""
    from .write import MARK
    if cache.folder is None or not (out / MARK).is_file():
        return {}
    try:
        if cache.real_dir("builds", make=False) is None:
            return {}
        saved = json.loads(read_file(_record_paths(cache, out)[0]))
    except (OSError, ValueError):
        return {}
    return saved if isinstance(saved, dict) else {}


def fresh_output(saved: dict, out: Path, inputs: str) -> Record | None:
    """The last build's record (`saved`) when `out` is exactly what a build from `inputs` wrote there, else None."""
    try:
        if not saved or saved["inputs"] != inputs or saved["files"] != _manifest(out, hashed=saved["files"]):
            return None
        return Record(saved["summary"], tuple(saved["warnings"]))
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def record_output(cache: Cache, out: Path, inputs: str, summary: str, warnings) -> None:
    """Note that `out` now holds what a build from `inputs` made (written whole, as entries are), and the keys
    of its pages (`cache.keys`)."""
    if cache.folder is None:
        return
    record, keys = _record_paths(cache, out)
    _write_whole(cache, keys, json.dumps(cache.keys))
    _write_whole(cache, record, json.dumps({"inputs": inputs, "summary": summary, "warnings": [str(w) for w in warnings],
                                     "files": _manifest(out, racy_from=time.time_ns()), "sources": cache.sources}))


def forget_output(cache: Cache, out: Path) -> tuple[str, str]:
    """The output is about to change: no record may vouch for it until the build that changes it finishes. Its
    record and keys as they were ('' where none), which describe the spare once the new output is in place
    (`keep_record`)."""
    texts = ["", ""]
    if cache.folder is None or cache.real_dir("builds", make=False) is None:
        return "", ""
    for n, path in enumerate(_record_paths(cache, out)):
        try:
            texts[n] = read_file(path).decode("utf-8")
        except (OSError, ValueError):
            pass
        try:
            path.unlink()
        except OSError:
            pass
    return texts[0], texts[1]


def keep_record(cache: Cache, folder: Path, texts: tuple[str, str]) -> None:
    """`texts` (a record and keys from `forget_output`) now vouch for `folder`: the old output, moved there whole."""
    if cache.folder is not None and all(texts):
        for path, text in zip(_record_paths(cache, folder), texts):
            _write_whole(cache, path, text)


@contextmanager
def spare_output(cache: Cache, out: Path):
    """The folder of the build cache that holds the output before last (the last build's swap left it there), to
    build the next output in, and what of it can stay: output file → (key without words, key, search.indexed, the
    groups of words it read) of the page it holds, for the files its record names, as they were written; and every
    file it holds. A build there writes only what changed.

    (None, {}, set()) without a cache, where the cache lies on another file system than `out` (the swap is a rename),
    or while another build uses it (a lock, held until the block ends or the process does, however it ends)."""
    if cache.folder is None or fcntl is None:
        yield None, {}, set()
        return
    real = Path(os.path.realpath(out))
    spares = cache.real_dir("output")
    spare = cache.folder / "output" / digest(real)[:32]
    lock = -1
    try:
        near = next(p for p in (real.parent, *real.parents) if p.exists())
        if spares is not None and os.stat(spares).st_dev == os.stat(near).st_dev:
            lock = _lock_file(cache, spares / f"{spare.name}.lock")
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        if lock >= 0:
            os.close(lock)
        lock = -1
    if lock < 0:
        yield None, {}, set()
        return
    if os.path.lexists(spare) and not stat.S_ISDIR(os.lstat(spare).st_mode):
        cache.planted(spare, "in place of the output kept")
    try:
        _sweep(cache, spare)
        try:
            kept, present = _kept(cache, spare)
        except OSError:  # a spare that cannot be read through: a fresh folder instead
            kept, present, spare = {}, set(), None
        yield spare, kept, present
    finally:
        os.close(lock)


def _lock_file(cache: Cache, path: Path) -> int:
    """The spare's lock file, opened; never through a link (one planted there is removed)."""
    try:
        return os.open(path, os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o644)
    except OSError as e:
        if e.errno != errno.ELOOP:
            raise
    cache.planted(path, "in place of a lock file")
    return os.open(path, os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o644)


def _sweep(cache: Cache, mine: Path) -> None:
    """Remove the spares of other output folders, each once no build holds its lock: the cache keeps one, the
    spare of the output built last, not a copy of every output ever built (a test run's, a one-off `--out`).
    The lock files stay: removing one could let two builds lock two files of the same name."""
    for lock_file in mine.parent.glob("*.lock"):
        other = lock_file.with_suffix("")
        if other == mine or not other.is_dir() or other.is_symlink():
            continue
        try:
            fd = os.open(lock_file, os.O_RDWR | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            forget_output(cache, other)
            shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass  # another build is using it
        finally:
            os.close(fd)


def _kept(cache: Cache, spare: Path) -> tuple[dict[str, tuple], set[str]]:
    """What of the spare can stay (see `spare_output`), and every file it holds."""
    record, keys = forget_output(cache, spare)  # the spare is about to change: nothing vouches for it now
    try:
        files, keys = dict(json.loads(record)["files"]), dict(json.loads(keys))
    except (ValueError, KeyError, TypeError):
        files, keys = {}, {}
    odd: list[str] = []
    try:
        now = _manifest(spare, hashed=files, odd=odd)
    except (TypeError, IndexError, AttributeError):  # a record not as this version writes it: nothing stays
        odd.clear()
        files, now = {}, _manifest(spare, odd=odd)
    if odd:  # a link (or a pipe) the build did not make: the build would write through it, so none of it stays
        cache.problems.append(Problem(Src(cache._shown(spare / min(odd)), 1),
                                      f"the output kept for the next build holds a link the build did not make"
                                      f"{f' (and {len(odd) - 1} more)' if len(odd) > 1 else ''}: discarded, "
                                      "not followed", warning=True))
        shutil.rmtree(spare)  # removes links, never what they lead to
        return {}, set()
    kept = {}
    for rel, made in keys.items():
        if now.get(rel) is not None and now[rel] == files.get(rel) and isinstance(made, list) and len(made) == 4:
            kept[rel] = tuple(made)
    return kept, set(now)


# -- keys of the parts ---------------------------------------------------------

def load_key(loader, rel: str, text: str, args: str) -> str:
    """A content file's record and problems: its path, its text, its loader and the loader's arguments
    (`digest(canonical(args))`)."""
    return digest("load", generator_key(), f"{loader.__module__}.{loader.__qualname__}", rel, text, args)


class Uncachable(Exception):
    """A value `Fingerprints` cannot state exactly: the page that shows it is rendered every time."""


class Fingerprints:
    """Values → SHA-256 of everything in them (a dataclass's type and every field, a dict's items in order,
    a set's sorted), each object's worked out once: pages share articles, claims and actors, and one site's
    objects never change. Any type it does not know raises Uncachable."""

    LEAVES = (int, float, bool, type(None), complex)

    def __init__(self, hidden: dict[type, tuple[str, ...]] | None = None) -> None:
        self.memo: dict[int, tuple[object, bytes]] = {}  # id → (the object, kept alive; its fingerprint)
        self.fields: dict[type, tuple[str, ...]] = {}
        self.names: dict[type, bytes] = {}
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
        name = self.names.get(kind)
        if name is None:
            name = self.names[kind] = f"{kind.__module__}.{kind.__qualname__}".encode()
        if isinstance(value, (str, bytes)):
            found = _sum(name, value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass"))
        elif isinstance(value, (tuple, list)):
            found = _sum(name, *(self._leaf(v) or self.of(v) for v in value))
        elif isinstance(value, dict):
            found = _sum(name, *(x for k, v in value.items() for x in (self.of(k), self.of(v))))
        elif isinstance(value, (set, frozenset)):
            found = _sum(name, *sorted(map(self.of, value)))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = self.fields.get(kind) or self._names(value)
            found = _sum(name, *(self._leaf(v) or self.of(v) for v in map(value.__getattribute__, names)))
        elif name == b"generator.insights.Overview":  # what the home and insight pages share: worked out from
            found = _sum(name, self.of(value.site), self.of(value.rows))  # these two alone, when first asked
        elif isinstance(value, (datetime.date, enum.Enum)):
            found = _sum(name, repr(value).encode())
        else:
            raise Uncachable(name.decode())
        self.memo[id(value)] = (value, found)
        return found

    def _leaf(self, value) -> bytes:
        """What `of` gives a short string, a number or None, worked out here without a call ('' for anything else:
        the common fields of records go without a call of their own)."""
        kind = type(value)
        if kind is str:
            return b"str:" + value.encode("utf-8", "surrogatepass") if len(value) <= 64 else b""
        if kind is int or kind is bool or value is None:
            return f"{kind.__name__}:{value!r}".encode()
        return b""

    def made_of(self, value, *inputs) -> None:
        """`value` is made from `inputs` alone, by the generator's code (the linked `Site`, from the loaded records
        and the config): its fingerprint is theirs, so its fields need not be walked."""
        self.memo[id(value)] = (value, _sum(b"made of", *map(self.of, inputs)))

    def _names(self, value) -> tuple[str, ...]:
        """The fields of a dataclass's type that its fingerprint covers (all but the hidden ones), kept per type."""
        hidden = self.hidden.get(type(value), ())
        names = self.fields[type(value)] = tuple(f.name for f in dataclasses.fields(value) if f.name not in hidden)
        return names

    def parts(self, record) -> list:
        """The dataclasses a record holds in its tuple fields (an article's annotations, a claim's corrections), in
        order; none of its hidden fields is read."""
        values = map(record.__getattribute__, self.fields.get(type(record)) or self._names(record))
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
    """SHA-256 of byte strings, each length-prefixed (a fingerprint's 32 raw bytes)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


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


# -- an article's words: most pages that hold an article do not show them -----------------

READS = "reads"  # (READS, the groups it read): the entry under a page's key without words when it read some


class Reads:
    """Which groups of an article's words (`words()`: its text; the text just around each passage) were read since
    `shown` was last emptied. A page that read none while it was rendered would render the same with any other
    text, so the build cache keeps it under the key of its context without them, and one that read some, under
    the key with those alone. So an edit of one article's text renders again only the pages that show it (its
    own page, the feed if it is among the latest, and when the edit stands beside a passage, the open data that
    gives each passage's context): not the 30-odd pages that hold it. Every read is seen, whatever reads: a
    template, a filter, `derive`, `repr`, an equality test, as the fields `words()` names are properties over
    the dataclasses' slots (`_noted`)."""

    shown: set[str] = set()


def _noted(cls: type, name: str, group: str) -> property:
    slot = cls.__dict__[name]  # the slot's descriptor, as `dataclass(slots=True)` made it

    def read(self):
        Reads.shown.add(group)
        return slot.__get__(self, cls)

    return property(read, slot.__set__, doc=f"{cls.__name__}.{name}, each read noted in `Reads`")


@lru_cache(maxsize=1)
def words() -> dict[str, dict[type, tuple[str, ...]]]:
    """The fields an edit of an article's text changes when it leaves its passages as they are, in groups: the
    text itself, and what stands just before and after each passage (its W3C selector's `prefix` and `suffix`).
    Each read of them is noted from the first call on (the model is imported here, not when the cache is: "up
    to date" needs neither)."""
    from .model import Annotation, Article
    found = {"text": {Article: ("body", "text")}, "context": {Annotation: ("prefix", "suffix")}}
    for group, kinds in found.items():
        for kind, names in kinds.items():
            for name in names:
                setattr(kind, name, _noted(kind, name, group))
    return found


def hiding(shown) -> dict[type, tuple[str, ...]]:
    """The fields `words()` names, but for those of the groups `shown`: what a fingerprint leaves out."""
    hidden: dict[type, tuple[str, ...]] = {}
    for group, kinds in words().items():
        for kind, names in kinds.items():
            if group not in shown:
                hidden[kind] = hidden.get(kind, ()) + names
    return hidden


def scope_key(root: Path, base_url: str | None, drafts: bool) -> str:
    """What every page shares: the generator, site.toml, --base-url, --drafts and the theme's templates."""
    from .config import theme_dirs
    site = root / "site.toml"
    parts: list = [generator_key(), base_url, drafts, site.read_bytes() if site.is_file() else b""]
    for folder in theme_dirs(root, "templates"):
        _tree(folder, parts)
    return digest(*parts)


def up_to_date(root: Path, out: Path | None, base_url: str | None, drafts: bool,
               store: Cache) -> tuple[Record | None, str]:
    """The last build's record if the output folder already holds what a build now would write, and the key of
    the inputs (for the build, when it is not). Reads the inputs and the output's file list, nothing more."""
    if store.folder is None:
        return None, ""
    from .config import load_config
    from .write import _clear_leftovers
    out = out or root / load_config(root, base_url).output_dir
    saved = _saved(store, out)
    store.sources = saved.get("sources") if isinstance(saved.get("sources"), dict) else {}
    inputs = inputs_key(root, base_url, drafts, store)
    fresh = fresh_output(saved, out, inputs)
    if fresh:
        _clear_leftovers(Path(os.path.realpath(out)))  # what killed builds left beside it: as any build does
    return fresh, inputs
