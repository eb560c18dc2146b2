"""Evidence: a claim's sources and its `[@ID]` citations, posts, images from content/media/ — as a reader, a
search engine and the newsroom's `check` see them."""
from __future__ import annotations

import json

import pytest

from conftest import ARTICLE, BASE, CLAIM, build_here, linked_site, page, problems_of

C = BASE[CLAIM]
SOURCES = """\
sources:
  - id: dk-pbb-1718
    title: Resolusi 1718 (2006)
    publisher: Dewan Keamanan PBB
    date: 2006-10
    url: https://undocs.org/S/RES/1718(2006)
    archive_url: https://web.archive.org/web/2024/https://undocs.org/S/RES/1718(2006)
    quote: Decides that the DPRK shall abandon all other existing weapons
    language: en
  - id: panel-ahli
    title: Laporan Panel Ahli S/2024/215
    publisher: Perserikatan Bangsa-Bangsa
    date: 2024-03-07
    note: Dirujuk menurut nomor dokumennya.
  - id: tak-dikutip
    title: Catatan lain
    publisher: Kantor Berita
    date: 2024-01-02
    url: https://example.org/catatan
    archive_url: https://archive.ph/abcd
"""


def with_sources(body: str, sources: str = SOURCES, claim: str = C) -> str:
    """The base claim with `sources` in its front matter and `body` as its analysis."""
    front = claim.split("---\n")[1]
    return f"---\n{front}{sources}---\n{body}\n"


def test_citations_are_numbered_in_order_of_first_citation_and_link_to_the_sources_at_the_end(site):
    root = site({CLAIM: with_sources("Panel ahli mencatatnya [@panel-ahli], dan resolusi melarangnya "
                                     "[@dk-pbb-1718; @panel-ahli]. Lagi [@dk-pbb-1718].")})
    build_here(root)
    doc = page(root / "_site", "claims/korea-utara-memasok-senjata/")
    refs = [(a.get_text(), a["href"]) for a in doc.select(".analysis sup.cite a")]
    assert refs == [("1", "#source-panel-ahli"), ("2", "#source-dk-pbb-1718"), ("1", "#source-panel-ahli"),
                    ("2", "#source-dk-pbb-1718")]
    cited = doc.select("ol.source-list > li")
    assert [(li["id"], li["value"]) for li in cited] == [("source-panel-ahli", "1"), ("source-dk-pbb-1718", "2")]
    resolution = cited[1]
    assert resolution.select_one(".source-title a")["href"] == "https://undocs.org/S/RES/1718(2006)"
    assert resolution.select_one("a.source-archive")["href"].startswith("https://web.archive.org/")
    assert "Decides that the DPRK" in resolution.select_one("blockquote").get_text()
    assert resolution.select_one("blockquote")["lang"] == "en", "a screen reader reads the quote in its language"
    assert cited[0].select_one(".source-title a") is None  # no URL: the document by its symbol, as text
    assert "Laporan Panel Ahli S/2024/215" in cited[0].get_text()
    assert cited[0].select_one(".source-note").get_text() == "Dirujuk menurut nomor dokumennya."
    assert resolution.select_one(".source-note") is None  # no note written, none shown
    uncited = doc.select("ul.source-list-uncited > li")
    assert [li["id"] for li in uncited] == ["source-tak-dikutip"] and not uncited[0].get("value")
    first = doc.select_one("#cite-panel-ahli")  # the way back from the list to the first citation
    assert " ".join(doc.select_one(".analysis p").get_text().split()) == \
        "Panel ahli mencatatnya [1], dan resolusi melarangnya [2; 1]. Lagi [2]."  # each citation's brackets once
    assert first is not None and first.get_text() == "1"


def test_claim_review_lists_the_cited_sources_as_citation(site):
    root = site({CLAIM: with_sources("Resolusi melarangnya [@dk-pbb-1718].")})
    build_here(root)
    doc = page(root / "_site", "claims/korea-utara-memasok-senjata/")
    review = json.loads(doc.select_one('script[type="application/ld+json"]').string)
    assert review["citation"] == [{
        "@type": "CreativeWork", "name": "Resolusi 1718 (2006)", "datePublished": "2006-10",
        "publisher": {"@type": "Organization", "name": "Dewan Keamanan PBB"},
        "url": "https://undocs.org/S/RES/1718(2006)",
        "archivedAt": "https://web.archive.org/web/2024/https://undocs.org/S/RES/1718(2006)"}]


def test_citations_elsewhere_stay_text(site):
    """An article is the outlet's words, verbatim: `[@x]` in it is not a citation."""
    article = "content/articles/sullivan-mendesak-kim.md"
    root = site({article: BASE[article] + "Balasan untuk [@kim] di media sosial.\n"})
    build_here(root)
    assert "[@kim]" in page(root / "_site", "articles/sullivan-mendesak-kim/").select_one(".body").get_text()


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_an_unknown_citation_is_an_error_at_its_line(site):
    text = with_sources("Resolusi melarangnya [@dk-pbb-1718].\n\nPanel [@panel-ahly] dan [@tidak-ada].")
    root = site({CLAIM: text})
    line = line_of(text, "[@panel-ahly]")
    assert problems_of(root) == [
        f"{CLAIM}:{line}: citation of an unknown source [@panel-ahly] (did you mean 'panel-ahli'?)",
        f"{CLAIM}:{line}: citation of an unknown source [@tidak-ada]"]


def test_a_citation_in_a_claim_without_sources_says_where_to_list_them(site):
    text = with_sources("Lihat [pernyataannya](/articles/putin-di-pyongyang/#blinken-amunisi).\n\n"
                        "Resolusi melarangnya [@dk-pbb-1718].", "")
    assert problems_of(site({CLAIM: text})) == [
        f"{CLAIM}:{line_of(text, '[@dk-pbb-1718]')}: citation of an unknown source [@dk-pbb-1718] (list it under "
        "'sources:' in the front matter)"]


def test_a_rated_claim_must_cite_a_source_or_link_a_passage(site):
    root = site({CLAIM: with_sources("Kedua negara membantah.")})
    assert problems_of(root) == [f"{CLAIM}:3: a rated claim's analysis must show its evidence: cite a source "
                                 "([@ID], listed under 'sources:') or link a passage (/articles/SLUG/#ID)"]
    unrated = "content/claims/sanksi-dilanggar.md"
    assert problems_of(site({CLAIM: with_sources("Lihat [@panel-ahli]."), unrated: BASE[unrated]})) == []


def test_a_source_url_without_an_archived_copy_is_a_warning_or_with_require_archive_an_error(site):
    bare = SOURCES.replace("    archive_url: https://archive.ph/abcd\n", "")
    text = with_sources("Resolusi melarangnya [@dk-pbb-1718].", bare)
    root = site({CLAIM: text})
    line = line_of(text, "url: https://example.org/catatan")
    message = (f"{CLAIM}:{line}: warning: source 'tak-dikutip' has a url but no archive_url: archive it "
               "(web.archive.org, archive.today) so the evidence outlives the page")
    assert [str(w) for w in linked_site(root).warnings] == [message]
    doc_root = site({CLAIM: text, "site.toml": BASE["site.toml"].replace(
        'language = "id"', 'language = "id"\n\n[check]\nrequire_archive = true\n', 1)})
    assert problems_of(doc_root) == [message.replace("warning: ", "")]


@pytest.mark.parametrize("entry, message", [
    ("  - id: Bad Id\n    title: T\n    publisher: P\n    date: 2024-01-01\n",
     "source id 'Bad Id' is not a valid SLUG: use lowercase letters, digits and hyphens"),
    ("  - id: x\n    title: T\n    publisher: P\n    date: 2024-01-01\n    url: javascript:alert(1)\n",
     "'url' must be an http:// or https:// address: 'javascript:alert(1)'"),
    ("  - id: x\n    title: T\n    publisher: P\n    date: 2024-01-01\n    archive_url: ftp://a.b/c\n",
     "'archive_url' must be an http:// or https:// address: 'ftp://a.b/c'"),
    ("  - id: x\n    title: T\n    date: 2024-01-01\n", "missing required field 'publisher' in source 1"),
    ("  - id: x\n    title: T\n    publisher: P\n    date: 2024-13\n", "impossible date '2024-13' in 'date'"),
    ("  - id: x\n    title: T\n    publisher: P\n    date: 2024-01-01\n    pages: 3\n",
     "unknown field 'pages' in source 1"),
])
def test_a_bad_source_is_an_error_at_its_line(site, entry, message):
    text = with_sources("Lihat [pernyataannya](/articles/putin-di-pyongyang/#blinken-amunisi).", "sources:\n" + entry)
    found = problems_of(site({CLAIM: text}))
    key = {"source id": "id:", "'url'": "url:", "'archive_url'": "archive_url:", "missing": "- id:",
           "impossible": "date:", "unknown": "pages:"}[next(k for k in ("source id", "'url'", "'archive_url'", "missing",
                                                                   "impossible", "unknown") if k in message)]
    assert found == [f"{CLAIM}:{line_of(text, key)}: {message}"]


@pytest.mark.parametrize("entries, needle, message", [
    ("  - title: T\n    id: Bad Id\n    publisher: P\n    date: 2024-01-01\n", "id: Bad Id",
     "source id 'Bad Id' is not a valid SLUG: use lowercase letters, digits and hyphens"),
    ("  - id: x\n    title: T\n    publisher: P\n    date: 2024-01-01\n"
     "  - title: U\n    publisher: P\n    id: x\n    date: 2024-01-02\n", "    id: x", "two sources have the id 'x'"),
    ("  - id: x\n    title: T\n    publisher: P\n    date: 2024-01-01\n    language: " + "e" * 50 + "\n", "language:",
     "'language' must be a BCP 47 tag such as 'id' or 'en-GB': '" + "e" * 40 + "'"),
])
def test_a_bad_source_is_an_error_at_its_fields_line_wherever_the_field_stands(site, entries, needle, message):
    """The line of the field itself, not of the item it stands in (an id written after the title, the second of
    two sources with one id); a long value cut in the message."""
    text = with_sources("Lihat [pernyataannya](/articles/putin-di-pyongyang/#blinken-amunisi).", "sources:\n" + entries)
    assert problems_of(site({CLAIM: text})) == [f"{CLAIM}:{line_of(text, needle)}: {message}"]


@pytest.mark.parametrize("bad", ["  - id: Bad Id\n    title: T\n    publisher: P\n    date: 2024-01-01\n",
                                 "  - id: x\n    title: T\n    publisher: P\n    date: 2024-01-01\n" * 2,
                                 "  - id: x\n    title: T\n    date: 2024-01-01\n"])
def test_a_bad_source_leaves_the_sources_after_it_read(site, bad):
    """Each mistake said once, and only it: the source after a bad one is still read (its citation is known)."""
    text = with_sources("Resolusi itu [@dk-pbb-1718].", "sources:\n" + bad + SOURCES.split("sources:\n")[1])
    found = problems_of(site({CLAIM: text}))
    assert len(found) == 1 and "dk-pbb-1718" not in found[0], found


def test_sources_that_are_not_a_list_are_an_error_at_their_line(site):
    text = with_sources("Lihat [pernyataannya](/articles/putin-di-pyongyang/#blinken-amunisi).",
                        "sources: dk-pbb-1718\n")
    assert problems_of(site({CLAIM: text})) == [
        f"{CLAIM}:{line_of(text, 'sources:')}: 'sources' must be a list of '- id: …' / 'title: …' / 'publisher: …' / "
        "'date: …' items"]


def test_open_data_carries_the_sources(site):
    root = site({CLAIM: with_sources("Resolusi melarangnya [@dk-pbb-1718].")})
    build_here(root)
    claim = next(c for c in json.loads((root / "_site/claims.json").read_text())["claims"]
                 if c["slug"] == "korea-utara-memasok-senjata")
    assert [(s["id"], s["number"], s["archive_url"] or None) for s in claim["sources"]] == [
        ("dk-pbb-1718", 1, "https://web.archive.org/web/2024/https://undocs.org/S/RES/1718(2006)"),
        ("panel-ahli", None, None), ("tak-dikutip", None, "https://archive.ph/abcd")]


def test_an_article_shows_its_archived_copy_beside_the_original(site):
    root = site({ARTICLE: BASE[ARTICLE].replace("published: 2024-06-19\n", "published: 2024-06-19\n"
                                                "url: https://www.tribunnews.com/x\n"
                                                "archive_url: https://web.archive.org/web/2024/tribunnews.com/x\n")})
    build_here(root)
    meta = page(root / "_site", "articles/putin-di-pyongyang/").select_one(".meta")
    assert [a["href"] for a in meta.select("a[rel=external]")] == [
        "https://www.tribunnews.com/x", "https://web.archive.org/web/2024/tribunnews.com/x"]
    review = json.loads(page(root / "_site", "claims/korea-utara-memasok-senjata/").select_one(
        'script[type="application/ld+json"]').string)
    assert review["itemReviewed"]["appearance"][1]["url"] == "https://www.tribunnews.com/x"
    assert review["itemReviewed"]["appearance"][1]["archivedAt"] == "https://web.archive.org/web/2024/tribunnews.com/x"
    bad = site({ARTICLE: BASE[ARTICLE].replace("published: 2024-06-19\n", "published: 2024-06-19\n"
                                               "archive_url: javascript:alert(1)\n")})
    assert problems_of(bad) == [f"{ARTICLE}:5: 'archive_url' must be an http:// or https:// address: "
                                "'javascript:alert(1)'"]


# -- posts ---------------------------------------------------------------------------

POST = "content/articles/unggahan-peluru.md"
POST_TEXT = """\
---
title: Unggahan soal sejuta peluru
kind: post
outlet: facebook
account: Kabar Viral 24
published: 2024-06-21
url: https://www.facebook.com/kabarviral24/posts/123
archive_url: https://archive.ph/xyz12
screenshot:
  src: media/unggahan.jpg
  alt: Tangkapan layar unggahan Kabar Viral 24
  blur: [[40, 300, 200, 40]]
annotations:
  - claim: korea-utara-memasok-senjata
    quote: Korea Utara kirim 1 juta peluru ke Rusia
---
Korea Utara kirim 1 juta peluru ke Rusia!! Sebarkan!!
"""
FACEBOOK = {"content/outlets/facebook.yaml": "name: Facebook\nkind: platform\nurl: https://www.facebook.com\n"}


def photo(path, size=(800, 400), exif=True, colour="white"):
    """A JPEG with a camera's EXIF and a GPS position in it, as a phone writes one."""
    from PIL import Image, ImageDraw
    img = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 300, 240, 340), fill=(200, 0, 0))  # a phone number, say: white strokes on red
    draw.rectangle((60, 316, 220, 323), fill="white")
    data = Image.Exif()
    if exif:
        data[0x010F] = "PhoneMaker"
        data[0x8825] = {1: "S", 2: (6.0, 10.0, 0.0)}
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, exif=data.tobytes())
    return path


def post_site(site, files=None, post=POST_TEXT):
    root = site({**FACEBOOK, POST: post, **(files or {})})
    photo(root / "content/media/unggahan.jpg")
    return root


def test_a_post_shows_as_a_card_with_its_account_platform_date_text_and_screenshot(site):
    root = post_site(site)
    build_here(root)
    doc = page(root / "_site", "articles/unggahan-peluru/")
    assert doc.select_one("h2#in-article").get_text() == "Klaim dalam unggahan ini", "a post is not 'this article'"
    card = doc.select_one(".post-card")
    head = card.select_one(".post-head").get_text(" ", strip=True)
    assert "Kabar Viral 24" in head and "Facebook" in head and "21 Juni 2024" in head
    mark = card.select_one('.body mark[data-claim="korea-utara-memasok-senjata"]')
    assert mark.get_text() == "Korea Utara kirim 1 juta peluru ke Rusia", "annotated like an article"
    shot = card.select_one("figure.post-shot img")
    assert shot["alt"] == "Tangkapan layar unggahan Kabar Viral 24"
    assert (shot["width"], shot["height"]) == ("800", "400")
    assert shot["srcset"] == "../../media/unggahan-480w.jpg 480w, ../../media/unggahan.jpg 800w"
    meta = doc.select_one(".meta")
    assert [a["href"] for a in meta.select("a[rel=external]")] == [
        "https://www.facebook.com/kabarviral24/posts/123", "https://archive.ph/xyz12"]
    claim = page(root / "_site", "claims/korea-utara-memasok-senjata/")
    assert "artikel" not in claim.select_one("h2#appearances").get_text(), "a post is listed too: not 'in articles'"
    listed = [li.get_text(" ", strip=True) for li in claim.select(".moment-passages > li")]
    assert any("Unggahan soal sejuta peluru" in text and "Kabar Viral 24" in text and "Facebook" in text
               for text in listed), listed
    listed = [li.get_text(" ", strip=True) for li in page(root / "_site", "articles/").select(".article-item")]
    assert any("Unggahan di Facebook, Kabar Viral 24" in text for text in listed), "the list says it is a post"
    review = json.loads(claim.select_one('script[type="application/ld+json"]').string)
    post = next(w for w in review["itemReviewed"]["appearance"] if w["@type"] == "SocialMediaPosting")
    assert post["url"] == "https://www.facebook.com/kabarviral24/posts/123"
    assert post["publisher"]["name"] == "Facebook" and post["archivedAt"] == "https://archive.ph/xyz12"


def test_open_data_carries_posts(site):
    root = post_site(site)
    build_here(root)
    claim = next(c for c in json.loads((root / "_site/claims.json").read_text())["claims"]
                 if c["slug"] == "korea-utara-memasok-senjata")
    post = next(a for a in claim["appearances"] if a["article"] == "unggahan-peluru")
    assert (post["kind"], post["account"], post["outlet"], post["original"], post["archive_url"]) == (
        "post", "Kabar Viral 24", "facebook", "https://www.facebook.com/kabarviral24/posts/123",
        "https://archive.ph/xyz12")
    rows = (root / "_site/claims.csv").read_text()
    assert "unggahan-peluru" in rows and ",post,Kabar Viral 24,https://archive.ph/xyz12" in rows


BLUR = "'blur' lists the boxes to blur, in pixels of the image: [[x, y, width, height], …]"


@pytest.mark.parametrize("change, key, message", [
    (("kind: post\n", "kind: post\n"), "outlet:", None),  # placeholder: a news outlet, below
    (("account: Kabar Viral 24\n", ""), "---", "missing required field 'account': the account that posted it, "
                                               "as the platform shows it"),
    (("src: media/unggahan.jpg", "src: media/tidak-ada.jpg"), "src:", "no such image: content/media/tidak-ada.jpg"),
    (("src: media/unggahan.jpg", "src: unggahan.jpg"), "src:",
     "no such image: content/unggahan.jpg (write media/FILE: the path is relative to content/)"),
    (("  alt: Tangkapan layar unggahan Kabar Viral 24\n", ""), "src:",
     "missing required field 'alt' in 'screenshot'"),
    (("kind: post", "kind: tweet"), "kind:", "unknown kind 'tweet': use 'post' for a social-media post or message, "
                                           "or leave it out for a news article"),
    (("kind: post", "kind: psot"), "kind:", "unknown kind 'psot': use 'post' for a social-media post or message, "
                                          "or leave it out for a news article (did you mean 'post'?)"),
    (("  src: media/unggahan.jpg\n  alt: Tangkapan layar unggahan Kabar Viral 24\n",
      "  alt: Tangkapan layar unggahan Kabar Viral 24\n  src: media/tidak-ada.jpg\n"), "src:",
     "no such image: content/media/tidak-ada.jpg"),  # at the line of src, wherever it stands
    (("blur: [[40, 300, 200, 40]]", "blur: [[40, 300, 200]]"), "blur:", BLUR),
    (("blur: [[40, 300, 200, 40]]", "blur: [[40, -1, 200, 40]]"), "blur:", BLUR),
    (("blur: [[40, 300, 200, 40]]", "blur: [[40, 300, 200.5, 40]]"), "blur:", BLUR),
    (("blur: [[40, 300, 200, 40]]", "blur: [40, 300, 200, 40]"), "blur:", BLUR),
    (("blur: [[40, 300, 200, 40]]", "blur: wajah"), "blur:", BLUR),
])
def test_a_bad_post_is_an_error_at_its_line(site, change, key, message):
    if message is None:  # a post on a news outlet
        root = post_site(site, post=POST_TEXT.replace("outlet: facebook", "outlet: antara"))
        assert problems_of(root) == [f"{POST}:4: a post's outlet must be a platform: 'antara' is a news outlet "
                                     "(add 'kind: platform' to content/outlets/antara.yaml if it is one)"]
        return
    text = POST_TEXT.replace(*change)
    root = post_site(site, post=text)
    line = 1 if key == "---" else line_of(text, key)
    if key == "---":
        line = 2  # a missing field: the front matter's first line
    assert problems_of(root) == [f"{POST}:{line}: {message}"]


def test_an_account_or_screenshot_on_a_news_article_is_an_error(site):
    article = "content/articles/sullivan-mendesak-kim.md"
    root = site({article: BASE[article].replace("outlet: antara\n", "outlet: antara\naccount: ANTARA\n")})
    assert problems_of(root) == [f"{article}:4: 'account' is for posts: add 'kind: post'"]
    root = site({article: BASE[article].replace("outlet: antara\n", "outlet: antara\nscreenshot:\n  src: "
                                                "media/unggahan.jpg\n  alt: Tangkapan layar\n")})
    assert problems_of(root) == [f"{article}:4: 'screenshot' is for posts: add 'kind: post'"]
    outlet = "content/outlets/antara.yaml"
    assert problems_of(site({outlet: BASE[outlet] + "kind: platfrom\n"})) == [
        f"{outlet}:4: unknown kind 'platfrom': an outlet is 'news' (the default) or 'platform' (Facebook, X, "
        "WhatsApp…, where posts appear) (did you mean 'platform'?)"]


# -- media -----------------------------------------------------------------------------

def test_published_images_carry_no_exif_or_gps_and_come_in_sizes(site):
    from PIL import Image
    root = post_site(site)
    build_here(root)
    for name, width in (("unggahan.jpg", 800), ("unggahan-480w.jpg", 480)):
        img = Image.open(root / "_site/media" / name)
        assert img.width == width and not dict(img.getexif()) and "exif" not in img.info, name
    assert dict(Image.open(root / "content/media/unggahan.jpg").getexif()), "the original is left as it is"


def test_the_regions_given_are_blurred_and_nothing_else(site):
    from PIL import Image
    root = post_site(site, files={"site.toml": BASE["site.toml"] + "\n[media]\nblur = 20\n"})
    photo(root / "content/media/lain.jpg")
    root.joinpath(CLAIM).write_text(BASE[CLAIM] + "\n![Foto lain](media/lain.jpg)\n")
    build_here(root)
    # in every size it is published in (the region is given in the original's pixels)
    for suffix, scale in (("", 1), ("-480w", 480 / 800)):
        blurred = Image.open(root / f"_site/media/unggahan{suffix}.jpg").convert("RGB")
        plain = Image.open(root / f"_site/media/lain{suffix}.jpg").convert("RGB")
        stroke = (round(100 * scale), round(319 * scale))  # a white stroke inside the red box: blurred into the red
        assert plain.getpixel(stroke)[1] > 230 and blurred.getpixel(stroke)[1] < 200, suffix
        outside = (round(600 * scale), round(100 * scale))
        assert blurred.getpixel(outside) == plain.getpixel(outside), "outside the region, the same pixels"


def test_an_image_in_any_body_needs_alt_text_and_a_file(site):
    body = "Lihat [ini](/articles/putin-di-pyongyang/#blinken-amunisi).\n\n![](media/unggahan.jpg)\n\n" \
           "![Peta](media/peta.png)\n\n<img src=\"foto.png\" alt=\"Foto\">\n\n<img src=\"/media/lain.png\">\n"
    root = post_site(site, files={CLAIM: with_sources(body)})
    text = root.joinpath(CLAIM).read_text()
    assert problems_of(root) == sorted([
        f"{CLAIM}:{line_of(text, '![](media/unggahan.jpg)')}: an image needs alt text, saying what it shows: "
        "![what it shows](…)",
        f"{CLAIM}:{line_of(text, 'media/peta.png')}: no such image: content/media/peta.png",
        f"{CLAIM}:{line_of(text, 'foto.png')}: image 'foto.png' points nowhere: put it under content/media/ and "
        "write media/FILE",
        f"{CLAIM}:{line_of(text, 'lain.png')}: an image needs alt text, saying what it shows",
        f"{CLAIM}:{line_of(text, 'lain.png')}: no such image: content/media/lain.png"])


@pytest.mark.parametrize("tag, message", [
    ('<img alt="Foto">', "image '' points nowhere: put it under content/media/ and write media/FILE"),
    ('<img src="media/unggahan.jpg" alt="Foto">',
     "write the image as ![alt](media/unggahan.jpg), so it is served in sizes for the screen"),
])
def test_a_raw_image_without_a_source_or_of_content_media_is_an_error_at_its_line(site, tag, message):
    body = f"Lihat [ini](/articles/putin-di-pyongyang/#blinken-amunisi).\n\nTeks.\n\n{tag}\n"
    root = post_site(site, files={CLAIM: with_sources(body)})
    text = root.joinpath(CLAIM).read_text()
    assert problems_of(root) == [f"{CLAIM}:{line_of(text, '<img')}: {message}"]


def test_an_image_written_from_the_site_root_and_one_too_small_for_sizes(site):
    """`/media/FILE` is the same file; an image narrower than the smallest width is served once, with no srcset."""
    root = post_site(site, files={CLAIM: BASE[CLAIM] + "\n![Peta pengiriman](/media/peta.png)\n\n![Ikon bendera](media/ikon.png)\n",
                                  "site.toml": BASE["site.toml"] + "\n[media]\nwidths = [320, 640]\n"})
    photo(root / "content/media/peta.png", size=(1000, 500))
    photo(root / "content/media/ikon.png", size=(200, 100))
    build_here(root)
    big, small = page(root / "_site", "claims/korea-utara-memasok-senjata/").select(".analysis img")
    assert big["src"] == "../../media/peta-640w.png" and big["srcset"].endswith("peta-640w.png 640w")
    assert small["src"] == "../../media/ikon.png" and (small["width"], small["height"]) == ("200", "100")
    assert not small.has_attr("srcset") and not small.has_attr("sizes")


def test_an_image_shows_in_sizes_with_its_width_and_height(site):
    root = post_site(site, files={CLAIM: BASE[CLAIM] + "\n![Peta pengiriman](media/peta.png)\n",
                                  "site.toml": BASE["site.toml"] + "\n[media]\nwidths = [320, 640, 800]\n"})
    photo(root / "content/media/peta.png", size=(1000, 500))
    build_here(root)
    img = page(root / "_site", "claims/korea-utara-memasok-senjata/").select_one(".analysis img")
    assert img["src"] == "../../media/peta-800w.png" and (img["width"], img["height"]) == ("800", "400")
    assert img["srcset"] == ("../../media/peta-320w.png 320w, ../../media/peta-640w.png 640w, "
                             "../../media/peta-800w.png 800w")
    assert img["sizes"] == "(max-width: 46rem) 100vw, 44rem"  # the text's column, or the screen
    assert (img["loading"], img["decoding"]) == ("lazy", "async")  # fetched as the reader comes to it
    assert img["alt"] == "Peta pengiriman"
    assert sorted(p.name for p in (root / "_site/media").glob("peta*")) == ["peta-320w.png", "peta-640w.png",
                                                                            "peta-800w.png"]


def test_a_link_out_of_content_media_is_refused(site, tmp_path):
    root = post_site(site)
    secret = photo(tmp_path / "rahasia.jpg")
    (root / "content/media/tautan.jpg").symlink_to(secret)
    assert problems_of(root) == ["content/media/tautan.jpg: a symbolic link: an image must be a file inside "
                                 "content/media, never a link to a file elsewhere"]


def test_the_pages_with_sources_posts_and_images_stay_well_formed(site):
    """One h1 and headings one level at a time, ids unique, every aria reference and in-page link landing, every
    image with alt text and its size: what a screen reader and a validator need of the new parts."""
    import re
    root = post_site(site, files={CLAIM: with_sources("Resolusi melarangnya [@dk-pbb-1718] [@panel-ahli].\n\n"
                                                      "![Peta pengiriman](media/unggahan.jpg)")})
    build_here(root)
    for path in ("claims/korea-utara-memasok-senjata/", "articles/unggahan-peluru/"):
        doc = page(root / "_site", path)
        levels = [int(h.name[1]) for h in doc.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[:1] == [1] and levels.count(1) == 1, (path, levels)
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (path, levels)
        ids = [el["id"] for el in doc.find_all(id=True)]
        assert len(ids) == len(set(ids)), (path, sorted(i for i in ids if ids.count(i) > 1))
        for el in doc.find_all(attrs={"aria-labelledby": True}):
            assert all(doc.find(id=i) for i in el["aria-labelledby"].split()), (path, el.name)
        for a in doc.find_all("a", href=re.compile("^#.")):
            assert doc.find(id=a["href"][1:]), (path, a["href"])
        for img in doc.find_all("img"):
            assert img.get("alt") and img.get("width") and img.get("height"), (path, str(img))


def test_a_citation_may_give_a_locator_and_regions_must_name_an_image(site):
    root = site({CLAIM: with_sources("Resolusi itu [@dk-pbb-1718, paragraf 8] dan [@panel-ahli; @dk-pbb-1718, "
                                     "paragraf 9].")})
    build_here(root)
    cites = page(root / "_site", "claims/korea-utara-memasok-senjata/").select(".analysis sup.cite")
    assert [c.get_text() for c in cites] == ["[1, paragraf 8]", "[2; 1, paragraf 9]"]
    bad = site({"site.toml": BASE["site.toml"] + '\n[media.regions]\n"media/tak-ada.png" = [[0, 0, 10, 10]]\n'})
    line = BASE["site.toml"].count("\n") + 2
    assert problems_of(bad) == [f"site.toml:{line}: [media.regions] blurs 'media/tak-ada.png', which is not an image "
                                "under content/media/"]


def test_a_forwarded_message_without_an_address_is_described_never_given_this_sites_copy(site):
    text = POST_TEXT.replace("url: https://www.facebook.com/kabarviral24/posts/123\n", "")
    root = post_site(site, post=text)
    build_here(root)
    doc = page(root / "_site", "articles/unggahan-peluru/")
    assert "Alamat unggahan tidak diketahui" in doc.select_one(".meta").get_text()
    review = json.loads(page(root / "_site", "claims/korea-utara-memasok-senjata/").select_one(
        'script[type="application/ld+json"]').string)
    works = review["itemReviewed"]["appearance"]
    assert not any("newsroom.github.io" in w.get("url", "") for w in works)
    post = next(w for w in works if w["@type"] == "SocialMediaPosting")
    assert "url" not in post and post["headline"] == "Unggahan soal sejuta peluru" and \
        post["datePublished"] == "2024-06-21" and post["publisher"]["name"] == "Facebook"


def test_a_media_folder_that_is_a_link_elsewhere_is_refused(site, tmp_path):
    root = site()
    elsewhere = tmp_path / "elsewhere"
    photo(elsewhere / "foto.jpg")
    (root / "content/media").symlink_to(elsewhere, target_is_directory=True)
    assert problems_of(root) == ["content/media: a symbolic link: images must be files inside the "
                                 "site's content/media folder"]


def test_a_sources_language_must_be_a_language_tag(site):
    text = with_sources("Resolusi itu [@dk-pbb-1718].", SOURCES.replace("language: en\n", "language: <b>en</b>\n"))
    line = text.splitlines().index("    language: <b>en</b>") + 1
    assert problems_of(site({CLAIM: text})) == [f"{CLAIM}:{line}: 'language' must be a BCP 47 tag such as 'id' or "
                                                "'en-GB': '<b>en</b>'"]


def test_a_post_is_called_a_post_and_a_platform_a_platform_wherever_they_are_named(site):
    """Found on the held-out site: a claim page said "see the passage in the article" of a Facebook post, the post
    was "published", and Facebook's page listed "articles from this outlet"."""
    claim = "  - claim: korea-utara-memasok-senjata\n"
    root = post_site(site, post=POST_TEXT.replace(claim, claim + "    asserts: [korea-utara]\n"))
    build_here(root)
    claim = page(root / "_site", "claims/korea-utara-memasok-senjata/")
    links = [a.get_text(" ", strip=True) for a in claim.select(".quote-meta a")]
    assert "Lihat kutipan dalam unggahan “Unggahan soal sejuta peluru”" in links, links
    assert any(text.startswith("Lihat kutipan dalam artikel") for text in links), "an article stays an article"
    post = page(root / "_site", "articles/unggahan-peluru/")
    assert post.select_one("header .meta").get_text(" ", strip=True).startswith("Diunggah 21 Juni 2024")
    assert page(root / "_site", "articles/sullivan-mendesak-kim/").select_one(
        "header .meta").get_text(" ", strip=True).startswith("Terbit")
    platform = page(root / "_site", "outlets/facebook/")
    assert (platform.select_one(".kicker").get_text(), platform.select_one("h2#list").get_text()) == (
        "Platform", "Unggahan di platform ini")
    listed = {li.a.get_text(): li.select_one(".meta").get_text() for li in
              page(root / "_site", "outlets/").select(".outlet-list li")}
    assert listed["Facebook"] == "1 unggahan" and listed["ANTARA"].endswith("artikel"), listed
    assert post.select_one("main")["data-pagefind-meta"] == "kind:Unggahan", "search says what it found"
    assert page(root / "_site", "articles/sullivan-mendesak-kim/").select_one("main")["data-pagefind-meta"] == \
        "kind:Artikel"


def test_a_missing_image_suggests_the_file_meant(site):
    body = "\n![Foto unggahan](media/ungahan.jpg)\n\n![Peta](media/hilang.png)\n"
    root = post_site(site, files={CLAIM: BASE[CLAIM] + body},
                     post=POST_TEXT.replace("src: media/unggahan.jpg", "src: media/unggahan.jpeg"))
    photo(root / "content/media/x-chip.png")
    text = root.joinpath(CLAIM).read_text()
    assert problems_of(root) == [
        f"{POST}:{line_of(POST_TEXT, 'src:')}: no such image: content/media/unggahan.jpeg "
        "(did you mean 'media/unggahan.jpg'?)",
        f"{CLAIM}:{line_of(text, 'ungahan')}: no such image: content/media/ungahan.jpg "
        "(did you mean 'media/unggahan.jpg'?)",
        f"{CLAIM}:{line_of(text, 'hilang')}: no such image: content/media/hilang.png"]  # x-chip.png: alike in '.png'


def noise(path, size):
    """An image no encoder can make small: random pixels (a photo at its worst)."""
    import random

    from PIL import Image
    rng = random.Random(7)
    img = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)


def test_an_image_or_a_page_over_the_weight_budget_is_a_warning_of_check(site):
    from conftest import run_cli
    body = "Lihat [ini](/articles/putin-di-pyongyang/#blinken-amunisi).\n\n![Foto berat](media/berat.png)\n\n" \
           "![Foto ringan](media/ringan.png)\n"
    root = site({CLAIM: BASE[CLAIM] + body})
    noise(root / "content/media/berat.png", (600, 300))  # narrower than a phone's 780 px: loaded whole, 540 kB
    photo(root / "content/media/ringan.png", size=(1000, 500))  # flat colours: a few kB
    result = run_cli("check", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if "budget" in line]
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith("_site/claims/korea-utara-memasok-senjata/index.html:") and \
        "warning: the images of this page weigh" in warnings[0] and "over the budget of 500 kB" in warnings[0]
    assert warnings[1].startswith("content/media/berat.png: warning: the copy a phone loads (berat.png) weighs ")
    assert warnings[1].endswith("over the budget of 200 kB ([media] budget_kb): save a screenshot as JPEG, or crop "
                                "it to what matters")
    assert not any("ringan" in w for w in warnings)
    roomy = site({"site.toml": BASE["site.toml"] + "\n[media]\nbudget_kb = 5000\npage_budget_kb = 5000\n"})
    noise(roomy / "content/media/berat.png", (600, 300))
    roomy.joinpath(CLAIM).write_text(BASE[CLAIM] + body.replace("\n\n![Foto ringan](media/ringan.png)", ""))
    quiet = run_cli("check", cwd=roomy)
    assert "budget" not in quiet.stdout + quiet.stderr and "no problems found" in quiet.stdout


@pytest.mark.parametrize("size", [(1200, 676), (1080, 2400)])  # a landscape screenshot, a phone's full screen
def test_a_screenshot_takes_its_place_before_it_loads_and_is_never_taller_than_the_screen(site, size):
    """Found by Lighthouse on the held-out site (layout shift 0.039): the screenshot had no width until it loaded,
    so the caption and the footer jumped down as it came."""
    from browser import chromium
    root = post_site(site)
    photo(root / "content/media/unggahan.jpg", size=size)
    build_here(root)
    url = (root / "_site/articles/unggahan-peluru/index.html").as_uri()
    boxes = []
    with chromium() as browser:
        for blocked in (True, False):
            tab = browser.new_page(viewport={"width": 1280, "height": 800})
            if blocked:
                tab.route("**/media/**", lambda route: route.abort())
            tab.goto(url)
            tab.wait_for_load_state("networkidle")
            boxes.append(tab.evaluate("""() => { const r = document.querySelector('.post-shot img')
                .getBoundingClientRect(); return [r.width, r.height,
                parseFloat(getComputedStyle(document.documentElement).fontSize)]; }"""))
            tab.close()
    (width, height, rem), loaded = boxes[0], boxes[1]
    # within a pixel: each copy's height is rounded to whole pixels, so its proportions differ by a hair
    assert abs(width - loaded[0]) < 1 and abs(height - loaded[1]) <= 1, f"not loaded {boxes[0]}, loaded {loaded}"
    assert 100 < loaded[1] <= 36 * rem + 2 and loaded[0] <= 36 * rem, boxes


def test_a_citation_in_the_summary_or_title_is_an_error_at_its_line(site):
    """Found on the held-out site: `[@id]` in a claim's summary showed as written, in the lead, link previews and
    ClaimReview; only the analysis numbers citations."""
    text = with_sources("Resolusi itu [@dk-pbb-1718].").replace(
        "summary: Dituduh AS,", "summary: Resolusi melarangnya [@dk-pbb-1718; @panel-ahli]. Dituduh AS,", 1)
    assert problems_of(site({CLAIM: text})) == [
        f"{CLAIM}:{line_of(text, 'summary:')}: 'summary' is plain text, shown as written in link previews, search "
        "and the feed: cite [@dk-pbb-1718; @panel-ahli] in the analysis below the front matter"]


def test_a_blur_box_that_blurs_nothing_is_an_error(site):
    """A box measured on a smaller copy of the screenshot, or mistyped, would leave the phone number readable while
    the writer believes it hidden."""
    text = POST_TEXT.replace("blur: [[40, 300, 200, 40]]", "blur: [[40, 300, 200, 40], [900, 10, 50, 50]]")
    root = post_site(site, post=text)
    assert problems_of(root) == [f"{POST}:{line_of(text, 'blur:')}: the box [900, 10, 50, 50] blurs nothing: the image "
                                 "is 800 × 400 pixels (x and y from its top left corner, width and height above 0)"]
    regions = site({"site.toml": BASE["site.toml"] + '\n[media.regions]\n"media/unggahan.jpg" = [[10, 400, 5, 5]]\n',
                    POST: POST_TEXT})  # the same folder: the post as it was
    photo(regions / "content/media/unggahan.jpg")
    line = BASE["site.toml"].count("\n") + 2
    assert problems_of(regions) == [f"site.toml:{line}: [media.regions] 'media/unggahan.jpg': the box [10, 400, 5, 5] "
                                    "blurs nothing: the image is 800 × 400 pixels (x and y from its top left corner, "
                                    "width and height above 0)"]


def test_a_blur_box_blurs_nothing_from_the_images_width_or_height_on(site):
    """The image is 800 × 400: a box from x 800 or y 400 on is outside it; one from 799, 399 blurs a corner, and one
    from 0, 0 the other."""
    for box, fine in (("[800, 0, 10, 10]", False), ("[0, 400, 10, 10]", False), ("[799, 399, 10, 10]", True),
                      ("[0, 0, 200, 40]", True)):
        text = POST_TEXT.replace("blur: [[40, 300, 200, 40]]", f"blur: [{box}]")
        assert (problems_of(post_site(site, post=text)) == []) == fine, box


def test_a_screenshot_may_be_written_from_the_site_root(site):
    assert problems_of(post_site(site, post=POST_TEXT.replace("src: media/", "src: /media/"))) == []


def test_the_data_page_says_why_an_account_in_claims_csv_starts_with_a_quote(site):
    """Found on the held-out site: an X or TikTok account (@name) is written '@name in claims.csv, the guard against
    spreadsheet formulas; the data page now says so, so no one takes the quote for part of the name."""
    root = post_site(site, post=POST_TEXT.replace("account: Kabar Viral 24", 'account: "@kabarviral24"'))
    build_here(root)
    assert ",post,'@kabarviral24," in (root / "_site/claims.csv").read_text()
    about = page(root / "_site", "data/").select_one("section.data-file:has(h2#data_csv)").get_text(" ", strip=True)
    assert "diawali =, +, - atau @ (misalnya akun @nama) diberi tanda petik tunggal (') di depannya" in about


def test_alt_text_that_says_nothing_is_an_error(site):
    """`![foto](…)` or the file's name passes a validator and tells a screen-reader user nothing."""
    body = "\n![Foto](media/foto.png)\n\n![peta.png](media/peta.png)\n\n![IMG_2041](media/IMG_2041.png)\n\n" \
           "![Peta jalur kapal tanker](media/peta.png)\n\n![tangkapan-layar](media/layar.png)\n"
    post = POST_TEXT.replace("alt: Tangkapan layar unggahan Kabar Viral 24", "alt: tangkapan_layar")
    root = post_site(site, files={CLAIM: BASE[CLAIM] + body}, post=post)
    photo(root / "content/media/peta.png")
    photo(root / "content/media/foto.png")
    photo(root / "content/media/IMG_2041.png")
    photo(root / "content/media/layar.png")
    text = root.joinpath(CLAIM).read_text()
    hint = "says nothing to a reader who cannot see the image: say what it shows (who posted what, what the " \
           "chart or the photo shows)"
    assert problems_of(root) == [f"{POST}:{line_of(post, 'alt:')}: alt text 'tangkapan_layar' {hint}",
                                 f"{CLAIM}:{line_of(text, '![Foto]')}: alt text 'Foto' {hint}",
                                 f"{CLAIM}:{line_of(text, '![peta.png]')}: alt text 'peta.png' {hint}",
                                 f"{CLAIM}:{line_of(text, '![IMG_2041]')}: alt text 'IMG_2041' {hint}",
                                 f"{CLAIM}:{line_of(text, '![tangkapan-layar]')}: alt text 'tangkapan-layar' {hint}"]
