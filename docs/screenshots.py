"""The example site → PNGs of its home, an article, a claim and the matrix at 1280 and 390 px, in docs/screenshots/.

Builds the site into a temporary folder, serves it on a free port and shoots each page in headless Chromium
(Debian's, driven by Playwright, as the tests do). Run: `.venv/bin/python docs/screenshots.py [--site DIR]
[--out DIR] [--full]`; `--full` shoots whole pages instead of the first screen.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
ARTICLE = "articles/putin-dan-kim-jong-un-bertemu-di-pyongyang/"
PAGES = {  # name → (path, what to scroll to): the most annotated article, the most disputed claim, a rated one
    "home": ("", ""),
    "article": (ARTICLE, ""),
    "article-passages": (ARTICLE, "mark[data-stance=denies]"),  # passages with their notes, in the text
    "claim": ("claims/korea-utara-memasok-senjata-ke-rusia/", ""),  # unrated, both sides
    "claim-rated": ("claims/korea-utara-mendukung-invasi-rusia-ke-ukraina/", ""),
    "matrix": ("matrix/", ""),
}
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def shoot(site: Path, out: Path, pages: dict[str, tuple[str, str]], full: bool = False,
          scheme: str = "light") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site), "--out", str(built),
                        "--base-url", "http://127.0.0.1/"], cwd=REPO, check=True, capture_output=True)
        handler = functools.partial(_Quiet, directory=str(built))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        written = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for kind, (w, h) in WIDTHS.items():
                    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme,
                                                  device_scale_factor=1)
                    tab = context.new_page()
                    for name, (path, at) in pages.items():
                        tab.goto(f"http://127.0.0.1:{server.server_port}/{path}", wait_until="networkidle")
                        if at:
                            tab.evaluate("s => document.querySelector(s).scrollIntoView({block: 'center'})", at)
                        target = out / f"{name}-{kind}{'-dark' if scheme == 'dark' else ''}.png"
                        tab.screenshot(path=str(target), full_page=full)
                        written.append(target)
                    context.close()
                browser.close()
        finally:
            server.shutdown()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--full", action="store_true", help="whole pages, not the first screen")
    parser.add_argument("--dark", action="store_true", help="the dark colour scheme")
    args = parser.parse_args()
    for f in shoot(args.site, args.out, PAGES, args.full, "dark" if args.dark else "light"):
        print(f.relative_to(Path.cwd()) if f.is_relative_to(Path.cwd()) else f)


if __name__ == "__main__":
    main()
