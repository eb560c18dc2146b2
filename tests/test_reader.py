"""What a reader sees of the fact-check: notes at each passage, verdicts placed on the site's own scale, search."""
from __future__ import annotations

import colorsys

from PIL import Image

from conftest import REPO, build_ok, contract, page
from generator.errors import Src
from generator.model import Verdict
from generator.scale import verdict_steps

ARTICLE = "articles/putin-di-pyongyang/"
CLAIM = "claims/korea-utara-memasok-senjata/"

# An English fork with a three-step scale, listed best first.
ENGLISH = {
    "site.toml": """\
title = "Fact Check Test"
description = "A test site."
base_url = "https://newsroom.github.io/check/"
language = "en"

[[verdicts]]
key = "accurate"
label = "True"
rating = 3

[[verdicts]]
key = "unproven"
label = "Unproven"
rating = 2

[[verdicts]]
key = "inaccurate"
label = "False"
rating = 1
""",
    "content/claims/korea-utara-memasok-senjata.md": (
        "---\ntitle: North Korea supplies arms to Russia\nverdict: accurate\nreviewed: 2024-06-20\n---\nAnalysis.\n"),
    "content/claims/sanksi-dilanggar.md": (
        "---\ntitle: Arms transfers break UN sanctions\nverdict: unproven\nreviewed: 2024-06-20\n"
        "related: [korea-utara-memasok-senjata]\n---\nAnalysis.\n"),
}


def block_of(mark):
    """The top-level block of the article body that holds `mark`."""
    body = mark.find_parent("div", class_="body")
    while mark.parent is not body:
        mark = mark.parent
    return mark


def hue(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[0] * 360


def test_each_passage_has_its_actors_and_its_claims_verdict_next_to_it(site):
    root = site()
    out = build_ok(root)
    contract(root, out)
    article = page(out, ARTICLE)
    expected = {  # annotation → (verdict shown, names that assert, names that deny)
        "blinken-amunisi": ("Belum terbukti", ["Antony Blinken"], []),
        "korea-utara-memasok-senjata": ("Belum terbukti", [], ["Korea Utara", "Rusia"]),
        "sanksi-dilanggar": ("Tidak dinilai", [], []),
    }
    anchored = article.select("div.body mark[id]")
    assert len(anchored) == 3
    for mark in anchored:
        key = next(k for k in expected if mark["id"].startswith(k))
        verdict, asserts, denies = expected[key]
        notes = block_of(mark).find_next_sibling()
        assert notes.name == "ul" and "notes" in notes["class"], "the notes follow the block where the passage ends"
        note = notes.find("li", id=f"note-{mark['id']}")
        assert note, f"{mark['id']} has its note right after its paragraph"
        assert note.find(class_="verdict-label").get_text(strip=True) == verdict
        assert note.find("a", href=f"../../claims/{mark['data-claim']}/")
        for role, names in (("asserts", asserts), ("denies", denies)):
            who = note.find(class_=f"who-{role}")
            assert [a.get_text() for a in who.find_all("a", class_="actor")] == names if names else who is None
        if not asserts and not denies:
            assert note.find(class_="who-mentions")
        assert note.find("a", href=f"#{mark['id']}").get_text() == mark.find_next("sup").get_text()


def test_the_article_opens_with_the_claims_it_carries_and_a_visible_legend(site):
    out = build_ok(site())
    article = page(out, ARTICLE)
    summary = article.find("section", class_="carried")
    claims = [li.find("a", class_="claim-title").get_text() for li in summary.find_all("li", class_="carried-claim")]
    assert claims == ["Korea Utara memasok senjata ke Rusia", "Transfer senjata melanggar sanksi PBB"], "in reading order"
    supplies = summary.find_all("li", class_="carried-claim")[0]
    assert supplies.find(class_="verdict-label").get_text(strip=True) == "Belum terbukti"
    assert "Antony Blinken" in supplies.find(class_="who-asserts").get_text()
    assert "Rusia" in supplies.find(class_="who-denies").get_text()
    legend = article.find(class_="legend")
    assert legend and not legend.find_parent("details"), "the legend is not folded away"
    assert "wavy" not in (REPO / "static/css/site.css").read_text("utf-8"), "a denial is no spelling mistake"


def test_footnote_numbers_follow_the_punctuation(site):
    article = page(build_ok(site()), ARTICLE)
    for sup in article.select("sup.ann-ref"):
        before = sup.previous_sibling
        text = before.get_text() if hasattr(before, "get_text") else str(before)
        after = sup.next_sibling
        after = after.get_text() if hasattr(after, "get_text") else str(after or "")
        assert not after[:1] in ".,;:!?”", f"number {sup.get_text()} stands before its punctuation: {text!r} {after!r}"


def test_verdict_colours_follow_the_place_on_the_scale_not_the_rating(site):
    out = build_ok(site(ENGLISH))
    true = page(out, CLAIM).find(class_="verdict-panel").find(class_="verdict")
    assert "verdict-pos-3-of-3" in true["class"] and true["data-step"] == "3" and true["data-steps"] == "3"
    unproven = page(out, "claims/sanksi-dilanggar/").find(class_="verdict-panel").find(class_="verdict")
    assert "verdict-pos-2-of-3" in unproven["class"]
    colour = lambda badge: badge["style"].split("--verdict:")[1].split(";")[0].strip()  # noqa: E731
    assert 120 <= hue(colour(true)) <= 170, "the best of three steps is green"
    assert 25 <= hue(colour(unproven)) <= 50, "the middle of three is amber"
    # On a five-step scale the best is the same green and the middle the same amber, whatever the ratings.
    five = verdict_steps(tuple(Verdict(str(r), str(r), r * 10, "", Src("site.toml", 1)) for r in range(5)))
    assert five["4"].colour == colour(true) and five["2"].colour == colour(unproven)
    share = Image.open(out / CLAIM / "share.png").convert("RGB")
    assert "#%02x%02x%02x" % share.getpixel((600, 5)) == colour(true), "the share image wears the same colour"


def test_a_scale_may_be_listed_worst_first():
    listed = [Verdict(k, k, r, "", Src("site.toml", 1)) for k, r in (("inaccurate", 1), ("unproven", 2), ("accurate", 3))]
    assert verdict_steps(tuple(listed)) == verdict_steps(tuple(reversed(listed)))
    assert verdict_steps(tuple(listed))["accurate"].step == 3


def test_search_indexes_only_a_claims_own_verdict(site):
    out = build_ok(site(ENGLISH))
    claim = page(out, "claims/sanksi-dilanggar/")
    own = claim.find(attrs={"data-pagefind-meta": "verdict"})
    assert own.get_text() == "Unproven"
    related = claim.find(id="related").find_parent("section")
    assert related.has_attr("data-pagefind-ignore") and related.find(class_="verdict")
    for badge in claim.find("main").find_all(class_="verdict"):
        if badge.find(attrs={"data-pagefind-meta": "verdict"}):
            continue
        assert badge.find_parent(attrs={"data-pagefind-ignore": True}) or badge.has_attr("data-pagefind-ignore"), badge
    for path in (ARTICLE, "actors/antony-blinken/"):
        for badge in page(out, path).find("main").find_all(class_="verdict"):
            assert badge.has_attr("data-pagefind-ignore") or badge.find_parent(attrs={"data-pagefind-ignore": True})


def test_an_english_fork_counts_dates_and_quotes_in_english(site):
    out = build_ok(site({**ENGLISH, "content/articles/sullivan-mendesak-kim.md": None,
                         "content/actors/antony-blinken.yaml": (
                             "name: Antony Blinken\nkind: person\naffiliation: amerika-serikat\n"
                             "same_as: [https://www.wikidata.org/wiki/Q7164]\n")}))
    home = page(out, "")
    counts = [" ".join(li.get_text().split()) for li in home.find("ul", class_="counts").find_all("li")]
    assert "1 article" in counts and "2 claims" in counts and "3 passages" in counts
    assert home.find(class_="span").get_text() == "From 1 article published June 19, 2024.", "one date, not a range"
    claim = page(out, CLAIM)
    text = claim.get_text()
    assert "«" not in text and "»" not in text
    assert "“Putin dan Kim bertemu di Pyongyang”" in text, "English quotation marks around a title"
    assert "Appeared 2 times in 1 outlet: June 19, 2024." in " ".join(text.split())
    assert page(out, "actors/antony-blinken/").find("a", href="https://www.wikidata.org/wiki/Q7164").get_text() == \
        "Wikidata Q7164"
    box = home.find("form", attrs={"data-search": "box"})
    assert '"one"' in box["data-t-results"] and '"other"' in box["data-t-results"], "a plural table for the browser"


def test_indonesian_ranges_and_words(site):
    out = build_ok(site())
    home = page(out, "")
    assert home.find(class_="span").get_text() == "Dari 2 artikel yang terbit Sep 2023–Jun 2024."
    nav = [a.get_text() for a in home.find("nav").find_all("a")]
    assert "Pihak" in nav and "Aktor" not in nav, "'Aktor' reads as a film actor"
    claim = page(out, CLAIM)
    assert "Kutipan" not in claim.find("label", attrs={"for": "citation"}).get_text(), "a citation is no quotation"


def test_a_groups_own_stance_is_told_apart_from_its_members(site):
    from conftest import BASE
    article = BASE["content/articles/putin-di-pyongyang.md"].replace(
        "    asserts: [antony-blinken]\n    id: blinken-amunisi", "    denies: [antony-blinken]\n    id: blinken-amunisi")
    sullivan = BASE["content/articles/sullivan-mendesak-kim.md"].replace("asserts: [jake-sullivan]", "asserts: [amerika-serikat]")
    out = build_ok(site({"content/articles/putin-di-pyongyang.md": article,
                         "content/articles/sullivan-mendesak-kim.md": sullivan}))
    table = page(out, CLAIM).find("table", class_="by-side")
    row = table.find("th", scope="row").find("a", href="../../actors/amerika-serikat/").find_parent("tr")
    own, members = row.find_all("td")
    assert own.find(class_="said-asserts") and not own.find(class_="said-denies"), "the group itself only asserts"
    assert "Antony Blinken" not in own.get_text()
    assert members.get_text().count("Antony Blinken") == 1 and members.find(class_="said-denies")
    assert not row.find(class_="stance-both"), "a member's denial does not make the group 'assert and deny'"
    group = page(out, "actors/amerika-serikat/").find("ul", class_="member-stances")
    assert [li["data-stance"] for li in group.find_all("li")] == ["denies"]


def test_names_are_not_repeated_per_appearance(site):
    out = build_ok(site())
    row = page(out, CLAIM).find("table", class_="by-side").find("a", href="../../actors/amerika-serikat/").find_parent("tr")
    members = row.find_all("td")[1].get_text()
    assert members.count("Antony Blinken") == 1 and members.count("Jake Sullivan") == 1


def test_a_search_result_shows_its_own_verdict_only(site):
    from browser import chromium
    from test_search import RESULTS, search, served_at
    out = build_ok(site(ENGLISH))
    with served_at(out, "/check/") as url, chromium() as browser:
        tab = browser.new_page()
        tab.goto(url + "claims/")
        search(tab, "sanctions", "/check/claims/sanksi-dilanggar/")
        result = tab.locator(f'{RESULTS}[href$="/check/claims/sanksi-dilanggar/"]').locator("xpath=..")
        badges = result.locator(".verdict").all_text_contents()
        assert badges == ["Unproven"], "its own verdict, as a badge"
        assert "True" not in result.text_content(), "never the related claim's verdict (True)"


def test_the_claim_says_who_asserts_and_who_denies_it_beside_its_verdict(site):
    glance = page(build_ok(site()), CLAIM).find(class_="claim-glance")
    assert glance.find(class_="verdict-panel")
    who = glance.find(class_="claim-who")
    asserts = [a.get_text() for a in who.find(class_="who-asserts").find_all("a")]
    assert sorted(asserts) == ["Antony Blinken", "Jake Sullivan"], "each actor once"
    assert sorted(a.get_text() for a in who.find(class_="who-denies").find_all("a")) == ["Korea Utara", "Rusia"]


def test_every_page_has_a_share_image_and_the_favicon(site):
    out = build_ok(site())
    assert (out / "favicon.ico").is_file() and (out / "favicon.svg").is_file() and (out / "share.png").is_file()
    for f in out.rglob("index.html"):
        soup = page(out, f.parent.relative_to(out).as_posix() + "/" if f.parent != out else "")
        if soup.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # an alias: a redirect, not a page to share
        image = soup.find("meta", property="og:image")
        assert image and image["content"].startswith("https://newsroom.github.io/cek/"), f
        assert soup.find("link", rel="icon"), f
    css = (REPO / "static/css/site.css").read_text("utf-8")
    assert "prefers-color-scheme: dark" in css and "@media print" in css
