"""Rendered pages → the Pagefind index: built into the output, found in real Chromium under a base path and in the
preview, in Indonesian and English, and a plain form that leads to the lists without JavaScript."""
from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from browser import Served, chromium
from conftest import REPO, SITE_TOML, build_ok, page

RESULTS = ".site-search .search-results a"


class Under(SimpleHTTPRequestHandler):
    """A plain static server with the site under `prefix`, as GitHub Pages serves a project site."""

    prefix = "/"
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        path = path.split("?", 1)[0]
        inside = path.startswith(self.prefix)
        return super().translate_path("/" + path[len(self.prefix):] if inside else "/-missing-")


@contextlib.contextmanager
def served_at(out: Path, prefix: str):
    """`out` served at http://127.0.0.1:PORT/PREFIX/; yields that URL."""
    handler = type("Handler", (Under,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def search(browser_page, query: str, expect: str, timeout: int = 15_000) -> list[str]:
    """Type `query` into the header's search box; the result links once one of them ends with `expect`."""
    browser_page.fill("#site-search-q", query)
    browser_page.wait_for_function("q => document.querySelector('.site-search .search-status').textContent.includes(q)",
                                   arg=f"“{query}”", timeout=timeout)
    browser_page.wait_for_selector(f'{RESULTS}[href$="{expect}"]', timeout=timeout)
    return [a.get_attribute("href") for a in browser_page.query_selector_all(RESULTS)]


def test_the_build_indexes_articles_claims_and_actors_only(site):
    out = build_ok(site())
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["id"], "the site's <html lang> picks the stemming"
    assert entry["languages"]["id"]["page_count"] == 2 + 2 + 5, "2 articles, 2 claims, 5 actors"
    for path in ("articles/putin-di-pyongyang/", "claims/sanksi-dilanggar/", "actors/rusia/"):
        assert page(out, path).find("main", attrs={"data-pagefind-body": True}), path
    for path in ("", "claims/", "matrix/", "topics/senjata/", "search/"):
        assert not page(out, path).find(attrs={"data-pagefind-body": True}), path


def test_search_finds_an_actor_and_an_indonesian_word_under_a_base_path(site):
    out = build_ok(site())
    with served_at(out, "/cek/") as url, chromium() as browser:
        tab = browser.new_page()
        tab.goto(url + "articles/")
        found = search(tab, "Blinken", "/cek/actors/antony-blinken/")
        assert found[0] == "/cek/actors/antony-blinken/", "the actor's own page comes first"
        assert "/cek/claims/korea-utara-memasok-senjata/" in found
        assert all(h.startswith("/cek/") for h in found), "results keep the base path"
        assert "Pihak" in tab.text_content(".site-search .search-results li"), "each result says what it is"
        # Stemming: "dibantah" finds the claim whose page says "membantah".
        found = search(tab, "dibantah", "/cek/claims/korea-utara-memasok-senjata/")
        assert not any("/actors/" in h and "rusia" not in h and "korea-utara" not in h for h in found)
        tab.click(f'{RESULTS}[href$="/cek/claims/korea-utara-memasok-senjata/"]')
        tab.wait_for_url(url + "claims/korea-utara-memasok-senjata/")


def test_the_search_page_shows_all_results_and_a_query_in_its_address(site):
    out = build_ok(site())
    with served_at(out, "/cek/") as url, chromium() as browser:
        tab = browser.new_page()
        tab.goto(url + "search/?q=senjata")
        tab.wait_for_selector('.search-page .search-results a[href="/cek/claims/korea-utara-memasok-senjata/"]',
                              timeout=15_000)
        assert tab.input_value("#search-q") == "senjata"
        assert "senjata" in tab.inner_text(".search-page .search-status")
        assert tab.is_hidden(".search-nojs"), "with JavaScript the note about it goes"
        # Enter in the header box opens this page with the query.
        tab.goto(url + "actors/")
        tab.fill("#site-search-q", "Sullivan")
        tab.press("#site-search-q", "Enter")
        tab.wait_for_url(url + "search/?q=Sullivan")
        tab.wait_for_selector('.search-page .search-results a[href="/cek/actors/jake-sullivan/"]', timeout=15_000)


def test_two_quick_clicks_on_more_show_the_next_results_once(tmp_path):
    """A reader who double-clicks "more" gets the next twenty results once: not the same ones twice, nor a batch
    skipped."""
    out = build_ok(example_copy(tmp_path))
    with served_at(out, "/cek/") as url, chromium() as browser:
        tab = browser.new_page()
        tab.goto(url + "search/?q=Korea")
        tab.wait_for_function("() => /\\d/.test(document.querySelector('.search-page .search-status').textContent)",
                              timeout=15_000)
        total = int(re.search(r"\d+", tab.inner_text(".search-page .search-status").replace(".", ""))[0])
        assert total > 40, "enough results for two batches after the first"
        tab.evaluate("() => { const b = document.querySelector('.search-page .search-more'); b.click(); b.click(); }")
        tab.wait_for_function("() => document.querySelectorAll('.search-page .search-results a').length >= 40")
        tab.wait_for_timeout(500)  # a second batch, if any, would have come by now
        shown = [a.get_attribute("href") for a in tab.query_selector_all(".search-page .search-results a")]
        assert len(shown) == 40 and len(set(shown)) == 40, shown


def test_without_javascript_the_box_leads_to_the_lists(site):
    out = build_ok(site())
    with served_at(out, "/cek/") as url, chromium() as browser:
        tab = browser.new_context(java_script_enabled=False).new_page()
        tab.goto(url + "claims/sanksi-dilanggar/")
        tab.fill("#site-search-q", "Blinken")
        tab.press("#site-search-q", "Enter")
        tab.wait_for_url(url + "search/?q=Blinken")
        assert tab.is_visible(".search-nojs")
        for key in ("claims", "actors", "articles"):
            assert tab.query_selector(f'.search-lists a[href="../{key}/"]'), key
        tab.click('.search-lists a[href="../actors/"]')
        assert tab.query_selector('a[href="../actors/antony-blinken/"]')


def test_search_works_in_the_preview_and_follows_an_edit(site):
    root = site()
    server = Served(root)
    try:
        with chromium() as browser:
            tab = browser.new_page()
            tab.goto(server.url + "outlets/")
            found = search(tab, "Sullivan", "/actors/jake-sullivan/", timeout=30_000)
            assert "/actors/jake-sullivan/" in found, "at / in the preview, though base_url has a path"
            article = root / "content/articles/sullivan-mendesak-kim.md"
            article.write_text(article.read_text("utf-8").replace("membunuh warga Ukraina", "membunuh warga Kharkiv"),
                               "utf-8")
            tab.wait_for_timeout(500)
            for _ in range(30):  # the index follows the save in the background
                tab.goto(server.url + "outlets/")
                tab.fill("#site-search-q", "Kharkiv")
                try:
                    tab.wait_for_selector(f'{RESULTS}[href$="/articles/sullivan-mendesak-kim/"]', timeout=1_000)
                    break
                except Exception:  # noqa: BLE001 - not indexed yet
                    continue
            else:
                pytest.fail("the preview's search never found the edited word")
    finally:
        server.stop()


def test_the_preview_index_runs_again_only_when_an_indexed_page_changed():
    from generator.search import LiveIndex

    def html(word: str) -> bytes:
        return f'<html lang="id"><body><main data-pagefind-body><h1>{word}</h1></main></body></html>'.encode()

    index = LiveIndex()
    try:
        index.update({"claims/a/index.html": html("pertama"), "claims/index.html": b"<html><body>daftar</body></html>"})
        assert index.wait(1, 60) and not index.error
        first = index.files
        assert "pagefind/pagefind.js" in first and any(name.startswith("pagefind/fragment/") for name in first)
        index.update({"claims/a/index.html": html("pertama"), "claims/index.html": b"<html><body>lain</body></html>"})
        assert index.wait(2, 60) and index.files is first, "a page the index does not hold changed: no run"
        index.update({"claims/a/index.html": html("kedua")})
        assert index.wait(3, 60) and index.files is not first
        assert set(first) <= set(index.files), "the last run's files stay for pages that loaded them"
    finally:
        index.close()


def test_an_english_site_is_indexed_as_english(site):
    out = build_ok(site({"site.toml": SITE_TOML.replace('language = "id"', 'language = "en"')}))
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["en"]
    assert page(out, "actors/rusia/").find("main")["data-pagefind-meta"] == "kind:Actor"
    assert page(out, "").find("input", id="site-search-q").find_parent("form")["action"] == "./search/"


def test_the_index_is_the_same_for_the_same_files(site, tmp_path):
    root = site()

    def digest(out: Path) -> dict[str, str]:
        build_ok(root, "--out", str(out))
        return {f.relative_to(out).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
                for f in sorted((out / "pagefind").rglob("*")) if f.is_file()}

    first = digest(tmp_path / "one")
    assert any(name.startswith("pagefind/fragment/") or name.startswith("fragment/") for name in first)
    assert first == digest(tmp_path / "two")


def test_without_pagefind_the_build_fails_and_keeps_the_last_output(site):
    root = site()
    out = build_ok(root)
    before = (out / "index.html").read_bytes()
    env = {**os.environ, "PAGEFIND_BINARY_PATH": str(root / "no-such-pagefind")}
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(root)], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "_site/pagefind/:1: the search index was not built: Pagefind did not run" in result.stderr
    assert (out / "index.html").read_bytes() == before


def example_copy(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    root.mkdir()
    subprocess.run(["cp", "-r", str(REPO / "content"), str(REPO / "site.toml"), str(root)], check=True)
    return root


def held_text(out: Path) -> dict[str, tuple[str, str]]:
    """Each indexed page's URL (as served at /cek/) → its shard's folder and the text Pagefind holds of it
    (lowercased), read from the bundle's fragments."""
    held = {}
    for fragment in (out / "pagefind").glob("**/fragment/*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        held["/cek" + data["url"]] = (fragment.parent.parent.name, data["content"].lower())
    return held


def test_a_sharded_index_finds_what_one_index_finds(tmp_path, monkeypatch):
    """A large site's index comes in shards that the browser merges; shards as small as 4 pages here.

    Every page whose text holds the word is found in both, and the shards find nothing else but what Pagefind's
    own longest-prefix rule adds: when no word of an index starts with the query, Pagefind searches instead for
    the longest word of that index the query starts with (pagefind_web's find_word_extensions, Pagefind PR #315;
    no option turns it off, issue #793), and a merged shard is searched as an index of its own. So a shard whose
    pages lack "amunisi" matches it to "a" (in the UN resolutions quoted in English) and adds those pages, which
    one index, holding "amunisi", never does. Such an extra page must not hold the word and must come from a
    shard where no page does; anything else is a merging bug.
    """
    from conftest import build_here
    from generator import search as search_module
    root = example_copy(tmp_path)
    whole = tmp_path / "whole"
    build_here(root, whole)
    monkeypatch.setattr(search_module, "SHARD_PAGES", 4)
    sharded = tmp_path / "sharded"
    build_here(root, sharded)
    merged = json.loads((sharded / "pagefind/shards.json").read_text("utf-8"))
    assert len(merged) >= 8 and json.loads((whole / "pagefind/shards.json").read_text("utf-8")) == []
    assert not (sharded / "pagefind/1/pagefind.js").exists(), "a merged shard holds its index only"
    found: dict[str, list[set[str]]] = {}
    for out in (whole, sharded):
        with served_at(out, "/cek/") as url, chromium() as browser:
            tab = browser.new_page()
            failed = []
            tab.on("requestfailed", lambda request: failed.append(request.url))
            tab.on("response", lambda response: response.status >= 400 and failed.append(response.url))
            for query in ("Pyongyang", "Peskov", "amunisi", "sanksi"):
                tab.goto(f"{url}search/?q={query}")
                tab.wait_for_function("q => document.querySelector('.search-page .search-status').textContent"
                                      ".includes(q)", arg=f"“{query}”", timeout=15_000)
                while tab.is_visible(".search-page .search-more"):
                    shown = len(tab.query_selector_all(".search-page .search-results a"))
                    tab.click(".search-page .search-more")
                    tab.wait_for_function("n => document.querySelector('.search-page .search-more').hidden || "
                                          "document.querySelectorAll('.search-page .search-results a').length > n",
                                          arg=shown)
                found.setdefault(query, []).append(
                    {a.get_attribute("href") for a in tab.query_selector_all(".search-page .search-results a")})
            assert failed == [], f"every file the search asked for exists: {failed}"
    held = held_text(sharded)
    for query, (one, shards) in found.items():
        holds = {url for url, (_, text) in held.items() if query.lower() in text}
        assert len(holds) > 3 and holds <= one and one <= shards, (query, sorted(holds), sorted(one), sorted(shards))
        for url in shards - one:  # the longest-prefix rule in a shard that lacks the word (see above)
            shard = held[url][0]
            assert url not in holds and not any(query.lower() in text for at, text in held.values() if at == shard), \
                (query, url, "found in a shard that holds the word, or holding the word, yet not found by one index")
    assert "/cek/actors/dmitry-peskov/" in found["Peskov"][1]


def test_a_change_indexes_again_only_the_shard_that_holds_the_page(monkeypatch):
    from generator import search as search_module

    def html(word: str) -> bytes:
        return f'<html lang="id"><body><main data-pagefind-body><h1>{word}</h1></main></body></html>'.encode()

    def digests(pages: dict[str, bytes]) -> dict[str, str]:
        return {path: search_module.indexed(body) for path, body in pages.items()}

    monkeypatch.setattr(search_module, "SHARD_PAGES", 2)
    pages = {f"claims/c{i}/index.html": html(f"kata{i}") for i in range(12)}
    kept: dict[str, dict] = {}
    first, error = search_module.index_pages(digests(pages), pages.__getitem__, kept.get, kept.__setitem__)
    assert not error and len(kept) == len(json.loads(first["shards.json"])) + 1 >= 4
    again: dict[str, dict] = {}
    pages["claims/c3/index.html"] = html("baru")
    read = []
    second, error = search_module.index_pages(digests(pages), lambda path: read.append(path) or pages[path], kept.get,
                                              again.__setitem__, jobs=2)
    assert not error and len(again) == 1, "one page changed: one shard indexed again"
    count = search_module.shard_count(len(pages))
    assert "claims/c3/index.html" in read and len({search_module.shard_of(path, count) for path in read}) == 1 \
        and len(read) < len(pages) / 2, "only the pages of that shard are read"
    shard = lambda name: name.split("/")[0] if name.split("/")[0].isdigit() else "first"  # noqa: E731
    changed = {shard(name) for name in first.keys() | second.keys() if first.get(name) != second.get(name)}
    assert len(changed) == 1, f"the other shards' files are the same: {changed}"


def test_a_shard_missing_from_the_cache_is_indexed_at_once_and_one_it_cannot_give_after_all(monkeypatch):
    """The shards the cache says it lacks (`has`) go to Pagefind before any other is looked up (their entries are
    not even read); a shard the cache seemed to hold but cannot give (a damaged entry) is indexed as well."""
    from generator import search as search_module
    monkeypatch.setattr(search_module, "SHARD_PAGES", 2)
    pages = {f"claims/c{i}/index.html": f'<html lang="id"><body><main data-pagefind-body><h1>kata{i}</h1></main>'
             f'</body></html>'.encode() for i in range(12)}
    digests = {path: search_module.indexed(body) for path, body in pages.items()}
    kept: dict[str, dict] = {}
    whole, error = search_module.index_pages(digests, pages.__getitem__, kept.get, kept.__setitem__)
    assert not error and len(kept) >= 4
    lacking, damaged = sorted(kept)[:2]
    looked_up, indexed = [], {}
    again, error = search_module.index_pages(
        digests, pages.__getitem__, lambda key: looked_up.append(key) or (None if key == damaged else kept.get(key)),
        indexed.__setitem__, jobs=2, has=lambda key: key != lacking)
    assert not error and again == whole
    assert set(indexed) == {lacking, damaged} and lacking not in looked_up and damaged in looked_up


def test_a_pagefind_that_fails_is_reported_with_what_it_said(site, tmp_path):
    root = site()
    out = build_ok(root)
    before = (out / "index.html").read_bytes()
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\nhead -c 1 >/dev/null\necho 'disk full while writing the index' >&2\nexit 3\n", "utf-8")
    broken.chmod(0o755)
    env = {**os.environ, "PAGEFIND_BINARY_PATH": str(broken)}
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(root), "--no-cache"], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "_site/pagefind/:1: the search index was not built: Pagefind failed: disk full while writing the index" \
        in result.stderr, result.stderr
    assert (out / "index.html").read_bytes() == before


def test_a_page_stays_in_its_shard_from_one_build_to_the_next():
    """A shard is found in the build cache only if the next build (another process) puts the same pages in it."""
    from generator.search import shard_of
    paths = [f"articles/a{i}/index.html" for i in range(40)]
    here = [shard_of(p, 16) for p in paths]
    there = subprocess.run([sys.executable, "-c", "import json, sys; from generator.search import shard_of; "
                            "print(json.dumps([shard_of(p, 16) for p in json.loads(sys.argv[1])]))", json.dumps(paths)],
                           cwd=REPO, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": "random"}).stdout
    assert json.loads(there) == here and len(set(here)) > 8, "the same shard in every process, and pages spread"


def test_pagefind_is_given_each_page_without_what_it_would_leave_out(tmp_path):
    """Elements marked data-pagefind-ignore="all" (a claim page's passages, an article's notes) are cut before
    Pagefind reads a page: the index is the same byte for byte, from a fraction of the bytes."""
    from conftest import build_here
    from generator.search import MARK, Service, document
    out = tmp_path / "out"
    build_here(example_copy(tmp_path), out)
    pages = {f.relative_to(out).as_posix(): f.read_bytes() for f in sorted(out.rglob("*.html"))}
    pages = {path: body for path, body in pages.items() if MARK in body}
    claims = [path for path in pages if path.startswith("claims/")]
    assert len(claims) > 10
    given = {path: document(body) for path, body in pages.items()}
    assert sum(len(given[p]) for p in claims) < 0.6 * sum(len(pages[p]) for p in claims)
    # the first claim page on which someone asserts or denies (an unrated claim may have only mentions)
    first = next(p for p in claims if page(out, p.removesuffix("index.html")).select_one(".sides blockquote"))
    one = page(out, first.removesuffix("index.html"))
    title, passage = one.find("h1").get_text(), one.select_one(".sides blockquote").get_text()
    assert title.encode() in given[first] and b'class="sides"' not in given[first]
    assert passage.encode() not in given[first], "the passages are indexed on their articles"
    service = Service()
    try:
        assert service.index(list(given.items())) == service.index(list(pages.items()))
    finally:
        service.close()


@pytest.mark.parametrize("html, given", [
    ('<p>a</p><div data-pagefind-ignore="all"><div>b</div>c</div><p>d</p>', "<p>a</p><p>d</p>"),  # nested
    ('<p>a<img data-pagefind-ignore="all" src="x.png">b<br data-pagefind-ignore="all"></p>', "<p>ab</p>"),  # void
    ('<section\n  class="x" data-pagefind-ignore="all">a</section>b', "b"),  # attributes on lines of their own
    ('<p>a data-pagefind-ignore="all" b</p><i data-pagefind-ignore="all">c</i>', "<p>a data-pagefind-ignore=\"all\" "
     "b</p>"),  # the words in a text are words
    ('<p data-pagefind-ignore>a</p><p data-pagefind-ignore="index">b</p>',
     '<p data-pagefind-ignore>a</p><p data-pagefind-ignore="index">b</p>'),  # Pagefind keeps their filters and meta
    ('<p>a</p><div data-pagefind-ignore="all"><div>b</div>', '<p>a</p><div data-pagefind-ignore="all"><div>b</div>'),
])
def test_what_pagefind_is_given_of_a_page(html, given):
    from generator.search import document
    wrapped = f'<html lang="id"><body><main data-pagefind-body>{html}</main></body></html>'
    assert document(wrapped.encode()).decode() == wrapped.replace(html, given)


def test_a_change_only_where_the_search_does_not_look_indexes_nothing_again():
    from generator.search import indexed
    html = '<html lang="id"><body><main data-pagefind-body><p>{}</p><div data-pagefind-ignore="all">{}</div></main>'
    assert indexed(html.format("a", "b").encode()) == indexed(html.format("a", "c").encode())
    assert indexed(html.format("a", "b").encode()) != indexed(html.format("d", "b").encode())
    assert indexed(b"<p>a page the search does not index</p>") == ""


def test_a_pagefind_stopped_halfway_through_a_request_closes_quietly():
    """Stopping the preview kills a running Pagefind; closing it then must not end its thread with a traceback."""
    from generator.search import Service
    service = Service()
    service.proc.kill()
    service.proc.wait()
    service.proc.stdin.write(b"eyJtZXNzYWdlX2lkIjog")  # a request cut short, still in the pipe's buffer
    service.close()
    assert service.proc.returncode is not None


def test_a_page_that_cannot_be_read_while_pagefind_indexes_fails_the_search_with_its_reason():
    """Pages are read and sent to Pagefind one by one while it indexes them: one that cannot be read (removed
    meanwhile) fails the search index at once, with the reason, and never leaves Pagefind waiting for the rest."""
    import threading

    from generator.search import index_pages
    html = '<html lang="id"><body><main data-pagefind-body><p>halaman {}</p></main></body></html>'
    pages = {f"articles/a-{n}/index.html": "x" for n in range(40)}

    def read(path: str) -> bytes:
        if path == "articles/a-17/index.html":
            raise FileNotFoundError(2, "No such file or directory", path)
        return html.format(path).encode()

    found = []
    worker = threading.Thread(target=lambda: found.append(index_pages(pages, read, jobs=1)), daemon=True)
    worker.start()
    worker.join(60)
    assert found, "the search waited on Pagefind"
    bundle, failed = found[0]
    assert bundle == {} and "No such file or directory" in failed
    odd = index_pages(pages, lambda path: "not bytes", jobs=1)  # whatever else goes wrong is said, not raised
    assert odd[0] == {} and "Pagefind was not given a page: TypeError" in odd[1]
    full = index_pages(pages, lambda path: html.format(path).encode(), jobs=1)
    assert full[1] == "" and any(name.startswith("fragment/") for name in full[0])
