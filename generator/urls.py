"""Site paths → the links and URLs pages carry.

A page's site path is "" (home), "claims/SLUG/" (served as PATH/index.html) or a
file name ("404.html", "feed.xml"). Pages link relatively, so the same output
works under any base path and in the preview server; 404.html is served for
any missing path, so its links are absolute paths instead.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from .model import Config

ABSOLUTE_PAGES = frozenset({"404.html"})


def page_path(kind: str, slug: str = "") -> str:
    return f"{kind}/{slug}/" if slug else f"{kind}/"


def root_for(path: str, config: Config) -> str:
    """The prefix that leads from the page at `path` to the site root ("../../" or "/REPO/")."""
    if path in ABSOLUTE_PAGES:
        return config.base_path
    depth = path.count("/")
    return "../" * depth if depth else "./"


def output_file(path: str) -> str:
    """Where the page at `path` is written, relative to the output folder."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def absolute(config: Config, path: str) -> str:
    return config.base_url + path


def text_fragment(url: str, exact: str) -> str:
    """`url` with a Text Fragment (#:~:text=…) that makes the browser scroll to and highlight `exact`."""
    words = exact.split()
    if len(words) > 10:  # a long passage is named by its first and last words
        directive = f"{_fragment_part(' '.join(words[:5]))},{_fragment_part(' '.join(words[-5:]))}"
    else:
        directive = _fragment_part(" ".join(words))
    return f"{url.split('#', 1)[0]}#:~:text={directive}"


def _fragment_part(text: str) -> str:
    return quote(text, safe="").replace("-", "%2D")


def make_slug(name: str) -> str:
    """A name or title in any script → lowercase ASCII words joined by hyphens, at most 60 characters ('' when
    nothing is left): `Сергей Шойгу` → `sergei-shoigu`, `金正恩` → `jinzhengen` (anyascii's transliteration)."""
    from anyascii import anyascii  # only `new` and the panel make slugs
    words = re.sub(r"[^a-z0-9]+", " ", anyascii(name).lower()).split()
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60 and slug:
            break
        slug = f"{slug}-{word}" if slug else word[:60]
    return slug
