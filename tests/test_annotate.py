"""Markdown + quotes → marked HTML: matching in the rendered text, anchors, markers, and the quick inline step."""
from __future__ import annotations

import pytest

import generator.annotate as annotate
from generator.annotate import Renderer, Wanted

MARKDOWN_ZOO = [
    "plain prose, nothing special at all.",
    "a *b* _c_ **d** __e__ ***f*** `g` [h](i) ![j](k.png) <l@m.no> <https://x.y> &amp; &copy; \\* \\_",
    "line one  \nline two\n\nsnake_case and 2 * 3 and a_b_c",
    "| a | b |\n|---|---|\n| *c* | d |",
    "1. x\n2. y\n\n- z\n\n> quote *q*\n\n    code *not em*",
    "[ref] and [text][ref] and ![img][ref]\n\n[ref]: https://example.org \"T\"",
    "raw <b>html</b> and 1 < 2 > 0 and AT&T",
]


def wanted(quote, claim="c", stance="asserts", id_="q"):
    return Wanted(id_, claim, quote, stance, f"../../claims/{claim}/", "Claim")


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
