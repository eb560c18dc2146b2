"""load.py, called directly on one file's text or on a small content/ folder: the records a file gives, and the
`PATH:LINE: message` of each mistake in it (the whole-site view of the same mistakes is test_load_fields)."""
from __future__ import annotations

import os
import textwrap

import pytest
from bs4 import BeautifulSoup

import generator.fields as fields
import generator.load as load
from conftest import ARTICLE, BASE, CLAIM, make_site
from generator.config import load_config
from generator.errors import Src
from generator.fields import parse_yaml, split_front_matter
from generator.load import load_actor, load_article, load_claim, load_content, load_outlet, load_page, passage_anchor
from generator.model import Correction, Date, Outlet
from test_load_fields import CASES, reported


def alone(path: str, text: str, titles: dict | None = None, **kwargs):
    """What the loader of the file's kind makes of it: (record, problems as the terminal shows them)."""
    text = textwrap.dedent(text) if text.startswith("\n") else text
    kind = path.split("/")[1]
    if kind == "outlets":
        record, problems = load_outlet(path, text)
    elif kind == "actors":
        record, problems = load_actor(path, text)
    elif kind == "claims":
        record, problems = load_claim(path, text, kwargs.pop("trusted_html", False))
    elif kind == "pages":
        record, problems = load_page(path, text, kwargs.pop("trusted_html", False))
    else:
        record, problems = load_article(path, text, titles or {}, kwargs.pop("trusted_html", False),
                                        kwargs.pop("language", "id"), **kwargs)
    return record, [str(p) for p in problems]


def problems(path: str, text: str, **kwargs) -> list[str]:
    return alone(path, text, **kwargs)[1]


@pytest.mark.parametrize("name", CASES)
def test_each_field_mistake_is_reported_by_its_file_alone(name):
    files, expected = CASES[name]
    found = [line for path, text in files.items() for line in problems(path, text)]
    assert reported(found, expected), "\n".join(found)


@pytest.mark.parametrize("path", [p for p in BASE if p.startswith("content/")])
def test_the_base_files_load_without_a_problem(path):
    record, found = alone(path, BASE[path])
    assert found == [] and record.slug == path.rsplit("/", 1)[1].split(".")[0]


def test_an_outlet_carries_its_fields():
    outlet, found = alone("content/outlets/antara.yaml", "name: ANTARA\nurl: https://www.antaranews.com\n"
                                                          "country: ID\ndraft: true\n")
    assert found == [] and outlet == Outlet("antara", "ANTARA", "https://www.antaranews.com", "ID",
                                            Src("content/outlets/antara.yaml", 1), draft=True)


def test_an_actor_carries_its_fields_and_their_lines():
    actor, found = alone("content/actors/antony-blinken.yaml", (
        "# Menlu AS\nname: Antony Blinken\nkind: person\nrole: Menteri Luar Negeri AS\naffiliation: amerika-serikat\n"
        "aliases: [Anthony Blinken, Blinken]\nsame_as: [https://www.wikidata.org/wiki/Q7149]\n"))
    assert found == []
    assert (actor.name, actor.kind, actor.role, actor.affiliation, actor.aliases, actor.same_as, actor.draft) == (
        "Antony Blinken", "person", "Menteri Luar Negeri AS", "amerika-serikat", ("Anthony Blinken", "Blinken"),
        ("https://www.wikidata.org/wiki/Q7149",), False)
    assert actor.src == Src("content/actors/antony-blinken.yaml", 2), "where its fields begin"
    assert actor.lines == {"name": 2, "kind": 3, "role": 4, "affiliation": 5, "aliases": 6, "same_as": 7}


def test_an_unknown_actor_kind_is_an_error_with_the_kinds_to_choose_from():
    assert problems("content/actors/rusia.yaml", "name: Rusia\nkind: goverment\n") == [
        "content/actors/rusia.yaml:2: unknown kind 'goverment': use one of person, government, organization, media, "
        "group (did you mean 'government'?)"]
    for kind in load.KINDS:
        assert problems("content/actors/rusia.yaml", f"name: Rusia\nkind: {kind}\n") == []


def test_same_as_takes_web_addresses_only():
    actor, found = alone("content/actors/rusia.yaml", "name: Rusia\nkind: government\n"
                                                      "same_as: [https://ru.example, 'javascript:alert(1)']\n")
    assert actor.same_as == ("https://ru.example",)
    assert found == ["content/actors/rusia.yaml:3: 'same_as' takes http:// or https:// addresses only: "
                     "'javascript:alert(1)'"]


def test_a_claim_carries_its_fields_its_analysis_and_the_lines_of_its_links():
    claim, found = alone(CLAIM, BASE[CLAIM].replace("related: [sanksi-dilanggar]", (
        "related: [sanksi-dilanggar]\naliases: [korea-memasok]\ncorrections:\n  - date: 2024-07-02\n    note: Kedua\n"
        "  - date: 2024-06-21\n    note: Pertama")) + "\nLihat [klaim lain](/claims/sanksi-dilanggar/).\n")
    assert found == []
    assert (claim.slug, claim.title, claim.verdict, claim.reviewed, claim.summary, claim.topics, claim.related,
            claim.aliases, claim.draft) == (
        "korea-utara-memasok-senjata", "Korea Utara memasok senjata ke Rusia", "belum-terbukti", Date(2024, 6, 20),
        "Dituduh AS, dibantah Pyongyang dan Moskow.", ("senjata",), ("sanksi-dilanggar",), ("korea-memasok",), False)
    assert claim.src == Src(CLAIM, 2) and claim.lines["verdict"] == 3 and claim.lines["corrections"] == 9
    assert '<a href="../../articles/putin-di-pyongyang/#blinken-amunisi">menyatakannya</a>' in claim.body
    assert claim.links == (("/articles/putin-di-pyongyang/#blinken-amunisi", 15), ("/claims/sanksi-dilanggar/", 17))
    assert claim.corrections == (Correction(Date(2024, 6, 21), "Pertama", Src(CLAIM, 12)),
                                 Correction(Date(2024, 7, 2), "Kedua", Src(CLAIM, 10))), "oldest first"


def test_corrections_mistakes_name_the_correction():
    def claim(corrections: str) -> list[str]:
        return problems("content/claims/x.md", f"---\ntitle: X\ncorrections:{corrections}\n---\n")
    assert claim(" 2024-06-21") == [
        "content/claims/x.md:3: 'corrections' must be a list of '- date: YYYY-MM-DD' / 'note: …' items"]
    assert claim("\n  - date: 2024-06-21\n    note: A\n  - date: 2024-06\n    note: B\n  - note: C\n"
                 "  - date: 2024-06-22\n    note: D\n    by: E\n  - 2024-06-23") == [
        "content/claims/x.md:6: 'date' must be a date, YYYY-MM-DD: '2024-06'",
        "content/claims/x.md:8: missing required field 'date' in correction 3",
        "content/claims/x.md:11: unknown field 'by' in correction 4",
        "content/claims/x.md:3: expected a mapping of fields in correction 5, found str"]
    loaded, _ = alone("content/claims/x.md", "---\ntitle: X\ncorrections:\n  - date: 2024-06-21\n    note: A\n"
                                             "  - date: 2024-06-30\n---\n")
    assert [c.note for c in loaded.corrections] == ["A"], "a correction with a mistake is left out"


def test_a_list_item_that_is_not_a_mapping_is_one_problem_at_its_list():
    article = "---\ntitle: X\noutlet: o\npublished: 2024-01-01\nannotations:\n  - korea-utara\n  - [a, b]\n---\nTeks.\n"
    assert problems("content/articles/x.md", article) == [
        "content/articles/x.md:5: expected a mapping of fields in annotation 1, found str",
        "content/articles/x.md:5: expected a mapping of fields in annotation 2, found list"]
    assert problems("content/claims/x.md", "---\ntitle: X\n\ncorrections: [2024-06-21]\n---\n") == [
        "content/claims/x.md:4: expected a mapping of fields in correction 1, found str"]


def test_a_verdict_needs_its_review_date_once():
    text = "---\ntitle: X\nverdict: salah\n{}---\n"
    assert problems("content/claims/x.md", text.format("")) == [
        "content/claims/x.md:3: a claim with a verdict needs 'reviewed', the date of the verdict (YYYY-MM-DD)"]
    assert problems("content/claims/x.md", text.format("reviewed: 2024-02-30\n")) == [
        "content/claims/x.md:4: impossible date '2024-02-30' in 'reviewed'"]
    assert problems("content/claims/x.md", text.format("reviewed: 2024-02-29\n")) == []
    assert problems("content/claims/x.md", "---\ntitle: X\nreviewed: 2024-02-29\n---\n") == []


def test_topics_become_paths_so_only_slugs_are_taken():
    claim, found = alone("content/claims/x.md", "---\ntitle: X\ntopics: [senjata, Hak Asasi, 2024, ../etc]\n---\n")
    assert claim.topics == ("senjata", "2024")
    assert found == [
        "content/claims/x.md:3: topic 'Hak Asasi' is not a valid SLUG: use lowercase letters, digits and hyphens "
        "(like 'hak-asasi')",
        "content/claims/x.md:3: topic '../etc' is not a valid SLUG: use lowercase letters, digits and hyphens "
        "(like 'etc')"]
    claim, found = alone("content/claims/x.md", "---\ntitle: X\ntopics: senjata\nrelated: y\naliases: [lama, 7]\n---\n")
    assert found == [] and (claim.topics, claim.related, claim.aliases) == (("senjata",), ("y",), ("lama", "7"))


@pytest.mark.parametrize("value, shown", [
    ("ya", "'ya'"), ("1", "1"), ("[true]", "a list"), ("{a: 1}", "a mapping"), ("1.5", "1.5"), ("'x'", "'x'"),
    ("'" + "a" * 100 + "'", "'" + "a" * 76 + "..."), ("1" * 90, "1" * 77 + "...")])
def test_draft_must_be_true_or_false_and_the_value_is_shown_short(value, shown):
    outlet, found = alone("content/outlets/x.yaml", f"name: X\ndraft: {value}\n")
    assert found == [f"content/outlets/x.yaml:2: 'draft' must be true or false: {shown}"] and outlet.draft is False


def test_a_web_address_must_be_http_or_https():
    for url in ["javascript:alert(1)", "www.x.com", "https://", "ftp://x.y", "https:// x.y", "http:/x.y"]:
        outlet, found = alone("content/outlets/x.yaml", f"name: X\nurl: '{url}'\n")
        assert found == [f"content/outlets/x.yaml:2: 'url' must be an http:// or https:// address: {url!r}"], url
        assert outlet.url == ""
    for url in ["https://x.y", "HTTP://X.Y/a?b#c", "https://x.y:8080"]:
        assert alone("content/outlets/x.yaml", f"name: X\nurl: '{url}'\n")[0].url == url


@pytest.mark.parametrize("value, message", [
    ("2024-06-19", None), ("2024-06", None), (" 2024-06-19 ", None),
    ("2024-6-19", "'published' must be a date, YYYY-MM-DD or YYYY-MM: '2024-6-19'"),
    ("2024-06-19x", "'published' must be a date, YYYY-MM-DD or YYYY-MM: '2024-06-19x'"),
    ("2024", "'published' must be a date, YYYY-MM-DD or YYYY-MM: '2024'"),
    ("[2024]", "'published' must be a date, YYYY-MM-DD or YYYY-MM: 'list'"),
    ("2024-00", "impossible date '2024-00' in 'published'"),
    ("2024-02-30", "impossible date '2024-02-30' in 'published'")])
def test_published_is_a_day_or_a_month(value, message):
    text = f"---\ntitle: X\noutlet: o\npublished: {value}\n---\nTeks.\n"
    article, found = alone("content/articles/x.md", text)
    assert found == ([f"content/articles/x.md:4: {message}"] if message else [])
    if message is None:
        assert article.published.iso == value.strip()
    else:
        assert article.published == load.UNKNOWN_DATE, "kept for link's checks, never published"


def test_an_article_carries_its_fields_and_its_passages_in_reading_order():
    titles = {"korea-utara-memasok-senjata": "Korea Utara memasok senjata", "sanksi-dilanggar": "Sanksi"}
    text = BASE[ARTICLE].replace("authors: [Tiara Shelavy]", "authors: [Tiara Shelavy]\nurl: https://t.co/a\n"
                                                              "note: Dipersingkat.\nlanguage: en")
    article, found = alone(ARTICLE, text + "\nLihat [klaim](/claims/sanksi-dilanggar/).\n", titles)
    assert found == []
    assert (article.slug, article.title, article.outlet, article.published, article.url, article.authors,
            article.language, article.note, article.draft) == (
        "putin-di-pyongyang", "Putin dan Kim bertemu di Pyongyang", "tribunnews", Date(2024, 6, 19),
        "https://t.co/a", ("Tiara Shelavy",), "en", "Dipersingkat.", False)
    assert article.src == Src(ARTICLE, 2) and article.lines["annotations"] == 9
    anns = article.annotations
    assert [(a.claim, a.asserts, a.denies, a.number, a.stance, str(a.src)) for a in anns] == [
        ("korea-utara-memasok-senjata", (), ("korea-utara", "rusia"), 1, "denies", f"{ARTICLE}:14"),
        ("sanksi-dilanggar", (), (), 2, "mentions", f"{ARTICLE}:17"),
        ("korea-utara-memasok-senjata", ("antony-blinken",), (), 3, "asserts", f"{ARTICLE}:10")]
    assert anns[2].id == "blinken-amunisi" and anns[2].lines == {"claim": 10, "quote": 11, "asserts": 12, "id": 13}
    assert anns[0].id == passage_anchor("korea-utara-memasok-senjata", "Baik Pyongyang maupun Moskow membantah klaim",
                                        None)
    assert (anns[0].exact, anns[0].prefix, anns[0].suffix) == (
        "Baik Pyongyang maupun Moskow membantah klaim", "a Kim Jong Un bertemu hari ini. ",
        " bahwa transfer senjata Korea Ut")
    assert anns[2].quote == "Korea Utara memasok sejumlah besar amunisi dan senjata lainnya ke Rusia"
    assert article.text.startswith("Presiden Rusia Vladimir Putin") and "<" not in article.text
    assert 'title="Korea Utara memasok senjata"' in article.body and 'href="../../claims/sanksi-dilanggar/"' in article.body
    assert article.links == (("/claims/sanksi-dilanggar/", 27),)
    assert alone(ARTICLE, BASE[ARTICLE], language="ms")[0].language == "ms", "the site's language by default"


def test_quote_problems_say_what_was_found():
    text = ("---\ntitle: X\noutlet: o\npublished: 2024-01-01\nannotations:\n{}---\n"
            "Moskow membantah klaim itu. Moskow membantah lagi. Kata Lavrov, Rusia tidak membeli senjata.\n")
    quote = "Rusia tidak membeli senjata dari Korea Utara sama sekali, kata juru bicara itu kepada wartawan di Moskow"
    assert problems("content/articles/x.md", text.format(
        "  - claim: a\n    quote: Moskow membantah\n"
        "  - claim: b\n    quote: Moskow membantah\n    occurrence: 3\n"
        "  - claim: c\n    quote: Moskwa membantah klaim\n"
        "  - claim: d\n    quote: zzzz qqqq\n"
        f"  - claim: e\n    quote: {quote}\n"
        "  - claim: f\n    quote: Moskow membantah\n    occurrence: 2\n")) == [
        "content/articles/x.md:7: ambiguous quote, found 2 times in the article's text: 'Moskow membantah' "
        "(quote more of the passage, or add 'occurrence: N' to pick one)",
        "content/articles/x.md:9: 'occurrence: 3' asked, but the quote is found 2 times: 'Moskow membantah'",
        "content/articles/x.md:12: quote not found in the article's text: 'Moskwa membantah klaim' "
        "(closest passage: 'Moskow membantah klaim')",
        "content/articles/x.md:14: quote not found in the article's text: 'zzzz qqqq'",
        f"content/articles/x.md:16: quote not found in the article's text: {quote[:87] + '...'!r}"]
    exactly_90 = "Moskow membantah klaim itu. " + "x" * 62
    assert f"{exactly_90!r}" in problems("content/articles/x.md", text.format(
        f"  - claim: a\n    quote: {exactly_90}\n"))[0], "90 characters are shown whole"


def test_annotation_mistakes_skip_the_annotation_and_keep_the_others():
    text = ("---\ntitle: X\noutlet: o\npublished: 2024-01-01\nannotations:\n{}---\nSatu dua tiga empat lima enam.\n")
    article, found = alone("content/articles/x.md", text.format(
        "  - claim: a\n    quote: satu\n    occurrence: true\n"
        "  - claim: a\n    quote: dua\n    occurrence: -1\n"
        "  - claim: a\n    quote: tiga\n    id: Tiga\n"
        "  - claim: a\n    quote: empat\n    id: x\n"
        "  - claim: a\n    quote: lima\n    id: x\n"
        "  - claim: a\n    quote: enam\n    occurrence: 1\n"
        "  - claim: a\n    quote: enam\n    occurrence: 1\n"
        "  - claim: a\n    quote: Satu\n    occurrence: 1\n"))
    assert found == [
        "content/articles/x.md:8: 'occurrence' must be a whole number from 1: true",
        "content/articles/x.md:11: 'occurrence' must be a whole number from 1: -1",
        "content/articles/x.md:14: 'id' must be lowercase letters, digits and hyphens: 'Tiga'",
        "content/articles/x.md:20: two annotations of this article share the anchor 'x'",
        "content/articles/x.md:25: two annotations of this article share the anchor "
        f"{passage_anchor('a', 'enam', 1)!r} (the same claim and quote twice?)"]
    assert [(a.quote, a.id, a.number) for a in article.annotations] == [
        ("Satu", passage_anchor("a", "Satu", 1), 1), ("empat", "x", 2), ("enam", passage_anchor("a", "enam", 1), 3)]


def test_a_draft_claims_passages_are_checked_but_not_marked():
    text = BASE[ARTICLE]
    article, found = alone(ARTICLE, text, hidden=frozenset({"sanksi-dilanggar"}))
    assert found == []
    assert 'data-claim="sanksi-dilanggar"' not in article.body and 'data-claim="korea-utara-memasok-senjata"' in article.body
    assert [(a.id, a.number) for a in article.annotations if a.claim != "sanksi-dilanggar"] == [
        (passage_anchor("korea-utara-memasok-senjata", "Baik Pyongyang maupun Moskow membantah klaim", None), 1),
        ("blinken-amunisi", 2)], "the shown passages are numbered 1, 2 as the reader sees them"
    broken = text.replace("quote: transfer senjata Korea Utara", "quote: transfer senjata Korea Selatan")
    assert alone(ARTICLE, broken, hidden=frozenset({"sanksi-dilanggar"}))[1][0].startswith(
        f"{ARTICLE}:15: quote not found"), "a draft's quote is still checked"


def test_a_renamed_claim_keeps_the_passage_anchors_it_had():
    article, _ = alone(ARTICLE, BASE[ARTICLE], renamed={"sanksi-dilanggar": ("sanksi-lama", "sanksi-tua")})
    ann = next(a for a in article.annotations if a.claim == "sanksi-dilanggar")
    quote = "transfer senjata Korea Utara akan melanggar beberapa sanksi"
    assert ann.also == (passage_anchor("sanksi-lama", quote, None), passage_anchor("sanksi-tua", quote, None))
    assert all(f'id="{old}"' in article.body for old in ann.also)
    assert next(a for a in article.annotations if a.id == "blinken-amunisi").also == (), "a chosen id is kept as it is"
    article, _ = alone(ARTICLE, BASE[ARTICLE], renamed={"korea-utara-memasok-senjata": ("korea-lama",)})
    assert next(a for a in article.annotations if a.id == "blinken-amunisi").also == ()


def test_a_free_page_takes_a_menu_place_and_links_one_folder_up():
    page, found = alone("content/pages/tentang.md", "---\ntitle: Tentang\nmenu: 2\n---\n\n[Klaim](/claims/x/)\n")
    assert found == [] and (page.slug, page.title, page.menu, page.draft) == ("tentang", "Tentang", 2, False)
    assert 'href="../claims/x/"' in page.body and page.links == (("/claims/x/", 6),) and page.src.line == 2
    assert alone("content/pages/tentang.md", "---\ntitle: Tentang\n---\n")[0].menu is None
    for menu, shown in [("dua", "'dua'"), ("true", "true"), ("1.5", "1.5")]:
        page, found = alone("content/pages/tentang.md", f"---\ntitle: Tentang\nmenu: {menu}\n---\n")
        assert found == [f"content/pages/tentang.md:3: 'menu' must be a whole number: {shown}"] and page.menu is None


@pytest.mark.parametrize("name", ["claims", "pagefind", "search", "404", "css"])
def test_a_page_cannot_take_the_sites_own_addresses(name):
    assert problems(f"content/pages/{name}.md", "---\ntitle: X\n---\n") == [
        f"content/pages/{name}.md:1: the page name {name!r} is taken by the site's own pages: choose another file name"]


def test_raw_html_is_kept_only_when_the_site_trusts_it():
    text = "---\ntitle: X\n---\n<b onclick='x()'>tebal</b>\n"
    assert "onclick" not in alone("content/claims/x.md", text)[0].body
    assert "onclick" in alone("content/claims/x.md", text, trusted_html=True)[0].body
    assert "onclick" in alone("content/pages/x.md", text, trusted_html=True)[0].body
    article = "---\ntitle: X\noutlet: o\npublished: 2024-01-01\n---\n<b onclick='x()'>tebal</b>\n"
    assert "onclick" in alone("content/articles/x.md", article, trusted_html=True)[0].body
    assert "onclick" not in alone("content/articles/x.md", article)[0].body


def test_text_markdown_cannot_take_is_an_error_at_the_body_and_the_next_file_renders(markdown_gives_up):
    deep = "---\ntitle: X\n---\n\n" + markdown_gives_up + "\n"
    claim, found = alone("content/claims/x.md", deep)
    assert found == ["content/claims/x.md:4: the text nests emphasis, lists or quotes too deeply to be read "
                     "(thousands of '*', '>' or indents in a row?)"] and claim.body == ""
    assert "<em>ok</em>" in alone("content/claims/y.md", "---\ntitle: Y\n---\n*ok*\n")[0].body


# -- YAML ------------------------------------------------------------------------------------------------------

MAPPING_HINT = " (a value that contains ': ' must be put in quotes: key: \"a: b\"; or check the indentation)"
BRACKET_HINT = " (check the indentation, and brackets or quotes that open but do not close)"


@pytest.mark.parametrize("text, line, message", [
    ("name: a: b\n", 1, "mapping values are not allowed in this context" + MAPPING_HINT),
    ("name: X\nkind: a\n  b: c\n", 3, "mapping values are not allowed in this context" + MAPPING_HINT),
    ("name: X\n\tkind: person\n", 2, "found a tab character that violates indentation (indent with spaces, not tabs)"),
    ("name: \"X\nkind: person\n", 1, "found unexpected end of stream (a quote opens here and never closes)"),
    ("name: 'X\n", 1, "found unexpected end of stream (a quote opens here and never closes)"),
    ("name: X\naliases: [a, b\nkind: person\n", 2, "did not find expected ',' or ']'" + BRACKET_HINT),
    ("name: [a\n", 1, "did not find expected ',' or ']'" + BRACKET_HINT),
    ("a: {b: 1\n", 1, "did not find expected ',' or '}'" + BRACKET_HINT),
    ("name: [a, {b: c]\n", 1, "did not find expected ',' or '}'" + BRACKET_HINT),
    ("name: X\n- a\n", 2, "did not find expected key" + BRACKET_HINT),
    ("- [- [- []]]", 1, "did not find expected node content" + BRACKET_HINT),
    ("name: X\nkind\nrole: y\n", 2, "could not find expected ':'"),
    ("name: X\nkind: @x\n", 2, "found character that cannot start any token"),
])
def test_a_yaml_mistake_is_reported_where_it_is_with_a_hint(text, line, message):
    assert problems("content/actors/x.yaml", text) == [f"content/actors/x.yaml:{line}: malformed YAML: {message}"]


def test_a_yaml_mistake_in_front_matter_counts_lines_from_the_file():
    assert problems("content/claims/x.md", "---\ntitle: X\nsummary: a: b\n---\n") == [
        "content/claims/x.md:3: malformed YAML: mapping values are not allowed in this context" + MAPPING_HINT]
    assert problems("content/claims/x.md", "---\ntitle: X\nsummary: \"a\n---\nTeks.\n")[0].startswith(
        "content/claims/x.md:3: malformed YAML: found unexpected end of stream")


def test_yaml_aliases_and_deep_nesting_are_refused_at_their_field():
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nname: X\nkind: person\n"
    assert problems("content/actors/x.yaml", bomb) == [
        "content/actors/x.yaml:2: YAML aliases (*name) and nesting deeper than 32 levels are not allowed in content: "
        "write the value out"]
    assert problems("content/actors/x.yaml", "name: &n X\nkind: person\nrole: *n\n") == [], "a repeated text is fine"
    deep = "name: X\nkind: person\nrole: " + "[" * 32 + "]" * 32 + "\n"
    assert problems("content/actors/x.yaml", deep)[0].startswith("content/actors/x.yaml:3: 'role' must be text")
    deeper = "name: X\nkind: person\nrole: " + "[" * 33 + "]" * 33 + "\n"
    assert problems("content/actors/x.yaml", deeper) == [
        "content/actors/x.yaml:3: YAML aliases (*name) and nesting deeper than 32 levels are not allowed in content: "
        "write the value out"]
    assert problems("content/actors/x.yaml", "- " + "[" * 3 + "]" * 3) == [
        "content/actors/x.yaml:1: expected a mapping of fields, found list"]
    assert problems("content/actors/x.yaml", "- &a [x]\n- *a\n") == [
        "content/actors/x.yaml:1: YAML aliases (*name) and nesting deeper than 32 levels are not allowed in content: "
        "write the value out"]


def test_yaml_that_cannot_be_read_is_one_problem_never_a_crash():
    assert problems("content/actors/x.yaml", "name: X\nkind: person\nrole: " + "9" * 5000 + "\n") == [
        "content/actors/x.yaml:3: 'role' cannot be read: Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 5000 digits"]
    assert problems("content/actors/x.yaml", "name: X\n? " + "9" * 5000 + "\n: 1\n") == [
        "content/actors/x.yaml:1: malformed YAML: Exceeds the limit (4300 digits) for integer string conversion: "
        "value has 5000 digits"]
    assert problems("content/actors/x.yaml", "[" * 100000) == [
        "content/actors/x.yaml:1: malformed YAML: exceeded maximum nesting depth"]
    assert problems("content/actors/x.yaml", "name: \x00\n")[0].startswith("content/actors/x.yaml:1: malformed YAML: ")


def test_a_file_of_comments_only_has_missing_fields_not_a_lost_file():
    outlet, found = alone("content/outlets/x.yaml", "# nothing yet\n")
    assert found == ["content/outlets/x.yaml:1: missing required field 'name'"] and outlet is not None
    claim, found = alone("content/claims/x.md", "---\n---\nTeks.\n")
    assert found == ["content/claims/x.md:2: missing required field 'title'"] and claim is not None
    claim, found = alone("content/claims/x.md", "---\n# belum\n---\nTeks.\n")
    assert found == ["content/claims/x.md:2: missing required field 'title'"]


def test_keys_that_are_not_text_are_read_as_text():
    fields = parse_yaml("1: a\ntrue: b\nname: c\n", "x.yaml", 1, [])
    assert dict(fields) == {"1": "a", "True": "b", "name": "c"} and fields.lines == {"1": 0, "True": 1, "name": 2}


def test_dates_stay_as_written_for_our_own_check():
    assert parse_yaml("published: 2024-06-19\n", "x", 1, [])["published"] == "2024-06-19"


@pytest.mark.parametrize("text, body, line", [
    ("---\ntitle: X\n---\nTeks.\n", "Teks.\n", 4),
    ("---  \r\ntitle: X\r\n---\t\r\nTeks.\r\n", "Teks.\r\n", 4),
    ("---\ntitle: X\nsummary: |\n  a\n  b\n---", "", 6),
    ("---\ntitle: X\n---\n---\nTeks.\n", "---\nTeks.\n", 4),
    ("---\n---\nTeks.\n", "Teks.\n", 3),
])
def test_front_matter_ends_at_its_closing_line(text, body, line):
    found = []
    fields, rest, at = split_front_matter(text, "content/claims/x.md", found)
    assert (rest, at, found) == (body, line, [])
    assert fields.get("title", "X") == "X"


@pytest.mark.parametrize("text", ["title: X\n---\n", "---\ntitle: X\n", "--- \ntitle: X\n--\n", " ---\ntitle: X\n---\n",
                                  "---title: X\n---\n"])
def test_no_front_matter_is_one_problem_at_line_one(text):
    found = []
    assert split_front_matter(text, "content/claims/x.md", found) == (None, text, 1)
    assert [str(p) for p in found] == ["content/claims/x.md:1: no front matter: the file must start with a '---' line "
                                       "and the fields must end with another '---' line"]


# -- the whole folder -----------------------------------------------------------------------------------------

SMALL = {
    "site.toml": BASE["site.toml"],
    "content/outlets/antara.yaml": BASE["content/outlets/antara.yaml"],
    "content/outlets/tribunnews.yml": BASE["content/outlets/tribunnews.yaml"],
    "content/outlets/README.txt": "not content",
    "content/actors/rusia.yaml": "name: Rusia\nkind: government\n",
    "content/actors/korea-utara.yml": "name: Korea Utara\nkind: government\n",
    "content/claims/sanksi-dilanggar.md": "---\ntitle: Transfer senjata melanggar sanksi PBB\ndraft: true\n---\n",
    "content/claims/korea-utara-memasok-senjata.md": BASE[CLAIM],
    "content/claims/notes.txt": "not content",
    "content/pages/tentang.md": "---\ntitle: Tentang\n---\nKami.\n",
    "content/articles/putin-di-pyongyang.md": BASE[ARTICLE],
}


def small_site(tmp_path, files=None):
    root = make_site(tmp_path / "site", {**SMALL, **(files or {})}, base=None)
    return root, load_config(root)


def test_a_content_folder_loads_every_kind_sorted_by_file_name(tmp_path):
    root, config = small_site(tmp_path)
    loaded = load_content(root, config, jobs=1)
    assert loaded.problems == () and loaded.unreadable == frozenset() and loaded.drafts is False
    assert [o.slug for o in loaded.outlets] == ["antara", "tribunnews"], ".yml too; other files are not content"
    assert [a.slug for a in loaded.actors] == ["korea-utara", "rusia"]
    assert [c.slug for c in loaded.claims] == ["korea-utara-memasok-senjata", "sanksi-dilanggar"]
    assert [p.slug for p in loaded.pages] == ["tentang"] and [a.slug for a in loaded.articles] == ["putin-di-pyongyang"]
    article = loaded.articles[0]
    assert 'data-claim="sanksi-dilanggar"' not in article.body, "a draft claim's passage is not marked in a build"
    assert 'title="Korea Utara memasok senjata ke Rusia"' in article.body, "markers carry the claim's title"
    with_drafts = load_content(root, config, jobs=1, drafts=True)
    assert with_drafts.drafts is True and 'data-claim="sanksi-dilanggar"' in with_drafts.articles[0].body


def test_a_renamed_claims_old_anchors_reach_the_articles(tmp_path):
    root, config = small_site(tmp_path, {
        "content/claims/sanksi-dilanggar.md": "---\ntitle: Sanksi\naliases: [sanksi-lama]\n---\n"})
    article = load_content(root, config, jobs=1).articles[0]
    quote = "transfer senjata Korea Utara akan melanggar beberapa sanksi"
    assert next(a for a in article.annotations if a.claim == "sanksi-dilanggar").also == (
        passage_anchor("sanksi-lama", quote, None),)


def test_a_file_that_cannot_be_read_is_one_problem_and_no_follow_on_errors(tmp_path):
    root, config = small_site(tmp_path)
    (root / "content/actors/rusia.yaml").write_bytes(b"name: R\xfasia\nkind: government\n")
    (root / "content/claims/rusak.md").write_text("no front matter", "utf-8")
    (tmp_path / "secret.md").write_text("---\ntitle: X\n---\n", "utf-8")
    (root / "content/pages/rahasia.md").symlink_to(tmp_path / "secret.md")
    loaded = load_content(root, config, jobs=1)
    assert [str(p) for p in loaded.problems] == [
        "content/actors/rusia.yaml:1: not UTF-8: byte 0xfa cannot be read (save the file as UTF-8)",
        "content/claims/rusak.md:1: no front matter: the file must start with a '---' line and the fields must end "
        "with another '---' line",
        f"content/pages/rahasia.md:1: a symbolic link to {tmp_path / 'secret.md'}, outside content/: links out of the "
        "site are not followed; copy the file into content/ instead"]
    assert loaded.unreadable == frozenset({"actors/rusia", "claims/rusak", "pages/rahasia"})
    assert [a.slug for a in loaded.actors] == ["korea-utara"]


def test_a_missing_content_folder_is_no_content_not_a_crash(tmp_path):
    root, config = small_site(tmp_path)
    for kind in ("outlets", "actors", "pages"):
        for f in (root / "content" / kind).iterdir():
            f.unlink()
        (root / "content" / kind).rmdir()
    (root / "content/actors").write_text("a file, not a folder", "utf-8")
    loaded = load_content(root, config, jobs=1)
    assert (loaded.outlets, loaded.actors, loaded.pages) == ((), (), ()) and len(loaded.claims) == 2


def test_the_previews_cache_spares_unchanged_files_and_rereads_changed_ones(tmp_path, monkeypatch):
    root, config = small_site(tmp_path)
    cache: dict = {}
    first = load_content(root, config, jobs=1, cache=cache)
    read = []
    real = load.read_file_text
    monkeypatch.setattr(load, "read_file_text", lambda path, *a, **k: read.append(path.name) or real(path, *a, **k))
    again = load_content(root, config, jobs=1, cache=cache)
    assert read == [] and again == first
    rusia = root / "content/actors/rusia.yaml"
    rusia.write_text("name: Rusia Raya\nkind: government\n", "utf-8")
    os.utime(rusia, ns=(1, 1))
    third = load_content(root, config, jobs=1, cache=cache)
    assert read == ["rusia.yaml"] and [a.name for a in third.actors] == ["Korea Utara", "Rusia Raya"]
    (root / "content/claims/korea-utara-memasok-senjata.md").unlink()
    fourth = load_content(root, config, jobs=1, cache=cache)
    assert [c.slug for c in fourth.claims] == ["sanksi-dilanggar"], "a deleted file is gone, cache or not"
    assert 'title="Korea Utara memasok senjata ke Rusia"' not in fourth.articles[0].body, "its title with it"


def test_told_what_was_saved_the_preview_looks_at_those_files_alone_and_misses_nothing_they_say(tmp_path):
    """The preview's load after a save: the paths the watcher reported are looked at again (edited, added,
    removed, a folder replaced), every other file is taken as it was; `missed_saves` finds what it did not say."""
    root, config = small_site(tmp_path)
    cache: dict = {}
    every = {f"content/{p.relative_to(root / 'content').as_posix()}" for p in (root / "content").glob("*/*.*")
             if p.suffix in (".md", ".yaml", ".yml")}
    assert load.missed_saves(root, cache) == every, "before any load, every file is new"
    load_content(root, config, jobs=1, cache=cache)
    rusia, korea = root / "content/actors/rusia.yaml", root / "content/actors/korea-utara.yml"
    rusia.write_text("name: Rusia Raya\nkind: government\n", "utf-8")
    korea.write_text("name: Korea Utara Raya\nkind: government\n", "utf-8")
    (root / "content/actors/baru.yaml").write_text("name: Baru\nkind: person\n", "utf-8")
    (root / "content/actors/bukan.txt").write_text("name: Bukan\nkind: person\n", "utf-8")
    (root / "content/outlets/antara.yaml").unlink()
    (root / "content/actors/deep").mkdir()
    (root / "content/actors/deep/x.yaml").write_text("name: Dalam\nkind: person\n", "utf-8")  # not content
    told = {"content/actors/rusia.yaml", "content/actors/baru.yaml", "content/actors/bukan.txt",
            "content/outlets/antara.yaml", "site.toml", "content/actors/deep/x.yaml"}
    assert load.missed_saves(root, cache) == told - {"site.toml", "content/actors/bukan.txt",
                                                     "content/actors/deep/x.yaml"} | {"content/actors/korea-utara.yml"}
    loaded = load_content(root, config, jobs=1, cache=cache, saved=told)
    assert [a.name for a in loaded.actors] == ["Baru", "Korea Utara", "Rusia Raya"], "korea-utara.yml was not said"
    assert [o.slug for o in loaded.outlets] == ["tribunnews"]
    assert load.missed_saves(root, cache) == {"content/actors/korea-utara.yml"}
    again = load_content(root, config, jobs=1, cache=cache, saved=load.missed_saves(root, cache))
    assert again == load_content(root, config, jobs=1) and not load.missed_saves(root, cache)
    # A folder that comes or goes as a whole is listed afresh.
    (root / "content/actors").rename(root / "actors-old")
    assert load_content(root, config, jobs=1, cache=cache, saved={"content/actors"}).actors == ()
    (root / "actors-old").rename(root / "content/actors")
    back = load_content(root, config, jobs=1, cache=cache, saved={"content/"})
    assert [a.name for a in back.actors] == ["Baru", "Korea Utara Raya", "Rusia Raya"]


def test_a_claim_retitled_reloads_the_articles_that_show_its_title(tmp_path):
    root, config = small_site(tmp_path)
    cache: dict = {}
    load_content(root, config, jobs=1, cache=cache)
    claim = root / f"{CLAIM}"
    claim.write_text(BASE[CLAIM].replace("title: Korea Utara memasok senjata ke Rusia", "title: Judul baru"), "utf-8")
    article = load_content(root, config, jobs=1, cache=cache).articles[0]
    assert 'title="Judul baru"' in article.body


def test_many_articles_load_the_same_over_several_processes(tmp_path, monkeypatch):
    files = {f"content/articles/a-{n:02d}.md": BASE[ARTICLE] for n in range(11)}
    root, config = small_site(tmp_path, files)
    alone_ = load_content(root, config, jobs=1)
    monkeypatch.setattr(load, "PARALLEL_FROM", 4)
    spread = load_content(root, config, jobs=2)
    assert spread == alone_ and [a.slug for a in spread.articles] == [
        *(f"a-{n:02d}" for n in range(11)), "putin-di-pyongyang"]


def test_records_loaded_over_several_processes_are_stored_by_them_for_the_next_build(tmp_path, monkeypatch):
    from generator.cache import Cache, Fingerprints, hiding
    files = {f"content/articles/a-{n:02d}.md": BASE[ARTICLE].replace("Putin", f"Putin {n}") for n in range(11)}
    root, config = small_site(tmp_path, files)
    monkeypatch.setattr(load, "PARALLEL_FROM", 4)
    store = Cache(tmp_path / "cache")
    first = load_content(root, config, jobs=2, store=store)
    assert store.hits == 0 and store.misses >= 12 and store.problems == []
    again = Cache(tmp_path / "cache")
    assert load_content(root, config, jobs=2, store=again) == first
    assert again.hits == store.misses and again.misses == 0, "every record the workers loaded, they stored"
    fresh = Fingerprints(hiding(()))
    for article in first.articles:  # the fingerprint without words each worker gave is the one made here
        assert store.shapes.of(article) == fresh.of(article)


def test_the_build_cache_gives_back_what_was_loaded(tmp_path):
    from generator.cache import Cache
    root, config = small_site(tmp_path)
    store = Cache(tmp_path / "cache")
    first = load_content(root, config, jobs=1, store=store)
    assert store.hits == 0 and store.misses > 0
    misses = store.misses
    again = load_content(root, config, jobs=1, store=Cache(tmp_path / "cache"))
    assert again == first
    store = Cache(tmp_path / "cache")
    load_content(root, config, jobs=1, store=store)
    assert store.hits == misses and store.misses == 0
    (root / "content/actors/rusia.yaml").write_text("name: Rusia Raya\nkind: government\n", "utf-8")
    store = Cache(tmp_path / "cache")
    changed = load_content(root, config, jobs=1, store=store)
    assert store.misses == 1 and [a.name for a in changed.actors] == ["Korea Utara", "Rusia Raya"]


# -- more of what each kind of file reports, and where -----------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("name: X\naliases: {a: 1\nkind: person\n", "2: malformed YAML: did not find expected ',' or '}' (check the "
                                                "indentation, and brackets or quotes that open but do not close)"),
    ("name: X\nkind: [a,\n", "2: malformed YAML: did not find expected node content (check the indentation, and "
                             "brackets or quotes that open but do not close)"),  # found past the last line
    ('name: "a\\qb"\n', "1: malformed YAML: found unknown escape character"),  # in quotes, but not left open
    ("name: [a,\n", "1: malformed YAML: did not find expected node content (check the indentation, and brackets or "
                     "quotes that open but do not close)"),  # past the end of a one-line file: its only line
    ("name: X\n---\nkind: Y\n", "2: malformed YAML: but found another document"),
])
def test_more_yaml_mistakes_point_at_the_line_to_fix(text, message):
    assert problems("content/actors/x.yaml", text) == [f"content/actors/x.yaml:{message}"]


def test_yaml_mistakes_get_the_same_hints_without_the_c_yaml_library():
    import yaml
    for text, message in [("name: X\n- a\n", "x.yaml:2: malformed YAML: expected <block end>, but found '-' (check "
                                                "the indentation, and brackets or quotes that open but do not close)"),
                          ("name: a: b\n", "x.yaml:1: malformed YAML: mapping values are not allowed here (a value "
                                           "that contains ': ' must be put in quotes: key: \"a: b\"; or check the "
                                           "indentation)"),
                          ("name: X\n\tkind: person\n", "x.yaml:2: malformed YAML: found character '\\t' that cannot "
                                                        "start any token (indent with spaces, not tabs)")]:
        with pytest.raises(yaml.MarkedYAMLError) as e:
            yaml.load(text, Loader=yaml.SafeLoader)  # the pure-Python parser, where libyaml is not installed
        assert str(fields._yaml_problem(e.value, text, "x.yaml", 1)) == message


@pytest.mark.parametrize("kind, name", [("outlets", "BBC News.yaml"), ("actors", "Jake Sullivan.yml")])
def test_a_yaml_file_with_a_bad_name_is_still_read(kind, name):
    record, found = alone(f"content/{kind}/{name}", "name: X\nkind: person\n" if kind == "actors" else "name: X\n")
    assert record is not None and record.name == "X"
    stem = name.rsplit(".", 1)[0]
    assert found == [f"content/{kind}/{name}:1: the file name {stem!r} is not a valid SLUG: use lowercase letters, "
                     f"digits and hyphens (like {stem.lower().replace(' ', '-')!r})"]


@pytest.mark.parametrize("kind", ["outlets", "actors"])
def test_a_yaml_file_that_cannot_be_parsed_gives_no_record(kind):
    record, found = alone(f"content/{kind}/x.yaml", "name: X\nrole: a: b\n")
    assert record is None and found == [f"content/{kind}/x.yaml:2: malformed YAML: mapping values are not allowed in "
                                         "this context" + MAPPING_HINT]


def test_actors_and_pages_can_be_drafts():
    assert alone("content/actors/x.yaml", "name: X\nkind: person\ndraft: true\n")[0].draft is True
    assert alone("content/pages/x.md", "---\ntitle: X\ndraft: true\n---\n")[0].draft is True
    assert alone("content/articles/x.md", "---\ntitle: X\noutlet: o\npublished: 2024-01\ndraft: true\n---\n")[0].draft


def test_a_page_file_reports_its_mistakes_at_its_path(markdown_gives_up):
    assert problems("content/pages/tentang.md", "Tentang kami.\n") == [
        "content/pages/tentang.md:1: no front matter: the file must start with a '---' line and the fields must end "
        "with another '---' line"]
    assert problems("content/pages/Tentang Kami.md", "---\ntitle: X\n---\n")[0].startswith(
        "content/pages/Tentang Kami.md:1: the file name 'Tentang Kami' is not a valid SLUG")
    assert problems("content/pages/tentang.md", "---\ntitle: X\n---\n\n" + markdown_gives_up + "\n") == [
        "content/pages/tentang.md:4: the text nests emphasis, lists or quotes too deeply to be read (thousands of "
        "'*', '>' or indents in a row?)"]
    page, _ = alone("content/pages/tentang.md", "---\ntitle: Tentang\nmenu: 2\n---\n")
    assert page.lines == {"title": 2, "menu": 3}


@pytest.mark.parametrize("length", [80, 81])
def test_a_long_value_is_shown_whole_up_to_80_characters(length):
    value = "x" * (length - 2)  # its repr has the quotes: `length` characters
    found = problems("content/outlets/x.yaml", f"name: X\ndraft: {value}\n")
    shown = repr(value) if length <= 80 else repr(value)[:77] + "..."
    assert found == [f"content/outlets/x.yaml:2: 'draft' must be true or false: {shown}"]


@pytest.mark.parametrize("length", [90, 91])
def test_a_quote_not_found_is_shown_whole_up_to_90_characters(length):
    quote = ("Moskow membantah klaim itu " * 4)[:length - 1] + "z"
    found = problems("content/articles/x.md", f"---\ntitle: X\noutlet: o\npublished: 2024-01\nannotations:\n"
                                              f"  - claim: a\n    quote: {quote}\n---\nTeks.\n")
    shown = quote if length <= 90 else quote[:87] + "..."
    assert found == [f"content/articles/x.md:7: quote not found in the article's text: {shown!r}"]


def test_the_build_cache_is_kept_apart_by_file_and_by_settings(tmp_path, monkeypatch):
    from dataclasses import replace

    from generator.cache import Cache
    root, config = small_site(tmp_path, {"content/actors/rusia-2.yaml": "name: Rusia\nkind: government\n",
                                         "content/pages/tentang.md": "---\ntitle: T\n---\n<b onclick='x()'>b</b>\n"})
    first = load_content(root, config, jobs=1, store=Cache(tmp_path / "cache"))
    assert [a.slug for a in first.actors] == ["korea-utara", "rusia-2", "rusia"], "the same text in two files: two"
    loaded = []
    real = load._load_chunk
    monkeypatch.setattr(load, "_load_chunk", lambda loader, chunk, *a: loaded.extend(chunk) or real(loader, chunk, *a))
    again = load_content(root, config, jobs=1, store=Cache(tmp_path / "cache"))
    assert again == first and loaded == [], "nothing loaded again: all from the cache"
    trusted = load_content(root, replace(config, trusted_html=True), jobs=1, store=Cache(tmp_path / "cache"))
    assert "onclick" in trusted.pages[0].body and "onclick" not in first.pages[0].body, "other settings, other entries"


# -- anchors, once published, never change; and what each passage's mark and number carry ------------------------

def test_passage_anchors_stay_what_they_were_published_as():
    assert passage_anchor("korea-utara-memasok-senjata", "Baik Pyongyang maupun Moskow", None) == (
        "korea-utara-memasok-senjata-3a4c08")
    assert passage_anchor("korea-utara-memasok-senjata", "Baik Pyongyang maupun Moskow", 2) == (
        "korea-utara-memasok-senjata-a2a308")
    assert passage_anchor("presiden-rusia-vladimir-putin-bertemu-pemimpin-korea-utara", "Kim", None) == (
        "presiden-rusia-vladimir-putin-bertemu-pemimpin-k-b93630"), "a long claim is cut at 48 characters"
    assert passage_anchor("kim-jong-un-dan-vladimir-putin-bertemu-di-pyong-yang-juni", "Kim", None) == (
        "kim-jong-un-dan-vladimir-putin-bertemu-di-pyong-cb8a9b"), "never a double hyphen where the cut falls on one"


def test_a_renamed_claims_old_anchor_keeps_the_occurrence():
    text = ("---\ntitle: X\noutlet: o\npublished: 2024-01\nannotations:\n  - claim: baru\n    quote: Moskow membantah\n"
            "    occurrence: 2\n---\nMoskow membantah. Moskow membantah lagi.\n")
    article, _ = alone("content/articles/x.md", text, renamed={"baru": ("lama",)})
    assert article.annotations[0].also == (passage_anchor("lama", "Moskow membantah", 2),)


def test_each_mark_and_number_carries_the_stance_the_claim_page_and_its_title():
    text = ("---\ntitle: X\noutlet: o\npublished: 2024-01\nannotations:\n"
            "  - claim: a\n    quote: satu\n    asserts: [x]\n  - claim: b\n    quote: dua\n    denies: [y]\n"
            "  - claim: c\n    quote: tiga\n    asserts: [x]\n    denies: [y]\n  - claim: d\n    quote: empat\n"
            "---\nsatu dua tiga empat\n")
    article, found = alone("content/articles/x.md", text, titles={"a": "Klaim A", "b": "Klaim B", "c": "Klaim C"})
    assert found == []
    soup = BeautifulSoup(article.body, "html.parser")
    assert [(m["data-claim"], m["class"][1]) for m in soup.find_all("mark")] == [
        ("a", "ann-asserts"), ("b", "ann-denies"), ("c", "ann-both"), ("d", "ann-mentions")]
    assert [(a["href"], a["title"]) for a in soup.select("sup.ann-ref a")] == [
        ("../../claims/a/", "Klaim A"), ("../../claims/b/", "Klaim B"), ("../../claims/c/", "Klaim C"),
        ("../../claims/d/", "")], "a claim not (yet) loaded: no title, never a made-up one"


def test_an_article_file_reports_its_mistakes_at_its_path(markdown_gives_up):
    assert problems("content/articles/Putin Kim.md", "---\ntitle: X\noutlet: o\npublished: 2024-01\n---\n")[0] == (
        "content/articles/Putin Kim.md:1: the file name 'Putin Kim' is not a valid SLUG: use lowercase letters, "
        "digits and hyphens (like 'putin-kim')")
    assert problems("content/articles/x.md", "Putin dan Kim.\n") == [
        "content/articles/x.md:1: no front matter: the file must start with a '---' line and the fields must end "
        "with another '---' line"]
    deep = "---\ntitle: X\noutlet: o\npublished: 2024-01\nannotations:\n  - claim: a\n    quote: x\n---\n" + markdown_gives_up + "\n"
    for hidden in (frozenset(), frozenset({"a"})):
        found = problems("content/articles/x.md", deep, hidden=hidden)
        assert ("content/articles/x.md:9: the text nests emphasis, lists or quotes too deeply to be read "
                "(thousands of '*', '>' or indents in a row?)") in found, hidden


def test_a_trusted_sites_article_keeps_its_html_when_a_draft_claims_passage_is_unmarked():
    text = ("---\ntitle: X\noutlet: o\npublished: 2024-01\nannotations:\n  - claim: a\n    quote: satu\n---\n"
            "<b onclick='x()'>satu</b> dua\n")
    article, _ = alone("content/articles/x.md", text, trusted_html=True, hidden=frozenset({"a"}))
    assert "onclick" in article.body and "<mark" not in article.body


def test_a_trusted_converter_is_made_trusted(monkeypatch):
    monkeypatch.setattr(load, "_RENDERERS", {})  # as in a fresh process: the converters are made on first use
    assert "onclick" in alone("content/claims/x.md", "---\ntitle: X\n---\n<b onclick='x()'>b</b>\n", trusted_html=True)[0].body
    monkeypatch.setattr(load, "_RENDERERS", {})
    assert "onclick" not in alone("content/claims/x.md", "---\ntitle: X\n---\n<b onclick='x()'>b</b>\n")[0].body


def test_a_review_date_is_a_day_not_a_month():
    assert problems("content/claims/x.md", "---\ntitle: X\nverdict: salah\nreviewed: 2024-06\n---\n") == [
        "content/claims/x.md:4: 'reviewed' must be a date, YYYY-MM-DD: '2024-06'"]


def test_a_field_that_cannot_be_read_is_one_problem():
    digits = "9" * 5000
    assert problems("content/outlets/x.yaml", f"name: X\ndraft: {digits}\n") == [
        "content/outlets/x.yaml:2: 'draft' cannot be read: Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 5000 digits"]
    assert problems("content/actors/x.yaml", f"name: X\nkind: person\nsame_as: [{digits}]\n") == [
        "content/actors/x.yaml:3: 'same_as' cannot be read: Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 5000 digits"]
    assert problems("content/actors/x.yaml", "name: X\nkind: person\n[a, b]: 1\n") == [
        "content/actors/x.yaml:3: unknown field \"['a', 'b']\""]


def test_a_list_or_mapping_where_text_belongs_leaves_the_text_empty():
    claim, found = alone("content/claims/x.md", "---\ntitle: [a, b]\nsummary: {a: 1}\n---\n")
    assert (claim.title, claim.summary) == ("", "")


def test_front_matter_yaml_errors_count_lines_from_the_file():
    assert problems("content/claims/x.md", "---\ntitle: X\nsummary: \x00\n---\n")[0].startswith(
        "content/claims/x.md:3: malformed YAML: "), "the line of the character"
    assert problems("content/claims/x.md", "---\ntitle: X\n? " + "9" * 5000 + "\n: 1\n---\n")[0].startswith(
        "content/claims/x.md:2: malformed YAML: Exceeds the limit")


def test_yaml_the_parser_cannot_follow_is_one_problem(monkeypatch):
    def too_deep(*args, **kwargs):
        raise RecursionError  # the pure-Python parser, where libyaml is not installed, recurses on deep nesting

    monkeypatch.setattr(fields._Yaml, "get_single_data", too_deep)
    assert problems("content/claims/x.md", "---\ntitle: [[[[x]]]]\n---\n") == [
        "content/claims/x.md:2: malformed YAML: nested too deeply"]


def test_an_alias_inside_a_nested_mapping_is_refused_at_its_field():
    assert problems("content/actors/x.yaml", "name: X\nkind: person\nrole:\n  a: &x [1]\n  b: *x\n") == [
        "content/actors/x.yaml:3: YAML aliases (*name) and nesting deeper than 32 levels are not allowed in content: "
        "write the value out"]


def test_a_link_not_written_as_it_reads_points_at_the_bodys_first_line():
    claim, _ = alone("content/claims/x.md", "---\ntitle: X\n---\nSatu.\n\n[a](/claims/x\\_y/)\n")
    assert claim.links == (("/claims/x_y/", 4),), "the escaped '\\_' is not found as written: the body's first line"

