"""The Atom feed and the sitemap as a feed reader and a search engine read them: every fact-check is an entry with its
verdict, each entry has a time of its own, and each page says when it last changed."""
from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import BASE, build_here, make_site

ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
URL = "https://newsroom.github.io/cek/"
KU = "content/claims/korea-utara-memasok-senjata.md"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """The base site with a correction on the rated claim, a draft claim, and a free page."""
    root = make_site(tmp_path_factory.mktemp("feed") / "site", {
        KU: BASE[KU].replace("reviewed: 2024-06-20\n", "reviewed: 2024-06-20\ncorrections:\n"
                             "  - date: 2024-07-01\n    note: Judul diperjelas.\n"),
        "content/claims/belum-siap.md": "---\ntitle: Belum siap\ndraft: true\n---\n",
        "content/claims/tanpa-kutipan.md": "---\ntitle: Belum ada kutipan\n---\n",
        "content/pages/tentang.md": "---\ntitle: Tentang\n---\nKami.\n",
    })
    build_here(root)
    return root / "_site"


def entries(out) -> dict[str, ET.Element]:
    feed = ET.parse(out / "feed.xml").getroot()
    return {e.find("a:id", ATOM).text: e for e in feed.findall("a:entry", ATOM)}


def test_each_published_claim_is_an_entry_with_its_verdict_and_its_last_change(out):
    found = entries(out)
    rated, unrated = found[URL + "claims/korea-utara-memasok-senjata/"], found[URL + "claims/sanksi-dilanggar/"]
    assert rated.find("a:title", ATOM).text == "Belum terbukti: Korea Utara memasok senjata ke Rusia"
    assert rated.find("a:updated", ATOM).text.startswith("2024-07-01T"), "its last correction"
    assert rated.find("a:link", ATOM).get("href") == URL + "claims/korea-utara-memasok-senjata/"
    assert rated.find("a:summary", ATOM).text == "Dituduh AS, dibantah Pyongyang dan Moskow."
    content = BeautifulSoup(rated.find("a:content", ATOM).text, "html.parser")
    assert "Judul diperjelas." in content.get_text() and "Blinken" in content.get_text(), "the correction, the analysis"
    assert unrated.find("a:title", ATOM).text == "Tidak dinilai: Transfer senjata melanggar sanksi PBB"
    assert unrated.find("a:updated", ATOM).text.startswith("2024-06-19T"), "unreviewed: its newest appearance"
    assert URL + "claims/belum-siap/" not in found, "a draft is not published"
    undated = found[URL + "claims/tanpa-kutipan/"]
    assert undated.find("a:updated", ATOM).text.startswith("2024-07-01T"), "nothing dates it: as new as the site"
    assert len([i for i in found if "/claims/" in i]) == 3


def test_no_two_entries_share_an_updated_time_and_each_is_an_rfc_3339_time(out):
    feed = ET.parse(out / "feed.xml").getroot()
    all_entries = feed.findall("a:entry", ATOM)
    times = [e.find("a:updated", ATOM).text for e in all_entries]
    assert len(set(times)) == len(times) == 5, times
    assert all(RFC3339.match(t) for t in times), times
    assert all(len(e.findall("a:id", ATOM)) == 1 and len(e.findall("a:updated", ATOM)) == 1 for e in all_entries)
    same_day = sorted(t for t in times if t.startswith("2024-06-19"))
    assert same_day == ["2024-06-19T00:00:00Z", "2024-06-19T00:00:01Z"], "the article and the claim of one day"
    assert feed.find("a:updated", ATOM).text == max(times)
    parsed = [datetime.datetime.fromisoformat(t.replace("Z", "+00:00")) for t in times]
    assert parsed == sorted(parsed, reverse=True), "newest first"


def test_the_sitemap_says_when_each_page_last_changed(out):
    urls = {u.find("s:loc", SITEMAP).text: u.find("s:lastmod", SITEMAP)
            for u in ET.parse(out / "sitemap.xml").getroot().findall("s:url", SITEMAP)}
    lastmod = {loc.removeprefix(URL): (el.text if el is not None else None) for loc, el in urls.items()}
    assert lastmod["articles/putin-di-pyongyang/"] == "2024-06-19"
    assert lastmod["articles/sullivan-mendesak-kim/"] == "2023-09-01", "a month-only date as its first day"
    assert lastmod["claims/korea-utara-memasok-senjata/"] == "2024-07-01"
    assert lastmod["actors/jake-sullivan/"] == "2023-09-01" and lastmod["outlets/tribunnews/"] == "2024-06-19"
    assert lastmod[""] == lastmod["claims/"] == "2024-07-01", "the home page and lists: their newest"
    assert lastmod["tentang/"] is None, "a free page has no date to give"
    assert all(v is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in lastmod.values())


def test_the_corrections_log_lists_every_correction_newest_first_and_every_page_links_to_it(tmp_path):
    root = make_site(tmp_path / "site", {
        KU: BASE[KU].replace("reviewed: 2024-06-20\n", "reviewed: 2024-06-20\ncorrections:\n"
                             "  - date: 2024-06-25\n    note: Judul diperjelas.\n"
                             "  - date: 2024-07-03\n    note: Ringkasan diperbaiki.\n"),
        "content/claims/sanksi-dilanggar.md": "---\ntitle: Transfer senjata melanggar sanksi PBB\ncorrections:\n"
                                              "  - date: 2024-07-01\n    note: Tautan diganti.\n---\n",
        "content/pages/kebijakan-koreksi.md": "---\ntitle: Kebijakan koreksi\n---\nLihat [log koreksi](/corrections/).\n",
    })
    build_here(root)
    out = root / "_site"
    log = BeautifulSoup((out / "corrections/index.html").read_text("utf-8"), "html.parser")
    assert log.h1.get_text() == "Log koreksi" and log.title.get_text().startswith("Log koreksi")
    items = [(li.time["datetime"], li.select_one(".log-claim a").get_text(), li.select_one(".log-note").get_text())
             for li in log.select("li.log-item")]
    assert items == [("2024-07-03", "Korea Utara memasok senjata ke Rusia", "Ringkasan diperbaiki."),
                     ("2024-07-01", "Transfer senjata melanggar sanksi PBB", "Tautan diganti."),
                     ("2024-06-25", "Korea Utara memasok senjata ke Rusia", "Judul diperjelas.")]
    assert log.select_one(".log-claim a")["href"] == "../claims/korea-utara-memasok-senjata/"
    for path in ("index.html", "claims/sanksi-dilanggar/index.html", "kebijakan-koreksi/index.html"):
        footer = BeautifulSoup((out / path).read_text("utf-8"), "html.parser").find("footer")
        assert "Log koreksi" in [a.get_text() for a in footer.find_all("a")], path
    policy = BeautifulSoup((out / "kebijakan-koreksi/index.html").read_text("utf-8"), "html.parser")
    assert policy.find("a", string="log koreksi")["href"] == "../corrections/"


def test_no_free_page_can_take_the_corrections_logs_path(tmp_path):
    from conftest import problems_of
    root = make_site(tmp_path / "site", {"content/pages/corrections.md": "---\ntitle: X\n---\n"})
    assert problems_of(root) == ["content/pages/corrections.md:1: the page name 'corrections' is taken by the "
                                 "site's own pages: choose another file name"]


# -- RFC 4287, as the W3C feed validator reads it ---------------------------------------------------------------------

ATOM_NS = "{http://www.w3.org/2005/Atom}"
FEED_CHILDREN = {"author", "category", "contributor", "generator", "icon", "id", "link", "logo", "rights", "subtitle",
                 "title", "updated", "entry"}
ENTRY_CHILDREN = {"author", "category", "content", "contributor", "id", "link", "published", "rights", "source",
                  "summary", "title", "updated"}
TEXT_TYPES = {None, "text", "html", "xhtml"}


def is_iri(value: str | None) -> bool:
    """An absolute IRI (RFC 3987) as the validator wants an atom:id: a scheme, no white space, nothing relative."""
    return bool(value) and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", value) is not None


def rfc3339(value: str | None) -> bool:
    if not value or not RFC3339.match(value):
        return False
    datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))  # a real day and time, not only its shape
    return True


def atom_errors(xml: bytes) -> list[str]:
    """What the W3C feed validator reports as errors for an Atom feed (RFC 4287's MUSTs), one line each."""
    errors = []
    feed = ET.fromstring(xml)
    if feed.tag != ATOM_NS + "feed":
        return [f"the root is {feed.tag}, not atom:feed"]

    def one(parent, name, where, required=True):
        found = parent.findall(ATOM_NS + name)
        if len(found) > 1 or (required and not found):
            errors.append(f"{where}: {len(found)} atom:{name} (exactly one needed)" if required else
                          f"{where}: {len(found)} atom:{name} (at most one)")
        return found[0] if found else None

    def text_construct(el, where):
        if el is not None and el.get("type") not in TEXT_TYPES:
            errors.append(f"{where}: atom:{el.tag.removeprefix(ATOM_NS)} type {el.get('type')!r}")
        if el is not None and el.get("type") == "html" and re.search(r"<script|\son\w+\s*=|javascript:",
                                                                      el.text or "", re.I):
            errors.append(f"{where}: {el.tag.removeprefix(ATOM_NS)} holds script (the validator's 'dangerous')")

    def links(parent, where):
        seen = set()
        for link in parent.findall(ATOM_NS + "link"):
            if not link.get("href"):
                errors.append(f"{where}: an atom:link without href")
            key = (link.get("rel", "alternate"), link.get("type"), link.get("hreflang"))
            if key[0] == "alternate" and key in seen:
                errors.append(f"{where}: two alternate links of the same type and language")
            seen.add(key)
        return [link for link in parent.findall(ATOM_NS + "link") if link.get("rel", "alternate") == "alternate"]

    for child in feed:
        if child.tag.startswith(ATOM_NS) and child.tag.removeprefix(ATOM_NS) not in FEED_CHILDREN:
            errors.append(f"feed: unknown Atom element {child.tag}")
    feed_id = one(feed, "id", "feed")
    if feed_id is not None and not is_iri(feed_id.text):
        errors.append(f"feed: id {feed_id.text!r} is not an IRI")
    one(feed, "title", "feed")
    text_construct(feed.find(ATOM_NS + "title"), "feed")
    updated = one(feed, "updated", "feed")
    if updated is not None and not rfc3339(updated.text):
        errors.append(f"feed: updated {updated.text!r} is not an RFC 3339 date-time")
    links(feed, "feed")
    if not any(link.get("rel") == "self" for link in feed.findall(ATOM_NS + "link")):
        errors.append("feed: no rel=self link (the validator's 'missing atom:link with rel=\"self\"')")
    feed_author = feed.find(ATOM_NS + "author")
    ids = []
    for n, entry in enumerate(feed.findall(ATOM_NS + "entry"), 1):
        where = f"entry {n}"
        for child in entry:
            if child.tag.startswith(ATOM_NS) and child.tag.removeprefix(ATOM_NS) not in ENTRY_CHILDREN:
                errors.append(f"{where}: unknown Atom element {child.tag}")
        entry_id = one(entry, "id", where)
        if entry_id is not None:
            ids.append(entry_id.text)
            if not is_iri(entry_id.text):
                errors.append(f"{where}: id {entry_id.text!r} is not an IRI")
        title = one(entry, "title", where)
        text_construct(title, where)
        if title is not None and not (title.text or "").strip():
            errors.append(f"{where}: an empty title")
        entry_updated = one(entry, "updated", where)
        if entry_updated is not None and not rfc3339(entry_updated.text):
            errors.append(f"{where}: updated {entry_updated.text!r} is not an RFC 3339 date-time")
        published = one(entry, "published", where, required=False)
        if published is not None and not rfc3339(published.text):
            errors.append(f"{where}: published {published.text!r} is not an RFC 3339 date-time")
        if not links(entry, where):
            errors.append(f"{where}: no alternate link")
        if feed_author is None and entry.find(ATOM_NS + "author") is None:
            errors.append(f"{where}: no author, and the feed has none")
        for author in entry.findall(ATOM_NS + "author") + ([feed_author] if feed_author is not None else []):
            if not (author.findtext(ATOM_NS + "name") or "").strip():
                errors.append(f"{where}: an author without a name")
        summary, content = one(entry, "summary", where, required=False), one(entry, "content", where, required=False)
        text_construct(summary, where)
        text_construct(content, where)
        if content is not None and content.get("type") == "html":
            try:
                BeautifulSoup(content.text or "", "html.parser")
            except Exception as e:  # noqa: BLE001 - the validator reports any markup it cannot read
                errors.append(f"{where}: content that is not HTML: {e}")
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        errors.append(f"two entries share the id {dupes[0]!r}")
    return errors


def test_the_example_feed_passes_rfc_4287_as_the_w3c_validator_checks_it(example):
    xml = (example / "feed.xml").read_bytes()
    assert atom_errors(xml) == []
    feed = ET.fromstring(xml)
    entries_ = feed.findall("a:entry", ATOM)
    claims = [e for e in entries_ if "/claims/" in e.find("a:id", ATOM).text]
    assert len(claims) == len(json.loads((example / "claims.json").read_text("utf-8"))["claims"]), \
        "every published claim of the example is an entry"
    times = [e.find("a:updated", ATOM).text for e in entries_]
    assert len(set(times)) == len(times), "no two entries share an updated time"
    # the checks bite: a duplicate id, a local time without its offset, a relative id
    first = entries_[0].find("a:id", ATOM).text
    assert any("share the id" in e for e in atom_errors(xml.replace(
        entries_[1].find("a:id", ATOM).text.encode(), first.encode())))
    assert any("RFC 3339" in e for e in atom_errors(xml.replace(times[0].encode(), times[0][:19].encode(), 1)))
    assert any("not an IRI" in e for e in atom_errors(xml.replace(f"<id>{first}</id>".encode(), b"<id>claims/x/</id>")))


def test_the_open_data_page_says_what_the_feed_carries(out):
    data = BeautifulSoup((out / "data/index.html").read_text("utf-8"), "html.parser")
    item = next(li for li in data.find_all("li") if li.find("a", href=re.compile(r"feed\.xml$")))
    assert "pemeriksaan klaim, artikel, dan koreksi" in item.get_text(), "not only 'the latest articles'"
