"""The user's text, in the forms desks actually paste: `new article` reads the date of a copy whichever way the
outlet wrote it (`5/9/2023`, `05-09-2023`, `5 September 2023`, `Selasa (5/9/2023)`, `Selasa, 05 Sep 2023 14:30
WIB`), after a title line or without one; `check --coverage` counts a sentence as covered by any passage that
overlaps it, also one that runs across a sentence end into the next.

Generated copies, each compared with what was put in (the date, the sentences), not with hand-picked outputs.
"""
from __future__ import annotations

import datetime

from hypothesis import assume, given
from hypothesis import strategies as st

from conftest import BASE, REPO, make_site, run_cli
from generator.config import load_config
from generator.coverage import find_unannotated
from generator.new import read_copy

MONTHS = load_config(REPO).strings["months"]  # the theme's Indonesian month names
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
PLACES = ["JAKARTA", "Jakarta", "KOMPAS.com", "Surabaya", "TEMPO.CO, Jakarta"]

dates = st.dates(min_value=datetime.date(2010, 1, 1), max_value=datetime.date(2030, 12, 31))


def written(date: datetime.date, form: int) -> str:
    """The date as one desk or another writes it."""
    day, month, year = date.day, date.month, date.year
    weekday = DAYS[date.weekday()]
    return [
        f"{day}/{month}/{year}",
        f"{day:02d}/{month:02d}/{year}",
        f"{day:02d}-{month:02d}-{year}",
        f"{day:02d}.{month:02d}.{year}",
        f"{day} {MONTHS[month - 1]} {year}",
        f"{weekday} ({day}/{month}/{year})",
        f"{weekday}, {day} {MONTHS[month - 1]} {year} 14:30 WIB",
        f"{weekday}, {day:02d} {MONTHS[month - 1][:3]} {year} 14:30 WIB",
        f"{date.isoformat()}",
    ][form]


FORMS = 9


@given(date=dates, form=st.integers(0, FORMS - 1), place=st.sampled_from(PLACES), titled=st.booleans(),
       dash=st.sampled_from([" - ", " \u2013 ", " -- "]))
def test_new_article_reads_the_date_whichever_way_the_desk_wrote_it(date, form, place, titled, dash):
    lead = f"{place}, {written(date, form)}{dash}Presiden Rusia Vladimir Putin tiba di Pyongyang. Ia disambut Kim."
    copy = (f"Putin tiba di Pyongyang untuk kunjungan kenegaraan\n\n" if titled else "") + \
        f"{lead}\n\nKedua pemimpin lalu berunding selama dua jam.\n"
    read = read_copy(copy, MONTHS)
    assert read.published == date.isoformat(), copy
    assert (read.title != "") == titled


def test_new_article_writes_the_date_of_a_pasted_copy_with_a_title_line(tmp_path):
    root = make_site(tmp_path / "site", {})
    copy = tmp_path / "salinan.txt"
    copy.write_text("Putin tiba di Pyongyang\n\nJAKARTA, KOMPAS.com - Selasa (5/9/2023) Presiden Putin tiba.\n", "utf-8")
    result = run_cli("new", "article", "putin-tiba", "--site", str(root), "--outlet", "antara", "--from", str(copy))
    assert result.returncode == 0, result.stderr
    assert "published: 2023-09-05, read from '5/9/2023'; check it" in result.stdout
    assert "\npublished: 2023-09-05  # read from the copy: check it\n" in \
        (root / "content/articles/putin-tiba.md").read_text("utf-8")


@given(date=dates)
def test_a_date_that_is_no_date_is_not_read(date):
    """`31-02-2023` names no day: nothing is read (the TODO asks for it), rather than a day that was not written."""
    assume(date.day <= 12 and date.month <= 12)
    copy = f"JAKARTA, 31-02-{date.year} - Presiden tiba.\n\nParagraf kedua.\n"
    assert read_copy(copy, MONTHS).published == ""


# -- coverage: passages across sentence ends ----------------------------------------

ACTORS = ["Antony Blinken", "Jake Sullivan", "Rusia", "Korea Utara"]
VERBS = ["mengatakan", "menyatakan", "menegaskan"]


@st.composite
def article_with_passage(draw):
    """An article of attributed sentences, each with words of its own, and a passage of consecutive words of it
    (at least one of them a sentence's own, so that it is found once): the text, the sentences, the passage."""
    n = draw(st.integers(2, 5))
    sentences = [f"{draw(st.sampled_from(ACTORS))} {draw(st.sampled_from(VERBS))} kata{k}a kata{k}b kata{k}c."
                 for k in range(n)]
    words = " ".join(sentences).split(" ")
    start = draw(st.integers(0, len(words) - 1))
    end = draw(st.integers(start + 1, min(len(words), start + 12)))
    quote = " ".join(words[start:end])
    assume("kata" in quote)
    breaks = draw(st.lists(st.booleans(), min_size=n - 1, max_size=n - 1))  # line breaks between sentences
    text = sentences[0] + "".join(("\n" if b else " ") + s for b, s in zip(breaks, sentences[1:]))
    return text, sentences, quote


@given(article_with_passage())
def test_coverage_counts_every_sentence_a_passage_overlaps_as_covered(tmp_path_factory, made):
    text, sentences, quote = made
    article = ("---\ntitle: Pernyataan\noutlet: antara\npublished: 2023-09\nannotations:\n"
               f"  - claim: sanksi-dilanggar\n    quote: \"{quote.rstrip('.')}\"\n---\n{text}\n")
    root = make_site(tmp_path_factory.mktemp("site"), {"content/articles/pernyataan.md": article,
                                                       "content/articles/putin-di-pyongyang.md": None,
                                                       "content/articles/sullivan-mendesak-kim.md": None},
                     base={k: v for k, v in BASE.items() if not k.startswith("content/articles/")})
    found = find_unannotated(root)
    assert found.unread == ()
    listed = [u.sentence for u in found.found]
    flat = " ".join(sentences)
    at = flat.index(quote.rstrip("."))
    covered, pos = [], 0
    for s in sentences:
        if pos < at + len(quote.rstrip(".")) and at < pos + len(s):
            covered.append(s)
        pos += len(s) + 1
    assert listed == [s for s in sentences if s not in covered], (quote, text)
