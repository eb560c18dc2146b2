"""Random and hostile text → the loader, the annotator and the config reader: Problems at most, never an exception;
and whole sites with control characters, odd file names and symbolic links → a build whose every XML output parses,
or Problems that print as one line each, with nothing from outside the site published.

Property-based (Hypothesis): whatever a file holds, a user gets `PATH:LINE: message`, not a traceback.
"""
from __future__ import annotations

import io
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from generator.annotate import Renderer, Wanted
from generator.config import load_config
from generator.errors import UNPRINTABLE, Problem, SiteError
from generator.load import load_actor, load_article, load_claim, load_outlet, load_page

# Characters that mean something to YAML, Markdown, HTML or our folding, some that mean nothing, and control
# characters (C0, DEL, C1, a bare CR, the noncharacters XML refuses)
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\r\x1b\x7f\x85\x9b\ufffe\uffff"
PLAIN = "*_`[]()<>!#&|:;-+=~{}\"'\\/\n\t \u00a0\u2018\u2019\u201c\u201d\u2026\u2014\u2028\ufeff%@,.?0123456789aAzé한"
HOSTILE = PLAIN + CONTROLS
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


# -- whole sites: control characters, odd file names, symbolic links -------------------------------------------

NAME = st.one_of(st.from_regex(r"baru-[a-z0-9]{1,12}", fullmatch=True), st.text(  # a SLUG, or odd: file systems
    alphabet="abz09-_. é한\n\t:,%\\\"'" + CONTROLS.replace("\x00", ""), min_size=1, max_size=16).filter(  # take
    lambda name: name not in (".", "..")))  # any character but NUL and "/"
TEXT = st.one_of(*[st.text(alphabet=PLAIN, max_size=200)] * 3, st.text(alphabet=HOSTILE, max_size=200))  # 1 in 4
# Escapes of YAML and character references of Markdown: half of them harmless, half making a control character
ESCAPES = st.sampled_from(["", "", "", "\\t", "\\u2028", "\\e", "\\x01", "\\u0085", "\\0", "\\r"])
REFERENCES = st.sampled_from(["", "", "&#9;", "&amp;#1;", "&#0;", "&#27;", "&#x7f;", "&#xFFFE;", "&#13;", "&#x85;"])
LINKS = st.sampled_from([None, None, None, None, "inside", "file out", "folder out", "nowhere", "round"])
WHERE = st.sampled_from(["content/claims/tautan.md", "content/pages", "content/claims", "static/gaya.css",
                         "static/css", "templates/page.html", "templates"])
SECRET = "kata sandi rahasia"


def hostile_site(root: Path, title: str, body: str, escape: str, reference: str, name: str, link, where: str) -> None:
    from conftest import BASE, make_site
    claim, article = "content/claims/sanksi-dilanggar.md", "content/articles/putin-di-pyongyang.md"
    make_site(root, {claim: f"---\ntitle: {json.dumps(title)}\nsummary: \"Ringkasan{escape}\"\n---\n{body}\n",
                     article: BASE[article].replace("bertemu hari ini.", f"bertemu hari ini. {reference}")})
    try:
        (root / "content/claims" / f"{name}.md").write_text("---\ntitle: Nama aneh\n---\nTeks.\n", "utf-8")
    except OSError:  # a name the file system refuses (too long in bytes): nothing to build with it
        pass
    outside = root.parent / "luar"
    (outside / "folder").mkdir(parents=True, exist_ok=True)
    (outside / "rahasia.md").write_text(f"---\ntitle: Rahasia\n---\n{SECRET}\n", "utf-8")
    (outside / "folder" / "rahasia.md").write_text(f"---\ntitle: Rahasia\n---\n{SECRET}\n", "utf-8")
    if link is None:
        return
    path = root / where
    if path.exists():  # a folder of the site (content/claims): moved aside, the link takes its place
        path.rename(outside / f"was-{path.name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    target = {"file out": outside / "rahasia.md", "folder out": outside / "folder", "nowhere": outside / "tidak-ada",
              "round": path, "inside": root / "content/claims/korea-utara-memasok-senjata.md"}[link]
    os.symlink(target, path)


# Each example is a build (~0.2 s when refused, ~1.5 s when built): FUZZ_SITES=300 for a longer search.
@settings(max_examples=int(os.environ.get("FUZZ_SITES", 25)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT, ESCAPES, REFERENCES, NAME, LINKS, WHERE)
@example('Korea <Utara> & "Rusia" ]]> \u2028 \ufeff', "Teks <b>tebal</b> &lt; ]]>\n\n> kutipan\t", "\\t", "&#9;",
         "baru-satu", "inside", "content/claims/tautan.md")  # what XML must escape, all of it legal: builds
@example("Judul", "Teks.", "\\e", "&#27;", "a\n::error file=x::b\x1b]0;t\x07", "folder out", "content/pages")
def test_a_hostile_site_builds_parseable_xml_or_reports_one_line_per_problem(title, body, escape, reference, name,
                                                                              link, where):
    """Whatever the site holds, a build either writes feeds and sitemaps a strict XML parser reads, with no control
    character in any page, or fails with Problems printed one line each, escaped; a link out of its folder never
    builds, and nothing from outside the site is ever published."""
    from conftest import build_here
    from generator.cli import report
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        hostile_site(root, title, body, escape, reference, name, link, where)
        try:
            build_here(root)
        except SiteError as e:
            printed = io.StringIO()
            report(e.problems, out=printed)
            assert printed.getvalue().count("\n") == len(e.problems) + 1, "one line per problem, then the count"
            assert not UNPRINTABLE.search(printed.getvalue().replace("\n", "")), printed.getvalue()
            event("refused: " + re.sub(r"^[^:]*:\d+: |[^a-z ].*", "", str(e.problems[0]))[:40])
            return
        event("built")
        assert link in (None, "inside"), f"a link {link!r} at {where} was followed"
        out = root / "_site"
        xml = sorted(out.rglob("*.xml"))
        assert {p.name for p in xml} >= {"feed.xml", "sitemap.xml"}
        for path in xml:
            ET.parse(path)
        for path in out.rglob("*.html"):
            text = path.read_text("utf-8")
            assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]", text), path
            assert SECRET not in text, path
