"""`check --since REF`: what a pull request changes, for its reviewer: claims re-rated, retitled, new or gone;
annotations added, removed or given other actors — read from a small git history."""
from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import ARTICLE, BASE, CLAIM, SANKSI, SULLIVAN, make_site, run_cli


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Redaksi", "-c", "user.email=redaksi@example.org", *args],
                          cwd=root, capture_output=True, text=True, check=True).stdout


def repository(root: Path, site: str = "") -> Path:
    """The base site (in the folder `site` of the repository) committed on a branch `main`; the site's folder."""
    make_site(root / site, {})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "the published site")
    return root / site


# The pull request: one claim re-rated, one retitled, one new and one draft; a passage added (with an actor),
# one removed, one whose deniers changed.
EDITS = {
    CLAIM: BASE[CLAIM].replace("verdict: belum-terbukti", "verdict: salah"),
    SANKSI: BASE[SANKSI].replace("Transfer senjata melanggar sanksi PBB", "Transfer senjata melanggar sanksi DK PBB"),
    "content/claims/kim-membunuh-warga-ukraina.md": "---\ntitle: Senjata Korea Utara membunuh warga Ukraina\n---\n",
    "content/claims/konsep-rahasia.md": "---\ntitle: Konsep yang belum siap\ndraft: true\n---\n",
    SULLIVAN: BASE[SULLIVAN].replace("    asserts: [jake-sullivan]\n", "    asserts: [jake-sullivan]\n"
                                     "  - claim: kim-membunuh-warga-ukraina\n"
                                     "    quote: akan membunuh warga Ukraina\n"
                                     "    asserts: [jake-sullivan]\n"
                                     "  - claim: konsep-rahasia\n"
                                     "    quote: mendesak Kim\n"),
    ARTICLE: BASE[ARTICLE].replace("    denies: [korea-utara, rusia]\n", "    denies: [korea-utara]\n")
                          .replace("  - claim: sanksi-dilanggar\n"
                                   "    quote: transfer senjata Korea Utara akan melanggar beberapa sanksi\n", ""),
}


def test_since_lists_exactly_what_changed(tmp_path):
    root = repository(tmp_path / "newsroom")
    make_site(root, EDITS, base=None)
    result = run_cli("check", "--since", "main", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "### What changed since `main`\n"
        "\n"
        "1 claim re-rated, 1 claim retitled, 1 new claim, 1 annotation added, 1 annotation removed, "
        "1 annotation with other actors, 1 passage anchor gone.\n"
        "(1 draft left out, as a build leaves them out.)\n"
        "\n"
        "**Files**\n"
        "\n"
        "- claim added: `kim-membunuh-warga-ukraina` (“Senjata Korea Utara membunuh warga Ukraina”)\n"
        "\n"
        "**Claims**\n"
        "\n"
        "- **Korea Utara memasok senjata ke Rusia** (`korea-utara-memasok-senjata`): "
        "re-rated: Belum terbukti → **Salah**; 1 passage with other actors\n"
        "- **Senjata Korea Utara membunuh warga Ukraina** (`kim-membunuh-warga-ukraina`): new; 1 passage added\n"
        "- **Transfer senjata melanggar sanksi DK PBB** (`sanksi-dilanggar`): "
        "retitled (was “Transfer senjata melanggar sanksi PBB”); 1 passage removed\n"
        "\n"
        "**Annotations added**\n"
        "\n"
        f"- `{SULLIVAN}:9` `kim-membunuh-warga-ukraina`: “akan membunuh warga Ukraina” (asserts: jake-sullivan)\n"
        "\n"
        "**Annotations removed**\n"
        "\n"
        f"- `{ARTICLE}:14` `sanksi-dilanggar`: “transfer senjata Korea Utara akan melanggar beberapa sanksi”\n"
        "\n"
        "**Annotations with other actors**\n"
        "\n"
        f"- `{ARTICLE}:11` `korea-utara-memasok-senjata`: “Baik Pyongyang maupun Moskow membantah klaim” "
        "(denies: korea-utara, \u2212rusia)\n"
        "\n"
        "**Passage anchors that would disappear** (links to these passages would land on the article's top)\n"
        "\n"
        "- `articles/putin-di-pyongyang/#sanksi-dilanggar-20af13`\n"
        "\n"
        "**Claims and actors no annotation uses** (published as pages with no passage)\n"
        "\n"
        f"- `{SANKSI}`: no annotation uses this claim: its page has no passage (annotate one, or delete the file)\n"
        "- `content/actors/rusia.yaml`: no annotation uses this actor: its page has no passage (annotate one, or "
        "delete the file)\n")


def test_since_a_commit_of_a_site_in_a_subfolder(tmp_path):
    """The site need not be the repository's root; REF may be any commit, and committed changes count."""
    site = repository(tmp_path / "repo", "situs")
    make_site(site, {CLAIM: EDITS[CLAIM]}, base=None)
    git(site, "commit", "-q", "-am", "re-rate")
    result = run_cli("check", "--site", str(site), "--since", "HEAD~1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2] == "1 claim re-rated."
    assert run_cli("check", "--site", str(site), "--since", "HEAD").stdout.splitlines()[2] == \
        "No published claim or annotation changed."


def test_since_an_unknown_ref_says_so(tmp_path):
    root = repository(tmp_path / "newsroom")
    result = run_cli("check", "--since", "origin/mian", cwd=root)
    assert result.returncode == 1
    assert result.stderr.startswith("--since: 'origin/mian' is not a commit, branch or tag")


def test_since_names_the_published_pages_that_would_disappear(tmp_path):
    """A claim renamed without `aliases`, an actor file renamed: their published addresses would break."""
    root = repository(tmp_path / "newsroom")
    (root / SANKSI).rename(root / "content/claims/sanksi-pbb-dilanggar.md")
    (root / "content/claims/korea-utara-memasok-senjata.md").write_text(
        BASE[CLAIM].replace("related: [sanksi-dilanggar]", "related: [sanksi-pbb-dilanggar]"), "utf-8")
    (root / ARTICLE).write_text(BASE[ARTICLE].replace("claim: sanksi-dilanggar", "claim: sanksi-pbb-dilanggar")
                                .replace("rusia]", "federasi-rusia]"), "utf-8")
    (root / "content/actors/rusia.yaml").rename(root / "content/actors/federasi-rusia.yaml")
    out = run_cli("check", "--since", "main", cwd=root).stdout
    # Renamed files are renames (their passages the same passages), each with what keeps its old address.
    assert "2 published pages gone, 1 passage anchor gone, 1 actor renamed, 1 claim renamed." in out
    assert ("**Files**\n\n"
            "- claim renamed: `sanksi-dilanggar` → `sanksi-pbb-dilanggar` (“Transfer senjata melanggar sanksi PBB”): "
            "add `aliases: [sanksi-dilanggar]` to content/claims/sanksi-pbb-dilanggar.md to keep the old address\n"
            "- actor renamed: `rusia` → `federasi-rusia` (“Rusia”): its old address actors/rusia/ would break (only "
            "a claim can keep one, with `aliases`)\n") in out
    assert "- **Transfer senjata melanggar sanksi PBB** (`sanksi-pbb-dilanggar`): renamed from `sanksi-dilanggar`\n" \
        in out
    assert "**Annotations" not in out
    assert out.endswith("**Published pages that would disappear** (links to them, anywhere, would break)\n\n"
                        "- `actors/rusia/`: keep its file name\n"
                        "- `claims/sanksi-dilanggar/`: add `aliases: [sanksi-dilanggar]` to "
                        "content/claims/sanksi-pbb-dilanggar.md\n\n"
                        "**Passage anchors that would disappear** (links to these passages would land on the "
                        "article's top)\n\n"
                        "- `articles/putin-di-pyongyang/#sanksi-dilanggar-20af13`\n")
    # The alias keeps the claim's address: only the actor's page is gone then.
    (root / "content/claims/sanksi-pbb-dilanggar.md").write_text(
        BASE[SANKSI].replace("---\n", "---\naliases: [sanksi-dilanggar]\n", 1), "utf-8")
    out = run_cli("check", "--since", "main", cwd=root).stdout
    assert "1 published page gone, 1 actor renamed, 1 claim renamed." in out  # the old anchor is kept too
    assert "claims/sanksi-dilanggar/`:" not in out and "its `aliases` keep the old address" in out


def test_since_a_commit_before_the_site_existed_lists_everything_as_new(tmp_path):
    root = tmp_path / "newsroom"
    root.mkdir()
    (root / "README.md").write_text("Redaksi\n", "utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "start")
    make_site(root, {})
    result = run_cli("check", "--since", "main", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2] == ("2 new claims, 4 annotations added, 2 articles added, 5 actors added, "
                                             "2 outlets added.")


def test_since_a_git_mv_is_a_rename_and_every_kind_added_or_removed_is_listed(tmp_path):
    """A claim moved with `git mv` and retitled is still one claim renamed (git saw the move); an article removed,
    a page and an outlet added; an annotation given one more asserter shows who came (+) and who went (−)."""
    root = repository(tmp_path / "newsroom")
    git(root, "mv", SANKSI, "content/claims/sanksi-pbb-dilanggar.md")
    make_site(root, {
        "content/claims/sanksi-pbb-dilanggar.md": BASE[SANKSI].replace("sanksi PBB", "sanksi DK PBB"),
        CLAIM: BASE[CLAIM].replace("related: [sanksi-dilanggar]", "related: [sanksi-pbb-dilanggar]"),
        ARTICLE: BASE[ARTICLE].replace("claim: sanksi-dilanggar", "claim: sanksi-pbb-dilanggar")
                              .replace("asserts: [antony-blinken]", "asserts: [antony-blinken, amerika-serikat]")
                              .replace("denies: [korea-utara, rusia]", "denies: [rusia]"),
        "content/pages/tentang.md": "---\ntitle: Tentang kami\n---\nRedaksi.\n",
        "content/outlets/kompas.yaml": "name: Kompas\n"}, base=None)
    (root / SULLIVAN).unlink()
    out = run_cli("check", "--since", "main", cwd=root).stdout
    assert out.splitlines()[2] == ("1 claim retitled, 1 annotation removed, 2 annotations with other actors, "
                                   "2 published pages gone, "
                                   "1 passage anchor gone, 1 article removed, 1 outlet added, 1 page added, "
                                   "1 claim renamed.")
    assert ("- claim renamed: `sanksi-dilanggar` → `sanksi-pbb-dilanggar` (“Transfer senjata melanggar sanksi DK "
            "PBB”): add `aliases: [sanksi-dilanggar]` to content/claims/sanksi-pbb-dilanggar.md to keep the old "
            "address\n"
            "- article removed: `sullivan-mendesak-kim` (“Sullivan mendesak Kim”)\n"
            "- outlet added: `kompas` (“Kompas”)\n"
            "- page added: `tentang` (“Tentang kami”)\n") in out
    assert "(`sanksi-pbb-dilanggar`): renamed from `sanksi-dilanggar`; retitled" in out
    assert "“Baik Pyongyang maupun Moskow membantah klaim” (denies: rusia, \u2212korea-utara)" in out
    assert "“Korea Utara memasok sejumlah besar amunisi dan senjata lainnya ke Rusia” (asserts: antony-blinken, " \
           "+amerika-serikat)" in out


def test_since_leaves_out_symbolic_links_at_ref_and_says_so(tmp_path):
    """The content at REF is the pull request's base or any commit: a link there (to a folder out of the site, to
    /etc/passwd) is never followed, and the summary says what it left out."""
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "rahasia.md").write_text("---\ntitle: Rahasia\n---\nkata sandi\n", "utf-8")
    root = repository(tmp_path / "newsroom")
    (root / "content/pages").symlink_to(tmp_path / "elsewhere")
    (root / "content/claims/passwd.md").symlink_to("/etc/passwd")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "links")
    (root / "content/pages").unlink()
    (root / "content/claims/passwd.md").unlink()
    result = run_cli("check", "--since", "HEAD", cwd=root)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.splitlines()[2:4] == [
        "No published claim or annotation changed.",
        "(Left out at `HEAD`, never followed: symbolic links `content/claims/passwd.md`, `content/pages`.)"]


def test_since_an_empty_ref_is_an_error_not_a_plain_check(tmp_path):
    root = repository(tmp_path / "newsroom")
    result = run_cli("check", "--since", "", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("--since: '' is not a commit, branch or tag"), result.stderr
    assert "check: no problems found" not in result.stdout


def test_a_passage_line_cuts_a_quote_over_100_characters_and_names_both_sides():
    """The summary's line for a passage: a quote of 100 characters whole, a longer one cut to 97 and '...'; who
    asserts it and who denies it, both."""
    from generator.errors import Src
    from generator.review import Changes, Passage

    def passage(quote: str, line: int, asserts=(), denies=()) -> Passage:
        return Passage("putin-di-pyongyang", "x", "klaim", quote, asserts, denies, Src(ARTICLE, line))
    whole, long = "a" * 100, "b" * 101
    lines = Changes("main", (), (passage(whole, 9, ("rusia",), ("korea-utara",)), passage(long, 12)), (), (), {},
                    0).markdown().splitlines()
    assert f"- `{ARTICLE}:9` `klaim`: “{whole}” (asserts: rusia; denies: korea-utara)" in lines, lines
    assert f"- `{ARTICLE}:12` `klaim`: “{'b' * 97}...”" in lines, lines
def test_the_cli_run_from_a_site_folder_is_this_checkouts(tmp_path):
    """`check --since` runs in the site's git folder: the generator it runs there must be the one under test."""
    import sys

    from conftest import REPO, here_first
    found = subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"], cwd=tmp_path,
                           env=here_first(), capture_output=True, text=True, check=True).stdout.strip()
    assert found == str(REPO / "generator" / "__init__.py")
