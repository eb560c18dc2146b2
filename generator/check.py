"""A site folder → every Problem: content errors first; with clean content, every broken link or anchor in the output,
and the images over the weight budget (warnings).

Nothing is written to the site: the output is rendered into a temporary folder and crawled there.
"""
from __future__ import annotations

import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .build import build
from .errors import Problem, SiteError, Src
from .config import load_config
from .media import over_budget

LINKING = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src"}
SKIPPED_RELS = {"canonical", "alternate", "preconnect", "dns-prefetch"}


def check(root: Path) -> list[Problem]:
    try:
        config = load_config(root)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "site"
            site = build(root, out, last=root / config.output_dir)
            return [*site.warnings, *check_links(out, config.base_url, config.output_dir),
                    *over_budget(out, config.media, config.output_dir)]
    except SiteError as e:
        return list(e.problems)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        attr = LINKING.get(tag)
        if attr and attrs.get(attr) and not (tag == "link" and SKIPPED_RELS & set((attrs.get("rel") or "").split())):
            self.links.append((attrs[attr], self.getpos()[0]))


def check_links(out: Path, base_url: str, shown_as: str = "_site") -> list[Problem]:
    """Every internal link and anchor of every HTML page under `out` must resolve inside `out`."""
    pages: dict[Path, _Page] = {}

    def parse(f: Path) -> _Page:
        if f not in pages:
            pages[f] = _Page()
            pages[f].feed(f.read_text("utf-8"))
        return pages[f]

    problems = []
    for f in sorted(out.rglob("*.html")):
        rel = f.relative_to(out).as_posix()
        page_url = urljoin(base_url, rel.removesuffix("index.html"))
        for href, line in parse(f).links:
            target, anchor = _resolve(out, base_url, page_url, href)
            src = Src(f"{shown_as}/{rel}", line)
            if isinstance(target, str):
                problems.append(Problem(src, f"broken link {href!r}: {target}"))
            elif target is None:
                continue
            elif not target.is_file():
                problems.append(Problem(src, f"broken link {href!r}: nothing at {target.relative_to(out).as_posix()}"))
            elif anchor and not anchor.startswith(":~:") and target.suffix == ".html" and anchor not in parse(target).ids:
                problems.append(Problem(src, f"broken link {href!r}: no element with id {anchor!r}"))
    return problems


def _resolve(out: Path, base_url: str, page_url: str, href: str) -> tuple[Path | str | None, str]:
    """The file a link reaches (None: not ours to check; a string: why it cannot work) and its anchor."""
    href = href.strip()
    if not href or href.startswith(("mailto:", "tel:", "data:", "javascript:")):
        return None, ""
    absolute = urljoin(page_url, href)
    if not absolute.startswith(base_url):
        if urlsplit(absolute).netloc == urlsplit(base_url).netloc:
            return f"it leaves the base path {urlsplit(base_url).path!r}", ""
        return None, ""
    path, _, anchor = absolute[len(base_url):].partition("#")
    path = unquote(path.split("?", 1)[0])
    target = out / path
    if path == "" or path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(anchor)
