"""`new article|claim|actor`: a copy keeps every word and gets its paragraphs back; a refusal writes nothing."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from generator.annotate import fold
from generator.fields import split_front_matter
from generator.load import load_actor, load_article, load_claim
from generator.new import glue_points, read_copy, shown_text, write_new

SEEDS = (REPO.parent if REPO.name == "mutants" else REPO).parent / "shared" / "seeds"  # mutmut runs in PROJECT/mutants
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
GLUED = re.compile(r"[a-z][.?!][\"\u201d]?[A-Z][a-z]")  # a sentence end run into the next sentence


def body_of(path: Path) -> str:
    return split_front_matter(path.read_text("utf-8"), path.name, [])[1]


def new(root: Path, *args: str):
    return run_cli("new", *args, "--site", str(root))


@pytest.mark.skipif(len(SEED_FILES) != 5, reason="the five seed copies live in ../shared/seeds")
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem[:3])
def test_a_seed_keeps_every_word_and_gets_its_paragraphs_back(site, seed):
    root = site()
    result = new(root, "article", "dari-salinan", "--outlet", "antara", "--from", str(seed))
    assert result.returncode == 0, result.stderr
    out = root / "content/articles/dari-salinan.md"
    copy, body = seed.read_text("utf-8"), body_of(out)
    assert same_words(copy.split(), body.split())
    assert not GLUED.search(body), GLUED.search(body).group(0)
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    assert all("\n" not in p.strip() for p in paragraphs)
    if GLUED.search(copy):
        assert len(paragraphs) > len([line for line in copy.splitlines() if line.strip()])
        assert "inserted" in result.stdout and "paragraph break" in result.stdout
    article, problems = load_article("content/articles/dari-salinan.md", out.read_text("utf-8"), {}, False, "id")
    # What is left to write is an error, so that nothing unfinished is published: the date, the title if none was found
    placeholder = ["placeholder TODO in 'title': \"TODO: the article's title\": write the real value (nothing "
                   "unfinished is published)"]
    assert [p.message for p in problems] == (placeholder if "TODO" in out.read_text("utf-8").splitlines()[1] else []) \
        + ([] if "\npublished: " in out.read_text("utf-8") else ["missing required field 'published'"])
    if article:  # what the page shows is the copy, word for word
        assert "".join(article.text.split()) == "".join(fold(copy).split())


def same_words(copy: list[str], body: list[str]) -> bool:
    """The body's words are the copy's, in order, save that a break may cut a copy's word ("Rusia.Pemimpin")."""
    at = 0
    for word in copy:
        so_far = ""
        while so_far != word:
            if at == len(body) or not word.startswith(so_far + body[at]):
                return False
            so_far += body[at]
            at += 1
    return at == len(body)


def test_same_words_sees_a_lost_or_merged_word():
    assert same_words(["Rusia.Pemimpin", "Korea"], ["Rusia.", "Pemimpin", "Korea"])
    assert not same_words(["date", "2023-09", "Seoul"], ["Seoul"])
    assert not same_words(["Rusia", "Korea"], ["RusiaKorea"])


@pytest.mark.skipif(len(SEED_FILES) != 5, reason="the five seed copies live in ../shared/seeds")
def test_dates_and_debris_of_the_seeds(site):
    root = site()
    by_number = {p.stem[:3]: p for p in SEED_FILES}
    result = new(root, "article", "awal-mula", "--outlet", "antara", "--from", str(by_number["004"]))
    text = (root / "content/articles/awal-mula.md").read_text("utf-8")
    assert re.search(r"^published: 2023-09\b", text, re.M)
    assert body_of(root / "content/articles/awal-mula.md").startswith("date 2023-09\n\nSeoul (ANTARA)")
    assert "'date 2023-09'" in result.stdout and "debris" in result.stdout
    new(root, "article", "di-pyongyang", "--outlet", "tribunnews", "--from", str(by_number["001"]))
    assert re.search(r"^published: 2024-06-19\b", (root / "content/articles/di-pyongyang.md").read_text("utf-8"), re.M)
    result = new(root, "article", "harapan", "--outlet", "antara", "--from", str(by_number["000"]))
    assert "# TODO published" in (root / "content/articles/harapan.md").read_text("utf-8")
    assert "published: no date found" in result.stdout
    check = run_cli("check", "--site", str(root))
    assert check.returncode == 1
    assert "content/articles/harapan.md:2: missing required field 'published'" in check.stderr


@pytest.mark.parametrize("line, pieces", [
    ("di Rusia nanti?Kremlin pada Senin mengatakan", ["di Rusia nanti?", "Kremlin pada Senin mengatakan"]),
    ("nasional AS.Perkembangan terbaru", ["nasional AS.", "Perkembangan terbaru"]),
    ("kesempatan berfoto.KTT di mana dia", ["kesempatan berfoto.", "KTT di mana dia"]),
    ("menjadi semakin dekat:Korea Utara yang komunis", ["menjadi semakin dekat:", "Korea Utara yang komunis"]),
    ('bersama Korea Utara."Mengapa tidak, mereka', ["bersama Korea Utara.", '"Mengapa tidak, mereka']),
    ('"membunuh warga Ukraina".Amerika Serikat menuding', ['"membunuh warga Ukraina".', "Amerika Serikat menuding"]),
    ("pertahanan.\u201c'Operasi militer khusus'", ["pertahanan.", "\u201c'Operasi militer khusus'"]),
    ("oleh Rusia. Putin disambut di Pyongyang (RIA Novosti)",
     ["oleh Rusia. ", "Putin disambut di Pyongyang (RIA Novosti)"]),
    ("TRIBUNNEWS.COM \u2013 Presiden Rusia", ["TRIBUNNEWS.COM \u2013 Presiden Rusia"]),
    ("Menurut 1news, J.K. Rowling dan Tribunnews.com", ["Menurut 1news, J.K. Rowling dan Tribunnews.com"]),
    ("pada pukul 10.30. Dia berkata", ["pada pukul 10.30. Dia berkata"]),
    ("lihat https://www.BBC.com/News dan www.Antara.com atau redaksi@Tribun.Com", [
        "lihat https://www.BBC.com/News dan www.Antara.com atau redaksi@Tribun.Com"]),
    # a lone capital's dot is an initial (at the line's start too), two capitals' is a sentence end, as is any
    # other mark after a lone capital, or a dot after a lone small letter
    ("kata Presiden Joseph R.Biden kepada", ["kata Presiden Joseph R.Biden kepada"]),
    ("R.Biden berkata", ["R.Biden berkata"]),
    ("AS.Kemudian dia", ["AS.", "Kemudian dia"]),
    ("dari huruf a.Kemudian dia", ["dari huruf a.", "Kemudian dia"]),
    ("dipimpin Partai X!Kemudian dia", ["dipimpin Partai X!", "Kemudian dia"]),
    # an address earlier or later in the line shields only its own word
    ("di www.antara.com ada berita.Kemudian Presiden", ["di www.antara.com ada berita.", "Kemudian Presiden"]),
    ("ada berita.Kemudian lihat https://antara.com", ["ada berita.", "Kemudian lihat https://antara.com"]),
    ("ada berita.Kemudian https://antara.com kata Presiden", ["ada berita.",
                                                               "Kemudian https://antara.com kata Presiden"]),
])
def test_where_a_line_breaks(line, pieces):
    cuts = [0, *glue_points(line), len(line)]
    assert [line[a:b] for a, b in zip(cuts, cuts[1:])] == pieces


def test_markdown_never_eats_a_character_of_the_copy():
    copy = ("1. Pertama, kata dia.\n- Kedua *bukan* miring.\n# Bukan judul\n> bukan kutipan\n"
            "Harga <b>naik</b> & AT&amp;T [tautan](x) snake_case_name `kode`.\n")
    body = read_copy(copy, []).text
    text = f"---\ntitle: x\noutlet: a\npublished: 2024-01\n---\n{body}"
    article, problems = load_article("content/articles/x.md", text, {}, False, "id")
    assert not problems
    assert shown_text(article.body) == fold(" ".join(line for line in copy.splitlines()))


def test_a_title_line_is_used_and_kept():
    copy = read_copy("Putin dan Kim bertemu di Pyongyang\nPresiden Rusia tiba di Pyongyang pada 19 Juni 2024.\n",
                     ["Januari", "Februari", "Maret", "April", "Mei", "Juni"])
    assert copy.title == "Putin dan Kim bertemu di Pyongyang"
    assert copy.text.split() == ("Putin dan Kim bertemu di Pyongyang "
                                 "Presiden Rusia tiba di Pyongyang pada 19 Juni 2024.").split()
    assert copy.published == ""
    assert read_copy("Presiden tiba pada 19 Juni 2024.\n", ["Januari"] * 5 + ["Juni"]).published == "2024-06-19"
    assert read_copy("WASHINGTON (6/19/2024) - Presiden tiba.\n", []).published == "2024-06-19"  # month first
    assert read_copy("Seoul (19/6/2024) - Presiden tiba.\n", []).published == "2024-06-19"


@pytest.mark.parametrize("bad", ["Kim_Putin", "kim putin", "kim-", "kim--putin", "Kim", "kim.md", ""])
def test_an_invalid_slug_is_refused(site, tmp_path, bad):
    root = site()
    copy = tmp_path / "copy.txt"
    copy.write_text("Presiden Rusia tiba.\n", "utf-8")
    before = sorted(p.name for p in (root / "content/articles").iterdir())
    for args in (["article", bad, "--outlet", "antara", "--from", str(copy)], ["claim", bad, "--title", "T"],
                 ["actor", bad, "--name", "N", "--kind", "person"]):
        result = new(root, *args)
        assert result.returncode == 1, result.stdout
        assert f"{bad!r} is not a valid SLUG" in result.stderr
    assert sorted(p.name for p in (root / "content/articles").iterdir()) == before
    assert not (root / "content/claims" / f"{bad}.md").exists()


def test_a_taken_slug_is_refused_and_the_file_is_left_alone(site, tmp_path):
    root = site({"content/claims/sanksi-dilanggar.md": "---\ntitle: Sanksi\naliases: [nama-lama]\n---\n"})
    copy = tmp_path / "copy.txt"
    copy.write_text("Presiden Rusia tiba.\n", "utf-8")
    files = {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}
    for args, taken in ((["article", "putin-di-pyongyang", "--outlet", "antara", "--from", str(copy)],
                         "content/articles/putin-di-pyongyang.md exists"),
                        (["claim", "sanksi-dilanggar", "--title", "T"], "content/claims/sanksi-dilanggar.md exists"),
                        (["claim", "nama-lama", "--title", "T"], "an alias of content/claims/sanksi-dilanggar.md"),
                        (["actor", "rusia", "--name", "Rusia", "--kind", "government"],
                         "content/actors/rusia.yaml exists")):
        result = new(root, *args)
        assert result.returncode == 1
        assert "is taken" in result.stderr and taken in result.stderr
    assert {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()} == files


def test_an_unknown_outlet_or_kind_is_refused_with_a_suggestion(site, tmp_path):
    root = site()
    copy = tmp_path / "copy.txt"
    copy.write_text("Presiden Rusia tiba.\n", "utf-8")
    result = new(root, "article", "baru", "--outlet", "antra", "--from", str(copy))
    assert result.returncode == 1
    assert "content/articles/baru.md:1: --outlet: no outlet 'antra' in content/outlets/ (did you mean 'antara'?)" \
        in result.stderr
    result = new(root, "actor", "baru", "--name", "Baru", "--kind", "persn")
    assert result.returncode == 1 and "(did you mean 'person'?)" in result.stderr
    assert not (root / "content/articles/baru.md").exists() and not (root / "content/actors/baru.yaml").exists()


HOSTILE = ['Rusia: "senjata" # bukan komentar', "*bintang di depan", "- seperti daftar", "yes", "null", "2024-06-19",
           "'kutip tunggal'", "@awal & {kurung} [siku]", "ünïcode — “kutip” …", "  spasi  ", "a: b: c", "%tag",
           "!tag", "baris\\nmiring \\\\ garis"]


@pytest.mark.parametrize("title", HOSTILE)
def test_yaml_hostile_titles_and_names_round_trip(site, title):
    root = site()
    assert new(root, "claim", "klaim-baru", "--title", title).returncode == 0
    assert new(root, "actor", "aktor-baru", "--name", title, "--kind", "group").returncode == 0
    claim, problems = load_claim("content/claims/klaim-baru.md",
                                 (root / "content/claims/klaim-baru.md").read_text("utf-8"), False)
    assert not problems and claim.title == title.strip()
    actor, problems = load_actor("content/actors/aktor-baru.yaml",
                                 (root / "content/actors/aktor-baru.yaml").read_text("utf-8"))
    assert not problems and actor.name == title.strip() and actor.kind == "group"


def test_a_new_claim_and_actor_build(site):
    root = site()
    assert new(root, "claim", "klaim-baru", "--title", "Rusia: klaim # baru").returncode == 0
    assert new(root, "actor", "aktor-baru", "--name", "Aktor Baru", "--kind", "person").returncode == 0
    assert run_cli("check", "--site", str(root)).returncode == 0


def test_write_new_never_replaces_a_file(tmp_path):
    target = tmp_path / "a.md"
    write_new(target, "first")
    with pytest.raises(FileExistsError):
        write_new(target, "second")
    assert target.read_text("utf-8") == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]  # no temporary file left behind


def test_a_new_post_is_an_article_of_kind_post_on_a_platform(site, tmp_path):
    root = site({"content/outlets/facebook.yaml": "name: Facebook\nkind: platform\n"})
    copy = tmp_path / "unggahan.txt"
    copy.write_text("Tanggal 2024-06-21\nKorea Utara kirim 1 juta peluru ke Rusia!! Sebarkan!!\n", "utf-8")
    refused = new(root, "post", "unggahan", "--platform", "antara", "--from", str(copy))
    assert refused.returncode == 1 and "content/articles/unggahan.md:1: --platform: 'antara' is not an outlet of " \
        "kind platform (platforms: facebook)" in refused.stderr
    assert new(root, "post", "unggahan", "--platform", "facebok", "--from", str(copy)).returncode == 1
    made = new(root, "post", "unggahan", "--platform", "facebook", "--from", str(copy), "--account", "Kabar: Viral")
    assert made.returncode == 0, made.stderr
    post, problems = load_article("content/articles/unggahan.md",
                                  (root / "content/articles/unggahan.md").read_text("utf-8"), {}, False, "id")
    assert (post.kind, post.outlet, post.account) == ("post", "facebook", "Kabar: Viral")
    assert "Korea Utara kirim 1 juta peluru ke Rusia!! Sebarkan!!" in post.text
    bare = new(root, "post", "unggahan-2", "--platform", "facebook", "--from", str(copy))
    assert bare.returncode == 0 and "account: not given (--account)" in bare.stdout
    assert "missing required field 'account'" in run_cli("check", "--site", str(root)).stderr
    written = (root / "content/articles/unggahan-2.md").read_text("utf-8")
    assert "\n# url: the post's address (leave it out for a forwarded message or a removed post)\n" in written, \
        "a post's address is asked for where the copy gives none (found on the held-out site)"


def test_a_new_claim_and_actor_start_as_drafts_with_a_slug_from_any_script(site):
    """Without a SLUG, one is made from the title or name by transliteration; both files say `draft: true`, so
    a build leaves them out until an editor deletes the line."""
    root = site()
    result = new(root, "actor", "--name", "Сергей Шойгу", "--kind", "person")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote content/actors/sergey-shoygu.yaml\n  slug: 'sergey-shoygu', made from "
                                    "the name")
    assert new(root, "claim", "--title", "金正恩 bertemu Putin").stdout.startswith(
        "wrote content/claims/jinzhengen-bertemu-putin.md")
    claim, _ = load_claim("content/claims/jinzhengen-bertemu-putin.md",
                          (root / "content/claims/jinzhengen-bertemu-putin.md").read_text("utf-8"), False)
    actor, _ = load_actor("content/actors/sergey-shoygu.yaml",
                          (root / "content/actors/sergey-shoygu.yaml").read_text("utf-8"))
    assert claim.draft and actor.draft
    assert not (run_cli("build", "--site", str(root)) and (root / "_site/claims/jinzhengen-bertemu-putin").exists())
    refused = new(root, "claim", "--title", "!!!")
    assert refused.returncode == 1
    assert "content/claims/:1: no SLUG given, and none can be made from the title '!!!': give one" in refused.stderr
    assert "(like 'sergey-shoygu')" in new(root, "claim", "Сергей Шойгу", "--title", "T").stderr


def test_an_article_without_a_title_line_cannot_be_published_until_it_has_one(site, tmp_path):
    """`new article` writes a TODO where the copy tells no title: check and build report it at its line."""
    root = site()
    copy = tmp_path / "copy.txt"
    copy.write_text("WASHINGTON (6/19/2024) - Presiden Rusia tiba, kata pejabat itu.\nKim menyambutnya.\n", "utf-8")
    assert new(root, "article", "tanpa-judul", "--outlet", "antara", "--from", str(copy)).returncode == 0
    for command in ("check", "build"):
        result = run_cli(command, "--site", str(root))
        assert result.returncode == 1
        assert "content/articles/tanpa-judul.md:2: placeholder TODO in 'title': \"TODO: the article's title\"" \
            in result.stderr


@pytest.mark.parametrize("count, listed", [
    (12, "lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,"),
    (13, "lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 and 1 more,"),
    (20, "lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 and 8 more,"),
])
def test_the_note_on_escaped_lines_names_twelve_and_counts_the_rest(count, listed):
    copy = "Harga beras naik\n" + "".join(f"Harga naik *tajam* di pasar {n}.\n" for n in range(count))
    notes = [n for n in read_copy(copy, []).notes if n.startswith("escaped Markdown")]
    assert notes == [f"escaped Markdown characters with a backslash on {listed} so that the page shows them as the "
                     "copy has them"]
