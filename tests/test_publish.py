"""Publishing: the output under a project path crawled by a real link checker, 404 at any depth, link previews,
share images, citations, embeds, Text Fragments, the Pages workflow, and URLs that must not silently vanish."""
from __future__ import annotations

import functools
import re
import io
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from PIL import Image

from browser import free_port
from conftest import ARTICLE, BASE, REPO, build_ok, contract, page, run_cli


class PagesLike(SimpleHTTPRequestHandler):
    """A plain static server like GitHub Pages: the site under /PREFIX/, 404.html for anything missing."""

    prefix = "/"

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def pages_server():
    servers = []

    def start(out: Path, prefix: str) -> str:
        handler = type("Handler", (PagesLike,), {"prefix": prefix})
        server = ThreadingHTTPServer(("127.0.0.1", free_port()), functools.partial(handler, directory=str(out)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{prefix}"

    yield start
    for s in servers:
        s.shutdown()


def linkcheck(url: str) -> str:
    """Crawl every page and asset under url with LinkChecker; its report, asserting no error."""
    result = subprocess.run([str(Path(sys.executable).with_name("linkchecker")), "--no-status", "--no-warnings",
                             "--no-robots", url],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " 0 errors found" in result.stdout or "0 errors found" in result.stdout, result.stdout[-2000:]
    return result.stdout


def test_the_example_site_has_no_broken_link_under_its_project_path(tmp_path, pages_server):
    out = tmp_path / "example"
    result = run_cli("build", "--site", str(REPO), "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = linkcheck(pages_server(out, "/kim-putin/"))
    checked = re.search(r"(\d+) links? in (\d+) URLs? checked", report)
    pages = len(list(out.rglob("*.html"))) + len(list(out.rglob("*.png"))) + len(list(out.rglob("*.css")))
    assert checked and int(checked.group(2)) >= pages, report[-500:]


def test_a_test_site_crawls_clean_at_a_domain_root_too(site, tmp_path, pages_server):
    root = site()
    out = build_ok(root, "--base-url", "https://factcheck.example.org/")
    linkcheck(pages_server(out, "/"))


def test_a_deep_missing_path_gets_a_styled_404_whose_links_work(site, pages_server):
    out = build_ok(site())
    base = pages_server(out, "/cek/")
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(base + "claims/no/such/page/")
    assert missing.value.code == 404
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(missing.value.read().decode("utf-8"), "html.parser")
    assert soup.h1 and soup.find("link", rel="stylesheet")
    origin = base.split("/cek/")[0]
    for href in [soup.find("link", rel="stylesheet")["href"], *(a["href"] for a in soup.find_all("a"))]:
        if href.startswith("/"):
            assert urllib.request.urlopen(origin + href).status == 200, href


def test_every_page_has_absolute_link_preview_meta_and_claims_have_share_images(site):
    root = site()
    out = build_ok(root)
    base = "https://newsroom.github.io/cek/"
    for f in out.rglob("index.html"):
        soup = page(out, f.relative_to(out).parent.as_posix() + "/" if f.parent != out else "")
        if soup.find("meta", attrs={"http-equiv": "refresh"}):
            continue
        url = soup.find("meta", property="og:url")["content"]
        assert url.startswith(base) and url == soup.find("link", rel="canonical")["href"]
        assert soup.find("meta", property="og:title")["content"].strip()
        assert soup.find("meta", property="og:description")["content"].strip()
    claim = page(out, "claims/korea-utara-memasok-senjata/")
    assert "Belum terbukti" in claim.find("meta", property="og:description")["content"]
    image = claim.find("meta", property="og:image")["content"]
    assert image == base + "claims/korea-utara-memasok-senjata/share.png"
    assert claim.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    for png in out.glob("claims/*/share.png"):
        with Image.open(io.BytesIO(png.read_bytes())) as im:
            assert im.format == "PNG" and im.size == (1200, 630)
            im.verify()


def test_claim_page_offers_permalink_citation_and_embed(site):
    out = build_ok(site())
    claim = page(out, "claims/korea-utara-memasok-senjata/")
    url = "https://newsroom.github.io/cek/claims/korea-utara-memasok-senjata/"
    assert claim.find("textarea", id="permalink").get_text() == url, "the whole address, wrapped, not cut"
    citation = claim.find("textarea", id="citation").get_text()
    assert "Korea Utara memasok senjata ke Rusia" in citation and "Belum terbukti" in citation
    assert "20 Juni 2024" in citation and url in citation and "Cek Klaim Uji" in citation
    assert f'src="{url}embed/"' in claim.find("textarea", id="embed").get_text()
    embed = page(out, "claims/korea-utara-memasok-senjata/embed/")
    assert embed.find("a", href="../../../claims/korea-utara-memasok-senjata/", target="_top")
    card = re.sub(r"\s+", " ", embed.get_text())
    asserted = re.search(r"Menyatakan: ([^−+]*?) [−+]? ?Membantah", card)
    denied = re.search(r"Membantah: (.*?) Baca selengkapnya", card)
    assert asserted and denied, card
    assert sorted(asserted.group(1).split(", ")) == ["Antony Blinken", "Jake Sullivan"], card
    assert sorted(denied.group(1).strip(" −+").split(", ")) == ["Korea Utara", "Rusia"], card


def test_copy_button_copies_the_link_in_a_browser(site):
    from browser import chromium
    out = build_ok(site())
    with chromium() as browser:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        tab = context.new_page()
        tab.goto((out / "claims/korea-utara-memasok-senjata/index.html").as_uri())
        tab.click("button[data-copy=permalink]")
        assert tab.evaluate("navigator.clipboard.readText()") == \
            "https://newsroom.github.io/cek/claims/korea-utara-memasok-senjata/"


def test_links_to_the_original_carry_a_text_fragment(site):
    text = BASE[ARTICLE].replace("published: 2024-06-19", "published: 2024-06-19\nurl: https://www.tribunnews.com/x")
    out = build_ok(site({ARTICLE: text}))
    claim = page(out, "claims/korea-utara-memasok-senjata/")
    hrefs = [a["href"] for a in claim.find_all("a", href=True) if a["href"].startswith("https://www.tribunnews.com/x")]
    assert "https://www.tribunnews.com/x#:~:text=Baik%20Pyongyang%20maupun%20Moskow%20membantah%20klaim" in hrefs
    long = [h for h in hrefs if "amunisi" in h or "Korea%20Utara%20memasok" in h]
    assert long and "," in long[0].split(":~:text=")[1], "a long passage is named by its start and end"


def test_the_pages_workflow_uses_the_official_actions_and_the_readme_build(tmp_path):
    workflow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text("utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uses = {s.get("uses", "").split("@")[0] for s in steps}
    assert {"actions/checkout", "actions/configure-pages", "actions/upload-pages-artifact",
            "actions/deploy-pages"} <= uses
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML reads the key `on` as True
    step = next(s for s in steps if "run" in s)
    build = step["run"]
    assert build.startswith("./dev build") and '--base-url "$BASE_URL/"' in build
    assert step["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"  # through the environment, not spliced
    assert "./dev build" in (REPO / "README.md").read_text("utf-8").split("\n\n")[1]


def test_check_warns_when_a_published_url_would_vanish(site):
    root = site()
    build_ok(root)
    old = root / "content/claims/sanksi-dilanggar.md"
    new = root / "content/claims/sanksi-pbb-dilanggar.md"
    shutil.move(old, new)
    for f in (root / "content").rglob("*.md"):
        f.write_text(f.read_text("utf-8").replace("sanksi-dilanggar", "sanksi-pbb-dilanggar"), "utf-8")
    result = run_cli("check", "--site", str(root))
    assert result.returncode == 0
    assert "claims/sanksi-dilanggar/ was published by the last build and would disappear" in result.stderr
    assert "aliases: [sanksi-dilanggar]" in result.stderr
    new.write_text(new.read_text("utf-8").replace("title:", "aliases: [sanksi-dilanggar]\ntitle:"), "utf-8")
    result = run_cli("check", "--site", str(root))
    assert "would disappear" not in result.stderr, result.stderr
    contract(root, build_ok(root))
