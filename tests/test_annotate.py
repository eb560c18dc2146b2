"""Markdown + quotes → marked HTML: matching in the rendered text, anchors, markers, and the quick inline step."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator.annotate as annotate
from generator.annotate import Found, Renderer, Wanted

MARKDOWN_ZOO = [
    "plain prose, nothing special at all.",
    "a *b* _c_ **d** __e__ ***f*** `g` [h](i) ![j](k.png) <l@m.no> <https://x.y> &amp; &copy; \\* \\_",
    "line one  \nline two\n\nsnake_case and 2 * 3 and a_b_c",
    "| a | b |\n|---|---|\n| *c* | d |",
    "1. x\n2. y\n\n- z\n\n> quote *q*\n\n    code *not em*",
    "[ref] and [text][ref] and ![img][ref]\n\n[ref]: https://example.org \"T\"",
    "raw <b>html</b> and 1 < 2 > 0 and AT&T",
]


def wanted(quote, claim="c", stance="asserts", id_="q", occurrence=None):
    return Wanted(id_, claim, quote, stance, f"../../claims/{claim}/", "Claim", occurrence)


@pytest.mark.parametrize("text", MARKDOWN_ZOO)
def test_quick_inline_renders_exactly_what_python_markdown_renders(text, monkeypatch):
    quick = Renderer(trusted_html=True)
    monkeypatch.setattr(annotate, "KNOWN_INLINE", set())
    original = Renderer(trusted_html=True)
    assert type(quick.md.treeprocessors["inline"]) is not type(original.md.treeprocessors["inline"])
    assert quick.render(text).html == original.render(text).html


def test_a_quote_is_found_across_emphasis_links_and_typography():
    out = Renderer().render('Ia berkata: “Rusia *tidak* [membeli](https://x.y) senjata” — kemarin…\nlalu pergi.',
                            [wanted('"Rusia tidak membeli senjata" - kemarin... lalu')])
    (found,) = out.found
    assert found.count == 1 and found.exact == "“Rusia tidak membeli senjata” — kemarin… lalu"
    assert found.prefix == "Ia berkata: " and found.suffix.startswith(" pergi.")
    assert out.html.count('data-ann="q"') == 4 and out.html.count('id="q"') == 1


def test_not_found_offers_the_closest_passage_and_ambiguous_counts():
    out = Renderer().render("Moskow membantah klaim itu. Moskow membantah lagi.",
                            [wanted("Moskwa membantah klaim", id_="a"), wanted("Moskow membantah", id_="b")])
    missing, twice = out.found
    assert missing.count == 0 and missing.closest == "Moskow membantah klaim"
    assert twice.count == 2


def test_occurrence_picks_one_of_several():
    w = Wanted("q", "c", "Moskow membantah", "denies", "../../claims/c/", "C", occurrence=2)
    out = Renderer().render("Moskow membantah klaim itu. Moskow membantah lagi.", [w])
    assert out.found[0].count == 1 and out.found[0].prefix.endswith("klaim itu. ")


def test_overlapping_passages_nest_and_their_markers_wait_for_the_run_to_end():
    out = Renderer().render("satu dua tiga empat lima",
                            [wanted("satu dua tiga", "a", id_="x"), wanted("dua tiga empat", "b", "denies", "y")])
    html = out.html
    assert html.index('id="y"') > html.index('id="x"')
    assert html.index("ann-ref") > html.index("empat"), "markers come after the whole run"
    assert [f.number for f in out.found] == [1, 2]


def test_raw_html_is_sanitized_unless_trusted():
    evil = '<script>alert(1)</script>\n\n<p onclick="x()">p</p> [a](javascript:alert(1))'
    assert "script" not in Renderer().render(evil).html
    assert "onclick" not in Renderer().render(evil).html and "javascript:" not in Renderer().render(evil).html
    assert "<script>alert(1)</script>" in Renderer(trusted_html=True).render(evil).html


# -- what the page ships: the markup the templates, the stylesheet, the article page's notes and the contract use ---

MARKED = ('<p>Kata Blinken: <mark class="ann ann-asserts" data-ann="q" data-claim="c" data-stance="asserts" id="q">'
          '<span class="ann-alias" id="lama"></span>Rusia membeli senjata</mark>.<sup class="ann-ref">'
          '<a class="ann-ref-asserts" data-claim="c" data-passage="q" href="../../claims/c/" title="Judul">1</a></sup> '
          '<mark class="ann ann-denies" data-ann="r" data-claim="d" data-stance="denies" id="r">Lalu pergi</mark>.'
          '<sup class="ann-ref"><a class="ann-ref-denies" data-claim="d" data-passage="r" href="../../claims/d/" '
          'title="Dua">2</a></sup></p>\n<div class="passage-notes" data-passages="q r"></div><p>Paragraf kedua.</p>')


@pytest.mark.parametrize("trusted", [False, True])
def test_a_marked_passage_is_this_markup_sanitized_or_not(trusted):
    out = Renderer(trusted_html=trusted).render("Kata Blinken: Rusia membeli senjata. Lalu pergi.\n\nParagraf kedua.", [
        Wanted("q", "c", "Rusia membeli senjata", "asserts", "../../claims/c/", "Judul", also=("lama",)),
        Wanted("r", "d", "Lalu pergi", "denies", "../../claims/d/", "Dua")])
    assert out.html == MARKED


def test_each_top_level_block_is_followed_by_the_notes_of_the_passages_ending_in_it():
    text = "Satu dua.\n\nTiga empat.\n\n- lima\n- enam\n\n> tujuh delapan\n\nsembilan"
    out = Renderer().render(text, [wanted("dua. Tiga", id_="a"), wanted("lima", id_="b"), wanted("enam", id_="c"),
                                   wanted("delapan", id_="d")])
    html = out.html
    assert html.count('class="passage-notes"') == 3
    assert html.index('data-passages="a"') > html.index("empat") and html.index('data-passages="a"') < html.index("<ul>")
    assert html.index('data-passages="b c"') > html.index("</ul>") and html.index('data-passages="b c"') < html.index(
        "<blockquote>")
    assert html.index('data-passages="d"') > html.index("</blockquote>") and html.index('data-passages="d"') < html.index(
        "sembilan")
    assert html.startswith("<p>") and "passage-notes" not in Renderer().render(text).html


def test_found_names_each_quote_and_numbers_only_those_placed():
    out = Renderer().render("Moskow membantah klaim itu. Moskow membantah lagi.", [
        wanted("klaim itu", id_="a"), wanted("Moskow membantah", id_="b"), wanted("Kyiv", id_="c"),
        wanted("Moskow membantah", id_="d", occurrence=3), wanted("Moskow membantah", id_="e", occurrence=1),
        wanted("Moskow membantah", id_="f", occurrence=2)])
    assert [(f.id, f.count, f.number) for f in out.found] == [
        ("a", 1, 2), ("b", 2, 0), ("c", 0, 0), ("d", 2, 0), ("e", 1, 1), ("f", 1, 3)]
    assert [f.exact for f in out.found] == ["klaim itu", "", "", "", "Moskow membantah", "Moskow membantah"]


def test_occurrence_counts_from_one():
    out = Renderer().render("Moskow membantah. Moskow membantah lagi.", [wanted("Moskow membantah", occurrence=0)])
    assert (out.found[0].count, out.found[0].number) == (2, 0) and "<mark" not in out.html


def test_a_blank_quote_is_never_found():
    out = Renderer().render("Moskow membantah.", [wanted("   ")])
    assert (out.found[0].count, out.found[0].number, out.found[0].closest) == (0, 0, "")


def test_every_place_a_quote_stands_is_counted_even_where_they_overlap():
    assert Renderer().render("Korea Utara, Korea Utara dan Korea Utara.", [wanted("Korea Utara")]).found[0].count == 3
    assert Renderer().render("Tidak!!! Sama sekali tidak.", [wanted("!!")]).found[0].count == 2


def test_passages_that_start_together_are_numbered_longest_first_then_as_listed():
    out = Renderer().render("Satu dua tiga empat.", [wanted("Satu dua", id_="a"), wanted("Satu dua tiga", id_="b"),
                                                    wanted("Satu dua", "x", id_="c")])
    assert [f.number for f in out.found] == [2, 1, 3]
    assert [a.get_text() for a in BeautifulSoup(out.html, "html.parser").select("sup.ann-ref a")] == ["1", "2", "3"]


def test_an_empty_text_finds_nothing_and_has_no_text():
    out = Renderer().render("", [wanted("Rusia", id_="a"), wanted("Moskow", id_="b")])
    assert out.found == (Found("a", 0), Found("b", 0)) and out.text == "" and out.html == ""
    out = Renderer().render("Teks.", [wanted("Teks")])
    assert Renderer().render("").text == "", "nothing left from the text before"


def test_a_quote_with_an_escaped_character_is_found_as_the_reader_sees_it():
    out = Renderer().render("Harganya 2 \\* 3 dolar, kata dia.", [wanted("2 * 3 dolar")])
    assert out.found[0].count == 1 and out.found[0].exact == "2 * 3 dolar"


def test_text_nested_too_deeply_is_a_markdown_error_with_a_hint(markdown_gives_up):
    with pytest.raises(annotate.MarkdownError) as e:
        Renderer().render(markdown_gives_up)
    assert str(e.value) == ("the text nests emphasis, lists or quotes too deeply to be read "
                            "(thousands of '*', '>' or indents in a row?)")


@pytest.mark.parametrize("deep", ["- " * 3000 + "x", "> " * 3000 + "x", "*" * 3000 + "x" + "*" * 3000,
                                  "[" * 3000 + "x" + "]" * 3000, "<div>" * 3000])
def test_text_nested_thousands_deep_renders_or_is_the_markdown_error_never_a_traceback(deep):
    try:
        assert "x" in Renderer().render(deep).text or deep.startswith("<div>")
    except annotate.MarkdownError as e:  # whether it is too deep is the installed Markdown's call
        assert "too deeply" in str(e)


def test_links_are_kept_as_written_without_added_rel():
    out = Renderer().render("[Antara](https://www.antaranews.com/) dan [klaim](/claims/x/)")
    assert out.html == ('<p><a href="https://www.antaranews.com/">Antara</a> dan '
                        '<a href="../../claims/x/">klaim</a></p>')


def test_a_quote_across_emphasis_inside_a_word_is_shown_whole():
    out = Renderer().render("Kata dia: **Ru**sia *mem*beli senjata.", [wanted("Rusia membeli")])
    assert out.found[0].exact == "Rusia membeli"


# -- "closest passage": what a journalist is offered when a quote is not found ------------------------------------

ARTICLE = ("Presiden Rusia Vladimir Putin dan pemimpin Korea Utara Kim Jong Un bertemu hari ini di Pyongyang, dan keduanya "
           "menandatangani perjanjian kemitraan strategis yang menurut para pengamat akan mengubah keseimbangan keamanan "
           "di kawasan Asia Timur untuk tahun-tahun mendatang.")


def closest(text: str, quote: str) -> str:
    (found,) = Renderer().render(text, [wanted(quote)]).found
    assert found.count == 0
    return found.closest


def test_a_long_quote_with_a_stray_character_is_offered_whole():
    passage = ARTICLE[ARTICLE.index("bertemu"):]
    assert len(passage) > 200, "long enough that difflib would junk common letters unless told not to"
    assert closest(ARTICLE, passage + "z") == passage


def test_the_closest_passage_is_whole_words():
    quote = ARTICLE[ARTICLE.index("g Un"):ARTICLE.index(" di kawasan")] + "q"  # copied from mid-word, with a typo
    assert closest(ARTICLE, quote) == ARTICLE[ARTICLE.index("Jong Un"):ARTICLE.index(" di kawasan")]
    assert closest("Kata juru bicara: Moskow membantah klaim itu, lalu pergi.", "oskow membantah klaimz") == (
        "Moskow membantah klaim")


def test_a_short_quote_gets_the_word_it_resembles_or_nothing():
    assert closest(ARTICLE, "Kix") == "Kim"
    assert closest(ARTICLE, "xdi") == "", "less than half alike: no suggestion"
    assert closest(ARTICLE, "xRusia") == "Rusia"
    assert closest(ARTICLE, "Kimxxxxxx") == "Kim", "exactly half alike still counts"
    assert closest(ARTICLE, "Kimxxxxxxx") == "", "less than half alike: no suggestion"


def test_of_two_equally_close_passages_the_first_is_offered():
    assert closest("Moskow membantah. Moskow membantu.", "Moskow membanxyz") == "Moskow membantah"


@pytest.mark.parametrize("quote", [
    "We have found no link between the two shipments",  # a word missed: the passage is longer than the quote
    "We have not found no direct link between the two shipments",  # a word too many: it is shorter
    "Indeed we have found no direct link between the two shipments",  # a first word the article does not have
    "e have found no direct link between the two shipmentz",  # copied from mid-word, a typo at the end
])
def test_the_closest_passage_starts_and_ends_where_the_quote_does(quote):
    """It once started mid-sentence ('have found no link …' for 'We have found no link …'), the window set by
    the quote's length and its longest matching run; it now runs from the quote's first matched word to its
    last, whole words, and no punctuation past them."""
    text = "The ministry denied it. We have found no direct link between the two shipments, the ministry said."
    assert closest(text, quote) == "We have found no direct link between the two shipments"


def test_raw_html_leaves_no_placeholder_in_the_text():
    assert Renderer().render("Teks <b>tebal</b> lalu.").text == "Teks tebal lalu."


# -- passages inside passages: one mark each, nested, and the numbers after the whole run -------------------------

def marks(html: str, ann: str) -> list:
    return BeautifulSoup(html, "html.parser").find_all("mark", attrs={"data-ann": ann})


def test_a_passage_inside_another_is_nested_in_it_and_the_numbers_wait_for_the_outer_one():
    html = Renderer().render("satu dua tiga empat lima", [wanted("satu dua tiga empat", id_="a"),
                                                          wanted("tiga", id_="b")]).html
    (outer,), (inner,) = marks(html, "a"), marks(html, "b")
    assert inner.find_parent("mark")["id"] == "a", "one mark for the outer passage, the inner one inside it"
    assert outer.get_text() == "satu dua tiga empat" and inner.get_text() == "tiga"
    assert html.index('class="ann-ref"') > html.index("empat") and html.index("lima") > html.index('class="ann-ref"')


def test_passages_that_start_together_nest_the_shorter_in_the_longer():
    html = Renderer().render("satu dua tiga empat", [wanted("satu dua", id_="b"), wanted("satu dua tiga", id_="a")]).html
    (outer,), (inner,) = marks(html, "a"), marks(html, "b")
    assert inner.find_parent("mark")["id"] == "a" and inner.get_text() == "satu dua" and outer.get_text() == "satu dua tiga"


def test_the_markers_of_a_run_go_where_its_longest_passage_ends():
    out = Renderer().render("satu dua tiga empat lima", [wanted("satu dua tiga empat", id_="a"),
                                                         wanted("dua tiga", id_="b")])
    html = out.html
    assert html.index("empat") < html.index('data-passage="a"') < html.index('data-passage="b"') < html.index("lima")
    assert [(f.id, f.number, f.prefix, f.suffix) for f in out.found] == [
        ("a", 1, "", " lima"), ("b", 2, "satu ", " empat lima")]


def test_prefix_and_suffix_are_the_text_around_the_passage_across_emphasis_and_blocks():
    out = Renderer().render("Kata *dia*, Rusia membeli *senjata*, kata dia", [wanted("Rusia membeli")])
    assert (out.found[0].prefix, out.found[0].suffix) == ("Kata dia, ", " senjata, kata dia")
    out = Renderer().render("# Judul\nKata dia: Rusia membeli senjata.\n\n- satu\n- dua\n\nAkhir.",
                            [wanted("Rusia membeli"), wanted("dua", id_="b")])
    assert [(f.prefix, f.suffix) for f in out.found] == [
        ("Judul Kata dia: ", " senjata. satu dua Akhir."), ("ia: Rusia membeli senjata. satu ", " Akhir.")]


def test_a_quote_after_a_line_break_is_found():
    out = Renderer().render("Kata dia:  \nRusia membeli senjata.", [wanted("dia: Rusia membeli")])
    assert out.found[0].count == 1 and out.found[0].exact == "dia: Rusia membeli"


def shown(html: str) -> str:
    """The text a reader sees, the passage numbers included."""
    return BeautifulSoup(html, "html.parser").get_text()


def test_marking_changes_no_word_of_the_text_nor_its_order():
    out = Renderer().render("Kata *dia*, Rusia membeli *senjata*, kata dia", [wanted("Rusia membeli")])
    assert shown(out.html) == "Kata dia, Rusia membeli1 senjata, kata dia\n"


def test_a_decomposed_accent_after_emphasis_is_matched_and_stays_where_it_was():
    out = Renderer().render("Kata *dia*: Kafe\u0301 itu tutup.", [wanted("Kafé itu")])
    assert out.found[0].exact == "Kafé itu" and shown(out.html) == "Kata dia: Kafé itu1 tutup.\n"


def test_a_link_whose_text_ends_with_a_space_is_read_with_one_space():
    out = Renderer().render("Rusia [membeli ](https://x.y) senjata, kata dia.", [wanted("membeli senjata")])
    assert out.found[0].count == 1 and out.found[0].exact == "membeli senjata"


def test_three_passages_inside_each_other():
    out = Renderer().render("satu dua tiga empat", [wanted("satu dua tiga", id_="a"), wanted("satu dua", id_="b"),
                                                    wanted("satu", id_="c")])
    assert [m["id"] for m in BeautifulSoup(out.html, "html.parser").find_all("mark")] == ["a", "b", "c"]
    assert shown(out.html) == "satu dua tiga123 empat\n"


def test_a_number_goes_before_punctuation_that_opens_the_next_passage():
    out = Renderer().render("Kata dia: Rusia membeli senjata.", [wanted("Kata dia", id_="a"), wanted(": Rusia membeli", id_="b")])
    assert shown(out.html) == "Kata dia1: Rusia membeli2 senjata.\n"
    (b,) = marks(out.html, "b")
    assert b.get_text() == ": Rusia membeli" and b.find("sup") is None, "each passage keeps its own number out of the other"


def test_an_image_keeps_its_description_and_reaches_its_file():
    """A screenshot of the post being checked is described for screen readers: sanitizing keeps `alt`."""
    html = Renderer().render("![Tangkapan layar unggahan](/img/unggahan.png)").html
    img = BeautifulSoup(html, "html.parser").find("img")
    assert (img.get("alt"), img.get("src")) == ("Tangkapan layar unggahan", "../../img/unggahan.png")


RAW_INLINE = "Kata dia, Rusia <b>tidak</b> membeli senjata dari Korea Utara. Lalu pergi."


def tags_nest(html: str) -> bool:
    """Whether every end tag closes the element opened last: no mark cut through another element's tags."""
    from html.parser import HTMLParser
    void = {"br", "hr", "img", "input", "meta", "link", "wbr"}
    stack: list[str] = []
    ok = [True]

    class Nesting(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in void:
                stack.append(tag)

        def handle_endtag(self, tag):
            if not stack or stack.pop() != tag:
                ok[0] = False

    Nesting().feed(html)
    return ok[0] and not stack


@pytest.mark.parametrize("trusted", [False, True], ids=["sanitized", "trusted"])
@pytest.mark.parametrize("quote", ["Rusia tidak membeli", "Rusia tidak", "tidak membeli", "tidak", "tidak membeli senjata"])
def test_a_quote_is_found_across_raw_inline_html_as_a_reader_sees_it(trusted, quote):
    """`Rusia <b>tidak</b> membeli` reads "Rusia tidak membeli": the quote is found, the marks go round the tags
    (never through one), and the passage, its prefix and suffix are what the same text without the tags gives."""
    out = Renderer(trusted_html=trusted).render(RAW_INLINE, [wanted(quote)])
    plain = Renderer(trusted_html=trusted).render(RAW_INLINE.replace("<b>", "").replace("</b>", ""), [wanted(quote)])
    (found,), (expected,) = out.found, plain.found
    assert found.count == 1
    assert (found.exact, found.prefix, found.suffix) == (expected.exact, expected.prefix, expected.suffix)
    assert found.exact == quote and len(found.suffix) >= 30
    soup = BeautifulSoup(out.html, "html.parser")
    assert "".join(m.get_text() for m in soup.find_all("mark", attrs={"data-ann": "q"})) == quote
    assert soup.find("b").get_text().startswith("tidak"), "the bold word is still bold"
    assert len(soup.find_all(id="q")) == 1 and soup.find(id="q").get_text().strip() in quote.split()[0]
    assert tags_nest(out.html), out.html
    assert "\x02" not in out.html and "\x03" not in out.html


def test_raw_inline_html_takes_no_room_in_the_text_a_quote_is_matched_against():
    out = Renderer().render("Kata dia - <i>Moskow</i>. Lalu harga<sup>2</sup> naik.", [
        wanted("dia - Moscow", id_="a"), wanted("harga2 naik", id_="b")])
    (closest, joined) = out.found
    assert closest.count == 0 and closest.closest == "dia - Moskow"  # offered as a reader reads it
    assert joined.count == 1 and joined.exact == "harga2 naik"  # `a<b>b</b>` reads "ab": no space is made up
    assert "\x02" not in out.text and "Kata dia - Moskow. Lalu harga2 naik." in out.text


WORDS = st.sampled_from(["Rusia", "tidak", "membeli", "senjata", "dari", "Korea", "Utara.", "Kim", "“kata", "dia”",
                         "—", "harga…", "naik,", "2024", "Putin"])
TAGS = st.sampled_from(["b", "i", "em", "span", "abbr", "sup"])


@st.composite
def prose_with_inline_html(draw):
    """Paragraphs of words, some wrapped in inline tags (`<b>tidak</b>`), and the same text without the tags."""
    paragraphs = draw(st.lists(st.lists(st.tuples(WORDS, st.one_of(st.none(), TAGS)), min_size=1, max_size=25),
                               min_size=1, max_size=4))
    tagged = "\n\n".join(" ".join(f"<{t}>{w}</{t}>" if t else w for w, t in p) for p in paragraphs)
    plain = "\n\n".join(" ".join(w for w, _ in p) for p in paragraphs)
    words = [w for p in paragraphs for w, _ in p]
    start = draw(st.integers(0, len(words) - 1))
    quote = " ".join(words[start:start + draw(st.integers(1, 6))])
    return tagged, plain, quote


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prose_with_inline_html(), st.booleans())
def test_inline_html_changes_nothing_a_reader_reads_of_a_passage(case, trusted):
    """Found or not, and the passage, its prefix and its suffix, are what the text without the tags gives; the marks
    hold the quoted words and nest with the tags."""
    tagged, plain, quote = case
    renderer = Renderer(trusted_html=trusted)
    wanted = [Wanted("q", "c", quote, "asserts", "../../claims/c/", "C", occurrence=1)]
    with_tags, without = renderer.render(tagged, wanted), renderer.render(plain, wanted)
    assert with_tags.found == without.found
    assert with_tags.text == without.text
    if with_tags.found[0].count:
        soup = BeautifulSoup(with_tags.html, "html.parser")
        marks = soup.find_all("mark", attrs={"data-ann": "q"})  # tags stand between whole words here
        marked = " ".join(" ".join(m.get_text() for m in marks).split())
        assert marked == " ".join(with_tags.found[0].exact.split())
        assert tags_nest(with_tags.html)


def test_prefix_and_suffix_are_full_next_to_long_runs_of_white_space():
    """A code block's run of spaces reads as one space: it does not use up the 32 characters of context."""
    spaces = " " * 80
    out = Renderer().render(f"Kata pembuka yang cukup panjang di sini.\n\n    x{spaces}y\n\nRusia membeli senjata."
                            f"\n\n    z{spaces}w\n\nPenutup yang juga cukup panjang di sini.", [wanted("Rusia membeli")])
    (found,) = out.found
    assert found.prefix == "Kata pembuka yang cukup panjang di sini. x y "[-32:].lstrip()
    assert found.suffix == " senjata. z w Penutup yang juga cukup panjang di sini."[:32].rstrip()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="[]a \\(", max_size=60))
def test_links_find_their_brackets_as_python_markdown_does(data):
    """The fast bracket finder (bracket_ends) against Python-Markdown's own, the slow path it stands in for:
    the same closing bracket for every index, nested, unclosed and stray brackets included."""
    from markdown.inlinepatterns import LinkInlineProcessor
    assert annotate.bracket_ends(data) == LinkInlineProcessor._findBracketEnds(data)


def test_the_link_patterns_use_the_fast_bracket_finder():
    md = Renderer().md
    users = [p for p in md.inlinePatterns if hasattr(p, "_findBracketEnds")]
    assert users and all(p._findBracketEnds is annotate.bracket_ends for p in users)
    html = Renderer().render("Lihat [tautan [bersarang]](https://contoh.org/a) dan [tak tertutup.").html
    assert '<a href="https://contoh.org/a">tautan [bersarang]</a>' in html and "[tak tertutup." in html
