"""link.py, called directly on small sites in tmp folders (loaded, never built): each mistake across files as the
`PATH:LINE: message` a user reads, and the backlinks every page shows — what they hold and in which order — as the
linked Site hands them to the templates; the preview's link cache gives the same Site as linking afresh."""
from __future__ import annotations

import os
import shutil
from dataclasses import replace

import pytest

from conftest import ARTICLE, BASE, CLAIM, SITE_TOML, SULLIVAN, make_site
from generator.config import load_config
from generator.errors import Problem, SiteError, Src
from generator.link import link_site, members_of, root_of
from generator.load import load_content, passage_anchor
from generator.model import Actor

A = BASE[ARTICLE]
C = BASE[CLAIM]
OTHER = "content/claims/sanksi-dilanggar.md"
US = "content/actors/amerika-serikat.yaml"
BLINKEN = "content/actors/antony-blinken.yaml"
RUSIA = "content/actors/rusia.yaml"
TRIBUN = "content/outlets/tribunnews.yaml"
NO_VERDICTS = SITE_TOML.split("[[verdicts]]")[0]


def loaded(root, drafts: bool = False, load_cache: dict | None = None):
    config = load_config(root)
    return load_content(root, config, jobs=1, cache=load_cache, drafts=drafts), config


def link(root, drafts: bool = False, cache: dict | None = None):
    content, config = loaded(root, drafts)
    return link_site(content, config, cache)


def problems(root, **kwargs) -> list[str]:
    """The errors linking reports, as the terminal shows them; the warnings when it links."""
    try:
        site = link(root, **kwargs)
    except SiteError as e:
        return [str(p) for p in e.problems]
    return [str(w) for w in site.warnings]


def article(title: str, outlet: str, published: str, *passages: tuple) -> str:
    """An article whose passages are (claim, asserts, denies): each quote is a sentence of its own."""
    front, body = [f"title: {title}", f"outlet: {outlet}", f"published: {published}", "annotations:"], []
    for n, (claim, asserts, denies) in enumerate(passages, 1):
        quote = f"kalimat nomor {n} tentang {claim}"
        front += [f"  - claim: {claim}", f"    quote: {quote}"]
        front += [f"    asserts: [{', '.join(asserts)}]"] if asserts else []
        front += [f"    denies: [{', '.join(denies)}]"] if denies else []
        body.append(f"Ini {quote}.")
    return "---\n" + "\n".join(front) + "\n---\n" + "\n\n".join(body) + "\n"


def slugs(records) -> list[str]:
    return [r.slug for r in records]


# -- each mistake across files, at its line ------------------------------------

CASES = {
    "unknown outlet, with the closest": (
        {ARTICLE: A.replace("outlet: tribunnews", "outlet: tribunews")},
        [f"{ARTICLE}:3: unknown outlet 'tribunews' (did you mean 'tribunnews'?)"]),
    "unknown outlet, nothing close": (
        {ARTICLE: A.replace("outlet: tribunnews", "outlet: kompas")},
        [f"{ARTICLE}:3: unknown outlet 'kompas'"]),
    "unknown claim of a passage": (
        {ARTICLE: A.replace("  - claim: sanksi-dilanggar", "  - claim: sanksi-dilangar")},
        [f"{ARTICLE}:14: unknown claim 'sanksi-dilangar' (did you mean 'sanksi-dilanggar'?)"]),
    "unknown claim written after the quote": (
        {ARTICLE: A.replace("  - claim: sanksi-dilanggar\n    quote: transfer senjata Korea Utara akan melanggar "
                            "beberapa sanksi", "  - quote: transfer senjata Korea Utara akan melanggar beberapa "
                            "sanksi\n    claim: sanksi")},
        [f"{ARTICLE}:15: unknown claim 'sanksi'"]),
    "an actor by its name": (
        {ARTICLE: A.replace("asserts: [antony-blinken]", "asserts: [Blinken]")},
        [f"{ARTICLE}:9: unknown actor 'Blinken' (did you mean 'antony-blinken'?)"]),
    "an actor by its name in capitals": (
        {ARTICLE: A.replace("asserts: [antony-blinken]", "asserts: [ANTONY BLINKEN]")},
        [f"{ARTICLE}:9: unknown actor 'ANTONY BLINKEN' (did you mean 'antony-blinken'?)"]),
    "a group by its alias among deniers": (
        {ARTICLE: A.replace("denies: [korea-utara, rusia]", "denies: [korea-utara, AS]")},
        [f"{ARTICLE}:13: unknown actor 'AS' (did you mean 'amerika-serikat'?)"]),
    "an actor by a slug nearly right": (
        {ARTICLE: A.replace("denies: [korea-utara, rusia]", "denies: [korea-utara, russia]")},
        [f"{ARTICLE}:13: unknown actor 'russia' (did you mean 'rusia'?)"]),
    "an actor nothing is close to": (
        {ARTICLE: A.replace("asserts: [antony-blinken]", "asserts: [zelensky]")},
        [f"{ARTICLE}:9: unknown actor 'zelensky'"]),
    "both asserts and denies: the first of them by name": (
        {ARTICLE: A.replace("denies: [korea-utara, rusia]",
                            "asserts: [rusia, korea-utara]\n    denies: [rusia, korea-utara]")},
        [f"{ARTICLE}:14: 'korea-utara' both asserts and denies the same passage"]),
    "unknown verdict, with the closest": (
        {CLAIM: C.replace("verdict: belum-terbukti", "verdict: salh")},
        [f"{CLAIM}:3: unknown verdict 'salh' (did you mean 'salah'?)"]),
    "unknown verdict: the verdicts there are": (
        {CLAIM: C.replace("verdict: belum-terbukti", "verdict: palsu")},
        [f"{CLAIM}:3: unknown verdict 'palsu' (the verdicts of site.toml: benar, belum-terbukti, salah)"]),
    "a verdict where site.toml has none": (
        {"site.toml": NO_VERDICTS},
        [f"{CLAIM}:3: unknown verdict 'belum-terbukti' (the verdicts of site.toml: none)"]),
    "unknown related claim, nothing close": (
        {OTHER: "---\ntitle: X\nrelated: [perang]\n---\n"},
        [f"{OTHER}:3: unknown claim in 'related' 'perang'"]),
    "a claim related to itself among others": (
        {OTHER: "---\ntitle: X\n\n\nrelated: [korea-utara-memasok-senjata, sanksi-dilanggar]\n---\n"},
        [f"{OTHER}:5: claim 'sanksi-dilanggar' lists itself as related"]),
    "unknown affiliation, nothing close": (
        {BLINKEN: BASE[BLINKEN].replace("affiliation: amerika-serikat", "affiliation: nato")},
        [f"{BLINKEN}:4: unknown actor in 'affiliation' 'nato'"]),
    "affiliation by name": (
        {BLINKEN: BASE[BLINKEN].replace("affiliation: amerika-serikat", "affiliation: amerika serikat")},
        [f"{BLINKEN}:4: unknown actor in 'affiliation' 'amerika serikat' (did you mean 'amerika-serikat'?)"]),
    "a circle of three, and two actors affiliated to it": (
        {US: BASE[US] + "affiliation: rusia\n", RUSIA: "name: Rusia\nkind: government\naffiliation: korea-utara\n",
         "content/actors/korea-utara.yaml": "name: Korea Utara\nkind: government\naffiliation: amerika-serikat\n"},
        [f"{US}:4: affiliation goes round in a circle: amerika-serikat → rusia → korea-utara → amerika-serikat",
         "content/actors/korea-utara.yaml:3: affiliation goes round in a circle: "
         "korea-utara → amerika-serikat → rusia → korea-utara",
         f"{RUSIA}:3: affiliation goes round in a circle: rusia → korea-utara → amerika-serikat → rusia"]),
    "two actor files, one slug": (
        {"content/actors/rusia.yml": "name: Federasi Rusia\nkind: government\n"},
        ["content/actors/rusia.yml:1: two files claim the slug 'rusia': content/actors/rusia.yaml and "
         "content/actors/rusia.yml"]),
    "two outlet files, one slug": (
        {"content/outlets/antara.yml": "name: Antara lagi\n"},
        ["content/outlets/antara.yml:1: two files claim the slug 'antara': content/outlets/antara.yaml and "
         "content/outlets/antara.yml"]),
    "an alias that is no slug": (
        {OTHER: "---\ntitle: X\naliases: [sanksi-lama, Sanksi Lama]\n---\n"},
        [f"{OTHER}:3: alias 'Sanksi Lama' is not a valid SLUG: use lowercase letters, digits and hyphens"]),
    "an alias that is another claim's slug": (
        {OTHER: "---\ntitle: X\naliases: [korea-utara-memasok-senjata]\n---\n"},
        [f"{OTHER}:3: alias 'korea-utara-memasok-senjata' is already the slug of {CLAIM}"]),
    "two claims, one alias": (
        {CLAIM: C.replace("related:", "aliases: [senjata-lama]\nrelated:"),
         OTHER: "---\ntitle: X\n\naliases: [senjata-lama]\n---\n"},
        [f"{OTHER}:4: two claims claim the alias 'senjata-lama': {CLAIM} and {OTHER}"]),
}


@pytest.mark.parametrize("name", CASES)
def test_each_reference_mistake_is_reported_alone_at_its_line(tmp_path, name):
    files, expected = CASES[name]
    assert problems(make_site(tmp_path, files)) == expected


LINKS = {
    "a free page that is not there": ("[a](/tentang/)", {}, ["link to a missing page '/tentang/'"]),
    "a free page nearly named": ("[a](/tentang-kami/)", {"content/pages/tentang.md": "---\ntitle: Tentang\n---\n"},
                                 ["link to a missing page '/tentang-kami/' (did you mean 'tentang'?)"]),
    "a list of the site nearly named": ("[a](/claim/)", {},
                                        ["link to a missing page '/claim/' (did you mean 'claims'?)"]),
    "a page of the site's own nearly named": ("[a](/serch/)", {},
                                              ["link to a missing page '/serch/' (did you mean 'search'?)"]),
    "a kind the site does not have": ("[a](/berita/korea/)", {}, ["link to a missing page '/berita/korea/'"]),
    "one folder too deep": ("[a](/claims/sanksi-dilanggar/lain/)", {},
                            ["link to a missing page '/claims/sanksi-dilanggar/lain/'"]),
    "an actor has no embed": ("[a](/actors/rusia/embed/)", {}, ["link to a missing page '/actors/rusia/embed/'"]),
    "the embed of a missing claim": ("[a](/claims/sanksi-dilangar/embed/)", {},
                                     ["link to a missing page '/claims/sanksi-dilangar/embed/' "
                                      "(did you mean 'sanksi-dilanggar'?)"]),
    "a missing topic": ("[a](/topics/senjat/)", {},
                        ["link to a missing page '/topics/senjat/' (did you mean 'senjata'?)"]),
    "a missing claim behind a query": ("[a](/claims/sanksi/?utm=x)", {},
                                       ["link to a missing page '/claims/sanksi/?utm=x'"]),
    "a missing passage": ("[a](/articles/putin-di-pyongyang/#blinken-amunsi)", {},
                          ["link to a missing passage '/articles/putin-di-pyongyang/#blinken-amunsi' "
                           "(did you mean 'blinken-amunisi'?)"]),
    "a passage nothing is close to": ("[a](/articles/sullivan-mendesak-kim/#blinken-amunisi)", {},
                                      ["link to a missing passage '/articles/sullivan-mendesak-kim/#blinken-amunisi'"]),
}


@pytest.mark.parametrize("name", LINKS)
def test_each_link_to_a_missing_page_or_passage_is_reported_at_its_line(tmp_path, name):
    href, files, expected = LINKS[name]
    root = make_site(tmp_path, {OTHER: f"---\ntitle: X\n---\nSatu.\n\n{href}\n", **files})
    assert problems(root) == [f"{OTHER}:6: {message}" for message in expected]


def test_links_from_claims_articles_and_free_pages_each_at_its_own_line(tmp_path):
    root = make_site(tmp_path, {
        OTHER: "---\ntitle: X\n---\n[a](/claims/a/)\n\n[b](/claims/b/)\n",
        ARTICLE: A + "\n[c](/actors/c/)\n",
        "content/pages/tentang.md": "---\ntitle: Tentang\nmenu: 1\n---\nSatu.\n\n[d](/outlets/d/)\n"})
    assert problems(root) == [f"{ARTICLE}:24: link to a missing page '/actors/c/'",
                              f"{OTHER}:4: link to a missing page '/claims/a/'",
                              f"{OTHER}:6: link to a missing page '/claims/b/'",
                              "content/pages/tentang.md:7: link to a missing page '/outlets/d/'"]


def test_each_link_is_checked_whatever_the_links_before_it(tmp_path):
    links = ["/css/x.css", "/claims/a/", "/tentang/", "/claims/b/", "/berita/x/", "/claims/c/", "/claims/rusak/",
             "/claims/d/"]
    root = make_site(tmp_path, {OTHER: "---\ntitle: X\n---\n" + "\n\n".join(f"[a]({href})" for href in links) + "\n",
                                "content/claims/rusak.md": "Tanpa front matter.\n"})
    assert [p for p in problems(root) if p.startswith(OTHER)] == [
        f"{OTHER}:6: link to a missing page '/claims/a/'", f"{OTHER}:8: link to a missing page '/tentang/'",
        f"{OTHER}:10: link to a missing page '/claims/b/'", f"{OTHER}:12: link to a missing page '/berita/x/'",
        f"{OTHER}:14: link to a missing page '/claims/c/'", f"{OTHER}:18: link to a missing page '/claims/d/'"]


def test_links_that_reach_something_are_fine(tmp_path):
    renamed = passage_anchor("senjata-lama", "Baik Pyongyang maupun Moskow membantah klaim", None)
    body = "\n\n".join([
        "[home](/) [list](/articles/) [list](/claims/#terbaru) [own](/matrix/) [own](/search/?q=x) [file](/css/x.css)",
        "[page](/tentang/) [page](/tentang/#bagian) [file](/claims/sanksi-dilanggar/data.json)",
        "[claim](/claims/sanksi-dilanggar/) [claim](/claims/sanksi-dilanggar/#analisis) [embed]"
        "(/claims/korea-utara-memasok-senjata/embed/) [topic](/topics/senjata/) [actor](/actors/rusia/)",
        "[outlet](/outlets/antara/?page=2) [article](/articles/sullivan-mendesak-kim/)",
        "[passage](/articles/putin-di-pyongyang/#blinken-amunisi) [heading](/articles/putin-di-pyongyang/#catatan)",
        f"[renamed claim's passage](/articles/putin-di-pyongyang/#{renamed})"])
    root = make_site(tmp_path, {OTHER: f"---\ntitle: X\n---\n{body}\n",
                                CLAIM: C.replace("related:", "aliases: [senjata-lama]\nrelated:"),
                                ARTICLE: A + '\n<span id="catatan">catatan</span>\n',
                                "content/pages/tentang.md": "---\ntitle: Tentang\n---\n"})
    assert problems(root) == []


def test_an_html_id_is_a_passage_only_when_whole(tmp_path):
    root = make_site(tmp_path, {ARTICLE: A + '\n<span id="catatan">catatan</span>\n',
                                OTHER: "---\ntitle: X\n---\n[a](/articles/putin-di-pyongyang/#catat)\n"})
    assert problems(root) == [f"{OTHER}:4: link to a missing passage '/articles/putin-di-pyongyang/#catat'"]


BROKEN = {  # each file too broken to load: its own error is reported, never a knock-on "unknown …" elsewhere
    "outlet": (TRIBUN, "name: [\n"),
    "actor": (BLINKEN, "name: [\n"),
    "group": (US, "name: [\n"),
    "claim": (CLAIM, "Tanpa front matter.\n"),
    "related claim": (OTHER, "Tanpa front matter.\n"),
    "article": (SULLIVAN, "Tanpa front matter.\n"),
    "page": ("content/pages/tentang.md", "Tanpa front matter.\n"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_a_file_too_broken_to_load_brings_no_knock_on_errors(tmp_path, name):
    path, text = BROKEN[name]
    links = ("[a](/tentang/) [b](/claims/korea-utara-memasok-senjata/) [c](/articles/sullivan-mendesak-kim/#x) "
             "[d](/actors/antony-blinken/)")
    root = make_site(tmp_path, {"content/pages/lain.md": f"---\ntitle: Lain\n---\n{links}\n",
                                "content/pages/tentang.md": "---\ntitle: Tentang\n---\n",
                                SULLIVAN: BASE[SULLIVAN] + "\n<span id=\"x\">x</span>\n"})
    (root / path).write_text(text, "utf-8")
    found = problems(root)
    assert len(found) == 1 and found[0].startswith(path + ":"), found


def test_every_mistake_is_reported_at_once(tmp_path):
    root = make_site(tmp_path, {
        ARTICLE: A.replace("outlet: tribunnews", "outlet: kompas").replace("asserts: [antony-blinken]",
                                                                           "asserts: [blinken]"),
        CLAIM: C.replace("verdict: belum-terbukti", "verdict: palsu").replace("related: [sanksi-dilanggar]",
                                                                              "related: [sanksi]") + "[x](/y/)\n",
        US: BASE[US] + "affiliation: antony-blinken\n",
        "content/actors/rusia.yml": "name: Rusia\nkind: government\n"})
    assert problems(root) == [
        f"{US}:4: affiliation goes round in a circle: amerika-serikat → antony-blinken → amerika-serikat",
        f"{BLINKEN}:4: affiliation goes round in a circle: antony-blinken → amerika-serikat → antony-blinken",
        "content/actors/rusia.yml:1: two files claim the slug 'rusia': content/actors/rusia.yaml and "
        "content/actors/rusia.yml",
        f"{ARTICLE}:3: unknown outlet 'kompas'",
        f"{ARTICLE}:9: unknown actor 'blinken' (did you mean 'antony-blinken'?)",
        f"{CLAIM}:3: unknown verdict 'palsu' (the verdicts of site.toml: benar, belum-terbukti, salah)",
        f"{CLAIM}:7: unknown claim in 'related' 'sanksi'",
        f"{CLAIM}:10: link to a missing page '/y/'"]


def test_the_problems_load_found_come_along_and_warnings_alone_do_not_stop_the_link(tmp_path):
    content, config = loaded(make_site(tmp_path, {}))
    late, early = Problem(Src(CLAIM, 9), "catatan kedua", warning=True), Problem(Src(CLAIM, 2), "catatan pertama",
                                                                                  warning=True)
    site = link_site(replace(content, problems=(late, early)), config)
    assert site.warnings == (early, late), "sorted by file and line"
    error = Problem(Src(OTHER, 1), "rusak")
    with pytest.raises(SiteError) as e:
        link_site(replace(content, problems=(late, error)), config)
    assert e.value.problems == (error,), "the errors stop the link; the warnings wait for a site that links"
    assert link_site(content, config).warnings == ()


def test_duplicate_claims_and_articles_made_outside_the_files_are_reported(tmp_path):
    content, config = loaded(make_site(tmp_path, {}))
    claim, story = content.claims[0], content.articles[0]
    twin = replace(claim, src=Src("content/claims/salinan.md", 1))
    with pytest.raises(SiteError) as e:
        link_site(replace(content, claims=(*content.claims, twin),
                          articles=(*content.articles, replace(story, src=Src("content/articles/salinan.md", 1)))),
                  config)
    assert [str(p) for p in e.value.problems] == [
        f"content/articles/salinan.md:1: two files claim the slug '{story.slug}': {story.src.path} and "
        "content/articles/salinan.md",
        f"content/claims/salinan.md:1: two files claim the slug '{claim.slug}': {claim.src.path} and "
        "content/claims/salinan.md"]


def test_two_pages_with_one_slug_are_reported(tmp_path):
    content, config = loaded(make_site(tmp_path, {"content/pages/tentang.md": "---\ntitle: Tentang\n---\n"}))
    page = content.pages[0]
    with pytest.raises(SiteError) as e:
        link_site(replace(content, pages=(page, replace(page, src=Src("content/pages/x.md", 1)))), config)
    assert [str(p) for p in e.value.problems] == [
        "content/pages/x.md:1: two files claim the slug 'tentang': content/pages/tentang.md and content/pages/x.md"]


# -- drafts --------------------------------------------------------------------

def test_drafts_are_checked_then_left_out_unless_published(tmp_path):
    root = make_site(tmp_path, {RUSIA: "name: Rusia\nkind: government\ndraft: true\n",
                                ARTICLE: A.replace("denies: [korea-utara, rusia]", "denies: [korea-utara]"),
                                OTHER: "---\ntitle: X\ndraft: true\n---\n",
                                CLAIM: C.replace("related: [sanksi-dilanggar]\n", "")})
    unused = f"{RUSIA}:1: warning: no annotation uses this actor: its page has no passage (annotate one, or delete " \
             f"the file)"
    assert problems(root) == [unused, f"{ARTICLE}:14: warning: annotation of draft claim 'sanksi-dilanggar' left out "
                                      f"({OTHER} is draft: true)"]
    built = link(root)
    assert "rusia" not in built.actors and "sanksi-dilanggar" not in built.claims
    assert len(built.passages["putin-di-pyongyang"]) == 2
    previewed = link(root, drafts=True)
    assert "rusia" in previewed.actors and "sanksi-dilanggar" in previewed.claims and [str(w) for w in previewed.warnings] == [unused]
    assert len(previewed.passages["putin-di-pyongyang"]) == 3
    others = make_site(tmp_path / "b", {"content/outlets/antara.yaml": "name: ANTARA\ndraft: true\n",
                                        SULLIVAN: BASE[SULLIVAN].replace("---\n", "---\ndraft: true\n", 1),
                                        "content/pages/tentang.md": "---\ntitle: T\ndraft: true\n---\n"})
    built, previewed = link(others), link(others, drafts=True)
    assert (list(built.outlets), list(built.articles), built.pages) == (["tribunnews"], ["putin-di-pyongyang"], {})
    assert (list(previewed.outlets), list(previewed.articles), list(previewed.pages)) == (
        ["antara", "tribunnews"], ["putin-di-pyongyang", "sullivan-mendesak-kim"], ["tentang"])


def test_a_published_page_that_points_to_a_draft_stops_the_link(tmp_path):
    root = make_site(tmp_path, {RUSIA: "name: Rusia\nkind: government\ndraft: true\n"})
    assert problems(root) == [f"{ARTICLE}:13: draft actor 'rusia' ({RUSIA} is draft: true) in 'denies': publish "
                              "the actor, or leave it out of this passage"]
    assert problems(root, drafts=True) == []


# -- the backlinks, and their order --------------------------------------------

def test_articles_newest_first_ties_by_slug_and_appearances_oldest_first(tmp_path):
    dates = {"e-tahun-lalu": "2023-12-01", "b-mei": "2024-05-30", "f-juni": "2024-06", "a-juni-3": "2024-06-03",
             "d-juni-19": "2024-06-19", "c-juni-19": "2024-06-19"}
    files = {"site.toml": SITE_TOML, "content/outlets/o.yaml": "name: O\n", "content/outlets/p.yaml": "name: P\n",
             "content/claims/k.md": "---\ntitle: K\n---\n", "content/claims/l.md": "---\ntitle: L\n---\n"}
    for n, (slug, date) in enumerate(dates.items()):
        files[f"content/articles/{slug}.md"] = article(slug, "op"[n % 2], date, ("l", [], []), ("k", [], []))
    site = link(make_site(tmp_path, files, None))
    newest = ["c-juni-19", "d-juni-19", "a-juni-3", "f-juni", "b-mei", "e-tahun-lalu"]
    assert list(site.articles) == newest
    assert slugs(site.published["o"]) == ["d-juni-19", "f-juni", "e-tahun-lalu"]
    assert slugs(site.published["p"]) == ["c-juni-19", "a-juni-3", "b-mei"]
    assert [(a.article.slug, a.annotation.number) for a in site.appearances["k"]] == [
        ("e-tahun-lalu", 2), ("b-mei", 2), ("f-juni", 2), ("a-juni-3", 2), ("c-juni-19", 2), ("d-juni-19", 2)]
    assert [a.claim.slug for a in site.passages["f-juni"]] == ["l", "k"], "in reading order"


def test_claims_actors_outlets_and_pages_by_title_or_name_whatever_the_case(tmp_path):
    files = {"site.toml": SITE_TOML,
             "content/claims/a-zebra.md": "---\ntitle: zebra terakhir\n---\n",
             "content/claims/b-apel.md": "---\ntitle: Apel pertama\n---\n",
             "content/claims/c-mangga.md": "---\ntitle: mangga\n---\n",
             "content/claims/d-mangga.md": "---\ntitle: Mangga\n---\n",
             "content/actors/a-zulkifli.yaml": "name: zulkifli\nkind: person\n",
             "content/actors/b-ahmad.yaml": "name: Ahmad\nkind: person\n",
             "content/actors/c-budi.yaml": "name: budi\nkind: person\n",
             "content/actors/d-budi.yaml": "name: Budi\nkind: person\n",
             "content/outlets/a-zona.yaml": "name: zona\n",
             "content/outlets/b-antara.yaml": "name: Antara\n",
             "content/outlets/c-kabar.yaml": "name: kabar\n",
             "content/outlets/d-kabar.yaml": "name: Kabar\n",
             "content/pages/a-tentang.md": "---\ntitle: Tentang\nmenu: 2\n---\n",
             "content/pages/b-metode.md": "---\ntitle: Metode\nmenu: 1\n---\n",
             "content/pages/c-koreksi.md": "---\ntitle: Koreksi\n---\n",
             "content/pages/d-arsip.md": "---\ntitle: arsip\n---\n",
             "content/pages/e-kontak.md": "---\ntitle: Kontak\nmenu: 2\n---\n",
             "content/pages/f-nol.md": "---\ntitle: Nol\nmenu: 0\n---\n",
             "content/pages/g-minus.md": "---\ntitle: Awal\nmenu: -1\n---\n",
             "content/pages/h-kontak.md": "---\ntitle: kontak\nmenu: 2\n---\n"}
    site = link(make_site(tmp_path, files, None))
    assert list(site.claims) == ["b-apel", "c-mangga", "d-mangga", "a-zebra"], "by title, then by slug"
    assert list(site.actors) == ["b-ahmad", "c-budi", "d-budi", "a-zulkifli"], "by name, then by slug"
    assert list(site.outlets) == ["b-antara", "c-kabar", "d-kabar", "a-zona"]
    assert list(site.pages) == ["g-minus", "f-nol", "b-metode", "e-kontak", "h-kontak", "a-tentang", "d-arsip",
                                "c-koreksi"], "in menu order, then by title; the pages out of the menu last"
    assert site.appearances["a-zebra"] == site.stances["b-ahmad"] == site.published["a-zona"] == ()
    assert site.sides["a-zebra"] == site.related["a-zebra"] == site.members["b-ahmad"] == ()
    assert site.articles == {} and site.passages == {} and site.aliases == {}


# Two camps around a claim: a government (negara) with a ministry, its minister (two levels down) and an envoy;
# an opposition (oposisi) with an activist; a citizen on her own (warga).
CAMPS = {
    "site.toml": SITE_TOML,
    "content/outlets/o.yaml": "name: O\n",
    "content/actors/negara.yaml": "name: Negara\nkind: government\n",
    "content/actors/kementerian.yaml": "name: kementerian Luar\nkind: organization\naffiliation: negara\n",
    "content/actors/menteri.yaml": "name: Menteri\nkind: person\naffiliation: kementerian\n",
    "content/actors/duta.yaml": "name: Zaid\nkind: person\naffiliation: negara\n",
    "content/actors/oposisi.yaml": "name: oposisi\nkind: group\n",
    "content/actors/aktivis.yaml": "name: Aktivis\nkind: person\naffiliation: oposisi\n",
    "content/actors/warga.yaml": "name: Warga\nkind: person\n",
    "content/claims/k.md": "---\ntitle: K\nrelated: [m]\n---\n",
    "content/claims/l.md": "---\ntitle: L\nrelated: [k]\n---\n",
    "content/claims/m.md": "---\ntitle: m\nrelated: [k, l]\n---\n",
    "content/claims/n.md": "---\ntitle: N\n---\n",
    "content/articles/a-lama.md": article("Lama", "o", "2024-01-10", ("l", ["menteri"], []),
                                          ("k", ["menteri", "negara"], ["aktivis"])),
    "content/articles/b-baru.md": article("Baru", "o", "2024-03-05", ("k", ["duta"], ["warga", "kementerian"]),
                                          ("l", [], ["oposisi"])),
    "content/articles/c-tengah.md": article("Tengah", "o", "2024-02-01", ("k", [], ["oposisi", "warga"]),
                                            ("m", ["warga"], [])),
}


def test_a_group_holds_every_stance_of_its_members_at_any_depth(tmp_path):
    site = link(make_site(tmp_path, CAMPS, None))

    def shown(slug):
        return [(st.actor.slug, st.role, st.appearance.claim.slug, st.appearance.article.slug)
                for st in site.stances[slug]]

    assert shown("menteri") == [("menteri", "asserts", "l", "a-lama"), ("menteri", "asserts", "k", "a-lama")]
    assert shown("kementerian") == [("menteri", "asserts", "l", "a-lama"), ("menteri", "asserts", "k", "a-lama"),
                                    ("kementerian", "denies", "k", "b-baru")]
    assert shown("negara") == [("menteri", "asserts", "l", "a-lama"), ("menteri", "asserts", "k", "a-lama"),
                               ("negara", "asserts", "k", "a-lama"), ("duta", "asserts", "k", "b-baru"),
                               ("kementerian", "denies", "k", "b-baru")], "by claim, each in date order"
    assert shown("oposisi") == [("oposisi", "denies", "l", "b-baru"), ("aktivis", "denies", "k", "a-lama"),
                                ("oposisi", "denies", "k", "c-tengah")], "the claims in the order first taken up"
    assert shown("warga") == [("warga", "denies", "k", "c-tengah"), ("warga", "denies", "k", "b-baru"),
                              ("warga", "asserts", "m", "c-tengah")]
    assert shown("aktivis") == [("aktivis", "denies", "k", "a-lama")]
    assert {slug: slugs(found) for slug, found in site.members.items()} == {
        "aktivis": [], "kementerian": ["menteri"], "menteri": [], "negara": ["kementerian", "menteri", "duta"],
        "oposisi": ["aktivis"], "warga": [], "duta": []}, "by name, at any depth"


def test_the_sides_of_a_claim_the_biggest_camp_first(tmp_path):
    site = link(make_site(tmp_path, CAMPS, None))

    def camps(claim):
        return [(side.group.slug, [(s.actor.slug, s.appearance.article.slug) for s in side.asserts],
                 [(s.actor.slug, s.appearance.article.slug) for s in side.denies], side.stance)
                for side in site.sides[claim]]

    assert camps("k") == [
        ("negara", [("menteri", "a-lama"), ("negara", "a-lama"), ("duta", "b-baru")], [("kementerian", "b-baru")],
         "both"),
        ("oposisi", [], [("aktivis", "a-lama"), ("oposisi", "c-tengah")], "denies"),
        ("warga", [], [("warga", "c-tengah"), ("warga", "b-baru")], "denies")], "ties by name"
    assert camps("l") == [("negara", [("menteri", "a-lama")], [], "asserts"), ("oposisi", [], [("oposisi", "b-baru")],
                                                                               "denies")]
    assert camps("m") == [("warga", [("warga", "c-tengah")], [], "asserts")]
    assert camps("n") == []
    site = link(make_site(tmp_path / "b", {"content/articles/d.md": article(
        "D", "o", "2024-04-01", ("n", ["warga"], []), ("n", [], ["oposisi", "aktivis"]), ("m", [], ["negara"]))},
        CAMPS))
    assert [side.group.slug for side in site.sides["n"]] == ["oposisi", "warga"], "two denials outweigh one assertion"
    assert [side.group.slug for side in site.sides["m"]] == ["negara", "warga"], "by name, whoever spoke first"


def test_appearances_each_with_its_article_outlet_and_actors(tmp_path):
    site = link(make_site(tmp_path, CAMPS, None))
    first, second = site.passages["b-baru"]
    assert (first.claim, first.article, first.outlet) == (site.claims["k"], site.articles["b-baru"], site.outlets["o"])
    assert (slugs(first.asserts), slugs(first.denies), first.stance) == (["duta"], ["warga", "kementerian"], "both")
    assert (second.claim.slug, second.annotation.number, second.asserts, slugs(second.denies)) == (
        "l", 2, (), ["oposisi"])
    assert [(a.article.slug, a.annotation.number) for a in site.appearances["k"]] == [
        ("a-lama", 2), ("c-tengah", 1), ("b-baru", 1)]
    assert [a.article.slug for a in site.appearances["n"]] == []


def test_related_claims_both_ways_once_each_by_title(tmp_path):
    site = link(make_site(tmp_path, CAMPS, None))
    assert {slug: slugs(found) for slug, found in site.related.items()} == {
        "k": ["l", "m"], "l": ["k", "m"], "m": ["k", "l"], "n": []}
    site = link(make_site(tmp_path / "b", {"content/claims/n.md": "---\ntitle: A\nrelated: [m]\n---\n"}, CAMPS))
    assert slugs(site.related["m"]) == ["n", "k", "l"]


def test_verdicts_and_aliases_on_the_site(tmp_path):
    root = make_site(tmp_path, {OTHER: "---\ntitle: X\naliases: [sanksi-pbb, pbb-sanksi]\n---\n",
                                CLAIM: C.replace("related:", "aliases: [senjata-korea]\nrelated:")})
    content, config = loaded(root)
    site = link_site(content, config)
    assert site.config is config and list(site.verdicts) == ["benar", "belum-terbukti", "salah"]
    assert site.verdicts["salah"] is config.verdicts[2]
    assert {alias: claim.slug for alias, claim in site.aliases.items()} == {
        "pbb-sanksi": "sanksi-dilanggar", "sanksi-pbb": "sanksi-dilanggar", "senjata-korea": CLAIM[15:-3]}
    assert list(site.aliases) == ["pbb-sanksi", "sanksi-pbb", "senjata-korea"], "sorted"
    assert site.aliases["senjata-korea"] is site.claims["korea-utara-memasok-senjata"]


def test_a_draft_claims_aliases_are_left_out_with_it(tmp_path):
    root = make_site(tmp_path, {OTHER: "---\ntitle: X\ndraft: true\naliases: [sanksi-pbb]\n---\n",
                                CLAIM: C.replace("related: [sanksi-dilanggar]", "aliases: [senjata-korea]"),
                                ARTICLE: A.replace("  - claim: sanksi-dilanggar\n    quote: transfer senjata Korea "
                                                   "Utara akan melanggar beberapa sanksi\n", "")})
    assert list(link(root).aliases) == ["senjata-korea"]
    assert list(link(root, drafts=True).aliases) == ["sanksi-pbb", "senjata-korea"]


# -- root_of, members_of ---------------------------------------------------------

def actors(**affiliations: str) -> dict[str, Actor]:
    return {slug: Actor(slug, slug.title(), "person", "", affiliation, (), (), Src(f"content/actors/{slug}.yaml"))
            for slug, affiliation in affiliations.items()}


def test_root_of_is_the_top_of_the_affiliations():
    found = actors(menteri="kementerian", kementerian="negara", negara="", warga="luar")
    assert [root_of(a, found).slug for a in found.values()] == ["negara", "negara", "negara", "warga"]
    assert [members_of(a, found) for a in found.values()] == [["kementerian", "negara"], ["negara"], [], []]


def test_root_of_and_members_of_end_at_a_circle():
    found = actors(a="b", b="c", c="b", d="d")  # `a` hangs under the circle b → c → b; `d` under itself
    assert root_of(found["a"], found).slug == "c" and members_of(found["a"], found) == ["b", "c"]
    assert root_of(found["b"], found).slug == "c" and members_of(found["b"], found) == ["c"]
    assert root_of(found["d"], found).slug == "d" and members_of(found["d"], found) == []


# -- the preview's link cache ----------------------------------------------------

def shown(site) -> dict:
    """Everything a Site gives the templates (records compare by their fields)."""
    return {name: getattr(site, name) for name in site.__slots__}


def test_the_same_records_and_config_give_the_same_site(tmp_path):
    root = make_site(tmp_path, {})
    content, config = loaded(root)
    cache = {}
    site = link_site(content, config, cache)
    assert link_site(content, config, cache) is site
    assert link_site(*loaded(root), cache) is site, "equal records, loaded again"
    other = load_config(root, "https://example.org/cek/")
    moved = link_site(content, other, cache)
    assert moved is not site and moved.config is other
    fresh = link_site(content, config)
    assert fresh is not site and shown(fresh) == shown(site)


def test_after_each_edit_the_cached_link_is_the_fresh_one(tmp_path):
    root = make_site(tmp_path, {})
    load_cache, cache = {}, {}

    def relink():
        content, config = loaded(root, drafts=True, load_cache=load_cache)
        site = link_site(content, config, cache)
        assert shown(site) == shown(link_site(content, config)), "as linked without a cache"
        return site

    first = relink()
    (root / BLINKEN).write_text(BASE[BLINKEN].replace("name: Antony Blinken", "name: Tony Blinken"), "utf-8")
    renamed = relink()
    assert [a.name for a in renamed.appearances["korea-utara-memasok-senjata"][2].asserts] == ["Tony Blinken"]
    assert renamed.passages["sullivan-mendesak-kim"][0] is first.passages["sullivan-mendesak-kim"][0], \
        "an article whose records did not change is not linked again"
    (root / OTHER).write_text("---\ntitle: Sanksi baru\n---\n", "utf-8")
    retitled = relink()
    assert retitled.passages["putin-di-pyongyang"][1].claim.title == "Sanksi baru"
    assert retitled.passages["sullivan-mendesak-kim"][0] is first.passages["sullivan-mendesak-kim"][0]
    (root / "content/outlets/antara.yaml").write_text("name: Antara baru\n", "utf-8")
    assert relink().published["antara"][0].title == "Sullivan mendesak Kim"
    assert relink().passages["sullivan-mendesak-kim"][0].outlet.name == "Antara baru"
    (root / RUSIA).unlink()  # the article that names it is unchanged, and still checked
    with pytest.raises(SiteError) as e:
        relink()
    assert [str(p) for p in e.value.problems] == [f"{ARTICLE}:13: unknown actor 'rusia'"]
    (root / RUSIA).write_text(BASE[RUSIA], "utf-8")
    assert slugs(relink().passages["putin-di-pyongyang"][0].denies) == ["korea-utara", "rusia"]
    (root / SULLIVAN).unlink()
    assert list(relink().articles) == ["putin-di-pyongyang"]


def test_an_article_edited_to_name_an_unknown_actor_is_checked_again(tmp_path):
    root = make_site(tmp_path, {})
    cache = {}
    link(root, cache=cache)
    (root / ARTICLE).write_text(A.replace("asserts: [antony-blinken]", "asserts: [antony-blinkn]"), "utf-8")
    with pytest.raises(SiteError) as e:
        link(root, cache=cache)
    assert [str(p) for p in e.value.problems] == [
        f"{ARTICLE}:9: unknown actor 'antony-blinkn' (did you mean 'antony-blinken'?)"]


def test_the_preview_edit_checks_link_with_a_copy_of_the_cache_that_spares_unchanged_articles(tmp_path):
    from generator.preview.edit import _copy
    root = make_site(tmp_path, {})
    content, config = loaded(root, drafts=True)
    cache = {}
    site = link_site(content, config, cache)
    before = dict(cache["articles"])
    edited = replace(content, articles=tuple(replace(a, title="Judul baru") if a.slug == "putin-di-pyongyang" else a
                                             for a in content.articles))
    trial = link_site(edited, config, _copy(cache))
    assert trial.passages["sullivan-mendesak-kim"][0] is site.passages["sullivan-mendesak-kim"][0]
    assert trial.passages["putin-di-pyongyang"][0].article.title == "Judul baru"
    assert cache["articles"].keys() == before.keys() and all(cache["articles"][k] is v for k, v in before.items()), \
        "the preview's cache is left as it was"


def test_an_article_moved_out_and_back_is_checked_again(tmp_path):
    """Moved back unchanged (the same file to the load cache), after the actor it names was deleted."""
    root = make_site(tmp_path / "site", {})
    load_cache, cache = {}, {}

    def relink():
        content, config = loaded(root, drafts=True, load_cache=load_cache)
        return link_site(content, config, cache)

    relink()
    os.rename(root / SULLIVAN, tmp_path / "away.md")
    (root / "content/actors/jake-sullivan.yaml").unlink()
    assert "sullivan-mendesak-kim" not in relink().articles
    os.rename(tmp_path / "away.md", root / SULLIVAN)
    with pytest.raises(SiteError) as e:
        relink()
    assert [str(p) for p in e.value.problems] == [f"{SULLIVAN}:8: unknown actor 'jake-sullivan'"]


def test_a_site_that_failed_to_link_links_again_once_fixed(tmp_path):
    root = make_site(tmp_path / "site", {})
    cache = {}
    link(root, cache=cache)
    shutil.copy(root / RUSIA, tmp_path / "rusia.yaml")
    (root / RUSIA).write_text("name: Rusia\nkind: government\naffiliation: rusia\n", "utf-8")
    with pytest.raises(SiteError):
        link(root, cache=cache)
    shutil.copy(tmp_path / "rusia.yaml", root / RUSIA)
    assert shown(link(root, cache=cache)) == shown(link(root))


# -- nothing unfinished published ------------------------------------------------------------

def test_a_claim_or_actor_no_annotation_uses_is_a_warning_at_its_file(tmp_path):
    """What removing an annotation leaves: a claim and an actor published as pages with nothing on them. An actor
    used through a member (Amerika Serikat, Blinken's government) is used; a draft left over is warned of too."""
    root = make_site(tmp_path, {
        "content/claims/tersisa.md": "---\ntitle: Klaim yang tersisa\n---\nAnalisis.\n",
        "content/claims/konsep.md": "---\ntitle: Konsep\ndraft: true\n---\n",
        "content/actors/sergei-shoigu.yaml": "name: Sergei Shoigu\nkind: person\naffiliation: rusia\n"})
    assert problems(root) == [
        "content/actors/sergei-shoigu.yaml:1: warning: no annotation uses this actor: its page has no passage "
        "(annotate one, or delete the file)",
        "content/claims/konsep.md:2: warning: no annotation uses this claim: its page has no passage (annotate one, "
        "or delete the file)",
        "content/claims/tersisa.md:2: warning: no annotation uses this claim: its page has no passage (annotate one, "
        "or delete the file)"]


def test_a_published_claim_needs_its_analysis(tmp_path):
    """Rated with no analysis: an error (a verdict and no reason for it); unrated: a warning; a draft: nothing."""
    root = make_site(tmp_path, {"content/claims/sanksi-dilanggar.md":
                                "---\ntitle: Transfer senjata melanggar sanksi PBB\nverdict: salah\n"
                                "reviewed: 2024-06-20\n---\n\n"})
    assert problems(root) == [
        "content/claims/sanksi-dilanggar.md:2: a published claim rated 'salah' needs its analysis: write it in "
        "Markdown below the front matter, or keep the claim 'draft: true' until then"]
    make_site(tmp_path, {"content/claims/sanksi-dilanggar.md": "---\ntitle: Transfer senjata melanggar sanksi PBB\n"
                                                                "---\n"}, base=None)
    assert problems(root) == [
        "content/claims/sanksi-dilanggar.md:2: warning: a published claim with no analysis: write it below the front "
        "matter (until then its page only records who says what)"]
    make_site(tmp_path, {"content/claims/sanksi-dilanggar.md": "---\ntitle: Transfer senjata melanggar sanksi PBB\n"
                                                                "verdict: salah\nreviewed: 2024-06-20\ndraft: true\n"
                                                                "---\n"}, base=None)
    assert problems(root, drafts=True) == []
