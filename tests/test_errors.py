"""Bad content → every error as PATH:LINE: message, all at once, exit 1, and the last good output kept (SPEC §5)."""
from __future__ import annotations

import pytest

from conftest import ARTICLE, BASE, build_ok, run_cli
from generator.build import build
from generator.errors import SiteError

A = BASE[ARTICLE]


def errors_of(root) -> list[str]:
    with pytest.raises(SiteError) as e:
        build(root, root / "_site", jobs=1)
    return [str(p) for p in e.value.problems]


CASES = {
    "malformed toml": (
        {"site.toml": 'title = "x"\nbase_url = "https://a.b/"\nlanguage = id\n'},
        "site.toml:3: malformed TOML"),
    "unknown field in site.toml": (
        {"site.toml": BASE["site.toml"].replace('language = "id"', 'langauge = "id"')},
        "site.toml:4: unknown field 'langauge' (did you mean 'language'?)"),
    "malformed yaml": (
        {ARTICLE: A.replace("outlet: tribunnews", "outlet: [tribunnews")},
        f"{ARTICLE}:3: malformed YAML: did not find expected ',' or ']'"),  # where the '[' opens
    "malformed actor yaml": (
        {"content/actors/rusia.yaml": "name: Rusia\nkind: : government\n"},
        "content/actors/rusia.yaml:2: malformed YAML"),
    "missing required field": (
        {"content/outlets/antara.yaml": "url: https://www.antaranews.com\n"},
        "content/outlets/antara.yaml:1: missing required field 'name'"),
    "unknown field": (
        {ARTICLE: A.replace("    asserts: [antony-blinken]", "    asserst: [antony-blinken]")},
        f"{ARTICLE}:9: unknown field 'asserst' in annotation 1 (did you mean 'asserts'?)"),
    "unknown claim": (
        {ARTICLE: A.replace("  - claim: sanksi-dilanggar", "  - claim: sanksi-dilangar")},
        f"{ARTICLE}:14: unknown claim 'sanksi-dilangar' (did you mean 'sanksi-dilanggar'?)"),
    "unknown actor": (
        {ARTICLE: A.replace("denies: [korea-utara, rusia]", "denies: [korea-utara, russia]")},
        f"{ARTICLE}:13: unknown actor 'russia' (did you mean 'rusia'?)"),
    "actor given by name": (
        {ARTICLE: A.replace("asserts: [antony-blinken]", "asserts: [Blinken]")},
        f"{ARTICLE}:9: unknown actor 'Blinken' (did you mean 'antony-blinken'?)"),
    "unknown outlet": (
        {ARTICLE: A.replace("outlet: tribunnews", "outlet: tribunews")},
        f"{ARTICLE}:3: unknown outlet 'tribunews' (did you mean 'tribunnews'?)"),
    "unknown verdict": (
        {"content/claims/sanksi-dilanggar.md": "---\ntitle: X\nverdict: slah\nreviewed: 2024-01-02\n---\nAnalisis.\n"},
        "content/claims/sanksi-dilanggar.md:3: unknown verdict 'slah' (did you mean 'salah'?)"),
    "quote not found": (
        {ARTICLE: A.replace("quote: Baik Pyongyang maupun Moskow membantah klaim",
                            "quote: Baik Pyongyang maupun Moskwa membantah klaim")},
        f"{ARTICLE}:12: quote not found in the article's text: 'Baik Pyongyang maupun Moskwa membantah klaim' "
        "(closest passage: 'Baik Pyongyang maupun Moskow membantah klaim')"),
    "ambiguous quote": (
        {ARTICLE: A.replace("quote: transfer senjata Korea Utara akan melanggar beberapa sanksi",
                            "quote: Korea Utara")},
        f"{ARTICLE}:15: ambiguous quote, found 3 times in the article's text: 'Korea Utara'"),
    "two files claim one slug": (
        {"content/actors/rusia.yml": "name: Rusia lagi\nkind: government\n"},
        "content/actors/rusia.yml:1: two files claim the slug 'rusia': content/actors/rusia.yaml and "
        "content/actors/rusia.yml"),
    "two claims claim one alias": (
        {"content/claims/sanksi-dilanggar.md": "---\ntitle: X\naliases: [lama]\n---\n",
         "content/claims/korea-utara-memasok-senjata.md": "---\ntitle: Y\naliases: [lama]\n---\n"},
        "two claims claim the alias 'lama'"),
    "alias is another claim's slug": (
        {"content/claims/sanksi-dilanggar.md": "---\ntitle: X\naliases: [korea-utara-memasok-senjata]\n---\n"},
        "content/claims/sanksi-dilanggar.md:3: alias 'korea-utara-memasok-senjata' is already the slug of"),
    "forbidden slug": (
        {"content/actors/Kim_Jong_Un.yaml": "name: Kim Jong Un\nkind: person\n"},
        "content/actors/Kim_Jong_Un.yaml:1: the file name 'Kim_Jong_Un' is not a valid SLUG: use lowercase "
        "letters, digits and hyphens (like 'kim-jong-un')"),
    "impossible date": (
        {ARTICLE: A.replace("published: 2024-06-19", "published: 2024-02-30")},
        f"{ARTICLE}:4: impossible date '2024-02-30' in 'published'"),
    "month precision is not a review date": (
        {"content/claims/sanksi-dilanggar.md": "---\ntitle: X\nverdict: salah\nreviewed: 2024-06\n---\n"},
        "content/claims/sanksi-dilanggar.md:4: 'reviewed' must be a date, YYYY-MM-DD: '2024-06'"),
    "verdict without review date": (
        {"content/claims/sanksi-dilanggar.md": "---\ntitle: X\nverdict: salah\n---\n"},
        "content/claims/sanksi-dilanggar.md:3: a claim with a verdict needs 'reviewed'"),
    "no front matter": (
        {"content/claims/sanksi-dilanggar.md": "title: X\n"},
        "content/claims/sanksi-dilanggar.md:1: no front matter"),
    "link to a missing passage": (
        {"content/claims/sanksi-dilanggar.md": "---\ntitle: X\n---\nLihat\n[ini](/articles/putin-di-pyongyang/#blinken-amunsi).\n"},
        "content/claims/sanksi-dilanggar.md:5: link to a missing passage '/articles/putin-di-pyongyang/#blinken-amunsi' "
        "(did you mean 'blinken-amunisi'?)"),
    "bad kind": (
        {"content/actors/rusia.yaml": "name: Rusia\nkind: goverment\n"},
        "content/actors/rusia.yaml:2: unknown kind 'goverment'"),
}


@pytest.mark.parametrize("name", CASES)
def test_each_error_names_its_file_and_line(site, name):
    files, expected = CASES[name]
    found = errors_of(site(files))
    assert any(line.startswith(expected) or expected in line for line in found), "\n".join(found)


def test_every_error_is_reported_at_once(site):
    """Five mistakes in four files: five lines, each at its place, sorted; none hidden behind another."""
    sullivan = "content/articles/sullivan-mendesak-kim.md"
    files = {
        sullivan: BASE[sullivan].replace("asserts: [jake-sullivan]", "asserts: [jake-sulivan]"),
        ARTICLE: A.replace("published: 2024-06-19", "published: 2024-02-30"),
        **CASES["forbidden slug"][0], **CASES["unknown verdict"][0], **CASES["missing required field"][0],
    }
    found = errors_of(site(files))
    expected = [
        "content/actors/Kim_Jong_Un.yaml:1: the file name 'Kim_Jong_Un' is not a valid SLUG",
        f"{ARTICLE}:4: impossible date '2024-02-30' in 'published'",
        f"{sullivan}:8: unknown actor 'jake-sulivan' (did you mean 'jake-sullivan'?)",
        "content/claims/sanksi-dilanggar.md:3: unknown verdict 'slah' (did you mean 'salah'?)",
        "content/outlets/antara.yaml:1: missing required field 'name'",
    ]
    assert len(found) == len(expected) and all(f.startswith(e) for f, e in zip(found, expected)), "\n".join(found)


def test_bad_input_keeps_the_last_good_output_and_prints_no_traceback(site):
    root = site()
    out = build_ok(root)
    before = (out / "claims/korea-utara-memasok-senjata/index.html").read_text("utf-8")
    (root / ARTICLE).write_text(A.replace("published: 2024-06-19", "published: 2024-13-01"), "utf-8")
    result = run_cli("build", "--site", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{ARTICLE}:4: impossible date '2024-13-01' in 'published'" in result.stderr
    assert (out / "claims/korea-utara-memasok-senjata/index.html").read_text("utf-8") == before


def test_check_reports_content_errors_and_exits_1(site):
    root = site({ARTICLE: A.replace("outlet: tribunnews", "outlet: tribunews")})
    result = run_cli("check", "--site", str(root))
    assert result.returncode == 1
    assert f"{ARTICLE}:3: unknown outlet 'tribunews'" in result.stderr
    assert not (root / "_site").exists(), "check builds nothing"


def test_broken_template_link_is_found_by_check(site):
    root = site({"templates/outlets.html": '{% extends "base.html" %}{% block content %}'
                                           '<a href="{{ root }}nowhere/">x</a>{% endblock %}'})
    result = run_cli("check", "--site", str(root))
    assert result.returncode == 1
    assert "_site/outlets/index.html" in result.stderr and "broken link '../nowhere/'" in result.stderr


def test_a_template_mistake_points_into_the_template(site):
    root = site({"templates/outlet.html": '{% extends "base.html" %}\n{% block content %}\n{{ outlet.nmae }}\n{% endblock %}'})
    result = run_cli("build", "--site", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "templates/outlet.html:3: template error" in result.stderr and "nmae" in result.stderr


def test_a_build_read_by_a_reader_that_stops_says_no_false_error(site, tmp_path):
    """`build | head -1`: the reader stops after the first line, the build goes on and writes the site; it does not
    then claim "nothing was written" (the pipe's end is no error of the site's) nor print a traceback."""
    import subprocess
    import sys

    from conftest import REPO, here_first
    root = site()
    out = tmp_path / "out"
    reader = subprocess.Popen([sys.executable, "-m", "generator", "build", "--site", str(root), "--out", str(out)],
                              cwd=REPO, env=here_first(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.close()  # gone before the build says a word
    said = reader.stderr.read().decode("utf-8")
    reader.wait(timeout=300)
    assert (out / "index.html").is_file()
    assert "nothing was written" not in said and "Broken pipe" not in said and "Traceback" not in said, said
