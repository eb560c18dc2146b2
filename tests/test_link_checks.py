"""link.py: references across files (each mistake at its line) and the backlinks every page shows."""
from __future__ import annotations

import pytest

from conftest import ARTICLE, BASE, CLAIM, linked_site, problems_of
from generator.link import members_of, root_of

A = BASE[ARTICLE]
C = BASE[CLAIM]
OTHER = "content/claims/sanksi-dilanggar.md"
US = "content/actors/amerika-serikat.yaml"
BLINKEN = "content/actors/antony-blinken.yaml"

CASES = {
    "affiliation cycle": (
        {US: BASE[US] + "affiliation: antony-blinken\n"},
        [f"{US}:4: affiliation goes round in a circle: amerika-serikat → antony-blinken → amerika-serikat",
         f"{BLINKEN}:4: affiliation goes round in a circle: antony-blinken → amerika-serikat → antony-blinken"]),
    "affiliation to itself": (
        {"content/actors/rusia.yaml": "name: Rusia\nkind: government\naffiliation: rusia\n"},
        ["content/actors/rusia.yaml:3: affiliation goes round in a circle: rusia → rusia"]),
    "unknown affiliation": (
        {BLINKEN: BASE[BLINKEN].replace("affiliation: amerika-serikat", "affiliation: amerika-serika")},
        [f"{BLINKEN}:4: unknown actor in 'affiliation' 'amerika-serika' (did you mean 'amerika-serikat'?)"]),
    "affiliation by alias": (
        {BLINKEN: BASE[BLINKEN].replace("affiliation: amerika-serikat", "affiliation: AS")},
        [f"{BLINKEN}:4: unknown actor in 'affiliation' 'AS' (did you mean 'amerika-serikat'?)"]),
    "claim related to itself": (
        {OTHER: "---\ntitle: X\nrelated: [sanksi-dilanggar]\n---\n"},
        [f"{OTHER}:3: claim 'sanksi-dilanggar' lists itself as related"]),
    "unknown related claim": (
        {OTHER: "---\ntitle: X\n\nrelated: [korea-utara-memasok-senjata, korea-utara-memasok]\n---\n"},
        [f"{OTHER}:4: unknown claim in 'related' 'korea-utara-memasok' (did you mean 'korea-utara-memasok-senjata'?)"]),
    "asserts and denies at once": (
        {ARTICLE: A.replace("denies: [korea-utara, rusia]", "asserts: [rusia]\n    denies: [korea-utara, rusia]")},
        [f"{ARTICLE}:14: 'rusia' both asserts and denies the same passage"]),
    "the first denier also asserts": (
        {ARTICLE: A.replace("denies: [korea-utara, rusia]", "asserts: [korea-utara]\n    denies: [korea-utara, rusia]")},
        [f"{ARTICLE}:14: 'korea-utara' both asserts and denies the same passage"]),
    "unknown actor among deniers": (
        {ARTICLE: A.replace("denies: [korea-utara, rusia]", "denies: [korea-utara, Rusia]")},
        [f"{ARTICLE}:13: unknown actor 'Rusia' (did you mean 'rusia'?)"]),
    "link to a missing claim page": (
        {OTHER: "---\ntitle: X\n---\nSatu.\n\nLihat [klaim](/claims/korea-utara-memasok/).\n"},
        [f"{OTHER}:6: link to a missing page '/claims/korea-utara-memasok/' "
         "(did you mean 'korea-utara-memasok-senjata'?)"]),
    "link to a missing actor page": (
        {ARTICLE: A + "\nLihat [Blinken](/actors/antony-blinkn/).\n"},
        [f"{ARTICLE}:24: link to a missing page '/actors/antony-blinkn/' (did you mean 'antony-blinken'?)"]),
    "link to a missing outlet page": (
        {CLAIM: C + "\nLihat [ANTARA](/outlets/antara-news/).\n"},
        [f"{CLAIM}:11: link to a missing page '/outlets/antara-news/' (did you mean 'antara'?)"]),
    "link to a missing article": (
        {OTHER: "---\ntitle: X\n---\n[a](/articles/putin-di-pyongyan/#blinken-amunisi)\n"},
        [f"{OTHER}:4: link to a missing page '/articles/putin-di-pyongyan/#blinken-amunisi' "
         "(did you mean 'putin-di-pyongyang'?)"]),
    "alias not a slug": (
        {OTHER: "---\ntitle: X\naliases: [Sanksi Lama]\n---\n"},
        [f"{OTHER}:3: alias 'Sanksi Lama' is not a valid SLUG"]),
}


@pytest.mark.parametrize("name", CASES)
def test_each_reference_mistake_is_reported_at_its_line(site, name):
    files, expected = CASES[name]
    found = problems_of(site(files))
    for line in expected:
        assert any(f == line or f.startswith(line + ":") or f.startswith(line + " (") for f in found), \
            f"{line}\nnot in:\n" + "\n".join(found)


def test_links_that_reach_a_page_or_passage_are_fine(site):
    body = ("[a](/articles/putin-di-pyongyang/#blinken-amunisi) [b](/claims/sanksi-dilanggar/) "
            "[c](/actors/rusia/) [d](/outlets/antara/) [e](/articles/sullivan-mendesak-kim/) "
            "[f](/claims/) [g](/css/site.css) [h](/claims/sanksi-dilanggar/embed/)\n")
    assert problems_of(site({OTHER: "---\ntitle: X\n---\n" + body})) == []


def test_a_link_to_a_heading_or_html_id_in_the_article_is_a_passage(site):
    root = site({ARTICLE: A + '\n<span id="catatan">catatan</span>\n',
                 OTHER: "---\ntitle: X\n---\n[a](/articles/putin-di-pyongyang/#catatan)\n"})
    assert problems_of(root) == []


def test_every_reference_mistake_is_reported_at_once_without_knock_on_errors(site):
    files = {
        US: BASE[US] + "affiliation: antony-blinken\n",
        OTHER: "---\ntitle: X\nrelated: [sanksi-dilanggar]\n---\n",
        ARTICLE: A.replace("outlet: tribunnews", "outlet: tribunews").replace(
            "denies: [korea-utara, rusia]", "denies: [korea-utara, russia]"),
    }
    found = problems_of(site(files))
    assert found == sorted(found, key=lambda s: (s.split(":")[0], int(s.split(":")[1])))
    assert [f.split(": ", 1)[0] for f in found] == [
        US + ":4", BLINKEN + ":4", ARTICLE + ":3", ARTICLE + ":13", OTHER + ":3"], found


def test_backlinks(site):
    s = linked_site(site())
    apps = s.appearances["korea-utara-memasok-senjata"]
    assert [(a.article.slug, a.stance) for a in apps] == [
        ("sullivan-mendesak-kim", "asserts"), ("putin-di-pyongyang", "denies"), ("putin-di-pyongyang", "asserts")], \
        "by date, then in reading order"
    assert [a.path for a in apps][2] == "articles/putin-di-pyongyang/#blinken-amunisi"
    assert [a.slug for a in apps[1].denies] == ["korea-utara", "rusia"] and apps[1].asserts == ()
    assert [(st.actor.slug, st.role) for st in s.stances["amerika-serikat"]] == [
        ("jake-sullivan", "asserts"), ("antony-blinken", "asserts")], "a group holds its members' stances"
    assert [(st.actor.slug, st.role) for st in s.stances["rusia"]] == [("rusia", "denies")]
    assert s.stances["antony-blinken"][0].appearance.article.slug == "putin-di-pyongyang"
    assert [a.slug for a in s.members["amerika-serikat"]] == ["antony-blinken", "jake-sullivan"]
    assert s.members["rusia"] == ()
    sides = s.sides["korea-utara-memasok-senjata"]
    assert [(side.group.slug, len(side.asserts), len(side.denies)) for side in sides] == [
        ("amerika-serikat", 2, 0), ("korea-utara", 0, 1), ("rusia", 0, 1)]
    assert [c.slug for c in s.related["sanksi-dilanggar"]] == ["korea-utara-memasok-senjata"], "related both ways"
    assert [c.slug for c in s.related["korea-utara-memasok-senjata"]] == ["sanksi-dilanggar"]
    assert [a.slug for a in s.published["tribunnews"]] == ["putin-di-pyongyang"]
    assert [a.slug for a in s.published["antara"]] == ["sullivan-mendesak-kim"]
    assert list(s.articles) == ["putin-di-pyongyang", "sullivan-mendesak-kim"], "newest first"
    assert list(s.claims) == ["korea-utara-memasok-senjata", "sanksi-dilanggar"], "by title"
    assert list(s.actors)[:2] == ["amerika-serikat", "antony-blinken"] and list(s.outlets) == ["antara", "tribunnews"]
    assert [app.annotation.number for app in s.passages["putin-di-pyongyang"]] == [1, 2, 3], "in reading order"


def test_aliases_map_to_their_claims(site):
    s = linked_site(site({OTHER: "---\ntitle: X\naliases: [sanksi-lama, sanksi-pbb]\n---\n"}))
    assert {a: c.slug for a, c in s.aliases.items()} == {"sanksi-lama": "sanksi-dilanggar",
                                                         "sanksi-pbb": "sanksi-dilanggar"}
    assert list(s.aliases) == ["sanksi-lama", "sanksi-pbb"]


def test_root_and_groups_of_an_actor(site):
    s = linked_site(site({"content/actors/rusia.yaml": "name: Rusia\nkind: government\naffiliation: jake-sullivan\n"}))
    assert root_of(s.actors["rusia"], s.actors).slug == "amerika-serikat"
    assert members_of(s.actors["rusia"], s.actors) == ["jake-sullivan", "amerika-serikat"]
    assert members_of(s.actors["amerika-serikat"], s.actors) == []
    assert {a.slug for a in s.members["amerika-serikat"]} == {"antony-blinken", "jake-sullivan", "rusia"}


def test_lists_follow_titles_and_names_not_file_names(site):
    s = linked_site(site({"content/claims/a-klaim.md":
                          "---\ntitle: Zebra klaim terakhir\nrelated: [korea-utara-memasok-senjata]\n---\n",
                          "content/actors/a-aktor.yaml": "name: Zulkifli\nkind: person\n",
                          "content/outlets/a-media.yaml": "name: Zona Media\n"}))
    assert list(s.claims) == ["korea-utara-memasok-senjata", "sanksi-dilanggar", "a-klaim"]
    assert list(s.actors)[-1] == "a-aktor" and list(s.outlets)[-1] == "a-media"
    assert [c.slug for c in s.related["korea-utara-memasok-senjata"]] == ["sanksi-dilanggar", "a-klaim"], \
        "related claims by title too"
