"""Random changes to a small site, for the differential tests: a Hypothesis state machine that edits every kind
of input a build reads (each content kind and field, free and menu pages, drafts, a template other templates
include, static files, site.toml) and says after each step what the fast path must equal.

`SiteChanges` holds the site and its rules; a test subclasses it with an `invariant` comparing its fast path
(a warm build, the preview) with the slow one (a cold build). The number of examples follows the Hypothesis
profile (`--hypothesis-profile=long` runs ten times as many).
"""
from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from conftest import BASE, REPO, make_site

ARTICLE = "content/articles/putin-di-pyongyang.md"
SULLIVAN = "content/articles/sullivan-mendesak-kim.md"
CLAIM = "content/claims/korea-utara-memasok-senjata.md"
SANKSI = "content/claims/sanksi-dilanggar.md"
ACTOR = "content/actors/jake-sullivan.yaml"
BLINKEN = "content/actors/antony-blinken.yaml"
GROUP = "content/actors/amerika-serikat.yaml"  # the camp of Sullivan's and Blinken's stances on a claim's page
OUTLET = "content/outlets/antara.yaml"
PAGE = "content/pages/tentang.md"
METODE = "content/pages/metode.md"
NEW_CLAIM = "content/claims/klaim-baru.md"
NEW_PASSAGE = "  - claim: sanksi-dilanggar\n    quote: akan membunuh warga Ukraina\n    asserts: [jake-sullivan]\n"
INCLUDED = "templates/_search_box.html"  # included by base.html, which every page extends
MACROS = "templates/_macros.html"  # imported by most templates
CSS = "static/css/extra.css"

EXTRA = {
    PAGE: "---\ntitle: Tentang kami\nmenu: 1\n---\nKami memeriksa klaim.\n",
    METODE: "---\ntitle: Metode\n---\nCara kami bekerja.\n",
    CSS: "body { color: black }\n",
    # drafts from the start: --drafts alone changes the output
    "content/pages/rahasia.md": "---\ntitle: Rencana liputan\ndraft: true\n---\nBelum terbit.\n",
    "content/actors/sumber-anonim.yaml": "name: Sumber Anonim\nkind: person\ndraft: true\n",
}

WORDS = ["Jakarta", "Senin", "kata", "Blinken", "sanksi", "amunisi", "Ukraina", "pernyataan", "pejabat", "resmi"]
word = st.sampled_from(WORDS)
phrase = st.lists(word, min_size=1, max_size=4).map(" ".join)
VERDICTS = ["salah", "benar", "belum-terbukti"]


def examples(n: int) -> int:
    """n examples under the default profile (100 examples a test), proportionally more under a longer one."""
    return max(1, n * settings().max_examples // 100)


def machine_settings(n: int, steps: int) -> settings:
    return settings(max_examples=examples(n), stateful_step_count=steps, deadline=None)


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def differing(got: dict[str, bytes], want: dict[str, bytes]) -> list[str]:
    """The output files that are not the same in both: missing, extra or with other bytes."""
    return sorted({name for name in got.keys() | want.keys() if got.get(name) != want.get(name)})


def set_field(text: str, name: str, value: str | None) -> str:
    """`text` (a .md's front matter or a YAML file) with the top-level field `name` set to `value` (None: removed)."""
    front = text.startswith("---\n")
    head, sep, body = text[4:].partition("\n---\n") if front else (text, "", "")
    lines = [line for line in head.splitlines() if not line.startswith(f"{name}:")]
    if value is not None:
        lines.insert(1, f"{name}: {value}")
    head = "\n".join(lines) + "\n"
    return f"---\n{head}---\n{body}" if front else head


_COMPILED: dict = {}


def compile_once(undo: list) -> None:
    """Jinja compiles each template source once in this process (two thirds of a small cold build's time): the
    same Python code for the same source, whichever build asks. Keyed by the source itself, it cannot serve a
    template that changed; every environment the generator makes compiles alike (`templating.make_env`)."""
    import jinja2
    compile = jinja2.Environment.compile

    def once(env, source, name=None, filename=None, raw=False, defer_init=False):
        key = (source, name, filename, raw, defer_init, env.autoescape if not callable(env.autoescape) else "f")
        if key not in _COMPILED:
            _COMPILED[key] = compile(env, source, name, filename, raw, defer_init)
        return _COMPILED[key]

    jinja2.Environment.compile = once
    undo.append(lambda: setattr(jinja2.Environment, "compile", compile))


class SiteChanges(RuleBasedStateMachine):
    """A small site in a temporary folder and the changes a newsroom makes to it; `base_url` and `drafts` are the
    flags of the next build, `version` the generator's (bumped by `new_generator_version`)."""

    def __init__(self):
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="difftest-"))
        self.root = make_site(self.tmp / "site", EXTRA)
        for name in (INCLUDED, MACROS):
            (self.root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / name, self.root / name)
        self.base_url: str | None = None
        self.drafts = False
        self.version = 0
        self.steps: list[str] = []  # what was done, for the failure message
        self.changed: set[str] = set()  # the files written since the last check (as a watcher says)
        self._undo: list = []
        compile_once(self._undo)

    def teardown(self):
        for undo in reversed(self._undo):
            undo()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers -----------------------------------------------------------
    def read(self, name: str) -> str:
        return (self.root / name).read_text("utf-8")

    def write(self, name: str, text: str | None) -> None:
        path = self.root / name
        self.steps.append(f"{name}: {'deleted' if text is None else text[:80]!r}")
        self.changed.add(name)
        if text is None:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")

    def field(self, name: str, field: str, value: str | None) -> None:
        if (self.root / name).is_file():
            self.write(name, set_field(self.read(name), field, value))

    def saved(self) -> str:
        return "after: " + "; ".join(self.steps)

    # -- content -------------------------------------------------------------
    @rule(name=st.sampled_from([ARTICLE, SULLIVAN]), text=phrase)
    def article_text(self, name, text):
        if (self.root / name).is_file():
            self.write(name, self.read(name) + f"\n{text} di Jakarta.\n")

    @rule(text=phrase)
    def text_beside_a_passage(self, text):
        """Words just after a passage (its selector's suffix) change, the passage does not."""
        self.write(ARTICLE, self.read(ARTICLE).replace("Dewan Keamanan PBB", f"Dewan Keamanan PBB {text}", 1))

    @rule(name=st.sampled_from([ARTICLE, SULLIVAN]), change=st.sampled_from([
        ("title", "Judul baru"), ("published", "2024-06-21"), ("authors", "[Ani, Budi]"),
        ("url", "https://example.com/berita"), ("note", "Diperbarui."), ("outlet", "antara")]))
    def article_field(self, name, change):
        self.field(name, *change)

    @rule(denies=st.sampled_from(["[korea-utara]", "[rusia, korea-utara]", "[korea-utara, rusia]"]))
    def annotation_actors(self, denies):
        """The actors of a passage change (its stance stays)."""
        text = self.read(ARTICLE)
        start = text.index("    denies: [")
        self.write(ARTICLE, text[:start] + f"    denies: {denies}" + text[text.index("\n", start):])

    @rule(there=st.booleans())
    def annotation_comes_and_goes(self, there):
        """A passage of another claim added to an article, or removed."""
        if (self.root / SULLIVAN).is_file():
            text = self.read(SULLIVAN).replace(NEW_PASSAGE, "")
            self.write(SULLIVAN, text.replace("annotations:\n", "annotations:\n" + NEW_PASSAGE, 1) if there else text)

    @rule(there=st.booleans(), verdict=st.sampled_from(VERDICTS))
    def claim_comes_and_goes(self, there, verdict):
        self.write(NEW_CLAIM, f"---\ntitle: Klaim baru\nverdict: {verdict}\n---\nIsi.\n" if there else None)

    @rule(verdict=st.sampled_from(VERDICTS))
    def claim_verdict(self, verdict):
        self.field(CLAIM, "verdict", verdict)

    @rule(title=phrase, name=st.sampled_from([CLAIM, SANKSI]))
    def claim_title(self, title, name):
        self.field(name, "title", f"Klaim {title}")

    @rule(summary=phrase)
    def claim_summary(self, summary):
        self.field(CLAIM, "summary", summary)

    @rule(topics=st.sampled_from(["[senjata, diplomasi]", "[diplomasi]", "[senjata]"]))
    def claim_topics(self, topics):
        self.field(CLAIM, "topics", topics)

    @rule(name=st.sampled_from([PAGE, METODE, SANKSI, ACTOR, OUTLET, ARTICLE, SULLIVAN]), on=st.sampled_from([True, False]))
    def draft(self, name, on):
        self.field(name, "draft", "true" if on else None)

    @rule(name=st.sampled_from([ACTOR, BLINKEN]), field=st.sampled_from(["name", "role"]), value=phrase)
    def actor_field(self, name, field, value):
        self.field(name, field, f"Pejabat {value}")

    @rule(value=phrase)
    def group_name(self, value):
        self.field(GROUP, "name", f"Negara {value}")

    @rule(affiliation=st.sampled_from(["rusia", None, "amerika-serikat"]))
    def actor_affiliation(self, affiliation):
        self.field(ACTOR, "affiliation", affiliation)

    @rule(value=phrase)
    def outlet_name(self, value):
        self.field(OUTLET, "name", f"Antara {value}")

    @rule(name=st.sampled_from([PAGE, METODE]), menu=st.sampled_from(["2", None, "1"]))
    def page_menu(self, name, menu):
        self.field(name, "menu", menu)

    @rule(name=st.sampled_from([PAGE, METODE]), title=phrase)
    def page_title(self, name, title):
        self.field(name, "title", f"Halaman {title}")

    @rule(name=st.sampled_from([METODE, PAGE, SULLIVAN]), there=st.booleans())
    def file_comes_and_goes(self, name, there):
        """A content file deleted, or written back as it was."""
        if there and name == SULLIVAN:
            self.write(name, BASE[name])
        elif there:
            self.write(name, EXTRA[name])
        else:
            self.write(name, None)

    @rule(name=st.sampled_from([PAGE, METODE]), renamed=st.sampled_from([True, False]))
    def content_file_renamed(self, name, renamed):
        """A file renamed (`NAME-baru`: its address changes, its title stays), or given its name back."""
        new = name.replace(".md", "-baru.md")
        was, now = (name, new) if renamed else (new, name)
        if (self.root / was).is_file() and not (self.root / now).is_file():
            text = self.read(was)
            self.write(was, None)
            self.write(now, text)

    # -- theme and settings ---------------------------------------------------
    @rule(name=st.sampled_from([INCLUDED, MACROS]), mark=word)
    def included_template(self, name, mark):
        """A template that others include or import, edited (the theme's, copied into the site, where the site's
        own copy was deleted): every page that uses it changes."""
        text = self.read(name) if (self.root / name).is_file() else (REPO / name).read_text("utf-8")
        if name == INCLUDED:
            text = text.replace('role="search"', f'role="search" data-mark="{mark}"', 1) if "data-mark" not in text \
                else text.replace('data-mark="', f'data-mark="{mark}-', 1)
        else:
            text = text.replace("{% macro", f"{{# {mark} #}}{{% macro", 1) + f"{{# {mark} #}}\n"
        self.write(name, text)

    @rule(name=st.sampled_from([INCLUDED, MACROS]), there=st.booleans())
    def template_comes_and_goes(self, name, there):
        """The site's own copy of an included template deleted (the theme's is used again), or written back."""
        self.write(name, (REPO / name).read_text("utf-8") + "{# the site's own copy #}\n" if there else None)

    @rule(color=st.sampled_from(["red", None, "navy", "black"]))
    def static_file(self, color):
        self.write(CSS, None if color is None else f"body {{ color: {color} }}\n")

    @rule(color=st.sampled_from(["navy", None]), text=phrase, name=st.sampled_from([ARTICLE, INCLUDED, "site.toml"]))
    def static_file_with_another_change(self, color, text, name):
        """A `git pull` or a checkout: a static file and another file saved in one batch (the watcher reports
        them together), which must be rebuilt as if saved alone."""
        self.static_file(color)
        if name == ARTICLE:
            self.article_text(name, text)
        elif name == INCLUDED:
            self.included_template(name, text.split()[0])
        else:
            self.site_toml("title", text)

    @rule(field=st.sampled_from(["title", "description"]), value=phrase)
    def site_toml(self, field, value):
        text = self.read("site.toml")
        lines = [f'{field} = "Cek {value}"' if line.startswith(f"{field} = ") else line for line in text.splitlines()]
        self.write("site.toml", "\n".join(lines) + "\n")

    @rule(label=st.sampled_from(["Telusuri", "Cari klaim", None]))
    def ui_string(self, label):
        """A UI string every page shows, overridden in site.toml's [strings] (or the override removed)."""
        text = self.read("site.toml").split("\n[strings]\n")[0].rstrip("\n") + "\n"
        self.write("site.toml", text + (f'\n[strings]\nsearch = "{label}"\n' if label else ""))

    @rule(url=st.sampled_from(["https://cek.example.org/", None, "https://newsroom.github.io/lain/"]))
    def base_url_flag(self, url):
        self.steps.append(f"--base-url {url}")
        self.base_url = url

    @rule(on=st.sampled_from([True, False]))
    def drafts_flag(self, on):
        self.steps.append(f"--drafts {on}")
        self.drafts = on

    @rule()
    def new_generator_version(self):
        """A new version of the generator: its key (`generator_key`) changes, and so do the pages and the records
        it makes (a comment at the end of every page, of every body)."""
        import dataclasses
        import sys

        from generator import cache, load, render
        self.version += 1
        self.steps.append(f"generator version {self.version}")
        mark = f"<!-- v{self.version} -->"
        page, body, version = render.render_page, load._render, sys.version

        def render_page(env, p):
            text = page(env, p)
            return text + mark if isinstance(text, str) and text.lstrip().startswith("<") else text

        def render_body(*args, **kwargs):
            made = body(*args, **kwargs)
            return dataclasses.replace(made, html=made.html + mark)

        render.render_page, load._render = render_page, render_body
        sys.version = f"{version} (test version {self.version})"  # the one thing of the key a test may change
        cache.generator_key.cache_clear()

        def undo():
            render.render_page, load._render, sys.version = page, body, version
            cache.generator_key.cache_clear()
        self._undo.append(undo)


class SameFlagsAndGenerator:
    """Mixed into a machine whose two sides share the build's flags and the generator (a running preview, the two
    refs of a review): those changes are not changes there."""

    def base_url_flag(self, url):
        pass

    def drafts_flag(self, on):
        pass

    def new_generator_version(self):
        pass


@contextlib.contextmanager
def without_search():
    """Builds in the block make no search bundle (what neither a preview nor open data is compared on)."""
    from generator import build as pipeline
    index = pipeline.index_site
    pipeline.index_site = lambda *args: []
    try:
        yield
    finally:
        pipeline.index_site = index


def each_rule_once(machine_class: type[RuleBasedStateMachine]) -> None:
    """A fresh `machine_class`, checked, then every rule applied once, one after another (in the order of their
    names), each with the simplest value of its arguments (the first listed), calling `check` after each: every
    change alone; torn down whatever happens."""
    from hypothesis import find
    machine = machine_class()
    try:
        machine.check()
        for r in sorted(machine.rules, key=lambda r: r.function.__name__):
            r.function(machine, **{name: find(s, lambda _: True) for name, s in r.arguments.items()})
            machine.check()
    finally:
        machine.teardown()


__all__ = ["SiteChanges", "files", "differing", "each_rule_once", "machine_settings"]
