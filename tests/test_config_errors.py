"""site.toml → Config: every mistake as `site.toml:LINE: message` (lines counted from 1), and the defaults."""
from __future__ import annotations

import pytest

from conftest import SITE_TOML
from generator.config import load_config
from generator.errors import SiteError

HEAD = 'title = "T"\nbase_url = "https://a.example/cek/"\n'  # lines 1 and 2


def errors(root, text: str, files: dict[str, str] | None = None, base_url: str | None = None) -> list[str]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.toml").write_text(text, "utf-8")
    for name, body in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(body, "utf-8")
    with pytest.raises(SiteError) as e:
        load_config(root, base_url)
    return [str(p) for p in e.value.problems]


CASES = {
    "malformed toml": (HEAD + 'language = id\n', "site.toml:3: malformed TOML"),
    "a hexadecimal number of thousands of digits": ('\n' + HEAD + '\ncustom_domain = 0xA' + "F" * 3600 + '\n',
                                                    "site.toml:5: malformed TOML: a number of thousands of digits"),
    "in lower case, in an array": (HEAD + 'topics = [\n  0x' + "f" * 3600 + ',\n]\n',
                                   "site.toml:4: malformed TOML: a number of thousands of digits"),
    "a long one Python can still show": (HEAD + 'custom_domain = 0x' + "f" * 3000 + '\n',
                                         "site.toml:3: custom_domain must be a host name such as 'cekfakta.example.org': "
                                         "'" + str(int("f" * 3000, 16))[:80] + "'"),
    "an octal one in a verdict": (HEAD + '[[verdicts]]\nkey = 0o' + "7" * 5000 + '\nlabel = "A"\nrating = 1\n',
                                  "site.toml:4: malformed TOML: a number of thousands of digits"),
    "unknown field": (HEAD + 'descripton = "x"\n',
                      "site.toml:3: unknown field 'descripton' (did you mean 'description'?)"),
    "unknown field, nothing close": (HEAD + '\nzzz = 1\n', "site.toml:4: unknown field 'zzz'"),
    "missing title": ('base_url = "https://a.example/"\n', "site.toml:1: missing required field 'title'"),
    "blank title": ('base_url = "https://a.example/"\ntitle = "  "\n', "site.toml:2: missing required field 'title'"),
    "title not text": ('base_url = "https://a.example/"\ntitle = 3\n', "site.toml:2: missing required field 'title'"),
    "missing base_url": ('title = "T"\n', "site.toml:1: missing required field 'base_url'"),
    "relative base_url": ('title = "T"\nbase_url = "/cek/"\n',
                          "site.toml:2: base_url must be an absolute http(s) URL: '/cek/'"),
    "ftp base_url": ('title = "T"\n\nbase_url = "ftp://a.example/"\n',
                     "site.toml:3: base_url must be an absolute http(s) URL: 'ftp://a.example/'"),
    "verdicts not an array": (HEAD + 'verdicts = "salah"\n',
                              "site.toml:3: verdicts must be an array of tables: [[verdicts]]"),
    "unknown verdict field": (HEAD + '\n[[verdicts]]\nkey = "a"\nlabel = "A"\nrating = 1\nratin = 2\n',
                              "site.toml:4: unknown field 'ratin' in [[verdicts]] (did you mean 'rating'?)"),
    "bad verdict key": (HEAD + '[[verdicts]]\nkey = "Salah Besar"\nlabel = "A"\nrating = 1\n',
                        "site.toml:3: verdict key must be lowercase letters, digits and hyphens: 'Salah Besar'"),
    "missing verdict key": (HEAD + '[[verdicts]]\nlabel = "A"\nrating = 1\n',
                            "site.toml:3: verdict key must be lowercase letters, digits and hyphens: None"),
    "two verdicts one key": (HEAD + '[[verdicts]]\nkey = "a"\nlabel = "A"\nrating = 1\n'
                             '[[verdicts]]\nkey = "a"\nlabel = "B"\nrating = 2\n',
                             "site.toml:7: two verdicts have the key 'a'"),
    "verdict without label": (HEAD + '[[verdicts]]\nkey = "a"\nrating = 1\n', "site.toml:3: verdict 'a' lacks a label"),
    "verdict with empty label": (HEAD + '[[verdicts]]\nkey = "a"\nlabel = ""\nrating = 1\n',
                                 "site.toml:3: verdict 'a' lacks a label"),
    "rating not whole": (HEAD + '[[verdicts]]\nkey = "a"\nlabel = "A"\nrating = 1.5\n',
                         "site.toml:3: verdict 'a' needs a whole-number rating"),
    "rating a boolean": (HEAD + '[[verdicts]]\nkey = "a"\nlabel = "A"\nrating = true\n',
                         "site.toml:3: verdict 'a' needs a whole-number rating"),
    "rating missing": (HEAD + '[[verdicts]]\nkey = "a"\nlabel = "A"\n',
                       "site.toml:3: verdict 'a' needs a whole-number rating"),
    "strings not a table": (HEAD + 'strings = "x"\n', "site.toml:3: [strings] must be a table of UI text"),
    "unknown UI string": (HEAD + '\n[strings]\nasserst = "Kata"\n',
                          "site.toml:5: unknown UI string 'asserst' (did you mean 'asserts'?)"),
    "topic not a slug": (HEAD + '\n[topics]\nsanksi = "Sanksi"\nEkonomi = "Ekonomi"\n',
                         "site.toml:6: topic 'Ekonomi' in [topics] is not a valid SLUG: use lowercase letters, digits "
                         "and hyphens"),
    "topic name not text": (HEAD + '\n[topics]\nsanksi = 1\n',
                            "site.toml:4: [topics] must map each topic's SLUG to its name: sanksi = \"Sanksi\""),
    # transparency: the notice, contact and repository every page shows
    "contact neither email nor URL": (HEAD + '\ncontact = "redaksi di cekfakta"\n',
                                      "site.toml:4: contact must be an email address or an http(s) URL: "
                                      "'redaksi di cekfakta'"),
    "contact a script": (HEAD + 'contact = "javascript:alert(1)"\n',
                         "site.toml:3: contact must be an email address or an http(s) URL: 'javascript:alert(1)'"),
    "repository not http": (HEAD + 'notice = "Demo"\nrepository = "git@github.com:a/b.git"\n',
                            "site.toml:4: repository must be an http(s) URL: 'git@github.com:a/b.git'"),
    "notice not text": (HEAD + 'notice = true\n', "site.toml:3: notice must be text, in quotes"),
}


@pytest.mark.parametrize("name", CASES)
def test_each_site_toml_mistake_is_reported_at_its_line(tmp_path, name):
    text, expected = CASES[name]
    found = errors(tmp_path / "site", text)
    assert any(line == expected or line.startswith(expected + " ") or
               (expected.endswith("malformed TOML") and line.startswith(expected + ":")) for line in found), found


def test_the_second_verdict_table_is_reported_at_its_own_line(tmp_path):
    text = SITE_TOML + '\n[[verdicts]]\nkey = "aneh"\nlabel = "Aneh"\nrating = "x"\n'
    line = text.splitlines().index("[[verdicts]]", text.splitlines().index('key = "salah"') ) + 1
    assert errors(tmp_path / "s", text) == [f"site.toml:{line}: verdict 'aneh' needs a whole-number rating"]
    # the first table is line 6 of SITE_TOML, counted from 1
    bad = SITE_TOML.replace('rating = 3', 'rating = "3"')
    assert errors(tmp_path / "t", bad) == ["site.toml:6: verdict 'benar' needs a whole-number rating"]


def test_every_mistake_in_site_toml_is_reported_at_once(tmp_path):
    text = ('titel = "T"\nbase_url = "/x/"\n[[verdicts]]\nkey = "A"\n[[verdicts]]\nkey = "b"\nrating = 1\n'
            '[strings]\nxyz = "1"\n')
    found = errors(tmp_path / "s", text)
    assert found == [
        "site.toml:1: missing required field 'title'",
        "site.toml:1: unknown field 'titel' (did you mean 'title'?)",
        "site.toml:2: base_url must be an absolute http(s) URL: '/x/'",
        "site.toml:3: verdict key must be lowercase letters, digits and hyphens: 'A'",
        "site.toml:5: verdict 'b' lacks a label",
        "site.toml:9: unknown UI string 'xyz'",
    ]


def test_no_site_toml_says_what_to_do(tmp_path):
    tmp_path.joinpath("x").mkdir()
    with pytest.raises(SiteError) as e:
        load_config(tmp_path / "x")
    assert [str(p) for p in e.value.problems] == [
        "site.toml:1: no site.toml here: is this a site folder? (use --site DIR)"]


def test_a_malformed_strings_file_in_the_site_theme_is_reported(tmp_path):
    found = errors(tmp_path / "s", HEAD + 'language = "id"\n', {"templates/strings/id.toml": 'asserts = \n'})
    assert len(found) == 1 and found[0].startswith("templates/strings/id.toml:1: malformed TOML"), found


def test_defaults_and_overrides(tmp_path):
    root = tmp_path / "s"
    root.mkdir()
    (root / "site.toml").write_text('title = " Cek "\nbase_url = "https://a.example/cek"\n', "utf-8")
    c = load_config(root)
    assert (c.title, c.base_url, c.language, c.output_dir, c.trusted_html, c.custom_domain, c.description) == \
        ("Cek", "https://a.example/cek/", "en", "_site", False, "", "")
    assert c.author.strip() == "Cek", "author defaults to the title"
    assert c.verdicts == () and c.strings["asserts"] == "Asserts"
    assert c.base_path == "/cek/" and str(c.src) == "site.toml:1"
    c = load_config(root, "https://other.example")
    assert c.base_url == "https://other.example/", "--base-url wins, with a trailing slash"
    (root / "site.toml").write_text('author = "Tim"\noutput_dir = "public"\ntrusted_html = true\n'
                                    'custom_domain = "cek.example.id"\n' + SITE_TOML + '[strings]\nasserts = "Mengklaim"\n',
                                    "utf-8")
    c = load_config(root)
    assert (c.author, c.output_dir, c.trusted_html, c.custom_domain, c.language, c.description) == \
        ("Tim", "public", True, "cek.example.id", "id", "Situs uji.")
    assert [(v.key, v.label, v.rating, v.description) for v in c.verdicts] == [
        ("benar", "Benar", 3, "Akurat."), ("belum-terbukti", "Belum terbukti", 2, ""), ("salah", "Salah", 1, "")]
    assert [str(v.src) for v in c.verdicts] == ["site.toml:10", "site.toml:16", "site.toml:21"]
    assert c.strings["asserts"] == "Mengklaim" and c.strings["denies"] == "Membantah", "overrides over Indonesian"


def test_english_is_the_base_and_a_regional_language_falls_back(tmp_path):
    root = tmp_path / "s"
    root.mkdir()
    (root / "site.toml").write_text(HEAD + 'language = "id-ID"\n', "utf-8")
    assert load_config(root).strings["denies"] == "Membantah"
    (root / "site.toml").write_text(HEAD + 'language = "fr"\n', "utf-8")
    assert load_config(root).strings["denies"] == "Denies"


def test_the_site_own_strings_win_over_the_theme(tmp_path):
    root = tmp_path / "s"
    (root / "templates/strings").mkdir(parents=True)
    (root / "site.toml").write_text(HEAD + 'language = "id"\n', "utf-8")
    (root / "templates/strings/id.toml").write_text('denies = "Menyangkal"\n', "utf-8")
    strings = load_config(root).strings
    assert strings["denies"] == "Menyangkal" and strings["asserts"] == "Menyatakan"


def test_a_verdict_with_a_bad_rating_does_not_hide_the_next_ones(tmp_path):
    text = HEAD + '[[verdicts]]\nkey = "a"\nlabel = "A"\nrating = "1"\n[[verdicts]]\nkey = "b"\nrating = 2\n'
    assert errors(tmp_path / "s", text) == ["site.toml:3: verdict 'a' needs a whole-number rating",
                                            "site.toml:7: verdict 'b' lacks a label"]
    root = tmp_path / "ok"
    root.mkdir()
    (root / "site.toml").write_text(HEAD + '[[verdicts]]\nkey = "a"\nlabel = "A"\nrating = 1\n'
                                    '[[verdicts]]\nkey = "b"\nlabel = "B"\nrating = 2\n', "utf-8")
    assert [v.key for v in load_config(root).verdicts] == ["a", "b"]


def test_a_strings_file_that_is_not_utf8_is_reported_at_its_path(tmp_path):
    root = tmp_path / "s"
    (root / "templates/strings").mkdir(parents=True)
    (root / "site.toml").write_text(HEAD + 'language = "id"\n', "utf-8")
    (root / "templates/strings/id.toml").write_bytes('asserts = "Menyatakan"\ndenies = "Mem\xe9bantah"\n'.encode("latin-1"))
    with pytest.raises(SiteError) as e:
        load_config(root)
    found = [str(p) for p in e.value.problems]
    assert len(found) == 1 and found[0].startswith("templates/strings/id.toml:2: "), found


def test_the_default_author_is_the_title_as_shown(tmp_path):
    """ClaimReview names the fact-checker: without `author`, the site's title, without its stray spaces."""
    from conftest import SITE_TOML, make_site
    from generator.config import load_config
    root = make_site(tmp_path / "s", {"site.toml": SITE_TOML.replace('title = "Cek Klaim Uji"', 'title = "  Cek Klaim Uji "')},
                     base=None)
    assert load_config(root).author == "Cek Klaim Uji"


def test_a_quoted_key_is_reported_at_its_own_line(tmp_path):
    """A topic whose key has a space must be quoted in TOML ("Sanksi Baru" = …), as may any key: its error still
    names its own line, not line 1."""
    text = HEAD + '\n[topics]\nsanksi = "Sanksi"\n"Sanksi Baru" = "Sanksi baru"\n'
    assert errors(tmp_path / "s", text) == [
        "site.toml:6: topic 'Sanksi Baru' in [topics] is not a valid SLUG: use lowercase letters, digits and hyphens"]
    assert errors(tmp_path / "t", HEAD + "\n'descripton' = \"x\"\n") == [
        "site.toml:4: unknown field 'descripton' (did you mean 'description'?)"]
