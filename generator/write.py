"""A finished build → the output folder, swapped in whole: a failed build never touches the last good output.

Also what the last output tells: which published pages a new build would drop.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import Problem, Src


@contextmanager
def staging(out: Path):
    """A fresh folder beside `out`; on success it replaces `out`, on failure it is removed."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    out.chmod(0o755)  # mkdtemp made it private; a web server must read it
    shutil.rmtree(old, ignore_errors=True)


def copy_static(static_dirs: list[Path], out: Path) -> None:
    """Copy the theme's static files, the site's own last so they win."""
    for folder in reversed(static_dirs):
        shutil.copytree(folder, out, dirs_exist_ok=True)


KEPT = re.compile(r"<loc>[^<]*?/((?:articles|claims|actors)/[^/<]+/)</loc>")


def vanished(last: Path, paths: set[str], shown_as: str) -> list[Problem]:
    """Warnings for article, claim and actor pages the last build published (its sitemap) that are gone now."""
    sitemap = last / "sitemap.xml"
    if not sitemap.is_file():
        return []
    problems = []
    for n, line in enumerate(sitemap.read_text("utf-8").splitlines(), 1):
        for path in KEPT.findall(line):
            if path not in paths:
                kind, slug = path.strip("/").split("/")
                hint = (f"add 'aliases: [{slug}]' to the claim that replaces it" if kind == "claims"
                        else "keep its file name, or keep a page at that address")
                problems.append(Problem(Src(f"{shown_as}/sitemap.xml", n),
                                        f"{path} was published by the last build and would disappear: {hint}",
                                        warning=True))
    return problems
