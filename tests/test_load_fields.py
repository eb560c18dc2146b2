"""content/ → records: every field of every kind of file checked, each mistake at its own line (counted from 1).

A typo in a field name must never publish quietly: `verdcit: salah` is an error, not an unrated claim.
"""
from __future__ import annotations

import pytest

from conftest import ARTICLE, BASE, CLAIM, linked_site, problems_of, run_cli

A = BASE[ARTICLE]
C = BASE[CLAIM]
ACTOR = "content/actors/antony-blinken.yaml"
OUTLET = "content/outlets/antara.yaml"

# Each case: the files to change, and a line the report must show exactly (a trailing "…" allows a hint after it).
CASES = {
    # unknown fields, in every kind of file
    "unknown article field": ({ARTICLE: A.replace("outlet: tribunnews", "outlet: tribunnews\nsumber: x")},
                              f"{ARTICLE}:4: unknown field 'sumber'"),
    "unknown article field, close": ({ARTICLE: A.replace("authors:", "author:")},
                                     f"{ARTICLE}:5: unknown field 'author' (did you mean 'authors'?)"),
    "unknown annotation field": ({ARTICLE: A.replace("    id: blinken-amunisi", "    ids: blinken-amunisi")},
                                 f"{ARTICLE}:10: unknown field 'ids' in annotation 1 (did you mean 'id'?)"),
    "unknown claim field": ({CLAIM: C.replace("verdict: belum-terbukti", "verdcit: belum-terbukti")},
                            f"{CLAIM}:3: unknown field 'verdcit' (did you mean 'verdict'?)"),
    "unknown actor field": ({ACTOR: BASE[ACTOR].replace("role:", "rol:")},
                            f"{ACTOR}:3: unknown field 'rol' (did you mean 'role'?)"),
    "unknown outlet field": ({OUTLET: BASE[OUTLET].replace("country:", "contry:")},
                             f"{OUTLET}:3: unknown field 'contry' (did you mean 'country'?)"),
    # a field given twice: YAML would silently keep the last one
    "article field twice": ({ARTICLE: A.replace("authors: [Tiara Shelavy]", "authors: [Tiara Shelavy]\ntitle: Lagi")},
                            f"{ARTICLE}:6: field 'title' is given twice"),
    "annotation field twice": ({ARTICLE: A.replace("    denies: [korea-utara, rusia]",
                                                   "    denies: [korea-utara, rusia]\n    claim: sanksi-dilanggar")},
                               f"{ARTICLE}:14: field 'claim' is given twice in annotation 2"),
    "claim field twice": ({CLAIM: C.replace("summary:", "title: Lagi\nsummary:")},
                          f"{CLAIM}:5: field 'title' is given twice"),
    "actor field twice": ({ACTOR: BASE[ACTOR] + "kind: government\n"}, f"{ACTOR}:6: field 'kind' is given twice"),
    "outlet field twice": ({OUTLET: BASE[OUTLET] + "name: Antara\n"}, f"{OUTLET}:4: field 'name' is given twice"),
    # required fields
    "article without outlet": ({ARTICLE: A.replace("outlet: tribunnews\n", "")},
                               f"{ARTICLE}:2: missing required field 'outlet'"),
    "article without title": ({ARTICLE: A.replace("title: Putin dan Kim bertemu di Pyongyang\n", "")},
                              f"{ARTICLE}:2: missing required field 'title'"),
    "article without date": ({ARTICLE: A.replace("published: 2024-06-19\n", "")},
                             f"{ARTICLE}:2: missing required field 'published'"),
    "annotation without quote": ({ARTICLE: A.replace("    quote: Baik Pyongyang maupun Moskow membantah klaim\n", "")},
                                 f"{ARTICLE}:11: missing required field 'quote' in annotation 2"),
    "annotation without claim": ({ARTICLE: A.replace("  - claim: sanksi-dilanggar\n    quote:", "  - quote:")},
                                 f"{ARTICLE}:14: missing required field 'claim' in annotation 3"),
    "claim without title": ({CLAIM: C.replace("title: Korea Utara memasok senjata ke Rusia\n", "")},
                            f"{CLAIM}:2: missing required field 'title'"),
    "claim with empty title": ({CLAIM: C.replace("title: Korea Utara memasok senjata ke Rusia", "title:")},
                               f"{CLAIM}:2: missing required field 'title'"),
    "claim with a blank title": ({CLAIM: C.replace("title: Korea Utara memasok senjata ke Rusia", 'title: ""')},
                                 f"{CLAIM}:2: missing required field 'title'"),
    "outlet with a blank name": ({OUTLET: BASE[OUTLET].replace("name: ANTARA", "name: ''")},
                                 f"{OUTLET}:1: missing required field 'name'"),
    "actor without kind": ({"content/actors/rusia.yaml": "name: Rusia\n"},
                           "content/actors/rusia.yaml:1: missing required field 'kind'"),
    "actor without name": ({"content/actors/rusia.yaml": "kind: government\n"},
                           "content/actors/rusia.yaml:1: missing required field 'name'"),
    # types and values
    "title as a list": ({CLAIM: C.replace("title: Korea Utara memasok senjata ke Rusia", "title: [a, b]")},
                        f"{CLAIM}:2: 'title' must be text, not a list"),
    "summary as a mapping": ({CLAIM: C.replace("summary: Dituduh AS, dibantah Pyongyang dan Moskow.", "summary: {a: 1}")},
                             f"{CLAIM}:5: 'summary' must be text, not a mapping"),
    "authors as a mapping": ({ARTICLE: A.replace("authors: [Tiara Shelavy]", "authors: {nama: Tiara}")},
                             f"{ARTICLE}:5: 'authors' must be a list of names, like [a, b]"),
    "asserts with a nested list": ({ARTICLE: A.replace("asserts: [antony-blinken]", "asserts: [[antony-blinken]]")},
                                   f"{ARTICLE}:9: 'asserts' must be a list of names, like [a, b]"),
    "day-first date": ({ARTICLE: A.replace("published: 2024-06-19", "published: 19-06-2024")},
                       f"{ARTICLE}:4: 'published' must be a date, YYYY-MM-DD or YYYY-MM: '19-06-2024'"),
    "impossible month": ({ARTICLE: A.replace("published: 2024-06-19", "published: 2024-13")},
                         f"{ARTICLE}:4: impossible date '2024-13' in 'published'"),
    "impossible review date": ({CLAIM: C.replace("reviewed: 2024-06-20", "reviewed: 2023-02-29")},
                               f"{CLAIM}:4: impossible date '2023-02-29' in 'reviewed'"),
    "occurrence zero": ({ARTICLE: A.replace("    id: blinken-amunisi", "    id: blinken-amunisi\n    occurrence: 0")},
                        f"{ARTICLE}:11: 'occurrence' must be a whole number from 1: 0"),
    "occurrence as text": ({ARTICLE: A.replace("    id: blinken-amunisi", "    id: blinken-amunisi\n    occurrence: dua")},
                           f"{ARTICLE}:11: 'occurrence' must be a whole number from 1: 'dua'"),
    "bad id": ({ARTICLE: A.replace("id: blinken-amunisi", "id: Blinken_Amunisi")},
               f"{ARTICLE}:10: 'id' must be lowercase letters, digits and hyphens: 'Blinken_Amunisi'"),
    "one id twice": ({ARTICLE: A.replace("    denies: [korea-utara, rusia]",
                                         "    denies: [korea-utara, rusia]\n    id: blinken-amunisi")},
                     f"{ARTICLE}:14: two annotations of this article share the anchor 'blinken-amunisi'"),
    "annotations not a list": ({"content/articles/x.md": "---\ntitle: X\noutlet: antara\npublished: 2024-01-01\n"
                                "annotations: korea-utara-memasok-senjata\n---\nTeks.\n"},
                               "content/articles/x.md:5: 'annotations' must be a list of '- claim: … quote: …' items"),
    "front matter not a mapping": ({"content/claims/x.md": "---\n- a\n- b\n---\n"},
                                   "content/claims/x.md:2: expected a mapping of fields, found list"),
    "actor file not a mapping": ({"content/actors/x.yaml": "- a\n"},
                                 "content/actors/x.yaml:1: expected a mapping of fields, found list"),
    "malformed claim yaml": ({CLAIM: C.replace("topics: [senjata]", "topics: [senjata")},
                             f"{CLAIM}:6: malformed YAML"),  # the line of the bracket left open
    "unclosed front matter": ({CLAIM: C.replace("\n---\nBlinken", "\nBlinken")}, f"{CLAIM}:1: no front matter"),
    "bad outlet file name": ({"content/outlets/BBC News.yaml": "name: BBC\n"},
                             "content/outlets/BBC News.yaml:1: the file name 'BBC News' is not a valid SLUG: use "
                             "lowercase letters, digits and hyphens (like 'bbc-news')"),
    "bad claim file name": ({"content/claims/_.md": "---\ntitle: X\n---\n"},
                            "content/claims/_.md:1: the file name '_' is not a valid SLUG: use lowercase letters, "
                            "digits and hyphens (like 'my-slug')"),
    "article language not a tag": ({ARTICLE: A.replace("authors:", "language: Bahasa Inggris\nauthors:")},
                                   f"{ARTICLE}:5: 'language' must be a BCP 47 tag such as 'id' or 'en-GB': "
                                   "'Bahasa Inggris'"),
    # an outlet's country: an ISO 3166 code, shown by its name in the site's language
    "outlet country by name": ({OUTLET: BASE[OUTLET].replace("country: ID", "country: Indonesia")},
                               f"{OUTLET}:3: 'country' must be an ISO 3166 country code such as 'ID' or 'GB': "
                               "'Indonesia' (did you mean 'ID'?)"),
    "outlet country unknown": ({OUTLET: BASE[OUTLET].replace("country: ID", "country: XQ")},
                               f"{OUTLET}:3: 'country' must be an ISO 3166 country code such as 'ID' or 'GB': 'XQ'"),
    "outlet country a region": ({OUTLET: BASE[OUTLET].replace("country: ID", "country: '001'")},
                                f"{OUTLET}:3: 'country' must be an ISO 3166 country code such as 'ID' or 'GB': '001'"),
}


def reported(found: list[str], expected: str) -> bool:
    return any(line == expected or line.startswith(expected + " (") or line.startswith(expected + ":")
               for line in found)


@pytest.mark.parametrize("name", CASES)
def test_each_field_mistake_is_reported_at_its_line(site, name):
    files, expected = CASES[name]
    found = problems_of(site(files))
    assert reported(found, expected), "\n".join(found)


def test_a_misspelt_verdict_is_an_error_for_check_not_an_unrated_claim(site):
    root = site({CLAIM: C.replace("verdict: belum-terbukti", "verdcit: salah")})
    result = run_cli("check", "--site", str(root))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{CLAIM}:3: unknown field 'verdcit' (did you mean 'verdict'?)" in result.stderr.splitlines()
    assert "no problems found" not in result.stdout


def test_a_good_site_has_no_problem(site):
    assert problems_of(site()) == []


def test_a_long_quote_not_found_is_shown_shortened(site):
    quote = "Korea Utara memasok sejumlah besar amunisi dan senjata lainnya ke Rusia untuk digunakan di Ukrainaa kata dia"
    found = problems_of(site({ARTICLE: A.replace(
        'quote: "Korea Utara memasok sejumlah besar amunisi dan senjata lainnya ke Rusia"', f'quote: "{quote}"')}))
    shown = quote[:87] + "..."
    assert any(line.startswith(f"{ARTICLE}:8: quote not found in the article's text: {shown!r}") for line in found)


def test_a_quote_that_matches_nothing_alike_gives_no_closest_passage(site):
    found = problems_of(site({ARTICLE: A.replace("quote: Baik Pyongyang maupun Moskow membantah klaim",
                                                 "quote: zzzz qqqq wwww")}))
    assert f"{ARTICLE}:12: quote not found in the article's text: 'zzzz qqqq wwww'" in found


def test_occurrence_beyond_the_count_is_an_error(site):
    text = A.replace("  - claim: sanksi-dilanggar\n    quote: transfer senjata Korea Utara akan melanggar beberapa sanksi",
                     "  - claim: sanksi-dilanggar\n    quote: Korea Utara\n    occurrence: 4")
    assert f"{ARTICLE}:15: 'occurrence: 4' asked, but the quote is found 3 times: 'Korea Utara'" in \
        problems_of(site({ARTICLE: text}))


def test_occurrence_two_of_a_quote_found_once_is_an_error(site):
    text = A.replace("    quote: Baik Pyongyang maupun Moskow membantah klaim",
                     "    quote: Baik Pyongyang maupun Moskow membantah klaim\n    occurrence: 2")
    found = problems_of(site({ARTICLE: text}))
    assert f"{ARTICLE}:12: 'occurrence: 2' asked, but the quote is found 1 times: " \
           "'Baik Pyongyang maupun Moskow membantah klaim'" in found, found


def test_the_same_claim_and_quote_twice_share_an_anchor(site):
    text = A.replace("  - claim: sanksi-dilanggar\n", "  - claim: korea-utara-memasok-senjata\n"
                     "    quote: Baik Pyongyang maupun Moskow membantah klaim\n  - claim: sanksi-dilanggar\n")
    found = problems_of(site({ARTICLE: text}))
    assert any(line.startswith(f"{ARTICLE}:15: two annotations of this article share the anchor "
                               "'korea-utara-memasok-senjata-") and line.endswith("(the same claim and quote twice?)")
               for line in found), found


def test_a_verdict_needs_a_review_date_but_a_bad_date_is_reported_once(site):
    found = problems_of(site({CLAIM: C.replace("reviewed: 2024-06-20\n", "")}))
    assert f"{CLAIM}:3: a claim with a verdict needs 'reviewed', the date of the verdict (YYYY-MM-DD)" in found
    found = problems_of(site({CLAIM: C.replace("reviewed: 2024-06-20", "reviewed: kemarin")}))
    assert found == [f"{CLAIM}:4: 'reviewed' must be a date, YYYY-MM-DD: 'kemarin'"]


def test_files_with_a_byte_order_mark_or_windows_line_ends_load(site):
    root = site({CLAIM: "\ufeff" + C, "content/claims/sanksi-dilanggar.md": "---\r\ntitle: Sanksi\r\n---\r\nTeks.\r\n"})
    site_ = linked_site(root)
    assert site_.claims["korea-utara-memasok-senjata"].title == "Korea Utara memasok senjata ke Rusia"
    assert site_.claims["sanksi-dilanggar"].title == "Sanksi"


def test_the_records_carry_every_field_as_written(site):
    s = linked_site(site())
    claim = s.claims["korea-utara-memasok-senjata"]
    assert (claim.verdict, claim.reviewed.iso, claim.summary, claim.topics, claim.related) == (
        "belum-terbukti", "2024-06-20", "Dituduh AS, dibantah Pyongyang dan Moskow.", ("senjata",), ("sanksi-dilanggar",))
    article = s.articles["putin-di-pyongyang"]
    assert (article.title, article.outlet, article.published.iso, article.authors, article.language) == (
        "Putin dan Kim bertemu di Pyongyang", "tribunnews", "2024-06-19", ("Tiara Shelavy",), "id")
    assert s.articles["sullivan-mendesak-kim"].published.iso == "2023-09"
    actor = s.actors["antony-blinken"]
    assert (actor.name, actor.kind, actor.role, actor.affiliation, actor.aliases) == (
        "Antony Blinken", "person", "Menteri Luar Negeri AS", "amerika-serikat", ("Anthony Blinken", "Blinken"))
    outlet = s.outlets["antara"]
    assert (outlet.name, outlet.url, outlet.country) == ("ANTARA", "https://www.antaranews.com", "ID")
    anns = article.annotations
    assert anns[2].id == "blinken-amunisi" and anns[0].id.startswith("korea-utara-memasok-senjata-")
    assert [(a.claim, a.asserts, a.denies, a.number) for a in anns] == [
        ("korea-utara-memasok-senjata", (), ("korea-utara", "rusia"), 1),
        ("sanksi-dilanggar", (), (), 2),
        ("korea-utara-memasok-senjata", ("antony-blinken",), (), 3)], "in reading order"
    assert [str(a.src) for a in anns] == [f"{ARTICLE}:11", f"{ARTICLE}:14", f"{ARTICLE}:7"]


def test_anchors_depend_on_the_claim_and_the_quote_alone():
    from generator.load import passage_anchor
    a = passage_anchor("korea-utara-memasok-senjata", "Baik Pyongyang maupun Moskow", None)
    assert a.startswith("korea-utara-memasok-senjata-") and len(a) == len("korea-utara-memasok-senjata-") + 6
    assert passage_anchor("korea-utara-memasok-senjata", "  Baik  Pyongyang\nmaupun Moskow ", None) == a, "spacing aside"
    assert passage_anchor("korea-utara-memasok-senjata", "Baik Pyongyang maupun Moskow", 2) != a
    assert passage_anchor("korea-utara-memasok-senjata", "Baik Pyongyang maupun Moskwa", None) != a
    assert passage_anchor("sanksi-dilanggar", "Baik Pyongyang maupun Moskow", None).split("-")[-1] != a.split("-")[-1]
    long = "a" * 47 + "-bcd"
    assert passage_anchor(long, "q", None).startswith("a" * 47 + "-") and not passage_anchor(long, "q", None).startswith("a" * 47 + "--")


def test_an_article_in_another_language_keeps_it(site):
    s = linked_site(site({ARTICLE: A.replace("published: 2024-06-19", "published: 2024-06-19\nlanguage: en")}))
    assert s.articles["putin-di-pyongyang"].language == "en"
    assert s.articles["sullivan-mendesak-kim"].language == "id", "the site's language by default"


def test_a_bad_date_hides_no_other_mistake_of_the_same_article(site):
    text = A.replace("published: 2024-06-19", "published: 2024-02-30").replace(
        "denies: [korea-utara, rusia]", "denies: [korea-utara, russia]").replace("outlet: tribunnews", "outlet: tribunews")
    assert problems_of(site({ARTICLE: text})) == [
        f"{ARTICLE}:3: unknown outlet 'tribunews' (did you mean 'tribunnews'?)",
        f"{ARTICLE}:4: impossible date '2024-02-30' in 'published'",
        f"{ARTICLE}:13: unknown actor 'russia' (did you mean 'rusia'?)"]


def test_quoted_values_lose_their_stray_spaces(site):
    s = linked_site(site({CLAIM: C.replace("title: Korea Utara memasok senjata ke Rusia", "title: '  Korea Utara memasok  '")
                          .replace("summary: Dituduh AS, dibantah Pyongyang dan Moskow.", "summary: ' Ringkas. '")}))
    claim = s.claims["korea-utara-memasok-senjata"]
    assert (claim.title, claim.summary) == ("Korea Utara memasok", "Ringkas.")


def test_a_quote_misremembered_in_several_words_still_gets_the_closest_passage(site):
    found = problems_of(site({ARTICLE: A.replace("quote: Baik Pyongyang maupun Moskow membantah klaim",
                                                 "quote: Baik Pyongyang dan Moskwa menolak klaim")}))
    line = next(f for f in found if f.startswith(f"{ARTICLE}:12: quote not found"))
    assert "(closest passage: 'Baik Pyongyang maupun Moskow membantah" in line, line
