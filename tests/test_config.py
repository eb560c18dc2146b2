"""site.toml → Config: the values a valid site gets (defaults, stripping, UI strings, lines), the theme folders, and
the edges of what site.toml accepts. The mistakes themselves: test_config_errors.py."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from generator import config as config_module
from generator.config import THEME, load_config, theme_dirs
from generator.errors import SiteError

HEAD = 'title = "T"\nbase_url = "https://a.example/cek/"\n'  # lines 1 and 2
ENGLISH = tomllib.loads((THEME / "templates/strings/en.toml").read_text("utf-8"))
INDONESIAN = tomllib.loads((THEME / "templates/strings/id.toml").read_text("utf-8"))


def write(root, text: str | bytes, files: dict[str, str] | None = None):
    root.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        (root / "site.toml").write_bytes(text)
    else:
        (root / "site.toml").write_text(text, "utf-8")
    for name, body in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(body, "utf-8")
    return root


def config(root, text: str, files: dict[str, str] | None = None, base_url: str | None = None):
    return load_config(write(root, text, files), base_url)


def errors(root, text: str | bytes, files: dict[str, str] | None = None, base_url: str | None = None) -> list[str]:
    with pytest.raises(SiteError) as e:
        load_config(write(root, text, files), base_url)
    return [str(p) for p in e.value.problems]


# --- the values of a valid site.toml ---

def test_a_site_toml_with_a_title_and_a_base_url_gets_every_default(tmp_path):
    c = config(tmp_path / "s", HEAD)
    assert (c.title, c.description, c.base_url, c.language, c.output_dir, c.author, c.custom_domain) == \
        ("T", "", "https://a.example/cek/", "en", "_site", "T", "")
    assert c.trusted_html is False and c.verdicts == () and c.topics == {}
    assert c.strings == ENGLISH, "the theme's English text, nothing more"
    assert str(c.src) == "site.toml:1"


def test_a_missing_base_url_is_one_problem_not_two(tmp_path):
    assert errors(tmp_path / "s", 'title = "T"\n') == ["site.toml:1: missing required field 'base_url'"]
    assert errors(tmp_path / "t", 'base_url = "https://a.example/"\n') == [
        "site.toml:1: missing required field 'title'"]


def test_base_url_gets_one_trailing_slash_and_loses_surrounding_blanks(tmp_path):
    for written, shown in [("https://a.example/cek", "https://a.example/cek/"),
                           ("https://a.example/cek/", "https://a.example/cek/"),
                           ("https://a.example/cek//", "https://a.example/cek/"),
                           ("https://a.example", "https://a.example/"),
                           (" https://a.example/cek ", "https://a.example/cek/"),
                           ("https://a.example/TX", "https://a.example/TX/")]:
        c = config(tmp_path / "s", f'title = "T"\nbase_url = "{written}"\n')
        assert (c.base_url, c.base_path) == (shown, shown.removeprefix("https://a.example")), written


def test_the_base_url_option_wins_over_site_toml(tmp_path):
    c = config(tmp_path / "s", HEAD, base_url="https://newsroom.github.io/cek")
    assert c.base_url == "https://newsroom.github.io/cek/" and c.base_path == "/cek/"
    c = config(tmp_path / "s", HEAD, base_url=" http://localhost:8000 ")
    assert c.base_url == "http://localhost:8000/"


def test_a_bad_base_url_option_is_reported_at_the_option_not_at_site_toml(tmp_path):
    assert errors(tmp_path / "s", HEAD, base_url="newsroom.github.io/cek") == [
        "--base-url: base_url must be an absolute http(s) URL: 'newsroom.github.io/cek'"]
    assert errors(tmp_path / "t", 'title = "T"\n\nbase_url = "cek/"\n') == [
        "site.toml:3: base_url must be an absolute http(s) URL: 'cek/'"]


def test_title_description_and_author_lose_their_surrounding_blanks(tmp_path):
    c = config(tmp_path / "s", 'title = " Cek Fakta "\nbase_url = "https://a.example/"\n'
                               'description = "  Situs cek fakta.\\n"\nauthor = " Tim Cek "\n')
    assert (c.title, c.description, c.author) == ("Cek Fakta", "Situs cek fakta.", "Tim Cek")
    c = config(tmp_path / "t", 'title = " Cek Fakta "\nbase_url = "https://a.example/"\nauthor = ""\n')
    assert c.author == "Cek Fakta", "an empty author falls back to the title as well"


def test_trusted_html_custom_domain_and_output_dir_as_written(tmp_path):
    c = config(tmp_path / "s", HEAD + 'trusted_html = true\ncustom_domain = "cek.example.id"\noutput_dir = "public"\n')
    assert (c.trusted_html, c.custom_domain, c.output_dir) == (True, "cek.example.id", "public")
    assert c.trusted_html is True


def test_topic_names_lose_their_surrounding_blanks(tmp_path):
    c = config(tmp_path / "s", HEAD + '[topics]\nsanksi = " Sanksi "\nkorea-utara = "Korea Utara"\n')
    assert c.topics == {"sanksi": "Sanksi", "korea-utara": "Korea Utara"}


def test_a_blank_topic_name_is_refused(tmp_path):
    assert errors(tmp_path / "s", HEAD + '\n[topics]\nsanksi = "  "\n') == [
        "site.toml:4: [topics] must map each topic's SLUG to its name: sanksi = \"Sanksi\""]
    assert errors(tmp_path / "t", HEAD + 'topics = "sanksi"\n') == [
        "site.toml:3: [topics] must map each topic's SLUG to its name: sanksi = \"Sanksi\""]


# --- UI strings: English, then the language's file (theme, then the site's own), then [strings] ---

def test_strings_stack_english_the_language_file_and_the_overrides(tmp_path):
    c = config(tmp_path / "s", HEAD + 'language = "id"\n[strings]\nasserts = "Mengklaim"\n')
    assert c.strings == {**INDONESIAN, "asserts": "Mengklaim"}


def test_a_language_without_a_file_of_its_own_shows_english_under_the_site_own_words(tmp_path):
    c = config(tmp_path / "s", HEAD + 'language = "fr"\n', {"templates/strings/fr.toml": 'denies = "Dément"\n'})
    assert c.language == "fr" and c.strings == {**ENGLISH, "denies": "Dément"}


def test_the_site_own_strings_file_wins_over_the_theme_one(tmp_path):
    c = config(tmp_path / "s", HEAD, {"templates/strings/en.toml": 'denies = "Says no"\n'})
    assert c.strings == {**ENGLISH, "denies": "Says no"}


def test_a_regional_language_falls_back_to_its_language(tmp_path):
    c = config(tmp_path / "s", HEAD + 'language = "en-GB"\n')
    assert c.language == "en-GB" and c.strings == ENGLISH
    c = config(tmp_path / "t", HEAD + 'language = "id-ID"\n',
               {"templates/strings/id-ID.toml": 'denies = "Menyangkal"\n'})
    assert c.language == "id-ID" and c.strings == {**INDONESIAN, "denies": "Menyangkal"}


def test_after_a_bad_language_the_overrides_are_checked_against_english(tmp_path):
    assert errors(tmp_path / "s", HEAD + 'language = "en_GB"\n[strings]\nasserts = "Claims"\n') == [
        "site.toml:3: language must be a BCP 47 tag such as 'id' or 'en-GB': 'en_GB'"]


# --- lines: where each field stands, for the messages that come after loading (the build's output folder) ---

def test_lines_name_the_line_of_each_field_and_table(tmp_path):
    text = ('# a site\n\ntitle = "T"\n  "base_url"= "https://a.example/"\n\'output_dir\' = "public"\n'
            '[[verdicts]]\nkey = "a"\nlabel = "A"\nrating = 1\n'
            '[ strings ]\nasserts = "Claims"\n\n[topics]\nsanksi = "Sanksi"\n')
    assert config(tmp_path / "s", text).lines == {
        "title": 3, "base_url": 4, "output_dir": 5, "strings": 10, "topics": 13}


def test_each_verdict_is_at_the_line_of_its_own_table(tmp_path):
    text = HEAD + ('\n[[verdicts]]\nkey = "a"\nlabel = "A"\nrating = 2\n'
                   '  [[ verdicts ]]\nkey = "b"\nlabel = "B"\nrating = 1\n')
    assert [str(v.src) for v in config(tmp_path / "s", text).verdicts] == ["site.toml:4", "site.toml:8"]


# --- theme folders ---

def test_theme_dirs_put_the_site_own_folder_first(tmp_path):
    (tmp_path / "s/templates").mkdir(parents=True)
    assert theme_dirs(tmp_path / "s", "templates") == [tmp_path / "s/templates", THEME / "templates"]
    assert theme_dirs(tmp_path / "s", "static") == [THEME / "static"], "no folder of its own: the theme's only"


def test_theme_dirs_list_the_theme_once_when_the_site_is_the_theme(tmp_path, monkeypatch):
    monkeypatch.chdir(THEME)  # `factcheck build` in the repository itself: --site .
    assert theme_dirs(Path("."), "templates") == [Path("templates")]
    (tmp_path / "s").mkdir()
    (tmp_path / "s/static").symlink_to(THEME / "static")
    assert theme_dirs(tmp_path / "s", "static") == [tmp_path / "s/static"]


# --- what site.toml accepts, at its edges ---

def test_base_url_accepts_a_port_and_path_characters_not_a_query_or_a_space(tmp_path):
    for url in ["https://a.example:8080/cek/", "http://localhost:8000", "https://a.example/~tim/cek%20fakta/",
                "https://a.example/(a)!$&*+,;=:@-._/"]:
        assert config(tmp_path / "s", f'title = "T"\nbase_url = "{url}"\n').base_url.startswith(url.rstrip("/")), url
    for url in ["https://a.example/cek?x=1", "https://a.example/cek#x", "https://a.example/cek fakta/",
                "https://", "https://a.example:port/", "//a.example/"]:
        assert errors(tmp_path / "s", f'title = "T"\nbase_url = "{url}"\n') == [
            f"site.toml:2: base_url must be an absolute http(s) URL: {url!r}"], url


def domain_error(value: str) -> str:
    return f"site.toml:3: custom_domain must be a host name such as 'cekfakta.example.org': {value!r}"


def test_custom_domain_labels_of_63_characters_not_64(tmp_path):
    ok = "a" * 63 + ".example.id"
    assert config(tmp_path / "s", HEAD + f'custom_domain = "{ok}"\n').custom_domain == ok
    bad = "a" * 64 + ".example.id"
    assert errors(tmp_path / "t", HEAD + f'custom_domain = "{bad}"\n') == [domain_error(bad)]


def test_custom_domain_must_be_a_host_name_with_a_dot(tmp_path):
    for bad in ["localhost", "https://cek.example.id", "cek.example.id/", "-cek.example.id", "cek-.example.id",
                "cek_fakta.example.id", "cek.example.id:443"]:
        assert errors(tmp_path / "s", HEAD + f'custom_domain = "{bad}"\n') == [domain_error(bad)], bad
    assert errors(tmp_path / "t", HEAD + 'custom_domain = 3\n') == [domain_error("3")]
    long = "x" * 100
    assert errors(tmp_path / "u", HEAD + f'custom_domain = "{long}"\n') == [domain_error("x" * 80)]
    whole = ("a" * 63 + ".") * 3 + "a" * 61  # 253 characters: the longest name there is
    assert config(tmp_path / "v", HEAD + f'custom_domain = "{whole}"\n').custom_domain == whole
    assert errors(tmp_path / "w", HEAD + f'custom_domain = "{whole}a"\n') == [domain_error((whole + "a")[:80])]


def language_error(value: str) -> str:
    return f"site.toml:3: language must be a BCP 47 tag such as 'id' or 'en-GB': {value!r}"


def test_language_is_a_bcp47_tag(tmp_path):
    for tag in ["fil", "zh-Hant-TW", "en-12345678", "ID"]:
        assert config(tmp_path / "s", HEAD + f'language = "{tag}"\n').language == tag
    for bad in ["e", "engl", "en_GB", "en-", "en-123456789", "id/../x", ""]:
        assert errors(tmp_path / "t", HEAD + f'language = "{bad}"\n') == [language_error(bad)], bad
    assert errors(tmp_path / "u", HEAD + 'language = 3\n') == [language_error("3")]
    assert errors(tmp_path / "v", HEAD + f'language = "{"id-" * 20}"\n') == [language_error(("id-" * 20)[:40])]


def test_output_dir_must_be_a_folder_of_its_own(tmp_path):
    own = "site.toml:3: output_dir must name a folder of its own, such as '_site'"
    assert errors(tmp_path / "s", HEAD + 'output_dir = ""\n') == [own]
    assert errors(tmp_path / "s", HEAD + 'output_dir = "  "\n') == [own]
    assert errors(tmp_path / "s", HEAD + 'output_dir = 3\n') == [own]
    root = tmp_path / "s"
    assert errors(root, HEAD + 'output_dir = "."\n') == [
        f"site.toml:3: the output folder {str(root / '.')!r} is the site folder or holds it: the build replaces its "
        "output whole, so it must be a folder of its own, such as '_site'"]
    assert errors(root, HEAD + 'output_dir = "content/_site"\n') == [
        f"site.toml:3: the output folder {str(root / 'content/_site')!r} lies in the site's content/: choose a folder "
        "of its own, such as '_site'"]


def test_an_output_dir_that_holds_other_files_is_left_for_the_build_to_refuse(tmp_path):
    """`check` reads the site without building it: an output folder someone filled is the build's concern."""
    c = config(tmp_path / "s", HEAD + 'output_dir = "public"\n', {"public/index.html": "<p>mine</p>"})
    assert c.output_dir == "public"


# --- the lines of files that cannot be read ---

def test_malformed_toml_is_reported_at_its_line(tmp_path):
    found = errors(tmp_path / "s", HEAD + '\nlanguage = "id"\nlanguage = "en"\n\n[topics]\nsanksi = "Sanksi"\n')
    assert found == ["site.toml:5: malformed TOML: Cannot overwrite a value (at line 5, column 16)"]


def test_malformed_toml_at_the_end_of_the_file_is_reported_at_its_last_line(tmp_path):
    assert errors(tmp_path / "s", HEAD + 'description = "Situs') == [
        "site.toml:3: malformed TOML: Unterminated string (at end of document)"]
    assert errors(tmp_path / "t", HEAD + 'topics = [\n  "a",\n\n') == [
        "site.toml:4: malformed TOML: Invalid value (at end of document)"]


def test_an_integer_of_thousands_of_digits_is_reported_at_its_line(tmp_path):
    found = errors(tmp_path / "s", HEAD + "\nrating = " + "9" * 5000 + "\n")
    assert found == ["site.toml:4: malformed TOML: Exceeds the limit (4300 digits) for integer string conversion: "
                     "value has 5000 digits"]
    found = errors(tmp_path / "t", "rating = " + "9" * 5000 + "\n" + HEAD)
    assert [f.split(" malformed")[0] for f in found] == ["site.toml:1:"]


def test_an_integer_of_thousands_of_digits_with_underscores_is_reported_at_its_line(tmp_path):
    found = errors(tmp_path / "s", HEAD + "ratings = [\n  1,\n  " + "_".join(["999"] * 1500) + ",\n]\n")
    assert found == ["site.toml:5: malformed TOML: Exceeds the limit (4300 digits) for integer string conversion: "
                     "value has 4500 digits"]


def test_a_site_toml_that_is_not_utf8_is_reported_at_the_line_of_the_bad_byte(tmp_path):
    assert errors(tmp_path / "s", (HEAD + 'author = "Tim Caf\xe9"\n').encode("latin-1")) == [
        "site.toml:3: not UTF-8: byte 0xe9 cannot be read (save the file as UTF-8)"]


def test_a_strings_file_is_named_from_the_site_folder_even_through_a_link(tmp_path):
    real = write(tmp_path / "real", HEAD + 'language = "id"\n', {"templates/strings/id.toml": 'asserts = \n'})
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(SiteError) as e:
        load_config(tmp_path / "link")
    assert [str(p) for p in e.value.problems] == [
        "templates/strings/id.toml:1: malformed TOML: Invalid value (at line 1, column 11)"]


def test_a_broken_strings_file_of_the_theme_is_named_by_its_full_path(tmp_path, monkeypatch):
    theme = tmp_path / "theme"
    (theme / "templates/strings").mkdir(parents=True)
    (theme / "templates/strings/en.toml").write_text('asserts = "Asserts"\n\ndenies = \n', "utf-8")
    monkeypatch.setattr(config_module, "THEME", theme)
    assert errors(tmp_path / "s", HEAD) == [
        f"{(theme / 'templates/strings/en.toml').as_posix()}:3: malformed TOML: Invalid value (at line 3, column 10)"]


# --- verdicts written otherwise than as [[verdicts]] tables ---

def test_verdicts_as_a_list_of_words_is_a_problem_not_a_crash(tmp_path):
    assert errors(tmp_path / "s", HEAD + '\nverdicts = ["benar", "salah"]\n') == [
        "site.toml:4: verdicts must be an array of tables: [[verdicts]]"]
    assert errors(tmp_path / "t", HEAD + 'verdicts = [1]\n') == [
        "site.toml:3: verdicts must be an array of tables: [[verdicts]]"]


def test_verdicts_as_inline_tables_are_reported_at_the_verdicts_line(tmp_path):
    text = HEAD + '\nverdicts = [\n  {key = "a", label = "A", rating = 1},\n  {key = "b", label = "B"},\n]\n'
    assert errors(tmp_path / "s", text) == ["site.toml:4: verdict 'b' needs a whole-number rating"]
    c = config(tmp_path / "t", text.replace('label = "B"}', 'label = "B", rating = 0}'))
    assert [(v.key, v.rating, str(v.src)) for v in c.verdicts] == [("a", 1, "site.toml:4"), ("b", 0, "site.toml:4")]
