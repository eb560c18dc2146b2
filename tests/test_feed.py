"""The Atom feed and the sitemap as a feed reader and a search engine read them: every fact-check is an entry with its
verdict, each entry has a time of its own, and each page says when it last changed."""
from __future__ import annotations

import datetime
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
