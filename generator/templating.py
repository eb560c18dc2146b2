"""Template folders and the site's Config → the jinja2 Environment every page renders in (its filters, its
globals, compiled templates kept in the build cache); a template's mistake → a Problem at its template's line.
"""
from __future__ import annotations

import html
import marshal
import re
import traceback
from pathlib import Path

import jinja2
import jinja2.bccache
import jinja2.ext
from jinja2 import nodes

from . import l10n, scale
from .annotate import NOTES
from .cache import Cache, Reads, digest, generator_key
from .errors import Problem, Src
from .model import Config
from .page import Page
from .source import CONTROL, char_name
from .urls import text_fragment

NOTES_DIV = re.compile(f'<div class="{NOTES}" data-passages="([^"]*)"></div>')


def same_as_label(url: str) -> str:
    """'Wikidata Q30' for a Wikidata item, else the link's host: never a bare identifier."""
    host = url.split("://", 1)[-1].split("/", 1)[0].removeprefix("www.")
    if host.endswith("wikidata.org"):
        return f"Wikidata {url.rstrip('/').rsplit('/', 1)[-1]}"
    if host.endswith("wikipedia.org"):
        return f"Wikipedia ({host.split('.')[0]})"
    return host


class TemplateCode(jinja2.BytecodeCache):
    """Compiled templates kept in the build cache (`template/`), signed and checked like any entry (code, so
    only a build with the user's key can have written one): a build that renders a few pages does not compile every template it uses again
    (~0.3 s). Keyed by the template's name, its source and the generator (Python's and Jinja's versions among it)."""

    def __init__(self, store: Cache):
        self.store = store

    def _key(self, bucket: jinja2.bccache.Bucket) -> str:
        return digest("template", generator_key(), bucket.key, bucket.checksum)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get("template", self._key(bucket))  # code: taken only as signed (cache.user_key)
        if isinstance(code, bytes):
            try:
                bucket.code = marshal.loads(code)
            except (EOFError, ValueError, TypeError):  # checked, so never expected: compiled again
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store.put("template", self._key(bucket), marshal.dumps(bucket.code))


class Once(jinja2.ext.Extension):
    """`{% once a, b %}…{% endonce %}`: the body rendered once per process for the same values (and the page's
    `root`), then given again as it was. For what thousands of pages repeat (a passage's card, a verdict badge):
    the body may use only these values, `root` and the globals (`site`, `t`), which a build never changes.

    Values are told apart as they are: a string or a number by its value, anything else (a frozen dataclass of
    the linked site) by its identity, kept alive by the memo so no other object takes its id. The words of
    articles the body read (`cache.Reads`) are noted again at each use, so a page's key still covers them."""

    tags = {"once"}

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        environment.extend(once_memo={})

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        values = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            values.append(parser.parse_expression())
        body = parser.parse_statements(("name:endonce",), drop_needle=True)
        where = nodes.Const(f"{parser.name}:{lineno}")
        root = nodes.Name("root", "load")
        return nodes.CallBlock(self.call_method("_once", [where, root, nodes.List(values)]), [], [], body
                               ).set_lineno(lineno)

    def _once(self, where: str, root: str, values: list, caller):
        memo = self.environment.once_memo
        if memo is None:  # the preview's: templates and objects change under it
            return caller()
        key = (where, root, *(v if type(v) in _PLAIN else id(v) for v in values))
        found = memo.get(key)
        if found is not None and all(a is b for a, b in zip(found[0], values) if type(b) not in _PLAIN):
            Reads.shown |= found[1]
            return found[2]
        before, Reads.shown = Reads.shown, set()
        try:
            made = caller()
        finally:
            read, Reads.shown = Reads.shown, before | Reads.shown
        memo[key] = (values, frozenset(read), made)
        return made


_PLAIN = (str, int, float, bool, type(None))


class TemplateFiles(jinja2.FileSystemLoader):
    """Templates with a control character refused at its line, as content is: feeds parse whatever the theme holds."""

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        if bad := CONTROL.search(source):
            raise jinja2.TemplateSyntaxError(f"control character {char_name(bad.group()[0])}: delete it",
                                             source.count("\n", 0, bad.start()) + 1, template, filename)
        return source, filename, uptodate


def make_env(template_dirs: list[Path], config: Config, menu: tuple = (), store=None) -> jinja2.Environment:
    """The templates' environment; with `store` (a cache.Cache with a folder), compiled templates are kept there."""
    env = jinja2.Environment(
        loader=TemplateFiles([str(d) for d in template_dirs]),
        bytecode_cache=TemplateCode(store) if store is not None and store.folder is not None else None,
        autoescape=jinja2.select_autoescape(("html", "xml")), undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, extensions=[Once],
        auto_reload=False)  # a build's templates do not change under it (the preview turns both back on)
    lang = l10n.language(config.language)  # dates, plurals, numbers, quotes: Babel/CLDR
    env.filters.update(date=lang.date, date_range=lang.date_range, plural=lang.plural, number=lang.number,
                       quote=lang.quote, same_as=same_as_label, country=lang.country)
    env.filters["text_fragment"] = text_fragment
    env.filters["balanced"] = l10n.balance_quotes  # a quote card: the quotation marks a passage cut through
    env.filters["without_notes"] = lambda body: NOTES_DIV.sub("", body)  # the article as published, for feeds
    # For HTML that a reader copies (the embed snippet): escaped here for the attribute it will sit in, and
    # escaped again by autoescape for the page that shows it, so a `"` in a title never closes the attribute.
    env.filters["snippet_attr"] = lambda value: html.escape(str(value), quote=True)
    steps = scale.verdict_steps(config.verdicts)
    env.filters["step"] = lambda verdict: steps[verdict.key] if verdict else None
    env.globals["scale"] = sorted(((v, steps[v.key]) for v in config.verdicts), key=lambda vs: vs[1].step)
    env.globals.update(site=config, t=config.strings, menu=menu)
    return env


def template_problem(error: Exception, page: Page, template_dirs: list[Path], root: Path) -> Problem:
    """A template mistake as PATH:LINE: message, pointing into the template, not at our code."""
    name, line = page.template, 1
    if isinstance(error, jinja2.TemplateSyntaxError) and error.name:
        name, line = error.name, error.lineno or 1
    else:
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename and frame.filename.endswith((".html", ".xml", ".txt")):
                name, line = Path(frame.filename).name, frame.lineno or 1
                for d in template_dirs:
                    if Path(frame.filename).resolve().is_relative_to(d.resolve()):
                        name = Path(frame.filename).resolve().relative_to(d.resolve()).as_posix()
                break
    where = next((d / name for d in template_dirs if (d / name).is_file()), Path("templates") / name)
    try:
        shown = where.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = where.as_posix()
    said = error.message if isinstance(error, jinja2.TemplateSyntaxError) else error  # its str adds the file again
    return Problem(Src(shown, line), f"template error while rendering {page.path or '/'}: {said}")
