"""The example site's editorial rules, checked on its build: a verdict rests on passages its analysis cites, and
only a rated claim, rated on a step of the site's scale, reaches ClaimReview. Each rule is also shown to fail on a
copy of the example with a violation planted in it."""
from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from conftest import REPO, run_cli

PASSAGE_LINK = re.compile(r"\]\(/articles/([a-z0-9-]+)/#([A-Za-z0-9_-]+)\)")


def build(root: Path, out: Path) -> Path:
    result = run_cli("build", "--site", str(root), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def claims(root: Path) -> dict[str, tuple[dict, str]]:
    """Each claim's front matter and analysis (the Markdown body), by slug."""
    out = {}
    for f in sorted((root / "content/claims").glob("*.md")):
        m = re.match(r"---\s*\n(.*?)\n---\s*\n?(.*)", f.read_text("utf-8"), re.S)
        out[f.stem] = (yaml.safe_load(m.group(1)) or {}, m.group(2))
    return out


def scale(root: Path) -> dict[str, tuple[int, str]]:
    """The site's rating scale: verdict key -> (rating, label)."""
    config = tomllib.loads((root / "site.toml").read_text("utf-8"))
    return {v["key"]: (v["rating"], v["label"]) for v in config.get("verdicts", [])}


def passage_ids(out: Path, article: str) -> set[str]:
    """The ids of the annotated passages (marks) of an article page."""
    f = out / "articles" / article / "index.html"
    if not f.is_file():
        return set()
    return {m["id"] for m in BeautifulSoup(f.read_text("utf-8"), "html.parser").find_all("mark", id=True)}


def unsupported_verdicts(root: Path, out: Path) -> list[str]:
    """Rated claims whose analysis links to no annotated passage, or to a passage that does not exist."""
    problems = []
    for slug, (fm, body) in claims(root).items():
        if not fm.get("verdict"):
            continue
        links = PASSAGE_LINK.findall(body)
        if not links:
            problems.append(f"{slug}: rated {fm['verdict']!r} but its analysis cites no passage")
        problems += [f"{slug}: cites /articles/{a}/#{i}, which is not an annotated passage"
                     for a, i in links if i not in passage_ids(out, a)]
    return problems


def claim_reviews(html: str) -> list[dict]:
    """Every ClaimReview object in a page's JSON-LD, wherever it is nested."""
    found = []

    def walk(node):
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            types = node.get("@type")
            if types == "ClaimReview" or (isinstance(types, list) and "ClaimReview" in types):
                found.append(node)
            for v in node.values():
                walk(v)

    for script in BeautifulSoup(html, "html.parser").find_all("script", type="application/ld+json"):
        walk(json.loads(script.string or "null"))
    return found


def bad_claim_reviews(root: Path, out: Path) -> list[str]:
    """ClaimReview on an unrated claim, a rated claim without exactly one, or a rating that is not a step of the
    scale (or not the claim's own); claims.json must agree."""
    steps = scale(root)
    ratings = {r for r, _ in steps.values()}
    problems = []
    for slug, (fm, _) in claims(root).items():
        reviews = claim_reviews((out / "claims" / slug / "index.html").read_text("utf-8"))
        verdict = fm.get("verdict")
        if not verdict:
            if reviews:
                problems.append(f"{slug}: unrated, yet its page carries {len(reviews)} ClaimReview")
            continue
        if len(reviews) != 1:
            problems.append(f"{slug}: rated, with {len(reviews)} ClaimReview instead of one")
            continue
        rating = reviews[0].get("reviewRating") or {}
        value, name = rating.get("ratingValue"), rating.get("alternateName")
        if value not in ratings and str(value) not in {str(r) for r in ratings}:
            problems.append(f"{slug}: ratingValue {value!r} is not a step of the scale {sorted(ratings)}")
        if (str(value), name) != (str(steps[verdict][0]), steps[verdict][1]):
            problems.append(f"{slug}: ClaimReview rates it {value!r} {name!r}, the claim says {verdict!r}")
        for bound, want in (("bestRating", max(ratings)), ("worstRating", min(ratings))):
            if bound in rating and str(rating[bound]) != str(want):
                problems.append(f"{slug}: {bound} {rating[bound]!r} is not the scale's {want}")
    for row in json.loads((out / "claims.json").read_text("utf-8"))["claims"]:
        verdict = claims(root).get(row["slug"], ({}, ""))[0].get("verdict")
        if (row["verdict"] or {}).get("key") != verdict:
            problems.append(f"claims.json: {row['slug']} has verdict {row['verdict']!r}, the claim says {verdict!r}")
    return problems


def test_every_verdict_rests_on_passages_its_analysis_cites(example):
    assert unsupported_verdicts(REPO, example) == []
    assert any(fm.get("verdict") for fm, _ in claims(REPO).values()), "the example rates at least one claim"


def test_only_rated_claims_reach_claimreview_and_on_a_step_of_the_scale(example):
    assert bad_claim_reviews(REPO, example) == []


def test_the_scale_is_an_ordinal_of_truth_values_with_no_out_of_scale_state():
    ratings = [r for r, _ in scale(REPO).values()]
    assert len(set(ratings)) == len(ratings) and all(isinstance(r, int) for r in ratings)
    assert not {"belum-terbukti", "tidak-dapat-dinilai"} & set(scale(REPO)), "no 'not settled' step in the scale"


def test_the_checks_fail_when_a_violation_is_planted(tmp_path, example):
    """The two checks above are not vacuous: a copy of the example with violations planted fails them."""
    root = tmp_path / "site"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "site.toml", root / "site.toml")
    rated = sorted(s for s, (fm, _) in claims(REPO).items() if fm.get("verdict"))
    unrated = sorted(s for s, (fm, _) in claims(REPO).items() if not fm.get("verdict"))
    out = build(root, tmp_path / "out")
    # A rated claim whose analysis keeps its words but loses every passage link (and the build now refuses it).
    stripped = root / "content/claims" / f"{rated[0]}.md"
    stripped.write_text(PASSAGE_LINK.sub("](/claims/)", stripped.read_text("utf-8")), "utf-8")
    assert any(p.startswith(f"{rated[0]}: rated") for p in unsupported_verdicts(root, out))
    refused = run_cli("check", "--site", str(root))
    assert refused.returncode == 1 and "a rated claim's analysis must show its evidence" in refused.stderr
    # A link to a passage that is not there.
    dangling = root / "content/claims" / f"{rated[1]}.md"
    dangling.write_text(dangling.read_text("utf-8") + "\n[x](/articles/tidak-ada/#tidak-ada)\n", "utf-8")
    assert any("not an annotated passage" in p for p in unsupported_verdicts(root, out))
    # A ClaimReview on an unrated claim, and one whose rating is off the scale.
    shutil.rmtree(out)
    shutil.copytree(example, out)
    review = claim_reviews((out / "claims" / rated[0] / "index.html").read_text("utf-8"))[0]
    unrated_page = out / "claims" / unrated[0] / "index.html"
    unrated_page.write_text(unrated_page.read_text("utf-8").replace(
        "</head>", f'<script type="application/ld+json">{json.dumps(review)}</script></head>'), "utf-8")
    rated_page = out / "claims" / rated[0] / "index.html"
    soup = BeautifulSoup(rated_page.read_text("utf-8"), "html.parser")
    for script in soup.find_all("script", type="application/ld+json"):
        script.string = re.sub(r'("ratingValue":\s*)"?\d+"?', r'\g<1>99', script.string)
    rated_page.write_text(str(soup), "utf-8")
    problems = bad_claim_reviews(REPO, out)
    assert any(p.startswith(f"{unrated[0]}: unrated") for p in problems), problems
    assert any(p.startswith(f"{rated[0]}: ratingValue 99 is not a step") for p in problems), problems


def test_the_example_warns_only_of_what_its_editors_decided_to_keep():
    """Every warning of the example is one an editor has weighed: the UN documents cited at their permanent address
    with no archived copy (each page says so), and the UN's actor page, kept for its URL though no passage in the
    five articles has the UN asserting or denying anything (docs/editorial-review.md)."""
    result = run_cli("check", "--site", str(REPO))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    unarchived = re.compile(r"content/claims/[a-z0-9-]+\.md:\d+: warning: source '(s-res-\d+-\d+|s-pv-\d+|sc-\d+)' has "
                            r"a url but no archive_url")
    kept = "content/actors/pbb.yaml:1: warning: no annotation uses this actor"
    assert [w for w in warnings if not unarchived.match(w) and not w.startswith(kept)] == []
    for w in filter(unarchived.match, warnings):
        path, line = w.split(":")[:2]
        note = (REPO / path).read_text("utf-8").splitlines()[int(line) - 1:int(line) + 25]
        assert any("salinan arsip" in n for n in note), f"{w}: the source's note says no copy was archived"


def test_the_example_articles_keep_their_language_under_another_interface_language(tmp_path):
    """A newsroom that forks the example for an English interface still has the articles read as Indonesian."""
    root = tmp_path / "site"
    shutil.copytree(REPO / "content", root / "content")
    (root / "site.toml").write_text((REPO / "site.toml").read_text("utf-8").replace(
        'language = "id"', 'language = "en"', 1), "utf-8")
    out = build(root, tmp_path / "out")
    for article in sorted((REPO / "content/articles").glob("*.md")):
        page = BeautifulSoup((out / "articles" / article.stem / "index.html").read_text("utf-8"), "html.parser")
        assert page.html["lang"] == "en" and page.select_one("div.body")["lang"] == "id", article.stem
