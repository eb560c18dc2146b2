"""An output folder ↔ its record in the cache, and the output before last kept to build in (`output_folder`)."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

try:
    import fcntl  # the spare output's lock; where there is none, every build starts in a fresh folder
except ImportError:  # pragma: no cover - not Unix
    fcntl = None

from ..errors import Problem, Src
from ..pool import Forked, ended, forked
from ..write import MARK, clear_leftovers, remove_later, keep_only, staging
from .keys import digest, racy
from .store import read_file, seal, unseal, write_new

if TYPE_CHECKING:
    from .pages import Cache


def _manifest(out: Path, racy_from: int | None = None, hashed: dict | None = None,
              odd: list | None = None) -> dict[str, list]:
    """Each file of `out` → size, inode, modification and change time (any edit, replacement or `touch` changes
    the change time) and, for a file written in the last RACY_NS before `racy_from` (as git does with racily clean
    files: `keys.racy`) or named in `hashed`, the SHA-256 of its bytes. What is neither a file nor a folder (a
    link, a pipe) is listed unread, and named in `odd`."""
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
                read = hashed.get(rel, [""])[-1] if hashed is not None else \
                    racy_from is not None and racy(st.st_mtime_ns, st.st_ctime_ns, racy_from)
                if not stat.S_ISREG(st.st_mode):
                    read = False
                    if odd is not None:
                        odd.append(rel)
                found[rel] = [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns,
                              hashlib.sha256(Path(entry.path).read_bytes()).hexdigest() if read else ""]
    return found


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what a terminal would take as a command


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
    """A record in the cache's `builds/`, written whole and signed as entries are, in real folders of the cache."""
    try:
        folder = cache.real_dir(path.parent.name) if cache.secret is not None else None
        if folder is not None:
            write_new(folder, path.name, seal(cache.secret, f"builds/{path.name}", text.encode("utf-8")))
    except OSError:
        pass


def _read_whole(cache: Cache, path: Path) -> str:
    """A record as `_write_whole` wrote it with this key ('' for none, or one that is damaged or forged)."""
    if cache.secret is None or cache.real_dir(path.parent.name, make=False) is None:
        return ""
    try:
        return (unseal(cache.secret, f"builds/{path.name}", read_file(path)) or b"").decode("utf-8")
    except (OSError, ValueError):
        return ""


def last_record(cache: Cache, out: Path) -> dict:
    """The record of the last build into `out` ({} for none, or none that can be read)."""
    if cache.folder is None or not (out / MARK).is_file():
        return {}
    try:
        saved = json.loads(_read_whole(cache, _record_paths(cache, out)[0]) or "{}")
    except ValueError:
        return {}
    return saved if isinstance(saved, dict) else {}


def fresh_output(saved: dict, out: Path, inputs: str) -> Record | None:
    """The last build's record (`saved`) when `out` is exactly what a build from `inputs` wrote there, else None."""
    try:
        if not saved or saved["inputs"] != inputs or saved["files"] != _manifest(out, hashed=saved["files"]):
            return None
        said = [saved["summary"], *saved["warnings"]]
        if not all(isinstance(text, str) and not CONTROL.search(text) for text in said):
            return None  # what "up to date" prints, as only a build writes it: plain text (a build says it again)
        return Record(said[0], tuple(said[1:]))
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def record_output(cache: Cache, out: Path, inputs: str, summary: str, warnings, written: set[str] | None = None,
                  untouched: set[str] = frozenset()) -> None:
    """Note that `out` now holds what a build from `inputs` made (written whole, as entries are), and the keys
    of its pages (`cache.keys`). Given the files the build made the output of (`written`) and those of them it left
    as they were in the spare (`untouched`), the output's manifest is made from the spare's as checked
    (`cache.checked`) and a look at the others, not a walk through the whole output (`_manifest_of`)."""
    if cache.folder is None:
        return
    now = time.time_ns()
    files = _manifest_of(out, written, untouched, cache.checked, now) \
        if written is not None and cache.checked and cache.linked is None else None
    texts = (json.dumps({"inputs": inputs, "summary": summary, "warnings": [str(w) for w in warnings],
                         "files": files if files is not None else _manifest(out, racy_from=now),
                         "sources": cache.sources}),
             json.dumps(cache.keys))
    for folder in (out, *([cache.linked] if cache.linked else [])):  # the spare of links holds the same files
        for path, text in zip(_record_paths(cache, folder), texts):
            _write_whole(cache, path, text)


def _manifest_of(out: Path, written: set[str], untouched: set[str], checked: dict[str, list],
                 racy_from: int) -> dict[str, list] | None:
    """`_manifest(out, racy_from)` of an output made of the files `written` (and nothing else: `keep_only` saw to
    it), of which those `untouched` are as the spare's check found them (`checked`): only the others are looked
    at (at 10 000 articles, a few hundred files rather than 30 000). An entry that is no longer true (a file
    changed since it was checked) only makes the next build trust less. None where the output holds what is
    neither a file nor a folder: the walk says what."""
    found = {}
    for rel in written:
        entry = checked.get(rel) if rel in untouched else None
        if entry is None:
            try:
                st = os.lstat(os.path.join(out, rel))
            except FileNotFoundError:
                continue
            if not stat.S_ISREG(st.st_mode):
                return None
            entry = [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]
        entry = [*entry[:4], ""]
        if racy(entry[2], entry[3], racy_from):
            entry[4] = hashlib.sha256(Path(out, rel).read_bytes()).hexdigest()
        found[rel] = entry
    return found


def forget_output(cache: Cache, out: Path, read: bool = True) -> tuple[str, str]:
    """The output is about to change: no record may vouch for it until the build that changes it finishes. Its
    record and keys as they were ('' where none, or not `read`: a caller that has them, or needs them not), which
    describe the spare once the new output is in place (`keep_record`)."""
    texts = ["", ""]
    if cache.folder is None or cache.real_dir("builds", make=False) is None:
        return "", ""
    for n, path in enumerate(_record_paths(cache, out)):
        texts[n] = _read_whole(cache, path) if read else ""
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


class Ahead:
    """The spare output claimed (its lock taken: `spare_output`) as soon as the build knows its output folder, and
    checked (`_check`) by a process of its own while the site is loaded, linked and planned on one core (0.6 s at
    10 000 articles: its record read, and every file of it looked at); the same process reads the keys of the last
    output's pages (`LastOutput`: 0.1 s more). `found()` and `last_keys()` give what it found, or None (none
    started, or it failed: the build does the work itself then). The lock is held until `close()`."""

    def __init__(self, cache: Cache, out: Path, fork: bool = True) -> None:
        self.lock, self.spare, self.helper, self._answer = -1, None, None, None
        if cache.folder is None or fcntl is None:
            return
        real = Path(os.path.realpath(out))
        spares = cache.real_dir("output")
        spare = cache.folder / "output" / digest(real)[:32]
        try:
            near = next(p for p in (real.parent, *real.parents) if p.exists())
            if spares is not None and os.stat(spares).st_dev == os.stat(near).st_dev:
                self.lock = _lock_file(cache, spares / f"{spare.name}.lock")
                fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.close()
        if self.lock < 0:
            return
        self.spare = spare
        if os.path.lexists(spare) and not stat.S_ISDIR(os.lstat(spare).st_mode):
            cache.planted(spare, "in place of the output kept")
        if fork and os.path.isdir(spare):
            self.helper = Forked(lambda: _check_ahead(cache, spare, out))

    def _answered(self) -> tuple:
        if self.helper is not None:
            self._answer, self.helper = self.helper.result(), None
        return self._answer or (None, None)

    def found(self) -> tuple | None:
        """(what of the spare can stay, every file it holds, what it holds that is neither file nor folder)."""
        return self._answered()[0]

    def last_keys(self) -> dict | None:
        """The keys of the last output's pages, as its record gives them (`LastOutput`), but those the spare holds
        under the same keys."""
        return self._answered()[1]

    def close(self) -> None:
        if self.helper is not None:
            self.helper.close()
            self.helper = None
        if self.lock >= 0:
            os.close(self.lock)
        self.lock = -1


@contextmanager
def spare_output(cache: Cache, out: Path, ahead: Ahead | None = None):
    """The folder of the build cache that holds the output before last (the last build's swap left it there), to
    build the next output in, and what of it can stay: output file → (key without words, key, search.indexed, the
    groups of words it read, SHA-256) of the page it holds, for the files its record names, as they were written;
    and every file it holds. A build there writes only what changed. `ahead` is the spare claimed and checked
    before (`Ahead`), which the caller closes; without it, the spare is claimed and checked now.

    (None, {}, set()) without a cache, where the cache lies on another file system than `out` (the swap is a rename),
    or while another build uses it (a lock, held until the block ends or the process does, however it ends)."""
    own = ahead is None
    ahead = Ahead(cache, out, fork=False) if own else ahead
    try:
        spare = ahead.spare
        if spare is None:
            yield None, {}, set()
            return
        _sweep(cache, spare)
        _remove_folder(cache, spare.with_name(f"{spare.name}{LINKS}"))  # a killed build's copy of links
        clear_leftovers(spare)  # and the old output it had put aside
        try:
            kept, present = _kept(cache, spare, ahead.found())
        except OSError:  # a spare that cannot be read through: a fresh folder instead
            kept, present, spare = {}, set(), None
        yield spare, kept, present
    finally:
        if own:
            ahead.close()


LINKS = "-links"  # the copy of links a cold build makes beside its spare (`_Links`)


def _remove_folder(cache: Cache, path: Path) -> None:
    """Remove a folder of the cache that a build left; a link there is removed, never followed."""
    if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
        cache.planted(path, "in place of a copy of links")
    elif os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)


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
            forget_output(cache, other, read=False)
            shutil.rmtree(other, ignore_errors=True)
            _remove_folder(cache, other.with_name(f"{other.name}{LINKS}"))
        except OSError:
            pass  # another build is using it
        finally:
            os.close(fd)


def _kept(cache: Cache, spare: Path, found: tuple | None = None) -> tuple[dict[str, tuple], set[str]]:
    """What of the spare can stay (see `spare_output`), and every file it holds: as `found` by `_check` (`Ahead`),
    or checked now."""
    # the spare is about to change: nothing vouches for it now (its record is read here only if not checked before)
    record, keys = forget_output(cache, spare, read=found is None)
    kept, present, odd = found if found is not None else _check_texts(spare, record, keys)
    cache.checked = present
    if odd:  # a link (or a pipe) the build did not make: the build would write through it, so none of it stays
        cache.problems.append(Problem(Src(cache.named(spare / min(odd)), 1),
                                      f"the output kept for the next build holds a link the build did not make"
                                      f"{f' (and {len(odd) - 1} more)' if len(odd) > 1 else ''}: discarded, "
                                      "not followed", warning=True))
        shutil.rmtree(spare)  # removes links, never what they lead to
        cache.checked = {}
        return {}, set()
    return kept, set(present)


def _check_ahead(cache: Cache, spare: Path, out: Path) -> tuple:
    """What `Ahead`'s process finds: the spare checked (`_check`), and the keys of the last output's pages (`out`'s
    record) but those the spare holds under the same keys: a page whose key is not the one there cannot be the
    one here either, and at 10 000 articles they are nearly all alike (5 MB less through the pipe)."""
    found = _check(cache, spare)
    kept = {} if found[2] else found[0]  # a spare that holds a link is discarded: nothing of it stays
    return found, {rel: made for rel, made in _page_keys(_read_whole(cache, _record_paths(cache, out)[1])).items()
                   if kept.get(rel) != made}


def _check(cache: Cache, spare: Path) -> tuple[dict[str, tuple], dict[str, list], list[str]]:
    """`_check_texts` with the spare's record and keys as they are (read, not forgotten)."""
    return _check_texts(spare, *(_read_whole(cache, path) for path in _record_paths(cache, spare)))


def _check_texts(spare: Path, record: str, keys: str) -> tuple[dict[str, tuple], dict[str, list], list[str]]:
    """What of the spare its `record` and `keys` vouch for as it is now (output file → its page's keys), every
    file it holds (→ its entry in a manifest, `_manifest`), and what it holds that is neither a file nor a folder
    (a link: then nothing may stay)."""
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
    kept = {}
    for rel, made in keys.items():
        if now.get(rel) is not None and now[rel] == files.get(rel) and isinstance(made, list) and len(made) == 5:
            kept[rel] = tuple(made)
    return kept, now, odd


def _page_keys(text: str) -> dict[str, tuple]:
    """The keys of an output's pages as its record's text gives them (output file → the five keys)."""
    try:
        found = json.loads(text or "{}")
        return {rel: tuple(made) for rel, made in found.items() if isinstance(made, list) and len(made) == 5}
    except (ValueError, TypeError, AttributeError):
        return {}


class LastOutput:
    """The output folder as the last build left it, and the keys of its pages from that build's record (each with
    the SHA-256 of the page's bytes), to copy a page from instead of rendering it again: the build cache keeps no
    page of its own, the output is it. A file is given only if its bytes are those the record names, and it is
    read through no link: so an output restored from elsewhere (a CI cache) serves as well as one left here."""

    def __init__(self, folder: Path | None = None, keys: dict | None = None) -> None:
        self.folder, self.keys = folder, keys or {}
        self._dirs: dict[str, int] = {}

    def read(self, rel: str, sha: str) -> bytes | None:
        """The bytes of output file `rel` if they hash to `sha` (else None)."""
        if self.folder is None or not sha:
            return None
        parent, _, name = rel.rpartition("/")
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=self._dir(parent))
        except OSError:
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            with os.fdopen(os.dup(fd), "rb") as f:
                data = f.read()
            return data if hashlib.sha256(data).hexdigest() == sha else None
        except OSError:
            return None
        finally:
            os.close(fd)

    def _dir(self, rel: str) -> int:
        """A descriptor of the folder `rel` of the output, each step opened without following a link."""
        fd = self._dirs.get(rel)
        if fd is None:
            parent, _, name = rel.rpartition("/")
            at = self._dir(parent) if rel else None
            fd = os.open(name if rel else self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=at)
            self._dirs[rel] = fd
        return fd

    def close(self) -> None:
        for fd in self._dirs.values():
            os.close(fd)
        self._dirs.clear()


class _Links:
    """A copy of an output made of hard links to its files, at `target` (beside the spare in the cache), made while
    the build goes on: the pages by a process of its own while Pagefind indexes them (`start`), the rest once the
    output is complete (`finish`). A cold build leaves it as the spare (`output_folder`), so the first warm build
    after it brings the spare up to date as the next ones do, rather than making each of the output's files again
    (30 000 at 10 000 articles, a third of that build).

    Links are safe to build in: the build never writes into a file of its folder (`write.put`), and an edit of
    the output in place changes the change time the spare's record holds, so that file is not kept."""

    def __init__(self, target: Path) -> None:
        self.target, self.given, self.pid, self.made = target, set(), 0, False

    def start(self, folder: Path, files: set[str]) -> None:
        """Link `files` of `folder` in a process of its own (a folder each takes a new inode: 0.13 ms here)."""
        self.given = set(files)
        try:
            os.mkdir(self.target)
        except OSError:
            return
        self.pid = forked(lambda: self._link(folder, self.given))

    def finish(self, folder: Path, files: set[str]) -> None:
        """Wait for the process, then link what `files` adds to those it was given: the output is complete."""
        if self.pid <= 0:
            return
        done, self.pid = ended(self.pid), 0
        if done:
            try:
                self._link(folder, files - self.given)
                self.made = True
            except OSError:
                pass

    def stop(self) -> None:
        """Remove the copy unless it was made whole (the build failed, or the linking did)."""
        if self.pid > 0:
            ended(self.pid, stop=True)
            self.pid = 0
        if not self.made:
            shutil.rmtree(self.target, ignore_errors=True)

    def _link(self, folder: Path, files) -> None:
        made = set()
        for rel in files:
            parent = rel.rpartition("/")[0]
            if parent and parent not in made:
                os.makedirs(os.path.join(self.target, parent), exist_ok=True)
                made.add(parent)
            try:
                os.link(os.path.join(folder, rel), os.path.join(self.target, rel), follow_symlinks=False)
            except FileNotFoundError:
                continue  # not written after all: the next build writes it


@contextmanager
def output_folder(cache: Cache, out: Path, written: set[str], also: str = "", ahead: Ahead | None = None):
    """The folder a build writes its output in, put in place of `out` when the block ends without an error (a
    failed build leaves the last good output, `write.staging`). With the cache it is the output before last
    (`spare_output`), of which only the files still `written` by the block's end stay (and, from its start, those
    under `also`: the search bundle, which the build compares before it writes); the old output then becomes the
    next build's, with its record. Where no record vouches for the old output (a cold build), the next build's
    spare is a copy of the new one made of links (`_Links`), begun when the block calls `pages_written`.

    Yields the folder, what of it can stay (output file → its page's keys), the last output (`LastOutput`) to copy
    pages from, and `pages_written`. `ahead`: the spare as claimed and checked before (`Ahead`)."""
    keys = ahead.last_keys() if ahead is not None else None  # as read ahead (before they are forgotten), else now
    was = forget_output(cache, out)  # nothing vouches for the output while it changes
    last = LastOutput(Path(os.path.realpath(out)), _page_keys(was[1]) if keys is None else keys) \
        if cache.folder is not None else LastOutput()
    with spare_output(cache, out, ahead) as (spare, kept, present):
        # No record vouches for the old output, and the new one is made in a fresh folder, sharing no file with it
        first = spare is not None and not all(was) and not os.path.lexists(spare)
        links = _Links(spare.with_name(f"{spare.name}{LINKS}")) if first else None
        try:
            with staging(out, spare) as folder:
                if spare is not None:
                    keep_only(folder, present, written, also=also)
                yield folder, kept, last, (lambda: links.start(folder, written)) if links else (lambda: None)
                last.close()  # before the swap: it holds the old output's folders open
                if spare is not None:
                    keep_only(folder, present, written)
                if links:
                    links.finish(folder, written)
        finally:
            last.close()
            if links:
                links.stop()
        if spare is not None and all(was):
            keep_record(cache, spare, was)  # the old output, now the spare, as its build left it
        elif links and links.made:  # the copy of links is the spare; the old output (if any) is removed
            try:
                if os.path.lexists(spare):
                    aside = spare.with_name(f".{spare.name}.old-{os.getpid()}")
                    os.replace(spare, aside)
                    remove_later(aside, spare.name)
                os.replace(links.target, spare)
                cache.linked = spare
            except OSError:
                shutil.rmtree(links.target, ignore_errors=True)
