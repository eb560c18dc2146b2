"""Every front-matter value is escaped for the context it lands in (SPEC §6 Safety): HTML text, attributes,
JSON-LD inside <script>, the Atom feed, the sitemap, CSV, JSON and the embed card. A newsroom's content is
untrusted: a title that carries markup must reach the reader as text, everywhere."""
from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import ARTICLE, BASE, CLAIM, SITE_TOML, build_here, make_site

EVIL = """<script>alert("x")</script> & <b onmouseover=alert(2)>b</b> 'q' "dq" ]]> </title>"""


# Text of an article that is text to Markdown (no tag closes) but would open a tag with a handler in it if a page
# wrote it out unescaped: a passage quoting it must reach the reader as the article prints it.
TEXT = 'Ia menulis <b onmouseover=alert(3) & "dq" tanpa penutup'


def yq(value: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + value.replace("'", "''") + "'"


def tq(value: str) -> str:
    """A TOML basic string."""
    return json.dumps(value)


def evil_files() -> dict[str, str]:
    toml = SITE_TOML.replace('title = "Cek Klaim Uji"', f"title = {tq('Situs ' + EVIL)}\nauthor = {tq('Tim ' + EVIL)}") \
        .replace('description = "Situs uji."', f"description = {tq('Desk ' + EVIL)}") \
        .replace('label = "Belum terbukti"', f"label = {tq('Label ' + EVIL)}") + f"\n[topics]\nsenjata = {tq('Topik ' + EVIL)}\n"
    return {
        "site.toml": toml,
        CLAIM: BASE[CLAIM].replace("title: Korea Utara memasok senjata ke Rusia", f"title: {yq('Klaim ' + EVIL)}")
                          .replace("verdict:", "aliases: [klaim-lama]\nverdict:", 1)
                          .replace("summary: Dituduh AS, dibantah Pyongyang dan Moskow.", f"summary: {yq('Ringkas ' + EVIL)}")
                          .replace("reviewed: 2024-06-20\n", "reviewed: 2024-06-20\ncorrections:\n  - date: 2024-07-01\n"
                                                             f"    note: {yq('Koreksi ' + EVIL)}\n"),
        "content/pages/tentang.md": f"---\ntitle: {yq('Halaman ' + EVIL)}\nmenu: 1\n---\nTentang kami.\n",
        "content/actors/antony-blinken.yaml": BASE["content/actors/antony-blinken.yaml"]
        .replace("name: Antony Blinken", f"name: {yq('Aktor ' + EVIL)}")
        .replace("role: Menteri Luar Negeri AS", f"role: {yq('Peran ' + EVIL)}"),
        "content/actors/rusia.yaml": f"name: {yq('Penyangkal ' + EVIL)}\nkind: government\n",
        "content/outlets/tribunnews.yaml": f"name: {yq('Media ' + EVIL)}\nurl: https://www.tribunnews.com\n"
                                            f"country: ID\n",
        ARTICLE: BASE[ARTICLE].replace("title: Putin dan Kim bertemu di Pyongyang", f"title: {yq('Artikel ' + EVIL)}")
                              .replace("authors: [Tiara Shelavy]", f"authors: [{yq('Penulis ' + EVIL)}]\nnote: {yq('Catatan ' + EVIL)}")
                              .replace("annotations:\n", f"annotations:\n  - claim: sanksi-dilanggar\n    quote: {yq(TEXT)}\n"
                                                         "    denies: [rusia]\n", 1) + f"\n{TEXT}.\n",
    }


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = make_site(tmp_path_factory.mktemp("evil") / "site", evil_files())
    build_here(root)
    return root / "_site"


def soup_of(out, path: str) -> BeautifulSoup:
    return BeautifulSoup((out / path).read_text("utf-8"), "html.parser")


def test_no_page_carries_a_script_or_handler_from_content(out):
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 20
    for f in pages:
        soup = soup_of(out, f.relative_to(out).as_posix())
        rel = f.relative_to(out)
        assert not soup.find(attrs={"onmouseover": True}), rel
        assert not soup.find("b", string="b"), f"{rel}: markup from content became markup"
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.string)
            else:
                assert "alert" not in (script.string or ""), rel


def test_text_shows_as_written(out):
    claim = soup_of(out, "claims/korea-utara-memasok-senjata/index.html")
    assert ("Klaim " + EVIL) in claim.h1.get_text()
    assert ("Ringkas " + EVIL) in claim.get_text()
    assert ("Aktor " + EVIL) in claim.find(attrs={"data-stance": "asserts"}).get_text()
    assert ("Penyangkal " + EVIL) in claim.find(attrs={"data-stance": "denies"}).get_text()
    assert ("Media " + EVIL) in claim.get_text() and ("Label " + EVIL) in claim.get_text()
    assert ("Situs " + EVIL) in claim.title.get_text()
    actor = soup_of(out, "actors/antony-blinken/index.html")
    assert ("Aktor " + EVIL) in actor.h1.get_text() and ("Peran " + EVIL) in actor.get_text()
    article = soup_of(out, "articles/putin-di-pyongyang/index.html")
    assert ("Artikel " + EVIL) in article.h1.get_text() and ("Penulis " + EVIL) in article.get_text()
    assert TEXT in [m.get_text() for m in article.find_all("mark", attrs={"data-stance": "denies"})]
    for path in ("claims/sanksi-dilanggar/index.html", "actors/rusia/index.html"):
        quotes = [q.get_text(strip=True) for q in soup_of(out, path).find_all("blockquote")]
        assert TEXT in quotes, f"{path}: the passage is quoted as the article prints it"
    assert ("Catatan " + EVIL) in article.select_one(".editors-note").get_text()
    assert ("Koreksi " + EVIL) in claim.select_one(".corrections").get_text()
    assert ("Topik " + EVIL) in claim.select_one(".topic-links").get_text()
    topic = soup_of(out, "topics/senjata/index.html")
    assert ("Topik " + EVIL) == topic.h1.get_text() and ("Topik " + EVIL) in topic.title.get_text()
    assert ("Topik " + EVIL) in soup_of(out, "index.html").select_one(".topic-chips").get_text()
    free = soup_of(out, "tentang/index.html")
    assert free.h1.get_text() == "Halaman " + EVIL
    assert ("Halaman " + EVIL) in [a.get_text() for a in free.select("header nav a")], "the menu names the page"


def test_every_page_title_holds_the_value_whole(out):
    """Every page, the old address a claim's alias keeps included: a title holding a content value holds it as
    text, whole (markup in it would end the <title> early)."""
    titled = 0
    for f in sorted(out.rglob("*.html")):
        title = soup_of(out, f.relative_to(out).as_posix()).title
        text = title.get_text() if title else ""
        if "<script>" in text or "Klaim " in text:
            titled += 1
            assert EVIL in text, f"{f.relative_to(out)}: title {text!r}"
    assert (out / "claims/klaim-lama/index.html").is_file() and titled > 10


def test_attributes_hold_the_whole_value(out):
    claim = soup_of(out, "claims/korea-utara-memasok-senjata/index.html")
    assert claim.find("meta", property="og:title")["content"].startswith("Klaim " + EVIL)
    description = claim.find("meta", property="og:description")["content"]
    assert ("Label " + EVIL) in description and ("Ringkas " + EVIL) in description
    article = soup_of(out, "articles/putin-di-pyongyang/index.html")
    titles = {a["title"] for a in article.select("a[data-claim]") if a.get("title")}
    assert "Klaim " + EVIL in titles, "the marker's tooltip is the claim, whole"


def test_claim_review_json_ld_parses_back_to_the_values(out):
    claim = soup_of(out, "claims/korea-utara-memasok-senjata/index.html")
    raw = (out / "claims/korea-utara-memasok-senjata/index.html").read_text("utf-8")
    review = json.loads(claim.find("script", type="application/ld+json").string)
    assert review["claimReviewed"] == "Klaim " + EVIL
    assert review["reviewRating"]["alternateName"] == "Label " + EVIL
    assert review["author"]["name"] == "Tim " + EVIL
    assert raw.count("</script>") == len(claim.find_all("script")), "no value closes a script element"


def test_feed_and_sitemap_are_well_formed_xml_with_the_values(out):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.find("a:title", ns).text == "Situs " + EVIL
    assert feed.find("a:subtitle", ns).text == "Desk " + EVIL
    assert feed.find("a:author/a:name", ns).text == "Tim " + EVIL
    titles = [e.find("a:title", ns).text for e in feed.findall("a:entry", ns)]
    assert "Artikel " + EVIL in titles
    contents = [BeautifulSoup(e.find("a:content", ns).text, "html.parser").get_text() for e in feed.findall("a:entry", ns)]
    assert any("Koreksi " + EVIL in c for c in contents), "HTML in XML: escaped twice, read back whole"
    ET.parse(out / "sitemap.xml")


def test_csv_and_json_keep_the_values(out):
    with open(out / "claims.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    row = next(r for r in rows if r["claim"] == "korea-utara-memasok-senjata" and r["asserts"] == "antony-blinken")
    assert row["claim_title"] == "Klaim " + EVIL and row["verdict_label"] == "Label " + EVIL
    assert row["asserts_names"] == "Aktor " + EVIL and row["outlet_name"] == "Media " + EVIL
    assert any(r["article_title"] == "Artikel " + EVIL for r in rows)
    data = json.loads((out / "claims.json").read_text("utf-8"))
    assert data["site"] == "Situs " + EVIL
    assert data["claims"][0]["title"] == "Klaim " + EVIL
    jsonld = json.loads((out / "annotations.jsonld").read_text("utf-8"))
    assert any(("Klaim " + EVIL) in item["body"][2]["value"] for item in jsonld["first"]["items"])


def test_the_embed_card_and_its_snippet(out):
    embed = soup_of(out, "claims/korea-utara-memasok-senjata/embed/index.html")
    assert ("Klaim " + EVIL) in embed.h1.get_text()
    assert ("Ringkas " + EVIL) in embed.get_text()
    assert ("Aktor " + EVIL) in embed.get_text() and ("Penyangkal " + EVIL) in embed.get_text()
    claim = soup_of(out, "claims/korea-utara-memasok-senjata/index.html")
    snippet = claim.find("textarea", id="embed").get_text()
    iframe = BeautifulSoup(snippet, "html.parser").find("iframe")
    assert iframe and iframe["src"] == "https://newsroom.github.io/cek/claims/korea-utara-memasok-senjata/embed/"
    assert not BeautifulSoup(snippet, "html.parser").find("script"), "pasting the snippet brings no script"
    assert iframe["title"] == "Klaim " + EVIL and len(BeautifulSoup(snippet, "html.parser").find_all()) == 1
