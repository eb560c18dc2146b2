"""Keys and values ↔ signed, data-only entry files in `.factcheck-cache/` (`Store`: get, put, prune).

Entries are signed with a key kept outside the site (`user_key`) and hold data alone (`allowed`); nothing is read
or written through a link the build did not make (`Store.real_dir`).
"""
from __future__ import annotations

import dataclasses
import datetime
import errno
import hashlib
import hmac
import io
import os
import pickle
import shutil
import stat
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import Problem, Src

FOLDER = ".factcheck-cache"  # in the site folder, beside content/; ignored by git
MAGIC = b"factcheck-cache 3\n"
KEY_ENV = "FACTCHECK_CACHE_KEY"  # a key given by the environment (CI: a repository secret), instead of the user's file
# Kinds whose entries are many and small (a record per content file): each writer stores its entries as one file, a
# pack (on many file systems, making a thousand files costs more than loading what they hold).
PACKED = frozenset({"load"})
# A build that used entries from more packs than this, or from packs holding that many more entries than it used,
# writes the ones it used as one pack.
COMPACT_PACKS, COMPACT_SLACK = 16, 64


@lru_cache(maxsize=1)
def allowed() -> dict[tuple[str, str], type]:
    """The only types an entry may name: the frozen dataclasses of the model and of errors (a record, its parts,
    its problems) and the datetime module's. Each is data: made by its constructor or its dataclass `__setstate__`,
    and none runs anything else; an entry that names another type or function is ignored."""
    from .. import errors, model
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


def read_file(path, touch: bool = False) -> bytes:
    """A regular file's bytes, never through a link (OSError for a link, a folder, a device or a pipe); with
    `touch`, its modification time set to now."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a file")
        if touch:
            try:
                os.utime(fd)
            except OSError:
                pass
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read()
    finally:
        os.close(fd)


def write_new(folder: Path, name: str, data: bytes) -> None:
    """`folder/name` written whole, readable by this user alone (a fresh file beside it, then renamed over it: a
    link in its place is replaced, never written through)."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, folder / name)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@lru_cache(maxsize=1)
def user_key() -> bytes | None:
    """The key that signs every entry and record: `$FACTCHECK_CACHE_KEY` where it is set, else this user's own, kept
    outside any site and repository (`$XDG_CACHE_HOME/factcheck-generator/key`, readable by the user alone) and
    made at first use. None where there is none to be had: the build then goes without the cache. An entry written
    by anybody who has not the key (a folder force-added in a pull request, another local user) is never used."""
    given = os.environ.get(KEY_ENV, "")
    if given:
        return hashlib.sha256(b"factcheck-cache key\n" + given.encode("utf-8", "surrogatepass")).digest()
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "factcheck-generator"
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(base)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
            return None
        path = base / "key"
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


def key_id(key: bytes) -> bytes:
    """Which key signed an entry (8 bytes that tell nothing of it): an entry signed with another key (a cache
    restored from elsewhere) is a plain miss, one that claims this key and fails its check is forged or damaged."""
    return hmac.digest(key, b"factcheck-cache key id", "sha256")[:8]


def seal(key: bytes, name: str, body: bytes) -> bytes:
    """`body` as an entry file named `name`: MAGIC, the key's id, the HMAC-SHA-256 of the name and body, the body."""
    return MAGIC + key_id(key) + hmac.digest(key, name.encode() + b"\0" + body, "sha256") + body


HEAD = len(MAGIC) + 8 + 32
UNREAD = object()  # an entry file not opened yet (`Store._read`)


def unseal(key: bytes, name: str, data: bytes) -> bytes | None | str:
    """The body of an entry file that `seal` made with `key` under `name`; None for one signed with another key;
    "" for one that is truncated, damaged or forged."""
    if not data.startswith(MAGIC) or len(data) < HEAD:
        return ""
    if data[len(MAGIC):len(MAGIC) + 8] != key_id(key):
        return None
    body = data[HEAD:]
    if not hmac.compare_digest(data[len(MAGIC) + 8:HEAD], hmac.digest(key, name.encode() + b"\0" + body, "sha256")):
        return ""
    return body


@dataclass
class Store:
    """The cache folder's entries (`folder` None: no cache, every lookup misses); `problems` are its warnings.

    An entry is signed with `user_key()` (`seal`), and its payload is a pickle read back by an unpickler that knows
    the types of `allowed()` alone, so no entry can name a function to call either. A file that is truncated,
    damaged, forged, unreadable or names another type is removed with one warning naming it, and made again; one
    signed with another key is a miss: the worst an entry can do is be ignored. Each folder of the cache is
    checked to be a real folder before it is read or written (`real_dir`)."""

    folder: Path | None
    problems: list[Problem] = field(default_factory=list)
    hits: int = 0
    misses: int = 0
    secret: bytes | None = field(default=None, repr=False)  # `user_key()`; None: every lookup misses
    _dirs: set = field(default_factory=set)  # folders of the cache seen to be real folders, not links
    _packs: dict = field(default_factory=dict)  # packed kind → {key: (its pack's path, its pickle)}, read at need
    _pending: dict = field(default_factory=dict)  # packed kind → {key: pickle}, for `flush` to write as one pack
    _used: dict = field(default_factory=dict)  # pack path → {key: pickle} of its entries this build used
    _ahead: dict = field(default_factory=dict)  # packed kind → (its packs' reader thread, paths, path → `_open`)

    def __post_init__(self) -> None:
        if self.folder is not None and self.secret is None:
            self.secret = user_key()

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
                try:
                    os.mkdir(path)
                except FileExistsError:  # another loading process made it just now: as good, if a folder
                    if not stat.S_ISDIR(os.lstat(path).st_mode):
                        return None
        except OSError:
            return None
        self._dirs.add(parts)
        return path

    def planted(self, path: Path, where: str) -> None:
        """Remove what the build did not make from the cache (the link itself, never what it leads to), saying so."""
        self.problems.append(Problem(Src(self.named(path), 1), f"a {_kind_of(path)} {where}, which the build did "
                                                                "not make: removed, not followed", warning=True))
        try:
            os.unlink(path)
        except IsADirectoryError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry may be stored under `key`: False only where there is none, without reading it (what
        is there instead of a file, `get` removes and says so); True for a packed kind (its packs are read whole
        at the first `get`)."""
        if self.folder is None or self.secret is None:
            return False
        if kind in PACKED:
            return True
        if self.real_dir(kind, key[:2], make=False) is None:
            return False
        try:
            os.lstat(self._path(kind, key))
        except FileNotFoundError:
            return False
        except OSError:
            pass
        return True

    def get(self, kind: str, key: str):
        """What was stored under `key`, or None (a miss; a damaged entry is removed, with a warning)."""
        if self.folder is None or self.secret is None:
            return None
        if kind in PACKED:
            return self._unpack(kind, key)
        if self.real_dir(kind, key[:2], make=False) is None:
            self.misses += 1
            return None
        path = self._path(kind, key)
        body = self._read(kind, key, path, touch=True)  # used by this build: kept by `prune`
        value = body and self._value(path, body)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def _open(self, kind: str, name: str, path: Path, touch: bool = False) -> bytes | None | str | OSError:
        """What `unseal` says of the entry file `path` (named `kind/name`), or the OSError reading it raised."""
        try:
            return unseal(self.secret, f"{kind}/{name}", read_file(path, touch=touch))
        except OSError as e:
            return e

    def _read(self, kind: str, name: str, path: Path, touch: bool = False, opened=UNREAD) -> bytes | None:
        """The body of the entry file `path` (named `kind/name`; `opened`, what `_open` gave, if it was opened
        before), or None: missing, another key's, or damaged (removed, with a warning)."""
        body = self._open(kind, name, path, touch) if opened is UNREAD else opened
        if isinstance(body, FileNotFoundError):
            return None
        if isinstance(body, OSError):
            return self._damaged(path, "a link, not a file" if body.errno == errno.ELOOP else
                                 f"unreadable ({body.strerror or 'not a file'})")
        if body is None:  # another key's: as if it were not there (prune removes it)
            return None
        return body or self._damaged(path, "truncated, damaged or forged")

    def prefetch(self, kind: str) -> None:
        """Read and check the packs of `kind` in a thread of its own while the build goes on (its modules imported,
        its settings read, the content files listed): reading a file and its HMAC let other threads run (160 MB,
        0.4 s at 10 000 articles). `_unpack` takes what it opened, and says what was wrong with it, as if it had
        read them itself."""
        if self.folder is None or self.secret is None or kind not in PACKED or kind in self._ahead:
            return
        paths, opened = self._pack_files(kind), {}

        def read() -> None:
            for path in paths:
                opened[path] = self._open(kind, path.name, path)

        thread = threading.Thread(target=read, name=f"cache {kind}", daemon=True)
        thread.start()
        self._ahead[kind] = (thread, paths, opened)

    def _value(self, path: Path, body: bytes):
        """The value a body holds, or None (its entry file removed, with a warning)."""
        try:
            return loads(body)
        except NotData as e:
            return self._damaged(path, f"names {ascii(str(e)[:100])}, which an entry may not hold")
        except Exception:  # noqa: BLE001 - a checksum that matches a payload we cannot read: still ignored
            return self._damaged(path, "unreadable")

    def _unpack(self, kind: str, key: str):
        """A packed kind's value under `key`: every pack of the kind is read at the first lookup (one file
        each, not one a key), and a pack whose entries this build uses is kept by `prune`."""
        index = self._packs.get(kind)
        if index is None:
            index = self._packs[kind] = {}
            thread, paths, opened = self._ahead.pop(kind, (None, None, {}))
            if thread is not None:
                thread.join()
            for path in self._pack_files(kind) if paths is None else paths:  # one the thread could not open: now
                body = self._read(kind, path.name, path, opened=opened.get(path, UNREAD))
                pack = body and self._value(path, body)
                if pack is not None and not (isinstance(pack, dict) and all(isinstance(k, str) and isinstance(v, bytes)
                                                                for k, v in pack.items())):
                    pack = self._damaged(path, "unreadable")
                index.update((k, (path, v)) for k, v in (pack or {}).items())
        path, body = index.get(key, (None, b""))
        value = None if path is None else self._value(path, body)
        if value is None:
            if path is not None:  # the pack is gone: none of its entries is used
                self._packs[kind] = {k: found for k, found in index.items() if found[0] != path}
            self.misses += 1
            return None
        if path not in self._used:
            self._used[path] = {}
            try:
                os.utime(path, follow_symlinks=False)
            except OSError:
                pass
        self._used[path][key] = body
        self.hits += 1
        return value

    def _pack_files(self, kind: str) -> list[Path]:
        top = self.real_dir(kind, make=False)
        if top is None:
            return []
        found = []
        for sub in sorted(os.listdir(top)):
            folder = self.real_dir(kind, sub, make=False) if len(sub) == 2 else None
            if folder is not None:
                found += [folder / name for name in sorted(os.listdir(folder)) if not name.startswith(".tmp-")]
        return found

    def _damaged(self, path: Path, why: str):
        self.problems.append(Problem(Src(self.named(path), 1), f"build cache entry {why}: ignored, made again",
                                     warning=True))
        try:
            path.unlink()
        except IsADirectoryError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass
        return None

    def named(self, path: Path) -> str:
        """The path in the cache, as a warning names it (its control characters and non-ASCII escaped)."""
        rel = path.relative_to(self.folder).as_posix()
        return ascii(FOLDER if rel == "." else f"{FOLDER}/{rel}")[1:-1]

    def put(self, kind: str, key: str, value) -> None:
        """Store `value` under `key`, written whole or not at all (a crash leaves no half entry); a packed kind's
        values wait for `flush`, which writes them as one file."""
        if self.folder is None or self.secret is None:
            return
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if kind in PACKED:
            self._pending.setdefault(kind, {})[key] = body
            return
        self._write(kind, key, body)

    def flush(self) -> None:
        """Write the packed kinds' values `put` since the last flush, each kind's as one pack."""
        for kind, pending in self._pending.items():
            if pending:
                self._write_pack(kind, pending)
        self._pending = {}

    def _write_pack(self, kind: str, entries: dict[str, bytes]) -> Path:
        """Entries (key → pickle) written as one pack, named by the SHA-256 of their keys; its path."""
        name = hashlib.sha256("\n".join(sorted(entries)).encode("utf-8")).hexdigest()
        self._write(kind, name, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
        return self._path(kind, name)

    def _write(self, kind: str, key: str, body: bytes) -> None:
        try:
            folder = self.real_dir(kind, key[:2])
            if folder is None:
                raise OSError(0, "a folder of it cannot be made")
            write_new(folder, key, seal(self.secret, f"{kind}/{key}", body))
        except OSError as e:  # a full disk or a read-only site: the build goes on without the entry
            if not any("cannot be written" in p.message for p in self.problems):
                self.problems.append(Problem(Src(FOLDER, 0), f"the build cache cannot be written ({e.strerror}); "
                                                             "the build goes on without it", warning=True))

    def prune(self, before: float) -> None:
        """Remove the entries no build has used since `before` (a time.time()): the cache holds one site. Within
        the cache's own folders only: no link is followed."""
        if self.folder is None:
            return
        self.flush()
        self._compact()
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

    def _compact(self) -> None:
        """The entries this build used, from packs that hold many more, or from many packs, written again as one
        pack, and those packs removed: the packs do not grow with every build."""
        for kind in PACKED:
            used = {path: keys for path, keys in self._used.items() if path.parent.parent.name == kind}
            held = sum(1 for path, _ in self._packs.get(kind, {}).values() if path in used)
            if len(used) > COMPACT_PACKS or held > 2 * sum(map(len, used.values())) + COMPACT_SLACK:
                written = self._write_pack(kind, {k: v for keys in used.values() for k, v in keys.items()})
                for path in used.keys() - {written}:
                    try:
                        os.unlink(path)
                    except OSError:
                        pass
                self._used = {path: keys for path, keys in self._used.items() if path not in used}


def _kind_of(path: Path) -> str:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "file"
    return "symbolic link" if stat.S_ISLNK(mode) else "folder" if stat.S_ISDIR(mode) else "file"
