"""The rendered pages as a reader meets them: who stands on which side, which passage is marked how, what each list
and the feed hold. Assertions go through what SPEC §3 defines (data-stance, data-claim, data-verdict, ids, links),
not through incidental markup, which the theme may change."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from conftest import BASE, build_here, make_site
from generator.config import load_config

KU = "korea-utara-memasok-senjata"
ARTICLE = "content/articles/putin-di-pyongyang.md"
SULLIVAN = "content/articles/sullivan-mendesak-kim.md"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("pages") / "site", {
        "content/claims/sanksi-dilanggar.md": "---\ntitle: Transfer senjata melanggar sanksi PBB\naliases: [sanksi-lama]\n---\n"})
    build_here(root)
    return root / "_site"


@pytest.fixture(scope="module")
def varied(tmp_path_factory):
    """The base site with one denier fewer (two assert, one denies), and Sullivan's article in English, at its
    outlet's URL, quoted with straight quotes where the outlet prints curly ones."""
    sullivan = (BASE[SULLIVAN].replace("published: 2023-09", "published: 2023-09\nurl: https://www.antaranews.com/b/1\n"
                                                                "language: en")
                .replace('Kim "agar tidak memasok', "Kim \u201cagar tidak memasok")
                .replace("quote: agar tidak memasok senjata ke Rusia", "quote: 'Kim \"agar tidak memasok senjata'"))
    root = make_site(tmp_path_factory.mktemp("varied") / "site", {
        ARTICLE: BASE[ARTICLE].replace("denies: [korea-utara, rusia]", "denies: [rusia]"), SULLIVAN: sullivan})
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


def test_each_side_of_a_claim_is_headed_by_its_own_role(out):
    """The heading over the asserters says they assert it, the one over the deniers that they deny it."""
    strings = load_config(out.parent).strings
    claim = page(out, f"claims/{KU}/")
    for role, own, other in (("asserts", "asserted_by", "denied_by"), ("denies", "denied_by", "asserted_by")):
        heading = words(claim.find("section", attrs={"data-stance": role}).find(["h2", "h3"]))
        assert strings[own] in heading and strings[other] not in heading, (role, heading)


def test_the_link_to_the_outlet_highlights_the_passage_as_the_outlet_prints_it(varied):
    """The Text Fragment names the passage as the page shows it (curly quotes), not the quote as typed: a browser
    highlights only text that is there."""
    claim = page(varied, f"claims/{KU}/")
    links = [a["href"] for a in claim.find_all("a", rel="external") if a["href"].startswith("https://www.antaranews.com/b/1")]
    assert links, "the passage links to the article at its outlet"
    for href in links:
        assert unquote(href.split("#:~:text=", 1)[1]) == "Kim \u201cagar tidak memasok senjata", href


def test_the_claim_list_counts_each_side_apart(varied):
    """Two assert the claim and one denies it: the list's tally says so, side by side."""
    rows = [li for li in page(varied, "claims/").select("li.claim-item") if li.find("a", href=f"../claims/{KU}/")]
    assert len(rows) == 1
    tally = {role: re.findall(r"\d+", words(rows[0].select_one(f".tally .stance-{role}"))) for role in ("asserts", "denies")}
    assert tally == {"asserts": ["2"], "denies": ["1"]}


def test_every_link_of_the_embed_card_leaves_the_frame(out):
    """The card sits in another site's <iframe>: a link that opened inside it would squeeze our page into the card."""
    links = page(out, f"claims/{KU}/embed/").find_all("a", href=True)
    assert links and [a.get("target") for a in links] == ["_top"] * len(links), [str(a) for a in links]


def test_a_group_page_shows_its_members_quotes_as_theirs_not_its_own(out):
    """The United States said nothing itself: Blinken's words are his, named under its members, never quoted as the
    group's own stance."""
    blinken_said = "Korea Utara memasok sejumlah besar amunisi"
    assert blinken_said in words(page(out, "actors/antony-blinken/"))
    group = page(out, "actors/amerika-serikat/")
    assert blinken_said not in words(group)
    assert {"antony-blinken", "jake-sullivan"} <= hrefs(group, "actors")


def test_the_verdict_meter_fills_as_many_steps_as_the_verdict_stands_on(out):
    badges = [b for path in ("", "claims/", f"claims/{KU}/") for b in page(out, path).select(".verdict[data-step]")]
    assert {b["data-step"] for b in badges} >= {"2"}
    for badge in badges:
        meter = badge.select(".verdict-meter i")
        assert len(meter) == int(badge["data-steps"])
        assert len([i for i in meter if "on" in (i.get("class") or [])]) == int(badge["data-step"]), badge


def test_an_article_in_another_language_marks_its_text_so(varied):
    """Screen readers and hyphenation read the English article as English, the page around it as Indonesian."""
    article = page(varied, "articles/sullivan-mendesak-kim/")
    assert article.html["lang"] == "id"
    assert article.h1["lang"] == "en" and article.select_one("div.body")["lang"] == "en"
    same = page(varied, "articles/putin-di-pyongyang/")
    assert same.h1.get("lang") is None and same.select_one("div.body").get("lang") is None
