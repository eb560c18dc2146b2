"""One rule, every kind: each check that applies to content files holds for every kind of file the loader reads
(articles, claims, actors, outlets, free pages, and any kind added later), not only for the kinds its author
thought of. The kinds come from the loader itself (`load.SUFFIXES`), never from a list written here.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BASE, build_here, linked_site, make_site, problems_of
from sitechanges import EXTRA, files, set_field

from generator.drafts import NOUNS
from generator.load import SUFFIXES

KINDS = sorted(SUFFIXES)
WITH_BODY = [kind for kind in KINDS if ".md" in SUFFIXES[kind]]  # the kinds whose body may link to pages
FILES = {**BASE, **{name: text for name, text in EXTRA.items() if name.startswith("content/")}}


def sample(kind: str) -> tuple[str, str]:
    """A valid file of this kind from the test site: its suffix and its text."""
    name = next(n for n in sorted(FILES) if n.startswith(f"content/{kind}/") and "draft: true" not in FILES[n])
    return Path(name).suffix, FILES[name]


def copy_of(kind: str, slug: str, text: str | None = None) -> tuple[str, str]:
    """A new file of this kind (named `slug`) holding a sample's text: its path and its text."""
    suffix, sampled = sample(kind)
    return f"content/{kind}/{slug}{suffix}", sampled if text is None else text


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def test_every_kind_the_loader_reads_has_a_sample_and_a_name_for_messages():
    assert KINDS and all(any(n.startswith(f"content/{kind}/") for n in FILES) for kind in KINDS), KINDS
    assert set(NOUNS) == set(KINDS), "drafts.NOUNS names each kind in its messages"


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_name_that_is_no_slug_is_an_error_in_every_kind(tmp_path, kind):
    name, text = copy_of(kind, "Salinan_Baru")
    problems = problems_of(make_site(tmp_path, {name: text}))
    assert f"{name}:1: the file name 'Salinan_Baru' is not a valid SLUG: use lowercase letters, digits and " \
           f"hyphens (like 'salinan-baru')" in problems, problems


@pytest.mark.parametrize("kind", KINDS)
def test_an_unknown_field_is_an_error_at_its_line_in_every_kind(tmp_path, kind):
    name, text = copy_of(kind, "salinan")
    text = set_field(text, "warna", "merah")
    problems = problems_of(make_site(tmp_path, {name: text}))
    line = line_of(text, "warna:")
    assert [p for p in problems if "warna" in p] == [f"{name}:{line}: unknown field 'warna'"], problems


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x7f"])
def test_a_control_character_in_a_field_is_an_error_at_its_line_in_every_kind(tmp_path, kind, char):
    name, text = copy_of(kind, "salinan")
    head = text.split("\n---\n", 1)[0] if text.startswith("---\n") else text.rstrip("\n")
    last = head.rsplit("\n", 1)[1]  # the last line of the fields, not the first: the line must be found
    text = text.replace(last, last[:-1] + char + last[-1], 1)
    problems = problems_of(make_site(tmp_path, {name: text}))
    line = line_of(text, char)
    assert any(p.startswith(f"{name}:{line}: ") and "control character" in p for p in problems), problems
    assert not any("Traceback" in p for p in problems)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("linking", WITH_BODY)
def test_a_published_link_to_a_draft_of_any_kind_is_an_error_from_any_kind_with_a_body(tmp_path, kind, linking):
    from generator.urls import page_path
    name, text = copy_of(kind, "salinan")
    text = set_field(text, "draft", "true")
    href = "/salinan/" if kind == "pages" else "/" + page_path(kind, "salinan")  # free pages stand at the top
    source, body = copy_of(linking, "penaut")
    body += f"\nLihat [halaman ini]({href}).\n"
    root = make_site(tmp_path, {name: text, source: body})
    problems = problems_of(root)
    noun = NOUNS[kind]
    line = line_of(body, "Lihat [")
    assert f"{source}:{line}: link {href!r} to draft {noun} 'salinan' ({name} is draft: true)" in problems, problems


def test_a_draft_of_every_kind_leaves_no_trace_in_a_build_and_shows_with_drafts(tmp_path):
    drafted = {}
    for kind in KINDS:
        name, text = copy_of(kind, f"rahasia-{NOUNS[kind]}")
        drafted[name] = set_field(text, "draft", "true")
    root = make_site(tmp_path / "site", drafted)
    build_here(root, tmp_path / "out")
    traces = [f"{path}: {kind}" for path, data in files(tmp_path / "out").items() for kind in KINDS
              if f"rahasia-{NOUNS[kind]}".encode() in data]
    assert traces == []
    build_here(root, tmp_path / "drafts", drafts=True)
    shown = {kind for kind in KINDS for data in files(tmp_path / "drafts").values()
             if f"rahasia-{NOUNS[kind]}".encode() in data}
    assert shown == set(KINDS), "with --drafts, each draft has its page"


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_linked_by_the_same_rules_as_a_record_with_a_src(tmp_path, kind):
    """Each record knows the file and line it came from (every message about it points there)."""
    name, text = copy_of(kind, "salinan")
    site = linked_site(make_site(tmp_path, {name: text}))
    records = {"articles": site.articles, "claims": site.claims, "actors": site.actors, "outlets": site.outlets,
               "pages": site.pages}[kind]
    record = records["salinan"] if isinstance(records, dict) else next(r for r in records if r.slug == "salinan")
    assert record.src.path == name


# The placeholder rule (generator/placeholders.py): what `new` writes where it could not tell, `TODO`, is an error
# at its line in any field of any kind, at any depth; and in the site's own writing. An article's body is the
# outlet's copy, word for word (SPEC), never searched for one: the one kind with a body that is not ours.
SCALAR = re.compile(r"^(\s*(?:- )?)([A-Za-z_]+): (?![|>{\[\"'])(\S.*)$")  # `key: value`, `- key: value`, nested
FLOW = re.compile(r"^(\s*(?:- )?)([A-Za-z_]+): \[(.+)\]$")  # `asserts: [rusia, china]`
OWN_WRITING = [kind for kind in WITH_BODY if kind != "articles"]


def todo_problem(name: str, line: int, key: str) -> str:
    return f"{name}:{line}: placeholder TODO in '{key}': 'TODO': write the real value (nothing unfinished is published)"


@pytest.mark.parametrize("kind", KINDS)
def test_a_todo_in_every_field_of_every_kind_is_an_error_at_its_line(tmp_path, kind):
    """Every value the sample of the kind writes on one line (top-level or inside a list item, a scalar or a
    flow list) replaced by TODO at once: one problem at each of those lines, naming its field."""
    name, text = copy_of(kind, "salinan")
    head, sep, body = text[4:].partition("\n---\n") if text.startswith("---\n") else (text, "", "")
    offset = 2 if sep else 1  # the line of the head's first line
    lines, expected = head.split("\n"), []
    for i, line in enumerate(lines):
        m = FLOW.match(line) or SCALAR.match(line)
        if m:
            lines[i] = f"{m.group(1)}{m.group(2)}: " + ("[TODO]" if m.re is FLOW else "TODO")
            expected.append(todo_problem(name, i + offset, m.group(2)))
    assert expected, "the sample has fields to replace"
    head = "\n".join(lines)
    text = f"---\n{head}\n---\n{body}" if sep else head
    found = [p for p in problems_of(make_site(tmp_path, {name: text})) if "placeholder TODO" in p]
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize("kind", WITH_BODY)
def test_a_todo_in_the_text_is_an_error_at_its_line_in_every_kind_of_the_sites_own_writing(tmp_path, kind):
    name, text = copy_of(kind, "salinan")
    text = text.rstrip("\n") + "\n\nParagraf yang belum selesai.\nTODO: sumber kedua\n"
    found = [p for p in problems_of(make_site(tmp_path, {name: text})) if "placeholder TODO" in p]
    line = line_of(text, "TODO: sumber")
    if kind in OWN_WRITING:
        assert found == [f"{name}:{line}: placeholder TODO in the text: 'TODO: sumber kedua': write it (nothing "
                         f"unfinished is published)"]
    else:  # the outlet's copy, as published: a TODO in it is the outlet's word
        assert found == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_control_character_written_as_an_escape_or_after_a_blank_first_line_is_an_error_at_its_line(tmp_path, kind):
    """`"\\a"` in a double-quoted value is the control character itself, once read; and a raw one is found at its
    line when the fields start with a blank line."""
    name, text = copy_of(kind, "salinan")
    front = text.startswith("---\n")
    first = text.split("\n")[1 if front else 0]  # the fields' first line: `key: value`
    key = first.split(":", 1)[0]
    escaped = text.replace(first, f'{key}: "Judul\\abaru"', 1)
    problems = problems_of(make_site(tmp_path / "escaped", {name: escaped}))
    assert f"{name}:{line_of(escaped, key + ':')}: control character U+0007 (BEL) in a value, written as an escape: " \
           "it cannot be shown, and it breaks feeds; delete it" in problems, problems
    blank = ("---\n\n" + text[4:] if front else "\n" + text).replace(first, first + "\x07", 1)
    problems = problems_of(make_site(tmp_path / "blank", {name: blank}))
    assert any(p.startswith(f"{name}:{line_of(blank, chr(7))}: ") and "control character" in p for p in problems), \
        problems
