"""Headless Chromium (Debian's) driven by Playwright, and a preview server run as a user runs it."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from conftest import REPO

CHROMIUM = "/usr/bin/chromium"
# Selects an article's text from the first text node holding `first` to the end of `last`, as a reader's mouse
# does (a mouseup after it, unless `mouse` is false: a keyboard or touch selection)
SELECT = """([first, last, mouse = true]) => {
  const body = document.querySelector('.article .body');
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let a = null, b = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!a && n.data.includes(first)) a = n;
    if (a && n.data.includes(last)) { b = n; break; }
  }
  const range = document.createRange();
  range.setStart(a, a.data.indexOf(first));
  range.setEnd(b, b.data.indexOf(last) + last.length);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  if (mouse) document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
}"""
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@contextlib.contextmanager
def chromium():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """`python -m generator serve` on a free port; `url`, `log()` and a clean stop with Ctrl-C."""

    def __init__(self, root: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--site", str(root),
                                      "--port", str(self.port)], cwd=REPO, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            if line.startswith("Serving"):
                return
        raise AssertionError("the preview server did not start:\n" + "".join(self.lines))

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as a user stops it; (exit code, the rest of what it printed)."""
        self.proc.send_signal(signal.SIGINT)
        try:
            rest, _ = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rest, _ = self.proc.communicate()
        return self.proc.returncode, rest
