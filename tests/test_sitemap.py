"""sitemap.xml lists every page a reader or search engine should find, and nothing else; the next build warns when a
page it listed would disappear (claims, articles and actors alike)."""
from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree

from conftest import BASE, run_cli

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE_URL = "https://newsroom.github.io/cek/"


@pytest.fixture(scope="module")
def out(aliased):
    return aliased


def listed(out) -> list[str]:
    return [loc.text for loc in ET.parse(out / "sitemap.xml").getroot().findall("s:url/s:loc", NS)]


def test_every_page_of_every_kind_is_in_the_sitemap(out):
    urls = listed(out)
    assert len(urls) == len(set(urls)), "each once"
    expected = {"", "articles/", "claims/", "actors/", "outlets/",
                "articles/putin-di-pyongyang/", "articles/sullivan-mendesak-kim/",
                "claims/korea-utara-memasok-senjata/", "claims/sanksi-dilanggar/",
                "actors/amerika-serikat/", "actors/antony-blinken/", "actors/jake-sullivan/", "actors/korea-utara/",
                "actors/rusia/", "outlets/antara/", "outlets/tribunnews/"}
    assert {BASE_URL + p for p in expected} <= set(urls)
    pages = {BASE_URL + f.relative_to(out).parent.as_posix().removeprefix(".") + "/"
             for f in out.rglob("index.html")}
    pages = {p.replace(BASE_URL + "/", BASE_URL) for p in pages}
    unlisted = {p for p in pages - set(urls)}
    assert all(p.endswith("/embed/") or p == BASE_URL + "claims/sanksi-lama/" or "/pagefind" in p for p in unlisted), \
        sorted(unlisted)
    assert BASE_URL + "claims/sanksi-lama/" not in urls, "a redirect is not a page to index"
    assert not any(u.endswith("/embed/") for u in urls), "embed cards are not pages to index"
    assert all(u.startswith(BASE_URL) for u in urls)


def test_robots_txt_points_at_the_sitemap(out):
    assert re.search(r"(?mi)^Sitemap: " + re.escape(BASE_URL + "sitemap.xml") + "$",
                     (out / "robots.txt").read_text("utf-8"))


def rename(root, kind: str, old: str, new: str, suffix: str) -> None:
    shutil.move(root / f"content/{kind}/{old}{suffix}", root / f"content/{kind}/{new}{suffix}")
    for f in (root / "content").rglob("*.*"):
        f.write_text(f.read_text("utf-8").replace(old, new), "utf-8")


@pytest.mark.parametrize("kind, old, new, suffix, hint", [
    ("actors", "jake-sullivan", "jake-sullivan-as", ".yaml", "keep its file name"),
    ("articles", "sullivan-mendesak-kim", "sullivan-desak-kim", ".md", "keep its file name"),
    ("claims", "sanksi-dilanggar", "sanksi-pbb-dilanggar", ".md", "add 'aliases: [sanksi-dilanggar]'"),
])
def test_renaming_a_published_page_warns_that_it_would_disappear(site, kind, old, new, suffix, hint):
    root = site()
    assert run_cli("build", "--site", str(root)).returncode == 0
    line = next(n for n, text in enumerate((root / "_site/sitemap.xml").read_text("utf-8").splitlines(), 1)
                if f"/{kind}/{old}/<" in text)
    rename(root, kind, old, new, suffix)
    result = run_cli("check", "--site", str(root))
    assert result.returncode == 0, result.stderr
    warnings = [w for w in result.stderr.splitlines() if f"{kind}/{old}/ was published" in w]
    assert len(warnings) == 1 and warnings[0].startswith(
        f"_site/sitemap.xml:{line}: warning: {kind}/{old}/ was published by the last build and would disappear"), warnings
    assert hint in warnings[0]
    result = run_cli("build", "--site", str(root))
    assert result.returncode == 0 and f"{kind}/{old}/ was published" in result.stderr, "build warns too"
    assert "would disappear" not in run_cli("check", "--site", str(root)).stderr, "once gone, no more warning"


def test_no_warning_without_a_last_build_or_when_nothing_is_dropped(site):
    root = site()
    assert "would disappear" not in run_cli("check", "--site", str(root)).stderr
    assert run_cli("build", "--site", str(root)).returncode == 0
    (root / "content/outlets/antara.yaml").write_text(BASE["content/outlets/antara.yaml"] + "\n", "utf-8")
    assert "would disappear" not in run_cli("check", "--site", str(root)).stderr


# -- the sitemaps.org schema -------------------------------------------------------------------------------------------

SITEMAP_XSD = Path(__file__).with_name("data") / "sitemap-0.9.xsd"


def sitemap_errors(xml: bytes) -> list[str]:
    """What the sitemaps.org XSD finds wrong with a sitemap, as `LINE: message`."""
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    schema.validate(etree.fromstring(xml))
    return [f"{e.line}: {e.message}" for e in schema.error_log]


def test_the_example_sitemap_is_valid_against_the_sitemaps_org_schema(example):
    xml = (example / "sitemap.xml").read_bytes()
    assert sitemap_errors(xml) == []
    urls = etree.fromstring(xml).findall("s:url", NS)
    assert 0 < len(urls) <= 50_000 and len(xml) <= 50 * 1024 * 1024, "the protocol's limits"
    undated = [u.findtext("s:loc", namespaces=NS) for u in urls if u.find("s:lastmod", NS) is None]
    assert undated and all(re.search(r"/kim-putin/[a-z-]+/$", u) for u in undated), \
        f"only free pages (no date of their own) go without a lastmod: {undated}"
    # the schema bites: a month with no day, a relative address
    broken = xml.replace(b"<lastmod>2026-12-07</lastmod>", b"<lastmod>2026-12</lastmod>", 1)
    assert any("lastmod" in e for e in sitemap_errors(broken))
    broken = re.sub(rb"<loc>[^<]*</loc>", b"<loc>claims/</loc>", xml, count=1)
    assert any("loc" in e for e in sitemap_errors(broken))


@pytest.mark.parametrize("helper", ["works", "fails"])
def test_what_the_last_build_published_is_read_beside_the_build_or_by_it(site, tmp_path, monkeypatch, helper):
    """The build reads what the last one published (its sitemap, and its passages: 78 MB at 10 000 articles) in a
    process of its own while it loads the site; where that process fails, the build reads it itself. Either way a
    page that would disappear and a passage anchor that would are both warned of."""
    import os

    from conftest import ARTICLE, _run_cli_here, forked_helpers_fail
    from generator import build as building
    root, out = site(), tmp_path / "out"
    assert _run_cli_here(["build", "--site", str(root), "--out", str(out)]).returncode == 0
    read, real = [], building.published
    monkeypatch.setattr(building, "published", lambda folder: read.append(os.getpid()) or real(folder))
    if helper == "fails":
        forked_helpers_fail(monkeypatch)
    article = root / ARTICLE
    article.write_text(article.read_text("utf-8").replace("quote: Baik Pyongyang maupun Moskow membantah klaim",
                                                          "quote: Baik Pyongyang maupun Moskow membantah"), "utf-8")
    rename(root, "actors", "jake-sullivan", "jake-sullivan-as", ".yaml")
    result = _run_cli_here(["build", "--site", str(root), "--out", str(out)])
    assert result.returncode == 0, result.stderr
    assert read == ([] if helper == "works" else [os.getpid()])  # a forked process's calls are not seen here
    assert "actors/jake-sullivan/ was published by the last build and would disappear" in result.stderr
    assert f"{ARTICLE}:11: warning: passage articles/putin-di-pyongyang/#korea-utara-memasok-senjata-" in result.stderr
