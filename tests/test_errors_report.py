"""errors.py: what a problem looks like (`PATH:LINE: message`), how many, in which order, and the "did you mean"."""
from __future__ import annotations

import pytest

from generator.errors import Problem, SiteError, Src, did_you_mean, field_src, raise_errors


def test_a_problem_reads_path_line_message_and_a_warning_says_so():
    assert str(Src("content/a.md", 7)) == "content/a.md:7"
    assert str(Src("site.toml")) == "site.toml:1", "a file with no line is line 1"
    assert str(Src("content/pages/", 0)) == "content/pages/", "line 0: not a line of a file (e.g. --out)"
    assert str(Problem(Src("content/a.md", 7), "bad")) == "content/a.md:7: bad"
    assert str(Problem(Src("_site/sitemap.xml", 3), "gone", warning=True)) == "_site/sitemap.xml:3: warning: gone"


def test_a_site_error_lists_each_problem_once_sorted_by_file_then_line():
    ps = [Problem(Src("b.md", 2), "x"), Problem(Src("a.md", 10), "y"), Problem(Src("a.md", 9), "z"),
          Problem(Src("b.md", 2), "x"), Problem(Src("a.md", 10), "a")]
    e = SiteError(ps)
    assert [str(p) for p in e.problems] == ["a.md:9: z", "a.md:10: a", "a.md:10: y", "b.md:2: x"]
    assert str(e) == "a.md:9: z\na.md:10: a\na.md:10: y\nb.md:2: x"


def test_did_you_mean_offers_the_closest_name_or_nothing():
    assert did_you_mean("rusa", ["rusia", "korea-utara"]) == " (did you mean 'rusia'?)"
    assert did_you_mean("xyz", ["rusia", "korea-utara"]) == ""
    assert did_you_mean("ab", []) == ""
    assert did_you_mean("korea-utar", {"korea-utara": 1, "korea-selatan": 2}) == " (did you mean 'korea-utara'?)"
    assert did_you_mean(12, ["12a"]) == " (did you mean '12a'?)"


def test_did_you_mean_stops_at_sixty_percent_alike():
    assert did_you_mean("abcdefghij", ["abcdefxxxx"]) == " (did you mean 'abcdefxxxx'?)"  # 0.6 exactly
    assert did_you_mean("abcdefghij", ["abcdexxxxx"]) == ""  # 0.5


def test_raise_errors_raises_only_for_errors_and_leaves_warnings_out():
    raise_errors([Problem(Src("a", 1), "w", warning=True)])
    raise_errors([])
    with pytest.raises(SiteError) as e:
        raise_errors([Problem(Src("a", 1), "w", warning=True), Problem(Src("a", 2), "e")])
    assert [str(p) for p in e.value.problems] == ["a:2: e"]


def test_field_src_is_the_field_line_else_the_record_line():
    class R:
        src = Src("content/claims/x.md", 2)
        lines = {"verdict": 4}
    assert field_src(R, "verdict") == Src("content/claims/x.md", 4)
    assert field_src(R, "related") == Src("content/claims/x.md", 2)
