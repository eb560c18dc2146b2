"""Linking a claim from elsewhere: the embed card fits the snippet's frame at any width.

(The citation's date: test_render_pages.)
"""
from __future__ import annotations

import functools
import http.server
import threading

from browser import chromium, free_port
from conftest import build_here, make_site, page

LONG = {
    "content/claims/sanksi-dilanggar.md": """\
---
title: Transfer senjata Korea Utara ke Rusia melanggar beberapa resolusi sanksi Dewan Keamanan PBB sejak 2006
summary: Menurut Blinken, transfer itu melanggar sanksi; Moskow dan Pyongyang membantahnya dan menyebutnya kerja sama yang sah antara dua negara berdaulat.
---
""",
}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_the_embed_card_fits_its_frame_at_any_width(tmp_path):
    port = free_port()
    root = make_site(tmp_path / "site", LONG)
    out = tmp_path / "out"
    build_here(root, out, base_url=f"http://127.0.0.1:{port}/")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    snippet = page(out, "claims/sanksi-dilanggar/").find("textarea", id="embed").text
    try:
        with chromium() as browser:
            for width in (280, 320, 390, 1000):
                tab = browser.new_page(viewport={"width": width, "height": 900})
                tab.goto(f"http://127.0.0.1:{port}/404.html")  # a page of the partner's site
                tab.set_content(f"<body style='margin:0'><p>Artikel mitra</p>{snippet}<p>Lanjutan</p></body>")
                frame = tab.wait_for_selector("iframe").content_frame()
                frame.wait_for_selector(".embed-card")
                shown = tab.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
                bottom = frame.evaluate("""() => Object.fromEntries(['.embed-card', 'h1', '.embed-verdict', '.tally',
                  '.embed-more a'].map((s) => [s, document.querySelector(s).getBoundingClientRect().bottom]))""")
                assert all(b <= shown for b in bottom.values()), f"at {width} px, in a frame of {shown} px: {bottom}"
                tab.close()
    finally:
        server.shutdown()
        server.server_close()
