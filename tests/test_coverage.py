"""`check --coverage`: attributed sentences without an annotation, at their line, with the actor they probably name."""
from __future__ import annotations

from conftest import SITE_TOML, run_cli
from generator.coverage import find_unannotated

ARTICLE = """\
---
title: Rusia menampik tuduhan
outlet: antara
published: 2023-09
annotations:
  - claim: korea-utara-memasok-senjata
    quote: Korea Utara memasok senjata ke Rusia
    asserts: [amerika-serikat]
---
Amerika Serikat menuduh Korea Utara memasok senjata ke Rusia. Kim tiba di
Vladivostok dengan kereta. Rusia menampik tuduhan itu.

Pejabat itu lalu pulang. Jake Sullivan mengatakan Korea Utara akan membayar
mahal.

"Kami tidak memasok apa pun," kata Artyom Lukin.
"""
TOP = 10  # the line of the body's first paragraph


def listed(root) -> list[str]:
    return [str(u) for u in find_unannotated(root).found]


def test_an_unannotated_attributed_sentence_is_listed_at_its_line_with_its_actor(site):
    root = site({"content/articles/menampik.md": ARTICLE})
    found = [u for u in find_unannotated(root).found if u.src.path == "content/articles/menampik.md"]
    assert [(u.src.line, u.sentence, u.actor, u.named) for u in found] == [
        (TOP + 1, "Rusia menampik tuduhan itu.", "rusia", ""),  # it starts on the paragraph's second line
        (TOP + 3, "Jake Sullivan mengatakan Korea Utara akan membayar mahal.", "jake-sullivan", ""),
        (TOP + 6, '"Kami tidak memasok apa pun," kata Artyom Lukin.', "", "Artyom Lukin"),
    ]
    assert str(found[1]) == ('content/articles/menampik.md:13: unannotated attribution: '
                             '"Jake Sullivan mengatakan Korea Utara akan membayar mahal." (probably: jake-sullivan)')
    assert "(probably: 'Artyom Lukin', not among the actors)" in str(found[2])


def test_an_annotated_sentence_is_not_listed(site):
    root = site({"content/articles/menampik.md": ARTICLE})
    shown = "\n".join(listed(root))
    assert "Amerika Serikat menuduh" not in shown  # its passage is annotated
    assert "Baik Pyongyang maupun Moskow membantah" not in shown  # the base site's annotated denial
    assert "kata Blinken" not in shown
    assert "Kim tiba di Vladivostok" not in shown  # no attribution


def test_the_command_lists_them_and_exits_0(site):
    root = site({"content/articles/menampik.md": ARTICLE})
    result = run_cli("check", "--coverage", "--site", str(root))
    assert result.returncode == 0, result.stderr
    assert f"content/articles/menampik.md:{TOP + 1}: unannotated attribution: \"Rusia menampik tuduhan itu.\" " \
           f"(probably: rusia)" in result.stdout
    assert "coverage: 3 attributed sentences without an annotation in 1 of 3 articles" in result.stdout


def test_the_speaker_after_the_verb(site):
    root = site({"content/articles/menampik.md": ARTICLE.replace(
        '"Kami tidak memasok apa pun," kata Artyom Lukin.',
        '"Korea Utara memasok peluru," kata Blinken, Menteri Luar Negeri AS. Menurut Rusia, itu bohong.')})
    found = {u.sentence: u.actor for u in find_unannotated(root).found}
    assert found['"Korea Utara memasok peluru," kata Blinken, Menteri Luar Negeri AS.'] == "antony-blinken"
    assert found["Menurut Rusia, itu bohong."] == "rusia"


def test_english_words_for_an_english_article(site):
    english = ARTICLE.replace("published: 2023-09\n", "published: 2023-09\nlanguage: en\n").split("---\n")
    english[2] = ("Amerika Serikat menuduh Korea Utara memasok senjata ke Rusia. The claim was denied by Rusia.\n\n"
                  "Antony Blinken said that the shells were already on their way.\n\n"
                  "Rusia menampik tuduhan itu.\n")
    root = site({"content/articles/english.md": "---\n".join(english)})
    found = [(u.sentence, u.actor) for u in find_unannotated(root).found if u.src.path.endswith("english.md")]
    assert found == [("The claim was denied by Rusia.", "rusia"),
                     ("Antony Blinken said that the shells were already on their way.", "antony-blinken")]


def test_the_words_come_from_the_strings(site):
    root = site({"content/articles/menampik.md": ARTICLE,
                 "site.toml": SITE_TOML.replace('language = "id"\n',
                                                'language = "id"\n\n[strings]\nattribution_verbs = ["pulang"]\n')})
    assert [(u.src.line, u.sentence) for u in find_unannotated(root).found] == [(TOP + 3, "Pejabat itu lalu pulang.")]


def test_a_quote_that_spans_sentences_does_not_hide_its_speaker(site):
    text = ARTICLE.replace('"Kami tidak memasok apa pun," kata Artyom Lukin.',
                           '"Kami tidak memasok Rusia. Jake Sullivan keliru," ujar Korea Utara.')
    root = site({"content/articles/menampik.md": text})
    found = {u.sentence: u.actor for u in find_unannotated(root).found}
    assert found['Jake Sullivan keliru," ujar Korea Utara.'] == "korea-utara"


def test_an_ending_and_the_claim_it_probably_makes(site):
    text = ARTICLE.replace("Jake Sullivan mengatakan Korea Utara akan membayar\nmahal.",
                           "Jake Sullivan mengulanginya: Korea Utara memasok senjata ke Rusia. Rusia\nmenampiknya.")
    root = site({"content/articles/menampik.md": text})
    found = {u.sentence: u for u in find_unannotated(root).found}
    assert found["Rusia menampiknya."].actor == "rusia"  # "menampik" with the ending "-nya"
    assert found["Rusia menampiknya."].src.line == TOP + 3
    assert "Jake Sullivan mengulanginya: Korea Utara memasok senjata ke Rusia." not in found  # no attribution word
    said = found["Rusia menampik tuduhan itu."]
    assert said.claim == "" and "claim?" not in str(said)
    root = site({"content/articles/menampik.md": text.replace("mengulanginya", "mengatakan")})
    said = {u.sentence: u for u in find_unannotated(root).found}[
        "Jake Sullivan mengatakan: Korea Utara memasok senjata ke Rusia."]
    assert (said.actor, said.claim) == ("jake-sullivan", "korea-utara-memasok-senjata")
    assert str(said).endswith("(probably: jake-sullivan) \u2014 claim? korea-utara-memasok-senjata")


def test_a_pronoun_names_the_last_speaker(site):
    text = ARTICLE.replace('"Kami tidak memasok apa pun," kata Artyom Lukin.',
                           'Dia menambahkan, "Korea Utara akan membayar."')
    root = site({"content/articles/menampik.md": text})
    found = {u.sentence: (u.actor, u.named) for u in find_unannotated(root).found}
    assert found['Dia menambahkan, "Korea Utara akan membayar."'] == ("jake-sullivan", "")
    text = text.replace("Jake Sullivan mengatakan", "Jake Sullivan berharap")
    root = site({"content/articles/menampik.md": text})
    found = {u.sentence: (u.actor, u.named) for u in find_unannotated(root).found}
    assert found['Dia menambahkan, "Korea Utara akan membayar."'] == ("rusia", "")  # "Rusia menampik …" came last
