"""data.py: claims.json, claims.csv, annotations.jsonld and ClaimReview, read as a data journalist's tool reads them."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import ARTICLE, BASE, linked_site
from generator import data
from generator.page import claim_rows

BASE_URL = "https://newsroom.github.io/cek/"
KU = "korea-utara-memasok-senjata"


@pytest.fixture
def linked(site):
    """The base site with the Tribunnews article's original URL and Blinken's Wikidata entry."""
    return linked_site(site({
        ARTICLE: BASE[ARTICLE].replace("published: 2024-06-19", "published: 2024-06-19\nurl: https://www.tribunnews.com/x"),
        "content/actors/jake-sullivan.yaml": BASE["content/actors/jake-sullivan.yaml"] +
        "same_as: [https://www.wikidata.org/wiki/Q6162227]\n"}))


def review(linked, slug=KU) -> dict:
    claim = linked.claims[slug]
    text = data.claim_review(linked.config, claim, linked.verdicts.get(claim.verdict), linked.appearances[slug],
                             claim_rows(linked)[slug].claimant)
    return json.loads(text) if text else {}


def test_claim_review_has_what_google_requires(linked):
    r = review(linked)
    assert r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview"
    assert r["url"] == BASE_URL + f"claims/{KU}/"
    assert r["claimReviewed"] == "Korea Utara memasok senjata ke Rusia"
    assert r["datePublished"] == "2024-06-20", "the date of the verdict"
    assert r["inLanguage"] == "id"
    assert r["author"] == {"@type": "Organization", "name": "Cek Klaim Uji", "url": BASE_URL}
    assert r["reviewRating"] == {"@type": "Rating", "ratingValue": 2, "bestRating": 3, "worstRating": 1,
                                 "alternateName": "Belum terbukti"}


def test_the_claim_reviewed_names_its_first_asserter_and_where_it_appeared(linked):
    item = review(linked)["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Jake Sullivan",
                              "sameAs": ["https://www.wikidata.org/wiki/Q6162227"]}, "the first to assert it, by date"
    assert item["datePublished"] == "2023-09"
    # no original known: described inline, never this site's copy as if it were where the claim appeared
    first = {"@type": "NewsArticle", "headline": "Sullivan mendesak Kim", "datePublished": "2023-09",
             "publisher": {"@type": "Organization", "name": "ANTARA", "url": "https://www.antaranews.com"}}
    assert item["firstAppearance"] == first
    assert item["appearance"][0] == first
    assert [w["url"] for w in item["appearance"][1:]] == ["https://www.tribunnews.com/x"], "the original, once"
    assert len(item["appearance"]) == 2, "one appearance per article, however many passages it has"


def test_an_organization_asserting_is_named_as_one(site):
    s = linked_site(site({"content/articles/sullivan-mendesak-kim.md": None, ARTICLE: BASE[ARTICLE].replace(
        "asserts: [antony-blinken]", "asserts: [amerika-serikat]")}))
    r = review(s)
    assert r["itemReviewed"]["author"] == {"@type": "Organization", "name": "Amerika Serikat"}


def test_an_unrated_claim_has_no_claim_review_and_an_unquoted_one_gives_no_appearance(site):
    """Never the site's own page as if it were where the claim appeared."""
    s = linked_site(site({"content/claims/sanksi-dilanggar.md":
                          "---\ntitle: Sanksi\nverdict: salah\nreviewed: 2024-01-02\nsources: [{id: un, title: Resolusi 2270, publisher: PBB, date: 2016-03}]\n---\nLihat [@un].\n",
                          ARTICLE: BASE[ARTICLE].replace("  - claim: sanksi-dilanggar\n    quote: transfer senjata "
                                                         "Korea Utara akan melanggar beberapa sanksi\n", "")}))
    r = review(s, "sanksi-dilanggar")
    assert r["reviewRating"]["ratingValue"] == 1 and r["reviewRating"]["alternateName"] == "Salah"
    assert r["itemReviewed"] == {"@type": "Claim", "appearance": [{"@type": "CreativeWork", "headline": "Sanksi"}]}
    s2 = linked_site(site())
    assert data.claim_review(s2.config, s2.claims["sanksi-dilanggar"], None, s2.appearances["sanksi-dilanggar"]) == ""


def test_claim_review_json_cannot_close_its_script_element(site):
    evil = "Senjata </script><script>alert(1)</script> <!-- & é"
    s = linked_site(site({"content/claims/korea-utara-memasok-senjata.md": BASE[
        "content/claims/korea-utara-memasok-senjata.md"].replace("title: Korea Utara memasok senjata ke Rusia",
                                                                  f"title: '{evil}'")}))
    claim = s.claims[KU]
    text = data.claim_review(s.config, claim, s.verdicts[claim.verdict], s.appearances[KU])
    assert "</" not in text and "<!--" not in text and "<script" not in text.lower()
    assert json.loads(text)["claimReviewed"] == evil, "the title survives, escaped for JSON"


def test_claims_json(linked):
    d = json.loads(data.claims_json(linked))
    assert d["site"] == "Cek Klaim Uji" and d["url"] == BASE_URL
    assert [c["slug"] for c in d["claims"]] == [KU, "sanksi-dilanggar"]
    c = d["claims"][0]
    assert {k: v for k, v in c.items() if k not in ("appearances", "sources")} == {
        "slug": KU, "title": "Korea Utara memasok senjata ke Rusia", "summary": "Dituduh AS, dibantah Pyongyang dan Moskow.",
        "url": BASE_URL + f"claims/{KU}/", "verdict": {"key": "belum-terbukti", "label": "Belum terbukti", "rating": 2},
        "reviewed": "2024-06-20", "topics": ["senjata"], "related": ["sanksi-dilanggar"]}
    apps = c["appearances"]
    assert [(a["article"], a["outlet"], a["published"], a["stance"], a["asserts"], a["denies"]) for a in apps] == [
        ("sullivan-mendesak-kim", "antara", "2023-09", "asserts", ["jake-sullivan"], []),
        ("putin-di-pyongyang", "tribunnews", "2024-06-19", "denies", [], ["korea-utara", "rusia"]),
        ("putin-di-pyongyang", "tribunnews", "2024-06-19", "asserts", ["antony-blinken"], [])]
    assert apps[2]["url"] == BASE_URL + "articles/putin-di-pyongyang/#blinken-amunisi"
    assert apps[2]["quote"] == apps[2]["exact"] == "Korea Utara memasok sejumlah besar amunisi dan senjata lainnya ke Rusia"
    other = d["claims"][1]
    assert other["verdict"] is None and other["reviewed"] is None and other["related"] == [KU]
    assert other["appearances"][0]["stance"] == "mentions"
    assert data.claims_json(linked).endswith("}\n")


def test_claims_csv_every_column(linked):
    text = data.claims_csv(linked)
    assert text.startswith(",".join(data.CSV_COLUMNS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 4
    denied = rows[1]
    assert denied == {
        "claim": KU, "claim_title": "Korea Utara memasok senjata ke Rusia", "verdict": "belum-terbukti",
        "verdict_label": "Belum terbukti", "rating": "2", "reviewed": "2024-06-20", "topics": "senjata",
        "article": "putin-di-pyongyang", "article_title": "Putin dan Kim bertemu di Pyongyang", "outlet": "tribunnews",
        "outlet_name": "Tribunnews", "published": "2024-06-19", "stance": "denies", "asserts": "",
        "denies": "korea-utara;rusia", "asserts_names": "", "denies_names": "Korea Utara; Rusia",
        "quote": "Baik Pyongyang maupun Moskow membantah klaim", "exact": "Baik Pyongyang maupun Moskow membantah klaim",
        "passage_url": BASE_URL + "articles/putin-di-pyongyang/#" + linked.appearances[KU][1].annotation.id,
        "claim_url": BASE_URL + f"claims/{KU}/", "article_url": "https://www.tribunnews.com/x",
        "article_kind": "article", "account": "", "archive_url": ""}
    assert (rows[2]["asserts"], rows[2]["asserts_names"], rows[2]["denies_names"]) == ("antony-blinken", "Antony Blinken", "")
    assert rows[0]["article_url"] == "" and rows[0]["published"] == "2023-09"
    mention = rows[3]
    assert (mention["claim"], mention["verdict"], mention["verdict_label"], mention["rating"], mention["reviewed"],
            mention["stance"], mention["topics"]) == ("sanksi-dilanggar", "", "", "", "", "mentions", "")


def test_annotations_jsonld(linked):
    d = json.loads(data.annotations_jsonld(linked))
    vocab = BASE_URL + "data/#term-"
    assert d["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert d["@context"][1]["stance"] == {"@id": vocab + "stance"}
    assert d["@context"][1]["asserts"] == {"@id": vocab + "asserts", "@type": "@id", "@container": "@set"}
    assert d["@context"][1]["denies"] == {"@id": vocab + "denies", "@type": "@id", "@container": "@set"}
    assert d["@context"][1]["claim"] == {"@id": vocab + "claim", "@type": "@id"}
    assert d["id"] == BASE_URL + "annotations.jsonld" and d["type"] == "AnnotationCollection"
    assert d["label"] == "Cek Klaim Uji" and d["total"] == 4 == len(d["first"]["items"])
    assert d["first"]["id"] == BASE_URL + "annotations.jsonld#page-1" and d["first"]["startIndex"] == 0
    assert d["first"]["type"] == "AnnotationPage"
    first = d["first"]["items"][0]
    ann = linked.passages["putin-di-pyongyang"][0].annotation
    assert first["id"] == BASE_URL + f"annotations.jsonld#putin-di-pyongyang/{ann.id}"
    assert first["type"] == "Annotation" and first["motivation"] == "classifying"
    assert first["creator"] == {"type": "Organization", "name": "Cek Klaim Uji", "homepage": BASE_URL}
    assert first["body"] == [
        {"type": "SpecificResource", "source": BASE_URL + f"claims/{KU}/", "purpose": "classifying"},
        {"type": "TextualBody", "purpose": "tagging", "value": "denies"},
        {"type": "TextualBody", "purpose": "describing", "format": "text/plain", "language": "id",
         "value": "Klaim: Korea Utara memasok senjata ke Rusia. Membantah: Korea Utara, Rusia."}]
    assert first["target"] == {"source": "https://www.tribunnews.com/x", "selector": {
        "type": "TextQuoteSelector", "exact": "Baik Pyongyang maupun Moskow membantah klaim",
        "prefix": ann.prefix, "suffix": ann.suffix}}
    assert ann.prefix.endswith("bertemu hari ini. ") and ann.suffix.startswith(" bahwa transfer")
    assert (first["claim"], first["stance"], first["passage"], first["asserts"], first["denies"]) == (
        BASE_URL + f"claims/{KU}/", "denies", BASE_URL + f"articles/putin-di-pyongyang/#{ann.id}", [],
        [BASE_URL + "actors/korea-utara/", BASE_URL + "actors/rusia/"])
    blinken = d["first"]["items"][2]
    assert blinken["target"]["selector"]["prefix"].endswith("PBB. \u201c")
    assert "PBB. \u201c" in data.annotations_jsonld(linked), "UTF-8 as written, not \\u escapes"
    assert blinken["body"][2]["value"] == "Klaim: Korea Utara memasok senjata ke Rusia. Menyatakan: Antony Blinken."
    assert blinken["asserts"] == [BASE_URL + "actors/antony-blinken/"] and blinken["denies"] == []
    sullivan = d["first"]["items"][3]
    assert sullivan["target"]["source"] == BASE_URL + "articles/sullivan-mendesak-kim/", "our copy when no url"


def test_a_publisher_without_a_site_has_no_url(site):
    s = linked_site(site({"content/outlets/antara.yaml": "name: ANTARA\n"}))
    item = review(s)["itemReviewed"]
    assert item["firstAppearance"]["publisher"] == {"@type": "Organization", "name": "ANTARA"}
    assert item["appearance"][1]["publisher"] == {"@type": "Organization", "name": "Tribunnews",
                                                  "url": "https://www.tribunnews.com"}


def test_the_rating_scale_is_read_from_site_toml(site):
    from conftest import SITE_TOML
    scale = SITE_TOML.replace("rating = 3", "rating = 5").replace("rating = 2", "rating = 4").replace("rating = 1", "rating = 2")
    r = review(linked_site(site({"site.toml": scale})))
    assert (r["reviewRating"]["ratingValue"], r["reviewRating"]["bestRating"], r["reviewRating"]["worstRating"]) == (4, 5, 2)


def test_csv_lists_every_topic_and_actor_and_defuses_formulas(site):
    claim = "content/claims/korea-utara-memasok-senjata.md"
    s = linked_site(site({
        claim: BASE[claim].replace("title: Korea Utara memasok senjata ke Rusia", "title: '=HYPERLINK(\"x\")'")
                          .replace("topics: [senjata]", "topics: [senjata, sanksi]"),
        ARTICLE: BASE[ARTICLE].replace("asserts: [antony-blinken]", "asserts: [antony-blinken, jake-sullivan]")}))
    rows = list(csv.DictReader(io.StringIO(data.claims_csv(s), newline="")))
    row = next(r for r in rows if r["article"] == "putin-di-pyongyang" and r["stance"] == "asserts")
    assert row["topics"] == "senjata;sanksi"
    assert row["asserts"] == "antony-blinken;jake-sullivan"
    assert row["asserts_names"] == "Antony Blinken; Jake Sullivan"
    assert row["claim_title"] == "'" + '=HYPERLINK("x")', "a spreadsheet shows the title, never runs it"


def test_a_correction_is_the_claim_reviews_date_modified(site):
    claim = "content/claims/korea-utara-memasok-senjata.md"
    s = linked_site(site({claim: BASE[claim].replace(
        "reviewed: 2024-06-20", "reviewed: 2024-06-20\ncorrections:\n  - date: 2024-07-02\n    note: Nama diperbaiki.")}))
    r = review(s)
    assert r["datePublished"] == "2024-06-20" and r["dateModified"] == "2024-07-02"
    assert "dateModified" not in review(linked_site(site())), "no correction, no dateModified"


def test_claims_json_is_utf8_as_written(site):
    claim = "content/claims/korea-utara-memasok-senjata.md"
    s = linked_site(site({claim: BASE[claim].replace("summary: Dituduh AS, dibantah Pyongyang dan Moskow.",
                                                     "summary: Dituduh AS — dibantah Pyongyang, Moskow & Kremlin.")}))
    text = data.claims_json(s)
    assert "Dituduh AS — dibantah Pyongyang, Moskow & Kremlin." in text, "no \\u escapes: a journalist reads it as is"


def test_exact_is_the_passage_as_the_page_shows_it_not_the_quote_as_typed(site):
    s = linked_site(site({"content/articles/sullivan-mendesak-kim.md": BASE["content/articles/sullivan-mendesak-kim.md"]
                          .replace('Kim "agar tidak memasok', "Kim “agar tidak memasok")
                          .replace("quote: agar tidak memasok senjata ke Rusia", "quote: 'Kim \"agar  tidak memasok senjata'")}))
    app = json.loads(data.claims_json(s))["claims"][0]["appearances"][0]
    assert (app["quote"], app["exact"]) == ('Kim "agar  tidak memasok senjata', "Kim “agar tidak memasok senjata")
    row = next(csv.DictReader(io.StringIO(data.claims_csv(s), newline="")))
    assert (row["quote"], row["exact"]) == ('Kim "agar  tidak memasok senjata', "Kim “agar tidak memasok senjata")


CLAIM_FILE = "content/claims/korea-utara-memasok-senjata.md"


def test_the_claimant_the_desk_names_is_the_claim_reviews_author_and_shown_on_its_page(site):
    root = site({CLAIM_FILE: BASE[CLAIM_FILE].replace("reviewed: 2024-06-20\n", "reviewed: 2024-06-20\n"
                                                      "claimant: antony-blinken\n")})
    s = linked_site(root)
    assert review(s)["itemReviewed"]["author"] == {"@type": "Person", "name": "Antony Blinken"}, \
        "named, though Sullivan asserted it first"
    from conftest import build_here, page
    build_here(root)
    who = page(root / "_site", f"claims/{KU}/").select_one(".who-claimant")
    assert " ".join(who.get_text().split()) == "Pembuat klaim: Antony Blinken (Tribunnews, 19 Juni 2024)"
    assert who.a["href"] == "../../actors/antony-blinken/"
    assert who.find_all("a")[1]["href"] == "../../articles/putin-di-pyongyang/#blinken-amunisi"


def test_without_a_claimant_the_earliest_asserter_made_it_whatever_order_the_file_lists_them(site):
    """Sullivan's passage stands before Blinken's in the article, though the file lists Blinken's first."""
    article = BASE[ARTICLE].replace("bertemu hari ini.", "bertemu hari ini. Sullivan: Korea Utara memasok senjata.") \
        .replace("    id: blinken-amunisi\n", "    id: blinken-amunisi\n  - claim: korea-utara-memasok-senjata\n"
                 "    quote: \"Sullivan: Korea Utara memasok senjata.\"\n    asserts: [jake-sullivan]\n")
    s = linked_site(site({ARTICLE: article, "content/articles/sullivan-mendesak-kim.md": None}))
    assert review(s)["itemReviewed"]["author"]["name"] == "Jake Sullivan"
    assert claim_rows(s)[KU].claimant_at.annotation.quote == "Sullivan: Korea Utara memasok senjata."


def test_a_claimant_is_an_actor_checked_like_any_other(site):
    from conftest import problems_of
    root = site({CLAIM_FILE: BASE[CLAIM_FILE].replace("summary:", "claimant: Blinken\nsummary:")})
    assert problems_of(root) == [f"{CLAIM_FILE}:5: unknown actor in 'claimant' 'Blinken' (did you mean "
                                 "'antony-blinken'?)"]
    root = site({CLAIM_FILE: BASE[CLAIM_FILE].replace("summary:", "claimant: rusia\nsummary:"),
                 "content/actors/rusia.yaml": "name: Rusia\nkind: government\ndraft: true\n",
                 ARTICLE: BASE[ARTICLE].replace("denies: [korea-utara, rusia]", "denies: [korea-utara]")})
    assert problems_of(root) == [f"{CLAIM_FILE}:5: claimant is a draft actor 'rusia' (content/actors/rusia.yaml is "
                                 "draft: true)"]


def test_of_asserters_on_the_same_date_the_one_asserting_it_most_made_it_not_the_first_file(site):
    """Three September 2023 articles: an anonymous official in the first file, the Kremlin's spokesman in two."""
    def article(quote: str, actor: str) -> str:
        return (f"---\ntitle: {quote}\noutlet: antara\npublished: 2023-09\nannotations:\n  - claim: sanksi-dilanggar\n"
                f"    quote: {quote}\n    asserts: [{actor}]\n---\n{quote}.\n")
    s = linked_site(site({
        "content/articles/a-pejabat.md": article("Pejabat itu mengatakan keduanya akan bertemu", "jake-sullivan"),
        "content/articles/b-kremlin.md": article("Kremlin mengatakan keduanya akan bertemu", "rusia"),
        "content/articles/c-kremlin-lagi.md": article("Kremlin lagi mengatakan keduanya akan bertemu", "rusia"),
    }))
    row = claim_rows(s)["sanksi-dilanggar"]
    assert row.claimant.slug == "rusia" and row.claimant_at.article.slug == "b-kremlin"


# -- ClaimReview against the schema.org vocabulary and Google's fact-check fields -----------------------------------

SCHEMA = json.loads((Path(__file__).with_name("data") / "schemaorg-subset.json").read_text("utf-8"))
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")  # ISO 8601, to the day or to the month as an article may be dated
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")


def ancestors(kind: str) -> set[str]:
    seen, todo = set(), [kind]
    while todo:
        k = todo.pop()
        if k not in seen:
            seen.add(k)
            todo += SCHEMA["types"].get(k, [])
    return seen


def literal_fits(value, ranges: list[str]) -> bool:
    """A JSON literal where schema.org expects one of `ranges` (data types; Text also stands for an entity's name)."""
    kinds = set().union(*(ancestors(r) for r in ranges))
    if isinstance(value, bool):
        return "Boolean" in kinds
    if isinstance(value, (int, float)):
        return "Number" in kinds or "Text" in kinds
    if not isinstance(value, str):
        return False
    return bool({"Text", "Language"} & set(ranges)  # Language: a BCP 47 tag, as Google reads inLanguage
                or "URL" in ranges and re.fullmatch(r"https?://\S+", value)
                or "Date" in ranges and ISO_DATE.fullmatch(value)
                or "DateTime" in ranges and ISO_DATETIME.fullmatch(value))


def vocabulary_errors(node, where="ClaimReview") -> list[str]:
    """Every type and property the node uses exists in schema.org and is allowed where it stands."""
    errors = []
    kind = node.get("@type")
    if kind not in SCHEMA["types"] or kind in SCHEMA["datatypes"]:
        return [f"{where}: unknown type {kind!r}"]
    mine = ancestors(kind)
    for prop, values in node.items():
        if prop in ("@context", "@type"):
            continue
        spec = SCHEMA["properties"].get(prop)
        if spec is None:
            errors.append(f"{where}.{prop}: no such property on {kind} (schema.org {SCHEMA['version']})")
            continue
        if not mine & set(spec["domain"]):
            errors.append(f"{where}.{prop}: not a property of {kind} (only of {', '.join(spec['domain'])})")
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                if not ancestors(value.get("@type", "")) & set(spec["range"]):
                    errors.append(f"{where}.{prop}: a {value.get('@type')} where it takes {', '.join(spec['range'])}")
                errors += vocabulary_errors(value, f"{where}.{prop}")
            elif not literal_fits(value, spec["range"]):
                errors.append(f"{where}.{prop}: {value!r} is not a {' or '.join(spec['range'])}")
    return errors


def google_errors(r: dict) -> list[str]:
    """Google's ClaimReview fields (developers.google.com/search/docs/appearance/structured-data/factcheck):
    the required ones, and the recommended ones this generator always has the data for."""
    item, rating, author = r.get("itemReviewed", {}), r.get("reviewRating", {}), r.get("author", {})
    required = {"claimReviewed": r.get("claimReviewed"), "reviewRating": rating, "url": r.get("url"),
                "reviewRating.alternateName": rating.get("alternateName")}
    recommended = {"author.name": author.get("name"), "author.url": author.get("url"),
                   "datePublished": r.get("datePublished"), "itemReviewed": item,
                   "itemReviewed.appearance or firstAppearance": item.get("appearance") or item.get("firstAppearance"),
                   "reviewRating.ratingValue": rating.get("ratingValue"),
                   "reviewRating.bestRating": rating.get("bestRating"),
                   "reviewRating.worstRating": rating.get("worstRating")}
    errors = [f"missing {k} (required)" for k, v in required.items() if v in (None, "", {}, [])]
    errors += [f"missing {k} (recommended)" for k, v in recommended.items() if v in (None, "", {}, [])]
    if rating and not rating.get("worstRating", 0) <= rating.get("ratingValue", 0) <= rating.get("bestRating", 0):
        errors.append("reviewRating.ratingValue outside worstRating..bestRating")
    if item.get("author") and not item["author"].get("name"):
        errors.append("itemReviewed.author without a name")
    return errors


def claim_reviews(out: Path) -> dict[str, dict]:
    found = {}
    for page in sorted((out / "claims").glob("*/index.html")):
        for script in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text("utf-8"), re.S):
            doc = json.loads(script)
            if doc.get("@type") == "ClaimReview":
                found[page.parent.name] = doc
    return found


def test_every_claim_review_of_the_example_uses_schema_org_as_defined_and_what_google_asks(example):
    reviews = claim_reviews(example)
    rated = [c for c in json.loads((example / "claims.json").read_text("utf-8"))["claims"] if c["verdict"]]
    assert sorted(reviews) == sorted(c["slug"] for c in rated), "each rated claim, and only they"
    assert {slug: vocabulary_errors(r) + google_errors(r) for slug, r in reviews.items()} == {s: [] for s in reviews}
    assert any("citation" in r for r in reviews.values()), "the sources the analyses cite are in it"


def test_the_claim_review_with_an_original_url_and_an_identified_claimant_is_valid_too(linked):
    r = review(linked)
    assert "sameAs" in r["itemReviewed"]["author"] and any("url" in w for w in r["itemReviewed"]["appearance"])
    assert vocabulary_errors(r) == [] and google_errors(r) == []


def test_the_vocabulary_check_bites():
    good = {"@type": "ClaimReview", "claimReviewed": "x", "url": "https://a.example/",
            "reviewRating": {"@type": "Rating", "alternateName": "Salah", "ratingValue": 1}}
    assert vocabulary_errors(good) == []
    assert vocabulary_errors({**good, "claimReviwed": "x"}) == [
        "ClaimReview.claimReviwed: no such property on ClaimReview (schema.org 30.0)"]
    assert vocabulary_errors({**good, "headline": "x", "reviewRating": {"@type": "Verdict"}}) == [
        "ClaimReview.reviewRating: a Verdict where it takes Rating", "ClaimReview.reviewRating: unknown type 'Verdict'"]
    assert vocabulary_errors({"@type": "Rating", "appearance": []}, "Rating") == [
        "Rating.appearance: not a property of Rating (only of Claim)"]
    assert vocabulary_errors({**good, "datePublished": "7 Desember 2026"}) == [
        "ClaimReview.datePublished: '7 Desember 2026' is not a Date or DateTime"]
    assert vocabulary_errors({**good, "url": "claims/x/"}) == ["ClaimReview.url: 'claims/x/' is not a URL"]
    assert google_errors({"@type": "ClaimReview"})[:4] == ["missing claimReviewed (required)",
                                                           "missing reviewRating (required)", "missing url (required)",
                                                           "missing reviewRating.alternateName (required)"]
