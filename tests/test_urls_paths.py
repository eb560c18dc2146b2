"""urls.py: page paths, relative roots, output files, absolute URLs and Text Fragments, as a browser reads them."""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote

from generator.model import Config
from generator.urls import absolute, output_file, page_path, root_for, text_fragment



def config(base_url="https://newsroom.github.io/cek/") -> Config:
    fields = {f: None for f in Config.__dataclass_fields__}
    fields.update(title="T", description="", base_url=base_url, language="id", output_dir="_site", author="T",
                  trusted_html=False, custom_domain="", verdicts=(), strings={})
    return Config(**{k: v for k, v in fields.items() if k in Config.__dataclass_fields__})


def test_page_paths():
    assert page_path("claims", "x") == "claims/x/"
    assert page_path("claims") == "claims/"


def test_pages_link_relatively_and_404_absolutely():
    c = config()
    assert root_for("", c) == "./"
    assert root_for("claims/", c) == "../"
    assert root_for("claims/x/", c) == "../../"
    assert root_for("claims/x/embed/", c) == "../../../"
    assert root_for("feed.xml", c) == "./"
    assert root_for("404.html", c) == "/cek/"
    assert root_for("404.html", config("https://cek.example.id/")) == "/"


def test_output_files():
    assert output_file("") == "index.html"
    assert output_file("claims/x/") == "claims/x/index.html"
    assert output_file("feed.xml") == "feed.xml"


def test_absolute_urls_follow_the_base_url():
    assert absolute(config(), "claims/x/") == "https://newsroom.github.io/cek/claims/x/"
    assert absolute(config(), "") == "https://newsroom.github.io/cek/"


def test_a_short_passage_is_named_whole_in_its_text_fragment():
    url = text_fragment("https://x.example/a#old", "Baik  Pyongyang\nmaupun-Moskow, 100% “ya”")
    assert url == "https://x.example/a#:~:text=Baik%20Pyongyang%20maupun%2DMoskow%2C%20100%25%20%E2%80%9Cya%E2%80%9D"
    assert unquote(url.split("=", 1)[1]) == "Baik Pyongyang maupun-Moskow, 100% “ya”"


def test_a_passage_of_more_than_ten_words_is_named_by_its_first_and_last_five():
    ten = "a b c d e f g h i j"
    assert text_fragment("u", ten) == "u#:~:text=a%20b%20c%20d%20e%20f%20g%20h%20i%20j"
    eleven = ten + " k"
    assert text_fragment("u", eleven) == "u#:~:text=a%20b%20c%20d%20e,g%20h%20i%20j%20k"


def test_a_text_fragment_replaces_any_fragment_and_escapes_slashes():
    assert text_fragment("https://x.example/a#b#c", "24/7 siaga") == "https://x.example/a#:~:text=24%2F7%20siaga"
