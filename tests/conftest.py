"""Test helpers: write a site into tmp_path from a dict of files, build it, read its pages, run the contract."""
from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
SHARED_CONTRACT = REPO.parent / "shared" / "checks" / "contract_check.py"
# The shared contract is the judge; a copy keeps the tests whole in a fork without ../shared.
CONTRACT = SHARED_CONTRACT if SHARED_CONTRACT.is_file() else Path(__file__).with_name("contract_check_copy.py")

SITE_TOML = """\
title = "Cek Klaim Uji"
description = "Situs uji."
base_url = "https://newsroom.github.io/cek/"
language = "id"

[[verdicts]]
key = "benar"
label = "Benar"
rating = 3
description = "Akurat."

[[verdicts]]
key = "belum-terbukti"
label = "Belum terbukti"
rating = 2

[[verdicts]]
key = "salah"
label = "Salah"
rating = 1
"""

# The base site's files that tests most often change, by the names every test file gives them.
ARTICLE = "content/articles/putin-di-pyongyang.md"
SULLIVAN = "content/articles/sullivan-mendesak-kim.md"
CLAIM = "content/claims/korea-utara-memasok-senjata.md"
SANKSI = "content/claims/sanksi-dilanggar.md"

# A small realistic site: two outlets, a government with two members, two claims, two articles.
BASE = {
    "site.toml": SITE_TOML,
    "content/outlets/tribunnews.yaml": "name: Tribunnews\nurl: https://www.tribunnews.com\ncountry: ID\n",
    "content/outlets/antara.yaml": "name: ANTARA\nurl: https://www.antaranews.com\ncountry: ID\n",
    "content/actors/amerika-serikat.yaml": "name: Amerika Serikat\nkind: government\naliases: [AS]\n",
    "content/actors/antony-blinken.yaml": (
        "name: Antony Blinken\nkind: person\nrole: Menteri Luar Negeri AS\naffiliation: amerika-serikat\n"
        "aliases: [Anthony Blinken, Blinken]\n"),
    "content/actors/jake-sullivan.yaml": "name: Jake Sullivan\nkind: person\naffiliation: amerika-serikat\n",
    "content/actors/korea-utara.yaml": "name: Korea Utara\nkind: government\n",
    "content/actors/rusia.yaml": "name: Rusia\nkind: government\n",
    "content/claims/korea-utara-memasok-senjata.md": """\
---
title: Korea Utara memasok senjata ke Rusia
verdict: belum-terbukti
reviewed: 2024-06-20
summary: Dituduh AS, dibantah Pyongyang dan Moskow.
topics: [senjata]
related: [sanksi-dilanggar]
---
Blinken [menyatakannya](/articles/putin-di-pyongyang/#blinken-amunisi), tetapi kedua negara membantah.
""",
    "content/claims/sanksi-dilanggar.md": "---\ntitle: Transfer senjata melanggar sanksi PBB\n---\n"
                                          "Artikel yang diperiksa hanya menyebut tuduhan itu.\n",
    "content/articles/putin-di-pyongyang.md": """\
---
title: Putin dan Kim bertemu di Pyongyang
outlet: tribunnews
published: 2024-06-19
authors: [Tiara Shelavy]
annotations:
  - claim: korea-utara-memasok-senjata
    quote: "Korea Utara memasok sejumlah besar amunisi dan senjata lainnya ke Rusia"
    asserts: [antony-blinken]
    id: blinken-amunisi
  - claim: korea-utara-memasok-senjata
    quote: Baik Pyongyang maupun Moskow membantah klaim
    denies: [korea-utara, rusia]
  - claim: sanksi-dilanggar
    quote: transfer senjata Korea Utara akan melanggar beberapa sanksi
---
Presiden Rusia Vladimir Putin dan pemimpin Korea Utara Kim Jong Un bertemu hari ini.

Baik Pyongyang maupun Moskow membantah klaim bahwa transfer senjata Korea Utara akan melanggar beberapa sanksi
Dewan Keamanan PBB.

“Korea Utara memasok sejumlah besar amunisi dan senjata lainnya ke Rusia untuk digunakan di Ukraina,” kata Blinken.
""",
    "content/articles/sullivan-mendesak-kim.md": """\
---
title: Sullivan mendesak Kim
outlet: antara
published: 2023-09
annotations:
  - claim: korea-utara-memasok-senjata
    quote: agar tidak memasok senjata ke Rusia
    asserts: [jake-sullivan]
---
Jake Sullivan mendesak Kim "agar tidak memasok senjata ke Rusia yang pada akhirnya akan membunuh warga Ukraina".
""",
}


def make_site(root: Path, files: dict[str, str | None], base: dict[str, str] | None = BASE) -> Path:
    """Write `base` overlaid with `files` (None deletes a base file) under root; return root."""
    merged = {**(base or {}), **files}
    for name, text in merged.items():
        if text is None:
            continue
        f = root / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(textwrap.dedent(text) if text.startswith("\n") else text, "utf-8")
    return root


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    if REPO.name == "mutants":  # under mutmut (its copy of the project): here, so the mutant runs
        with contextlib.chdir(cwd or Path.cwd()):  # `check --since` reads the git repository it runs in
            return _run_cli_here(args)
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd or REPO, env=here_first(),
                          capture_output=True, text=True, timeout=300)


def here_first() -> dict:
    """The environment for a `python -m generator` run from any folder: this checkout's `generator` first on the
    path. Run from a site's folder, Python would import the one the venv's editable install names, that of
    another checkout (a scratch copy with a bug planted, say), and the test would check the wrong code."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def _run_cli_here(args) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` run in this process: what mutation testing sees (a subprocess runs no mutant)."""
    import importlib

    from generator import cli
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        cli = importlib.reload(cli)  # its defaults (out=sys.stderr) are bound when it is loaded: to these buffers
        code = cli.main(list(args))
    return subprocess.CompletedProcess(["generator", *args], code, out.getvalue(), err.getvalue())


def build_here(root: Path, out: Path | None = None, **kwargs):
    """build() in this process (fast, and seen by mutation testing); the Site it returns."""
    from generator.build import build
    return build(root, out or root / "_site", jobs=kwargs.pop("jobs", 1), **kwargs)


def linked_site(root: Path, base_url: str | None = None):
    """The linked Site of the site at root, without rendering anything (raises SiteError like a build)."""
    from generator.config import load_config
    from generator.link import link_site
    from generator.load import load_content
    config = load_config(root, base_url)
    return link_site(load_content(root, config, jobs=1), config)


def problems_of(root: Path) -> list[str]:
    """Every problem a build of root reports, as the lines the terminal shows ([] when it builds)."""
    from generator.errors import SiteError
    try:
        linked_site(root)
    except SiteError as e:
        return [str(p) for p in e.problems]
    return []


def build_ok(root: Path, *extra: str) -> Path:
    """Build the site at root (into root/_site) and fail with its report when it does not build."""
    result = run_cli("build", "--site", str(root), *extra)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return root / "_site"


def leftovers(out: Path, keep: tuple[Path, ...] = ()) -> list[str]:
    """The folders beside the output `out` that its builds made (`.NAME.new-…`, `.NAME.old-…`) and that are still
    there once the old outputs, removed in the background after each build, had 20 s to go."""
    def left() -> list[str]:
        return sorted(p.name for p in out.parent.glob(f".{out.name}.*") if p not in keep)

    deadline = time.monotonic() + 20
    while left() and time.monotonic() < deadline:
        time.sleep(0.05)
    return left()


def beside(out: Path) -> list[str]:
    """What lies next to the output folder `out` once the old output, removed in the background, is gone (20 s at
    most): the names of everything else in its parent."""
    leftovers(out)
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


def contract(root: Path, out: Path | None = None) -> str:
    """Run the shared contract check; return its output, asserting nothing failed."""
    result = subprocess.run([sys.executable, str(CONTRACT), "--site", str(root), "--out", str(out or root / "_site")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stdout.strip().endswith(" 0 failed"), result.stdout
    return result.stdout


def page(out: Path, path: str) -> BeautifulSoup:
    f = out / path / "index.html" if path == "" or path.endswith("/") else out / path
    return BeautifulSoup(f.read_text("utf-8"), "html.parser")


def forked_helpers_fail(monkeypatch) -> None:
    """Every helper process the build forks for an answer (`pool.Forked`) fails to send it: its value cannot be
    marshalled there (the build's own process still reads answers as ever), so the build does that work itself."""
    import marshal

    from generator import pool
    monkeypatch.setattr(pool, "marshal", type("Broken", (), {"dumps": None, "loads": marshal.loads}))


TOO_DEEP = "*" * 3000 + "deep" + "*" * 3000  # a text Python-Markdown gives up on; how deep that is depends on its version


@pytest.fixture
def markdown_gives_up(monkeypatch):
    """Python-Markdown gives up (RecursionError) on any text holding TOO_DEEP's word, as it does on text nested
    deeper than its version takes: the tests then state what a user sees, whatever version is installed."""
    import markdown
    convert = markdown.Markdown.convert

    def give_up(self, source):
        if "deep" in source and "*" * 100 in source:
            raise RecursionError("maximum recursion depth exceeded")
        return convert(self, source)
    monkeypatch.setattr(markdown.Markdown, "convert", give_up)
    return TOO_DEEP


@pytest.fixture(scope="session")
def aliased(tmp_path_factory) -> Path:
    """The base site built once, its second claim also reachable at an old name (`aliases: [sanksi-lama]`)."""
    root = make_site(tmp_path_factory.mktemp("aliased") / "site", {
        SANKSI: "---\ntitle: Transfer senjata melanggar sanksi PBB\naliases: [sanksi-lama]\n---\n"})
    build_here(root)
    return root / "_site"


@pytest.fixture(scope="session")
def example(tmp_path_factory) -> Path:
    """The example site (the repository's own content/) built once, as the validators read it."""
    out = tmp_path_factory.mktemp("example") / "_site"
    result = run_cli("build", "--site", str(REPO), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def served(site):
    """The base site and a preview server run on it as a user runs it (stopped after the test)."""
    from browser import Served
    root = site()
    server = Served(root)
    yield root, server
    if server.proc.poll() is None:
        server.stop()


@pytest.fixture
def site(tmp_path):
    """A writable copy of the realistic base site; call it with overrides."""
    return lambda files=None, base=BASE: make_site(tmp_path / "site", files or {}, base)


BROWSER_HELPERS = {"chromium", "linkcheck", "Served", "served_at"}


def pytest_collection_modifyitems(config, items):
    """Mark `browser` the tests that drive Chromium, a link checker or the preview server: `-m "not browser"`
    leaves the fast tests, which `./dev mutate` runs. `./dev mutate` also leaves out (MUTATE_DESELECT, a file of
    test ids) the tests that already fail on the unmutated code: they show real bugs, and mutmut needs a green start.
    With MUTATE_TESTS (test files, space-separated: a module's own selection, `[tool.mutate.tests]`), only those run."""
    for item in items:
        fn = getattr(item, "function", None)
        names = set(getattr(getattr(fn, "__code__", None), "co_names", ())) | set(getattr(item, "fixturenames", ()))
        if names & BROWSER_HELPERS or "served" in names or "pages_server" in names:
            item.add_marker(pytest.mark.browser)
    only = set(os.environ.get("MUTATE_TESTS", "").split())
    if only:
        gone = [item for item in items if item.nodeid.split("::")[0] not in only]
        if gone:
            config.hook.pytest_deselected(items=gone)
            items[:] = [item for item in items if item.nodeid.split("::")[0] in only]
    listed = os.environ.get("MUTATE_DESELECT")
    if listed and Path(listed).is_file():
        known = {json.loads(line) for line in Path(listed).read_text("utf-8").splitlines() if line.strip()}
        gone = [item for item in items if item.nodeid in known]
        if gone:
            config.hook.pytest_deselected(items=gone)
            items[:] = [item for item in items if item.nodeid not in known]


def pytest_runtest_logreport(report):
    """With MUTATE_RECORD=FILE, note each failing test's id (one JSON string a line): `./dev mutate` leaves them out."""
    path = os.environ.get("MUTATE_RECORD")
    if path and report.failed:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(report.nodeid) + "\n")


# Property tests (Hypothesis) are deterministic in CI: the same examples every run, none remembered between runs.
# `--hypothesis-profile=long` runs ten times as many, with fresh ones each time (sitechanges.examples scales the
# state machines' counts by it): `pytest --hypothesis-profile=long tests/test_differential.py`.
from hypothesis import settings as _hypothesis  # noqa: E402

_hypothesis.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
_hypothesis.register_profile("long", max_examples=1000, deadline=None, print_blob=True)
_hypothesis.register_profile("mutate", max_examples=20, derandomize=True, database=None, deadline=None)  # ./dev mutate
_hypothesis.load_profile("ci")
