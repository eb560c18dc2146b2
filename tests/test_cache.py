"""The build cache (.factcheck-cache/): a warm build after any kind of change writes what a cold build writes."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import ARTICLE, BASE, CLAIM, REPO, _run_cli_here, beside, forked_helpers_fail

ACTOR = "content/actors/jake-sullivan.yaml"


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def build(root: Path, out: Path, *extra: str):
    result = _run_cli_here(["build", "--site", str(root), "--out", str(out), "--jobs", "1", *extra])
    assert result.returncode == 0, result.stderr
    return result


def reused(result) -> int:
    found = re.search(r"(\d+) pages? rendered, (\d+) reused", result.stdout)
    assert found, result.stdout
    return int(found[2])


def rendered(result) -> int:
    return int(re.search(r"(\d+) pages? rendered", result.stdout)[1])


def same_as_cold(root: Path, warm: Path, cold: Path) -> None:
    build(root, cold, "--no-cache")
    got, want = files(warm), files(cold)
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def theme_copy(root: Path, name: str) -> Path:
    target = root / "templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((REPO / "templates" / name).read_bytes())
    return target


CHANGES = {
    "article text": lambda root: edit(root, ARTICLE, "membantah klaim", "membantah klaim itu dengan keras"),
    "claim verdict": lambda root: edit(root, CLAIM, "verdict: belum-terbukti", "verdict: salah"),
    "actor affiliation": lambda root: edit(root, ACTOR, "affiliation: amerika-serikat", "affiliation: rusia"),
    "template": lambda root: edit(root, "templates/claim.html", "{{ claim.title }} ·",
                                  "{{ claim.title }} (diubah) ·"),
    "static file": lambda root: (root / "static" / "css" / "site.css").write_text("body { color: red }\n"),
    "site.toml": lambda root: edit(root, "site.toml", 'title = "Cek Klaim Uji"', 'title = "Cek Klaim Baru"'),
}


@pytest.mark.parametrize("walk", ["here", "ahead"])  # what many pages show walked for their keys here, or ahead
@pytest.mark.parametrize("change", CHANGES)
def test_a_warm_build_after_a_change_equals_a_cold_build(site, tmp_path, monkeypatch, change, walk):
    from generator import build as building
    monkeypatch.setattr(building, "WALK_AHEAD_FROM", 0 if walk == "ahead" else 10 ** 9)
    root = site()
    theme_copy(root, "claim.html")  # the site's own copy of a theme template, to change
    (root / "static" / "css").mkdir(parents=True)
    (root / "static" / "css" / "site.css").write_text("body { color: black }\n")
    out = tmp_path / "out"
    first = build(root, out)
    assert reused(first) == 0 and (root / ".factcheck-cache").is_dir()
    before = files(out)
    CHANGES[change](root)
    warm = build(root, out, "--verbose")
    assert "up to date" not in warm.stdout
    assert re.search(r"load [\d.]+ s, link [\d.]+ s, .*render [\d.]+ s, search [\d.]+ s", warm.stdout), warm.stdout
    assert files(out) != before, "the change shows in the output"
    assert reused(warm) > 0 or change in ("template", "site.toml"), "the warm build took pages from the cache"
    same_as_cold(root, out, tmp_path / "cold")


def test_an_edit_of_an_articles_text_renders_again_only_the_pages_that_show_the_text(site, tmp_path):
    """The claim, actor, outlet, list and data pages that hold the article but not its words are reused; the
    article's page and the feed (which carries the latest articles whole) are rendered again."""
    root = site()
    out = tmp_path / "out"
    build(root, out)
    article = root / ARTICLE
    article.write_text(article.read_text("utf-8") + "\nSebuah paragraf baru yang tidak dikutip.\n", "utf-8")
    warm = build(root, out)
    assert re.search(r"\b2 pages rendered", warm.stdout), warm.stdout
    assert "Sebuah paragraf baru" in (out / "articles/putin-di-pyongyang/index.html").read_text("utf-8")
    same_as_cold(root, out, tmp_path / "cold")


def test_an_edit_beside_a_passage_renders_again_only_the_pages_that_show_its_context(site, tmp_path):
    """The words just after a passage and before the next are part of each one's W3C selector (its `suffix` and
    `prefix`): the open data that gives them changes with the article's page and the feed, and the claim, actor,
    outlet, topic and list pages that quote the passages do not."""
    root = site()
    out = tmp_path / "out"
    build(root, out)
    before = files(out)
    edit(root, ARTICLE, "Dewan Keamanan PBB.", "Dewan Keamanan PBB, kata mereka.")
    warm = build(root, out)
    changed = sorted(name for name, body in files(out).items() if before.get(name) != body and
                     not name.startswith("pagefind/"))
    assert changed == ["annotations.jsonld", "articles/putin-di-pyongyang/index.html", "feed.xml"], changed
    assert re.search(r"\b3 pages rendered", warm.stdout), warm.stdout
    assert '"suffix": " Dewan Keamanan PBB, kata' in (out / "annotations.jsonld").read_text("utf-8")
    same_as_cold(root, out, tmp_path / "cold")


def test_a_page_that_shows_a_passages_context_is_rendered_again_when_it_changes(site, tmp_path):
    root = site()
    claim = theme_copy(root, "claim.html")
    claim.write_text(claim.read_text("utf-8").replace(
        "{% block content %}", "{% block content %}{% for app in appearances %}<p class=context>"
        "{{ app.annotation.suffix }}</p>{% endfor %}", 1), "utf-8")
    out = tmp_path / "out"
    build(root, out)
    edit(root, ARTICLE, "Dewan Keamanan PBB.", "Dewan Keamanan PBB, kata mereka.")
    build(root, out)
    assert "PBB, kata" in (out / "claims/sanksi-dilanggar/index.html").read_text("utf-8")
    same_as_cold(root, out, tmp_path / "cold")


WORDS_SHOWN = {  # ways a site's own template may show an article's words on a page that holds the article
    "slice": "{{ app.article.text[-40:] }}",
    "item": '{{ app.article["body"]|length }}',
    "map": '{{ appearances|map(attribute="article.text")|map("length")|join(",") }}',
    "attr filter": '{{ (app.article|attr("text"))[-40:] }}',
    "printed whole": "{{ app.article|string|length }}",
    "test only": '{% if "paragraf baru" in app.article.text %}baru{% endif %}',
    "in a macro": '{% macro tail(a) %}{{ a.text[-30:] }}{% endmacro %}{{ tail(app.article) }}',
}


@pytest.mark.parametrize("shown", WORDS_SHOWN)
def test_a_page_that_shows_an_articles_words_in_any_way_is_rendered_again_when_they_change(site, tmp_path, shown):
    root = site()
    claim = theme_copy(root, "claim.html")
    text = claim.read_text("utf-8")
    claim.write_text(text.replace("{% block content %}", "{% block content %}{% for app in appearances %}"
                                  f"<p class=words>{WORDS_SHOWN[shown]}</p>{{% endfor %}}", 1), "utf-8")
    out = tmp_path / "out"
    build(root, out)
    page = out / "claims/korea-utara-memasok-senjata/index.html"
    before = page.read_bytes()
    article = root / ARTICLE
    article.write_text(article.read_text("utf-8") + "\nSebuah paragraf baru yang tidak dikutip.\n", "utf-8")
    build(root, out)
    assert page.read_bytes() != before, "the claim page shows the new words"
    same_as_cold(root, out, tmp_path / "cold")


SUCCESSIVE = {  # applied one after another: each warm build starts from the output before last (the spare)
    **CHANGES,
    "article removed": lambda root: (root / "content/articles/sullivan-mendesak-kim.md").unlink(),
    "article text again": lambda root: (root / ARTICLE).write_text(  # words no passage quotes or stands beside
        (root / ARTICLE).read_text("utf-8") + "\nSebuah paragraf baru yang tidak dikutip.\n", "utf-8"),
    "static file removed": lambda root: (root / "static" / "css" / "site.css").unlink(),
    "claim verdict back": lambda root: edit(root, CLAIM, "verdict: salah", "verdict: belum-terbukti"),
}


def spare_of(root: Path) -> Path:
    found = [p for p in (root / ".factcheck-cache" / "output").iterdir() if p.is_dir()]
    assert len(found) == 1, found
    return found[0]


def test_each_warm_build_brings_an_earlier_output_up_to_date_and_equals_a_cold_build(site, tmp_path):
    """The cache keeps the output before last; a build starts from it, writes what changed since, removes what
    is gone, and leaves the rest: after every kind of change, one after another, the output is a cold build's."""
    root = site()
    theme_copy(root, "claim.html")
    (root / "static" / "css").mkdir(parents=True)
    (root / "static" / "css" / "site.css").write_text("body { color: black }\n")
    out = tmp_path / "served" / "out"
    build(root, out)
    for n, change in enumerate(SUCCESSIVE.values()):
        change(root)
        build(root, out)
        same_as_cold(root, out, tmp_path / f"cold-{n}")
    assert spare_of(root).is_dir() and beside(out) == [], "the old output is kept in the cache, not beside it"


def test_the_record_of_a_warm_build_lists_the_output_as_a_walk_through_it_finds_it(site, tmp_path):
    """A warm build records its output's manifest from the spare's, as checked, and a look at the files it wrote
    (not a walk through 30 000 files): after every kind of change, the record lists each file of the output with
    the size, inode and times a walk finds, and the next build, with nothing changed, is up to date."""
    import json

    from generator.cache import open_cache
    from generator.cache.output import _manifest, _read_whole, _record_paths
    root = site()
    theme_copy(root, "claim.html")
    (root / "static" / "css").mkdir(parents=True)
    (root / "static" / "css" / "site.css").write_text("body { color: black }\n")
    out = tmp_path / "out"
    build(root, out)
    for name, change in SUCCESSIVE.items():
        change(root)
        build(root, out)
        cache = open_cache(root)
        recorded = json.loads(_read_whole(cache, _record_paths(cache, out)[0]))["files"]
        walked = _manifest(out)
        assert {rel: entry[:4] for rel, entry in recorded.items()} == \
               {rel: entry[:4] for rel, entry in walked.items()}, name
        assert build(root, out).stdout.startswith("up to date: "), name


def test_the_cache_keeps_the_spare_of_the_output_built_last_only(site, tmp_path):
    root = site()
    first, second = tmp_path / "one" / "out", tmp_path / "two" / "out"
    build(root, first)
    build(root, first, "--base-url", "https://contoh.org/")  # the first output's old one is now its spare
    spare = spare_of(root)
    build(root, second)
    assert not spare.exists(), "the other output's spare is gone"
    build(root, second, "--base-url", "https://contoh.org/")
    assert spare_of(root) != spare and files(spare_of(root)), "the second output's old one"
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    build(root, second)
    same_as_cold(root, second, tmp_path / "cold")


def test_an_earlier_output_changed_by_hand_is_not_trusted(site, tmp_path):
    root = site()
    out = tmp_path / "out"
    build(root, out)
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    build(root, out)  # the first output is the spare now, with what its build wrote
    page = spare_of(root) / "claims/korea-utara-memasok-senjata/embed/index.html"  # a page the edits leave alone
    st = page.stat()
    body = page.read_bytes()
    assert b"<body" in body
    page.write_bytes(body.replace(b"<body", b"<BODY", 1))  # the same size, its time put back
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    (spare_of(root) / "claims" / "tambahan.html").write_text("<p>tambahan</p>")
    edit(root, ARTICLE, "membantah klaim itu", "membantah klaim itu lagi")
    build(root, out)
    assert b"<BODY" not in (out / "claims/korea-utara-memasok-senjata/embed/index.html").read_bytes()
    same_as_cold(root, out, tmp_path / "cold")


def test_a_warm_build_reads_only_the_content_files_that_changed(site, tmp_path, monkeypatch):
    """A file whose size, inode and times are as the build's hash of its inputs saw them is not read again: its
    record is found by the SHA-256 of its bytes. An edited file is read, and the output is a cold build's."""
    from generator import load
    root = site()
    out = tmp_path / "out"
    build(root, out)
    read, real = [], load.read_file_text
    monkeypatch.setattr(load, "read_file_text", lambda path, *a, **k: read.append(path.name) or real(path, *a, **k))
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    build(root, out)
    assert read == [Path(ARTICLE).name]
    same_as_cold(root, out, tmp_path / "cold")


def test_the_first_warm_build_after_a_cold_one_leaves_the_pages_it_does_not_change_in_place(site, tmp_path):
    """A cold build leaves the cache a spare output of hard links to its files: the first warm build brings it up
    to date as the next ones do, so an unchanged page is the very file it was (not copied, not written), and the
    output is a cold build's."""
    root = site()
    out = tmp_path / "out"
    build(root, out)
    page = out / "claims/korea-utara-memasok-senjata/embed/index.html"  # a page the edit leaves alone
    file = page.stat().st_ino
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    warm = build(root, out)
    assert page.stat().st_ino == file and reused(warm) > 10
    same_as_cold(root, out, tmp_path / "cold")


def test_a_cold_build_over_an_output_it_has_no_record_of_leaves_a_spare_of_links_too(site, tmp_path):
    """The cache removed, the output kept: the cold build's spare is a copy of links to its new output (the old
    output, which it shares no file with, is removed), so the next build leaves an unchanged page in place."""
    import shutil
    import time
    root = site()
    out = tmp_path / "served" / "out"
    build(root, out)
    shutil.rmtree(root / ".factcheck-cache")
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    build(root, out)
    page = out / "claims/korea-utara-memasok-senjata/embed/index.html"  # a page the next edit leaves alone
    file = page.stat().st_ino
    edit(root, ARTICLE, "membantah klaim itu", "membantah klaim ini")
    build(root, out)
    assert page.stat().st_ino == file
    assert build(root, out).stdout.startswith("up to date: ")
    same_as_cold(root, out, tmp_path / "cold")
    aside = lambda: [p for p in (root / ".factcheck-cache" / "output").iterdir() if p.name.startswith(".")]
    for _ in range(100):  # the old output is removed by a process of its own
        if not aside():
            break
        time.sleep(0.1)
    assert aside() == [] and beside(out) == []


def test_a_build_that_fails_in_the_spare_of_links_leaves_the_output_as_it_was(site, tmp_path):
    """The spare a cold build leaves shares its files with the output: the next build, which fails, has written
    its changed pages and static files there, and the output served meanwhile is the one before, byte for byte."""
    root = site()
    claim = theme_copy(root, "claim.html")
    (root / "static" / "css").mkdir(parents=True)
    (root / "static" / "css" / "site.css").write_text("body { color: black }\n")
    out = tmp_path / "out"
    build(root, out)
    before = files(out)
    (root / "static" / "css" / "site.css").write_text("body { color: navy }\n")
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    good = claim.read_text("utf-8")
    claim.write_text(good.replace("{% block content %}", "{% block content %}{{ claim.title.nothing() }}"), "utf-8")
    failed = _run_cli_here(["build", "--site", str(root), "--out", str(out), "--jobs", "1"])
    assert failed.returncode != 0 and "claim.html" in failed.stderr
    assert files(out) == before
    claim.write_text(good, "utf-8")
    build(root, out)
    same_as_cold(root, out, tmp_path / "cold")


@pytest.mark.parametrize("helper", ["works", "fails", "hangs"])
def test_the_spare_is_checked_by_a_process_of_its_own_and_by_the_build_if_that_fails(site, tmp_path, monkeypatch,
                                                                                     helper):
    """A warm build checks the spare (its record, every file it holds) in a process of its own while it loads the
    site; where that process fails, or does not answer in time, the build checks the spare itself. Either way the
    pages the edit leaves alone stay, and the output is a cold build's."""
    import time

    from generator import pool
    from generator.cache import output
    root = site()
    out = tmp_path / "out"
    build(root, out)
    checked, real = [], output._check_texts
    monkeypatch.setattr(output, "_check_texts", lambda *a: checked.append(os.getpid()) or real(*a))
    if helper == "fails":
        forked_helpers_fail(monkeypatch)
    if helper == "hangs":  # the process's check takes 40 s (the build's own goes through _check_texts alone)
        monkeypatch.setattr(output, "_check", lambda *a: time.sleep(40))
        monkeypatch.setattr(pool, "WAIT", 1)
    page = out / "claims/korea-utara-memasok-senjata/embed/index.html"  # a page the edit leaves alone
    file = page.stat().st_ino
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    started = time.monotonic()
    build(root, out)
    assert time.monotonic() - started < 20, "the build waited for the process"
    assert checked == ([] if helper == "works" else [os.getpid()])  # a forked process's calls are not seen here
    assert page.stat().st_ino == file, "the page stayed in the spare: neither written nor copied"
    same_as_cold(root, out, tmp_path / "cold")


@pytest.mark.parametrize("helper", ["works", "fails"])
def test_a_page_the_last_build_changed_is_copied_from_it_not_rendered(site, tmp_path, monkeypatch, helper):
    """The spare holds the output before last: a page the last build changed is stale there, and is copied from the
    last output, whose record's keys (read by the spare's process, or by the build if that fails) say it holds it."""
    from conftest import SULLIVAN
    from generator import render
    root, out = site(), tmp_path / "out"
    build(root, out)
    edit(root, ARTICLE, "Kim Jong Un bertemu", "Kim Jong Un kembali bertemu")
    build(root, out)  # the article's page changes: the spare now holds its old bytes, the output its new ones
    drawn, real = [], render.render_page
    monkeypatch.setattr(render, "render_page", lambda env, page: drawn.append(page.path) or real(env, page))
    if helper == "fails":
        forked_helpers_fail(monkeypatch)
    edit(root, SULLIVAN, "Jake Sullivan mendesak Kim", "Jake Sullivan kembali mendesak Kim")
    build(root, out)
    assert drawn and "articles/putin-di-pyongyang/" not in drawn, drawn
    same_as_cold(root, out, tmp_path / "cold")


def _keys(root: Path, out: Path) -> dict:
    """The keys of the pages of `out`, as its build recorded them."""
    import json

    from generator.cache import open_cache, output
    return json.loads(output._read_whole(open_cache(root), output._record_paths(open_cache(root), out)[1]))


@pytest.mark.parametrize("helper", ["works", "fails"])
def test_what_many_pages_show_is_walked_for_their_keys_once_on_the_other_core(site, tmp_path, monkeypatch, helper):
    """Each claim's passages and each actor's stances, which the keys of many pages walk, are walked once, by a process
    of the build's own while it plans (at 10 000 articles, 150 000 of them walked in every render process before):
    the build's own process (which renders here) walks none of them, and the pages' keys are those it would work
    out itself; when that process fails, the build walks them as before, to the same keys."""
    from generator import build as building
    from generator.cache.pages import Fingerprints
    from generator.model import Stance
    monkeypatch.setattr(building, "WALK_AHEAD_FROM", 0)
    root = site()
    build(root, tmp_path / "alone", "--no-cache")
    walked, real = [], Fingerprints.of
    monkeypatch.setattr(Fingerprints, "of", lambda self, value: (
        walked.append(value) if type(value) is Stance and id(value) not in self.memo else None) or real(self, value))
    if helper == "fails":
        forked_helpers_fail(monkeypatch)
    out = tmp_path / "out"
    build(root, out)
    assert (walked == []) == (helper == "works"), len(walked)  # a forked process's calls are not seen here
    monkeypatch.setattr(Fingerprints, "of", real)
    monkeypatch.undo()
    build(root, tmp_path / "itself")  # every key worked out in this process, as before
    assert _keys(root, out) == _keys(root, tmp_path / "itself")
    edit(root, ACTOR, "name: Jake Sullivan", "name: Jacob Sullivan")  # what the stances of two camps show
    monkeypatch.setattr(building, "WALK_AHEAD_FROM", 0)
    build(root, out)
    same_as_cold(root, out, tmp_path / "cold")


def test_the_last_outputs_keys_are_read_ahead_before_the_build_forgets_them(site, tmp_path, monkeypatch):
    """The spare's process reads the keys of the last output's pages too; however long it takes, it reads them
    before the build removes them (nothing may vouch for an output while it changes): after a build that renders
    every page again (a new generator), the next build copies the pages it does not change from the last output."""
    import time

    from generator.cache import keys, output
    root = site()
    out = tmp_path / "out"
    build(root, out)
    monkeypatch.setattr(keys, "generator_key", lambda: "the next version")
    build(root, out)  # the spare now holds the pages of the version before: none of them can stay
    check = output._check
    monkeypatch.setattr(output, "_check", lambda *a: time.sleep(1.5) or check(*a))  # a slow check, at 10 000 pages
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    warm = build(root, out)
    assert reused(warm) > 10, warm.stdout  # copied from the last output, not rendered (all 36 were)
    same_as_cold(root, out, tmp_path / "cold")


@pytest.mark.parametrize("left", ["a killed build's folder", "a link"])
def test_a_copy_of_links_left_in_the_cache_is_removed_never_followed(site, tmp_path, left):
    """A cold build makes the next build's spare of links beside it (`SPARE-links`, renamed once whole): what a
    killed build left there is removed by the next build, a link planted there too, never what it leads to."""
    root = site()
    out = tmp_path / "out"
    build(root, out)
    leftover = spare_of(root).with_name(spare_of(root).name + "-links")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "claims").mkdir(parents=True)
    (elsewhere / "claims" / "index.html").write_text("mine", "utf-8")
    if left == "a link":
        leftover.symlink_to(elsewhere, target_is_directory=True)
    else:
        (leftover / "claims").mkdir(parents=True)
        os.link(out / "claims" / "index.html", leftover / "claims" / "index.html")
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    warm = build(root, out)
    assert not os.path.lexists(leftover)
    assert ("not followed" in warm.stderr) == (left == "a link"), warm.stderr
    assert (elsewhere / "claims" / "index.html").read_text("utf-8") == "mine"
    same_as_cold(root, out, tmp_path / "cold")


def test_a_warm_build_without_a_spare_copies_the_pages_it_does_not_change_from_the_last_output(site, tmp_path):
    """Where the cache has no output before last to build in (a cold build replaced an output it had no record
    of), the unchanged pages are copied from the output, not rendered again (the cache keeps no copy of them),
    and the result is a cold build's."""
    root = site()
    out = tmp_path / "out"
    build(root, out, "--no-cache")
    build(root, out)  # the spare is the output it replaced, which no record vouches for
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    first = rendered(build(root, out))
    same_as_cold(root, out, tmp_path / "cold")
    edit(root, ARTICLE, "membantah klaim itu", "membantah klaim ini")
    assert rendered(build(root, out)) == first, "the second warm build renders as many pages as the first"
    edit(root, ARTICLE, "membantah klaim ini", "membantah klaim tersebut")
    assert 0 < rendered(build(root, out)) == first < rendered(build(root, tmp_path / "elsewhere"))


@pytest.mark.parametrize("how", ["restored", "tampered"])
def test_an_output_restored_from_elsewhere_serves_only_its_pages_as_written(site, tmp_path, how):
    """An output restored by a CI cache (new files, new times) still gives its pages, each checked against the
    SHA-256 its build's signed record names; a page changed there (a script added) is rendered again instead."""
    import shutil
    root = site()
    out = tmp_path / "out"
    build(root, out)
    shutil.rmtree(root / ".factcheck-cache" / "output")  # the CI cache leaves out the output before last
    shutil.move(out, tmp_path / "moved")
    shutil.copytree(tmp_path / "moved", out)  # as a restore writes it: other inodes, other times
    page = out / "claims/korea-utara-memasok-senjata/embed/index.html"  # a page the edit leaves alone
    if how == "tampered":
        page.write_bytes(page.read_bytes().replace(b"<body>", b"<body><script>alert(1)</script>", 1))
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    warm = build(root, out)
    assert reused(warm) > 10
    assert b"<script>alert(1)</script>" not in page.read_bytes()
    same_as_cold(root, out, tmp_path / "cold")


def test_a_build_that_fails_halfway_through_an_earlier_output_leaves_nothing_trusted(site, tmp_path):
    root = site()
    claim = theme_copy(root, "claim.html")
    out = tmp_path / "out"
    build(root, out)
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    build(root, out)
    before = files(out)
    good = claim.read_text("utf-8")
    claim.write_text(good.replace("{% block content %}", "{% block content %}{{ claim.title.nothing() }}"), "utf-8")
    edit(root, ARTICLE, "membantah klaim itu", "membantah klaim itu lagi")
    failed = _run_cli_here(["build", "--site", str(root), "--out", str(out), "--jobs", "1"])
    assert failed.returncode != 0 and "claim.html" in failed.stderr
    assert files(out) == before, "the last good output stays"
    claim.write_text(good, "utf-8")
    build(root, out)
    same_as_cold(root, out, tmp_path / "cold")


def test_an_output_on_another_file_system_or_a_spare_in_use_is_built_in_a_fresh_folder(site, tmp_path):
    import fcntl
    import tempfile
    root = site()
    elsewhere = Path(tempfile.mkdtemp(dir="/dev/shm")) / "out"  # tmpfs: a rename cannot move it into the cache
    assert os.stat(elsewhere.parent).st_dev != os.stat(root).st_dev
    try:
        for n in range(3):
            edit(root, ARTICLE, "membantah klaim", "membantah klaim " + "sekali lagi " * n)
            build(root, elsewhere)
            same_as_cold(root, elsewhere, tmp_path / f"cold-{n}")
        assert not any(p.is_dir() for p in (root / ".factcheck-cache" / "output").glob("*"))
    finally:
        import shutil
        shutil.rmtree(elsewhere.parent)
    out = tmp_path / "out"
    build(root, out)
    build(root, out, "--base-url", "https://contoh.org/")  # the first output is now the spare
    spare = spare_of(root)
    kept = files(spare)
    with open(spare.with_name(spare.name + ".lock"), "w") as lock:  # another build of the same output, running
        fcntl.flock(lock, fcntl.LOCK_EX)
        build(root, out)
        assert files(spare) == kept, "the spare is left to the build that holds it"
    assert ".out.new" not in " ".join(beside(out)), "the old output went from beside it"
    same_as_cold(root, out, tmp_path / "cold")


def test_a_new_generator_version_makes_every_page_again(site, tmp_path, monkeypatch):
    from generator import render
    from generator.cache import keys
    root = site()
    out = tmp_path / "out"
    build(root, out)
    page = render.render_page
    monkeypatch.setattr(render, "render_page", lambda env, p: (lambda text: text + "<!-- v2 -->"
                                                              if isinstance(text, str) else text)(page(env, p)))
    monkeypatch.setattr(keys, "generator_key", lambda: "the next version")
    warm = build(root, out)
    assert "up to date" not in warm.stdout and reused(warm) == 0
    assert b"<!-- v2 -->" in (out / "claims" / "korea-utara-memasok-senjata" / "index.html").read_bytes()
    same_as_cold(root, out, tmp_path / "cold")


def test_nothing_changed_is_up_to_date_and_writes_nothing(site, tmp_path, monkeypatch):
    """... nor reads the records of the content (160 MB at 10 000 articles), which only a build needs."""
    from generator.cache import Store
    root = site()
    out = tmp_path / "out"
    build(root, out)
    stamp = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    read, real = [], Store.prefetch
    monkeypatch.setattr(Store, "prefetch", lambda store, kind: read.append(kind) or real(store, kind))
    again = build(root, out)
    assert again.stdout.startswith("up to date: 2 articles, 2 claims, 5 actors")
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamp
    assert read == []
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    assert not build(root, out).stdout.startswith("up to date") and read == ["load"]


@pytest.mark.parametrize("step", ["render_pages", "index_site"])
def test_a_save_while_the_site_is_built_is_built_by_the_next_build(site, tmp_path, monkeypatch, step):
    """An editor who saves while a build runs: the output is of the text before (every input was hashed, then read),
    and the next build is not `up to date` with it but builds the saved text. Saved while the pages are rendered
    (templates are still read then), the build is not recorded; saved once every input has been read (while
    Pagefind indexes), it records the inputs it was made of, which the next build finds changed."""
    import generator.build as pipeline
    root = site()
    out = tmp_path / "out"
    build(root, out)
    done_by = getattr(pipeline, step)

    def saved_meanwhile(*args, **kwargs):
        done = done_by(*args, **kwargs)
        edit(root, ARTICLE, "membantah klaim", "membantah klaim itu, disimpan saat membangun")
        return done

    monkeypatch.setattr(pipeline, step, saved_meanwhile)
    edit(root, ARTICLE, "membantah klaim", "membantah klaim sebelumnya")
    build(root, out)
    monkeypatch.undo()
    page = out / "articles" / Path(ARTICLE).stem / "index.html"
    assert "disimpan saat membangun" not in page.read_text("utf-8")
    again = build(root, out)
    assert not again.stdout.startswith("up to date")
    assert "disimpan saat membangun" in page.read_text("utf-8")
    same_as_cold(root, out, tmp_path / "cold")


@pytest.mark.parametrize("by_hand", ["edited", "removed", "added"])
def test_an_output_changed_by_hand_is_built_again(site, tmp_path, by_hand):
    root = site()
    out = tmp_path / "out"
    build(root, out)
    want = files(out)
    page = out / "claims" / "sanksi-dilanggar" / "index.html"
    if by_hand == "edited":  # the same size, and its modification time put back
        st = page.stat()
        page.write_bytes(page.read_bytes().replace(b"</", b"<x", 1))
        os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    elif by_hand == "removed":
        page.unlink()
    elif by_hand == "added":
        (out / "notes.txt").write_text("mine")
    again = build(root, out)
    assert "up to date" not in again.stdout
    assert files(out) == want


def test_an_input_edited_with_its_size_and_time_put_back_is_built_again(site, tmp_path):
    """"Up to date" reads again only the inputs whose size, inode or times changed; an edit that keeps the size and
    puts the modification time back still changes the change time, which no one can put back."""
    import time
    root = site()
    time.sleep(0.15)  # older than the file system's clock can blur (cache.RACY_NS): the record vouches for them
    out = tmp_path / "out"
    build(root, out)
    article = root / ARTICLE
    before = article.stat()
    edit(root, ARTICLE, "bertemu hari ini", "bertemu hari itu")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (article.stat().st_size, article.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    warm = build(root, out)
    assert "up to date" not in warm.stdout
    assert "bertemu hari itu" in (out / "articles/putin-di-pyongyang/index.html").read_text("utf-8")
    assert "up to date" in build(root, out).stdout


def test_up_to_date_reads_only_the_inputs_that_changed_since_the_last_build(site, tmp_path, monkeypatch):
    import builtins
    import time

    from generator.cache import Cache, inputs_key
    root = site()
    time.sleep(0.15)
    store = Cache(tmp_path / "cache")
    first = inputs_key(root, None, False, store)
    opened = []
    real = builtins.open
    monkeypatch.setattr(builtins, "open", lambda path, *a, **k: opened.append(str(path)) or real(path, *a, **k))
    assert inputs_key(root, None, False, store) == first and opened == []
    edit(root, ARTICLE, "bertemu hari ini", "bertemu hari itu")
    assert inputs_key(root, None, False, store) != first
    assert [Path(p).name for p in opened] == ["putin-di-pyongyang.md"]


def test_an_input_changed_a_moment_before_is_read_again_next_time(site, tmp_path):
    """A change within one tick of the file system's clock would leave its times as they were: a file changed that
    recently is not vouched for by its times."""
    from generator.cache import Cache, inputs_key
    root = site()
    os.utime(root / ARTICLE)  # changed just now
    store = Cache(tmp_path / "cache")
    inputs_key(root, None, False, store)
    assert store.sources and not any(path.endswith("putin-di-pyongyang.md") for path in store.sources)


def test_a_damaged_cache_entry_is_ignored_with_a_warning(site, tmp_path):
    root = site({ARTICLE: BASE[ARTICLE]})
    build(root, tmp_path / "first")
    entries = sorted(p for p in (root / ".factcheck-cache").rglob("*") if p.is_file() and p.parent.parent.name in
                     ("load", "search", "template"))
    kinds = {p.parent.parent.name for p in entries}
    assert kinds == {"load", "search", "template"}
    for p in entries:  # every entry truncated, or with one byte flipped
        data = p.read_bytes()
        p.write_bytes(data[: len(data) // 2] if hash(p.name) % 2 else data[:-1] + bytes([data[-1] ^ 1]))
    warm = build(root, tmp_path / "warm")
    assert reused(warm) == 0
    assert re.search(r"\.factcheck-cache/\w+/../\w+:1: warning: build cache entry truncated, damaged or forged",
                     warm.stderr)
    same_as_cold(root, tmp_path / "warm", tmp_path / "cold")
    assert sound(root), "the entries were made again"


def test_no_cache_neither_reads_nor_writes_it(site, tmp_path):
    root = site()
    build(root, tmp_path / "out", "--no-cache")
    assert not (root / ".factcheck-cache").exists()


def test_the_pages_workflow_keeps_the_cache_per_ref():
    """CI builds warm too, and a branch's cache never serves another branch's build."""
    import yaml
    steps = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text("utf-8"))["jobs"]["build"]["steps"]
    cached = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache@")]
    assert len(cached) == 1 and cached[0]["with"]["path"].split() == [".factcheck-cache", "!.factcheck-cache/output",
                                                                      "_site"], \
        "the cache and the last output (pages are copied from it), without the output before last (a second copy)"
    build_at = next(i for i, s in enumerate(steps) if "./dev build" in s.get("run", ""))
    assert steps.index(cached[0]) < build_at, "restored before the build"
    key, restore = cached[0]["with"]["key"], cached[0]["with"]["restore-keys"].strip().splitlines()
    assert key.startswith("factcheck-build-${{ github.ref }}-") and "hashFiles(" in key
    assert restore == ["factcheck-build-${{ github.ref }}-"], "a fallback only within the same ref"


def test_a_long_build_on_a_terminal_shows_its_progress():
    import io
    import time

    from generator.cache import Cache
    from generator.cli import progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    store, shown, piped = Cache(None), Terminal(), io.StringIO()
    store.phases.update({"load": 1.25, "link": 0.5})
    with progress(store, time.perf_counter(), after=0.1, out=shown), progress(store, 0, after=0.1, out=piped):
        time.sleep(0.8)
    assert "building… " in shown.getvalue() and "(load 1.2 s, link 0.5 s)" in shown.getvalue()
    assert shown.getvalue().endswith("\r\x1b[K"), "the line is cleared for the summary"
    assert piped.getvalue() == "", "nothing when the output is not a terminal (CI logs)"


def test_fingerprints_tell_apart_what_renders_differently():
    from markupsafe import Markup

    from generator.cache import Fingerprints, Uncachable
    from generator.model import Date

    def of(value) -> bytes:
        return Fingerprints().of(value)

    long = "x" * 100
    assert of({"a": (Date(2024, 6, 0), long)}) == of({"a": (Date(2024, 6, 0), "x" * 100)}), "equal values, equal prints"
    assert of(Date(2024, 6, 0)) != of(Date(2024, 6, 1)), "a field deep inside"
    assert of({"a": 1, "b": 2}) != of({"b": 2, "a": 1}), "a dict's order is what a template loops over"
    assert of(("<b>", "x")) != of((Markup("<b>"), "x")), "Markup is not escaped; a str is"
    assert of(("ab", "c")) != of(("a", "bc")) and of([long]) != of((long,))
    assert of(1) != of(1.0) != of(True) and of("1") != of(1)
    with pytest.raises(Uncachable):
        of({"f": lambda: 1})


def slow_print(value) -> bytes:
    """A fingerprint the slow way, by what `Fingerprints` states it is made of: a value's type and its bytes, items
    (a set's in order) or fields, walked again wherever it appears; no object remembered, no type's way kept."""
    import dataclasses
    import datetime
    import enum

    from generator.cache.pages import _sum
    kind = type(value)
    name = f"{kind.__module__}.{kind.__qualname__}".encode()
    if kind in (int, float, bool, type(None), complex):
        return f"{kind.__name__}:{value!r}".encode()
    if kind is str and len(value) <= 64:
        return b"str:" + value.encode("utf-8", "surrogatepass")
    if isinstance(value, (str, bytes)):
        return _sum(name, value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass"))
    if isinstance(value, (tuple, list)):
        return _sum(name, *map(slow_print, value))
    if isinstance(value, dict):
        return _sum(name, *(slow_print(x) for item in value.items() for x in item))
    if isinstance(value, (set, frozenset)):
        return _sum(name, *sorted(map(slow_print, value)))
    if dataclasses.is_dataclass(value):
        return _sum(name, *(slow_print(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if name == b"generator.insights.Overview":
        return _sum(name, slow_print(value.site), slow_print(value.rows))
    assert isinstance(value, (datetime.date, enum.Enum)), name
    return _sum(name, repr(value).encode())


def test_fingerprints_of_every_page_are_those_worked_out_the_slow_way(site):
    """`Fingerprints` remembers each object's fingerprint and decides once per type how to work one out; what it
    gives every page's context is what walking each value again, field by field, gives."""
    import datetime

    from markupsafe import Markup

    from generator.cache import Fingerprints
    from generator.config import load_config
    from generator.link import link_site
    from generator.load import load_content
    from generator.render import menu_of, plan_pages
    root = site()
    config = load_config(root, None)
    built = link_site(load_content(root, config, jobs=1), config)
    pages = plan_pages(built, [REPO / "templates"])
    prints = Fingerprints()
    assert {p.template for p in pages} >= {"home.html", "article.html", "claim.html", "actor.html", "outlet.html"}
    for page in pages:
        assert prints.of(page.context) == slow_print(page.context), page.path
    assert prints.of(menu_of(built)) == slow_print(menu_of(built))
    every_kind = {"set": {2, 10, 33}, "frozen": frozenset({"b", "a"}), "bytes": b"x" * 100, "long": "y" * 100,
                  "markup": Markup("<b>"), "list": [1.5, None, True], "day": datetime.date(2024, 6, 1)}
    assert prints.of(every_kind) == slow_print(every_kind)


def test_what_the_linked_site_is_made_of_is_what_linking_it_found(site):
    """The recipes of a build's fingerprints (`link.made_of`) take what each article's passages are made of from
    how `link_site` linked it, not found again: the same inputs as finding them again gives, for every article."""
    from generator.config import load_config
    from generator.link import link_site, made_of
    from generator.load import load_content
    root = site()
    config = load_config(root, None)
    linking: dict = {}
    built = link_site(load_content(root, config, jobs=1), config, linking)
    quick, slow = list(made_of(built, linking["articles"])), list(made_of(built))
    assert {id(value) for value, _ in quick} >= {id(passages) for passages in built.passages.values() if passages}
    assert len(built.articles) >= 2
    assert [(id(value), inputs) for value, inputs in quick] == [(id(value), inputs) for value, inputs in slow]


def test_a_warm_build_indexes_again_only_the_search_shard_of_the_changed_page(site, tmp_path, monkeypatch):
    from generator import search
    monkeypatch.setattr(search, "SHARD_PAGES", 2)  # the 9 indexed pages of the test site in several shards
    root = site()
    out = tmp_path / "out"
    first = build(root, out)
    shards = re.search(r"(\d+) of (\d+) search shards indexed", first.stdout)
    assert shards and shards[1] == shards[2] and int(shards[2]) > 2, first.stdout
    article = root / ARTICLE
    article.write_text(article.read_text("utf-8") + "\nSebuah paragraf baru yang tidak dikutip.\n", "utf-8")
    warm = build(root, out)
    assert f"1 of {shards[2]} search shards indexed" in warm.stdout, "only the article's page changed"
    same_as_cold(root, out, tmp_path / "cold")
    (root / "static" / "css").mkdir(parents=True)
    (root / "static" / "css" / "site.css").write_text("body { color: red }\n")
    assert f"0 of {shards[2]} search shards indexed" in build(root, out).stdout, "no indexed page changed"


# -- what is in .factcheck-cache/ is never a way in ----------------------------------------------------------

class Planted:
    """A class outside the cache's allow-list: making one leaves the marker file."""

    def __init__(self, marker: str):
        Path(marker).write_text("ran")

    def __reduce__(self):
        return Planted, (self.marker,)


class Crafted:
    def __init__(self, how: str, marker: str):
        self.how, self.marker = how, marker

    def __reduce__(self):
        import subprocess
        if self.how == "os.system":
            return os.system, (f"touch {self.marker}",)
        if self.how == "subprocess":
            return subprocess.call, (["touch", self.marker],)
        if self.how == "builtins.eval":
            return eval, (f"open({self.marker!r}, 'w').write('ran')",)
        planted = Planted.__new__(Planted)
        planted.marker = self.marker
        return planted.__reduce__()


def checksummed(payload: bytes, like: Path) -> bytes:
    """An entry as anybody can write one: the format, the key's id copied from the entry `like` and a SHA-256 in
    place of the signature, which takes the key."""
    import hashlib

    from generator.cache import MAGIC
    return MAGIC + like.read_bytes()[len(MAGIC):len(MAGIC) + 8] + hashlib.sha256(payload).digest() + payload


def signed(path: Path, payload: bytes) -> bytes:
    """An entry as only a build with the user's key writes one."""
    from generator.cache import seal, user_key
    return seal(user_key(), f"{path.parent.parent.name}/{path.name}", payload)


def sound(root: Path) -> bool:
    """Every entry of the cache is one a build with the user's key wrote."""
    from generator.cache import user_key
    from generator.cache.store import unseal
    return all(unseal(user_key(), f"{p.parent.parent.name}/{p.name}", p.read_bytes()) for p in entries_of(root))


def entries_of(root: Path) -> list[Path]:
    found = sorted(p for p in (root / ".factcheck-cache").rglob("*") if p.is_file() and p.parent.parent.name in
                   ("load", "search", "template"))
    assert {p.parent.parent.name for p in found} == {"load", "search", "template"}
    return found


ENTRY_WARNING = (r"\.factcheck-cache/(load|search|template)/\w\w/\w+:1: warning: build cache entry (names "
                 r"'[\w.]+', which an entry may not hold|truncated, damaged or forged): ignored, made again")


@pytest.mark.parametrize("how", ["os.system", "subprocess", "builtins.eval", "a class outside the allow-list"])
def test_a_crafted_cache_entry_never_runs_and_is_ignored_with_a_warning(site, tmp_path, how):
    """An entry written without the user's key is never used; and even one signed with it holds data alone: one
    that names a function or a class the generator does not store runs nothing. Compiled templates (code) are
    taken only signed."""
    import marshal
    import pickle
    root = site({ARTICLE: BASE[ARTICLE]})
    build(root, tmp_path / "first")
    marker = tmp_path / "ran"
    entries = entries_of(root)
    code = marshal.dumps(compile(f"open({str(marker)!r}, 'w').write('ran')", "crafted", "exec"))
    for n, p in enumerate(entries):
        if p.parent.parent.name == "template":  # code, with its checksum, as the first version stored it
            p.write_bytes(checksummed(pickle.dumps(code), p))
        else:
            crafted = pickle.dumps(Crafted(how, str(marker)))
            p.write_bytes(signed(p, crafted) if n % 2 else checksummed(crafted, p))
    warm = build(root, tmp_path / "warm")
    assert not marker.exists(), "the crafted entry ran"
    assert reused(warm) == 0
    warnings = [line for line in warm.stderr.splitlines() if "build cache entry" in line]
    load = [p for p in entries if p.parent.parent.name == "load"]
    assert len(load) <= len(warnings) <= len(entries) and len(set(warnings)) == len(warnings), "one line each"
    assert all(re.fullmatch(ENTRY_WARNING, line) for line in warnings), warnings
    assert any("which an entry may not hold" in line for line in warnings)
    same_as_cold(root, tmp_path / "warm", tmp_path / "cold")
    assert not marker.exists()
    assert sound(root), "the entries were made again"


def test_an_entry_written_without_the_key_never_reaches_the_output(site, tmp_path):
    """Search files and records are data a forger could write in the cache's format: without the user's
    key (or `$FACTCHECK_CACHE_KEY`) none is used, each ignored with a warning, and the output is a cold build's."""
    import pickle
    root = site({ARTICLE: BASE[ARTICLE]})
    build(root, tmp_path / "first")
    script = b"<script>alert('forged')</script>"
    for p in entries_of(root):
        kind = p.parent.parent.name
        value = script if kind == "template" else {"pagefind.js": script} if kind == "search" else None
        if value is not None:
            p.write_bytes(checksummed(pickle.dumps(value), p))
    warm = build(root, tmp_path / "warm")
    assert "up to date" not in warm.stdout and reused(warm) == 0
    assert all(script not in data for data in files(tmp_path / "warm").values())
    assert re.search(r"build cache entry truncated, damaged or forged: ignored, made again", warm.stderr)
    same_as_cold(root, tmp_path / "warm", tmp_path / "cold")


def tree(folder: Path) -> dict[str, tuple]:
    """Everything under `folder` as it is: each path's kind, bytes and modification time."""
    found = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        found[p.relative_to(folder).as_posix()] = (st.st_mode, st.st_mtime_ns,
                                                   p.read_bytes() if p.is_file() and not p.is_symlink() else None)
    return found


@pytest.mark.parametrize("target", ["a file", "a folder"])
def test_a_link_planted_in_the_kept_output_is_never_written_through(site, tmp_path, target):
    """The output before last (.factcheck-cache/output/), which the build brings up to date, is discarded when it
    holds a link the build did not make: the build never writes where the link leads."""
    root = site()
    out = tmp_path / "out"
    build(root, out)
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    build(root, out)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "articles").mkdir(parents=True)
    (elsewhere / "home.html").write_text("not the site's")
    (elsewhere / "articles" / "keep.txt").write_text("not the site's")
    spare = spare_of(root)
    name = "index.html" if target == "a file" else "articles"
    import shutil
    shutil.rmtree(spare / name) if (spare / name).is_dir() else (spare / name).unlink()
    (spare / name).symlink_to(elsewhere / ("home.html" if target == "a file" else "articles"))
    before = tree(elsewhere)
    edit(root, ARTICLE, "membantah klaim itu", "membantah klaim itu lagi")
    warm = build(root, out)
    assert tree(elsewhere) == before, "the link's target is untouched"
    assert f"warning: the output kept for the next build holds a link the build did not make" in warm.stderr
    assert len([line for line in warm.stderr.splitlines() if "holds a link" in line]) == 1
    same_as_cold(root, out, tmp_path / "cold")
    build(root, out, "--base-url", "https://contoh.org/")  # the next builds keep an output again
    edit(root, ARTICLE, "membantah klaim itu lagi", "membantah klaim")
    assert reused(build(root, out)) > 0 and spare_of(root).is_dir() and not spare_of(root).is_symlink()
    same_as_cold(root, out, tmp_path / "cold-again")


LINKED = ["", "output", "output/SPARE", "builds", "load", "load/SUB", "template", "search", "an entry",
          "a lock file"]


@pytest.mark.parametrize("linked", LINKED)
def test_a_cache_folder_that_is_a_link_is_replaced_never_followed(site, tmp_path, linked):
    """The cache folder, any folder in it, an entry or a lock replaced by a link (to where a copy of it lies): the
    build removes the link and goes on without what it led to; nothing there is read as the cache, written,
    touched or removed."""
    import shutil
    root = site()
    out = tmp_path / "out"
    build(root, out)
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    build(root, out)
    cache = root / ".factcheck-cache"
    if linked == "output/SPARE":
        path = spare_of(root)
    elif linked == "load/SUB":
        path = next(p for p in sorted((cache / "load").iterdir()))
    elif linked == "an entry":
        path = next(p for p in sorted((cache / "load").rglob("*")) if p.is_file())
    elif linked == "a lock file":
        path = next((cache / "output").glob("*.lock"))
    else:
        path = cache / linked if linked else cache
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    moved = elsewhere / "moved"
    shutil.move(path, moved)
    os.utime(moved, (1, 1))  # an old time: a prune would remove an entry there
    for p in moved.rglob("*") if moved.is_dir() else ():
        os.utime(p, (1, 1), follow_symlinks=False)
    path.symlink_to(moved, target_is_directory=moved.is_dir())
    before = tree(elsewhere)
    edit(root, ARTICLE, "membantah klaim itu", "membantah klaim itu lagi")
    warm = build(root, out)
    assert tree(elsewhere) == before, "the link's target is untouched"
    assert not path.is_symlink()
    assert "which the build did not make: removed, not followed" in warm.stderr or \
        "a link, not a file" in warm.stderr, warm.stderr
    same_as_cold(root, out, tmp_path / "cold")
    assert tree(elsewhere) == before
    edit(root, ARTICLE, "membantah klaim itu lagi", "membantah klaim")
    again = build(root, out)
    assert "not followed" not in again.stderr and tree(elsewhere) == before
    same_as_cold(root, out, tmp_path / "cold-again")


def test_a_forged_record_is_never_believed(site, tmp_path):
    """"up to date" trusts the last build's record: one written without the key is not believed, nor one (signed)
    whose summary holds a terminal's escape sequence; the build runs, and prints no control character."""
    import json

    from generator.cache import digest, seal, user_key
    from generator.cache.store import HEAD
    root = site()
    out = tmp_path / "out"
    build(root, out)
    record = root / ".factcheck-cache" / "builds" / digest(os.path.realpath(out))  # the output's (the spare has one)
    saved = json.loads(record.read_bytes()[HEAD:])
    saved["summary"] = "\x1b]0;pwned\x07" + saved["summary"]
    forged = json.dumps(saved).encode()
    for data in (forged, checksummed(forged, record), seal(user_key(), f"builds/{record.name}", forged)):
        record.write_bytes(data)
        again = build(root, out)
        assert "\x1b" not in again.stdout + again.stderr
        assert again.stdout.startswith("built "), again.stdout
        assert build(root, out).stdout.startswith("up to date: ")


def test_a_cache_signed_with_another_key_is_a_plain_miss(site, tmp_path, monkeypatch):
    """$FACTCHECK_CACHE_KEY gives the key (CI: a repository secret); a cache written with another (restored from
    elsewhere) costs a cold build, without a warning, and one written with the same key serves the next build."""
    from generator.cache import user_key
    root = site()
    for n, key in enumerate(["one secret", "another secret", "another secret"]):
        monkeypatch.setenv("FACTCHECK_CACHE_KEY", key)
        user_key.cache_clear()
        edit(root, ARTICLE, "membantah klaim", "membantah klaim " + "lagi " * n)
        warm = build(root, tmp_path / "out")
        assert "warning: build cache" not in warm.stderr
        assert (reused(warm) > 0) == (n == 2), warm.stdout
    same_as_cold(root, tmp_path / "out", tmp_path / "cold")
    monkeypatch.delenv("FACTCHECK_CACHE_KEY")
    user_key.cache_clear()


def test_what_a_build_takes_from_the_cache_stays_there_for_the_next_build(site, tmp_path, monkeypatch):
    """The same kind of edit, build after build, re-renders the same pages, reuses all the others and reads only
    the file edited each time: an entry a build used is kept by its prune (only entries no build has used since
    are removed)."""
    import time
    from generator import load
    root = site()
    out = tmp_path / "out"
    build(root, out)
    read, real = [], load.read_file_text
    monkeypatch.setattr(load, "read_file_text", lambda path, *a, **k: read.append(path.name) or real(path, *a, **k))
    counts = []
    for n in range(3):
        hour_ago = time.time() - 3600  # the builds an hour apart: what the last one used is older than a prune's limit
        for entry in (root / ".factcheck-cache").rglob("*"):
            os.utime(entry, (hour_ago, hour_ago), follow_symlinks=False)
        edit(root, ARTICLE, "Kim Jong Un bertemu", f"Kim Jong Un ({n}) bertemu")
        read.clear()
        counts.append((reused(build(root, out)), read[:]))
        edit(root, ARTICLE, f"Kim Jong Un ({n}) bertemu", "Kim Jong Un bertemu")
    assert counts[0][0] > 0 and counts == [(counts[0][0], [Path(ARTICLE).name])] * 3, counts


# -- records are written as packs: one file a loading process, not one a content file -----------------------------

def load_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / ".factcheck-cache" / "load").rglob("*") if p.is_file())


def test_a_build_writes_the_records_of_its_content_files_as_a_few_files(site, tmp_path):
    """Making a file costs more than what a record holds (thousands of them were a tenth of a cold build): each
    process that loads content files writes their records as one pack, and the next build finds them all."""
    root = site({f"content/articles/salinan-{n}.md": BASE[ARTICLE] for n in range(8)})
    content = [p for p in (root / "content").rglob("*") if p.is_file()]
    build(root, tmp_path / "out", "--jobs", "2")
    assert 0 < len(load_files(root)) <= 4 * 2 + 4 < len(content), (len(load_files(root)), len(content))
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    warm = build(root, tmp_path / "out")
    assert rendered(warm) < reused(warm)
    same_as_cold(root, tmp_path / "out", tmp_path / "cold")


def test_the_packs_do_not_grow_with_every_build(tmp_path):
    """Thirty builds an hour apart, each with another file edited: every current record is found each time, the
    packs of records no build uses are removed, and the many small packs are written again as one."""
    import time

    from generator.cache import Store
    from generator.cache.store import COMPACT_PACKS
    folder = tmp_path / "cache"
    current = {n: f"{n:064x}" for n in range(30)}
    for part in range(3):  # a cold build's three loading processes
        writer = Store(folder)
        for n in range(part * 10, part * 10 + 10):
            writer.put("load", current[n], ("record", n, 0))
        writer.flush()
    for build_no in range(1, 31):
        hour_ago = time.time() - 3600
        for entry in folder.rglob("*"):
            os.utime(entry, (hour_ago, hour_ago))
        edited = build_no % 30
        current[edited] = f"{build_no:032x}{edited:032x}"
        store, writer = Store(folder), Store(folder)
        found = {n: store.get("load", key) for n, key in current.items() if n != edited}
        assert store.get("load", current[edited]) is None
        writer.put("load", current[edited], ("record", edited, build_no))
        writer.flush()
        store.prune(before=time.time() - 2)
        assert found == {n: ("record", n, found[n][2]) for n in found}, build_no
        packs = sorted(p for p in folder.rglob("*") if p.is_file())
        assert len(packs) <= COMPACT_PACKS + 1, (build_no, len(packs))
        assert store.problems == []
    again = Store(folder)
    assert {n: again.get("load", key)[1] for n, key in current.items()} == {n: n for n in current}


def test_a_crafted_record_inside_a_signed_pack_never_runs(site, tmp_path):
    """A pack is signed whole and each record in it is read as data alone: one record that names a function
    (in a pack signed with the user's key) runs nothing; the pack is ignored with one warning, and made again."""
    import pickle

    from generator.cache import user_key
    from generator.cache.store import unseal
    root = site()
    build(root, tmp_path / "first")
    marker = tmp_path / "ran"
    path = max(load_files(root), key=lambda p: p.stat().st_size)
    pack = pickle.loads(unseal(user_key(), f"load/{path.name}", path.read_bytes()))
    pack = {key: pickle.dumps(Crafted("os.system", str(marker))) for key in pack}
    path.write_bytes(signed(path, pickle.dumps(pack)))
    edit(root, ARTICLE, "membantah klaim", "membantah klaim itu")
    warm = build(root, tmp_path / "warm")
    assert not marker.exists(), "the crafted record ran"
    warnings = [line for line in warm.stderr.splitlines() if "build cache entry" in line]
    assert len(warnings) == 1 and re.fullmatch(ENTRY_WARNING, warnings[0]), warnings
    same_as_cold(root, tmp_path / "warm", tmp_path / "cold")
    assert not marker.exists() and sound(root)


def test_a_cache_folder_another_process_makes_at_the_same_moment_is_used(tmp_path, monkeypatch):
    """The loading processes write their records at the same time: one that finds no folder, then finds it made by
    another when it makes it, writes there too (it warned that the cache could not be written, and wrote nothing)."""
    from generator.cache import Store
    folder = tmp_path / "cache"
    (folder / "load").mkdir(parents=True)  # made by the other process between this one's look and its mkdir
    looked, real_lstat = [], os.lstat

    def lstat(path, *args, **kwargs):
        if Path(path).name == "load" and not looked:
            looked.append(path)
            raise FileNotFoundError(path)
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", lstat)
    store = Store(folder)
    store.put("load", "a" * 64, ("record", 1))
    store.flush()
    assert looked and store.problems == []
    assert Store(folder).get("load", "a" * 64) == ("record", 1)


def test_the_cache_says_which_entries_it_lacks_without_reading_them(tmp_path):
    """`has` is False only where no entry is (the build indexes those search shards first); what lies there instead
    of an entry counts as one, for `get` to remove with a warning rather than to be overlooked."""
    from generator.cache.store import Store
    store, key = Store(tmp_path / "cache"), "b" * 64
    assert not store.has("search", key)
    store.put("search", key, {"pagefind.js": b"x"})
    assert store.has("search", key) and Store(tmp_path / "cache").get("search", key) == {"pagefind.js": b"x"}
    entry = tmp_path / "cache" / "search" / key[:2] / key
    entry.unlink()
    entry.symlink_to(tmp_path)
    again = Store(tmp_path / "cache")
    assert again.has("search", key) and again.get("search", key) is None and not entry.is_symlink()
    assert "a link, not a file" in str(again.problems)


def test_what_a_build_says_is_counted_in_the_singular_and_the_plural(site, tmp_path):
    """"built 1 article, 2 claims …", and "up to date: 1 article …" after it: never "1 articles" or "1 pages"."""
    from conftest import SULLIVAN
    root = site(base={name: text for name, text in BASE.items() if name != SULLIVAN})
    first = build(root, tmp_path / "out")
    assert re.search(r"^built 1 article, 2 claims, \d+ actors into .*: \d+ pages rendered, 0 reused, 1 of 1 "
                     r"search shard indexed$", first.stdout, re.M), first.stdout
    assert re.search(r"^up to date: 1 article, 2 claims, \d+ actors ", build(root, tmp_path / "out").stdout, re.M)
    assert not re.search(r"\b1 (articles|claims|actors|pages)\b", first.stdout)


def test_packs_read_ahead_give_what_packs_read_at_need_give(tmp_path, monkeypatch):
    """The build reads the packs of records in a thread while it hashes its inputs (`Store.prefetch`): the same
    records, and the same warnings for a damaged pack (removed) and none for another key's (a miss), as reading
    them when first asked; and once read ahead, asking reads no file again."""
    from generator.cache import Store
    from generator.cache import store as stored
    folder = tmp_path / "cache"
    for part in range(3):
        writer = Store(folder)
        for n in range(part * 4, part * 4 + 4):
            writer.put("load", f"{n:064x}", ("record", n))
        writer.flush()
    packs = sorted(p for p in (folder / "load").rglob("*") if p.is_file())
    packs[0].write_bytes(packs[0].read_bytes()[:-7])  # truncated
    other = Store(folder, secret=b"another user's key" * 2)
    other.put("load", f"{99:064x}", ("record", 99))
    other.flush()
    saved = {p: p.read_bytes() for p in (folder / "load").rglob("*") if p.is_file()}

    def lookup(ahead: bool):
        for path, data in saved.items():
            path.write_bytes(data)
        store = Store(folder)
        if ahead:
            store.prefetch("load")
            store._ahead["load"][0].join()
            monkeypatch.setattr(stored, "read_file", lambda *a, **k: pytest.fail("a pack read again"))
        found = {n: store.get("load", f"{n:064x}") for n in (*range(12), 99)}
        monkeypatch.undo()
        left = sorted(p for p in (folder / "load").rglob("*") if p.is_file())
        return found, [str(p) for p in store.problems], left

    at_need, ahead = lookup(False), lookup(True)
    assert ahead == at_need
    found, problems, left = ahead
    assert sum(1 for value in found.values() if value) == 8 and found[99] is None  # a pack lost, another key's
    assert all(found[n] in (None, ("record", n)) for n in range(12))
    assert len(problems) == 1 and "truncated, damaged or forged" in problems[0] and packs[0] not in left


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # the thread stopped short
def test_a_pack_the_reading_thread_could_not_open_is_read_when_first_asked(tmp_path, monkeypatch):
    """Should the thread that reads the packs ahead stop short (whatever stopped it), the packs it did not open
    are read when a record is first asked for: every record is still found."""
    from generator.cache import Store
    folder = tmp_path / "cache"
    for part in range(3):
        writer = Store(folder)
        writer.put("load", f"{part:064x}", ("record", part))
        writer.flush()
    real = Store._open
    monkeypatch.setattr(Store, "_open", lambda *a, **k: (_ for _ in ()).throw(MemoryError()))
    store = Store(folder)
    store.prefetch("load")
    store._ahead["load"][0].join()
    monkeypatch.setattr(Store, "_open", real)
    assert [store.get("load", f"{part:064x}") for part in range(3)] == [("record", part) for part in range(3)]
    assert store.problems == []
