"""A site folder → the key of all its build's inputs (`inputs_key`, `scope_key`), and whether it is `up_to_date`."""
from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import keys
from .keys import digest, file_key, racy
from .output import Record, fresh_output, last_record

if TYPE_CHECKING:
    from .pages import Cache


def _tree(folder: Path, parts: list, with_mode: bool = False, known: dict | None = None,
          seen: dict | None = None) -> None:
    """Every file under `folder` into `parts`: its relative path and the SHA-256 of its bytes; a symbolic link as
    what it names, never followed (a link to `/dev/zero`, a pipe or `/` would have no end: the build refuses a link
    out of its folder, and a link inside it names a file that is hashed where it is). A file whose size, inode and
    times are those `known` gives (path → [size, inode, modification and change time, SHA-256]) is not read again;
    what each file is now goes into `seen`."""
    if folder.is_symlink() or not folder.is_dir():
        parts.append(f"{folder}: {'a link' if folder.is_symlink() else 'none'}")
        return
    found = []
    for dirpath, dirs, files in os.walk(folder):
        dirs.sort()
        found += [os.path.join(dirpath, name) for name in files]
        found += [os.path.join(dirpath, name) for name in dirs if os.path.islink(os.path.join(dirpath, name))]
    parts.append(str(folder.resolve()))
    skip = len(os.path.join(str(folder), ""))
    for path in sorted(found):
        parts.append(path[skip:])  # its path under `folder` (os.path.relpath takes 10 times as long)
        try:
            st = os.stat(path, follow_symlinks=False)
            now = [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]
            last = known.get(path) if known else None
            if stat.S_ISLNK(st.st_mode):
                sha = f"a link to {os.readlink(path)}"
            elif not stat.S_ISREG(st.st_mode):
                sha = "not a file"
            elif isinstance(last, list) and len(last) == 5 and last[:4] == now:
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
    from ..config import SYSTEM_FONTS, theme_dirs
    started = time.time_ns()
    known, seen = (store.sources if store is not None else {}), {}
    parts: list = [keys.generator_key(), base_url, drafts, os.environ.get("PAGEFIND_BINARY_PATH", "")]
    site = root / "site.toml"
    parts.append(site.read_bytes() if site.is_file() else b"")
    _tree(root / "content", parts, known=known, seen=seen)
    for folder in theme_dirs(root, "templates"):
        _tree(folder, parts, known=known, seen=seen)
    for folder in theme_dirs(root, "static"):
        _tree(folder, parts, with_mode=True, known=known, seen=seen)
    parts += [file_key(f) for f in SYSTEM_FONTS if os.path.isfile(f)][:1]
    if store is not None:
        store.seen = seen  # what this build's load may take a file's SHA-256 from instead of reading it
        store.sources = {path: made for path, made in seen.items() if not racy(made[2], made[3], started)}
    return digest(*parts)


def scope_key(root: Path, base_url: str | None, drafts: bool) -> str:
    """What every page shares: the generator, site.toml, --base-url, --drafts and the theme's templates."""
    from ..config import theme_dirs
    site = root / "site.toml"
    parts: list = [keys.generator_key(), base_url, drafts, site.read_bytes() if site.is_file() else b""]
    for folder in theme_dirs(root, "templates"):
        _tree(folder, parts)
    return digest(*parts)


def up_to_date(root: Path, out: Path | None, base_url: str | None, drafts: bool,
               store: Cache) -> tuple[Record | None, str]:
    """The last build's record if the output folder already holds what a build now would write, and the key of
    the inputs (for the build, when it is not). Reads the inputs and the output's file list, nothing more."""
    if store.folder is None:
        return None, ""
    from ..config import load_config
    from ..write import clear_leftovers
    out = out or root / load_config(root, base_url).output_dir
    saved = last_record(store, out)
    store.sources = saved.get("sources") if isinstance(saved.get("sources"), dict) else {}
    inputs = inputs_key(root, base_url, drafts, store)
    fresh = fresh_output(saved, out, inputs)
    if fresh:
        clear_leftovers(Path(os.path.realpath(out)))  # what killed builds left beside it: as any build does
    return fresh, inputs
