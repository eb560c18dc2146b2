"""Values and files → keys: `digest`, the generator's version, a content file's `load_key`, `canonical`, `racy`."""
from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # the generator: its source is part of every key


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


def load_key(loader, rel: str, sha: str, args: str) -> str:
    """A content file's record and problems: its path, the SHA-256 of its bytes, its loader and the loader's
    arguments (`digest(canonical(args))`)."""
    return digest("load", generator_key(), f"{loader.__module__}.{loader.__qualname__}", rel, sha, args)


RACY_NS = 100_000_000  # file times tick coarsely (a few ms): a file changed this soon after its writing may not show it


def racy(mtime_ns: int, ctime_ns: int, when_ns: int) -> bool:
    """Whether a file with these times changed too shortly before `when_ns` for its times to vouch for it."""
    return max(mtime_ns, ctime_ns) >= when_ns - RACY_NS
