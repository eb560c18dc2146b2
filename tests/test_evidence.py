"""Evidence: a claim's sources and its `[@ID]` citations, posts, images from content/media/ — as a reader, a
search engine and the newsroom's `check` see them."""
from __future__ import annotations

import json

import pytest

from conftest import BASE, build_here, linked_site, page, problems_of

CLAIM = "content/claims/korea-utara-memasok-senjata.md"
C = BASE[CLAIM]
SOURCES = """\
sources:
  - id: dk-pbb-1718
    title: Resolusi 1718 (2006)
    publisher: Dewan Keamanan PBB
    date: 2006-10
    url: https://undocs.org/S/RES/1718(2006)
    archive_url: https://web.archive.org/web/2024/https://undocs.org/S/RES/1718(2006)
    quote: Decides that the DPRK shall abandon all other existing weapons
  - id: panel-ahli
    title: Laporan Panel Ahli S/2024/215
    publisher: Perserikatan Bangsa-Bangsa
    date: 2024-03-07
    note: Dirujuk menurut nomor dokumennya.
  - id: tak-dikutip
    title: Catatan lain
    publisher: Kantor Berita
    date: 2024-01-02
    url: https://example.org/catatan
    archive_url: https://archive.ph/abcd
"""


def with_sources(body: str, sources: str = SOURCES, claim: str = C) -> str:
    """The base claim with `sources` in its front matter and `body` as its analysis."""
    front = claim.split("---\n")[1]
    return f"---\n{front}{sources}---\n{body}\n"


def test_citations_are_numbered_in_order_of_first_citation_and_link_to_the_sources_at_the_end(site):
    root = site({CLAIM: with_sources("Panel ahli mencatatnya [@panel-ahli], dan resolusi melarangnya "
                                     "[@dk-pbb-1718; @panel-ahli]. Lagi [@dk-pbb-1718].")})
    build_here(root)
    doc = page(root / "_site", "claims/korea-utara-memasok-senjata/")
    refs = [(a.get_text(), a["href"]) for a in doc.select(".analysis sup.cite a")]
    assert refs == [("1", "#source-panel-ahli"), ("2", "#source-dk-pbb-1718"), ("1", "#source-panel-ahli"),
                    ("2", "#source-dk-pbb-1718")]
    cited = doc.select("ol.source-list > li")
    assert [(li["id"], li["value"]) for li in cited] == [("source-panel-ahli", "1"), ("source-dk-pbb-1718", "2")]
    resolution = cited[1]
    assert resolution.select_one(".source-title a")["href"] == "https://undocs.org/S/RES/1718(2006)"
    assert resolution.select_one("a.source-archive")["href"].startswith("https://web.archive.org/")
    assert "Decides that the DPRK" in resolution.select_one("blockquote").get_text()
    assert cited[0].select_one(".source-title a") is None  # no URL: the document by its symbol, as text
    assert "Laporan Panel Ahli S/2024/215" in cited[0].get_text()
    uncited = doc.select("ul.source-list-uncited > li")
    assert [li["id"] for li in uncited] == ["source-tak-dikutip"] and not uncited[0].get("value")
    first = doc.select_one("#cite-panel-ahli")  # the way back from the list to the first citation
    assert first is not None and first.get_text() == "1"


def test_claim_review_lists_the_cited_sources_as_citation(site):
    root = site({CLAIM: with_sources("Resolusi melarangnya [@dk-pbb-1718].")})
    build_here(root)
    doc = page(root / "_site", "claims/korea-utara-memasok-senjata/")
    review = json.loads(doc.select_one('script[type="application/ld+json"]').string)
    assert review["citation"] == [{
        "@type": "CreativeWork", "name": "Resolusi 1718 (2006)", "datePublished": "2006-10",
        "publisher": {"@type": "Organization", "name": "Dewan Keamanan PBB"},
        "url": "https://undocs.org/S/RES/1718(2006)",
        "archivedAt": "https://web.archive.org/web/2024/https://undocs.org/S/RES/1718(2006)"}]


def test_citations_elsewhere_stay_text(site):
    """An article is the outlet's words, verbatim: `[@x]` in it is not a citation."""
    article = "content/articles/sullivan-mendesak-kim.md"
    root = site({article: BASE[article] + "Balasan untuk [@kim] di media sosial.\n"})
    build_here(root)
    assert "[@kim]" in page(root / "_site", "articles/sullivan-mendesak-kim/").select_one(".body").get_text()


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_an_unknown_citation_is_an_error_at_its_line(site):
    text = with_sources("Resolusi melarangnya [@dk-pbb-1718].\n\nPanel [@panel-ahly] dan [@tidak-ada].")
    root = site({CLAIM: text})
    line = line_of(text, "[@panel-ahly]")
    assert problems_of(root) == [
        f"{CLAIM}:{line}: citation of an unknown source [@panel-ahly] (did you mean 'panel-ahli'?)",
        f"{CLAIM}:{line}: citation of an unknown source [@tidak-ada]"]


def test_a_rated_claim_must_cite_a_source_or_link_a_passage(site):
    root = site({CLAIM: with_sources("Kedua negara membantah.")})
    assert problems_of(root) == [f"{CLAIM}:3: a rated claim's analysis must show its evidence: cite a source "
                                 "([@ID], listed under 'sources:') or link a passage (/articles/SLUG/#ID)"]
    unrated = "content/claims/sanksi-dilanggar.md"
    assert problems_of(site({CLAIM: with_sources("Lihat [@panel-ahli]."), unrated: BASE[unrated]})) == []


def test_a_source_url_without_an_archived_copy_is_a_warning_or_with_require_archive_an_error(site):
    bare = SOURCES.replace("    archive_url: https://archive.ph/abcd\n", "")
    text = with_sources("Resolusi melarangnya [@dk-pbb-1718].", bare)
    root = site({CLAIM: text})
    line = line_of(text, "url: https://example.org/catatan")
    message = (f"{CLAIM}:{line}: warning: source 'tak-dikutip' has a url but no archive_url: archive it "
               "(web.archive.org, archive.today) so the evidence outlives the page")
    assert [str(w) for w in linked_site(root).warnings] == [message]
    doc_root = site({CLAIM: text, "site.toml": BASE["site.toml"].replace(
        'language = "id"', 'language = "id"\n\n[check]\nrequire_archive = true\n', 1)})
    assert problems_of(doc_root) == [message.replace("warning: ", "")]


@pytest.mark.parametrize("entry, message", [
    ("  - id: Bad Id\n    title: T\n    publisher: P\n    date: 2024-01-01\n",
     "source id 'Bad Id' is not a valid SLUG: use lowercase letters, digits and hyphens"),
    ("  - id: x\n    title: T\n    publisher: P\n    date: 2024-01-01\n    url: javascript:alert(1)\n",
     "'url' must be an http:// or https:// address: 'javascript:alert(1)'"),
    ("  - id: x\n    title: T\n    publisher: P\n    date: 2024-01-01\n    archive_url: ftp://a.b/c\n",
     "'archive_url' must be an http:// or https:// address: 'ftp://a.b/c'"),
    ("  - id: x\n    title: T\n    date: 2024-01-01\n", "missing required field 'publisher' in source 1"),
    ("  - id: x\n    title: T\n    publisher: P\n    date: 2024-13\n", "impossible date '2024-13' in 'date'"),
    ("  - id: x\n    title: T\n    publisher: P\n    date: 2024-01-01\n    pages: 3\n",
     "unknown field 'pages' in source 1"),
])
def test_a_bad_source_is_an_error_at_its_line(site, entry, message):
    text = with_sources("Lihat [pernyataannya](/articles/putin-di-pyongyang/#blinken-amunisi).", "sources:\n" + entry)
    found = problems_of(site({CLAIM: text}))
    key = {"source id": "id:", "'url'": "url:", "'archive_url'": "archive_url:", "missing": "- id:",
           "impossible": "date:", "unknown": "pages:"}[next(k for k in ("source id", "'url'", "'archive_url'", "missing",
                                                                   "impossible", "unknown") if k in message)]
    assert found == [f"{CLAIM}:{line_of(text, key)}: {message}"]


def test_open_data_carries_the_sources(site):
    root = site({CLAIM: with_sources("Resolusi melarangnya [@dk-pbb-1718].")})
    build_here(root)
    claim = next(c for c in json.loads((root / "_site/claims.json").read_text())["claims"]
                 if c["slug"] == "korea-utara-memasok-senjata")
    assert [(s["id"], s["number"], s["archive_url"] or None) for s in claim["sources"]] == [
        ("dk-pbb-1718", 1, "https://web.archive.org/web/2024/https://undocs.org/S/RES/1718(2006)"),
        ("panel-ahli", None, None), ("tak-dikutip", None, "https://archive.ph/abcd")]


ARTICLE = "content/articles/putin-di-pyongyang.md"


def test_an_article_shows_its_archived_copy_beside_the_original(site):
    root = site({ARTICLE: BASE[ARTICLE].replace("published: 2024-06-19\n", "published: 2024-06-19\n"
                                                "url: https://www.tribunnews.com/x\n"
                                                "archive_url: https://web.archive.org/web/2024/tribunnews.com/x\n")})
    build_here(root)
    meta = page(root / "_site", "articles/putin-di-pyongyang/").select_one(".meta")
    assert [a["href"] for a in meta.select("a[rel=external]")] == [
        "https://www.tribunnews.com/x", "https://web.archive.org/web/2024/tribunnews.com/x"]
    review = json.loads(page(root / "_site", "claims/korea-utara-memasok-senjata/").select_one(
        'script[type="application/ld+json"]').string)
    assert review["itemReviewed"]["appearance"][1]["url"] == "https://www.tribunnews.com/x"
    assert review["itemReviewed"]["appearance"][1]["archivedAt"] == "https://web.archive.org/web/2024/tribunnews.com/x"
    bad = site({ARTICLE: BASE[ARTICLE].replace("published: 2024-06-19\n", "published: 2024-06-19\n"
                                               "archive_url: javascript:alert(1)\n")})
    assert problems_of(bad) == [f"{ARTICLE}:5: 'archive_url' must be an http:// or https:// address: "
                                "'javascript:alert(1)'"]
