"""write.py, called directly on tmp folders: which output folders are refused and why, the swap and what it leaves
behind, the static files, and the "would disappear" warnings read from the last output."""
from __future__ import annotations

import ctypes
import os
import select
import stat
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

import generator.write as write
from conftest import beside
from generator.errors import Problem, SiteError, Src
from generator.write import MARK, copy_static, output_problem, published, staging, vanished, vanished_passages

AT = Src("site.toml", 4)


@pytest.fixture(autouse=True)
def removals(monkeypatch):
    """Each process a test starts (the background removal of an old output) is waited for when the test ends:
    none is left for the test process to reap later (mutmut's runner would take it for one of its own)."""
    started = []
    real = subprocess.Popen

    def popen(*args, **kwargs):
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    yield started
    for process in started:  # `other_build`, asked for after this fixture, is already stopped
        process.wait(timeout=60)


def files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text("utf-8") for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def root(tmp_path):
    site = tmp_path / "site"
    for name in ("content", "templates", "static", ".git"):
        (site / name).mkdir(parents=True)
    return site


# -- output_problem -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("where", [".", "..", "../.."])
def test_the_site_folder_and_its_ancestors_are_refused(root, where):
    out = root / where
    assert output_problem(out, root, AT) == Problem(AT, (
        f"the output folder {str(out)!r} is the site folder or holds it: the build replaces its output whole, "
        "so it must be a folder of its own, such as '_site'"))


@pytest.mark.parametrize("name", ["content", "templates", "static", ".git"])
def test_a_folder_in_the_sources_is_refused(root, name):
    for out in (root / name, root / name / "out" / "deeper"):
        assert output_problem(out, root, AT) == Problem(AT, (
            f"the output folder {str(out)!r} lies in the site's {name}/: choose a folder of its own, such as '_site'"))
        assert output_problem(out, root, AT, existing=False) is not None, "refused even before it exists"


def test_a_folder_whose_name_only_starts_like_a_source_folder_is_fine(root):
    assert output_problem(root / "contents", root, AT) is None
    assert output_problem(root / "static-site", root, AT) is None
    assert output_problem(root.parent / "site-out", root, AT) is None


def test_a_link_into_the_sources_is_refused_like_the_sources(root):
    (root / "_site").symlink_to(root / "content")
    assert "lies in the site's content/" in output_problem(root / "_site", root, AT).message


def test_a_folder_with_someone_elses_files_is_refused_only_when_it_would_be_replaced(root):
    theirs = root / "laporan"
    theirs.mkdir()
    (theirs / "catatan.txt").write_text("jangan dihapus", "utf-8")
    assert output_problem(theirs, root, AT) == Problem(AT, (
        f"the output folder {str(theirs)!r} holds files this generator did not write (it has no {MARK}): the build "
        "will not replace it; empty or remove it, or choose another folder"))
    assert output_problem(theirs, root, AT, existing=False) is None, "site.toml's check: it may be emptied later"


def test_an_empty_folder_a_missing_one_and_an_earlier_output_are_fine(root):
    (root / "empty").mkdir()
    assert output_problem(root / "empty", root, AT) is None
    assert output_problem(root / "not-yet" / "_site", root, AT) is None
    (root / "_site").mkdir()
    (root / "_site" / MARK).write_text("", "utf-8")
    (root / "_site" / "index.html").write_text("<p>", "utf-8")
    assert output_problem(root / "_site", root, AT) is None


def test_a_file_is_not_an_output_folder(root):
    (root / "notes.txt").write_text("x", "utf-8")
    assert output_problem(root / "notes.txt", root, AT) == Problem(AT, (
        f"the output folder {str(root / 'notes.txt')!r} is a file or a link, not a folder"))


def test_a_link_to_an_earlier_output_is_followed_and_keeps_working(root, tmp_path):
    elsewhere = tmp_path / "www" / "cek"
    elsewhere.mkdir(parents=True)
    (elsewhere / "catatan.txt").write_text("jangan dihapus", "utf-8")
    (root / "_site").symlink_to(elsewhere)
    assert "holds files this generator did not write" in output_problem(root / "_site", root, AT).message
    (elsewhere / "catatan.txt").unlink()
    assert output_problem(root / "_site", root, AT) is None
    build_into(root / "_site", {"index.html": "x"})
    assert (root / "_site").is_symlink() and files(root / "_site")["index.html"] == "x"
    assert files(elsewhere)["index.html"] == "x" and beside(elsewhere) == []


# -- staging and the swap -------------------------------------------------------------------------------------

def build_into(out: Path, pages: dict[str, str]) -> None:
    with staging(out) as tmp:
        assert tmp.parent == Path(os.path.realpath(out)).parent and tmp.name.startswith("."), "a hidden folder beside it"
        for name, text in pages.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(text, "utf-8")


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "three renames"])
def test_each_build_replaces_the_output_whole_and_leaves_nothing_beside_it(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(write, "exchange", lambda a, b: False)
    out = tmp_path / "public" / "_site"
    build_into(out, {"index.html": "one", "claims/a/index.html": "a"})
    assert files(out) == {MARK: write.MARK_TEXT, "index.html": "one", "claims/a/index.html": "a"}
    assert stat.S_IMODE(out.stat().st_mode) == 0o755, "a web server may read it"
    build_into(out, {"index.html": "two"})
    assert files(out) == {MARK: write.MARK_TEXT, "index.html": "two"}, "a page gone from the build is gone"
    assert beside(out) == [], "no staging folder and no old output left beside it"


def test_a_failed_build_leaves_the_last_output_as_it_was(tmp_path):
    out = tmp_path / "_site"
    build_into(out, {"index.html": "good"})
    with pytest.raises(RuntimeError, match="template"):
        with staging(out) as tmp:
            (tmp / "index.html").write_text("half", "utf-8")
            raise RuntimeError("a template failed")
    assert files(out) == {MARK: write.MARK_TEXT, "index.html": "good"}
    assert beside(out) == []


def test_files_put_into_the_output_while_building_stop_the_swap(tmp_path):
    out = tmp_path / "_site"
    with pytest.raises(SiteError) as e:
        with staging(out) as tmp:
            (tmp / "index.html").write_text("new", "utf-8")
            out.mkdir()
            (out / "catatan.txt").write_text("jangan dihapus", "utf-8")
    assert [str(p) for p in e.value.problems] == [
        f"{out}:1: the output folder gained files while building and has no {MARK}: not replaced"]
    assert files(out) == {"catatan.txt": "jangan dihapus"} and beside(out) == []


def test_an_empty_output_folder_is_replaced(tmp_path):
    out = tmp_path / "_site"
    out.mkdir()
    build_into(out, {"index.html": "x"})
    assert files(out)["index.html"] == "x"


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def other_build():
    """A process that runs meanwhile, like another build: looking whether it is alive must never disturb it."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield child
    child.kill()
    child.wait()


def test_leftovers_of_killed_builds_are_cleared_and_nothing_else(tmp_path, other_build):
    out = tmp_path / "_site"
    gone, running = dead_pid(), other_build.pid

    def leftover(name: str, marked: bool = True, content: bool = True) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        if marked:
            (folder / MARK).write_text("", "utf-8")
        if content:
            (folder / "index.html").write_text("old", "utf-8")
        return folder

    cleared = [leftover(f"._site.new-{gone}-abc123"), leftover(f"._site.old-{gone}"),
               leftover(f"._site.new-{os.getpid()}-x"), leftover(f"._site.new-{gone}-y", marked=False, content=False)]
    kept = [leftover(f"._site.new-{running}-abc"),  # a build running now
            leftover(f"._site.new-{gone}-z", marked=False),  # not ours: no mark, and files in it
            leftover(f".other.new-{gone}-abc"),  # another output's
            leftover(f"._site.new-{gone}x"), leftover(f"x._site.new-{gone}"), leftover(f"._site.tmp-{gone}")]
    (tmp_path / f"._site.old-{gone}-file").write_text("a file", "utf-8")
    (tmp_path / f"._site.old-{gone}-link").symlink_to(kept[1])
    build_into(out, {"index.html": "x"})
    assert not any(p.exists() for p in cleared)
    assert all(p.is_dir() for p in kept)
    assert (tmp_path / f"._site.old-{gone}-file").is_file() and (tmp_path / f"._site.old-{gone}-link").is_symlink()
    assert (kept[1] / "index.html").read_text("utf-8") == "old"
    assert other_build.poll() is None, "the running build was left alone"


def test_a_leftover_that_cannot_be_removed_does_not_stop_the_build(tmp_path, monkeypatch):
    stuck = tmp_path / f"._site.new-{dead_pid()}-abc"
    stuck.mkdir()
    (stuck / MARK).write_text("", "utf-8")
    real_rmdir = os.rmdir

    def rmdir(path, *args, **kwargs):  # another user's folder: root may remove it, a newsroom's CI user may not
        if os.path.basename(path) == stuck.name:
            raise PermissionError(13, "Permission denied", str(path))
        return real_rmdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "rmdir", rmdir)
    build_into(tmp_path / "_site", {"index.html": "x"})
    assert files(tmp_path / "_site")["index.html"] == "x"


def test_a_leftover_of_a_build_run_by_another_user_is_kept(tmp_path, monkeypatch):
    def kill(pid, signal):
        raise PermissionError(1, "Operation not permitted")

    gone = dead_pid()
    (tmp_path / f"._site.new-{gone}-abc").mkdir()
    (tmp_path / f"._site.new-{gone}-abc" / MARK).write_text("", "utf-8")
    monkeypatch.setattr(write.os, "kill", kill)
    assert write._alive(gone) is True
    build_into(tmp_path / "_site", {"index.html": "x"})
    assert (tmp_path / f"._site.new-{gone}-abc").is_dir()


def test_a_running_process_is_alive_and_a_finished_one_is_not(other_build):
    assert write._alive(other_build.pid) and not write._alive(dead_pid())
    assert other_build.poll() is None, "asking does not signal it"


def test_the_swap_on_linux_is_one_atomic_exchange(tmp_path):
    """Never a moment without an output: a web server serving the folder always finds one (renameat2)."""
    new, out = tmp_path / "new", tmp_path / "out"
    for folder, text in ((new, "new"), (out, "old")):
        folder.mkdir()
        (folder / "index.html").write_text(text, "utf-8")
    assert write.exchange(new, out) is True
    assert files(out) == {"index.html": "new"} and files(new) == {"index.html": "old"}


def test_where_the_system_has_no_atomic_exchange_the_swap_still_happens(tmp_path, monkeypatch):
    monkeypatch.setattr(ctypes, "CDLL", lambda *args, **kwargs: object())  # a C library without renameat2
    assert write.exchange(tmp_path, tmp_path) is False
    out = tmp_path / "_site"
    build_into(out, {"index.html": "one"})
    build_into(out, {"index.html": "two"})
    assert files(out)["index.html"] == "two" and beside(out) == []


# -- static files ---------------------------------------------------------------------------------------------

def test_the_sites_static_files_win_over_the_themes_and_both_are_copied(tmp_path):
    own, theme, out = tmp_path / "static", tmp_path / "theme", tmp_path / "out"
    for folder, name, text in [(own, "css/site.css", "mine"), (theme, "css/site.css", "theme"),
                               (theme, "js/app.js", "js"), (own, "img/logo.svg", "<svg/>")]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    out.mkdir()
    assert copy_static([own, theme], out) == []
    assert files(out) == {"css/site.css": "mine", "img/logo.svg": "<svg/>", "js/app.js": "js"}


def test_the_build_writes_a_new_file_never_into_the_one_there(tmp_path):
    """The folder a build writes in may hold hard links to the output being served (the spare, `cache.output`):
    a page, a static file or the mark written there must leave the served file as it is, and a link planted
    there is replaced, not written through."""
    served, folder, static = tmp_path / "served", tmp_path / "spare", tmp_path / "static"
    for where in (served, folder, static):
        where.mkdir()
    for name in ("page.html", "site.css", MARK):
        (served / name).write_text("served", "utf-8")
        os.link(served / name, folder / name)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("not ours", "utf-8")
    (folder / "planted.html").symlink_to(elsewhere)
    write.put(folder / "page.html", b"new")
    write.put(folder / "planted.html", b"new")
    write.put(folder / "a" / "b.html", b"new")
    (static / "site.css").write_text("new", "utf-8")
    assert copy_static([static], folder) == []
    with staging(tmp_path / "out", spare=folder):
        pass
    assert files(served) == {"page.html": "served", "site.css": "served", MARK: "served"}
    assert elsewhere.read_text("utf-8") == "not ours" and not (tmp_path / "out" / "planted.html").is_symlink()
    out = files(tmp_path / "out")
    assert (out["page.html"], out["planted.html"], out["a/b.html"], out["site.css"]) == ("new",) * 4


def test_a_static_link_out_of_its_folder_is_refused_and_not_published(tmp_path):
    static, out = tmp_path / "static", tmp_path / "out"
    (static / "img").mkdir(parents=True)
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0", "utf-8")
    (static / "img" / "passwd").symlink_to(secret)
    (static / "logo.svg").write_text("<svg/>", "utf-8")
    (static / "same.svg").symlink_to(static / "logo.svg")
    out.mkdir()
    assert [str(p) for p in copy_static([static], out)] == [
        f"static/img/passwd:1: a symbolic link to {secret}, outside static/: not published"]
    assert not (out / "img" / "passwd").exists()


def test_a_static_link_inside_its_folder_is_published(tmp_path):
    static, out = tmp_path / "static", tmp_path / "out"
    static.mkdir()
    (static / "logo.svg").write_text("<svg/>", "utf-8")
    (static / "same.svg").symlink_to(static / "logo.svg")
    out.mkdir()
    assert copy_static([static], out) == []
    assert (out / "same.svg").read_text("utf-8") == "<svg/>"


# -- what the last output tells --------------------------------------------------------------------------------

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://cek.example/</loc></url>
<url><loc>https://cek.example/claims/lama/</loc></url>
<url><loc>https://cek.example/actors/jake-sullivan/</loc></url>
<url><loc>https://cek.example/articles/putin/</loc></url>
<url><loc>https://cek.example/outlets/tribun/</loc></url>
<url><loc>https://cek.example/claims/tetap/</loc></url>
</urlset>
"""


def test_pages_the_last_build_published_and_this_one_drops_are_warned_at_their_sitemap_line(tmp_path):
    (tmp_path / "sitemap.xml").write_text(SITEMAP, "utf-8")
    assert [str(p) for p in vanished(published(tmp_path)[0], {"claims/tetap/", "outlets/x/"}, "public")] == [
        "public/sitemap.xml:4: warning: claims/lama/ was published by the last build and would disappear: "
        "add 'aliases: [lama]' to the claim that replaces it",
        "public/sitemap.xml:5: warning: actors/jake-sullivan/ was published by the last build and would disappear: "
        "keep its file name, or keep a page at that address",
        "public/sitemap.xml:6: warning: articles/putin/ was published by the last build and would disappear: "
        "keep its file name, or keep a page at that address"]
    kept = {"claims/lama/", "claims/tetap/", "actors/jake-sullivan/", "articles/putin/"}
    assert vanished(published(tmp_path)[0], kept, "public") == []


def test_no_last_output_means_no_warnings(tmp_path):
    assert vanished(published(tmp_path)[0], set(), "_site") == [] and vanished_passages(published(tmp_path)[1], {}) == []
    (tmp_path / "sitemap.xml").mkdir()
    (tmp_path / "annotations.jsonld").mkdir()
    assert vanished(published(tmp_path)[0], set(), "_site") == [] and vanished_passages(published(tmp_path)[1], {}) == []


def test_a_sitemap_with_bad_bytes_is_still_read(tmp_path):
    (tmp_path / "sitemap.xml").write_bytes(b"\xff\n<loc>https://x.y/claims/lama/</loc>\n")
    assert [p.src for p in vanished(published(tmp_path)[0], set(), "_site")] == [Src("_site/sitemap.xml", 2)]


def annotation(id_, claim, line, also=()):
    return SimpleNamespace(id=id_, claim=claim, also=also, src=Src("content/articles/putin.md", line))


PASSAGES = """{"@graph": [
  {"target": {"source": "https://x.y/articles/putin/", "passage": "https://x.y/articles/putin/#klaim-a-111111"}},
  {"target": {"passage": "https://x.y/articles/putin/#klaim-b-222222"}},
  {"target": {"passage": "https://x.y/articles/putin/#klaim-c-333333"}},
  {"target": {"passage": "https://x.y/articles/putin/#%s-444444"}},
  {"target": {"passage": "https://x.y/articles/hilang/#klaim-a-555555"}}
]}
"""
LONG = "presiden-rusia-vladimir-putin-bertemu-pemimpin-korea-utara"  # an anchor keeps 48 characters: "...-k-444444"


def test_a_passage_anchor_the_article_drops_is_warned_where_it_can_be_kept(tmp_path):
    (tmp_path / "annotations.jsonld").write_bytes((PASSAGES % LONG[:48].rstrip("-")).encode() + b"\xff")
    article = SimpleNamespace(src=Src("content/articles/putin.md", 1), annotations=(
        annotation("klaim-a-999999", "klaim-a", 7),  # klaim-a-111111's quote was edited
        annotation("klaim-b-222222", "klaim-b", 9),  # unchanged
        annotation("klaim-z-777777", "klaim-z", 11, also=("klaim-c-333333",)),  # klaim-c renamed, its anchor kept
        annotation(f"{LONG[:48].rstrip('-')}-888888", LONG, 13)))
    assert [str(p) for p in vanished_passages(published(tmp_path)[1], {"putin": article})] == [
        "content/articles/putin.md:7: warning: passage articles/putin/#klaim-a-111111 was published by the last build "
        "and would disappear: write 'id: klaim-a-111111' in the annotation at this line to keep links to it",
        "content/articles/putin.md:13: warning: passage articles/putin/#presiden-rusia-vladimir-putin-bertemu-pemimpin-"
        "k-444444 was published by the last build and would disappear: write 'id: presiden-rusia-vladimir-putin-"
        "bertemu-pemimpin-k-444444' in the annotation at this line to keep links to it"]


def test_a_dropped_passage_with_no_likely_successor_is_warned_at_the_article(tmp_path):
    (tmp_path / "annotations.jsonld").write_text(PASSAGES % "klaim-d", "utf-8")
    article = SimpleNamespace(src=Src("content/articles/putin.md", 1), annotations=(
        annotation("klaim-b-222222", "klaim-b", 9), annotation("klaim-c-333333", "klaim-c", 10),
        annotation("klaim-a-111111", "klaim-a", 5)))
    assert [str(p) for p in vanished_passages(published(tmp_path)[1], {"putin": article})] == [
        "content/articles/putin.md:1: warning: passage articles/putin/#klaim-d-444444 was published by the last "
        "build and would disappear: give the annotation that replaces it 'id: klaim-d-444444'"]


def test_a_successor_must_be_new_not_an_anchor_already_published(tmp_path):
    (tmp_path / "annotations.jsonld").write_text(PASSAGES % "klaim-a", "utf-8")
    article = SimpleNamespace(src=Src("content/articles/putin.md", 1), annotations=(
        annotation("klaim-a-111111", "klaim-a", 5), annotation("klaim-b-222222", "klaim-b", 9),
        annotation("klaim-c-333333", "klaim-c", 10)))
    (problem,) = vanished_passages(published(tmp_path)[1], {"putin": article})
    assert problem.src == article.src and "'id: klaim-a-444444'" in problem.message


def test_the_old_output_is_removed_in_a_process_of_its_own(tmp_path, monkeypatch):
    out = tmp_path / "_site"
    build_into(out, {"index.html": "one"})
    started = []
    real = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: started.append(args[-2]) or real(args, **kw))
    build_into(out, {"index.html": "two"})
    (old,) = started
    assert Path(old).parent == out.parent and Path(old).name.startswith("._site.new-"), "the old output, moved aside"
    assert beside(out) == [] and files(out)["index.html"] == "two"


def test_where_no_process_can_be_started_the_old_output_is_removed_at_once(tmp_path, monkeypatch):
    def no_process(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    out = tmp_path / "_site"
    build_into(out, {"index.html": "one"})
    monkeypatch.setattr(subprocess, "Popen", no_process)
    build_into(out, {"index.html": "two"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"] and files(out)["index.html"] == "two"
    real_rmdir = os.rmdir

    def rmdir(path, *args, **kwargs):  # the old output's folder cannot be removed (another user's files in it)
        if os.path.basename(path).startswith("._site.new-"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_rmdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "rmdir", rmdir)
    build_into(out, {"index.html": "three"})
    assert files(out)["index.html"] == "three", "what cannot be removed is left for the next build, not an error"


def test_a_failed_build_removes_its_own_files_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("no process for a failed build"))
    with pytest.raises(RuntimeError):
        with staging(tmp_path / "_site") as tmp:
            (tmp / "index.html").write_text("half", "utf-8")
            raise RuntimeError("a template failed")
    assert list(tmp_path.iterdir()) == []


def test_a_running_builds_leftover_does_not_stop_the_clearing_of_the_others(tmp_path, other_build):
    """Leftovers made before and after the running build's own, so that it is not the last one listed."""
    gone = dead_pid()
    names = [f"._site.new-{gone}-{n}" for n in "abc"] + [f"._site.new-{other_build.pid}-x"] + [
        f"._site.old-{gone}-{n}" for n in "def"]
    for name in names:
        (tmp_path / name).mkdir()
        (tmp_path / name / MARK).write_text("", "utf-8")
    build_into(tmp_path / "_site", {"index.html": "x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["._site.new-%d-x" % other_build.pid, "_site"], (
        "no old output to remove: the first build")


@pytest.mark.parametrize("fd", [0, 1, 2], ids=["stdin", "stdout", "stderr"])
def test_the_background_removal_holds_none_of_the_builds_streams(tmp_path, fd):
    """`build | tee log` (or CI reading the build's output) ends when the build does, not when the old output
    is gone: the process removing it keeps no copy of the build's stdin, stdout or stderr."""
    out = tmp_path / "_site"
    build_into(out, {"index.html": "one"})
    read, write_end = os.pipe()
    saved = os.dup(fd)
    os.dup2(read if fd == 0 else write_end, fd)
    try:
        build_into(out, {"index.html": "two"})
    finally:
        os.dup2(saved, fd)
        os.close(saved)
    try:
        if fd == 0:  # no one else reads the pipe: writing to it fails at once
            os.close(read)
            with pytest.raises(BrokenPipeError):
                os.write(write_end, b"x")
        else:  # no one else writes to it: reading it ends at once
            os.close(write_end)
            assert select.select([read], [], [], 0)[0] and os.read(read, 1) == b""
    finally:
        for end in (read, write_end):
            try:
                os.close(end)
            except OSError:
                pass


def test_a_ctrl_c_after_the_build_does_not_stop_the_removal(tmp_path, monkeypatch):
    """The remover is in a session of its own (the terminal's Ctrl-C does not reach it) and is no child of the
    build's process (nothing there is left to reap it)."""
    said = tmp_path / "remover"
    monkeypatch.setattr(write, "REMOVE", write.REMOVE + f"open({str(said)!r}, 'w').write(f'{{os.getsid(0)}} "
                                                        "{os.getppid()}')\n")
    out = tmp_path / "_site"
    build_into(out, {"index.html": "one"})
    build_into(out, {"index.html": "two"})
    deadline = time.monotonic() + 20
    while not (said.is_file() and said.read_text("utf-8")) and time.monotonic() < deadline:  # once the old output
        time.sleep(0.05)  # is gone (the file is made, then written: a look between the two finds it empty)
    assert beside(out) == [said.name]
    session, parent = map(int, said.read_text("utf-8").split())
    assert session != os.getsid(0), "a session of its own"
    assert parent != os.getpid(), "not a child of the build's process"
