"""The output swap (SPEC §5–§6): a build replaces the output whole, leaves nothing behind beside it, never touches
the last good output when it fails, and replaces only a folder it made itself."""
from __future__ import annotations

import os
import stat

import pytest

from conftest import ARTICLE, BASE, beside, leftovers, run_cli


def test_a_rebuild_replaces_the_output_and_leaves_no_copy_behind(site, tmp_path):
    root = site()
    out = tmp_path / "public"
    for _ in range(3):  # without the cache, which would find the output up to date and leave it as it is
        result = run_cli("build", "--site", str(root), "--out", str(out), "--no-cache")
        assert result.returncode == 0, result.stderr
    assert leftovers(out) == [] and beside(out) == ["site"], "no old or staging folder piles up beside the output"
    assert (out / "claims/korea-utara-memasok-senjata/index.html").is_file()
    assert stat.S_IMODE(out.stat().st_mode) & 0o055 == 0o055, "a web server may read the output"


def test_a_page_that_no_longer_exists_is_gone_after_the_rebuild(site):
    root = site()
    run_cli("build", "--site", str(root))
    (root / "content/claims/sanksi-dilanggar.md").write_text("---\ntitle: X\naliases: [lama]\n---\n", "utf-8")
    (root / "content/actors/jake-sullivan.yaml").unlink()
    (root / "content/articles/sullivan-mendesak-kim.md").unlink()
    result = run_cli("build", "--site", str(root))
    assert result.returncode == 0, result.stderr
    out = root / "_site"
    assert not (out / "actors/jake-sullivan").exists() and not (out / "articles/sullivan-mendesak-kim").exists()
    assert (out / "claims/lama/index.html").is_file()
    assert leftovers(out) == [], "no copy of the output left beside it"
    assert [p.name for p in root.iterdir() if "_site" in p.name] == ["_site"]


def test_a_failed_build_keeps_the_last_output_and_leaves_nothing_behind(site):
    root = site()
    out = root / "_site"
    assert run_cli("build", "--site", str(root)).returncode == 0
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / ARTICLE).write_text(BASE[ARTICLE].replace("outlet: tribunnews", "outlet: tribunews"), "utf-8")
    result = run_cli("build", "--site", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (root / ARTICLE).write_text(BASE[ARTICLE], "utf-8")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/outlet.html").write_text('{% extends "base.html" %}{% block content %}{{ outlet.nmae }}'
                                                '{% endblock %}', "utf-8")
    result = run_cli("build", "--site", str(root))
    assert result.returncode == 1 and "templates/outlet.html" in result.stderr, "a failure while writing pages"
    after = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert leftovers(out) == [], "the staging folder of the failed build is removed"


def test_the_output_is_readable_by_a_web_server_even_when_static_is_private(site):
    """A runner with umask 077 makes the site's folders private; the published output must still be readable."""
    root = site({"static/img/logo.svg": "<svg/>"})
    (root / "static").chmod(0o700)
    result = run_cli("build", "--site", str(root))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((root / "_site").stat().st_mode) & 0o055 == 0o055, "a web server may read the output"


def test_the_site_own_static_files_win_over_the_theme(site):
    root = site({"static/css/site.css": "body { color: red }\n", "static/img/logo.svg": "<svg/>"})
    run_cli("build", "--site", str(root))
    out = root / "_site"
    assert (out / "css/site.css").read_text("utf-8") == "body { color: red }\n"
    assert (out / "img/logo.svg").read_text("utf-8") == "<svg/>"
    assert any(out.joinpath("js").glob("*.js")), "the theme's other static files are still copied"


@pytest.mark.parametrize("where", ["site", "parent", "content", "templates", "static"])
def test_the_build_never_replaces_the_site_an_ancestor_or_its_sources(site, where):
    root = site({"templates/outlet.html": None} if where != "templates" else {})
    (root / "templates").mkdir(exist_ok=True)
    (root / "static").mkdir(exist_ok=True)
    out = {"site": root, "parent": root.parent, "content": root / "content" / "out",
           "templates": root / "templates", "static": root / "static" / "x"}[where]
    before = sorted(p.relative_to(root.parent).as_posix() for p in root.parent.rglob("*"))
    result = run_cli("build", "--site", str(root), "--out", str(out))
    assert result.returncode == 1, f"--out {where}: {result.stdout}"
    assert "Traceback" not in result.stderr and result.stderr.strip()
    assert sorted(p.relative_to(root.parent).as_posix() for p in root.parent.rglob("*")) == before, "nothing touched"


def test_the_build_refuses_a_folder_it_did_not_make_and_keeps_its_files(site, tmp_path):
    root = site()
    theirs = tmp_path / "laporan"
    theirs.mkdir()
    (theirs / "catatan.txt").write_text("jangan dihapus", "utf-8")
    result = run_cli("build", "--site", str(root), "--out", str(theirs))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "laporan" in result.stderr
    assert (theirs / "catatan.txt").read_text("utf-8") == "jangan dihapus"
    assert sorted(os.listdir(theirs)) == ["catatan.txt"]
    empty = tmp_path / "kosong"
    empty.mkdir()
    assert run_cli("build", "--site", str(root), "--out", str(empty)).returncode == 0, "an empty folder is fine"
    assert run_cli("build", "--site", str(root), "--out", str(empty)).returncode == 0, "and so is its own output"
