"""The preview's annotation panel: an edit request → a small diff of the editor's files, or a refusal (nothing written).

Unit tests of `generator.preview.edit`, then the panel in headless Chromium as an editor uses it.
"""
from __future__ import annotations

import difflib
import http.client
import json
import urllib.request

import pytest
import yaml
from bs4 import BeautifulSoup

from browser import SELECT, Served, chromium
from conftest import ARTICLE, BASE, SITE_TOML, build_ok, page
from generator.config import load_config
from generator.errors import SiteError
from generator.link import link_site
from generator.load import passage_anchor, load_content
from generator.preview.edit import BadRequest, plan_edit, yaml_text
from generator.preview.saving import save, write_edit
from generator.urls import make_slug

SLUG = "putin-di-pyongyang"


def edit(root, request: dict):
    """Plan and write an edit as the server does (on the content the preview holds, drafts shown); the Edit."""
    config = load_config(root)
    content = load_content(root, config, drafts=True)
    return save(root, config, content, link_site(content, config), {"article": SLUG, **request})


def diff(before: str, after: str) -> tuple[list[str], list[str]]:
    """(lines removed, lines added)."""
    lines = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [x[2:] for x in lines if x.startswith("- ")], [x[2:] for x in lines if x.startswith("+ ")]


def snapshot(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}


# -- edit.py ----------------------------------------------------------------------

def test_a_new_annotation_with_a_new_claim_and_actor_adds_only_its_lines(site):
    root = site()
    made = edit(root, {"quote": "Kim Jong Un bertemu hari ini",
                       "claim": {"title": "Kim dan Putin bertemu, kata Kremlin"},
                       "asserts": ["antony-blinken", {"name": "Sergéi Lavrov", "kind": "person"}]})
    removed, added = diff(BASE[ARTICLE], (root / ARTICLE).read_text("utf-8"))
    assert removed == []
    assert added == ["  - claim: kim-dan-putin-bertemu-kata-kremlin", '    quote: "Kim Jong Un bertemu hari ini"',
                     "    asserts: [antony-blinken, sergei-lavrov]"]
    assert (root / "content/claims/kim-dan-putin-bertemu-kata-kremlin.md").read_text("utf-8") == \
        '---\ntitle: "Kim dan Putin bertemu, kata Kremlin"\ndraft: true\n---\n'
    assert (root / "content/actors/sergei-lavrov.yaml").read_text("utf-8") == 'name: "Sergéi Lavrov"\nkind: person\ndraft: true\n'
    out = build_ok(root, "--drafts")
    mark = page(out, f"articles/{SLUG}/").find("mark", id=made.anchor)
    assert mark["data-claim"] == "kim-dan-putin-bertemu-kata-kremlin" and mark.text == "Kim Jong Un bertemu hari ini"


def test_changing_one_annotation_keeps_every_other_byte(site):
    text = """\
---
# the editor's own notes stay
title: 'Putin dan Kim bertemu di Pyongyang'
published: 2024-06-19
outlet: tribunnews   # key order is theirs
annotations:
- quote: 'Baik Pyongyang maupun Moskow membantah klaim'   # single quotes, no indent
  claim: korea-utara-memasok-senjata
  denies:
    - korea-utara
    - rusia
- {claim: sanksi-dilanggar, quote: transfer senjata Korea Utara akan melanggar beberapa sanksi}
---
Presiden Rusia Vladimir Putin dan pemimpin Korea Utara Kim Jong Un bertemu hari ini.

Baik Pyongyang maupun Moskow membantah klaim bahwa transfer senjata Korea Utara akan melanggar beberapa sanksi
Dewan Keamanan PBB.
"""
    root = site({ARTICLE: text, "content/claims/korea-utara-memasok-senjata.md": "---\ntitle: K\n---\n",
                 "content/claims/sanksi-dilanggar.md": "---\ntitle: S\n---\n"})  # no links to passages not here
    anchor = passage_anchor("korea-utara-memasok-senjata", "Baik Pyongyang maupun Moskow membantah klaim", None)
    edit(root, {"id": anchor, "quote": "Baik Pyongyang maupun Moskow membantah klaim",
                "claim": "korea-utara-memasok-senjata", "denies": ["korea-utara"], "asserts": ["jake-sullivan"]})
    removed, added = diff(text, (root / ARTICLE).read_text("utf-8"))
    assert removed == ["  denies:", "    - korea-utara", "    - rusia"]
    assert added == ["  denies: [korea-utara]", "  asserts: [jake-sullivan]"]
    # And removing the flow-style item takes exactly its line.
    before = (root / ARTICLE).read_text("utf-8")
    edit(root, {"id": passage_anchor("sanksi-dilanggar", "transfer senjata Korea Utara akan melanggar beberapa sanksi", None),
                "remove": True})
    assert diff(before, (root / ARTICLE).read_text("utf-8")) == (
        ["- {claim: sanksi-dilanggar, quote: transfer senjata Korea Utara akan melanggar beberapa sanksi}"], [])


def test_a_quote_written_over_lines_and_a_windows_file_stay_as_they_are(site):
    text = BASE[ARTICLE].replace("    quote: Baik Pyongyang maupun Moskow membantah klaim\n",
                                 "    quote: >\n      Baik Pyongyang maupun\n      Moskow membantah klaim\n")
    root = site({ARTICLE: text.replace("\n", "\r\n")})
    (root / ARTICLE).write_bytes(text.replace("\n", "\r\n").encode())
    anchor = passage_anchor("korea-utara-memasok-senjata", "Baik Pyongyang maupun Moskow membantah klaim", None)
    made = edit(root, {"id": anchor, "quote": "Baik Pyongyang maupun Moskow membantah klaim",
                       "claim": "korea-utara-memasok-senjata", "denies": ["rusia"]})
    after = (root / ARTICLE).read_bytes().decode()
    assert made.anchor == anchor and "id:" not in after.split("denies: [rusia]")[1].split("---")[0]
    removed, added = diff(text, after.replace("\r\n", "\n"))
    assert (removed, added) == (["    denies: [korea-utara, rusia]"], ["    denies: [rusia]"])
    assert after.count("\r\n") == after.count("\n"), "every line ends as the file's lines end"


def test_a_changed_quote_keeps_the_published_anchor(site):
    root = site()
    old = passage_anchor("korea-utara-memasok-senjata", "Baik Pyongyang maupun Moskow membantah klaim", None)
    assert page(build_ok(root), f"articles/{SLUG}/").find(id=old)
    made = edit(root, {"id": old, "quote": "Baik Pyongyang maupun Moskow membantah klaim bahwa",
                       "claim": "korea-utara-memasok-senjata", "denies": ["korea-utara", "rusia"]})
    assert made.anchor == old
    removed, added = diff(BASE[ARTICLE], (root / ARTICLE).read_text("utf-8"))
    assert removed == ["    quote: Baik Pyongyang maupun Moskow membantah klaim"]
    assert added == ['    quote: "Baik Pyongyang maupun Moskow membantah klaim bahwa"', f"    id: {old}"]
    mark = page(build_ok(root), f"articles/{SLUG}/").find(id=old)
    assert mark.text == "Baik Pyongyang maupun Moskow membantah klaim bahwa", "links to the passage still land on it"


def test_a_quote_found_twice_gets_occurrence_and_marks_the_place_selected(site):
    root = site()
    made = edit(root, {"quote": "Korea Utara", "occurrence": 3, "claim": "sanksi-dilanggar"})
    removed, added = diff(BASE[ARTICLE], (root / ARTICLE).read_text("utf-8"))
    assert added == ["  - claim: sanksi-dilanggar", '    quote: "Korea Utara"', "    occurrence: 3"]
    body = page(build_ok(root), f"articles/{SLUG}/").select_one(".article .body")
    mark = body.find(id=made.anchor)
    assert mark.find_parent("p").text.startswith("“Korea Utara memasok"), "the third 'Korea Utara' is marked"


def test_an_article_without_annotations_gets_the_list(site):
    text = "---\ntitle: Tanpa anotasi\noutlet: antara\npublished: 2024-07-01\n---\nRusia membantah *semua* tuduhan.\n"
    root = site({"content/articles/tanpa-anotasi.md": text})
    config = load_config(root)
    content = load_content(root, config)
    made = plan_edit(root, config, content, link_site(content, config),
                     {"article": "tanpa-anotasi", "quote": "Rusia membantah semua tuduhan", "claim": "sanksi-dilanggar",
                      "denies": ["rusia"]})
    assert made.files["content/articles/tanpa-anotasi.md"].decode() == text.replace(
        "published: 2024-07-01\n", 'published: 2024-07-01\nannotations:\n  - claim: sanksi-dilanggar\n'
        '    quote: "Rusia membantah semua tuduhan"\n    denies: [rusia]\n')


@pytest.mark.parametrize("request_, message", [
    ({"quote": "tidak ada di artikel", "claim": "sanksi-dilanggar"},
     f"{ARTICLE}:17: quote not found in the article's text: 'tidak ada di artikel'"),
    ({"quote": "Korea Utara", "claim": "sanksi-dilanggar"}, f"{ARTICLE}:17: ambiguous quote, found 3 times"),
    ({"quote": "Kim Jong Un", "claim": "sanksi-dilanggar", "denies": ["rusiaa"]},
     f"{ARTICLE}:18: unknown actor 'rusiaa' (did you mean 'rusia'?)"),
    ({"quote": "Kim Jong Un", "claim": {"title": "Transfer senjata melanggar sanksi!"}},
     "content/claims/transfer-senjata-melanggar-sanksi.md:1: a claim 'transfer-senjata-melanggar-sanksi' exists"),
    ({"quote": "Kim Jong Un", "claim": "sanksi-dilanggar", "asserts": [{"name": "Korea Utara", "kind": "government"}]},
     "content/actors/korea-utara.yaml:1: an actor 'korea-utara' exists already"),
    ({"id": "no-such-anchor", "remove": True}, "no annotation with the anchor 'no-such-anchor'"),
])
def test_a_write_that_would_break_the_site_is_refused_and_writes_nothing(site, request_, message):
    root = site({"content/claims/transfer-senjata-melanggar-sanksi.md": "---\ntitle: T\n---\n"})
    before = snapshot(root)
    with pytest.raises(SiteError) as refused:
        edit(root, request_)
    assert message in str(refused.value)
    assert snapshot(root) == before


def test_paths_come_from_checked_slugs_never_from_the_request(site):
    root = site()
    before = snapshot(root)
    for article in ("../../etc/passwd", "putin-di-pyongyang/../../x", "/putin-di-pyongyang"):
        with pytest.raises(BadRequest):
            edit(root, {"article": article, "quote": "Kim Jong Un", "claim": "sanksi-dilanggar"})
    made = edit(root, {"quote": "Kim Jong Un", "claim": {"title": "../../../luar/situs"}})
    assert set(made.files) == {"content/claims/luar-situs.md", ARTICLE}
    assert snapshot(root).keys() == before.keys() | {"content/claims/luar-situs.md"}


@pytest.mark.parametrize("text", ['a "quoted" \\ back: slash # not a comment', "line\u2028separator\u0085",
                                  "emoji 🙂 and é", "'single' and: colon", "yes", "- dash"])
def test_yaml_text_reads_back_exactly(text):
    assert yaml.safe_load(f"quote: {yaml_text(text)}") == {"quote": text}


def test_slugs_from_titles():
    assert make_slug("Korea Utara memasok senjata ké Rusia!") == "korea-utara-memasok-senjata-ke-rusia"
    assert make_slug("«Ωμέγα»") == "omega"
    assert make_slug("Сергей Шойгу") == "sergey-shoygu" and make_slug("金正恩") == "jinzhengen"
    assert make_slug("«»!?") == ""
    assert len(make_slug("kata " * 40)) <= 60


# -- the panel, in the browser ------------------------------------------------------

RICH = BASE[ARTICLE].replace("pemimpin Korea Utara Kim Jong Un bertemu hari ini.",
                             "pemimpin *Korea Utara* Kim Jong Un bertemu [hari ini](https://example.org/).")


@pytest.fixture
def served(site):
    root = site({ARTICLE: RICH})
    server = Served(root)
    yield root, server
    if server.proc.poll() is None:
        server.stop()


def pick(page_, field: str, typed: str, option: str) -> None:
    page_.fill(field, typed)
    page_.click(f"{field}-list [role=option]:has-text('{option}')")


def new_claim(page_, title: str) -> None:
    """Type a claim no one made yet, choose to make it, and confirm."""
    page_.fill("#pp-claim", title)
    page_.click("#pp-claim-new")
    page_.click("#pp-claim-create")


def new_actor(page_, side: str, name: str, kind: str) -> None:
    """Type a name no actor has, choose to make it, choose its kind (by its label), and confirm."""
    page_.fill(f"#pp-{side}", name)
    page_.click(f"#pp-{side}-new")
    page_.select_option("#pp-kind", label=kind)
    page_.click("#pp-actor-create")


def test_annotate_a_passage_across_emphasis_and_a_link_then_edit_and_remove_it(served, tmp_path):
    root, server = served
    with chromium() as browser:
        tab = browser.new_page()
        tab.goto(server.url + f"articles/{SLUG}/")
        tab.evaluate(SELECT, ["Putin dan", "hari"])  # ends inside the link
        tab.wait_for_selector("#preview-panel:not([hidden])")
        assert tab.input_value("#pp-quote") == "Putin dan pemimpin Korea Utara Kim Jong Un bertemu hari"
        assert tab.evaluate("document.activeElement.id") == "pp-claim", "the panel takes the keyboard"
        new_claim(tab, "Putin Kim bertemu")
        tab.fill("#pp-asserts", "blinken")
        assert "Perorangan, Amerika Serikat" in tab.inner_text("#pp-asserts-list"), "the kind and affiliation are shown"
        tab.keyboard.press("Enter")
        new_actor(tab, "asserts", "Sergei Lavrov", "Perorangan")
        assert tab.inner_text("#pp-asserts-chips").count("×") == 2
        tab.click("#pp-save")
        mark = tab.wait_for_selector('mark[data-claim="putin-kim-bertemu"]', timeout=10_000)
        assert tab.evaluate("(m) => m.closest('p').innerText", mark).startswith("Presiden Rusia Vladimir Putin dan")
        removed, added = diff(RICH, (root / ARTICLE).read_text("utf-8"))
        assert removed == []
        assert added == ["  - claim: putin-kim-bertemu",
                         '    quote: "Putin dan pemimpin Korea Utara Kim Jong Un bertemu hari"',
                         "    asserts: [antony-blinken, sergei-lavrov]"]
        # A full build gives the same page.
        out = tmp_path / "out"
        build_ok(root, "--out", str(out), "--base-url", server.url, "--drafts")  # the preview shows drafts
        shown = BeautifulSoup(urllib.request.urlopen(server.url + f"articles/{SLUG}/").read(), "html.parser")
        built = page(out, f"articles/{SLUG}/")
        assert str(shown.select_one("main")) == str(built.select_one("main"))
        assert b"previewPanel" not in (out / f"articles/{SLUG}/index.html").read_bytes(), "the panel is preview-only"

        # Edit: Blinken no longer asserts it, Korea Utara denies it.
        tab.click('mark[data-claim="putin-kim-bertemu"]')
        tab.wait_for_selector("#preview-panel:not([hidden]) >> text=Ubah anotasi ini")
        tab.click("#pp-asserts-chips button[aria-label='Hapus Antony Blinken']")
        pick(tab, "#pp-denies", "korea", "Korea Utara")
        before = (root / ARTICLE).read_text("utf-8")
        tab.click("#pp-save")
        tab.wait_for_selector('mark[data-claim="putin-kim-bertemu"][data-stance="both"]', timeout=10_000)
        assert diff(before, (root / ARTICLE).read_text("utf-8")) == (
            ["    asserts: [antony-blinken, sergei-lavrov]"],
            ["    asserts: [sergei-lavrov]", "    denies: [korea-utara]"])

        # Remove: the file is as it was before the panel was used, but for the new claim and actor files.
        tab.click('mark[data-claim="putin-kim-bertemu"]')
        tab.click("#pp-remove")
        tab.wait_for_selector('mark[data-claim="putin-kim-bertemu"]', state="detached", timeout=10_000)
        assert (root / ARTICLE).read_text("utf-8") == RICH


def test_a_refused_save_shows_the_build_message_in_the_panel(served):
    root, server = served
    with chromium() as browser:
        tab = browser.new_page()
        tab.goto(server.url + f"articles/{SLUG}/")
        tab.evaluate(SELECT, ["Korea Utara", "Utara"])
        tab.wait_for_selector("#preview-panel:not([hidden])")
        tab.fill("#pp-quote", "Korea Utara tidak ada")
        pick(tab, "#pp-claim", "sanksi", "Transfer senjata melanggar sanksi PBB")
        tab.click("#pp-save")
        tab.wait_for_function("document.querySelector('#pp-error').innerText.includes('kutipan tidak ditemukan')")
        assert f"{ARTICLE}:17:" in tab.inner_text("#pp-error")
        tab.keyboard.press("Escape")
        assert tab.is_hidden("#preview-panel")
    assert (root / ARTICLE).read_text("utf-8") == RICH


def post(server, body: dict, **headers) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    data = json.dumps(body).encode()
    connection.request("POST", "/__preview/annotate", data, {"Content-Type": "application/json", **headers})
    response = connection.getresponse()
    return response.status, response.read()


def test_a_write_without_the_token_or_from_elsewhere_is_refused(served):
    root, server = served
    html = urllib.request.urlopen(server.url + f"articles/{SLUG}/").read().decode()
    token = html.split('"token": "', 1)[1].split('"', 1)[0]
    request = {"article": SLUG, "quote": "Kim Jong Un", "claim": "sanksi-dilanggar"}
    own = {"Host": f"127.0.0.1:{server.port}", "Origin": f"http://127.0.0.1:{server.port}"}
    before = snapshot(root)
    for headers in ({**own},  # no token
                    {**own, "X-Preview-Token": "guessed"},
                    {**own, "X-Preview-Token": "dévinée"},  # not ASCII: refused, not a crash
                    {**own, "X-Preview-Token": token, "Origin": "http://evil.example"},
                    {**own, "X-Preview-Token": token, "Origin": "null"},
                    {**own, "X-Preview-Token": token, "Host": "evil.example", "Origin": "http://evil.example"}):
        status, _ = post(server, request, **headers)
        assert status == 403, headers
    assert snapshot(root) == before
    status, answer = post(server, request, **own, **{"X-Preview-Token": token})
    assert status == 200, answer
    assert snapshot(root) != before


def test_a_malformed_request_is_a_400_and_writes_nothing(served):
    """JSON nested 30 000 deep once made Python's parser recurse into a 500; it is refused like any other request
    the panel would never send, as are bytes that are not JSON and text holding a control character."""
    root, server = served
    html = urllib.request.urlopen(server.url + f"articles/{SLUG}/").read().decode()
    token = html.split('"token": "', 1)[1].split('"', 1)[0]
    own = {"Host": f"127.0.0.1:{server.port}", "Origin": f"http://127.0.0.1:{server.port}", "X-Preview-Token": token,
           "Content-Type": "application/json"}
    before = snapshot(root)
    for body in (b"[" * 30_000 + b"]" * 30_000, b"[" * 60_000, b"\xff\xfe{",
                 b'{"article": "' + SLUG.encode() + b'", "quote": "Kim\\u0000 Jong Un", "claim": "sanksi-dilanggar"}'):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("POST", "/__preview/annotate", body, own)
        response = connection.getresponse()
        answer = response.read()
        assert response.status == 400, (response.status, answer[:200])
        assert "error" in json.loads(answer)
    assert snapshot(root) == before


def test_annotate_with_the_keyboard_alone(served):
    root, server = served
    with chromium() as browser:
        tab = browser.new_page()
        tab.goto(server.url + f"articles/{SLUG}/")
        for _ in range(200):  # Tab to the preview's button, as a keyboard user does
            tab.keyboard.press("Tab")
            if tab.evaluate("document.activeElement.id") == "preview-annotate":
                break
        tab.keyboard.press("Enter")
        tab.wait_for_selector("#preview-panel:not([hidden])")
        assert tab.evaluate("document.activeElement.id") == "pp-quote"
        tab.keyboard.type("Vladimir Putin")
        tab.keyboard.press("Tab")
        tab.keyboard.type("sanksi pbb")
        tab.keyboard.press("Enter")  # the first match
        assert tab.input_value("#pp-claim") == "Transfer senjata melanggar sanksi PBB"
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.id") == "pp-asserts"
        tab.keyboard.type("rusia")
        tab.keyboard.press("Enter")
        tab.keyboard.press("Enter")  # the list is closed: Enter saves
        tab.wait_for_selector('mark[data-claim="sanksi-dilanggar"][data-stance="asserts"] >> text=Vladimir Putin',
                              timeout=10_000)
        # A mark takes the focus (it is in the Tab order); Enter on it opens it for editing; Escape closes.
        tab.focus('mark[data-claim="sanksi-dilanggar"][data-stance="asserts"]')
        tab.keyboard.press("Enter")
        tab.wait_for_selector("#preview-panel:not([hidden]) >> text=Ubah anotasi ini")
        tab.keyboard.press("Escape")
        assert tab.is_hidden("#preview-panel")
    assert "  - claim: sanksi-dilanggar\n    quote: \"Vladimir Putin\"\n    asserts: [rusia]\n" in \
        (root / ARTICLE).read_text("utf-8")


def test_a_passage_found_more_than_once_is_marked_where_it_was_selected(served):
    root, server = served
    with chromium() as browser:
        tab = browser.new_page()
        tab.goto(server.url + f"articles/{SLUG}/")
        # The third "Korea Utara" of the text, inside another passage, after numbers and notes the text does not count.
        tab.evaluate("""() => {
          const mark = document.getElementById('blinken-amunisi');
          const t = mark.firstChild, at = t.data.indexOf('Korea Utara');
          const range = document.createRange();
          range.setStart(t, at);
          range.setEnd(t, at + 'Korea Utara'.length);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
          document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""")
        tab.wait_for_selector("#preview-panel:not([hidden])")
        pick(tab, "#pp-claim", "sanksi", "Transfer senjata melanggar sanksi PBB")
        tab.click("#pp-save")
        mark = tab.wait_for_selector('mark[data-claim="sanksi-dilanggar"] >> text="Korea Utara"', timeout=10_000)
        assert tab.evaluate("(m) => !!m.closest('#blinken-amunisi')", mark), "the passage selected, not another"
    assert '    quote: "Korea Utara"\n    occurrence: 3\n' in (root / ARTICLE).read_text("utf-8")


def test_a_quote_lengthened_in_the_panel_keeps_its_anchor(served):
    root, server = served
    old = passage_anchor("korea-utara-memasok-senjata", "Baik Pyongyang maupun Moskow membantah klaim", None)
    with chromium() as browser:
        tab = browser.new_page()
        tab.goto(server.url + f"articles/{SLUG}/#{old}")
        tab.click(f"#{old}")
        tab.wait_for_selector("#preview-panel:not([hidden]) >> text=Ubah anotasi ini")
        assert tab.input_value("#pp-quote") == "Baik Pyongyang maupun Moskow membantah klaim"
        assert tab.inner_text("#pp-denies-chips").count("×") == 2
        tab.fill("#pp-quote", "Baik Pyongyang maupun Moskow membantah klaim bahwa")
        tab.click("#pp-save")
        tab.wait_for_function(f"document.getElementById('{old}')?.textContent.endsWith('klaim bahwa')", timeout=10_000)
    removed, added = diff(RICH, (root / ARTICLE).read_text("utf-8"))
    assert (removed, added) == (["    quote: Baik Pyongyang maupun Moskow membantah klaim"],
                                ['    quote: "Baik Pyongyang maupun Moskow membantah klaim bahwa"', f"    id: {old}"])


def test_the_panel_speaks_the_site_language_and_shows_its_words_as_text(site):
    english = SITE_TOML.replace('language = "id"', 'language = "en"') + \
        '\n[strings]\npanel_save = "Save <b>now</b>"\n'
    root = site({ARTICLE: RICH, "site.toml": english})
    server = Served(root)
    try:
        with chromium() as browser:
            tab = browser.new_page()
            tab.goto(server.url + f"articles/{SLUG}/")
            assert tab.inner_text("#preview-annotate") == "Annotate a passage…"
            tab.evaluate(SELECT, ["Putin dan", "hari"])
            tab.wait_for_selector("#preview-panel:not([hidden])")
            assert tab.inner_text("#pp-title") == "Annotate this passage"
            assert tab.get_attribute("#pp-claim", "placeholder") == "Search claims, or type a new claim"
            assert tab.inner_text("#pp-asserts-legend") == "Asserted by"
            assert tab.inner_text("#pp-save") == "Save <b>now</b>", "a string from site.toml is text, never HTML"
            assert tab.query_selector("#pp-save b") is None
            tab.fill("#pp-claim", "Sesuatu yang baru")
            assert tab.inner_text("#pp-claim-new") == "Make a new claim: “Sesuatu yang baru”…"
    finally:
        server.stop()


def test_a_post_with_a_screenshot_is_annotated_in_the_panel_like_an_article(site):
    from PIL import Image
    root = site({"content/outlets/facebook.yaml": "name: Facebook\nkind: platform\n",
                 "content/articles/unggahan.md": (
                     "---\ntitle: Unggahan\nkind: post\noutlet: facebook\naccount: Kabar Viral\npublished: 2024-06-21\n"
                     "screenshot: {src: media/unggahan.png, alt: Tangkapan layar unggahan}\n---\n"
                     "Korea Utara kirim 1 juta peluru ke Rusia!! Sebarkan!!\n\n![Peta](media/unggahan.png)\n")})
    (root / "content/media").mkdir()
    Image.new("RGB", (600, 300), "white").save(root / "content/media/unggahan.png")
    config = load_config(root)
    content = load_content(root, config)
    planned = plan_edit(root, config, content, link_site(content, config),
                        {"article": "unggahan", "quote": "1 juta peluru", "claim": "korea-utara-memasok-senjata",
                         "asserts": ["korea-utara"]})
    write_edit(root, planned)
    mark = page(build_ok(root), "articles/unggahan/").find("mark", id=planned.anchor)
    assert mark["data-claim"] == "korea-utara-memasok-senjata" and mark.text == "1 juta peluru"
