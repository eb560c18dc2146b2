"""Who says what: the stance matrix, the claim–actor map, claim timelines, topics, the home page and the open data
(claims.csv, annotations.jsonld and the page documenting them), checked against the content's own front matter."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import yaml

from browser import chromium
from conftest import REPO, build_ok, contract, page
from test_search import served_at


def front_matter(f: Path) -> dict:
    return yaml.safe_load(re.match(r"---\s*\n(.*?)\n---", f.read_text("utf-8"), re.S).group(1)) or {}


def annotations(root: Path) -> list[tuple[str, dict]]:
    return [(f.stem, a) for f in sorted((root / "content/articles").glob("*.md"))
            for a in front_matter(f).get("annotations") or []]


def with_stance(root: Path) -> tuple[set[str], set[str]]:
    """The actors who assert or deny anything, and the claims anyone asserts or denies."""
    found = [(a, ann["claim"]) for _, ann in annotations(root)
             for a in (ann.get("asserts") or []) + (ann.get("denies") or [])]
    return {a for a, _ in found}, {c for _, c in found}


def linked(soup, kind: str) -> set[str]:
    return {m.group(1) for a in soup.find_all("a", href=True) if (m := re.search(rf"{kind}/([^/]+)/$", a["href"]))}


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_matrix_and_map_list_every_actor_and_claim_with_a_stance(example):
    actors, claims = with_stance(REPO)
    matrix = page(example, "matrix/").find("table", class_="matrix")
    assert linked(matrix.tbody, "actors") == actors
    assert linked(matrix.thead, "claims") == claims
    svg = page(example, "map/").find("svg", class_="claim-map")
    assert linked(svg, "actors") == actors and linked(svg, "claims") == claims
    assert {words(t.get_text()) for t in svg.select("a > title")} >= {
        words(yaml.safe_load((REPO / f"content/actors/{a}.yaml").read_text("utf-8"))["name"]) for a in actors}


def test_matrix_cells_say_the_stance_in_words_and_link_to_the_passages(site):
    out = build_ok(site())
    matrix = page(out, "matrix/").find("table", class_="matrix")
    assert [th["scope"] for th in matrix.find_all("th")] == ["col"] * 2 + ["row"] * 4, \
        "the corner (over the actors' column) and one claim with stances; four actors"
    assert not matrix.find("td", class_="matrix-corner"), "every non-empty cell of the header row is a header"
    header = matrix.thead.find("a", href="../claims/korea-utara-memasok-senjata/")
    assert "Korea Utara memasok senjata ke Rusia" in header.get_text()
    rows = {tr.th.a["href"]: tr.find_all("td") for tr in matrix.tbody.find_all("tr")}
    blinken = rows["../actors/antony-blinken/"][0]
    assert blinken["data-cell"] == "asserts" and blinken.a["href"] == "../articles/putin-di-pyongyang/#blinken-amunisi"
    assert "Menyatakan" in blinken.get_text() and blinken.find(class_="icon")
    russia = rows["../actors/rusia/"][0]
    assert russia["data-cell"] == "denies" and "Membantah" in russia.get_text()
    assert "Tribunnews" in russia.get_text(), "the cell tells where it was said"
    # Camps: the asserters first, then the deniers.
    assert list(rows)[:2] == ["../actors/antony-blinken/", "../actors/jake-sullivan/"]


def test_a_matrix_sorts_a_to_z_and_back_and_links_work_under_a_base_path(site):
    out = build_ok(site({"content/actors/rusia.yaml": "name: Federasi Rusia\nkind: government\n"}))
    with served_at(out, "/cek/") as url, chromium() as browser:
        tab = browser.new_page()
        tab.goto(url + "matrix/")
        names = lambda: tab.eval_on_selector_all(".matrix tbody th", "ths => ths.map(th => th.textContent.trim())")
        built = names()
        assert built == ["Antony Blinken", "Jake Sullivan", "Federasi Rusia", "Korea Utara"]
        tab.click("button[data-sort=az]")
        assert names() == sorted(built, key=str.casefold)
        assert tab.get_attribute("button[data-sort=az]", "aria-pressed") == "true"
        tab.click("button[data-sort=order]")
        assert names() == built
        tab.click('.matrix td a[href$="#blinken-amunisi"]')
        tab.wait_for_url(url + "articles/putin-di-pyongyang/#blinken-amunisi")
        tab.goto(url + "map/")
        tab.click('svg.claim-map a[href="../actors/rusia/"]')
        tab.wait_for_url(url + "actors/rusia/")
        tab.goto(url + "map/")
        tab.focus('svg.claim-map a[href="../claims/korea-utara-memasok-senjata/"]')
        tab.keyboard.press("Enter")
        tab.wait_for_url(url + "claims/korea-utara-memasok-senjata/")


def test_the_map_has_a_title_a_description_and_a_text_alternative(site):
    out = build_ok(site())
    doc = page(out, "map/")
    svg = doc.find("svg", class_="claim-map")
    title, desc = svg.find("title", id=svg["aria-labelledby"]), svg.find("desc", id=svg["aria-describedby"])
    assert title.get_text()
    assert re.findall(r"\d+", desc.get_text()) == ["4", "1", "4"], "4 actors, 1 claim, 4 stance lines, in that order"
    assert len(svg.select("path.edge-asserts")) == 2 and len(svg.select("path.edge-denies")) == 2
    text = doc.find("ul", class_="map-text")
    item = text.find("a", href="../claims/korea-utara-memasok-senjata/").find_parent("li")
    assert {"Antony Blinken", "Jake Sullivan", "Korea Utara", "Rusia"} <= {a.get_text() for a in item.find_all("a")}


def test_a_claim_timeline_shows_the_spread_and_who_answered_when(site):
    out = build_ok(site())
    timeline = page(out, "claims/korea-utara-memasok-senjata/").find("ol", class_="timeline")
    moments = timeline.find_all("li", class_="moment", recursive=False)
    assert [m.time["datetime"] for m in moments] == ["2023-09", "2024-06-19"]
    first, second = (words(m.get_text()) for m in moments)
    assert "Pertama muncul di ANTARA" in first and "Jake Sullivan" in first
    assert "Menyebar ke Tribunnews" in second
    assert "Membantah untuk pertama kali: Korea Utara, Rusia" in second
    assert "moment-answer" in moments[1]["class"]
    assert moments[1].find("a", href="../../articles/putin-di-pyongyang/#blinken-amunisi")
    summary = page(out, "claims/korea-utara-memasok-senjata/").find(class_="timeline-summary").get_text()
    assert "3 kali di 2 media" in summary and "19 Juni 2024" in summary


def test_days_between_appearances_when_both_dates_are_known(site):
    later = """---
title: Bantahan lagi
outlet: antara
published: 2024-06-29
annotations:
  - claim: korea-utara-memasok-senjata
    quote: Kami tidak memasok senjata
    denies: [korea-utara]
---
"Kami tidak memasok senjata," kata juru bicara itu.
"""
    out = build_ok(site({"content/articles/bantahan-lagi.md": later}))
    moments = page(out, "claims/korea-utara-memasok-senjata/").select("ol.timeline > li")
    assert "10 hari kemudian" in moments[-1].get_text()
    assert "Membantah untuk pertama kali" not in moments[-1].get_text(), "Korea Utara had denied it before"


def test_topics_have_pages_that_list_their_claims(site):
    out = build_ok(site({"content/claims/sanksi-dilanggar.md": "---\ntitle: Transfer senjata melanggar sanksi PBB\n"
                                                                "topics: [senjata, sanksi-pbb]\n---\n"}))
    topics = page(out, "topics/")
    assert linked(topics, "topics") == {"senjata", "sanksi-pbb"}
    assert "Sanksi pbb" in topics.get_text(), "without a name in [topics], the slug's words, capitalised"
    senjata = page(out, "topics/senjata/")
    assert linked(senjata.find("ul", class_="claim-list"), "claims") == {"korea-utara-memasok-senjata",
                                                                         "sanksi-dilanggar"}
    assert senjata.find("table", class_="matrix"), "who says what on the topic"
    claim = page(out, "claims/sanksi-dilanggar/")
    assert claim.find("p", class_="topic-links").find("a", href="../../topics/sanksi-pbb/")
    assert "https://newsroom.github.io/cek/topics/senjata/" in (out / "sitemap.xml").read_text("utf-8")


def test_the_home_page_tells_the_story_at_a_glance(site):
    out = build_ok(site())
    home = page(out, "")
    text = words(home.get_text())
    assert "Dari 2 artikel yang terbit Sep 2023–Jun 2024." in text, "a date range as CLDR writes it"
    assert home.find(id="by-verdict") and home.find(id="disputed") and home.find(id="latest")
    matrix = home.find("table", class_="matrix")
    assert linked(matrix, "claims") == {"korea-utara-memasok-senjata"}
    for path in ("matrix/", "map/", "topics/", "data/", "search/"):
        assert home.find("a", href=f"./{path}"), path
    assert home.find("a", href="./topics/senjata/")


def test_annotations_are_w3c_web_annotations_whose_quotes_are_in_the_article(example):
    data = json.loads((example / "annotations.jsonld").read_text("utf-8"))
    assert "http://www.w3.org/ns/anno.jsonld" in data["@context"] and data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    expected = annotations(REPO)
    assert len(items) == data["total"] == len(expected)
    urls = {f.stem: front_matter(f).get("url") for f in (REPO / "content/articles").glob("*.md")}
    texts = {}
    for item in items:
        assert item["type"] == "Annotation"
        slug = item["id"].split("#", 1)[1].split("/")[0]
        assert item["target"]["source"] == (urls[slug] or f"https://cekfakta.github.io/kim-putin/articles/{slug}/")
        selector = item["target"]["selector"]
        assert selector["type"] == "TextQuoteSelector"
        if slug not in texts:
            body = page(example, f"articles/{slug}/").find("div", class_="body")
            for ref in body.select("sup.ann-ref, ul.notes"):  # our numbers and notes, not the article's text
                ref.decompose()
            texts[slug] = words(body.get_text())
        passage = words(selector["prefix"] + selector["exact"] + selector["suffix"])
        assert selector["exact"] in texts[slug], selector["exact"]
        assert passage in texts[slug], "prefix and suffix are the text around the passage, as it reads"
    stances = sorted((item["claim"].split("/")[-2], item["stance"]) for item in items)
    assert stances == sorted((ann["claim"], stance(ann)) for _, ann in expected)


def stance(ann: dict) -> str:
    a, d = bool(ann.get("asserts")), bool(ann.get("denies"))
    return "both" if a and d else "asserts" if a else "denies" if d else "mentions"


def test_claims_csv_has_one_row_per_appearance(example):
    with open(example / "claims.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    expected = annotations(REPO)
    assert len(rows) == len(expected)
    assert sorted((r["article"], r["claim"], r["quote"]) for r in rows) == sorted(
        (slug, ann["claim"], ann["quote"]) for slug, ann in expected)
    # one passage may carry two claims with different stances (a general denial quoted for the tanker claim too)
    by_quote = {(slug, ann["claim"], ann["quote"]): ann for slug, ann in expected}
    for row in rows:
        ann = by_quote[(row["article"], row["claim"], row["quote"])]
        assert (row["asserts"].split(";") if row["asserts"] else []) == (ann.get("asserts") or [])
        assert (row["denies"].split(";") if row["denies"] else []) == (ann.get("denies") or [])
        assert row["stance"] == stance(ann)
        names = {slug: yaml.safe_load((REPO / f"content/actors/{slug}.yaml").read_text("utf-8"))["name"]
                 for slug in (ann.get("asserts") or []) + (ann.get("denies") or [])}
        assert row["asserts_names"] == "; ".join(names[s] for s in ann.get("asserts") or [])
        assert row["denies_names"] == "; ".join(names[s] for s in ann.get("denies") or [])
        claim = front_matter(REPO / f"content/claims/{row['claim']}.md")
        assert row["claim_title"] == claim["title"] and row["verdict"] == (claim.get("verdict") or "")
        assert row["reviewed"] == str(claim.get("reviewed") or "")
        assert row["claim_url"] == f"https://cekfakta.github.io/kim-putin/claims/{row['claim']}/"
        article = front_matter(REPO / f"content/articles/{row['article']}.md")
        assert row["article_title"] == article["title"] and row["outlet"] == article["outlet"]
        assert row["published"] == str(article["published"]) and row["article_url"] == (article.get("url") or "")
        assert row["passage_url"].rsplit("#", 1)[1] and row["exact"]
        assert row["passage_url"].startswith(f"https://cekfakta.github.io/kim-putin/articles/{row['article']}/#")


def test_the_open_data_page_documents_every_field_of_every_file(site):
    root = site()
    out = build_ok(root)
    contract(root, out)
    doc = page(out, "data/")
    documented = {table.caption.get_text(): {words(th.get_text()) for th in table.tbody.find_all("th")}
                  for table in doc.find_all("table", class_="fields")}
    claims = json.loads((out / "claims.json").read_text("utf-8"))["claims"]
    in_json = set(claims[0]) | {f"appearances[].{k}" for k in claims[0]["appearances"][0]}
    assert documented["Isi claims.json"] == in_json
    header = next(csv.reader(io.StringIO((out / "claims.csv").read_text("utf-8"))))
    assert documented["Isi claims.csv"] == set(header)
    item = json.loads((out / "annotations.jsonld").read_text("utf-8"))["first"]["items"][0]
    in_jsonld = (set(item) - {"type", "creator", "target"}) | {"target.source", "target.selector"}
    assert documented["Isi annotations.jsonld"] == in_jsonld
    for term, definition in json.loads((out / "annotations.jsonld").read_text("utf-8"))["@context"][1].items():
        assert doc.find(id=definition["@id"].split("#")[1]), f"the context's {term} is defined on the page"
    for name in ("claims.json", "claims.csv", "annotations.jsonld"):
        assert doc.find("a", href=f"../{name}")


def test_a_large_site_shows_its_most_disputed_claims(site):
    from generator import insights
    from generator.page import claim_rows
    from generator.config import load_config
    from generator.link import link_site
    from generator.load import load_content

    root = site()
    config = load_config(root)
    linked_site = link_site(load_content(root, config), config)
    rows = list(claim_rows(linked_site).values())
    matrix = insights.stance_matrix(linked_site, rows, insights.own_stances(linked_site), 1, 2)
    assert len(matrix.columns) == 1 and len(matrix.rows) == 2 and matrix.actors == 4 and not matrix.complete
    assert "Ditampilkan" not in page(build_ok(root), "matrix/").get_text(), "a small site is shown whole"
