"""The rendered pages as a reader meets them: who stands on which side, which passage is marked how, what each list
and the feed hold. The first tests go through what SPEC §3 defines (data-stance, data-claim, data-verdict, ids,
links); the later ones read the words around them (the label before the names, a count, the text and target of a
link) and check them against the content or against what another page says of the same thing."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from conftest import ARTICLE, BASE, SULLIVAN, build_here, make_site
from generator.config import load_config

KU = "korea-utara-memasok-senjata"


@pytest.fixture(scope="module")
def out(aliased):
    return aliased


@pytest.fixture(scope="module")
def varied(tmp_path_factory):
    """The base site with one denier fewer (two assert, one denies), and Sullivan's article in English, at its
    outlet's URL, quoted with straight quotes where the outlet prints curly ones."""
    sullivan = (BASE[SULLIVAN].replace("published: 2023-09", "published: 2023-09\nurl: https://www.antaranews.com/b/1\n"
                                                                "language: en")
                .replace('Kim "agar tidak memasok', "Kim \u201cagar tidak memasok")
                .replace("quote: agar tidak memasok senjata ke Rusia", "quote: 'Kim \"agar tidak memasok senjata'"))
    root = make_site(tmp_path_factory.mktemp("varied") / "site", {
        ARTICLE: BASE[ARTICLE].replace("denies: [korea-utara, rusia]", "denies: [rusia]"), SULLIVAN: sullivan})
    build_here(root)
    return root / "_site"


def page(out, path: str) -> BeautifulSoup:
    f = out / path / "index.html" if path == "" or path.endswith("/") else out / path
    return BeautifulSoup(f.read_text("utf-8"), "html.parser")


def hrefs(el, kind: str) -> set[str]:
    return {m.group(1) for a in el.find_all("a", href=True) if (m := re.search(rf"{kind}/([a-z0-9-]+)/(?:#.*)?$", a["href"]))}


def words(el) -> str:
    return re.sub(r"\s+", " ", el.get_text()).strip()


def test_claim_page_puts_each_actor_on_their_side(out):
    claim = page(out, f"claims/{KU}/")
    asserts = claim.find_all(attrs={"data-stance": "asserts"})
    denies = claim.find_all(attrs={"data-stance": "denies"})
    assert len(asserts) == 1 and len(denies) == 1
    assert hrefs(asserts[0], "actors") == {"antony-blinken", "jake-sullivan"}
    assert hrefs(denies[0], "actors") == {"korea-utara", "rusia"}
    assert asserts[0].find("a", href="../../articles/putin-di-pyongyang/#blinken-amunisi")
    assert "Korea Utara memasok sejumlah besar amunisi" in words(asserts[0])
    assert "Baik Pyongyang maupun Moskow membantah klaim" in words(denies[0])
    assert "Baik Pyongyang" not in words(asserts[0]) and "amunisi" not in words(denies[0])
    assert "Menteri Luar Negeri AS" in words(asserts[0]), "the actor's role"
    assert "Tribunnews" in words(denies[0]) and "19 Juni 2024" in words(denies[0])
    assert claim.find(attrs={"data-verdict": "belum-terbukti"})
    assert "Belum terbukti" in words(claim) and "Dituduh AS, dibantah Pyongyang dan Moskow." in words(claim)
    assert "sanksi-dilanggar" in hrefs(claim, "claims"), "related claim"
    assert claim.h1 and words(claim.h1) == "Korea Utara memasok senjata ke Rusia"
    assert claim.find("a", href="../../articles/putin-di-pyongyang/#blinken-amunisi"), "link to the exact passage"


def test_an_unrated_claim_with_a_plain_mention(out):
    claim = page(out, "claims/sanksi-dilanggar/")
    assert claim.find(attrs={"data-verdict": True})["data-verdict"] == "", "its own verdict comes first: none"
    for side in claim.find_all(attrs={"data-stance": re.compile("asserts|denies")}):
        assert not hrefs(side, "actors"), "nobody asserts or denies it"
    assert "Tidak dinilai" in words(claim)
    assert KU in hrefs(claim, "claims"), "related works both ways"


def test_article_marks_each_passage_with_its_claim_and_stance(out):
    article = page(out, "articles/putin-di-pyongyang/")
    marks = article.find_all("mark", attrs={"data-claim": True})
    by_id = {m["id"]: m for m in marks if m.get("id")}
    assert len(by_id) == 3
    blinken = by_id["blinken-amunisi"]
    assert (blinken["data-claim"], blinken["data-stance"]) == (KU, "asserts")
    stances = {(m["data-claim"], m["data-stance"], words(m)) for m in by_id.values()}
    assert (KU, "denies", "Baik Pyongyang maupun Moskow membantah klaim") in stances
    assert ("sanksi-dilanggar", "mentions", "transfer senjata Korea Utara akan melanggar beberapa sanksi") in stances
    assert hrefs(article, "claims") >= {KU, "sanksi-dilanggar"}
    assert "tribunnews" in hrefs(article, "outlets")
    assert "19 Juni 2024" in words(article) and "Tiara Shelavy" in words(article)
    assert article.html["lang"] == "id"


def test_actor_pages_list_what_each_asserts_and_denies(out):
    rusia = page(out, "actors/rusia/")
    items = rusia.find_all(attrs={"data-stance": True})
    assert {i["data-stance"] for i in items} == {"denies"}
    assert KU in hrefs(rusia, "claims") and "sanksi-dilanggar" not in hrefs(rusia, "claims")
    assert "Baik Pyongyang maupun Moskow membantah klaim" in words(rusia)
    blinken = page(out, "actors/antony-blinken/")
    assert {i["data-stance"] for i in blinken.find_all(attrs={"data-stance": True})} == {"asserts"}
    assert blinken.find("a", href="../../articles/putin-di-pyongyang/#blinken-amunisi")
    assert "amerika-serikat" in hrefs(blinken, "actors"), "its affiliation"
    assert "Menteri Luar Negeri AS" in words(blinken)
    group = page(out, "actors/amerika-serikat/")
    assert {"antony-blinken", "jake-sullivan"} <= hrefs(group, "actors"), "its members"
    nobody = page(out, "actors/korea-utara/")
    assert not nobody.find(attrs={"data-stance": "asserts"})


def test_outlet_pages_and_the_lists(out):
    antara = page(out, "outlets/antara/")
    assert hrefs(antara, "articles") == {"sullivan-mendesak-kim"}
    assert hrefs(page(out, "outlets/tribunnews/"), "articles") == {"putin-di-pyongyang"}
    assert hrefs(page(out, "claims/"), "claims") >= {KU, "sanksi-dilanggar"}
    assert "sanksi-lama" not in hrefs(page(out, "claims/"), "claims"), "an alias is not listed"
    assert hrefs(page(out, "actors/"), "actors") == {"amerika-serikat", "antony-blinken", "jake-sullivan",
                                                      "korea-utara", "rusia"}
    assert hrefs(page(out, "articles/"), "articles") == {"putin-di-pyongyang", "sullivan-mendesak-kim"}
    assert hrefs(page(out, "outlets/"), "outlets") == {"antara", "tribunnews"}
    claims = page(out, "claims/")
    assert claims.find(attrs={"data-verdict": "belum-terbukti"})


def test_an_alias_redirects_to_its_claim(out):
    alias = page(out, "claims/sanksi-lama/")
    assert alias.find("meta", attrs={"http-equiv": "refresh"})["content"].endswith("../../claims/sanksi-dilanggar/")
    assert alias.find("link", rel="canonical")["href"] == "https://newsroom.github.io/cek/claims/sanksi-dilanggar/"


def test_the_feed_lists_the_articles_newest_first(out):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(out / "feed.xml").getroot()
    entries = [e for e in feed.findall("a:entry", ns) if "/articles/" in e.find("a:id", ns).text]
    assert [e.find("a:id", ns).text for e in entries] == [
        "https://newsroom.github.io/cek/articles/putin-di-pyongyang/",
        "https://newsroom.github.io/cek/articles/sullivan-mendesak-kim/"]
    assert [e.find("a:updated", ns).text for e in entries] == ["2024-06-19T00:00:00Z", "2023-09-01T00:00:00Z"]
    assert entries[0].find("a:link", ns).get("href") == "https://newsroom.github.io/cek/articles/putin-di-pyongyang/"
    assert feed.find("a:updated", ns).text == "2024-06-20T00:00:00Z", "the newest entry: the claim reviewed then"
    assert feed.find("a:title", ns).text == "Cek Klaim Uji"
    assert feed.find("a:link[@rel='self']", ns).get("href") == "https://newsroom.github.io/cek/feed.xml"
    assert "Kim Jong Un bertemu hari ini" in entries[0].find("a:summary", ns).text
    assert "<mark" in entries[0].find("a:content", ns).text, "the content is the annotated article, as HTML"


def test_every_page_names_the_site_and_its_language(out):
    for path in ("", "claims/", f"claims/{KU}/", "actors/rusia/", "outlets/antara/", "articles/putin-di-pyongyang/"):
        p = page(out, path)
        assert p.html["lang"] == "id" and "Cek Klaim Uji" in p.title.get_text(), path
        assert p.find("link", rel="canonical")["href"] == "https://newsroom.github.io/cek/" + path


def test_each_side_of_a_claim_is_headed_by_its_own_role(out):
    """The heading over the asserters says they assert it, the one over the deniers that they deny it."""
    strings = load_config(out.parent).strings
    claim = page(out, f"claims/{KU}/")
    for role, own, other in (("asserts", "asserted_by", "denied_by"), ("denies", "denied_by", "asserted_by")):
        heading = words(claim.find("section", attrs={"data-stance": role}).find(["h2", "h3"]))
        assert strings[own] in heading and strings[other] not in heading, (role, heading)


def test_the_link_to_the_outlet_highlights_the_passage_as_the_outlet_prints_it(varied):
    """The Text Fragment names the passage as the page shows it (curly quotes), not the quote as typed: a browser
    highlights only text that is there."""
    claim = page(varied, f"claims/{KU}/")
    links = [a["href"] for a in claim.find_all("a", rel="external") if a["href"].startswith("https://www.antaranews.com/b/1")]
    assert links, "the passage links to the article at its outlet"
    for href in links:
        assert unquote(href.split("#:~:text=", 1)[1]) == "Kim \u201cagar tidak memasok senjata", href


def test_the_claim_list_counts_each_side_apart(varied):
    """Two assert the claim and one denies it: the list's tally says so, side by side."""
    rows = [li for li in page(varied, "claims/").select("li.claim-item") if li.find("a", href=f"../claims/{KU}/")]
    assert len(rows) == 1
    shown = {role: words(rows[0].select_one(f".tally .stance-{role} [aria-hidden=true]:not(.icon)")) for role in ("asserts", "denies")}
    said = {role: words(rows[0].select_one(f".tally .stance-{role} .visually-hidden")) for role in ("asserts", "denies")}
    assert shown == {"asserts": "2", "denies": "1"}
    assert said == {"asserts": "2 pihak menyatakannya", "denies": "1 pihak membantahnya"}, "a number heard with its noun"


def test_every_link_of_the_embed_card_leaves_the_frame(out):
    """The card sits in another site's <iframe>: a link that opened inside it would squeeze our page into the card."""
    links = page(out, f"claims/{KU}/embed/").find_all("a", href=True)
    assert links and [a.get("target") for a in links] == ["_top"] * len(links), [str(a) for a in links]


def test_a_group_page_shows_its_members_quotes_as_theirs_not_its_own(out):
    """The United States said nothing itself: Blinken's words are his, named under its members, never quoted as the
    group's own stance."""
    blinken_said = "Korea Utara memasok sejumlah besar amunisi"
    assert blinken_said in words(page(out, "actors/antony-blinken/"))
    group = page(out, "actors/amerika-serikat/")
    assert blinken_said not in words(group)
    assert {"antony-blinken", "jake-sullivan"} <= hrefs(group, "actors")


def test_the_verdict_meter_fills_as_many_steps_as_the_verdict_stands_on(out):
    badges = [b for path in ("", "claims/", f"claims/{KU}/") for b in page(out, path).select(".verdict[data-step]")]
    assert {b["data-step"] for b in badges} >= {"2"}
    for badge in badges:
        meter = badge.select(".verdict-meter i")
        assert len(meter) == int(badge["data-steps"])
        assert len([i for i in meter if "on" in (i.get("class") or [])]) == int(badge["data-step"]), badge


def test_an_article_in_another_language_marks_its_text_so(varied):
    """Screen readers and hyphenation read the English article as English, the page around it as Indonesian."""
    article = page(varied, "articles/sullivan-mendesak-kim/")
    assert article.html["lang"] == "id"
    assert article.h1["lang"] == "en" and article.select_one("div.body")["lang"] == "en"
    same = page(varied, "articles/putin-di-pyongyang/")
    assert same.h1.get("lang") is None and same.select_one("div.body").get("lang") is None


# -- what the words around the contract's attributes say ------------------------------------------------------
# Each test reads a page as a reader does: the label before the names, the number that leads to the passage, the
# count beside an item, and checks it against the content or against what another page says of the same thing.

KU_TITLE = "Korea Utara memasok senjata ke Rusia"
SANKSI_TITLE = "Transfer senjata melanggar sanksi PBB"
CLAIM_FILE = "content/claims/korea-utara-memasok-senjata.md"
SANKSI_FILE = "content/claims/sanksi-dilanggar.md"


@pytest.fixture(scope="module")
def fuller(tmp_path_factory):
    """The base site with more of what pages can show: a correction after the verdict, a second claim rated on a
    step that has a description and filed under the same topic though nobody takes a side on it, Blinken quoted
    twice in one article by two authors, and Sullivan's article at its outlet's URL."""
    root = make_site(tmp_path_factory.mktemp("fuller") / "site", {
        CLAIM_FILE: BASE[CLAIM_FILE].replace(
            "reviewed: 2024-06-20\n", "reviewed: 2024-06-20\ncorrections:\n  - date: 2024-07-01\n    note: Judul diperjelas.\n"),
        SANKSI_FILE: ("---\ntitle: Transfer senjata melanggar sanksi PBB\nverdict: benar\nreviewed: 2024-06-21\n"
                      "topics: [senjata]\nsources: [{id: dk-pbb-2270, title: S/RES/2270 (2016), publisher: Dewan "
                      "Keamanan PBB, date: 2016-03-02}]\n---\nResolusi melarang transfer senjata [@dk-pbb-2270].\n"),
        ARTICLE: BASE[ARTICLE].replace(
            "    id: blinken-amunisi\n",
            "    id: blinken-amunisi\n  - claim: korea-utara-memasok-senjata\n    quote: untuk digunakan di Ukraina\n"
            "    asserts: [antony-blinken]\n    id: blinken-ukraina\n"),
        SULLIVAN: BASE[SULLIVAN].replace("published: 2023-09\n", "published: 2023-09\nurl: https://www.antaranews.com/b/1\n"),
    })
    article = root / ARTICLE
    article.write_text(article.read_text("utf-8").replace("authors: [Tiara Shelavy]", "authors: [Tiara Shelavy, Rizki Amalia]"),
                       "utf-8")
    build_here(root)
    return root / "_site"


BASE_URL = "https://newsroom.github.io/cek/"


def strings(out):
    return load_config(out.parent).strings


def plural(out, key: str, n: int) -> str:
    from generator.l10n import language
    return language("id").plural(strings(out)[key], n)


def said_words(el) -> str:
    """An element's words without its icons (+, −): what a screen reader says, and what the eye reads after the icon."""
    el = BeautifulSoup(str(el), "html.parser")
    for icon in el.select(".icon"):
        icon.decompose()
    return words(el)


def nav_current(p) -> list[str]:
    return [words(a) for a in p.select("header nav a[aria-current]")]


def html_pages(out):
    for f in sorted(out.rglob("*.html")):
        yield f.relative_to(out).as_posix(), BeautifulSoup(f.read_text("utf-8"), "html.parser")


ICONS = {"asserts": {"+"}, "denies": {"\u2212"}, "mentions": {"\u25cb"}, "both": {"\u00b1", "+", "\u2212"}}
STANCE_CLASS = re.compile(r"-(asserts|denies|both|mentions)$")


@pytest.fixture(params=["out", "fuller"])
def built(request):
    return request.getfixturevalue(request.param)


def stance_of(el) -> str | None:
    """The stance an element stands for: a class ending in -asserts, -denies, -both or -mentions, or data-stance."""
    for c in el.get("class") or []:
        if m := STANCE_CLASS.search(c):
            return m.group(1)
    return el.get("data-stance") if el.get("data-stance") in ICONS else None


def folder(path: str) -> str:
    return path.rsplit("/", 1)[0] + "/" if "/" in path else ""


def target(here: str, href: str) -> tuple[str, str] | None:
    """The site path a link from the folder `here` leads to ('claims/x/', 'feed.xml', '' for home) and its fragment;
    None for another site."""
    from posixpath import normpath
    if href.startswith(BASE_URL):
        href, here = href[len(BASE_URL):], ""
    elif href.startswith("/cek/"):
        href, here = href[len("/cek/"):], ""
    elif re.match(r"^[a-z][a-z0-9+.-]*:", href):
        return None
    path, _, fragment = href.partition("#")
    if not path:
        return here, fragment
    joined = normpath(here + path)
    return ("" if joined == "." else joined + ("/" if path.endswith("/") else "")), fragment


def mark_of(out, href: str, here: str):
    """The mark a link to a passage lands on (href relative to the folder `here`), and the page it is on."""
    path, anchor = target(here, href)
    return page(out, path).find(id=anchor), path


def test_each_passage_note_names_its_claim_and_each_side_in_words(fuller):
    """Under each paragraph, a passage's note: the claim's title, then 'Menyatakan: A, B' and 'Membantah: C, D'."""
    t = strings(fuller)
    article = page(fuller, "articles/putin-di-pyongyang/")
    expected = {  # (claim, stance) → (claim title, what the note says of who says what)
        (KU, "asserts"): (KU_TITLE, [f"{t['asserts']}: Antony Blinken"]),
        (KU, "denies"): (KU_TITLE, [f"{t['denies']}: Korea Utara, Rusia"]),
        ("sanksi-dilanggar", "mentions"): (SANKSI_TITLE, [t["mentions_only"]]),
    }
    notes = article.select("li.passage-note")
    assert len(notes) == 4
    for note in notes:
        mark = article.find(id=note["id"].removeprefix("note-"))
        title, who = expected[(mark["data-claim"], mark["data-stance"])]
        assert words(note.select_one(".note-claim a")) == title
        assert [said_words(w) for w in note.select(".note-who .who")] == who, note["id"]


def test_the_article_opens_with_each_claim_and_who_says_what_in_words(fuller):
    t = strings(fuller)
    carried = page(fuller, "articles/putin-di-pyongyang/").select("li.carried-claim")
    assert [words(li.select_one("a.claim-title")) for li in carried] == [KU_TITLE, SANKSI_TITLE]
    ku, sanksi = carried
    assert [said_words(w) for w in ku.select(".who")] == [f"{t['asserts']}: Antony Blinken",
                                                          f"{t['denies']}: Korea Utara, Rusia"]
    assert not sanksi.select(".who")
    assert words(ku.select_one(".verdict-label")) == "Belum terbukti" and words(sanksi.select_one(".verdict-label")) == "Benar"


def test_every_passage_number_leads_to_the_passage_of_that_number(fuller):
    """'3' beside a claim, a note or a quote leads to the passage numbered 3 in the article, on every page."""
    seen = 0
    for path, p in html_pages(fuller):
        for a in p.select("a.passage-number"):
            href = a["href"]
            mark = p.find(id=href[1:]) if href.startswith("#") else mark_of(fuller, href, folder(path))[0]
            assert mark is not None and mark.name == "mark", (path, href)
            number = mark.find_next("sup", class_="ann-ref")
            assert words(a) == words(number), (path, href, words(a))
            seen += 1
    assert seen >= 10


def test_a_claim_page_puts_each_quote_with_its_speakers_its_source_and_its_passage(fuller):
    """Each quote on a side: who said it, the passage word for word, the outlet and date, and a link that lands on
    that very passage in the article, named by the article's title."""
    t = strings(fuller)
    claim = page(fuller, f"claims/{KU}/")
    here = f"claims/{KU}/"
    seen = []
    for side in claim.select("section.side"):
        for li in side.select("ul.stances > li"):
            quote = words(li.find("blockquote"))
            link = li.select_one("p.quote-meta").find("a", href=re.compile(r"articles/[^/]+/#"))
            assert link is not None, "a link to the passage"
            assert link["href"] == li.find("blockquote")["cite"]
            mark, article_path = mark_of(fuller, link["href"], here)
            assert mark is not None and words(mark) == quote, (link["href"], quote)
            assert mark["data-stance"] in (side["data-stance"], "both")
            article = page(fuller, article_path)
            assert words(link) == f"{t['to_passage']} \u201c{words(article.h1)}\u201d"
            source = li.select_one(".source")
            assert words(source.a) == words(article.select_one("p.kicker a")), "the outlet that published it"
            at_outlet = li.select_one("p.quote-meta").find("a", rel="external")
            original = article.select_one("header p.meta").find("a", rel="external")
            assert (at_outlet is None) == (original is None), "a link to the outlet where the article is online"
            if at_outlet is not None:
                assert words(at_outlet) == f"{t['at_outlet']} {words(source.a)}"
                assert at_outlet["href"].split("#")[0] == original["href"]
            assert source.time["datetime"] == article.select_one("p.meta time")["datetime"]
            seen.append((side["data-stance"], [words(a) for a in li.find_all("a", class_="actor", recursive=False)], quote))
    assert sorted(seen) == sorted([
        ("asserts", ["Jake Sullivan"], "agar tidak memasok senjata ke Rusia"),
        ("asserts", ["Antony Blinken"], "Korea Utara memasok sejumlah besar amunisi dan senjata lainnya ke Rusia"),
        ("asserts", ["Antony Blinken"], "untuk digunakan di Ukraina"),
        ("denies", ["Korea Utara", "Rusia"], "Baik Pyongyang maupun Moskow membantah klaim")])


def test_the_claim_at_a_glance_and_an_empty_side_say_so_in_words(out):
    t = strings(out)
    glance = page(out, f"claims/{KU}/").select_one(".claim-who")
    assert [said_words(p) for p in glance.select(".who")] == [
        f"{t['asserted_by']}: Jake Sullivan, Antony Blinken", f"{t['denied_by']}: Korea Utara, Rusia"]
    nobody = page(out, "claims/sanksi-dilanggar/")
    assert [said_words(p) for p in nobody.select(".claim-who .who")] == [
        f"{t['asserted_by']}: {t['nobody']}", f"{t['denied_by']}: {t['nobody']}"]
    for role, empty in (("asserts", "nobody_asserts"), ("denies", "nobody_denies")):
        side = nobody.find("section", attrs={"data-stance": role})
        assert words(side.select_one(".empty")) == t[empty], role


def test_the_verdict_panel_marks_the_verdicts_step_says_what_it_means_and_when_it_was_given(out, fuller):
    t = strings(out)

    def panel(site, slug):
        p = page(site, f"claims/{slug}/").select_one(".verdict-panel")
        current = [words(li) for li in p.select(".verdict-scale li[aria-current]")]
        reviewed = p.select_one(".verdict-panel-head time")
        return (words(p.select_one(".verdict-label")), current, words(p.select_one(".verdict-description")),
                reviewed and (reviewed["datetime"], words(reviewed)))

    assert [words(li) for li in page(out, f"claims/{KU}/").select(".verdict-scale li")] == ["Salah", "Belum terbukti", "Benar"]
    assert panel(out, KU) == ("Belum terbukti", ["Belum terbukti"], "", ("2024-06-20", "20 Juni 2024"))
    # An unrated claim with no analysis (a warning): the description points to no analysis that is not there.
    assert panel(out, "sanksi-dilanggar") == (t["unrated"], [], t["unrated_description_no_analysis"], None)
    assert "analisis" not in t["unrated_description_no_analysis"] and "analisis" in t["unrated_description"]
    assert panel(fuller, KU) == ("Belum terbukti", ["Belum terbukti"], "", ("2024-06-20", "20 Juni 2024")), \
        "a later correction does not move the date of the verdict"
    assert panel(fuller, "sanksi-dilanggar") == ("Benar", ["Benar"], "Akurat.", ("2024-06-21", "21 Juni 2024"))


def test_the_link_and_citation_to_copy_are_the_claims_own(out):
    t = strings(out)
    claim = page(out, f"claims/{KU}/")
    url = claim.find("link", rel="canonical")["href"]
    assert url == f"https://newsroom.github.io/cek/claims/{KU}/"
    assert claim.find("textarea", id="permalink").get_text() == url
    assert claim.find("textarea", id="citation").get_text() == \
        f"{KU_TITLE} — {t['verdict']}: Belum terbukti. Cek Klaim Uji, ditinjau 20 Juni 2024. {url}"
    unrated = page(out, "claims/sanksi-dilanggar/")
    assert unrated.find("textarea", id="citation").get_text() == \
        f"{SANKSI_TITLE} — {t['verdict']}: {t['unrated']}. Cek Klaim Uji, diperbarui 19 Juni 2024. " \
        "https://newsroom.github.io/cek/claims/sanksi-dilanggar/"  # an unrated claim: the date of its latest article


def test_the_embed_card_shows_the_claims_verdict_and_sides(fuller):
    t = strings(fuller)
    for slug, label, asserts, denies in (
            (KU, "Belum terbukti", "Jake Sullivan, Antony Blinken", "Korea Utara, Rusia"),
            ("sanksi-dilanggar", "Benar", "—", "—")):
        card = page(fuller, f"claims/{slug}/embed/")
        assert words(card.select_one(".embed-verdict .verdict-label")) == label, slug
        reviewed = page(fuller, f"claims/{slug}/").select_one(".verdict-panel-head time")
        assert words(card.select_one(".embed-verdict .meta")) == f"{t['reviewed']} {words(reviewed)}", slug
        assert [said_words(s) for s in card.select(".tally .stance")] == [f"{t['asserts']}: {asserts}",
                                                                          f"{t['denies']}: {denies}"]


def test_a_group_page_lists_its_members_and_labels_their_stances_as_theirs(out):
    t = strings(out)
    group = page(out, "actors/amerika-serikat/")
    members = group.find("h2", id="members").find_parent("section")
    assert [words(a) for a in members.find_all("a")] == ["Antony Blinken", "Jake Sullivan"]
    assert [words(p) for p in group.select("p.members-said")] == [f"{t['members_stance']}:"]
    assert not group.find(attrs={"data-stance": True}, class_="stance-item"), "the group itself said nothing"


def test_every_list_counts_what_it_lists(fuller):
    """Each count beside an item is the number of things its own page shows."""
    t = strings(fuller)
    for li in page(fuller, "articles/").select("li.article-item"):
        slug = hrefs(li, "articles").pop()
        n = len(page(fuller, f"articles/{slug}/").select("div.body mark[id]"))
        assert words(li.select_one(".meta")).endswith(plural(fuller, "count_passages", n)), slug
    for li in page(fuller, "outlets/").select("ul.outlet-list > li"):
        slug = hrefs(li, "outlets").pop()
        n = len(page(fuller, f"outlets/{slug}/").select("li.article-item"))
        assert words(li.select_one(".meta")) == plural(fuller, "count_articles", n), slug
    for li in page(fuller, "actors/").select("ul.actor-list > li"):
        slug = hrefs(li, "actors").pop()
        actor = page(fuller, f"actors/{slug}/")
        n = len(actor.select("section.actor-claim h3 a"))
        role = [words(actor.select_one("header p.lead"))] if actor.select_one("header p.lead") else []
        assert words(li.select_one(".meta")).split(" · ") == [words(actor.select_one("p.kicker")), *role,
                                                              plural(fuller, "count_claims", n)], slug
    for li in page(fuller, "topics/").select("ul.topic-list > li"):
        slug = hrefs(li, "topics").pop()
        topic = page(fuller, f"topics/{slug}/")
        n = len(topic.select("ul.claim-list > li.claim-item"))
        assert n == 2 and words(li.select_one(".meta")) == plural(fuller, "count_claims", n)
        assert words(topic.select_one("header p.meta")) == plural(fuller, "count_claims", n)
    assert t["kind_government"] in words(page(fuller, "actors/"))


def test_the_home_page_counts_and_the_claims_by_verdict(out):
    home = page(out, "")
    assert [words(li) for li in home.select("ul.counts li")] == [
        plural(out, "count_claims", 2), plural(out, "count_articles", 2), plural(out, "count_actors", 5),
        plural(out, "count_outlets", 2), plural(out, "count_passages", 4)]
    bars = {words(li.select_one(".verdict-label")): words(li.select_one(".n")) for li in home.select("ul.verdict-bars li")}
    assert bars == {"Benar": "0", "Belum terbukti": "1", "Salah": "0", strings(out)["unrated"]: "1"}
    disputed = home.find(id="disputed").find_parent("section")
    assert [words(a) for a in disputed.select("a.claim-title")] == [KU_TITLE], "asserted and denied: only this one"


def test_the_claim_list_shows_each_claims_own_summary(out):
    items = {words(li.select_one("a.claim-title")): li for li in page(out, "claims/").select("li.claim-item")}
    assert words(items[KU_TITLE].select_one("p.summary")) == "Dituduh AS, dibantah Pyongyang dan Moskow."
    assert items[SANKSI_TITLE].select_one("p.summary") is None, "a claim without a summary has none"


def test_the_menu_marks_the_section_the_reader_is_in(out):
    t = strings(out)
    assert nav_current(page(out, "")) == []
    for key in ("claims", "articles", "actors", "outlets", "topics", "matrix"):
        assert nav_current(page(out, f"{key}/")) == [t[key]], key
    assert nav_current(page(out, f"claims/{KU}/")) == [t["claims"]]
    assert nav_current(page(out, "actors/rusia/")) == [t["actors"]]


def test_search_indexes_the_article_claim_and_actor_pages_and_only_them(out):
    indexed = {path for path, p in html_pages(out) if p.find("main", attrs={"data-pagefind-body": True})}
    assert indexed == {f"articles/{a}/index.html" for a in ("putin-di-pyongyang", "sullivan-mendesak-kim")} | \
        {f"claims/{c}/index.html" for c in (KU, "sanksi-dilanggar")} | \
        {f"actors/{a}/index.html" for a in ("amerika-serikat", "antony-blinken", "jake-sullivan", "korea-utara", "rusia")}


def test_the_original_article_link_leads_to_the_article_at_its_outlet(fuller):
    t = strings(fuller)
    meta = page(fuller, "articles/sullivan-mendesak-kim/").select_one("header p.meta")
    original = meta.find("a", rel="external")
    assert (words(original), original["href"]) == (t["original"], "https://www.antaranews.com/b/1")
    meta = page(fuller, "articles/putin-di-pyongyang/").select_one("header p.meta")
    assert not meta.find("a", rel="external") and t["no_original"] in words(meta)


def test_headings_go_down_one_level_at_a_time_under_one_h1(built):
    for path, p in html_pages(built):
        if p.find("meta", attrs={"http-equiv": "refresh"}):
            continue
        levels = [int(h.name[1]) for h in p.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[:1] == [1] and levels.count(1) == 1, (path, levels)
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (path, levels)


def test_every_label_and_aria_reference_names_an_element_of_its_page(built):
    """A label tied to no field, or aria-labelledby naming no element, leaves a screen reader with nothing to say."""
    for path, p in html_pages(built):
        for label in p.find_all("label", attrs={"for": True}):
            field = p.find(id=label["for"])
            assert field is not None and field.name in ("input", "textarea", "select"), (path, str(label))
        for el in p.find_all(attrs={"aria-labelledby": True}):
            assert all(p.find(id=i) for i in el["aria-labelledby"].split()), (path, el.name, el["aria-labelledby"])
        for el in p.find_all(attrs={"aria-describedby": True}):
            assert all(p.find(id=i) for i in el["aria-describedby"].split()), (path, el.name)
        for field in p.find_all(["input", "textarea", "select"]):
            if field.get("type") != "hidden":
                assert p.find("label", attrs={"for": field.get("id")}) or field.get("aria-label"), (path, str(field))


def test_the_timeline_the_map_and_the_matrix_say_what_the_claim_page_says(fuller):
    """Who asserts and who denies, as each page of the site tells it: every telling agrees with the claim page."""
    claim = page(fuller, f"claims/{KU}/")
    glance = {role: [words(a) for a in claim.select(f".claim-who .who-{role} a")] for role in ("asserts", "denies")}
    # The timeline: each passage link names who asserts and who denies in that passage, as the article's note does.
    assert len(claim.select("ol.timeline a.passage-link")) == 4
    for a in claim.select("ol.timeline a.passage-link"):
        mark, article_path = mark_of(fuller, a["href"], f"claims/{KU}/")
        note = page(fuller, article_path).find(id="note-" + mark["id"])
        for role in ("asserts", "denies"):
            told = a.select_one(f".role-{role}")
            names = [n.strip() for n in said_words(told).split(":", 1)[1].split(",")] if told else []
            assert names == [words(x) for x in note.select(f".who-{role} a.actor")], (a["href"], role)
    # The map's text alternative.
    item = page(fuller, "map/").select_one("ul.map-text").find("a", href=f"../claims/{KU}/").find_parent("li")
    told = {("asserts" if "stance-asserts" in li.span["class"] else "denies"): [words(a) for a in li.find_all("a")]
            for li in item.select("ul > li")}
    assert told == glance
    # The matrix: the claim's column marks its asserters and its deniers.
    matrix = page(fuller, "matrix/").find("table", class_="matrix")
    column = [th.a["href"] for th in matrix.thead.find_all("th")[1:]].index(f"../claims/{KU}/")
    cells = {words(tr.th): tr.find_all("td")[column].get("data-cell", "") for tr in matrix.tbody.find_all("tr")}
    assert {role: sorted(name for name, cell in cells.items() if cell in (role, "both")) for role in glance} == \
        {role: sorted(names) for role, names in glance.items()}


# -- every page at once: what its links, dates, badges and stance words say -----------------------------------

def test_every_link_says_where_it_leads(built):
    """A link named for a list leads to that list; a link that names an article, claim, actor, outlet or topic
    leads to its page, and a link to such a page names it."""
    t = strings(built)
    lists = {"claims": "claims/", "articles": "articles/", "actors": "actors/", "outlets": "outlets/",
             "topics": "topics/", "matrix": "matrix/", "matrix_title": "matrix/", "full_matrix": "matrix/",
             "map_title": "map/", "open_data": "data/", "feed": "feed.xml", "all_claims": "claims/",
             "all_articles": "articles/", "search": "search/", "search_all": "search/", "home": ""}
    by_words = {t[key]: path for key, path in lists.items()}
    assert len(by_words) == len(lists), "no two of these links read alike"
    names = {}
    for kind in ("articles", "claims", "actors", "outlets", "topics"):
        for f in (built / kind).glob("*/index.html"):
            p = BeautifulSoup(f.read_text("utf-8"), "html.parser")
            if p.h1:
                names[f"{kind}/{f.parent.name}/"] = words(p.h1)
    checked = 0
    for path, p in html_pages(built):
        here = folder(path)
        for a in p.find_all("a", href=True):
            if a.find_parent(class_=["body", "analysis"]) or "passage-number" in (a.get("class") or []):
                continue  # the content's own links; numbers are checked against the passages
            if not (to := target(here, a["href"])):
                continue
            dest, fragment = to
            text = words(a).removesuffix(" \u2192")
            if text in by_words:
                assert dest == by_words[text], (path, str(a))
            elif text == t["read_full"]:
                assert dest == here.removesuffix("embed/") and dest.startswith("claims/"), (path, str(a))
            elif text == t["embed_preview"]:
                assert dest == here + "embed/", (path, str(a))
            elif text == t["share_image"]:
                assert dest == here + "share.png", (path, str(a))
            elif dest in names and not fragment and not re.match(r"\d", text) and "brand" not in (a.get("class") or []):
                assert names[dest] in text, (path, str(a), names[dest])
            else:
                continue
            checked += 1
    assert checked > 200


def test_every_date_reads_as_the_date_it_stands_for(built):
    """The words of each <time> are its datetime in the site's language: no field's date under another's."""
    from generator.l10n import language
    from generator.model import Date
    lang = language("id")
    seen = 0
    for path, p in html_pages(built):
        for time in p.find_all("time"):
            y, m, *d = (int(x) for x in time["datetime"].split("-"))
            assert words(time) == lang.date(Date(y, m, d[0] if d else 0)), (path, str(time))
            seen += 1
    assert seen > 15


def test_every_verdict_badge_is_its_claims_own(built):
    """Beside a claim, wherever it is listed or quoted, stands that claim's verdict, with its label."""
    t = strings(built)
    labels = {v.key: v.label for v in load_config(built.parent).verdicts} | {"": t["unrated"]}
    own = {f.parent.name: BeautifulSoup(f.read_text("utf-8"), "html.parser").select_one(".verdict-panel .verdict")
           for f in (built / "claims").glob("*/index.html")}
    own = {slug: badge["data-verdict"] for slug, badge in own.items() if badge}
    seen = 0
    for path, p in html_pages(built):
        here = folder(path)

        def claims_linked(el) -> set[str]:
            found = {target(here, a["href"]) for a in el.find_all("a", href=True)}
            return {d.split("/")[1] for d, fragment in filter(None, found)
                    if re.fullmatch(r"claims/[a-z0-9-]+/", d) and not fragment}

        for badge in p.select("main .verdict[data-verdict]"):
            assert words(badge.select_one(".verdict-label")) == labels[badge["data-verdict"]], (path, str(badge))
            if badge.find_parent(class_=["verdict-panel", "verdict-bars"]):
                continue
            box = badge.parent
            while box is not None and not claims_linked(box):
                box = box.parent
            slugs = claims_linked(box)
            assert len(slugs) == 1 and badge["data-verdict"] == own[slugs.pop()], (path, str(box)[:300])
            seen += 1
    assert seen > 15


def test_every_stance_is_told_with_its_own_icon_and_words(built):
    """+ and 'Menyatakan' for asserting, − and 'Membantah' for denying, wherever a page tells who stands where."""
    t = strings(built)
    said = {"asserts": {t["asserts"], t["asserted_by"]}, "denies": {t["denies"], t["denied_by"]},
            "both": {t["both"]}, "mentions": {t["mentions"], t["mentions_only"]}}
    any_stance = set().union(*said.values())
    icons = words_checked = 0
    for path, p in html_pages(built):
        for icon in p.select("main .icon"):
            outer = next((a for a in icon.parents if stance_of(a)), None)
            if outer is not None:
                assert words(icon) in ICONS[stance_of(outer)], (path, str(outer)[:300])
                icons += 1
        for el in p.select("main span.stance, main .who-role, main .visually-hidden"):
            text = said_words(el).split(" (")[0].removesuffix(":")
            if text not in any_stance:
                continue
            outer = el if "stance" in (el.get("class") or []) else next((a for a in el.parents if stance_of(a)), None)
            assert outer is not None and text in said[stance_of(outer)], (path, str(el))
            if el is outer:  # a badge stands for the stance of what holds it
                holder = next((a for a in el.parents if stance_of(a)), None)
                assert holder is None or stance_of(holder) in (stance_of(el), "both"), (path, str(holder)[:300])
            words_checked += 1
    assert icons > 20 and words_checked > 20


def test_a_claim_page_tells_a_groups_own_stance_apart_from_its_members_in_the_right_columns(out):
    t = strings(out)
    table = page(out, f"claims/{KU}/").find("table", class_="by-side")
    assert [words(th) for th in table.thead.find_all("th")] == [t["side"], t["own_stance"], t["members_stance"]]
    rows = {words(tr.th): tr.find_all("td") for tr in table.tbody.find_all("tr")}
    assert [words(td) for td in rows["Amerika Serikat"]][0] == t["no_own_stance"]
    assert [words(li.find("a", class_="actor")) for li in rows["Amerika Serikat"][1].find_all("li")] == [
        "Antony Blinken", "Jake Sullivan"]
    assert said_words(rows["Rusia"][0]).startswith(t["denies"]) and words(rows["Rusia"][1]) == "\u2014"


def test_an_article_names_all_its_authors(fuller):
    meta = page(fuller, "articles/putin-di-pyongyang/").select_one("header p.meta")
    assert f"{strings(fuller)['by']} Tiara Shelavy, Rizki Amalia" in words(meta)


def test_the_notes_of_an_article_in_another_language_speak_the_sites(varied):
    body = page(varied, "articles/sullivan-mendesak-kim/").select_one("div.body")
    assert body["lang"] == "en"
    notes = body.select("ul.notes")
    assert notes and all(ul.get("lang") == "id" for ul in notes), "the notes are in the site's words"


def test_an_outlet_page_says_its_website_and_country(out):
    t = strings(out)
    meta = page(out, "outlets/antara/").select_one("header p.meta")
    assert words(meta) == f"{t['website']}: https://www.antaranews.com \u00b7 {t['country']}: Indonesia"
    assert meta.find("a", rel="external")["href"] == "https://www.antaranews.com"


def test_an_outlet_page_describes_it_and_names_its_country_in_the_sites_language(tmp_path):
    description = "Kantor berita milik negara Inggris; edisi bahasa Indonesia."
    root = make_site(tmp_path / "site", {"content/outlets/antara.yaml": f"name: BBC\ncountry: gb\ndescription: {description}\n"})
    build_here(root)
    outlet = page(root / "_site", "outlets/antara/")
    assert words(outlet.select_one("header p.lead")) == description
    assert words(outlet.select_one("header p.meta")) == "Negara: Inggris Raya", "no website given: no separator"
    assert outlet.find("meta", attrs={"name": "description"})["content"] == description
    en = make_site(tmp_path / "en", {"site.toml": BASE["site.toml"].replace('language = "id"', 'language = "en"'),
                                     "content/outlets/antara.yaml": "name: BBC\ncountry: GB\n"})
    build_here(en)
    assert words(page(en / "_site", "outlets/antara/").select_one("header p.meta")) == "Country: United Kingdom"
    assert words(page(en / "_site", "outlets/tribunnews/").select_one("header p.meta")).endswith("Country: Indonesia")


def test_the_home_page_topics_count_their_claims(fuller):
    chips = page(fuller, "").select("ul.topic-chips a")
    assert [(target("", a["href"])[0], words(a.select_one(".n"))) for a in chips] == [("topics/senjata/", "2")]


def test_the_search_box_and_page_are_labelled_and_announce_their_results(out):
    for path in ("", "search/"):
        p = page(out, path)
        for form in p.find_all("form", attrs={"role": "search"}):
            field = form.find("input", attrs={"type": "search"})
            assert form.find("label", attrs={"for": field["id"]}), path
            assert form.find(attrs={"role": "status"}), f"{path}: a live region says how many results"
            assert target(folder(path + "index.html"), form["action"])[0] == "search/"


def test_every_page_starts_with_a_skip_link_and_names_its_feed(built):
    t = strings(built)
    for path, p in html_pages(built):
        if p.find("meta", attrs={"http-equiv": "refresh"}) or "embed" in (p.body.get("class") or []):
            continue
        first = p.body.find("a")
        assert words(first) == t["skip"] and p.find(id=first["href"].removeprefix("#")).name == "main", path
        feed = p.find("link", rel="alternate", type="application/atom+xml")
        assert feed["href"] == BASE_URL + "feed.xml", path
        assert p.find("meta", property="og:url")["content"] == p.find("link", rel="canonical")["href"], path


def test_an_embed_card_points_search_engines_and_shares_at_its_claim_page(out):
    card = page(out, f"claims/{KU}/embed/")
    assert card.find("link", rel="canonical")["href"] == BASE_URL + f"claims/{KU}/"
    assert card.find("meta", property="og:url")["content"] == BASE_URL + f"claims/{KU}/"
    assert card.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_no_page_shows_a_string_key_instead_of_its_words(built):
    """`field_claim` or `kind_person` on a page is a template that printed the key, not the text it names."""
    keys = {k for k in strings(built) if "_" in k}
    for path, p in html_pages(built):
        for code in p.find_all("code"):
            code.decompose()
        shown = set(re.findall(r"[a-z]+(?:_[a-z]+)+", p.get_text())) & keys
        assert not shown, (path, shown)


def test_each_page_previews_as_what_it_shows(built):
    """The tab's title, the link preview's title and description (OpenGraph, Twitter) and the page's own words
    agree; every page, redirects too, is in the site's language."""
    t = strings(built)
    for path, p in html_pages(built):
        assert p.html["lang"] == "id", path
        if p.find("meta", attrs={"http-equiv": "refresh"}):
            continue
        meta = lambda **kw: p.find("meta", attrs=kw)["content"]  # noqa: E731
        title, description = words(p.title), meta(name="description")
        assert meta(property="og:title") == meta(name="twitter:title") == title, path
        assert meta(property="og:description") == meta(name="twitter:description") == description, path
        assert words(p.h1) in title, path
        if re.fullmatch(r"(claims|actors|articles)/[a-z0-9-]+/(embed/)?index\.html", path):
            assert title == f"{words(p.h1)} \u00b7 Cek Klaim Uji", path
        if re.fullmatch(r"claims/[a-z0-9-]+/index\.html", path):
            label = words(p.select_one(".verdict-panel .verdict-label"))
            rated = p.select_one(".verdict-panel .verdict")["data-verdict"] != ""
            lead = p.select_one("header p.lead")
            assert description == (f"{label}: " if rated else "") + words(lead or p.h1), path
            assert meta(property="og:image:alt") == f"{words(p.h1)}: {label if rated else t['unrated']}", path
        if re.fullmatch(r"actors/[a-z0-9-]+/index\.html", path):
            lead = p.select_one("header p.lead")
            assert description == words(p.h1) + (f", {words(lead)}" if lead else ""), path
        if re.fullmatch(r"articles/[a-z0-9-]+/index\.html", path):
            first = p.select_one("div.body p")
            assert " ".join(description.split())[:40] == words(first)[:40], path


def test_no_section_is_a_heading_over_nothing(built):
    for path, p in html_pages(built):
        for section in p.select("main section"):
            heading = section.find(re.compile(r"^h[2-6]$"))
            rest = words(section).replace(words(heading), "", 1) if heading else words(section)
            assert rest.strip(), (path, section.get("class"), heading and words(heading))


def test_article_lists_run_newest_first(fuller):
    for path in ("articles/", "", "outlets/antara/", "outlets/tribunnews/"):
        dates = [li.time["datetime"] for li in page(fuller, path).select("li.article-item")]
        assert dates and dates == sorted(dates, reverse=True), path
    assert len(page(fuller, "").select("li.article-item")) == 2, "the latest articles, all of them on a small site"


def test_the_open_data_page_counts_what_each_file_holds(out):
    import csv
    import json
    t = strings(out)
    doc = page(out, "data/")
    about = {words(s.h2): words(s.h2.find_next("p")) for s in doc.select("section.data-file")}
    claims = json.loads((out / "claims.json").read_text("utf-8"))["claims"]
    with open(out / "claims.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    annotations = json.loads((out / "annotations.jsonld").read_text("utf-8"))["total"]
    assert about == {"claims.json": t["data_json_about"].format(count=len(claims)),
                     "claims.csv": t["data_csv_about"].format(count=len(rows)),
                     "annotations.jsonld": t["data_jsonld_about"].format(count=annotations)}
    assert (len(claims), len(rows), annotations) == (2, 4, 4)


def test_a_topic_page_names_its_topic_wherever_it_speaks_of_it(fuller):
    t = strings(fuller)
    topic = page(fuller, "topics/senjata/")
    assert words(topic.h1) == "Senjata" and words(topic.title) == f"{t['topic']}: Senjata \u00b7 Cek Klaim Uji"
    assert words(topic.select_one("table.matrix caption")) == t["matrix_caption_topic"].format(topic="Senjata")
    assert hrefs(topic.select_one("ul.claim-list"), "claims") == {KU, "sanksi-dilanggar"}


def test_every_page_shows_the_sites_notice_contact_and_repository_but_embeds_and_redirects(tmp_path):
    toml = BASE["site.toml"].replace('language = "id"\n', 'language = "id"\nnotice = "Situs demonstrasi, bukan redaksi '
                                     'sungguhan."\ncontact = "mailto:redaksi@cekfakta.example"\n'
                                     'repository = "https://github.com/cekfakta/kim-putin"\n')
    root = make_site(tmp_path / "site", {
        "site.toml": toml, "content/claims/sanksi-dilanggar.md": "---\ntitle: X\naliases: [sanksi-lama]\n---\n"})
    build_here(root)
    out = root / "_site"
    shown = [f.relative_to(out).as_posix() for f in sorted(out.rglob("*.html")) if "pagefind" not in f.parts]
    for path in shown:
        p = BeautifulSoup((out / path).read_text("utf-8"), "html.parser")
        if path.endswith("embed/index.html") or path == "claims/sanksi-lama/index.html":
            assert p.select_one(".site-notice") is None and "redaksi@" not in str(p), path
            continue
        assert words(p.select_one("aside.site-notice[aria-label] > p")) == "Situs demonstrasi, bukan redaksi sungguhan.", path
        contact = p.select_one("footer .site-contact")
        assert [a["href"] for a in contact.find_all("a")] == ["mailto:redaksi@cekfakta.example",
                                                             "https://github.com/cekfakta/kim-putin"], path
        assert words(contact).startswith("Kontak: redaksi@cekfakta.example · Repositori"), path
    assert "404.html" in shown and len(shown) > 20
    assert page(out, "").select_one(".site-notice").find_next("header"), "the notice comes before the page's header"


def test_an_unrated_claim_shows_when_it_was_reviewed(tmp_path):
    """'Not rated' is a finding too: the claim page, its card, its citation and the feed say when it was made."""
    root = make_site(tmp_path / "site", {SANKSI_FILE: f"---\ntitle: {SANKSI_TITLE}\nreviewed: 2024-06-22\n---\nBelum jelas.\n"})
    build_here(root)
    out = root / "_site"
    claim = page(out, "claims/sanksi-dilanggar/")
    assert words(claim.select_one(".verdict-panel-head .meta")) == "Ditinjau 22 Juni 2024"
    assert claim.select_one(".verdict-panel-head time")["datetime"] == "2024-06-22"
    assert "Tidak dinilai. Cek Klaim Uji, ditinjau 22 Juni 2024." in claim.select_one("#citation").get_text()
    assert "Ditinjau 22 Juni 2024" in words(page(out, "claims/sanksi-dilanggar/embed/").select_one(".embed-verdict"))
    entry = next(e for e in ET.parse(out / "feed.xml").getroot() if "sanksi-dilanggar" in (e.findtext(
        "{http://www.w3.org/2005/Atom}id") or ""))
    assert entry.findtext("{http://www.w3.org/2005/Atom}updated").startswith("2024-06-22T")
    assert "(Ditinjau 22 Juni 2024)" in entry.findtext("{http://www.w3.org/2005/Atom}content")


def test_a_quote_card_closes_and_opens_the_quotation_a_passage_cuts_through(tmp_path):
    """The passage ends inside Blinken's quotation (`…di Ukraina,” kata Blinken`): its card opens the quotation; one
    that starts a quotation and stops inside it closes it. The passage as anchored stays as the article prints it."""
    article = BASE[ARTICLE].replace("    id: blinken-amunisi\n", "    id: blinken-amunisi\n"
                                    "  - claim: korea-utara-memasok-senjata\n"
                                    "    quote: \"untuk digunakan di Ukraina,\u201d kata Blinken\"\n"
                                    "    asserts: [antony-blinken]\n    id: di-ukraina\n"
                                    "  - claim: sanksi-dilanggar\n    quote: \"\u201cKorea Utara memasok sejumlah besar\"\n"
                                    "    asserts: [antony-blinken]\n    id: sejumlah-besar\n")
    root = make_site(tmp_path / "site", {ARTICLE: article})
    build_here(root)
    out = root / "_site"
    cards = {q["cite"].rsplit("#", 1)[1]: q.get_text() for q in page(out, f"claims/{KU}/").select("blockquote.quote")}
    assert cards["di-ukraina"] == "\u201cuntuk digunakan di Ukraina,\u201d kata Blinken"
    assert cards["blinken-amunisi"] == "Korea Utara memasok sejumlah besar amunisi dan senjata lainnya ke Rusia", \
        "a passage wholly inside a quotation is shown as it is"
    opened = page(out, "claims/sanksi-dilanggar/").find("blockquote", cite=re.compile("#sejumlah-besar$"))
    assert opened.get_text() == "\u201cKorea Utara memasok sejumlah besar\u201d"
    mark = page(out, "articles/putin-di-pyongyang/").find("mark", id="di-ukraina")
    assert words(mark).startswith("untuk digunakan di Ukraina,\u201d kata Blinken"), "the article is untouched"
    import json
    exact = {a["url"].rsplit("#", 1)[1]: a["exact"] for c in json.loads((out / "claims.json").read_text("utf-8"))["claims"]
             for a in c["appearances"]}
    assert exact["di-ukraina"] == "untuk digunakan di Ukraina,\u201d kata Blinken"


def test_english_counts_take_the_plural_form_of_their_number_everywhere(tmp_path):
    """"+1 more passages" and "1 Asserts" were heard; each count is now a CLDR plural string of the theme."""
    toml = BASE["site.toml"].replace('language = "id"', 'language = "en"')
    article = BASE[ARTICLE].replace("    id: blinken-amunisi\n", "    id: blinken-amunisi\n" + "".join(
        f"  - claim: korea-utara-memasok-senjata\n    quote: {q}\n    asserts: [antony-blinken]\n"
        for q in ("Presiden Rusia Vladimir Putin", "pemimpin Korea Utara", "Kim Jong Un bertemu hari ini")))
    root = make_site(tmp_path / "site", {"site.toml": toml, ARTICLE: article})
    build_here(root)
    out = root / "_site"
    more = page(out, "matrix/").select_one("a.cell-more")
    assert words(more) == "+1 more passage on the actor's page", "four passages: three shown, one more"
    item = next(li for li in page(out, "claims/").select("li.claim-item") if li.find("a", href=f"../claims/{KU}/"))
    assert [words(s) for s in item.select(".tally .visually-hidden")] == ["2 actors assert it", "2 actors deny it"]
    other = next(li for li in page(out, "claims/").select("li.claim-item") if li.find("a", href="../claims/sanksi-dilanggar/"))
    assert [words(s) for s in other.select(".tally .visually-hidden")] == ["0 actors assert it", "0 actors deny it"]
    home = page(out, "")
    bars = [words(s) for s in home.select("ul.verdict-bars .visually-hidden")]
    assert "1 claim" in bars and "0 claims" in bars
    assert [words(s) for s in home.select(".topic-chips .visually-hidden")] == ["(1 claim)"]
    assert not re.search(r"\b1 (?:[A-Z]\w+|\w+s)\b(?! it)", words(home) + words(page(out, "claims/"))), \
        "no number 1 before a plural noun"


def test_an_article_in_another_language_keeps_its_lang_wherever_its_words_appear(varied):
    """Sullivan's article is in English on an Indonesian site: its title in lists and its passages elsewhere are
    marked so, for screen readers and validators; the Indonesian article's are not."""
    for path in ("", "articles/", "outlets/antara/"):
        titles = {a.get_text(): a.get("lang") for a in page(varied, path).select("li.article-item > a")}
        assert titles["Sullivan mendesak Kim"] == "en" and titles.get("Putin dan Kim bertemu di Pyongyang", None) is None, path
    claim = page(varied, f"claims/{KU}/")
    quotes = {q["cite"].split("articles/")[1].split("/")[0]: q.get("lang") for q in claim.select("blockquote.quote")}
    assert quotes == {"sullivan-mendesak-kim": "en", "putin-di-pyongyang": None}
    actor = page(varied, "actors/jake-sullivan/")
    assert actor.select_one("blockquote.quote")["lang"] == "en"
    assert actor.select_one(".quote-meta span[lang=en]").get_text() == "\u201cSullivan mendesak Kim\u201d"
    feed = ET.parse(varied / "feed.xml").getroot()
    langs = {e.findtext("{http://www.w3.org/2005/Atom}id").rsplit("/", 2)[1]: e.get("{http://www.w3.org/XML/1998/namespace}lang")
             for e in feed.findall("{http://www.w3.org/2005/Atom}entry")}
    assert langs["sullivan-mendesak-kim"] == "en" and langs["putin-di-pyongyang"] is None
