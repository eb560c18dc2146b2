"""A bench site → the median time from saving one article to headless Chromium showing the change, for
`python -m generator serve` and, with --hugo, for `hugo server` on the Hugo twin of the same site.

    python bench/serve_latency.py [--articles 1000] [--saves 15] [--warmup 20] [--hugo]

Each round appends a new word to one article's text and saves it; the page itself notes the first frame
that shows the word. The clock starts just before the save. Makes bench/make_site.py's site and its Hugo twin when they are missing and
Debian's chromium with Playwright.
"""
from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from run import ensure_hugo_site, ensure_site, hugo_binary  # the same sites and Hugo twin as the build bench

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 300) -> None:
    import urllib.request
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered at {url}")


# The page notes, at the first frame that shows the awaited word, when that was (wall clock, ms): the figure is
# the browser's, not Playwright's, which only notices some tens of ms later.
NOTICE = """(() => {
  const want = localStorage.getItem("bench-word");
  if (!want) return;
  const check = () => {
    if (localStorage.getItem("bench-shown") || !document.body || !document.body.innerText.includes(want)) return;
    requestAnimationFrame(() => localStorage.setItem("bench-shown", String(performance.timeOrigin + performance.now())));
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, characterData: true});
  document.addEventListener("DOMContentLoaded", check);
})();"""


def measure(url: str, article: Path, saves: int, warmup: float) -> list[float]:
    """Seconds from each save to the first frame that shows the new word, after `warmup` seconds of rest."""
    original = article.read_text("utf-8")
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        page.add_init_script(NOTICE)
        page.goto(url)
        time.sleep(warmup)  # the editor starts writing once the server's start-up work (e.g. a search index) is done
        try:
            for n in range(saves):
                word = f"penandauji{n}x{int(time.time() * 1000) % 100000}"
                page.evaluate("w => { localStorage.setItem('bench-word', w); localStorage.removeItem('bench-shown'); }",
                              word)
                saved = time.time() * 1000
                article.write_text(original.rstrip("\n") + f"\n\n{word}\n", "utf-8")
                shown = page.wait_for_function("localStorage.getItem('bench-shown')", polling=50, timeout=30_000)
                times.append((float(shown.json_value()) - saved) / 1000)
                time.sleep(0.5)
        finally:
            article.write_text(original, "utf-8")
            browser.close()
    return times


def ours(site: Path, saves: int, warmup: float) -> list[float]:
    port = free_port()
    work = Path(tempfile.mkdtemp()) / "site"
    shutil.copytree(site, work)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--site", str(work), "--port", str(port)],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        article = sorted((work / "content/articles").glob("*.md"))[len(list((work / "content/articles").glob("*.md"))) // 2]
        return measure(f"http://127.0.0.1:{port}/articles/{article.stem}/", article, saves, warmup)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work.parent, ignore_errors=True)


def hugo(site: Path, saves: int, warmup: float) -> list[float]:
    binary = hugo_binary()
    port = free_port()
    work = Path(tempfile.mkdtemp()) / "site"
    shutil.copytree(site, work)
    proc = subprocess.Popen([binary, "server", "--port", str(port), "--bind", "127.0.0.1", "--baseURL",
                             f"http://127.0.0.1:{port}/", "--disableFastRender=false"], cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        articles = sorted((work / "content").rglob("*.md"))
        articles = [a for a in articles if a.name != "_index.md"]
        article = articles[len(articles) // 2]
        section = article.parent.relative_to(work / "content").as_posix()
        path = f"{section}/{article.stem}/" if section != "." else f"{article.stem}/"
        return measure(f"http://127.0.0.1:{port}/{path}", article, saves, warmup)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work.parent, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--saves", type=int, default=15)
    ap.add_argument("--hugo", action="store_true")
    ap.add_argument("--warmup", type=float, default=20, help="seconds between opening the page and the first save")
    args = ap.parse_args()
    site = ensure_site(args.articles)
    print(f"{'tool':<18}{'articles':>9}{'median ms':>11}{'min ms':>8}{'max ms':>8}{'saves':>7}", flush=True)
    runs = [("generator serve", lambda: ours(site, args.saves, args.warmup))]
    if args.hugo:
        runs.append(("hugo server", lambda: hugo(ensure_hugo_site(site), args.saves, args.warmup)))
    for name, run in runs:  # each row as soon as it is measured
        ms = [t * 1000 for t in run()]
        print(f"{name:<18}{args.articles:>9}{statistics.median(ms):>11.0f}{min(ms):>8.0f}{max(ms):>8.0f}{len(ms):>7}",
              flush=True)


if __name__ == "__main__":
    main()
