"""Problems found in a site → one report: `PATH:LINE: message`, sorted, all at once (or as GitHub annotations, or JSON).

Every phase collects `Problem`s instead of raising on the first one; a phase
that found errors raises `SiteError` carrying all of them. Only `cli` and
`serve` print them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass


@dataclass(frozen=True, slots=True, order=True)
class Src:
    """Where a content object (or a problem) comes from: a site-relative path and a 1-based line."""

    path: str
    line: int = 1

    def __str__(self) -> str:  # line 0: not a file's line, e.g. "--out" on the command line
        return f"{self.path}:{self.line}" if self.line else self.path


def field_src(record, name: str) -> Src:
    """Where a record's field is written (records keep `lines`: field → line), else the record itself."""
    return Src(record.src.path, record.lines.get(name, record.src.line))


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    src: Src
    message: str
    warning: bool = False

    def __str__(self) -> str:  # one line, whatever a file name or a value holds
        return f"{printable(str(self.src))}: {'warning: ' if self.warning else ''}{printable(self.message)}"

    @property
    def suggestion(self) -> str | None:
        """The value the message ends by suggesting: its "did you mean", or the closest passage to a quote."""
        m = SUGGESTION.search(self.message)
        try:
            import ast  # here, as below: what a build with nothing to do never needs is not imported
            value = ast.literal_eval(m.group(1) or m.group(2)) if m else None
        except (ValueError, SyntaxError):
            return None
        return value if isinstance(value, str) else None

    def as_dict(self) -> dict:
        """For `check --format json`."""
        return {"path": self.src.path, "line": self.src.line, "severity": "warning" if self.warning else "error",
                "message": self.message, "suggestion": self.suggestion}

    def as_github(self, path: str | None = None) -> str:
        """A GitHub Actions workflow command: an annotation on the pull request's diff at the problem's line.

        `path` is the file as the repository names it, when the site is not the repository's root. A problem
        that is not in a file (line 0: `--out`, say) names what it is about in the message instead.
        """
        kind, message = "warning" if self.warning else "error", printable(self.message, keep="\r\n")
        if not self.src.line:
            return f"::{kind}::{_escape(f'{printable(self.src.path)}: {message}')}"
        where = f"file={_escape(printable(path or self.src.path), prop=True)},line={self.src.line}"
        return f"::{kind} {where}::{_escape(message)}"


SUGGESTION = re.compile(r" \((?:did you mean (.+)\?|closest passage: (.+))\)$", re.S)  # what did_you_mean adds


def _escape(text: str, prop: bool = False) -> str:
    """GitHub's escaping of a workflow command's message (`%`, CR, LF), and of a property's value (also `,` `:`)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


# What a terminal or a log would obey rather than show: C0 and C1 controls (ESC, CSI, CR, LF), DEL, and what no
# UTF-8 output can carry (surrogates) or no XML can (U+FFFE, U+FFFF).
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str, keep: str = "") -> str:
    """The text with each control character (but those in `keep`) written as JSON writes it, `\\u001b`: a file
    name can then neither start a workflow command on a line of its own nor retitle or clear a terminal."""
    return UNPRINTABLE.sub(lambda m: m.group() if m.group() in keep else f"\\u{ord(m.group()):04x}", text)


def say(text: str, out=None) -> None:
    """Print a line (or lines) of a report: the one way anything the generator reports reaches a terminal or a log.

    Its line ends stay; any other control character shows escaped, in the text, GitHub and JSON formats alike (in
    JSON, what `json.dumps` left raw, DEL and C1, becomes an escape JSON reads back as the same character).
    """
    import sys
    out = out or sys.stdout
    try:
        print(printable(text, keep="\n\t"), file=out, flush=True)
    except BrokenPipeError:
        raise ReaderGone(out) from None


def counted(n: int, noun: str) -> str:
    """'1 page', '2 pages': a count in what the command line says (in English, as all of it)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class ReaderGone(Exception):
    """Whoever read what the generator says stopped reading (`build | head -1`): no error of the site's, and not
    one to report where nobody reads; `stream` is the one they closed."""

    def __init__(self, stream) -> None:
        super().__init__("the reader of the output stopped reading")
        self.stream = stream

    def silence(self) -> None:
        """Point the closed stream at the null device: what is said next, and the last flush, go nowhere quietly."""
        import os
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, self.stream.fileno())
        os.close(null)


class SiteError(Exception):
    """The site cannot be built; `problems` lists every error found in the phase."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(map(str, self.problems)))


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    import difflib
    close = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def raise_errors(problems: list[Problem]) -> None:
    errors = [p for p in problems if not p.warning]
    if errors:
        raise SiteError(errors)


def set_by_name(module: dict) -> None:
    """Give the frozen dataclasses with slots a module defines (its `globals()`: the model's, and these, which
    every record holds) a `__setstate__` that sets their fields by names looked up once per type. Unpickling
    one (the build cache's records, what worker processes return) sets its fields in turn through it; dataclasses'
    own looks the fields up again for every object (a third of the time a warm build takes to read its records)."""
    for kind in [v for v in module.values() if isinstance(v, type) and v.__module__ == module["__name__"]]:
        if is_dataclass(kind) and "__setstate__" in vars(kind):
            kind.__setstate__ = _setting(tuple(f.name for f in fields(kind)))


def _setting(names: tuple[str, ...]):
    def __setstate__(self, state) -> None:
        for name, value in zip(names, state):
            object.__setattr__(self, name, value)
    return __setstate__


set_by_name(globals())
