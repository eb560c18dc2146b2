"""Free pages, editors' notes, corrections and topic names (SPEC §6) → pages, menu, sitemap, feed and ClaimReview."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from conftest import ARTICLE, BASE, CLAIM, build_ok, contract, page, run_cli

ATOM = "{http://www.w3.org/2005/Atom}"

PAGES = {
    "content/pages/metodologi.md": "---\ntitle: Metodologi\nmenu: 1\n---\nLihat [klaim ini](/claims/korea-utara-memasok-senjata/)"
                                   " dan [kebijakan kami](/kebijakan-koreksi/).\n",
    "content/pages/kebijakan-koreksi.md": "---\ntitle: Kebijakan koreksi\nmenu: 2\n---\nKami mengoreksi.\n",
    "content/pages/arsip.md": "---\ntitle: Arsip\n---\nTidak di menu.\n",
}


def test_free_pages_are_built_listed_in_the_menu_in_order_and_in_the_sitemap(site):
    root = site(PAGES)
    out = build_ok(root)
    home = page(out, "")
    menu = [a.get_text() for a in home.select("header nav a")]
    assert menu[-2:] == ["Metodologi", "Kebijakan koreksi"] and "Arsip" not in menu
    method = page(out, "metodologi/")
    assert method.find("h1").get_text() == "Metodologi"
    links = {a.get_text(): a["href"] for a in method.select("main a")}
    assert links["klaim ini"] == "../claims/korea-utara-memasok-senjata/", "site links relative to a page one deep"
    assert links["kebijakan kami"] == "../kebijakan-koreksi/"
    assert method.select_one('header nav a[aria-current="page"]').get_text() == "Metodologi"
    assert page(out, "arsip/").find("h1").get_text() == "Arsip"
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    for slug in ("metodologi", "kebijakan-koreksi", "arsip"):
        assert f"https://newsroom.github.io/cek/{slug}/</loc>" in sitemap
    result = run_cli("check", "--site", str(root))
    assert result.returncode == 0, result.stderr
    contract(root)


def test_a_free_page_cannot_take_a_path_of_the_site_and_its_links_are_checked(site):
    root = site({"content/pages/claims.md": "---\ntitle: X\n---\n",
                 "content/pages/tentang.md": "---\ntitle: Tentang\nmenu: satu\n---\n\n[x](/metodologi/)\n"})
    result = run_cli("build", "--site", str(root))
    assert result.returncode == 1
    assert result.stderr.splitlines()[:3] == [
        "content/pages/claims.md:1: the page name 'claims' is taken by the site's own pages: choose another file name",
        "content/pages/tentang.md:3: 'menu' must be a whole number: 'satu'",
        "content/pages/tentang.md:6: link to a missing page '/metodologi/'"]


def test_an_articles_note_shows_on_its_page(site):
    note = "Keterangan foto (RIA Novosti) dihapus; teks lain utuh."
    root = site({ARTICLE: BASE[ARTICLE].replace("authors: [Tiara Shelavy]\n", f"authors: [Tiara Shelavy]\nnote: {note}\n")})
    article = page(build_ok(root), "articles/putin-di-pyongyang/")
    assert note in article.select_one(".editors-note").get_text() and note in article.find("main").get_text()


def test_corrections_show_on_the_claim_page_in_the_feed_and_as_date_modified(site):
    corrections = ("corrections:\n  - date: 2024-07-01\n    note: Verdict ditinjau ulang.\n"
                   "  - date: 2024-06-25\n    note: Judul diperjelas.\n")
    root = site({CLAIM: BASE[CLAIM].replace("reviewed: 2024-06-20\n", "reviewed: 2024-06-20\n" + corrections)})
    out = build_ok(root)
    claim = page(out, "claims/korea-utara-memasok-senjata/")
    shown = [li.get_text(" ", strip=True) for li in claim.select(".corrections li")]
    assert shown == ["25 Juni 2024 : Judul diperjelas.", "1 Juli 2024 : Verdict ditinjau ulang."] or \
        [s.replace(" :", ":") for s in shown] == ["25 Juni 2024: Judul diperjelas.", "1 Juli 2024: Verdict ditinjau ulang."], shown
    review = json.loads(claim.find("script", type="application/ld+json").string)
    assert review["dateModified"] == "2024-07-01" and review["datePublished"] == "2024-06-20"
    feed = ET.parse(out / "feed.xml").getroot()
    entries = {e.find(ATOM + "title").text: e for e in feed.iter(ATOM + "entry")}
    entry = entries["Belum terbukti: Korea Utara memasok senjata ke Rusia"]
    assert entry.find(ATOM + "updated").text == "2024-07-01T00:00:00Z"
    assert "Verdict ditinjau ulang." in entry.find(ATOM + "content").text
    assert entry.find(ATOM + "link").get("href") == "https://newsroom.github.io/cek/claims/korea-utara-memasok-senjata/"
    assert feed.find(ATOM + "updated").text == "2024-07-01T00:00:00Z", "the feed is as new as its newest entry"


def test_a_correction_needs_a_date_and_a_note(site):
    root = site({CLAIM: BASE[CLAIM].replace("reviewed: 2024-06-20\n", "reviewed: 2024-06-20\ncorrections:\n"
                                                                      "  - date: 2024-13-01\n    note: x\n  - note: y\n")})
    result = run_cli("build", "--site", str(root))
    assert result.stderr.splitlines()[:2] == [
        f"{CLAIM}:6: impossible date '2024-13-01' in 'date'",
        f"{CLAIM}:8: missing required field 'date' in correction 2"], result.stderr


def test_topics_take_their_names_from_site_toml(site):
    root = site({"site.toml": BASE["site.toml"].replace('language = "id"\n', 'language = "id"\n\n[topics]\nsenjata = "Senjata & amunisi"\n', 1)})
    out = build_ok(root)
    topic = page(out, "topics/senjata/")
    assert topic.find("h1").get_text(strip=True).endswith("Senjata & amunisi")
    claim = page(out, "claims/korea-utara-memasok-senjata/")
    assert "Senjata & amunisi" in [a.get_text(strip=True) for a in claim.select('a[href$="topics/senjata/"]')]


def test_a_passage_anchor_the_last_build_published_is_kept_or_warned_of(site):
    """Editing a quote changes its anchor: build and check say so, at the annotation, and name the id that keeps it."""
    root = site()
    build_ok(root)
    edited = BASE[ARTICLE].replace("quote: Baik Pyongyang maupun Moskow membantah klaim",
                                   "quote: Baik Pyongyang maupun Moskow membantah")
    (root / ARTICLE).write_text(edited, "utf-8")
    result = run_cli("check", "--site", str(root))
    assert result.returncode == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if "passage" in line]
    assert len(warned) == 1 and warned[0].startswith(f"{ARTICLE}:11: warning: passage articles/putin-di-pyongyang/#"
                                                     "korea-utara-memasok-senjata-"), result.stderr
    assert "write 'id: korea-utara-memasok-senjata-" in warned[0]
    old = warned[0].split("#", 1)[1].split(" ", 1)[0]
    (root / ARTICLE).write_text(edited.replace("    denies: [korea-utara, rusia]",
                                               f"    denies: [korea-utara, rusia]\n    id: {old}"), "utf-8")
    for command in ("check", "build"):
        result = run_cli(command, "--site", str(root))
        assert result.returncode == 0 and "passage" not in result.stderr, result.stderr


def test_a_broken_site_link_is_reported_at_its_line_in_the_content_file(site):
    """Not at a line of the built page: the fix is in the content file. (And a claim with no analysis that follows
    it does not inherit its links: the converter kept the last text's links when given an empty one.)"""
    body = "\nLihat [topik](/topics/sanksi/), [topik lain](/topics/senjata/), [matriks](/matrix/)\ndan [x](/claims/a/b/).\n"
    root = site({CLAIM: BASE[CLAIM] + body})
    result = run_cli("check", "--site", str(root))
    assert result.stderr.splitlines() == [
        f"{CLAIM}:11: link to a missing page '/topics/sanksi/'",
        f"{CLAIM}:12: link to a missing page '/claims/a/b/'", "2 errors found."], result.stderr


def test_a_renamed_claim_keeps_the_passage_anchors_journalists_linked_to(site):
    """The anchor of a passage comes from its claim's slug: renamed with `aliases`, the old anchor stays on the page."""
    root = site()
    out = build_ok(root)
    old = [m["id"] for m in page(out, "articles/putin-di-pyongyang/").select("mark[id]")
           if m["data-claim"] == "sanksi-dilanggar"]
    assert len(old) == 1
    renamed = BASE["content/claims/sanksi-dilanggar.md"].replace("---\n", "---\naliases: [sanksi-dilanggar]\n", 1)
    (root / "content/claims/sanksi-dilanggar.md").unlink()
    (root / "content/claims/transfer-melanggar-sanksi.md").write_text(renamed, "utf-8")
    for path in (ARTICLE, CLAIM):
        (root / path).write_text((root / path).read_text("utf-8").replace("sanksi-dilanggar", "transfer-melanggar-sanksi"),
                                 "utf-8")
    result = run_cli("build", "--site", str(root))
    assert result.returncode == 0 and "would disappear" not in result.stderr, result.stderr
    article = page(out, "articles/putin-di-pyongyang/")
    kept = article.find(id=old[0])
    assert kept is not None and kept.find_parent("mark")["data-claim"] == "transfer-melanggar-sanksi"
    assert article.find("mark", id=True, attrs={"data-claim": "transfer-melanggar-sanksi"})["id"] != old[0]
    contract(root)
