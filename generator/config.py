"""site.toml (+ the theme's UI strings) → Config; every mistake as a Problem with its line."""
from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem, SiteError, Src, did_you_mean
from .source import CONTROL, control_problems, read_text
from .write import output_problem

if TYPE_CHECKING:  # making model's dataclasses takes ~20 ms, which a build with nothing to do never needs
    from .model import Config, Verdict

PACKAGE = Path(__file__).resolve().parent
# The default theme: packaged beside the code in a wheel, or the repository's own.
THEME = PACKAGE / "theme" if (PACKAGE / "theme").is_dir() else PACKAGE.parent
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BASE_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%!$&()*+,;=:@/-]*)?$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")  # BCP 47; it also names a strings file
HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.I)  # what every URL field takes: http(s), never javascript:
EMAIL = re.compile(r"^[^@\s<>()\[\]\\,;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
FIELDS = {"title", "description", "base_url", "language", "output_dir", "author", "trusted_html",
          "custom_domain", "verdicts", "strings", "topics", "notice", "contact", "repository", "check", "media"}
VERDICT_FIELDS = {"key", "label", "rating", "description"}


SYSTEM_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",  # the share images' font where the theme
                "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf", "/Library/Fonts/Arial Unicode.ttf")  # has none


def theme_dirs(root: Path, kind: str) -> list[Path]:
    """Where to look for templates or static files: the site's own first, then the default theme."""
    dirs = [root / kind, THEME / kind]
    real = [os.path.realpath(d) for d in dirs]  # never raises: a link that loops is refused by `links_out`
    return [d for i, d in enumerate(dirs) if d.is_dir() and real[i] not in real[:i]]


def load_config(root: Path, base_url: str | None = None) -> Config:
    path = root / "site.toml"
    name = "site.toml"
    if not path.is_file():
        raise SiteError([Problem(Src(name, 1), "no site.toml here: is this a site folder? (use --site DIR)")])
    text, problem = read_text(path, name)
    if problem:
        raise SiteError([problem])
    data = _parse_toml(text, name)
    problems: list[Problem] = []

    def at(key: str, nth_table: int | None = None) -> Src:
        return Src(name, _line_of(text, key, nth_table))

    for key in sorted(set(data) - FIELDS):
        problems.append(Problem(at(key), f"unknown field {key!r}{did_you_mean(key, FIELDS)}"))
    for key in ("title", "base_url"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(Problem(at(key), f"missing required field {key!r}"))
    url = (base_url if base_url is not None else data.get("base_url") or "").strip()
    if (url or base_url is not None) and not BASE_URL.match(url):  # `--base-url ""` too: it names no address
        where = Src("--base-url", 0) if base_url is not None else at("base_url")
        problems.append(Problem(where, f"base_url must be an absolute http(s) URL: {url!r}"))
    output_dir = data.get("output_dir", "_site")
    if not isinstance(output_dir, str) or not output_dir.strip():
        problems.append(Problem(at("output_dir"), "output_dir must name a folder of its own, such as '_site'"))
    else:
        found = output_problem(root / output_dir, root, at("output_dir"), existing=False)
        problems += [found] if found else []
    domain = data.get("custom_domain", "")
    if domain and (not isinstance(domain, str) or not HOSTNAME.match(domain)):
        problems.append(Problem(at("custom_domain"), f"custom_domain must be a host name such as "
                                                     f"'cekfakta.example.org': {str(domain)[:80]!r}"))
    verdicts = _load_verdicts(data.get("verdicts", []), at, problems)
    language = str(data.get("language", "en"))
    if not LANGUAGE.match(language):
        problems.append(Problem(at("language"), f"language must be a BCP 47 tag such as 'id' or 'en-GB': "
                                                f"{language[:40]!r}"))
        language = "en"
    strings = _load_strings(root, language, problems)
    overrides = data.get("strings", {})
    if not isinstance(overrides, dict):
        problems.append(Problem(at("strings"), "[strings] must be a table of UI text"))
        overrides = {}
    for key in sorted(set(overrides) - set(strings)):
        problems.append(Problem(at(key), f"unknown UI string {key!r}{did_you_mean(key, strings)}"))
    desk = _transparency(data, at, problems)
    topics = data.get("topics", {})
    if not isinstance(topics, dict) or not all(isinstance(v, str) and v.strip() for v in topics.values()):
        problems.append(Problem(at("topics"), '[topics] must map each topic\'s SLUG to its name: sanksi = "Sanksi"'))
        topics = {}
    for key in sorted(k for k in topics if not SLUG.match(k)):
        problems.append(Problem(at(key), f"topic {key!r} in [topics] is not a valid SLUG: use lowercase letters, "
                                         "digits and hyphens"))
    check, media = _check_table(data.get("check", {}), at, problems), _media_table(data.get("media", {}), at, problems)
    if problems:
        raise SiteError(problems)
    from .model import Config
    return Config(
        title=data["title"].strip(), description=str(data.get("description", "")).strip(),
        base_url=url.rstrip("/") + "/", language=language,
        output_dir=str(output_dir), author=str(data.get("author") or data["title"]).strip(),
        trusted_html=bool(data.get("trusted_html", False)), custom_domain=str(data.get("custom_domain", "")),
        verdicts=verdicts, strings={**strings, **overrides}, src=Src(name, 1),
        topics={k: v.strip() for k, v in topics.items()}, **desk,
        lines={key: _line_of(text, key, None) for key in data if not isinstance(data[key], list)},
        require_archive=check.get("require_archive", False), media=media)


def _check_table(table, at, problems: list[Problem]) -> dict:
    """[check]: `require_archive = true` makes a source's url without archive_url an error."""
    if not isinstance(table, dict):
        problems.append(Problem(at("check"), "[check] must be a table of settings"))
        return {}
    for key in sorted(set(table) - {"require_archive"}):
        problems.append(Problem(at(key), f"unknown field {key!r} in [check]{did_you_mean(key, {'require_archive'})}"))
    if not isinstance(table.get("require_archive", False), bool):
        problems.append(Problem(at("require_archive"), "require_archive must be true or false"))
        return {}
    return table


def _media_table(table, at, problems: list[Problem]) -> dict:
    """[media]: `widths` an image is served in, the `blur` radius, `regions` to blur ("media/F" = [[x, y, w, h]]), and
    the weight budgets in kB (`budget_kb` for one image, `page_budget_kb` for a page's images)."""
    known = {"widths", "blur", "regions", "budget_kb", "page_budget_kb"}
    if not isinstance(table, dict):
        problems.append(Problem(at("media"), "[media] must be a table of settings"))
        return {}
    for key in sorted(set(table) - known):
        problems.append(Problem(at(key), f"unknown field {key!r} in [media]{did_you_mean(key, known)}"))
    out: dict = {}
    widths = table.get("widths", [480, 960, 1440])
    if not isinstance(widths, list) or not widths or not all(type(w) is int and 16 <= w <= 8192 for w in widths):
        problems.append(Problem(at("widths"), "widths must be a list of widths in pixels, like [480, 960, 1440]"))
    else:
        out["widths"] = tuple(sorted(set(widths)))
    blur = table.get("blur", 16)
    if type(blur) is not int or not 1 <= blur <= 200:
        problems.append(Problem(at("blur"), "blur must be a radius in pixels, from 1 to 200"))
    else:
        out["blur"] = blur
    for key, default in (("budget_kb", 200), ("page_budget_kb", 500)):
        value = table.get(key, default)
        if type(value) is not int or not 1 <= value <= 100_000:
            problems.append(Problem(at(key), f"{key} must be a weight in kB, such as {default}"))
        else:
            out[key] = value
    regions = table.get("regions", {})
    if not isinstance(regions, dict) or not all(_boxes(v) for v in regions.values()):
        problems.append(Problem(at("regions"), '[media.regions] maps an image to the boxes to blur: '
                                               '"media/post.png" = [[x, y, width, height]]'))
    else:
        out["regions"] = {k: tuple(tuple(b) for b in v) for k, v in regions.items()}
        out["regions_line"] = next((src.line for src in (at("media.regions"), at("regions")) if src.line > 1), 1)
    return out


def _boxes(value) -> bool:
    """Whether `value` is a list of [x, y, width, height] boxes in pixels."""
    return isinstance(value, list) and all(isinstance(b, list) and len(b) == 4 and all(type(n) is int and n >= 0
                                                                                        for n in b) for b in value)


def _transparency(data: dict, at, problems: list[Problem]) -> dict[str, str]:
    """`notice`, `contact` (an email address or an http(s) URL) and `repository` (an http(s) URL), checked."""
    found = {}
    for key in ("notice", "contact", "repository"):
        value = data.get(key, "")
        if not isinstance(value, str):
            problems.append(Problem(at(key), f"{key} must be text, in quotes"))
            continue
        value = value.strip()
        if key == "contact" and value[:7].lower() == "mailto:":
            value = value[7:]
        shown = repr(value if len(value) <= 80 else value[:77] + "...")
        if key == "contact" and value and not (URL.match(value) or EMAIL.match(value)):
            problems.append(Problem(at(key), f"contact must be an email address or an http(s) URL: {shown}"))
        elif key == "repository" and value and not URL.match(value):
            problems.append(Problem(at(key), f"repository must be an http(s) URL: {shown}"))
        else:
            found[key] = value
    return found


def _load_verdicts(items, at, problems: list[Problem]) -> tuple[Verdict, ...]:
    from .model import Verdict
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        problems.append(Problem(at("verdicts"), "verdicts must be an array of tables: [[verdicts]]"))
        return ()
    verdicts, seen = [], set()
    for n, item in enumerate(items):
        src = at("verdicts", n)
        for key in sorted(set(item) - VERDICT_FIELDS):
            problems.append(Problem(src, f"unknown field {key!r} in [[verdicts]]{did_you_mean(key, VERDICT_FIELDS)}"))
        key, label, rating = item.get("key"), item.get("label"), item.get("rating")
        if not isinstance(key, str) or not SLUG.match(key):
            problems.append(Problem(src, f"verdict key must be lowercase letters, digits and hyphens: {key!r}"))
            continue
        if key in seen:
            problems.append(Problem(src, f"two verdicts have the key {key!r}"))
        if not isinstance(label, str) or not label:
            problems.append(Problem(src, f"verdict {key!r} lacks a label"))
        if not isinstance(rating, int) or isinstance(rating, bool):
            problems.append(Problem(src, f"verdict {key!r} needs a whole-number rating"))
            continue
        seen.add(key)
        verdicts.append(Verdict(key, str(label), rating, str(item.get("description", "")), src))
    return tuple(verdicts)


def _load_strings(root: Path, language: str, problems: list[Problem]) -> dict:
    """The theme's UI text: English as the base, the site language's file over it."""
    strings: dict = {}
    for lang in dict.fromkeys(["en", language.split("-")[0], language]):
        for d in reversed(theme_dirs(root, "templates")):
            f = d / "strings" / f"{lang}.toml"
            if f.is_file():  # the site's own read as any of its files: never through a link out of templates/
                own = d == root / "templates"
                text, problem = read_text(f, f"templates/strings/{lang}.toml" if own else _rel(f, root),
                                          inside=root if own else None)
                try:
                    if problem:
                        raise SiteError([problem])
                    strings.update(_parse_toml(text, _rel(f, root)))
                except SiteError as e:
                    problems += e.problems
    return strings


def _parse_toml(text: str, name: str) -> dict:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"at line (\d+)", str(e))  # else "at end of document": the last line written
        line = int(m.group(1)) if m else len(text.rstrip().splitlines())
        raise SiteError([Problem(Src(name, line), f"malformed TOML: {e}")]) from None
    except ValueError as e:  # an integer of thousands of digits (1_000_…, too), which Python refuses to convert
        lines = text.splitlines(keepends=True)  # its line: the first up to which the text is refused
        line = next(n for n, _ in enumerate(lines, 1) if _refused("".join(lines[:n])))
        raise SiteError([Problem(Src(name, line), f"malformed TOML: {str(e).split(';')[0]}")]) from None
    escaped = _escaped_controls(data, text, name)
    if escaped:
        raise SiteError(escaped)
    if _unshowable(data):  # read (0xfff…, 0o7…), but no message could show it: Python refuses such a number as text
        at = re.search(r"(?:0[xob])?[0-9a-fA-F_]{1000}", text)  # in any radix, it is written in 1000 digits or more
        raise SiteError([Problem(Src(name, text.count("\n", 0, at.start()) + 1),
                                 "malformed TOML: a number of thousands of digits")])
    return data


TOML_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[bfr])")  # those that can write a control character


def _escaped_controls(data: dict, text: str, name: str) -> list[Problem]:
    """The control characters escapes put in values (`"\\u001b"`; the text itself holds none: `read_text`), at the
    line of each such escape."""
    values = list(_strings(data))
    if not any(CONTROL.search(v) for v in values):
        return []
    problems = []
    for n, line in enumerate(text.splitlines(), 1):
        for m in TOML_ESCAPE.finditer(line):
            c = {"\\b": "\b", "\\f": "\f", "\\r": "\r"}.get(m.group()) or chr(min(int(m.group()[2:], 16), 0x10ffff))
            if CONTROL.match(c):
                problems += control_problems(c, name, n, f" in a value, written as {m.group()}")
                break
    first = next(CONTROL.search(v).group() for v in values if CONTROL.search(v))
    return problems or control_problems(first, name, 1, " in a value")


def _strings(value):
    """Every text in a TOML value, keys included."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def _unshowable(value) -> bool:
    """Whether a value holds a number Python refuses to write in decimal (more than 4 300 digits)."""
    if isinstance(value, dict):
        return any(map(_unshowable, value.values()))
    if isinstance(value, list):
        return any(map(_unshowable, value))
    if isinstance(value, int):
        try:
            str(value)
        except ValueError:
            return True
    return False


def _refused(text: str) -> bool:
    """Whether Python refuses a value in this beginning of a TOML file (cut short, it may be malformed TOML)."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    except ValueError:
        return True
    return False


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _line_of(text: str, key: str, nth_table: int | None) -> int:
    """The line where `key =` (or the nth `[[key]]`, else `key = [` of an inline array) stands; 1 when it cannot be
    found."""
    lines = text.splitlines()
    if nth_table is not None:
        heads = [i for i, line in enumerate(lines, 1) if re.match(rf"\s*\[\[\s*{re.escape(key)}\s*\]\]", line)]
        return heads[nth_table] if nth_table < len(heads) else _line_of(text, key, None)
    name = rf"(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')"  # bare, or quoted ("Sanksi Baru" = …)
    for i, line in enumerate(lines, 1):
        if re.match(rf"\s*{name}\s*=|\s*\[\s*{name}\s*\]", line):
            return i
    return 1
