"""`check --coverage`: attributed sentences without an annotation, at their line, with the actor they probably name."""
from __future__ import annotations

import json

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
                             '"Jake Sullivan mengatakan Korea Utara akan membayar mahal." '
                             '(probably asserts: jake-sullivan)')
    assert "(probably asserts: 'Artyom Lukin', not among the actors)" in str(found[2])


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
           f"(probably denies: rusia)" in result.stdout
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
    assert str(said).endswith("(probably asserts: jake-sullivan) \u2014 claim? korea-utara-memasok-senjata")


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


def test_every_actor_of_a_sentence_with_the_stance_of_its_verb(site):
    """"dibantah oleh Moskow dan Pyongyang": both, as deniers; the most specific actor of a name inside another."""
    text = ARTICLE.replace('"Kami tidak memasok apa pun," kata Artyom Lukin.',
                           'Tuduhan itu dibantah oleh Moskow dan Pyongyang. Presiden Rusia Vladimir Putin '
                           'mengatakan kerja sama itu sah. Seorang pejabat senior NATO mengatakan pasokan itu nyata.')
    root = site({"content/articles/menampik.md": text,
                 "content/actors/rusia.yaml": "name: Rusia\nkind: government\naliases: [Moskow]\n",
                 "content/actors/korea-utara.yaml": "name: Korea Utara\nkind: government\naliases: [Pyongyang]\n",
                 "content/actors/vladimir-putin.yaml": "name: Vladimir Putin\nkind: person\naffiliation: rusia\n",
                 "content/actors/nato.yaml": "name: NATO\nkind: organization\n",
                 "content/actors/pejabat-senior-nato.yaml": "name: Pejabat senior NATO (anonim)\nkind: person\n"
                                                            "affiliation: nato\n"})
    found = {u.sentence: u for u in find_unannotated(root).found}
    denied = found["Tuduhan itu dibantah oleh Moskow dan Pyongyang."]
    assert (denied.actors, denied.stance) == (("rusia", "korea-utara"), "denies")
    assert str(denied).endswith("(probably denies: rusia, korea-utara)")
    assert found["Presiden Rusia Vladimir Putin mengatakan kerja sama itu sah."].actors == ("vladimir-putin",)
    said = found["Seorang pejabat senior NATO mengatakan pasokan itu nyata."]
    assert (said.actors, said.stance) == (("pejabat-senior-nato",), "asserts")


def test_a_fragment_is_never_offered_as_a_name(site):
    text = ARTICLE.replace('"Kami tidak memasok apa pun," kata Artyom Lukin.',
                           'Kunjungan itu dilaporkan oleh agensi berita negara Tass. Para analis menyebut Rusia '
                           'butuh peluru. Ini terjadi atas tuduhan itu, kata para ahli. Surat itu keluar, atas '
                           'tuduhan kejahatan perang oleh Pengadilan Pidana Internasional (International Criminal '
                           'Court/ICC).')
    root = site({"content/articles/menampik.md": text})
    found = {u.sentence: (u.actors, u.named) for u in find_unannotated(root).found}
    assert found["Kunjungan itu dilaporkan oleh agensi berita negara Tass."] == ((), "Tass")
    assert found["Para analis menyebut Rusia butuh peluru."] == ((), "")  # described, not named; Rusia is spoken of
    assert found["Ini terjadi atas tuduhan itu, kata para ahli."] == ((), "")
    assert found["Surat itu keluar, atas tuduhan kejahatan perang oleh Pengadilan Pidana Internasional (International "
                 "Criminal Court/ICC)."] == ((), "Pengadilan Pidana Internasional")  # whole, and no more
    assert "nobody named" in "\n".join(listed(root))


def test_coverage_reports_every_error_of_check_and_exits_1(site):
    root = site({"content/articles/menampik.md": ARTICLE.replace("outlet: antara", "outlet: antra")})
    result = run_cli("check", "--coverage", "--site", str(root))
    assert result.returncode == 1
    assert "content/articles/menampik.md:3: unknown outlet 'antra' (did you mean 'antara'?)" in result.stderr
    as_json = run_cli("check", "--coverage", "--format", "json", "--site", str(root))
    assert as_json.returncode == 1
    items = json.loads(as_json.stdout)
    assert {"path": "content/articles/menampik.md", "line": 3, "severity": "error",
            "message": "unknown outlet 'antra' (did you mean 'antara'?)", "suggestion": "antara"} in items
    root = site({"content/articles/menampik.md": ARTICLE})
    items = json.loads(run_cli("check", "--coverage", "--format", "json", "--site", str(root)).stdout)
    advice = [i for i in items if i["severity"] == "advice"]
    assert advice[0] == {"path": "content/articles/menampik.md", "line": TOP + 1, "severity": "advice",
                         "message": 'unannotated attribution: "Rusia menampik tuduhan itu." (probably denies: rusia)',
                         "sentence": "Rusia menampik tuduhan itu.", "verb": "menampik", "stance": "denies",
                         "actors": ["rusia"], "named": None, "claim": None}
    github = run_cli("check", "--coverage", "--format", "github", "--site", str(root)).stdout
    assert f"::notice file=content/articles/menampik.md,line={TOP + 1}::unannotated attribution: " in github


def test_the_report_cuts_a_long_sentence_says_who_is_named_and_counts_in_words():
    """`check --coverage`'s lines as a desk reads them: a sentence over 160 characters cut with '…' (never after a
    space), the speaker or "nobody named", and the summary's plurals."""
    from generator.coverage import Coverage, Unannotated
    from generator.errors import Src
    long = "Rusia menampik tuduhan " + "a" * 135 + " kata juru bicara"  # 175 characters, the 159th a space
    exact = "x" * 160
    found = (Unannotated(Src("content/articles/a.md", 9), long, "menampik", (), ""),
             Unannotated(Src("content/articles/a.md", 12), exact, "menampik", ("rusia", "korea-utara"), "",
                         stance="denies"),
             Unannotated(Src("content/articles/b.md", 7), "Kremlin membantah.", "membantah", (), "Kremlin"))
    assert len(long) == 175 and long[158] == " "
    assert Coverage(found, 2, ()).report().split("\n") == [
        f'content/articles/a.md:9: unannotated attribution: "{long[:158]}\u2026" (probably asserts: nobody named)',
        f'content/articles/a.md:12: unannotated attribution: "{exact}" (probably denies: rusia, korea-utara)',
        "content/articles/b.md:7: unannotated attribution: \"Kremlin membantah.\" (probably asserts: 'Kremlin', not "
        "among the actors)",
        "coverage: 3 attributed sentences without an annotation in 2 of 2 articles (advice, not errors)"]
    assert Coverage(found[:1], 1, ()).report().split("\n")[-1] == \
        "coverage: 1 attributed sentence without an annotation in 1 of 1 article (advice, not errors)"
    assert Coverage(found[:2], 2, ()).report().split("\n")[-1] == \
        "coverage: 2 attributed sentences without an annotation in 1 of 2 articles (advice, not errors)"
