"""Hostile or broken input (issue #9) → an exact PATH:LINE: message, exit 1, no traceback, and no file touched
outside the output: the build never deletes a folder it did not make, never writes outside its output, never
ships a script from a content field."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import BASE, CLAIM, REPO, build_ok, contract, leftovers, make_site, page, run_cli

ARTICLE_PATH = "content/articles/putin-di-pyongyang.md"
A = BASE[ARTICLE_PATH]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root except the output and the build cache (the generator's own), with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not {"_site", ".factcheck-cache"} & set(p.relative_to(root).parts)}


def fails(root: Path, *args: str, command: str = "build") -> list[str]:
    """Run the command as a user would; it must fail cleanly. The lines it printed."""
    result = run_cli(command, "--site", str(root), *args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr.splitlines()


# -- the output folder: only ever one the build made itself ----------------------------------------------------

@pytest.mark.parametrize("value, shown", [(".", "is the site folder"), ("", "must name a folder of its own"),
                                          ("content", "lies in the site's content/"), ("..", "is the site folder"),
                                          ("static/out", "lies in the site's static/"),
                                          ("templates", "lies in the site's templates/")])
def test_an_output_dir_that_would_replace_the_site_is_refused(site, value, shown):
    root = site({"site.toml": BASE["site.toml"].replace('language = "id"\n', f'language = "id"\noutput_dir = "{value}"\n')})
    (root / "static").mkdir()
    (root / "static" / "mine.css").write_text("body{}", "utf-8")
    before = snapshot(root)
    lines = fails(root)
    assert lines[0].startswith("site.toml:5: ") and shown in lines[0], lines
    assert snapshot(root) == before
    assert fails(root, command="check")[0] == lines[0]


@pytest.mark.parametrize("where", ["site", "parent", "foreign", "content"])
def test_out_on_the_command_line_never_replaces_what_the_build_did_not_make(site, tmp_path, where):
    root = site()
    foreign = tmp_path / "my-notes"
    foreign.mkdir()
    (foreign / "draft.txt").write_text("a week of work", "utf-8")
    out = {"site": root, "parent": root.parent, "foreign": foreign, "content": root / "content" / "x"}[where]
    before, notes = snapshot(root), snapshot(foreign)
    lines = fails(root, "--out", str(out))
    assert lines[0].startswith("--out: the output folder"), lines
    assert snapshot(root) == before and snapshot(foreign) == notes


def test_a_folder_the_build_made_is_replaced_and_an_empty_one_is_used(site, tmp_path):
    root = site()
    empty = tmp_path / "empty"
    empty.mkdir()
    build_ok(root, "--out", str(empty))
    out = empty
    assert (out / "claims" / "korea-utara-memasok-senjata" / "index.html").is_file()
    (out / "stale.html").write_text("old", "utf-8")
    build_ok(root, "--out", str(empty))
    assert not (empty / "stale.html").exists(), "the output is replaced whole"


def test_leftovers_of_killed_builds_are_cleared_and_nothing_else(site):
    root = site()
    build_ok(root)
    dead = 2 ** 22 + 12345  # above pid_max's default: no such process
    ours = root / f"._site.new-{dead}-abc"
    ours.mkdir()
    (ours / ".factcheck-output").write_text("", "utf-8")
    (ours / "index.html").write_text("half a build", "utf-8")
    old = root / f"._site.old-{dead}"
    old.mkdir()
    (old / ".factcheck-output").write_text("", "utf-8")
    theirs = root / f"._site.new-{dead}-zzz"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("not ours", "utf-8")
    build_ok(root)
    assert not ours.exists() and not old.exists()
    assert (theirs / "notes.txt").read_text("utf-8") == "not ours"
    assert leftovers(root / "_site", keep=(theirs,)) == []


def test_a_build_killed_while_rendering_keeps_the_last_output_and_leaves_no_worker(tmp_path):
    """The example site renders over the cores (its share images): kill the build in the middle of that."""
    root = tmp_path / "site"
    root.mkdir()
    subprocess.run(["cp", "-r", str(REPO / "content"), str(REPO / "site.toml"), str(root)], check=True)
    out = build_ok(root)
    before = snapshot(out)
    assert leftovers(out) == []
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--site", str(root), "--jobs", "2",
                             "--no-cache"],  # the same files again: with its cache, the build has nothing to do
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until the new build has written some pages
        staged = [p for p in root.glob("._site.new-*") if (p / "claims").is_dir()]
        if staged and sum(1 for _ in staged[0].rglob("*.html")) > 5:
            break
        time.sleep(0.02)
    else:
        pytest.fail("the build never started rendering")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(1.5)
    left = subprocess.run(["ps", "-o", "pid=,stat=,args=", "-g", str(proc.pid)], capture_output=True, text=True).stdout
    assert [line for line in left.splitlines() if " Z" not in line] == [], "its workers ended with it"
    assert snapshot(out) == before, "the last good output is whole"
    build_ok(root)
    assert leftovers(out) == [], "the next build cleared what the killed one left"


# -- paths from content are SLUGs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("topic", ["../../../x", "../claims/korea-utara-memasok-senjata", "Senjata", "a/b"])
def test_a_topic_is_a_slug_or_an_error(site, topic):
    root = site({CLAIM: BASE[CLAIM].replace("topics: [senjata]", f'topics: ["{topic}"]')})
    before = snapshot(root.parent)
    for command in ("build", "check"):
        lines = fails(root, command=command)
        assert lines[0].startswith(f"{CLAIM}:6: topic '{topic}' is not a valid SLUG"), lines
    assert snapshot(root.parent) == before, "nothing written anywhere, check included"


# -- URLs are http(s) ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, old, new, line", [
    (ARTICLE_PATH, "published: 2024-06-19\n", "published: 2024-06-19\nurl: \"javascript:alert(1)\"\n", 5),
    ("content/outlets/antara.yaml", "url: https://www.antaranews.com", "url: JavaScript:alert(document.domain)", 2),
    ("content/actors/rusia.yaml", "kind: government\n", "kind: government\nsame_as: ['data:text/html,<script>x</script>']\n", 3),
    ("content/outlets/antara.yaml", "url: https://www.antaranews.com", "url: //evil.example/x", 2),
])
def test_a_url_field_takes_http_or_https_only(site, path, old, new, line):
    root = site({path: BASE[path].replace(old, new)})
    lines = fails(root)
    assert lines[0].startswith(f"{path}:{line}: ") and "http:// or https://" in lines[0], lines


# -- every value escaped for where it lands -------------------------------------------------------------------------

HOSTILE = '"><img src=x onerror=alert(1)> <!--<script>alert(2)</script> \u2028 & " onload="alert(3)'


def test_a_hostile_claim_title_lands_as_text_everywhere(site):
    root = site({CLAIM: BASE[CLAIM].replace("title: Korea Utara memasok senjata ke Rusia",
                                           "title: " + json.dumps(HOSTILE))})
    out = build_ok(root)
    claim = page(out, "claims/korea-utara-memasok-senjata/")
    assert claim.find("h1").get_text() == HOSTILE
    assert not claim.select("img[onerror], [onload]"), "no element or handler from the title"
    # JSON-LD: the title comes back whole, and no '<' can end the script or open a comment
    raw = (out / "claims/korea-utara-memasok-senjata/index.html").read_text("utf-8")
    block = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    assert json.loads(block)["claimReviewed"] == HOSTILE
    # the embed snippet a partner pastes: one iframe, its title whole, no handler
    snippet = claim.find("textarea", id="embed").get_text()
    pasted = BeautifulSoup(snippet, "html.parser").find_all(True)
    assert [t.name for t in pasted] == ["iframe"] and pasted[0]["title"] == HOSTILE
    assert set(pasted[0].attrs) == {"src", "title", "width", "height", "style", "loading"}
    # feed and sitemap stay well-formed XML
    import xml.etree.ElementTree as ET
    ET.parse(out / "feed.xml")
    contract(root)


def test_raw_html_in_content_loses_its_scripts(site):
    body = '<script>alert(1)</script><a href="javascript:alert(2)">x</a><p onclick="alert(3)">y</p>\n'
    root = site({"content/claims/sanksi-dilanggar.md": BASE["content/claims/sanksi-dilanggar.md"] + body})
    html = (build_ok(root) / "claims/sanksi-dilanggar/index.html").read_text("utf-8")
    assert "alert(" not in html


# -- broken files: a message, never a traceback --------------------------------------------------------------------

@pytest.mark.parametrize("path, line", [(ARTICLE_PATH, 6), ("content/actors/rusia.yaml", 2), ("site.toml", 3)])
def test_a_byte_that_is_not_utf8_is_reported_at_its_line(site, path, line):
    text = BASE[path].encode("utf-8").split(b"\n")
    text[line - 1] += b" caf\xe9"  # Latin-1, pasted from another tool
    root = site()
    (root / path).write_bytes(b"\n".join(text))
    assert fails(root)[0].startswith(f"{path}:{line}: not UTF-8: byte 0xe9"), fails(root)


def test_a_byte_order_mark_is_not_an_error(site):
    root = site()
    for path in ("site.toml", ARTICLE_PATH, "content/actors/rusia.yaml"):
        (root / path).write_bytes(b"\xef\xbb\xbf" + (root / path).read_bytes())
    build_ok(root)


@pytest.mark.parametrize("body", ["*" * 3000 + "x" + "*" * 3000, "".join("    " * i + "- x\n" for i in range(600))])
def test_absurd_nesting_is_reported_or_rendered_never_a_crash(site, body):
    root = site({"content/claims/sanksi-dilanggar.md": BASE["content/claims/sanksi-dilanggar.md"] + body})
    result = run_cli("build", "--site", str(root))
    assert "Traceback" not in result.stderr
    if result.returncode:
        assert result.stderr.startswith("content/claims/sanksi-dilanggar.md:4: the text nests"), result.stderr


BOMB = "".join(f"b{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i else "lol"] * 9) + "]\n" for i in range(10))


@pytest.mark.parametrize("old, new", [("published: 2024-06-19", "published: *a9"),
                                      ("    id: blinken-amunisi", "    id: blinken-amunisi\n    occurrence: *a9"),
                                      ("title: Putin dan Kim bertemu di Pyongyang", "title: *a9")])
def test_a_yaml_alias_bomb_is_refused_quickly(site, old, new):
    """Nine levels of nine aliases: 387 million items if expanded. Refused, not expanded, and not printed."""
    root = site({ARTICLE_PATH: A.replace(old, new).replace("---\n", "---\n" + BOMB, 1)})
    started = time.monotonic()
    lines = fails(root)
    assert time.monotonic() - started < 20
    assert lines[0] == (f"{ARTICLE_PATH}:3: YAML aliases (*name) and nesting deeper than 32 levels are not allowed "
                        "in content: write the value out"), lines
    assert all(len(line) < 400 for line in lines)


def test_an_integer_of_thousands_of_digits_is_an_error_at_its_line(tmp_path):
    root = make_site(tmp_path / "a", {"site.toml": BASE["site.toml"].replace(
        'title = "Cek Klaim Uji"', 'title = "Cek Klaim Uji"\nx = ' + "7" * 5000)})
    lines = fails(root)
    assert lines[0].startswith("site.toml:2: malformed TOML: Exceeds the limit"), lines
    root = make_site(tmp_path / "b", {ARTICLE_PATH: A.replace("    id: blinken-amunisi", "    occurrence: " + "9" * 5000)})
    lines = fails(root)
    assert lines[0].startswith(f"{ARTICLE_PATH}:10: 'occurrence' cannot be read: Exceeds the limit"), lines


def test_a_link_out_of_the_site_is_never_published(site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password", "utf-8")
    root = site()
    (root / "static").mkdir()
    (root / "static" / "passwd").symlink_to(secret)
    lines = fails(root)
    assert lines[0].startswith("static/passwd:1: a symbolic link to") and "outside static/" in lines[0], lines
    (root / "static" / "passwd").unlink()
    (root / "content" / "claims" / "leak.md").symlink_to(secret)
    lines = fails(root)
    assert lines[0].startswith("content/claims/leak.md:1: a symbolic link to") and "password" not in "".join(lines)


# -- messages that speed a fix ---------------------------------------------------------------------------------------

def test_an_unquoted_colon_says_to_quote(site):
    root = site({ARTICLE_PATH: A.replace("title: Putin dan Kim bertemu di Pyongyang",
                                        "title: Putin: Kim bertemu di Pyongyang")})
    lines = fails(root)
    assert len(lines) == 2 and lines[0].startswith(f"{ARTICLE_PATH}:2: malformed YAML: mapping values are not allowed")
    assert lines[0].endswith("(a value that contains ': ' must be put in quotes: key: \"a: b\"; or check the indentation)"), lines


def test_an_unknown_verdict_with_no_close_key_lists_the_scale(site):
    root = site({CLAIM: BASE[CLAIM].replace("verdict: belum-terbukti", "verdict: hoaks")})
    assert fails(root)[0] == f"{CLAIM}:3: unknown verdict 'hoaks' (the verdicts of site.toml: benar, belum-terbukti, salah)"


def test_the_closest_passage_is_whole_words(site):
    root = site({ARTICLE_PATH: A.replace("quote: Baik Pyongyang maupun Moskow membantah klaim",
                                        "quote: aik Pyongyang maupun Moskwa membantah klai")})
    line = fails(root)[0]
    assert line.endswith("(closest passage: 'Baik Pyongyang maupun Moskow membantah klaim')"), line


def test_one_broken_file_gives_one_error_not_forty(site):
    """An article whose front matter cannot be read: its own error, none for the links that point at it."""
    root = site({ARTICLE_PATH: A.replace("outlet: tribunnews", "outlet: [tribunnews")})
    lines = fails(root)
    assert lines == [f"{ARTICLE_PATH}:3: malformed YAML: did not find expected ',' or ']' (check the indentation, "
                     "and brackets or quotes that open but do not close)", "1 error found; nothing was written."], lines


def test_check_does_not_claim_to_have_written_anything(site):
    root = site({CLAIM: BASE[CLAIM].replace("verdict: belum-terbukti", "verdict: hoaks")})
    assert fails(root, command="check")[-1] == "1 error found."


def test_an_unclosed_quote_is_reported_where_it_opens(site):
    root = site({"content/claims/sanksi-dilanggar.md": '---\ntitle: "Transfer senjata\nsummary: x\n---\n'})
    assert fails(root)[0] == ("content/claims/sanksi-dilanggar.md:2: malformed YAML: found unexpected end of stream "
                              "(a quote opens here and never closes)")


def test_a_title_that_is_a_formula_stays_text_in_claims_csv(site):
    import csv
    root = site({CLAIM: BASE[CLAIM].replace("title: Korea Utara memasok senjata ke Rusia",
                                           'title: "=HYPERLINK(\\"https://evil.example\\",\\"klik\\")"')})
    with open(build_ok(root) / "claims.csv", newline="", encoding="utf-8") as f:
        titles = {row["claim_title"] for row in csv.DictReader(f)}
    assert "'=HYPERLINK(\"https://evil.example\",\"klik\")" in titles
    assert not any(t.startswith(("=", "+", "-", "@")) for t in titles)


@pytest.mark.parametrize("line, shown", [
    ('language = "../../../etc/x"', "site.toml:4: language must be a BCP 47 tag such as 'id' or 'en-GB': '../../../etc/x'"),
    ('language = "id"\ncustom_domain = "evil.example\\n<script>"',
     "site.toml:5: custom_domain must be a host name such as 'cekfakta.example.org': 'evil.example\\n<script>'"),
    ('language = "id"\ncustom_domain = "https://cek.example.id/"',
     "site.toml:5: custom_domain must be a host name such as 'cekfakta.example.org': 'https://cek.example.id/'"),
])
def test_language_and_custom_domain_are_checked_before_they_name_a_file_or_fill_one(site, line, shown):
    """`language` names the UI strings file to read; `custom_domain` is written into CNAME as it stands."""
    root = site({"site.toml": BASE["site.toml"].replace('language = "id"', line)})
    assert fails(root)[0] == shown


@pytest.mark.parametrize("url", ['https://a.example/"><script>x</script>', "https://a.example/ x/", "javascript://a/"])
def test_a_base_url_that_would_break_out_of_an_attribute_is_refused(site, url):
    root = site()
    assert fails(root, "--base-url", url)[0] == f"--base-url: base_url must be an absolute http(s) URL: {url!r}"


def test_an_old_output_still_being_removed_is_left_to_its_remover(site):
    """The old output is removed in the background under the remover's pid; a build meanwhile leaves it alone
    (it does not wait for the removal), and once that process is gone it is a leftover like any other."""
    root = site()
    build_ok(root)
    remover = subprocess.Popen(["sleep", "30"])
    try:
        busy = root / f"._site.old-{remover.pid}"
        busy.mkdir()
        (busy / ".factcheck-output").write_text("", "utf-8")
        build_ok(root, "--no-cache")
        assert busy.is_dir(), "a removal under way is not done again by the next build"
    finally:
        remover.kill()
        remover.wait()
    build_ok(root, "--no-cache")
    assert not busy.exists(), "a removal that died is finished by the next build"


# -- control characters: an error at their line, never in a page, a feed or a terminal ---------------------------

ACTOR = "content/actors/rusia.yaml"


@pytest.mark.parametrize("path, old, new, line, shown", [
    (ARTICLE_PATH, "bertemu hari ini.", "bertemu hari\x00 ini.", 17, "U+0000 (NUL)"),  # a `new --from` copy's NUL
    (CLAIM, "title: Korea Utara memasok", "title: Korea \x1b[2J Utara memasok", 2, "U+001B (ESC)"),
    (CLAIM, "title: Korea Utara memasok senjata ke Rusia", 'title: "Korea Utara \\e]0;x\\a memasok"', 2,
     "U+001B (ESC) in a value, written as an escape"),  # YAML's escapes make what the file does not hold
    (ACTOR, "name: Rusia", 'name: "Rus\\x01ia"', 1, "U+0001 (SOH) in a value, written as an escape"),
    (ACTOR, "kind: government", "kind: government\x7f", 2, "U+007F (DEL)"),
    (ACTOR, "name: Rusia", "name: Rus\u009bia", 1, "U+009B (CSI)"),
    (ARTICLE_PATH, "bertemu hari ini.", "bertemu &#27; hari ini.", 17, "U+001B (ESC), written as &#27;"),
    (ARTICLE_PATH, "bertemu hari ini.", "bertemu hari\rini.", 17, "U+000D (CR) that ends no line"),
    (ARTICLE_PATH, "bertemu hari ini.", "bertemu hari\ufffe ini.", 17, "U+FFFE (a noncharacter)"),
    ("site.toml", 'description = "Situs uji."', 'description = "Situs \\u0007 uji."', 2,
     "U+0007 (BEL) in a value, written as \\u0007"),
    ("site.toml", 'title = "Cek Klaim Uji"', 'title = "Cek Klaim Uji\x0c"', 1, "U+000C (FF)"),
])
def test_a_control_character_is_an_error_at_its_line_naming_it(site, path, old, new, line, shown):
    assert old in BASE[path]
    root = site({path: BASE[path].replace(old, new)})
    lines = fails(root)
    assert lines[0].startswith(f"{path}:{line}: control character {shown}"), lines
    assert fails(root, command="check")[0] == lines[0]


def test_a_control_character_in_the_sites_own_template_is_an_error_at_its_line(site):
    """The theme is the site's too: its feed template must not be what makes the feed unreadable."""
    feed = (REPO / "templates" / "feed.xml").read_text("utf-8")
    root = site({"templates/feed.xml": feed.replace("<title>{{ site.title }}</title>", "<title>{{ site.title }}\x01</title>")})
    lines = fails(root)
    assert lines[0] == ("templates/feed.xml:3: template error while rendering feed.xml: control character U+0001 (SOH): "
                        "delete it"), lines


def test_windows_line_ends_and_tabs_are_text_not_control_characters(site):
    root = site({path: BASE[path].replace("\n", "\r\n").replace("bertemu hari", "bertemu\thari")
                 for path in (ARTICLE_PATH, CLAIM, ACTOR, "site.toml")})
    build_ok(root)


def test_every_xml_output_parses_with_a_strict_parser(site):
    """Feed readers drop a whole feed that is not well-formed: whatever the text holds, every .xml the build
    writes parses."""
    import xml.etree.ElementTree as ET
    hostile = 'title: "Korea <Utara> & \\"Rusia\\" ]]> \u2028 \U0001F600 \t &amp;"'
    root = site({CLAIM: BASE[CLAIM].replace("title: Korea Utara memasok senjata ke Rusia", hostile),
                 ARTICLE_PATH: A.replace("bertemu hari ini.", "bertemu <![CDATA[ x ]]> &#x1F600; &lt;b&gt; ini.")})
    out = build_ok(root)
    found = sorted(out.rglob("*.xml"))
    assert {p.name for p in found} >= {"feed.xml", "sitemap.xml"}
    for path in found:
        ET.parse(path)  # raises on anything not well-formed


# -- printed output: file names and messages never command a terminal or a workflow -------------------------------

HOSTILE_NAME = "content/claims/x\n::error file=README.md,line=1::pwned\x1b]0;owned\x07\x1b[2J.md"


@pytest.mark.parametrize("form", ["text", "github", "json"])
def test_printed_names_and_messages_show_control_characters_escaped(site, form):
    root = site({HOSTILE_NAME: "---\ntitle: X\n---\n"})
    result = run_cli("check", "--site", str(root), "--format", form)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    printed = result.stdout + result.stderr
    assert not [c for c in printed if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) < 0xa0], printed
    lines = printed.splitlines()
    assert not [line for line in lines if line.startswith("::error file=README.md")], lines
    if form == "github":
        assert len([line for line in lines if line.startswith("::error")]) == 1, lines
        assert lines[0].startswith("::error file=content/claims/x\\u000a%3A%3Aerror file=README.md"), lines
    elif form == "json":
        assert json.loads(result.stdout)[0]["path"] == HOSTILE_NAME, "JSON keeps the name, escaped the JSON way"
    else:
        assert lines[0].startswith("content/claims/x\\u000a::error file=README.md,line=1::pwned\\u001b]0;owned"), lines
    built = run_cli("build", "--site", str(root))
    assert built.stderr.startswith("content/claims/x\\u000a::error") and "\x1b" not in built.stderr, built.stderr


def test_a_command_line_value_with_a_control_character_is_refused(site):
    root = site()
    result = run_cli("new", "claim", "klaim-baru", "--title", "Klaim \x1b]0;owned\x07", "--site", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr and "\x1b" not in result.stderr
    assert result.stderr.startswith("--title: control character U+001B (ESC) in its value"), result.stderr
    assert not (root / "content/claims/klaim-baru.md").exists()


# -- symbolic links: nothing from outside the site, at any level -------------------------------------------------

@pytest.mark.parametrize("link, shown", [
    ("content/pages", "content/pages: a symbolic link to {elsewhere}, outside content/"),
    ("content", "content: a symbolic link to {elsewhere}, outside content/"),
    ("static", "static: a symbolic link to {elsewhere}, outside static/"),
    ("static/css/more", "static/css/more: a symbolic link to {elsewhere}, outside static/"),
    ("templates", "templates: a symbolic link to {elsewhere}, outside templates/"),
    ("templates/page.html", "templates/page.html:1: a symbolic link to {elsewhere}/secret.html, outside templates/"),
    ("static/site.toml", "static/site.toml:1: a symbolic link to {site}/site.toml, outside static/"),
])
def test_a_link_out_of_its_folder_is_refused_at_any_level(site, tmp_path, link, shown):
    """`content/pages → /elsewhere` published the files there; a link to a folder is refused like one to a file."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "claims").mkdir(parents=True)
    (elsewhere / "rahasia.md").write_text("---\ntitle: Rahasia\n---\nkata sandi\n", "utf-8")
    (elsewhere / "secret.html").write_text("kata sandi", "utf-8")
    root = site()
    target = {"content": elsewhere, "templates/page.html": elsewhere / "secret.html",
              "static/site.toml": root / "site.toml"}.get(link, elsewhere)
    if link == "content":
        (elsewhere / "claims").rmdir()
        (root / "content").rename(elsewhere / "content")
        target = elsewhere / "content"
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(target)
    lines = fails(root)
    expected = shown.format(elsewhere=target.parent if link == "templates/page.html" else target, site=root)
    assert lines[0].startswith(expected), lines
    assert "kata sandi" not in "".join(lines) and not (root / "_site").exists()
    assert fails(root, command="check")[0] == lines[0]


def test_a_link_that_leads_nowhere_or_round_is_an_error_and_a_link_inside_is_followed(site):
    root = site({"content/claims/sama.md": None})
    (root / "content/claims/hilang.md").symlink_to(root / "content/claims/tidak-ada.md")
    (root / "content/claims/putar.md").symlink_to("putar.md")
    lines = fails(root)
    assert lines[:2] == [f"content/claims/hilang.md:1: a symbolic link to {root}/content/claims/tidak-ada.md, "
                         "which does not exist",
                         "content/claims/putar.md:1: a symbolic link that leads, link after link, back to itself"], lines
    (root / "content/claims/hilang.md").unlink()
    (root / "content/claims/putar.md").unlink()
    (root / "content/claims/sama.md").symlink_to("sanksi-dilanggar.md")  # inside content/: a file of the site
    assert (build_ok(root) / "claims/sama/index.html").is_file()


@pytest.mark.parametrize("args, shown", [
    (["build", "--jobs", "0"], "argument --jobs: a whole number from 1 to 1024: '0'"),
    (["serve", "--port", "99999"], "argument --port: a whole number from 0 to 65535: '99999'"),
    (["build", "--base-url", ""], "--base-url: base_url must be an absolute http(s) URL: ''"),
    (["build", "--out", "/proc/situs"], "/proc/.situs.new-"),
    (["check", "--coverage", "--since", "main"], "argument --since: not allowed with argument --coverage"),
])
def test_every_command_answers_bad_input_with_a_message(site, args, shown):
    root = site()
    result = run_cli(*args, "--site", str(root))
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr, result.stderr
    assert shown in result.stderr, result.stderr


def test_a_link_to_a_device_and_a_pipe_are_refused_never_read(site):
    """`content/claims/nol.md → /dev/zero` once had the build cache read zeros until memory ran out, and a link to a
    named pipe waited for ever: what a link names is never read before the link is checked, nor what is not a file."""
    root = site()
    (root / "content/claims/nol.md").symlink_to("/dev/zero")
    os.mkfifo(root / "content/claims/pipa")
    (root / "content/claims/pipa.md").symlink_to("pipa")
    started = time.monotonic()
    assert fails(root)[0] == ("content/claims/nol.md:1: a symbolic link to /dev/zero, outside content/: links out of "
                              "the site are not followed; copy the file into content/ instead")
    (root / "content/claims/nol.md").unlink()
    assert fails(root)[0] == "content/claims/pipa.md:1: not a file (a folder, a pipe or a device): content is files"
    assert time.monotonic() - started < 60
