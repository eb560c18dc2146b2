"""Drafts: checked, never published by `build`; a published page that points to one is an error at its line;
`build --drafts` and the preview show them, each with a "Draft" band."""
from __future__ import annotations

import gzip
import json
import urllib.request
from pathlib import Path

import pytest

from conftest import ARTICLE, BASE, CLAIM, SANKSI, SULLIVAN, build_ok, page, run_cli

NOT_RELATED = BASE[CLAIM].replace("related: [sanksi-dilanggar]\n", "")


def drafted(name: str, text: str | None = None) -> str:
    """The file with `draft: true` (front matter of a .md, or a YAML file's fields)."""
    text = BASE[name] if text is None else text
    return text.replace("---\n", "---\ndraft: true\n", 1) if name.endswith(".md") else text + "draft: true\n"


def traces(out: Path, *words: str) -> list[str]:
    """Every output file that mentions any of the words (gzip'd search index fragments read unpacked)."""
    found = []
    for f in sorted(p for p in out.rglob("*") if p.is_file()):
        data = f.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        text = data.decode("utf-8", "replace")
        found += [f"{f.relative_to(out)}: {w}" for w in words if w in text]
    return found


def test_a_draft_claim_leaves_no_trace_and_its_passage_is_left_out(site):
    root = site({SANKSI: drafted(SANKSI), CLAIM: NOT_RELATED})
    result = run_cli("build", "--site", str(root))
    assert result.returncode == 0, result.stderr
    assert (f"{ARTICLE}:14: warning: annotation of draft claim 'sanksi-dilanggar' left out "
            f"({SANKSI} is draft: true)") in result.stderr
    out = root / "_site"
    assert not (out / "claims" / "sanksi-dilanggar").exists()
    assert traces(out, "sanksi-dilanggar", "Transfer senjata melanggar sanksi PBB") == []
    # The article goes out with its other passages, numbered without a gap; the draft's passage is plain text.
    article = page(out, "articles/putin-di-pyongyang/")
    assert {m["data-claim"] for m in article.select("main mark[data-claim]")} == {"korea-utara-memasok-senjata"}
    assert [a.get_text() for a in article.select("main sup.ann-ref a")] == ["1", "2"]
    assert "transfer senjata Korea Utara akan melanggar beberapa sanksi" in article.select_one("main").get_text()
    assert [c["slug"] for c in json.loads((out / "claims.json").read_text("utf-8"))["claims"]] == [
        "korea-utara-memasok-senjata"]


def test_the_passages_after_one_of_a_draft_claim_stay_and_each_warning_is_at_its_claim_line(site):
    """A draft claim's passages first in the article, one written with its `claim:` below its `quote:`."""
    article = BASE[ARTICLE].replace(
        "  - claim: korea-utara-memasok-senjata\n    quote: Baik Pyongyang maupun Moskow membantah klaim\n",
        "  - quote: Baik Pyongyang maupun Moskow membantah klaim\n    claim: korea-utara-memasok-senjata\n")
    root = site({CLAIM: drafted(CLAIM), ARTICLE: article})
    result = run_cli("build", "--site", str(root))
    assert result.returncode == 0, result.stderr
    for line in (7, 12):
        assert (f"{ARTICLE}:{line}: warning: annotation of draft claim 'korea-utara-memasok-senjata' left out "
                f"({CLAIM} is draft: true)") in result.stderr.splitlines(), result.stderr
    shown = page(root / "_site", "articles/putin-di-pyongyang/")
    assert [m["data-claim"] for m in shown.select("main mark[data-claim]")] == ["sanksi-dilanggar"]


def test_a_draft_article_leaves_no_trace(site):
    root = site({SULLIVAN: drafted(SULLIVAN)})
    out = build_ok(root)
    assert not (out / "articles" / "sullivan-mendesak-kim").exists()
    assert traces(out, "sullivan-mendesak-kim", "Sullivan mendesak Kim", "agar tidak memasok senjata") == []
    # Its actor and outlet stay, without it.
    assert "Jake Sullivan" in page(out, "actors/jake-sullivan/").get_text()
    claims = json.loads((out / "claims.json").read_text("utf-8"))["claims"]
    korea = next(c for c in claims if c["slug"] == "korea-utara-memasok-senjata")
    assert {a["article"] for a in korea["appearances"]} == {"putin-di-pyongyang"}


def test_a_draft_actor_leaves_no_trace(site):
    root = site({"content/actors/kremlin.yaml": "name: Istana Kremlin\nkind: government\naliases: [Kremlin]\n"
                                                "affiliation: rusia\ndraft: true\n"})
    out = build_ok(root)
    assert not (out / "actors" / "kremlin").exists()
    assert traces(out, "actors/kremlin", "Istana Kremlin") == []


def test_a_draft_page_leaves_no_trace(site):
    root = site({"content/pages/tentang-kami.md": "---\ntitle: Tentang redaksi\nmenu: 1\ndraft: true\n---\nIsi.\n"})
    out = build_ok(root)
    assert not (out / "tentang-kami").exists()
    assert traces(out, "tentang-kami", "Tentang redaksi") == []


def test_published_pages_that_point_to_drafts_are_errors_at_their_lines(site):
    root = site({
        SANKSI: drafted(SANKSI), SULLIVAN: drafted(SULLIVAN),
        "content/actors/rusia.yaml": drafted("content/actors/rusia.yaml"),
        "content/actors/amerika-serikat.yaml": drafted("content/actors/amerika-serikat.yaml"),
        "content/pages/metode.md": "---\ntitle: Metode\ndraft: true\n---\n",
        CLAIM: BASE[CLAIM] + "Lihat [Sullivan](/articles/sullivan-mendesak-kim/) dan [metode](/metode/).\n",
    })
    result = run_cli("check", "--site", str(root))
    assert result.returncode == 1
    expected = [
        f"{CLAIM}:7: related claim is a draft claim 'sanksi-dilanggar' ({SANKSI} is draft: true)",
        f"{CLAIM}:10: link '/articles/sullivan-mendesak-kim/' to draft article 'sullivan-mendesak-kim' "
        f"({SULLIVAN} is draft: true)",
        f"{CLAIM}:10: link '/metode/' to draft page 'metode' (content/pages/metode.md is draft: true)",
        f"{ARTICLE}:13: draft actor 'rusia' (content/actors/rusia.yaml is draft: true) in 'denies': publish the "
        "actor, or leave it out of this passage",
        "content/actors/antony-blinken.yaml:4: affiliation is a draft actor 'amerika-serikat' "
        "(content/actors/amerika-serikat.yaml is draft: true)",
        "content/actors/jake-sullivan.yaml:3: affiliation is a draft actor 'amerika-serikat' "
        "(content/actors/amerika-serikat.yaml is draft: true)",
    ]
    for line in expected:
        assert line in result.stderr.splitlines(), result.stderr
    assert f"{len(expected)} errors found" in result.stderr


def test_an_article_from_a_draft_outlet_and_a_claim_said_by_a_draft_actor_are_errors_at_their_lines(site):
    root = site({
        "content/outlets/tribunnews.yaml": drafted("content/outlets/tribunnews.yaml"),
        "content/actors/rusia.yaml": drafted("content/actors/rusia.yaml"),
        SANKSI: BASE[SANKSI].replace("\n---\n", "\nclaimant: rusia\n---\n", 1),  # below the title: its own line
    })
    result = run_cli("check", "--site", str(root))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (f"{ARTICLE}:3: a published article from a draft outlet 'tribunnews' (content/outlets/tribunnews.yaml "
            "is draft: true): publish the outlet, or make this a draft") in lines, result.stderr
    assert f"{SANKSI}:3: claimant is a draft actor 'rusia' (content/actors/rusia.yaml is draft: true)" in lines, \
        result.stderr
    assert not any("sullivan-mendesak-kim.md" in line and "outlet" in line for line in lines), "antara is published"


def test_a_link_to_a_passage_of_a_draft_claim_is_an_error(site):
    root = site({
        SANKSI: drafted(SANKSI), CLAIM: NOT_RELATED.replace("#blinken-amunisi", "#sanksi-pbb"),
        ARTICLE: BASE[ARTICLE].replace("akan melanggar beberapa sanksi\n",
                                       "akan melanggar beberapa sanksi\n    id: sanksi-pbb\n"),
    })
    result = run_cli("check", "--site", str(root))
    assert (f"{CLAIM}:8: link '/articles/putin-di-pyongyang/#sanksi-pbb' to a passage of draft claim "
            f"'sanksi-dilanggar' ({SANKSI} is draft: true), left out of the article") in result.stderr.splitlines(), \
        result.stderr


def test_drafts_are_still_checked(site):
    root = site({
        SANKSI: "---\ntitle: Transfer senjata melanggar sanksi PBB\nverdict: palsu\nreviewed: 2024-06-20\n"
                "draft: true\n---\n",
        SULLIVAN: drafted(SULLIVAN).replace("claim: korea-utara-memasok-senjata", "claim: korea-utara-memasok-senjat"),
        "content/actors/kremlin.yaml": "name: Kremlin\nkind: pemerintah\ndraft: yes please\n",
    })
    result = run_cli("check", "--site", str(root))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"{SANKSI}:3: unknown verdict 'palsu'") for line in lines), result.stderr
    assert (f"{SULLIVAN}:7: unknown claim 'korea-utara-memasok-senjat' "
            "(did you mean 'korea-utara-memasok-senjata'?)") in lines, result.stderr
    assert "content/actors/kremlin.yaml:3: 'draft' must be true or false: 'yes please'" in lines, result.stderr


def test_build_drafts_publishes_them_with_a_band(site):
    root = site({SANKSI: drafted(SANKSI), SULLIVAN: drafted(SULLIVAN)})
    out = build_ok(root, "--drafts")
    band = page(out, "claims/sanksi-dilanggar/").select_one(".draft-band")
    assert band is not None and "Draf" in band.get_text()
    assert page(out, "articles/sullivan-mendesak-kim/").select_one(".draft-band") is not None
    assert page(out, "articles/putin-di-pyongyang/").select('mark[data-claim="sanksi-dilanggar"]')
    for published in ("claims/korea-utara-memasok-senjata/", "articles/putin-di-pyongyang/", ""):
        assert page(out, published).select_one(".draft-band") is None


@pytest.mark.browser
def test_the_preview_shows_drafts_with_a_band(site):
    from browser import Served
    root = site({SANKSI: drafted(SANKSI)})
    server = Served(root)
    try:
        def get(path: str) -> str:
            with urllib.request.urlopen(server.url + path, timeout=30) as response:
                return response.read().decode("utf-8")
        assert 'class="draft-band"' in get("claims/sanksi-dilanggar/")
        assert 'data-claim="sanksi-dilanggar"' in get("articles/putin-di-pyongyang/")
        assert 'class="draft-band"' not in get("claims/korea-utara-memasok-senjata/")
    finally:
        server.stop()


@pytest.mark.parametrize("linking", [CLAIM, SULLIVAN, "content/pages/metode.md"])
def test_a_link_to_a_draft_claim_through_its_old_address_is_an_error(site, linking):
    """A claim's `aliases` keep its old addresses: a link to one of them reaches the claim, a draft or not."""
    root = site({
        SANKSI: drafted(SANKSI).replace("---\n", "---\naliases: [sanksi-lama]\n", 1),
        CLAIM: NOT_RELATED,
        "content/pages/metode.md": "---\ntitle: Metode\n---\nTentang metode.\n",
    })
    text = (root / linking).read_text("utf-8") + "\nLihat [klaim lama](/claims/sanksi-lama/).\n"
    (root / linking).write_text(text, "utf-8")
    line = text[:text.index("Lihat [klaim lama]")].count("\n") + 1
    result = run_cli("check", "--site", str(root))
    assert (f"{linking}:{line}: link '/claims/sanksi-lama/' to draft claim 'sanksi-dilanggar' ({SANKSI} is draft: "
            "true)") in result.stderr.splitlines(), result.stderr
