"""Problems found in a site → one report: `PATH:LINE: message`, sorted, all at once.

Every phase collects `Problem`s instead of raising on the first one; a phase
that found errors raises `SiteError` carrying all of them. Only `cli` and
`serve` print them.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, slots=True, order=True)
class Src:
    """Where a content object (or a problem) comes from: a site-relative path and a 1-based line."""

    path: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def field_src(record, name: str) -> Src:
    """Where a record's field is written (records keep `lines`: field → line), else the record itself."""
    return Src(record.src.path, record.lines.get(name, record.src.line))


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    src: Src
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.src}: {'warning: ' if self.warning else ''}{self.message}"


class SiteError(Exception):
    """The site cannot be built; `problems` lists every error found in the phase."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(map(str, self.problems)))


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def raise_errors(problems: list[Problem]) -> None:
    errors = [p for p in problems if not p.warning]
    if errors:
        raise SiteError(errors)
