"""The rendered pages as a reader meets them: who stands on which side, which passage is marked how, what each list
and the feed hold. Assertions go through what SPEC §3 defines (data-stance, data-claim, data-verdict, ids, links),
not through incidental markup, which the theme may change."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import build_here, make_site

KU = "korea-utara-memasok-senjata"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("pages") / "site", {
        "content/claims/sanksi-dilanggar.md": "---\ntitle: Transfer senjata melanggar sanksi PBB\naliases: [sanksi-lama]\n---\n"})
    build_here(root)
    return root / "_site"


def page(out, path: str) -> BeautifulSoup:
    f = out / path / "index.html" if path == "" or path.endswith("/") else out / path
    return BeautifulSoup(f.read_text("utf-8"), "html.parser")


def hrefs(el, kind: str) -> set[str]:
    return {m.group(1) for a in el.find_all("a", href=True) if (m := re.search(rf"{kind}/([a-z0-9-]+)/(?:#.*)?$", a["href"]))}


def words(el) -> str:
    return re.sub(r"\s+", " ", el.get_text()).strip()


def test_claim_page_puts_each_actor_on_their_side(out):
    claim = page(out, f"claims/{KU}/")
    asserts = claim.find_all(attrs={"data-stance": "asserts"})
    denies = claim.find_all(attrs={"data-stance": "denies"})
    assert len(asserts) == 1 and len(denies) == 1
    assert hrefs(asserts[0], "actors") == {"antony-blinken", "jake-sullivan"}
    assert hrefs(denies[0], "actors") == {"korea-utara", "rusia"}
    assert asserts[0].find("a", href="../../articles/putin-di-pyongyang/#blinken-amunisi")
    assert "Korea Utara memasok sejumlah besar amunisi" in words(asserts[0])
    assert "Baik Pyongyang maupun Moskow membantah klaim" in words(denies[0])
    assert "Baik Pyongyang" not in words(asserts[0]) and "amunisi" not in words(denies[0])
    assert "Menteri Luar Negeri AS" in words(asserts[0]), "the actor's role"
    assert "Tribunnews" in words(denies[0]) and "19 Juni 2024" in words(denies[0])
    assert claim.find(attrs={"data-verdict": "belum-terbukti"})
    assert "Belum terbukti" in words(claim) and "Dituduh AS, dibantah Pyongyang dan Moskow." in words(claim)
    assert "sanksi-dilanggar" in hrefs(claim, "claims"), "related claim"
    assert claim.h1 and words(claim.h1) == "Korea Utara memasok senjata ke Rusia"
    assert claim.find("a", href="../../articles/putin-di-pyongyang/#blinken-amunisi"), "link to the exact passage"


def test_an_unrated_claim_with_a_plain_mention(out):
    claim = page(out, "claims/sanksi-dilanggar/")
    assert claim.find(attrs={"data-verdict": True})["data-verdict"] == "", "its own verdict comes first: none"
    for side in claim.find_all(attrs={"data-stance": re.compile("asserts|denies")}):
        assert not hrefs(side, "actors"), "nobody asserts or denies it"
    assert "Tidak dinilai" in words(claim)
    assert KU in hrefs(claim, "claims"), "related works both ways"


def test_article_marks_each_passage_with_its_claim_and_stance(out):
    article = page(out, "articles/putin-di-pyongyang/")
    marks = article.find_all("mark", attrs={"data-claim": True})
    by_id = {m["id"]: m for m in marks if m.get("id")}
    assert len(by_id) == 3
    blinken = by_id["blinken-amunisi"]
    assert (blinken["data-claim"], blinken["data-stance"]) == (KU, "asserts")
    stances = {(m["data-claim"], m["data-stance"], words(m)) for m in by_id.values()}
    assert (KU, "denies", "Baik Pyongyang maupun Moskow membantah klaim") in stances
    assert ("sanksi-dilanggar", "mentions", "transfer senjata Korea Utara akan melanggar beberapa sanksi") in stances
    assert hrefs(article, "claims") >= {KU, "sanksi-dilanggar"}
    assert "tribunnews" in hrefs(article, "outlets")
    assert "19 Juni 2024" in words(article) and "Tiara Shelavy" in words(article)
    assert article.html["lang"] == "id"


def test_actor_pages_list_what_each_asserts_and_denies(out):
    rusia = page(out, "actors/rusia/")
    items = rusia.find_all(attrs={"data-stance": True})
    assert {i["data-stance"] for i in items} == {"denies"}
    assert KU in hrefs(rusia, "claims") and "sanksi-dilanggar" not in hrefs(rusia, "claims")
    assert "Baik Pyongyang maupun Moskow membantah klaim" in words(rusia)
    blinken = page(out, "actors/antony-blinken/")
    assert {i["data-stance"] for i in blinken.find_all(attrs={"data-stance": True})} == {"asserts"}
    assert blinken.find("a", href="../../articles/putin-di-pyongyang/#blinken-amunisi")
    assert "amerika-serikat" in hrefs(blinken, "actors"), "its affiliation"
    assert "Menteri Luar Negeri AS" in words(blinken)
    group = page(out, "actors/amerika-serikat/")
    assert {"antony-blinken", "jake-sullivan"} <= hrefs(group, "actors"), "its members"
    nobody = page(out, "actors/korea-utara/")
    assert not nobody.find(attrs={"data-stance": "asserts"})


def test_outlet_pages_and_the_lists(out):
    antara = page(out, "outlets/antara/")
    assert hrefs(antara, "articles") == {"sullivan-mendesak-kim"}
    assert hrefs(page(out, "outlets/tribunnews/"), "articles") == {"putin-di-pyongyang"}
    assert hrefs(page(out, "claims/"), "claims") >= {KU, "sanksi-dilanggar"}
    assert "sanksi-lama" not in hrefs(page(out, "claims/"), "claims"), "an alias is not listed"
    assert hrefs(page(out, "actors/"), "actors") == {"amerika-serikat", "antony-blinken", "jake-sullivan",
                                                      "korea-utara", "rusia"}
    assert hrefs(page(out, "articles/"), "articles") == {"putin-di-pyongyang", "sullivan-mendesak-kim"}
    assert hrefs(page(out, "outlets/"), "outlets") == {"antara", "tribunnews"}
    claims = page(out, "claims/")
    assert claims.find(attrs={"data-verdict": "belum-terbukti"})


def test_an_alias_redirects_to_its_claim(out):
    alias = page(out, "claims/sanksi-lama/")
    assert alias.find("meta", attrs={"http-equiv": "refresh"})["content"].endswith("../../claims/sanksi-dilanggar/")
    assert alias.find("link", rel="canonical")["href"] == "https://newsroom.github.io/cek/claims/sanksi-dilanggar/"


def test_the_feed_lists_the_articles_newest_first(out):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(out / "feed.xml").getroot()
    entries = feed.findall("a:entry", ns)
    assert [e.find("a:id", ns).text for e in entries] == [
        "https://newsroom.github.io/cek/articles/putin-di-pyongyang/",
        "https://newsroom.github.io/cek/articles/sullivan-mendesak-kim/"]
    assert [e.find("a:updated", ns).text for e in entries] == ["2024-06-19T00:00:00Z", "2023-09-01T00:00:00Z"]
    assert entries[0].find("a:link", ns).get("href") == "https://newsroom.github.io/cek/articles/putin-di-pyongyang/"
    assert feed.find("a:updated", ns).text == "2024-06-19T00:00:00Z"
    assert feed.find("a:title", ns).text == "Cek Klaim Uji"
    assert feed.find("a:link[@rel='self']", ns).get("href") == "https://newsroom.github.io/cek/feed.xml"
    assert "Kim Jong Un bertemu hari ini" in entries[0].find("a:summary", ns).text
    assert "<mark" in entries[0].find("a:content", ns).text, "the content is the annotated article, as HTML"


def test_every_page_names_the_site_and_its_language(out):
    for path in ("", "claims/", f"claims/{KU}/", "actors/rusia/", "outlets/antara/", "articles/putin-di-pyongyang/"):
        p = page(out, path)
        assert p.html["lang"] == "id" and "Cek Klaim Uji" in p.title.get_text(), path
        assert p.find("link", rel="canonical")["href"] == "https://newsroom.github.io/cek/" + path
