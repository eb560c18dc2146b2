"""A finished build → the output folder, swapped in whole: a failed build never touches the last good output.

The build only ever replaces a folder it made itself: each output holds a `MARK` file, and a folder without it
(the site, an ancestor of it, `content/`, anybody's files) is refused before anything is written. Leftovers of
a killed build are recognised by the same mark and cleared by the next one; once the new output is in place, the
old one is kept as the folder the next build brings up to date (with the build cache) or removed in the
background. Also what the last output tells: which published pages and passages a new build would drop.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import Problem, SiteError, Src

MARK = ".factcheck-output"  # in every folder the build writes; its presence is what allows replacing the folder
MARK_TEXT = "Written by `python -m generator build`. The next build replaces this whole folder.\n"
PROTECTED = ("content", "templates", "static", ".git")  # never an output, nor inside one of them


def output_problem(out: Path, root: Path, src: Src, existing: bool = True) -> Problem | None:
    """Why `out` cannot be the output folder of the site at `root`, or None when it can.

    It must not be the site folder or one of its ancestors, nor lie in content/, templates/, static/ or .git/,
    and (with `existing`, when a build is about to replace it) if it exists it must be empty or an output this
    generator wrote (it holds `MARK`).
    """
    target, site = _real(out), _real(root)
    if target == site or site.is_relative_to(target):
        return Problem(src, f"the output folder {str(out)!r} is the site folder or holds it: the build replaces "
                            "its output whole, so it must be a folder of its own, such as '_site'")
    for name in PROTECTED:
        if target.is_relative_to(site / name):
            return Problem(src, f"the output folder {str(out)!r} lies in the site's {name}/: choose a folder of its "
                                "own, such as '_site'")
    if not existing:
        return None
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        return Problem(src, f"the output folder {str(out)!r} is a file or a link, not a folder")
    if target.is_dir() and not (target / MARK).is_file() and any(target.iterdir()):
        return Problem(src, f"the output folder {str(out)!r} holds files this generator did not write (it has no "
                            f"{MARK}): the build will not replace it; empty or remove it, or choose another folder")
    return None


def _real(path: Path) -> Path:
    """The absolute path, links resolved in its existing part (`out` itself may not exist yet)."""
    return Path(os.path.realpath(path.absolute()))


@contextmanager
def staging(out: Path, spare: Path | None = None):
    """A fresh folder beside `out`, or `spare` (an earlier output, kept in the build cache, which the build
    brings up to date); on success it replaces `out`, on failure a fresh folder is removed. A spare is kept
    either way: after the swap it holds the old output, the next build's spare.

    The caller has checked `out` with `output_problem`; it is checked once more here, just before the swap.
    """
    out = _real(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(out)
    if spare is not None:
        spare.mkdir(parents=True, exist_ok=True)
        tmp = spare
    else:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
    swapped = False
    try:
        put(tmp / MARK, MARK_TEXT.encode("utf-8"))
        yield tmp
        if out.exists() and not (out / MARK).is_file() and any(out.iterdir()):
            raise SiteError([Problem(Src(str(out), 1), f"the output folder gained files while building and has no "
                                                       f"{MARK}: not replaced")])
        tmp.chmod(0o755)  # mkdtemp made it private; a web server must read it
        _swap(tmp, out)
        swapped = True
    finally:
        if spare is not None:
            pass  # the old output, or a failed build's files, which nothing vouches for: the next spare
        elif swapped and tmp.exists():  # the old output, now at tmp
            remove_later(tmp, out.name)
        else:  # a failed build's own files
            shutil.rmtree(tmp, ignore_errors=True)


def put(target: Path, data: bytes) -> None:
    """Write `data` as a new file at `target` (and its folders): never into the file there, nor through a link. The
    folder a build writes in may be an earlier output whose files are links to the output being served
    (`cache.output`): a file written into would change the live site before the build is done, or after it failed."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(target, flags, 0o666)
    except FileExistsError:
        os.unlink(target)
        fd = os.open(target, flags, 0o666)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, flags, 0o666)
    with open(fd, "wb") as f:
        f.write(data)


def _put_copy(source: str, target: str) -> None:
    """`shutil.copy2` (the bytes, then the mode and times) through `put`: a new file in place of the one there."""
    put(Path(target), Path(source).read_bytes())
    shutil.copystat(source, target)


def keep_only(folder: Path, present: set[str], wanted: set[str], also: str | None = None) -> None:
    """Remove from a spare output the files it holds (`present`) but those `wanted` (and those under `also`): a
    page gone, an old search shard's files, whatever a killed build left; and the folders they leave empty."""
    for rel in present:
        if rel in wanted or (also and rel.startswith(also)):
            continue
        path = folder / rel
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        parent = path.parent
        while parent != folder:
            try:
                parent.rmdir()  # only an empty one
            except OSError:
                break
            parent = parent.parent


def _swap(new: Path, out: Path) -> None:
    """Put `new` at `out`; the old output (if any) ends up at `new`. Never a moment without an output on Linux."""
    if out.exists() and exchange(new, out):
        return
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.replace(out, old)
        os.replace(new, out)
        os.replace(old, new)  # so the caller's clean-up removes it
    else:
        os.replace(new, out)


# The remover first takes the folder under its own pid, so that a build starting meanwhile leaves it alone.
REMOVE = """import os, shutil, sys
os.nice(10)
old, name = sys.argv[1], sys.argv[2]
mine = os.path.join(os.path.dirname(old), f".{name}.old-{os.getpid()}")
try:
    os.rename(old, mine)
except OSError:
    mine = old
shutil.rmtree(mine, ignore_errors=True)
"""


DETACH = '"$0" -c "$1" "$2" "$3" </dev/null >/dev/null 2>&1 &'  # the shell starts the remover and ends at once


def remove_later(old: Path, name: str) -> None:
    """Remove the old output in a process of its own (thousands of files take seconds), so the build is done as
    soon as the new output is in place. Should that process die, the folder (marked, and named after a process
    that is gone) is a leftover the next build clears.

    The remover is started by a shell that ends at once: it is nobody's child here, so no process calling the
    build (a test runner, mutmut) is left with a child to reap; in a session of its own, so a Ctrl-C in the
    terminal after the build does not stop it; and it holds none of the build's streams, not even while the shell
    starts it."""
    try:
        import subprocess
        subprocess.run(["/bin/sh", "-c", DETACH, sys.executable, REMOVE, str(old), name], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(old, ignore_errors=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    import ctypes
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?:new|old)-(?P<pid>\d+)(?:-[^/]*)?$")


def clear_leftovers(out: Path) -> None:
    """Remove what killed builds left beside `out`: staging folders of processes that are gone, with our mark."""
    for entry in out.parent.iterdir():
        m = LEFTOVER.match(entry.name)
        if not m or m["name"] != out.name or not entry.is_dir() or entry.is_symlink():
            continue
        if _alive(int(m["pid"])) and int(m["pid"]) != os.getpid():
            continue  # another build running now
        if (entry / MARK).is_file() or not any(entry.iterdir()):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def copy_static(static_dirs: list[Path], out: Path, copied: set[str] | None = None) -> list[Problem]:
    """Copy the theme's static files, the site's own last so they win (their paths go into `copied`); a link
    that leads out of its folder is refused (a `static/passwd` → `/etc/passwd` link must not be published)."""
    problems = []
    for folder in reversed(static_dirs):
        base = _real(folder)
        found = sorted(folder.rglob("*"))
        for path in found:
            if path.is_symlink() and not _real(path).is_relative_to(base):
                problems.append(Problem(Src(f"static/{path.relative_to(folder).as_posix()}", 1),
                                        f"a symbolic link to {_real(path)}, outside static/: not published"))
        if not problems:
            shutil.copytree(folder, out, dirs_exist_ok=True, copy_function=_put_copy)
            if copied is not None:
                copied.update(path.relative_to(folder).as_posix() for path in found if path.is_file())
    return problems


KEPT = re.compile(r"<loc>[^<]*?/((?:articles|claims|actors)/[^/<]+/)</loc>")
PASSAGE = re.compile(rb'"passage": "([^"]*)"')  # in the bytes: 78 MB at 10 000 articles, read as text, took 0.2 s more
ANCHOR = re.compile(r'/articles/([^/"]+)/#([^"]+)$')


def published(last: Path) -> tuple[list[tuple[int, str]], dict[str, list[str]]]:
    """What the last build (its output, `last`) published that a build may not drop unsaid: the article, claim and
    actor pages its sitemap lists, each with its line, and each article's passage anchors (annotations.jsonld, 78 MB
    at 10 000 articles). Plain data: a process of its own reads it while the site is loaded (build.py)."""
    pages, anchors = [], {}
    sitemap = last / "sitemap.xml"
    if sitemap.is_file():
        for n, line in enumerate(sitemap.read_text("utf-8", errors="replace").splitlines(), 1):
            pages += [(n, path) for path in KEPT.findall(line)]
    data = last / "annotations.jsonld"
    if data.is_file():
        for url in PASSAGE.findall(data.read_bytes()):
            found = ANCHOR.search(url.decode("utf-8", errors="replace"))
            if found:
                anchors.setdefault(found[1], []).append(found[2])
    return pages, anchors


def vanished(pages: list[tuple[int, str]], paths: set[str], shown_as: str) -> list[Problem]:
    """Warnings for article, claim and actor pages the last build published (`published`'s `pages`, with the line
    of its sitemap that lists each) that are gone now."""
    problems = []
    for n, path in pages:
        if path not in paths:
            kind, slug = path.strip("/").split("/")
            hint = (f"add 'aliases: [{slug}]' to the claim that replaces it" if kind == "claims"
                    else "keep its file name, or keep a page at that address")
            problems.append(Problem(Src(f"{shown_as}/sitemap.xml", n),
                                    f"{path} was published by the last build and would disappear: {hint}",
                                    warning=True))
    return problems


def vanished_passages(before: dict[str, list[str]], articles: dict) -> list[Problem]:
    """Warnings for passage anchors (`articles/SLUG/#ID`) the last build published (`before`: `published`'s
    anchors) that its article drops now.

    Journalists link to passages; an anchor changes when its quote is edited. The warning names the annotation
    that most likely replaced it (same claim, an anchor not published before), where `id: OLD` keeps the link.
    """
    problems = []
    for slug, listed in sorted(before.items()):
        article = articles.get(slug)
        if article is None:
            continue  # the page itself is gone: `vanished` says so
        anchors = set(listed)
        now = {anchor: a for a in article.annotations for anchor in (a.id, *a.also)}
        for anchor in sorted(anchors - now.keys()):
            fresh = [a for a in article.annotations if a.id not in anchors and anchor.startswith(a.claim[:48].rstrip("-"))]
            where = fresh[0].src if fresh else article.src
            keep = (f"write 'id: {anchor}' in the annotation at this line to keep links to it" if fresh
                    else f"give the annotation that replaces it 'id: {anchor}'")
            problems.append(Problem(where, f"passage articles/{slug}/#{anchor} was published by the last build and "
                                           f"would disappear: {keep}", warning=True))
    return problems
