"""Content values and texts → a Problem at the line of each `TODO` placeholder left in them (nothing unfinished).

A placeholder is an error even in a draft, since the preview and `build --drafts` publish drafts, and deleting
`draft: true` must not be what lets one out. An article's body is the outlet's copy, word for word, and is never
searched; the site's own writing (a claim's analysis, a page) is.
"""
from __future__ import annotations

import re

from .errors import Problem, Src

PLACEHOLDER = re.compile(r"\bTODO\b")  # what `new` writes where it could not tell


def placeholders(value, path: str, offset: int, key: str = "", line: int = 0) -> list[Problem]:
    """Each string holding a TODO, at any depth of parsed YAML, at the line of its field (mappings that know their
    lines, as load's `Fields` do, give each key's; an item of a list, its list's)."""
    if isinstance(value, str):
        if not PLACEHOLDER.search(value):
            return []
        return [Problem(Src(path, line + offset), f"placeholder TODO in {key!r}: {_shown(value)}: write the real "
                                                  f"value (nothing unfinished is published)")]
    if isinstance(value, dict):
        lines = getattr(value, "lines", {})
        return [p for k, v in value.items() for p in placeholders(v, path, offset, str(k), lines.get(k, line))]
    if isinstance(value, list):
        return [p for item in value for p in placeholders(item, path, offset, key, getattr(item, "line", line))]
    return []


def placeholder_lines(body: str, path: str, body_line: int) -> list[Problem]:
    """Each line of a Markdown body (the site's own writing) that holds a TODO."""
    return [Problem(Src(path, body_line + n), f"placeholder TODO in the text: {_shown(line.strip())}: write it "
                                              f"(nothing unfinished is published)")
            for n, line in enumerate(body.splitlines()) if PLACEHOLDER.search(line)]


def _shown(text: str) -> str:
    shown = repr(text)
    return shown if len(shown) <= 80 else shown[:77] + "..."
