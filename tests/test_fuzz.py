"""Random and hostile text → the loader, the annotator and the config reader: Problems at most, never an exception.

Property-based (Hypothesis): whatever a file holds, a user gets `PATH:LINE: message`, not a traceback.
"""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.annotate import Renderer, Wanted
from generator.config import load_config
from generator.errors import Problem, SiteError
from generator.load import load_actor, load_article, load_claim, load_outlet, load_page

# Characters that mean something to YAML, Markdown, HTML or our folding, and some that mean nothing
HOSTILE = "*_`[]()<>!#&|:;-+=~{}\"'\\/\n\t \u00a0\u2018\u2019\u201c\u201d\u2026\u2014\u2028\ufeff\x00\x1b%@,.?0123456789aAzé한"
text = st.text(alphabet=HOSTILE, max_size=400)
pieces = st.sampled_from(["---\n", "title: ", "outlet: x\n", "published: 2024-02-30\n", "annotations:\n",
                          "  - claim: a\n", "    quote: ", "    asserts: [", "&a ", "*a ", "!!python/object ",
                          "<script>", "](javascript:x)", "**", "> ", "    - ", "\n\n", "occurrence: 0\n", "'", '"'])
documents = st.lists(st.one_of(text, pieces), max_size=30).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_problems(result) -> None:
    record, problems = result
    assert all(isinstance(p, Problem) and p.src.line >= 0 for p in problems)
    assert record is not None or problems, "a file that loads nothing says why"


@SETTINGS
@given(documents)
def test_an_article_file_of_any_text_gives_problems_never_an_exception(doc):
    only_problems(load_article("content/articles/x.md", doc, {"a": "A"}, False, "id"))
    only_problems(load_article("content/articles/x.md", "---\ntitle: t\n" + doc, {"a": "A"}, False, "id"))


@SETTINGS
@given(documents)
def test_claim_actor_outlet_and_page_files_of_any_text_give_problems(doc):
    for load in (lambda d: load_claim("content/claims/x.md", d, False), lambda d: load_actor("content/actors/x.yaml", d),
                 lambda d: load_outlet("content/outlets/x.yaml", d),
                 lambda d: load_page("content/pages/x.md", d, False)):
        record, problems = load(doc)
        assert all(isinstance(p, Problem) for p in problems)


@SETTINGS
@given(documents, st.lists(st.tuples(st.integers(0, 400), st.integers(1, 40)), max_size=4), st.booleans())
def test_the_annotator_marks_any_text_with_any_quotes(body, spans, trusted):
    """Quotes cut from the text itself (so many are found) and arbitrary ones: marked or reported, no exception."""
    renderer = Renderer(trusted)
    wanted = [Wanted(f"q{i}", "a", body[s:s + n] or "x", "asserts", "../../claims/a/", "A") for i, (s, n) in enumerate(spans)]
    try:
        rendered = renderer.render(body, wanted)
    except ValueError as e:  # MarkdownError: the loader turns it into a Problem
        assert "nests" in str(e)
        return
    assert len(rendered.found) == len(wanted)
    if not trusted:
        assert not re.search(r"<script|<[^>]*\s(?:href|src)\s*=\s*[\"']?\s*javascript:|<[^>]*\son\w+\s*=", rendered.html, re.I)


@SETTINGS
@given(st.lists(st.one_of(text, st.sampled_from(['title = "x"\n', 'base_url = "https://a.b/"\n', "[[verdicts]]\n",
                                                   'key = "k"\n', "rating = 1\n", 'output_dir = "."\n', "[topics]\n",
                                                   'language = "../x"\n', "x = 9999999\n"])), max_size=12).map("".join))
def test_site_toml_of_any_text_is_a_site_error_or_a_config(tmp_path_factory, toml):
    root = tmp_path_factory.mktemp("site")
    (root / "site.toml").write_text(toml, "utf-8", errors="surrogatepass") if "\ud800" not in toml else None
    try:
        load_config(Path(root))
    except SiteError as e:
        assert all(str(p).startswith(("site.toml:", "templates/", "--")) for p in e.problems), e.problems


def test_an_article_with_no_text_reports_every_quote():
    """Found by the fuzzer: an empty body never ran the annotator, and its annotations were dropped silently."""
    doc = "---\ntitle: t\noutlet: o\npublished: 2024-01-01\nannotations:\n  - claim: a\n    quote: x\n---\n"
    record, problems = load_article("content/articles/x.md", doc, {"a": "A"}, False, "id")
    assert [str(p) for p in problems] == ["content/articles/x.md:7: quote not found in the article's text: 'x'"]


def test_front_matter_of_only_comments_or_a_bare_marker_is_empty_not_a_lost_file():
    """Found by the fuzzer: YAML that holds no document made the article vanish with no word."""
    for doc in ("---\n---\n---\n", "---\n# title: later\n---\nText.\n"):
        record, problems = load_article("content/articles/x.md", doc, {}, False, "id")
        assert "content/articles/x.md:2: missing required field 'title'" in [str(p) for p in problems], problems
