"""`check --format github|json`: every problem `check` finds, at the same file and line as the text report —
as GitHub workflow commands (annotations on a pull request's diff) and as JSON for other tools."""
from __future__ import annotations

import json
import re
import subprocess

from conftest import ARTICLE, BASE, CLAIM, SANKSI, run_cli
from generator.errors import Problem, Src


# One of each kind of mistake a writer makes, across the pipeline: reading (YAML, fields, dates, quotes),
# linking (claims, actors, pages), a link to a draft.
BROKEN = {
    ARTICLE: BASE[ARTICLE].replace("claim: korea-utara-memasok-senjata\n    quote: Baik",
                                   "claim: korea-utara-memasok-senjat\n    quote: Baik")
                          .replace("denies: [korea-utara, rusia]", "denies: [korea-utara, rusiaa]")
                          .replace("published: 2024-06-19", "published: 2024-06-31"),
    "content/articles/sullivan-mendesak-kim.md": BASE["content/articles/sullivan-mendesak-kim.md"].replace(
        "quote: agar tidak memasok senjata ke Rusia", "quote: agar tidak memasok senjata kepada Rusia"),
    CLAIM: BASE[CLAIM].replace("verdict: belum-terbukti", "verdik: belum-terbukti")
                      .replace("related: [sanksi-dilanggar]\n", "")
                      + "Lihat [klaim lain](/claims/sanksi-dilangar/) dan [konsep](/claims/konsep/).\n",
    "content/claims/konsep.md": "---\ntitle: Konsep\ndraft: true\n---\n",
    "content/actors/tiongkok.yaml": "name: Tiongkok\nkind: government\naliases: [RRT\n",
}


def formats(root, *extra):
    text = run_cli("check", "--site", str(root), *extra)
    github = run_cli("check", "--site", str(root), "--format", "github", *extra)
    as_json = run_cli("check", "--site", str(root), "--format", "json", *extra)
    return text, github, as_json


def test_every_problem_at_the_same_file_and_line_in_each_format(site):
    root = site(BROKEN)
    text, github, as_json = formats(root)
    assert text.returncode == github.returncode == as_json.returncode == 1
    problems = json.loads(as_json.stdout)
    reported = [line for line in text.stderr.splitlines() if not re.match(r"\d+ errors? found", line)]
    assert len(problems) == len(reported) >= 8
    commands = [line for line in github.stdout.splitlines() if line.startswith("::")]
    assert len(commands) == len(problems)
    for p, line, command in zip(problems, reported, commands):
        warning = "warning: " if p["severity"] == "warning" else ""
        assert line == f"{p['path']}:{p['line']}: {warning}{p['message']}"
        assert command == f"::{p['severity']} file={p['path']},line={p['line']}::{p['message']}"
    where = {(p["path"], p["line"], p["severity"]) for p in problems}
    assert where >= {
        (ARTICLE, 4, "error"),  # impossible date
        (ARTICLE, 11, "error"),  # unknown claim
        (ARTICLE, 13, "error"),  # unknown actor
        ("content/articles/sullivan-mendesak-kim.md", 7, "error"),  # quote not found
        (CLAIM, 3, "error"),  # unknown field
        (CLAIM, 9, "error"),  # link to a missing page, and to a draft
        ("content/actors/tiongkok.yaml", 3, "error"),  # malformed YAML
    }, where
    errors = [p for p in problems if p["severity"] == "error"]
    assert github.stdout.splitlines()[-1] == f"{len(errors)} errors found."


def test_a_warning_is_a_warning_annotation(site):
    """A passage of a draft claim, left out of the build: the check passes, and the diff shows why."""
    root = site({SANKSI: BASE[SANKSI].replace("---\n", "---\ndraft: true\n", 1),
                 CLAIM: BASE[CLAIM].replace("related: [sanksi-dilanggar]\n", "")})
    text, github, as_json = formats(root)
    assert text.returncode == github.returncode == as_json.returncode == 0, text.stderr
    message = f"annotation of draft claim 'sanksi-dilanggar' left out ({SANKSI} is draft: true)"
    assert f"{ARTICLE}:14: warning: {message}" in text.stderr.splitlines()
    assert f"::warning file={ARTICLE},line=14::{message}" in github.stdout.splitlines()
    assert json.loads(as_json.stdout) == [
        {"path": ARTICLE, "line": 14, "severity": "warning", "message": message, "suggestion": None}]


def test_the_suggestion_is_the_did_you_mean_or_the_closest_passage(site):
    problems = json.loads(run_cli("check", "--site", str(site(BROKEN)), "--format", "json").stdout)
    by_message = {p["message"].split(" (")[0]: p for p in problems}
    unknown_claim = by_message["unknown claim 'korea-utara-memasok-senjat'"]
    assert unknown_claim == {
        "path": ARTICLE, "line": 11, "severity": "error", "suggestion": "korea-utara-memasok-senjata",
        "message": "unknown claim 'korea-utara-memasok-senjat' (did you mean 'korea-utara-memasok-senjata'?)"}
    assert by_message["unknown field 'verdik'"]["suggestion"] == "verdict"
    assert by_message["unknown actor 'rusiaa'"]["suggestion"] == "rusia"
    quote = next(p for p in problems if p["message"].startswith("quote not found"))
    assert quote["suggestion"] and "agar tidak memasok senjata ke Rusia" in quote["suggestion"]
    assert by_message["impossible date '2024-06-31' in 'published'"]["suggestion"] is None


def test_github_annotations_name_the_file_as_the_repository_does(tmp_path):
    """A site in a subfolder of the repository: the annotation's file carries the folder, or it lands nowhere."""
    from conftest import make_site
    make_site(tmp_path / "situs", {CLAIM: BASE[CLAIM].replace("verdict: belum-terbukti", "verdict: palsu")})
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = run_cli("check", "--site", str(tmp_path / "situs"), "--format", "github")
    assert result.returncode == 1
    assert result.stdout.startswith(f"::error file=situs/{CLAIM},line=3::unknown verdict 'palsu'")


def test_a_clean_site_gives_no_commands_and_an_empty_list(site):
    root = site()
    text, github, as_json = formats(root)
    assert text.returncode == github.returncode == as_json.returncode == 0
    assert json.loads(as_json.stdout) == []
    assert not [line for line in github.stdout.splitlines() if line.startswith("::")]


def test_workflow_command_escaping():
    """GitHub's rules: %, CR and LF escaped in the message; also ':' and ',' in a property such as the file."""
    p = Problem(Src("content/a,b:c.md", 3), "100% sure\r\nnext: line, too")
    assert p.as_github() == "::error file=content/a%2Cb%3Ac.md,line=3::100%25 sure%0D%0Anext: line, too"
    assert Problem(Src("--out", 0), "refused", warning=True).as_github() == "::warning::--out: refused"


def test_a_page_that_would_vanish_is_a_warning_annotation(site):
    """The issue's own example of a warning: a claim page the last build published would disappear."""
    from conftest import build_ok
    root = site()
    build_ok(root)
    (root / SANKSI).unlink()
    (root / CLAIM).write_text(BASE[CLAIM].replace("related: [sanksi-dilanggar]\n", ""), "utf-8")
    (root / ARTICLE).write_text(BASE[ARTICLE].replace(
        "  - claim: sanksi-dilanggar\n    quote: transfer senjata Korea Utara akan melanggar beberapa sanksi\n", ""),
        "utf-8")
    text, github, as_json = formats(root)
    assert text.returncode == github.returncode == as_json.returncode == 0, text.stderr
    warnings = json.loads(as_json.stdout)
    assert {w["severity"] for w in warnings} == {"warning"}
    page = next(w for w in warnings if w["path"] == "_site/sitemap.xml")
    assert page["message"].startswith("claims/sanksi-dilanggar/ was published by the last build and would disappear")
    assert f"::warning file=_site/sitemap.xml,line={page['line']}::{page['message']}" in github.stdout.splitlines()
    assert len([line for line in github.stdout.splitlines() if line.startswith("::warning ")]) == len(warnings)


def test_a_site_toml_mistake_is_annotated_on_site_toml(site):
    root = site({"site.toml": BASE["site.toml"].replace('language = "id"', 'language = "id"\nlanguge = "en"')})
    problems = json.loads(run_cli("check", "--site", str(root), "--format", "json").stdout)
    assert {"path": "site.toml", "line": 5, "severity": "error", "suggestion": "language",
            "message": "unknown field 'languge' (did you mean 'language'?)"} in problems
    github = run_cli("check", "--site", str(root), "--format", "github").stdout
    assert "::error file=site.toml,line=5::unknown field 'languge' (did you mean 'language'?)" in github.splitlines()


def test_one_warning_is_counted_as_one(site):
    """A source without an archived copy is a warning: check passes and says so, in words that count right."""
    head, _, body = BASE[CLAIM].partition("\n---\n")
    claim = (f"{head}\nsources:\n  - id: laporan\n    title: Laporan\n    publisher: PBB\n    date: 2024-01\n"
             f"    url: https://example.org/laporan\n---\n{body}Lihat laporannya [@laporan].\n")
    result = run_cli("check", cwd=site({CLAIM: claim}))
    assert result.returncode == 0 and "check: no problems found (1 warning)" in result.stdout, result.stdout
