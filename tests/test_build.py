"""content/ → the built site: pages of SPEC §3, annotations, links, sanitizing, reproducibility."""
from __future__ import annotations

import hashlib
import json

from conftest import ARTICLE, BASE, SITE_TOML, build_ok, contract, page, run_cli


def test_the_base_site_meets_the_contract(site):
    root = site()
    contract(root, build_ok(root))


def test_claim_page_shows_both_sides_with_quote_outlet_date_and_passage_link(site):
    out = build_ok(site())
    claim = page(out, "claims/korea-utara-memasok-senjata/")
    asserts = claim.find(attrs={"data-stance": "asserts"})
    denies = claim.find(attrs={"data-stance": "denies"})
    assert asserts.find("a", href="../../actors/antony-blinken/")
    assert asserts.find("a", href="../../actors/jake-sullivan/")
    assert "Korea Utara memasok sejumlah besar amunisi" in asserts.get_text()
    assert "Tribunnews" in asserts.get_text() and "19 Juni 2024" in asserts.get_text()
    assert "September 2023" in asserts.get_text(), "month precision is written as a month"
    assert asserts.find("a", href="../../articles/putin-di-pyongyang/#blinken-amunisi")
    assert denies.find("a", href="../../actors/rusia/") and denies.find("a", href="../../actors/korea-utara/")


def test_affiliation_gathers_members_on_claim_and_actor_pages(site):
    out = build_ok(site())
    sides = page(out, "claims/korea-utara-memasok-senjata/").find("table", class_="by-side")
    us_row = sides.find("a", href="../../actors/amerika-serikat/").find_parent("tr")
    assert "Antony Blinken" in us_row.get_text() and "Jake Sullivan" in us_row.get_text()
    us = page(out, "actors/amerika-serikat/")
    assert us.find("a", href="../../claims/korea-utara-memasok-senjata/")
    member = us.find("ul", class_="member-stances").find("a", href="../../actors/antony-blinken/").find_parent("li")
    assert member["data-stance"] == "asserts", "members' stances show on the group"
    assert member.find("a", href="../../articles/putin-di-pyongyang/#blinken-amunisi")


def test_quotes_cross_emphasis_links_line_breaks_and_curly_quotes(site):
    text = """\
---
title: Ujian kutipan
outlet: antara
published: 2024-01-05
annotations:
  - claim: korea-utara-memasok-senjata
    quote: 'Kata "dia": memasok senjata - dan amunisi... ke Rusia'
    asserts: [antony-blinken]
  - claim: sanksi-dilanggar
    quote: dan amunisi... ke Rusia, kata sumber
    denies: [rusia]
  - claim: sanksi-dilanggar
    quote: melanggar sanksi
    asserts: [jake-sullivan]
    denies: [korea-utara]
---
Kata “dia”: *memasok senjata* — dan [amunisi…](https://example.org)
ke Rusia, kata sumber **yang melanggar sanksi** lama.
"""
    root = site({"content/articles/ujian.md": text})
    out = build_ok(root)
    contract(root, out)
    art = page(out, "articles/ujian/")
    both = art.find("mark", attrs={"data-stance": "both"})
    assert both.get_text() == "melanggar sanksi" and both.find_parent("strong")
    nested = [m for m in art.find_all("mark") if m.find_parent("mark")]
    assert nested, "the overlapping passages nest"


def test_non_latin_names_and_another_language(site):
    files = {
        "site.toml": SITE_TOML.replace('language = "id"', 'language = "en"'),
        "content/actors/kim-yo-jong.yaml": "name: 김여정\nkind: person\naliases: [Kim Yo Jong]\n",
        "content/actors/peskov.yaml": "name: Дмитрий Песков\nkind: person\n",
        "content/articles/ru-ko.md": """\
---
title: Ответ Кремля
outlet: antara
published: 2023-09-12
language: ru
annotations:
  - claim: korea-utara-memasok-senjata
    quote: «Мы отвергаем эти обвинения»
    denies: [peskov]
  - claim: korea-utara-memasok-senjata
    quote: 무기를 공급하지 않았다
    denies: [kim-yo-jong]
---
Песков сказал: «Мы отвергаем эти обвинения».

김여정은 "무기를 공급하지 않았다"고 말했다.
""",
    }
    root = site(files)
    out = build_ok(root)
    contract(root, out)
    assert page(out, "").html["lang"] == "en"
    assert page(out, "articles/ru-ko/").find(attrs={"lang": "ru"})
    assert "June 19, 2024" in page(out, "articles/putin-di-pyongyang/").get_text(), "English UI, English dates (CLDR)"
    assert page(out, "actors/kim-yo-jong/").h1.get_text() == "김여정"


def test_anchor_ids_do_not_move_when_other_annotations_change(site):
    root = site()
    out = build_ok(root)
    before = {m["id"] for m in page(out, "articles/putin-di-pyongyang/").find_all("mark", id=True)}
    changed = BASE[ARTICLE].replace("""annotations:
""", """annotations:
  - claim: sanksi-dilanggar
    quote: Presiden Rusia Vladimir Putin
""").replace("""  - claim: sanksi-dilanggar
    quote: transfer senjata Korea Utara akan melanggar beberapa sanksi
""", "")
    (root / ARTICLE).write_text(changed, "utf-8")
    out = build_ok(root)
    after = {m["id"] for m in page(out, "articles/putin-di-pyongyang/").find_all("mark", id=True)}
    assert len(before & after) == 2, (before, after)


def test_raw_html_is_neutralized_by_default_and_trusted_on_request(site):
    evil = BASE[ARTICLE] + ('\n<script>alert(1)</script>\n\n<img src="https://example.org/x.png" alt="x" onerror="alert(2)">\n\n'
                            '[klik](javascript:alert(3)) <a href="javascript:alert(4)">a</a> <b onclick="x()">b</b>\n')
    root = site({ARTICLE: evil})
    html = (build_ok(root) / "articles/putin-di-pyongyang/index.html").read_text("utf-8")
    assert "<script>alert" not in html and "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    root = site({ARTICLE: evil, "site.toml": "trusted_html = true\n" + SITE_TOML})
    html = (build_ok(root) / "articles/putin-di-pyongyang/index.html").read_text("utf-8")
    assert "<script>alert(1)</script>" in html


def test_same_files_give_byte_identical_output(site):
    root = site()

    def digest() -> dict[str, str]:
        out = build_ok(root)
        return {f.relative_to(out).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
                for f in sorted(out.rglob("*")) if f.is_file()}

    assert digest() == digest()


def test_base_url_override_and_404_with_absolute_links(site):
    root = site()
    out = build_ok(root, "--base-url", "https://factcheck.example.org/")
    data = json.loads((out / "claims.json").read_text("utf-8"))
    assert data["claims"][0]["url"].startswith("https://factcheck.example.org/claims/")
    out = build_ok(root)
    notfound = page(out, "404.html")
    hrefs = [a["href"] for a in notfound.find_all("a")] + [l["href"] for l in notfound.find_all("link")]
    assert all(h.startswith(("/cek/", "https://", "#")) for h in hrefs), hrefs
    assert notfound.find("link", rel="stylesheet")["href"] == "/cek/css/site.css"


def test_aliases_redirect_and_custom_domain_writes_cname(site):
    root = site({"content/claims/sanksi-dilanggar.md": "---\ntitle: X\naliases: [sanksi-lama]\n---\n",
                 "site.toml": 'custom_domain = "cekfakta.example.id"\n' + SITE_TOML})
    out = build_ok(root)
    redirect = page(out, "claims/sanksi-lama/")
    assert "../../claims/sanksi-dilanggar/" in redirect.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert (out / "CNAME").read_text() == "cekfakta.example.id\n"
    contract(root, out)


def test_claim_review_only_on_rated_claims(site):
    out = build_ok(site())
    rated = page(out, "claims/korea-utara-memasok-senjata/").find("script", type="application/ld+json")
    review = json.loads(rated.string)
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == "Korea Utara memasok senjata ke Rusia"
    assert review["url"] == "https://newsroom.github.io/cek/claims/korea-utara-memasok-senjata/"
    assert review["datePublished"] == "2024-06-20"
    assert review["reviewRating"]["ratingValue"] == 2
    assert review["reviewRating"]["alternateName"] == "Belum terbukti"
    assert review["reviewRating"]["bestRating"] == 3 and review["reviewRating"]["worstRating"] == 1
    assert review["author"]["name"] == "Cek Klaim Uji"
    assert review["itemReviewed"]["author"]["name"] == "Jake Sullivan", "the first to assert it"
    assert [a["headline"] for a in review["itemReviewed"]["appearance"]] == [
        "Sullivan mendesak Kim", "Putin dan Kim bertemu di Pyongyang"], "one appearance per article"
    assert not page(out, "claims/sanksi-dilanggar/").find("script", type="application/ld+json")


def test_parallel_build_matches_a_single_process_build(site, tmp_path, monkeypatch):
    """Large enough that both process pools really run (loading articles, rendering pages), and the same bytes."""
    from concurrent.futures import ProcessPoolExecutor

    from conftest import build_here
    from generator import load, render
    claims = {f"content/claims/klaim-{i:02d}.md": f"---\ntitle: Klaim nomor {i}\n---\n" for i in range(50)}
    files = {f"content/articles/a{i:03d}.md": BASE[ARTICLE] for i in range(60)}
    root = site({**files, **claims})
    assert len(files) + 2 >= load.PARALLEL_FROM and len(claims) >= load.PARALLEL_FROM
    assert render.IMAGE_COST * (len(claims) + 2) >= render.PARALLEL_FROM, "enough share images to render in a pool"
    from generator import build as build_module
    from generator.model import Site
    pools = []
    start, start_map = ProcessPoolExecutor.__init__, ProcessPoolExecutor.map
    monkeypatch.setattr(ProcessPoolExecutor, "__init__", lambda self, *a, **k: (pools.append(a or k), start(self, *a, **k))[1])
    build_here(root, tmp_path / "one", jobs=1)
    assert pools == [], "one job: no pool"
    shares, whole, plan = [], set(), render.plan_pages
    monkeypatch.setattr(ProcessPoolExecutor, "map", lambda self, fn, *its, **k: (
        shares.append([s[0] for s in its[0]]) if fn is render._render_share else None) or start_map(self, fn, *its, **k))

    def planned(*a, **k):
        pages = plan(*a, **k)
        whole.update(n % (2 * render.SHARES) for n, p in enumerate(pages) if isinstance(p.context.get("site"), Site))
        return pages
    monkeypatch.setattr(build_module, "plan_pages", planned)
    build_here(root, tmp_path / "two", jobs=2)
    assert len(pools) >= 3, "two jobs: a pool to load the claims, one to load the articles, one to render the pages"
    first = shares[0][:len(whole)]  # the shares holding a page that shows the whole site (the home page, the open
    assert len(whole) >= 3 and set(first) == whole, (first, whole)  # data): begun first, none left to the end
    one, two = tmp_path / "one", tmp_path / "two"
    names = sorted(f.relative_to(one).as_posix() for f in one.rglob("*") if f.is_file())
    assert len(names) > 150
    assert names == sorted(f.relative_to(two).as_posix() for f in two.rglob("*") if f.is_file())
    assert [n for n in names if (one / n).read_bytes() != (two / n).read_bytes()] == []


def test_check_passes_on_a_good_site(site):
    result = run_cli("check", "--site", str(site()))
    assert result.returncode == 0, result.stderr


def test_a_build_leaves_the_garbage_collector_as_it_found_it(site, tmp_path):
    """A build pauses Python's cycle collector while it loads and links, and sets the site aside from its passes
    while it renders; after it, whether it built or failed, the process (a preview, a test run) collects as before
    and nothing stays set aside, so a site it no longer holds can be freed."""
    import gc

    from conftest import build_here
    from generator.errors import SiteError
    root = site()
    build_here(root, tmp_path / "one")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    (root / ARTICLE).write_text(BASE[ARTICLE].replace("outlet: ", "outlet: nowhere-"), encoding="utf-8")
    gc.disable()
    try:
        try:
            build_here(root, tmp_path / "two")
        except SiteError:
            pass
        else:
            raise AssertionError("an unknown outlet fails the build")
        assert not gc.isenabled(), "a collector the caller paused stays paused"
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_worker_processes_collect_their_garbage_though_the_build_paused_the_collector():
    """The loading processes fork while the build has the collector paused; Python-Markdown leaves cycles behind,
    so a worker that kept it paused grew by hundreds of megabytes at 10 000 articles."""
    import gc

    from generator.pool import pool
    gc.disable()
    try:
        with pool(1) as workers:
            assert workers.submit(gc.isenabled).result()
        with pool(1, fork=True) as workers:
            assert workers.submit(gc.isenabled).result()
    finally:
        gc.enable()
