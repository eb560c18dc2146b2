"""The preview server in real headless Chromium: live reload, error overlay, CSS without reload, no lost saves."""
from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request

import pytest

from browser import chromium
from conftest import ARTICLE, BASE


def save(path, text: str) -> None:
    path.write_text(text, "utf-8")


def test_an_edit_shows_without_a_manual_reload(served):
    root, server = served
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url + "articles/putin-di-pyongyang/")
        assert "bertemu hari ini" in page.inner_text("main")
        save(root / ARTICLE, BASE[ARTICLE].replace("bertemu hari ini", "bertemu kemarin sore"))
        page.wait_for_function("document.body.innerText.includes('bertemu kemarin sore')", timeout=10_000)
        # The claim page it feeds follows too: a new passage shows there.
        page.goto(server.url + "claims/sanksi-dilanggar/")
        quote = "    quote: transfer senjata Korea Utara akan melanggar beberapa sanksi"
        save(root / ARTICLE, BASE[ARTICLE].replace(quote, quote + "\n    asserts: [jake-sullivan]"))
        page.wait_for_selector('[data-stance="asserts"] a[href="../../actors/jake-sullivan/"]', timeout=10_000)


def test_a_broken_file_shows_an_overlay_and_fixing_it_clears_it(served):
    root, server = served
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url + "articles/putin-di-pyongyang/")
        save(root / ARTICLE, BASE[ARTICLE].replace("published: 2024-06-19", "published: 2024-06-31"))
        overlay = page.wait_for_selector("#preview-problems", timeout=10_000)
        assert f"{ARTICLE}:4: impossible date '2024-06-31' in 'published'" in overlay.inner_text()
        assert "bertemu hari ini" in page.inner_text("main"), "the last good page stays"
        # A page opened while the site is broken shows the overlay as well.
        other = browser.new_page()
        other.goto(server.url + "claims/")
        other.wait_for_selector("#preview-problems", timeout=10_000)
        save(root / ARTICLE, BASE[ARTICLE].replace("bertemu hari ini", "bertemu lagi"))
        page.wait_for_function("document.body.innerText.includes('bertemu lagi')", timeout=10_000)
        assert page.query_selector("#preview-problems") is None
    assert server.proc.poll() is None, "the server keeps running"


def test_a_css_edit_restyles_without_a_reload(served, site):
    root, server = served
    css = root / "static/css/site.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    save(css, "h1 { color: rgb(1, 2, 3); }\n")
    time.sleep(0.3)
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url)
        page.wait_for_function("getComputedStyle(document.querySelector('h1')).color === 'rgb(1, 2, 3)'",
                               timeout=10_000)
        page.evaluate("window.notReloaded = true")
        save(css, "h1 { color: rgb(200, 0, 0); }\n")
        page.wait_for_function("getComputedStyle(document.querySelector('h1')).color === 'rgb(200, 0, 0)'",
                               timeout=10_000)
        assert page.evaluate("window.notReloaded === true"), "the page was not reloaded"


def test_twenty_saves_in_two_seconds_the_last_one_shows(served):
    root, server = served
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url + "articles/putin-di-pyongyang/")
        for n in range(20):
            save(root / ARTICLE, BASE[ARTICLE].replace("bertemu hari ini", f"bertemu versi {n}"))
            time.sleep(0.1)
        page.wait_for_function("document.body.innerText.includes('bertemu versi 19')", timeout=15_000)
        time.sleep(1)
        assert "bertemu versi 19" in page.inner_text("main")


def test_deleting_adding_and_links_at_root(served):
    root, server = served
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url + "articles/")
        page.click("text=Sullivan mendesak Kim")  # base_url has a path; the preview works at /
        assert page.url == server.url + "articles/sullivan-mendesak-kim/"
        page.goto(server.url + "outlets/antara/")
        (root / "content/articles/sullivan-mendesak-kim.md").rename(root / "content/articles/sullivan-lagi.md")
        page.wait_for_selector('a[href="../../articles/sullivan-lagi/"]', timeout=10_000)
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(server.url + "articles/sullivan-mendesak-kim/")
    assert gone.value.code == 404


def test_ctrl_c_stops_cleanly(served):
    _, server = served
    code, rest = server.stop()
    assert code == 0 and "Traceback" not in rest and "stopped" in rest


def test_a_broken_site_toml_stays_reported_through_content_edits(served):
    root, server = served
    toml = (root / "site.toml").read_text("utf-8")
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url + "articles/putin-di-pyongyang/")
        save(root / "site.toml", toml.replace("title =", "titel ="))
        overlay = page.wait_for_selector("#preview-problems", timeout=10_000)
        assert "site.toml:" in overlay.inner_text() and "unknown field 'titel'" in overlay.inner_text()
        # A content save while site.toml is broken must not hide its error.
        save(root / ARTICLE, BASE[ARTICLE].replace("bertemu hari ini", "bertemu lagi"))
        time.sleep(1)
        assert "unknown field 'titel'" in page.inner_text("#preview-problems")
        save(root / "site.toml", toml)
        page.wait_for_function("document.body.innerText.includes('bertemu lagi')", timeout=10_000)
        assert page.query_selector("#preview-problems") is None


EDITS = [  # (file, text or None to delete): each kind of record, and the links between them
    (ARTICLE, BASE[ARTICLE].replace("bertemu hari ini", "bertemu lagi")),
    (ARTICLE, BASE[ARTICLE].replace("    asserts: [antony-blinken]", "    asserts: [antony-blinken, jake-sullivan]")),
    ("content/claims/sanksi-dilanggar.md",
     "---\ntitle: Sanksi PBB dilanggar\nverdict: benar\nreviewed: 2024-07-01\nsources: [{id: un, title: Resolusi 2270, publisher: PBB, date: 2016-03}]\n---\nLihat [@un].\n"),
    ("content/actors/jake-sullivan.yaml", "name: Jake Sullivan\nkind: person\n"),
    ("content/outlets/antara.yaml", "name: Antara News\nurl: https://www.antaranews.com\ncountry: ID\n"),
    ("content/articles/sullivan-mendesak-kim.md", None),
    ("content/articles/sullivan-lagi.md", BASE["content/articles/sullivan-mendesak-kim.md"]),
]


def test_after_each_edit_the_preview_serves_what_a_full_build_writes(site, tmp_path):
    """Incremental rebuilds (reused files, links and pages) never leave a page stale."""
    from generator.build import build
    from generator.preview.rebuild import Preview

    root = site()
    preview = Preview(root, "http://127.0.0.1:8000/")
    try:
        preview.rebuild()
        for n, (name, text) in enumerate(EDITS):
            if text is None:
                (root / name).unlink()
            else:
                (root / name).write_text(text, "utf-8")
            assert preview.rebuild({name})[0] == "reload", preview.problems
            while preview.pending:
                preview.settle()
            out = tmp_path / f"built-{n}"
            build(root, out, base_url=preview.base_url, jobs=1)
            built = {f.relative_to(out).as_posix() for f in out.rglob("*") if f.is_file()}
            assert set(preview.files) <= built
            stale = [name for name, body in preview.files.items() if (out / name).read_bytes() != body]
            assert not stale, f"after editing {name}: stale pages {stale}"
    finally:
        preview.search.close()


def test_a_save_the_watcher_did_not_report_shows_once_the_editor_pauses(site):
    """After a save the preview looks only at the files the watcher named; when the editor pauses it looks at
    every file once, so a save it was not told of (a full event queue, a file system that says nothing) shows."""
    from generator.preview.rebuild import Preview

    root = site()
    preview = Preview(root, "http://127.0.0.1:8000/")
    told, untold = ARTICLE, "content/articles/sullivan-mendesak-kim.md"
    try:
        preview.rebuild()
        while preview.settle():
            pass
        save(root / told, BASE[told].replace("bertemu hari ini", "bertemu kemarin sore"))
        save(root / untold, BASE[untold] + "\nKalimat yang tidak dilaporkan.\n")
        (root / "content/outlets/antara.yaml").unlink()  # not told either: its articles' outlet is gone
        assert preview.rebuild({told})[0] == "reload"
        page = "articles/putin-di-pyongyang/index.html"
        preview.finish([page])
        assert "bertemu kemarin sore" in preview.files[page].decode()
        while preview.settle():
            pass
        assert preview.problems and all("antara" in str(p) for p in preview.problems), preview.problems
        save(root / "content/outlets/antara.yaml", BASE["content/outlets/antara.yaml"])
        assert preview.rebuild({"content/outlets/antara.yaml"})[0] == "reload" and not preview.problems
        while preview.settle():
            pass
        assert "Kalimat yang tidak dilaporkan." in preview.files["articles/sullivan-mendesak-kim/index.html"].decode()
    finally:
        preview.search.close()


def test_a_template_edit_rerenders_the_pages_that_use_it_and_a_mistake_is_reported(site):
    from generator.config import THEME
    from generator.preview.rebuild import Preview

    root = site()
    theme = (THEME / "templates/claim.html").read_text("utf-8")
    (root / "templates").mkdir()
    (root / "templates/claim.html").write_text(theme, "utf-8")
    preview = Preview(root, "http://127.0.0.1:8000/")
    try:
        preview.rebuild()
        while preview.settle():
            pass
        before = dict(preview.files)
        (root / "templates/claim.html").write_text(
            theme.replace("{% block content %}", "{% block content %}<p>penanda templat</p>"), "utf-8")
        assert preview.rebuild({"templates/claim.html"})[0] == "reload"
        claims = {"claims/korea-utara-memasok-senjata/index.html", "claims/sanksi-dilanggar/index.html"}
        assert preview.pending.keys() < claims, "one claim page is rendered at once, the other waits; no other page"
        while preview.settle():
            pass
        changed = {name for name, body in preview.files.items() if body != before.get(name)}
        assert changed == claims
        assert all(b"penanda templat" in preview.files[name] for name in changed)

        (root / "templates/claim.html").write_text(theme.replace("{% block content %}", "{% block content %}{% if %}"),
                                                   "utf-8")
        assert preview.rebuild({"templates/claim.html"})[0] == "problems"
        line = theme[:theme.index("{% block content %}")].count("\n") + 1  # where the mistake was written
        assert str(preview.problems[0]).startswith(f"templates/claim.html:{line}: ")
        assert b"penanda templat" in preview.files["claims/sanksi-dilanggar/index.html"], "the last good page stays"
    finally:
        preview.search.close()


def request(server, path: str, host: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("GET", path, headers={"Host": host})
    response = connection.getresponse()
    body = response.read() if response.status != 200 or "events" not in path else b""
    connection.close()
    return response.status, body


def test_requests_for_another_host_are_refused_event_stream_included(served):
    """DNS rebinding: a page of evil.example that resolves to 127.0.0.1 must not read drafts."""
    _, server = served
    for path in ("/articles/putin-di-pyongyang/", "/__preview/events?page=/", "/css/site.css"):
        status, body = request(server, path, "evil.example")
        assert status == 403 and b"evil.example" in body, path
        status, body = request(server, path, f"evil.example:{server.port}")
        assert status == 403, path
    assert request(server, "/articles/putin-di-pyongyang/", f"localhost:{server.port}")[0] == 200
    assert request(server, "/articles/putin-di-pyongyang/", f"127.0.0.1:{server.port}")[0] == 200


def test_the_hosts_a_preview_answers():
    from generator.preview.server import Gate

    loopback, everywhere = Gate.of("127.0.0.1"), Gate.of("0.0.0.0")
    assert all(loopback.host_ok(h) for h in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"))
    assert not any(loopback.host_ok(h) for h in ("evil.example", "127.0.0.1.evil.example:8000", "", None,
                                                 "192.168.1.5:8000"))
    assert everywhere.host_ok("192.168.1.5:8000") and not everywhere.host_ok("evil.example:8000")
    assert loopback.writable and not everywhere.writable, "the panel writes only on loopback"
    assert Gate.of("mybox.lan").host_ok("mybox.lan:8000")


NOT_UTF8 = b"---\ntitle: caf\xe9\n---\n"
TOO_DEEP = ("---\ntitle: T\noutlet: tribunnews\npublished: 2024-06-19\n---\n" + "*" * 3000 + "a" + "*" * 3000).encode()


@pytest.mark.parametrize("broken", [NOT_UTF8, TOO_DEEP], ids=["not-utf-8", "emphasis-3000-deep"])
def test_the_watcher_survives_a_save_that_breaks_the_rebuild_and_picks_up_the_next(served, broken):
    root, server = served
    with chromium() as browser:
        page = browser.new_page()
        page.goto(server.url + "articles/putin-di-pyongyang/")
        (root / ARTICLE).write_bytes(broken)
        overlay = page.wait_for_selector("#preview-problems", timeout=10_000)
        assert overlay.inner_text().startswith(f"{ARTICLE}:")
        save(root / ARTICLE, BASE[ARTICLE].replace("bertemu hari ini", "bertemu lagi"))
        page.wait_for_function("document.body.innerText.includes('bertemu lagi')", timeout=10_000)
        assert page.query_selector("#preview-problems") is None
    code, printed = server.stop()
    assert code == 0 and f"{ARTICLE}:" in printed and "Traceback" not in printed


def test_any_failure_of_a_rebuild_is_a_problem_and_the_next_save_rebuilds(site, monkeypatch):
    """Whatever goes wrong (here a RecursionError no loader foresaw), the preview reports it and goes on."""
    import generator.preview.rebuild as rebuild
    from generator.preview.rebuild import Preview

    root = site()
    preview = Preview(root, "http://127.0.0.1:8000/")
    real = rebuild.load_content
    try:
        preview.rebuild()
        monkeypatch.setattr(rebuild, "load_content", lambda *a, **k: (_ for _ in ()).throw(RecursionError("deep")))
        assert preview.rebuild({ARTICLE})[0] == "problems"
        assert str(preview.problems[0]).startswith(f"{ARTICLE}:1: the preview could not rebuild after this save")
        monkeypatch.setattr(rebuild, "load_content", real)
        save(root / ARTICLE, BASE[ARTICLE].replace("bertemu hari ini", "bertemu lagi"))
        assert preview.rebuild({ARTICLE})[0] == "reload" and not preview.problems
        assert b"bertemu lagi" in preview.lookup("articles/putin-di-pyongyang/")[0]
    finally:
        preview.search.close()


def test_the_preview_goes_on_when_nobody_reads_its_terminal(served):
    """`serve | head -3`: the reader of what the preview prints is gone after its first lines; each save is still
    rebuilt and served (the first save's report, which nobody reads, does not stop the watching)."""
    import signal

    root, server = served
    server.proc.stdout.close()  # the reader gone: what the preview says next goes nowhere
    for words in ("bertemu kemarin sore", "bertemu lagi pagi ini"):
        save(root / ARTICLE, BASE[ARTICLE].replace("bertemu hari ini", words))
        deadline, shown = time.monotonic() + 20, ""
        while words not in shown and time.monotonic() < deadline:
            time.sleep(0.2)
            shown = urllib.request.urlopen(server.url + "articles/putin-di-pyongyang/").read().decode("utf-8")
        assert words in shown, f"the save of {words!r} was not served"
    assert server.proc.poll() is None, "the preview still runs"
    server.proc.send_signal(signal.SIGINT)
    assert server.proc.wait(timeout=15) == 0
