"""YAML text → `Fields` (mappings that remember the line of each key) and typed values read out of them by a
`Reader`; each mistake (malformed YAML, a wrong type, an unknown field) is a Problem at its line, with a hint.

Shared by everything that reads content files: `load`, `new`, `coverage`.
"""
from __future__ import annotations

import datetime
import re

import yaml

from .config import SLUG, URL
from .errors import Problem, Src, did_you_mean
from .model import Date
from .placeholders import placeholders
from .source import CONTROL, control_problems
from .urls import make_slug

MAX_DEPTH = 32  # nesting of YAML lists and mappings; front matter needs four
FRONT = 2  # front matter starts on line 2, after the opening '---'


class Fields(dict):
    """A YAML mapping that knows the line of each key (`lines`) and of itself (`line`), 0-based."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line, self.lines, self.duplicates, self.invalid = 0, {}, [], []


class _Yaml(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self.controls: list[tuple[int, str]] = []  # (0-based line, value) of values holding a control character

    def construct_scalar(self, node):
        value = super().construct_scalar(node)
        if isinstance(value, str) and CONTROL.search(value):  # written as an escape: "\e", "\x01", "\0"
            self.controls.append((node.start_mark.line, value))
        return value


# Dates stay strings: we parse them ourselves, so an impossible one is an error with a line, not a crash.
_Yaml.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _construct_fields(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Fields:
    loader.flatten_mapping(node)
    out = Fields()
    out.line = node.start_mark.line
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in out:
            out.duplicates.append((key, key_node.start_mark.line))
        try:
            out[key] = loader.construct_object(value_node, deep=True)
        except (ValueError, OverflowError) as e:  # e.g. an integer of 5000 digits
            out.invalid.append((key, value_node.start_mark.line, str(e).split(";")[0]))
            out[key] = None
        out.lines[key] = key_node.start_mark.line
    return out


_Yaml.add_constructor("tag:yaml.org,2002:map", _construct_fields)


class Reader:
    """Reads typed fields out of one YAML mapping, collecting a Problem for each mistake."""

    def __init__(self, fields, path: str, offset: int, problems: list[Problem], what: str = "", line: int = 0):
        """`line`: where to report a value that is not a mapping (an item of a list has no line of its own)."""
        self.fields = fields if isinstance(fields, Fields) else Fields()
        self.path, self.offset, self.problems, self.what = path, offset, problems, what
        self.mapping = isinstance(fields, dict)
        if not self.mapping:
            self.fields.line = line
            self.error(None, f"expected a mapping of fields{what}, found {type(fields).__name__}")

    def lines(self) -> dict[str, int]:
        return {key: line + self.offset for key, line in self.fields.lines.items()}

    def src(self, key: str | None = None) -> Src:
        line = self.fields.lines.get(key, self.fields.line) if key else self.fields.line
        return Src(self.path, line + self.offset)

    def error(self, key: str | None, message: str) -> None:
        self.problems.append(Problem(self.src(key), message))

    def check(self, allowed: set[str], required: tuple[str, ...]) -> bool:
        if not self.mapping:  # said once, by __init__: its fields are not "missing" too
            return False
        ok = True
        for key, line in self.fields.duplicates:
            self.problems.append(Problem(Src(self.path, line + self.offset), f"field {key!r} is given twice{self.what}"))
        for key, line, why in self.fields.invalid:
            self.problems.append(Problem(Src(self.path, line + self.offset), f"{key!r} cannot be read: {why}"))
        for key in self.fields:
            if key not in allowed:
                self.error(key, f"unknown field {key!r}{self.what}{did_you_mean(key, allowed)}")
        for key in required:
            if self.fields.get(key) in (None, ""):
                self.error(None, f"missing required field {key!r}{self.what}")
                ok = False
        return ok

    def text(self, key: str) -> str:
        value = self.fields.get(key)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            self.error(key, f"{key!r} must be text, not a {'list' if isinstance(value, list) else 'mapping'}")
            return ""
        return str(value).strip()

    def url(self, key: str) -> str:
        """An absolute http(s) URL, or "" with a Problem: a `javascript:` link must never reach a page."""
        value = self.text(key)
        if value and not URL.match(value):
            self.error(key, f"{key!r} must be an http:// or https:// address: {shown_value(value)}")
            return ""
        return value

    def urls(self, key: str) -> tuple[str, ...]:
        values = self.slugs(key)
        bad = [v for v in values if not URL.match(v)]
        for v in bad:
            self.error(key, f"{key!r} takes http:// or https:// addresses only: {shown_value(v)}")
        return tuple(v for v in values if v not in bad)

    def slug_list(self, key: str, what: str) -> tuple[str, ...]:
        """A list of SLUGs (they become paths): anything else is a Problem, never a path."""
        values = self.slugs(key)
        for v in values:
            if not SLUG.match(v):
                self.error(key, f"{what} {shown_value(v)} is not a valid SLUG: use lowercase letters, digits and hyphens "
                                f"(like {suggest_slug(v)!r})")
        return tuple(v for v in values if SLUG.match(v))

    def flag(self, key: str) -> bool:
        value = self.fields.get(key)
        if value is None or isinstance(value, bool):
            return bool(value)
        self.error(key, f"{key!r} must be true or false: {shown_value(value)}")
        return False

    def whole(self, key: str) -> int | None:
        value = self.fields.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.error(key, f"{key!r} must be a whole number: {shown_value(value)}")
            return None
        return value

    def slugs(self, key: str) -> tuple[str, ...]:
        value = self.fields.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            self.error(key, f"{key!r} must be a list of names, like [a, b]")
            return ()
        return tuple(str(v).strip() for v in value)

    def date(self, key: str, month_ok: bool) -> Date | None:
        value = self.fields.get(key)
        if value is None:
            return None
        text = str(value).strip() if isinstance(value, (str, int)) else type(value).__name__
        m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
        if not m or (m.group(3) is None and not month_ok):
            form = "YYYY-MM-DD or YYYY-MM" if month_ok else "YYYY-MM-DD"
            self.error(key, f"{key!r} must be a date, {form}: {text!r}")
            return None
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
        try:
            datetime.date(year, month, day)
        except ValueError:
            self.error(key, f"impossible date {text!r} in {key!r}")
            return None
        return Date(year, month, int(m.group(3) or 0))


def shown_value(value) -> str:
    """A value for a message: repr, cut short; containers by kind (an alias bomb must never be printed)."""
    if isinstance(value, (dict, list)):
        return f"a {'list' if isinstance(value, list) else 'mapping'}"
    if isinstance(value, bool):  # as the file has it, not as Python writes it
        return "true" if value else "false"
    text = str(value) if isinstance(value, (int, float)) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def parse_yaml(text: str, path: str, offset: int, problems: list[Problem]):
    loader = _Yaml(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        problems.append(_yaml_problem(e, text, path, offset))
        return None
    except yaml.reader.ReaderError as e:  # a character YAML refuses (a control character): at its own line
        char = e.character if isinstance(e.character, int) else ord(e.character)
        problems.append(Problem(Src(path, offset + text.count("\n", 0, e.position)),
                                f"malformed YAML: unacceptable character #x{char:04x}: {e.reason}"))
        return None
    except yaml.YAMLError as e:
        problems.append(Problem(Src(path, offset), f"malformed YAML: {e}"))
        return None
    except RecursionError:
        problems.append(Problem(Src(path, offset), "malformed YAML: nested too deeply"))
        return None
    except (ValueError, OverflowError) as e:  # e.g. a key that is an integer of 5000 digits
        problems.append(Problem(Src(path, offset), f"malformed YAML: {str(e).split(';')[0]}"))
        return None
    finally:
        loader.dispose()
    if loader.controls:
        for line, value in loader.controls:
            problems += control_problems(value, path, line + offset, " in a value, written as an escape",
                                         first=True)
        return None
    where = _shared_or_deep(data)
    if where is not None:
        problems.append(Problem(Src(path, where + offset), "YAML aliases (*name) and nesting deeper than "
                                f"{MAX_DEPTH} levels are not allowed in content: write the value out"))
        return None
    problems += placeholders(data, path, offset)
    return Fields() if data is None else data  # only comments, or a bare '---': no fields (never a lost file)


def _shared_or_deep(data) -> int | None:
    """The 0-based line of the first field whose value repeats a list or mapping (an alias) or nests too deep.

    Aliases are refused outright: `published: *a9` could otherwise expand to gigabytes when a value is read.
    """
    seen: set[int] = set()

    def bad(value, depth: int) -> bool:
        if not isinstance(value, (dict, list)):
            return False
        if id(value) in seen or depth > MAX_DEPTH:
            return True
        seen.add(id(value))
        return any(bad(v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))

    if not isinstance(data, (dict, list)):
        return None
    seen.add(id(data))
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        if bad(value, 1):
            line = getattr(data, "lines", {}).get(key) if isinstance(data, Fields) else None
            return line if line is not None else getattr(data, "line", 0)
    return None


def _yaml_problem(e: yaml.MarkedYAMLError, text: str, path: str, offset: int) -> Problem:
    """A YAML syntax error at the line where the mistake is, with a hint for the common ones."""
    mark = e.problem_mark or e.context_mark
    line = mark.line if mark else 0
    problem = e.problem or e.context or "cannot be read"
    late = ("could not find expected ':'", "end of stream", "did not find expected ',' or ']'",
            "did not find expected ',' or '}'")
    if e.context_mark and e.problem_mark and any(words in problem for words in late):
        line = e.context_mark.line  # the scanner notices lines later: point where the thing began
    hint = ""
    if "mapping values are not allowed" in problem:
        hint = " (a value that contains ': ' must be put in quotes: key: \"a: b\"; or check the indentation)"
    elif "tab" in problem or "'\\t'" in problem:  # libyaml says "tab"; the pure-Python parser shows '\t'
        hint = " (indent with spaces, not tabs)"
    elif "end of stream" in problem and "quoted" in (e.context or ""):
        hint = " (a quote opens here and never closes)"
    elif "did not find expected" in problem or "expected <block end>" in problem:
        hint = " (check the indentation, and brackets or quotes that open but do not close)"
    lines = text.splitlines()
    if line >= len(lines):  # past the end: point at the last line written
        line = max(len(lines) - 1, 0)
    return Problem(Src(path, line + offset), f"malformed YAML: {problem}{hint}")


def split_front_matter(text: str, path: str, problems: list[Problem]) -> tuple[object, str, int]:
    """(front matter, body, line the body starts on)."""
    m = re.match(r"---[ \t]*\r?\n(.*?)(?:^|\n)---[ \t]*(?:\r?\n|$)", text, re.S | re.M)  # re.M: '^' closes an empty one
    if not m:
        problems.append(Problem(Src(path, 1), "no front matter: the file must start with a '---' line "
                                              "and the fields must end with another '---' line"))
        return None, text, 1
    fields = parse_yaml(m.group(1), path, FRONT, problems) if m.group(1).strip() else Fields()
    return fields, text[m.end():], text[:m.end()].count("\n") + 1


def suggest_slug(slug: str) -> str:
    return make_slug(slug) or "my-slug"
