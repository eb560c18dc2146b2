"""annotate.py: a quote copied from an outlet is found whatever its typography, and marked where the reader sees it."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator.annotate import CONTEXT, Renderer, Wanted, fold


def wanted(quote, claim="c", stance="asserts", id_="q", occurrence=None):
    return Wanted(id_, claim, quote, stance, f"../../claims/{claim}/", "Judul klaim", occurrence)


# Every character the folding promises (SPEC §2: typographic quotes, dashes, ellipses, white space).
TYPOGRAPHIC = {
    "left single quote ‘": ("‘", "'"), "right single quote ’": ("’", "'"), "low single quote ‚": ("‚", "'"),
    "reversed single quote ‛": ("‛", "'"), "left double quote “": ("“", '"'), "right double quote ”": ("”", '"'),
    "low double quote „": ("„", '"'), "reversed double quote ‟": ("‟", '"'), "guillemet «": ("«", '"'),
    "guillemet »": ("»", '"'), "hyphen ‐": ("\u2010", "-"), "non-breaking hyphen": ("\u2011", "-"),
    "figure dash": ("\u2012", "-"), "en dash –": ("–", "-"), "em dash —": ("—", "-"), "bar ―": ("\u2015", "-"),
    "ellipsis …": ("…", "..."), "no-break space": ("\u00a0", " "), "narrow no-break space": ("\u202f", " "),
}


@pytest.mark.parametrize("name", TYPOGRAPHIC)
def test_a_plain_quote_finds_typographic_text(name):
    char, plain = TYPOGRAPHIC[name]
    assert fold(char) == plain
    text = f"Kata dia{char}Rusia{char}tidak membeli{char}senjata, lalu pergi."
    out = Renderer().render(text, [wanted(f"dia{plain}Rusia{plain}tidak membeli{plain}senjata")])
    (found,) = out.found
    assert found.count == 1, name
    shown = f"dia{char}Rusia{char}tidak membeli{char}senjata"
    assert found.exact in (shown, shown.replace(char, " ") if char.isspace() else shown), "the text as the page shows it"
    assert BeautifulSoup(out.html, "html.parser").find("mark", id="q").get_text().startswith("dia")


@pytest.mark.parametrize("name", TYPOGRAPHIC)
def test_a_typographic_quote_finds_plain_text(name):
    char, plain = TYPOGRAPHIC[name]
    out = Renderer().render(f"Kata dia{plain}Rusia lalu pergi.", [wanted(f"dia{char}Rusia")])
    assert out.found[0].count == 1, name


def test_fold_spaces_and_unicode_forms():
    assert fold("a \t\n  b") == "a b"
    assert fold("Cafe\u0301") == "Café", "NFC: a decomposed accent matches the composed one"
    out = Renderer().render("Kafe\u0301 itu tutup.", [wanted("Kafé itu")])
    assert out.found[0].count == 1 and out.found[0].exact == "Kafé itu"


def test_an_ellipsis_before_and_a_run_of_spaces_after_do_not_shift_the_mark():
    # "…" folds to three characters and "   " to one: the text's length is unchanged, the places are not
    out = Renderer().render("Dia… berkata bahwa   kapal itu tiba.", [wanted("berkata bahwa")])
    (f,) = out.found
    assert f.exact == "berkata bahwa" and f.prefix == "Dia… "
    assert BeautifulSoup(out.html, "html.parser").find("mark", id="q").get_text() == "berkata bahwa"


def test_exact_prefix_and_suffix_are_what_the_reader_sees():
    text = ("Presiden Rusia Vladimir Putin dan pemimpin Korea Utara bertemu hari ini di Pyongyang. "
            "Baik Pyongyang maupun Moskow membantah klaim bahwa transfer senjata Korea Utara akan melanggar sanksi "
            "Dewan Keamanan PBB, kata para pejabat.")
    out = Renderer().render(text, [wanted("maupun  Moskow\nmembantah")])
    (f,) = out.found
    assert f.exact == "maupun Moskow membantah"
    assert f.prefix == "ni di Pyongyang. Baik Pyongyang " and len(f.prefix) == 32 == CONTEXT
    assert f.suffix == " klaim bahwa transfer senjata Ko" and len(f.suffix) == 32
    assert f.number == 1


def test_prefix_and_suffix_cross_paragraphs_with_a_space():
    out = Renderer().render("Akhir paragraf satu.\n\nAwal paragraf dua kata Blinken.\n\nParagraf tiga.",
                            [wanted("paragraf dua kata")])
    (f,) = out.found
    assert f.prefix.endswith("paragraf satu. Awal ")
    assert f.suffix.startswith(" Blinken. Paragraf")


def test_a_quote_across_paragraphs_is_found_with_one_space():
    out = Renderer().render("Ini akhir.\n\nIni awal.", [wanted("akhir. Ini awal")])
    assert out.found[0].count == 1 and out.found[0].exact == "akhir. Ini awal"


def test_marks_carry_the_claim_the_stance_and_the_anchor_once():
    out = Renderer().render("Satu *dua tiga* empat.", [wanted("Satu dua tiga empat", claim="klaim-a", stance="both")])
    soup = BeautifulSoup(out.html, "html.parser")
    marks = soup.find_all("mark")
    assert len(marks) == 3 and all(m["data-claim"] == "klaim-a" and m["data-stance"] == "both" for m in marks)
    assert [m.get("id") for m in marks] == ["q", None, None], "the first carries the id"
    assert marks[1].find_parent("em"), "the passage is marked inside the emphasis, which stays"
    assert "".join(m.get_text() for m in marks) == "Satu dua tiga empat"
    ref = soup.find("sup", class_="ann-ref").a
    assert (ref["href"], ref["title"], ref["data-claim"], ref.get_text()) == (
        "../../claims/klaim-a/", "Judul klaim", "klaim-a", "1")


def test_numbers_follow_reading_order_not_front_matter_order():
    out = Renderer().render("Alfa beta. Gama delta. Epsilon zeta.",
                            [wanted("Epsilon", id_="c"), wanted("Alfa", id_="a"), wanted("Gama", id_="b")])
    assert [f.number for f in out.found] == [3, 1, 2]
    soup = BeautifulSoup(out.html, "html.parser")
    assert [a.get_text() for a in soup.select("sup.ann-ref a")] == ["1", "2", "3"]


def test_nothing_found_and_found_twice():
    out = Renderer().render("Moskow membantah klaim itu. Moskow membantah lagi.",
                            [wanted("Moskwa membantah klaim", id_="a"), wanted("Moskow membantah", id_="b"),
                             wanted("sama sekali lain xyz", id_="c"), wanted("Moskow membantah", id_="d", occurrence=3)])
    a, b, c, d = out.found
    assert (a.count, a.closest, a.exact) == (0, "Moskow membantah klaim", "")
    assert (b.count, b.closest) == (2, "")
    assert (c.count, c.closest) == (0, "")
    assert d.count == 2 and d.exact == "", "occurrence 3 of 2 is not found"
    assert "<mark" not in out.html


def test_occurrence_marks_the_one_asked_for():
    out = Renderer().render("Moskow membantah klaim itu. Moskow membantah lagi.",
                            [wanted("Moskow membantah", occurrence=2)])
    assert out.found[0].count == 1 and out.found[0].suffix.startswith(" lagi")
    html = out.html
    assert html.index('id="q"') > html.index("klaim itu")


def test_the_rendered_text_has_no_markup_and_links_are_recorded():
    out = Renderer().render("Lihat [klaim](/claims/x/) dan [luar](https://x.example/) *tebal*.\n\n![g](/img/a.png)")
    assert out.text == "Lihat klaim dan luar tebal."
    assert out.links == ("/claims/x/", "/img/a.png")
    soup = BeautifulSoup(out.html, "html.parser")
    assert soup.find("a", string="klaim")["href"] == "../../claims/x/"
    assert soup.find("a", string="luar")["href"] == "https://x.example/"
    assert soup.find("img")["src"] == "../../img/a.png"


def test_a_protocol_relative_link_is_left_alone():
    out = Renderer().render("[a](//cdn.example/x)")
    assert out.links == () and 'href="//cdn.example/x"' in out.html


# -- property: whatever the typography, a passage copied in plain characters is found and shown as written --------

from hypothesis import given, settings, strategies as st  # noqa: E402

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéöАБ", min_size=1, max_size=8)
GLUE = st.sampled_from([" ", "  ", "\u00a0", " — ", " – ", "’", "‘", "“", "”", "„", "«", "»", "…", "\u202f", ", "])


SHARED = Renderer()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(WORD, GLUE), min_size=4, max_size=14), st.data())
def test_any_stretch_of_typographic_text_is_found_from_its_plain_form(parts, data):
    text = "".join(w + g for w, g in parts).strip() + " selesai."
    words = [w for w, _ in parts]
    i = data.draw(st.integers(0, len(parts) - 2))
    j = data.draw(st.integers(i + 1, len(parts) - 1))
    shown = "".join(w + g for w, g in parts[i:j]) + words[j]
    quote = fold(shown)
    out = SHARED.render(text, [wanted(quote)])
    (found,) = out.found
    needle, hay = quote.strip(), fold(text)
    hits = sum(hay.startswith(needle, k) for k in range(len(hay)))  # overlapping, as the finder counts
    if hits == 1 and quote.strip():
        assert found.count == 1
        assert fold(found.exact) == fold(shown).strip()


def test_blocks_are_separated_by_one_space_never_joined():
    out = Renderer().render("- satu\n- dua\n\n| a | b |\n|---|---|\n| tiga | empat |\n\n> lima\n\nenam",
                            [wanted("satu dua", id_="a"), wanted("tiga empat", id_="b"), wanted("lima enam", id_="c"),
                             wanted("satudua", id_="d")])
    assert [f.count for f in out.found] == [1, 1, 1, 0]
    assert out.text == "satu dua a b tiga empat lima enam"


def test_raw_html_placeholders_never_reach_the_text():
    out = Renderer().render('Teks <span class="x">di dalam</span> lalu.\n\n<div>blok</div>\n\nakhir')
    assert "\x02" not in out.text and "\x03" not in out.text
