"""relink.py: after a save that changes only an article's words, the patched Site is the one a full link gives;
any other change is left to the full link (relink says None)."""
from __future__ import annotations

import dataclasses
import os

import pytest

from conftest import ARTICLE, BASE, CLAIM, make_site
from generator.config import load_config
from generator.link import link_site
from generator.load import load_content
from generator.relink import relink
from generator.render import plan_pages

OTHER = "content/articles/sullivan-mendesak-kim.md"


def edited(tmp_path, files: dict[str, str], base: dict[str, str] = BASE, drafts: bool = True):
    """The linked site, then the records after `files` are written (unchanged files' records are reused, as in
    the preview), the config, and what a full link of those records gives."""
    root = make_site(tmp_path / "site", {}, base)
    config = load_config(root)
    cache: dict = {}
    before = load_content(root, config, jobs=1, cache=cache, drafts=drafts)
    site = link_site(before, config)
    for name, text in files.items():
        path = root / name
        path.write_text(text, "utf-8")
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # seen as changed at once
    after = load_content(root, config, jobs=1, cache=cache, drafts=drafts)
    return site, before, after, config


def same_site(a, b) -> None:
    for f in dataclasses.fields(a):
        assert getattr(a, f.name) == getattr(b, f.name), f.name
        if isinstance(getattr(a, f.name), dict):
            assert list(getattr(a, f.name)) == list(getattr(b, f.name)), f"{f.name}: order"


TEXT_EDITS = {
    "a sentence added": {ARTICLE: BASE[ARTICLE] + "\nPertemuan berlangsung dua hari.\n"},
    "words around a passage": {ARTICLE: BASE[ARTICLE].replace("bertemu hari ini", "bertemu pada Rabu")},
    "the words of a passage with a pinned anchor": {ARTICLE: BASE[ARTICLE].replace("sejumlah besar amunisi", "banyak amunisi")},
    "the title": {ARTICLE: BASE[ARTICLE].replace("title: Putin dan Kim bertemu", "title: Putin dan Kim berjumpa")},
    "two articles at once": {ARTICLE: BASE[ARTICLE] + "\nTambahan.\n", OTHER: BASE[OTHER] + "\nTambahan lain.\n"},
}


@pytest.mark.parametrize("files", TEXT_EDITS.values(), ids=TEXT_EDITS.keys())
def test_a_text_edit_is_patched_into_the_site_a_full_link_gives(tmp_path, files):
    site, before, after, config = edited(tmp_path, files)
    patched = relink(site, before, after, config)
    assert patched is not None, "a text-only edit should not need a full link"
    full = link_site(after, config)
    same_site(patched, full)
    for slug, article in patched.articles.items():  # what pages show of the article is the new record itself
        assert article is next(a for a in after.articles if a.slug == slug)
        assert all(app.article is article for app in patched.passages[slug])
    for claim, apps in patched.appearances.items():
        assert all(app in patched.passages[app.article.slug] for app in apps)
    for actor, stances in patched.stances.items():
        assert all(s.appearance.article is patched.articles[s.appearance.article.slug] for s in stances), actor


def test_the_new_words_reach_what_the_claim_and_actor_pages_show(tmp_path):
    files = TEXT_EDITS["the words of a passage with a pinned anchor"]
    site, before, after, config = edited(tmp_path, files)
    patched = relink(site, before, after, config)
    quotes = [app.annotation.quote for app in patched.appearances["korea-utara-memasok-senjata"]]
    assert "Korea Utara memasok banyak amunisi dan senjata lainnya ke Rusia" in quotes
    said = [s.appearance.annotation.quote for side in patched.sides["korea-utara-memasok-senjata"]
            for s in side.asserts if s.actor.slug == "antony-blinken"]
    assert said == ["Korea Utara memasok banyak amunisi dan senjata lainnya ke Rusia"]
    for actor in ("antony-blinken", "amerika-serikat"):  # the member's stance, and its government's page
        assert [s.appearance.annotation.quote for s in patched.stances[actor]
                if s.actor.slug == "antony-blinken"] == ["Korea Utara memasok banyak amunisi dan senjata lainnya ke Rusia"]


SHAPE_CHANGES = {
    "another actor asserts": {ARTICLE: BASE[ARTICLE].replace("asserts: [antony-blinken]",
                                                             "asserts: [antony-blinken, jake-sullivan]")},
    "a passage's claim": {OTHER: BASE[OTHER].replace("claim: korea-utara-memasok-senjata", "claim: sanksi-dilanggar")},
    "a new annotation": {OTHER: BASE[OTHER].replace(
        "    asserts: [jake-sullivan]\n", "    asserts: [jake-sullivan]\n  - claim: sanksi-dilanggar\n"
                                         "    quote: membunuh warga Ukraina\n")},
    "the date": {OTHER: BASE[OTHER].replace("published: 2023-09", "published: 2023-10")},
    "the outlet": {OTHER: BASE[OTHER].replace("outlet: antara", "outlet: tribunnews")},
    "a passage's quote (its anchor is made from it)": {ARTICLE: BASE[ARTICLE].replace(
        "membantah klaim\n", "menolak klaim\n").replace("Moskow membantah klaim bahwa", "Moskow menolak klaim bahwa")},
    "a passage's anchor": {ARTICLE: BASE[ARTICLE].replace("id: blinken-amunisi", "id: blinken-senjata")},
    "a claim file": {CLAIM: BASE[CLAIM].replace("verdict: belum-terbukti", "verdict: salah")},
    "an article's text and a claim file together": {ARTICLE: BASE[ARTICLE] + "\nTambahan.\n",
                                                     CLAIM: BASE[CLAIM].replace("verdict: belum-terbukti", "verdict: salah")},
    "a text edit that loses a quoted passage": {OTHER: BASE[OTHER].replace('Kim "agar tidak', 'Kim "agar tak')},
    "a broken link in the text": {OTHER: BASE[OTHER] + "\nLihat [ini](/claims/tidak-ada/).\n"},
    "nothing": {},
}


@pytest.mark.parametrize("files", SHAPE_CHANGES.values(), ids=SHAPE_CHANGES.keys())
def test_any_other_change_is_left_to_the_full_link(tmp_path, files):
    site, before, after, config = edited(tmp_path, files)
    assert relink(site, before, after, config) is None


def test_a_build_without_drafts_leaves_a_new_draft_to_the_full_link(tmp_path):
    """Without --drafts an article that becomes a draft leaves the site: no patch may keep it."""
    text = BASE[OTHER].replace("outlet: antara", "outlet: antara\ndraft: true")
    site, before, after, config = edited(tmp_path, {OTHER: text}, drafts=False)
    assert relink(site, before, after, config) is None
    assert "sullivan-mendesak-kim" not in link_site(after, config).articles


def test_a_build_without_drafts_leaves_an_article_with_a_draft_claims_passage_to_the_full_link(tmp_path):
    """Its passage of the draft claim is not linked, so its appearances do not line up with its annotations."""
    base = {**BASE, "content/claims/sanksi-dilanggar.md": "---\ntitle: Transfer senjata melanggar sanksi PBB\n"
                                                          "draft: true\n---\n",
            "content/claims/korea-utara-memasok-senjata.md": BASE[CLAIM].replace("related: [sanksi-dilanggar]\n", "")}
    site, before, after, config = edited(tmp_path, {ARTICLE: BASE[ARTICLE] + "\nTambahan.\n"}, base, drafts=False)
    patched = relink(site, before, after, config)
    assert patched is None


def test_a_text_edit_that_removes_an_anchor_linked_from_elsewhere_is_left_to_the_full_link(tmp_path):
    """A claim links to an id written in the article's own HTML; the edit that drops it must be reported, as a
    build reports it, so relink leaves it to the full link."""
    base = {**BASE, "site.toml": BASE["site.toml"].replace('language = "id"', 'language = "id"\ntrusted_html = true'),
            ARTICLE: BASE[ARTICLE] + '\n<p id="latar">Latar belakang.</p>\n',
            CLAIM: BASE[CLAIM] + "\nLihat [latarnya](/articles/putin-di-pyongyang/#latar).\n"}
    kept = edited(tmp_path / "kept", {ARTICLE: base[ARTICLE] + "\nTambahan.\n"}, base)
    assert relink(*kept) is not None  # the id is still there
    site, before, after, config = edited(tmp_path / "dropped", {ARTICLE: BASE[ARTICLE]}, base)
    assert relink(site, before, after, config) is None
    with pytest.raises(Exception, match="link to a missing passage"):
        link_site(after, config)


BREAKING = {"a text edit that loses a quoted passage", "a broken link in the text", "a passage's anchor"}  # errors
PLANNED = {**TEXT_EDITS, **{k: v for k, v in SHAPE_CHANGES.items() if k not in BREAKING}}


@pytest.mark.parametrize("files", PLANNED.values(), ids=PLANNED.keys())
def test_pages_planned_from_the_last_plan_equal_pages_planned_anew(tmp_path, files):
    """The preview plans again only what changed objects feed (render.Replan); every page must be what a plan
    from nothing gives, and a page of objects no save touched is last plan's own."""
    site, before, after, config = edited(tmp_path, files)
    memo: dict = {}
    first = {p.path: p for p in plan_pages(site, (), memo)}
    new = relink(site, before, after, config) or link_site(after, config)
    again, fresh, twice = plan_pages(new, (), memo), plan_pages(new, ()), plan_pages(new, ())
    assert [p.path for p in again] == [p.path for p in fresh]
    comparable = [i for i, (a, b) in enumerate(zip(fresh, twice)) if a == b]  # not the whole-site pages (by identity)
    assert len(comparable) > len(fresh) / 2
    assert [again[i] for i in comparable] == [fresh[i] for i in comparable]
    if files and relink(site, before, after, config):  # only the save's own objects were planned anew
        assert {p.path for p in again if p is not first.get(p.path)} >= {"articles/putin-di-pyongyang/"} or \
            "sullivan" in str(files)
        assert again[[p.path for p in again].index("outlets/antara/")] is first["outlets/antara/"] or OTHER in files


def test_a_new_share_font_is_planned_into_every_share_image(tmp_path):
    """The plan reuses pages only within one theme: a font the site adds reaches every claim's share image."""
    site, _, _, _ = edited(tmp_path, {})
    theme = tmp_path / "templates"
    (theme / "fonts").mkdir(parents=True)
    (theme / "fonts" / "share.ttf").write_bytes(b"not really a font, but a file")
    memo: dict = {}
    plan_pages(site, (), memo)
    images = [p for p in plan_pages(site, [theme], memo) if p.make is not None and p.path.startswith("claims/")]
    assert images and all(p.context["font"] == str(theme / "fonts" / "share.ttf") for p in images)


def test_an_image_changed_with_an_articles_text_is_left_to_the_full_link(tmp_path):
    """The site's images are published from the linked site: a patch would keep the old one's size and digest."""
    from PIL import Image
    root = make_site(tmp_path / "site", {})
    (root / "content/media").mkdir()
    Image.new("RGB", (600, 300), "white").save(root / "content/media/foto.png")
    config = load_config(root)
    cache: dict = {}
    before = load_content(root, config, jobs=1, cache=cache, drafts=True)
    site = link_site(before, config)
    Image.new("RGB", (600, 300), "black").save(root / "content/media/foto.png")  # the same size: other pixels
    (root / OTHER).write_text(BASE[OTHER] + "\nTambahan.\n", "utf-8")
    stat = (root / OTHER).stat()
    os.utime(root / OTHER, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = load_content(root, config, jobs=1, cache=cache, drafts=True)
    assert relink(site, before, after, config) is None
    assert [m.digest for m in link_site(after, config).media] != [m.digest for m in site.media]
