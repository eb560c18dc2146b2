"""placeholders.py, through the loader: a TODO left in a field or in the site's own text is an error at its line."""
from __future__ import annotations

from test_load import problems


def test_a_todo_placeholder_in_any_field_is_an_error_at_its_line():
    """What `new article` writes where the copy has no title, a TODO deep in an annotation, in a list, in a draft."""
    assert problems("content/articles/x.md", "---\ntitle: \"TODO: the article's title\"\noutlet: antara\n"
                    "published: 2023-09\nannotations: []\n---\nTeks.\n") == [
        "content/articles/x.md:2: placeholder TODO in 'title': \"TODO: the article's title\": write the real value "
        "(nothing unfinished is published)"]
    found = problems("content/articles/x.md", "---\ntitle: Judul\noutlet: antara\npublished: 2023-09\n"
                     "annotations:\n  - claim: x\n    quote: Teks\n    asserts: [rusia, TODO]\n---\nTeks.\n")
    assert found == ["content/articles/x.md:8: placeholder TODO in 'asserts': 'TODO': write the real value "
                     "(nothing unfinished is published)"]
    assert problems("content/actors/x.yaml", "name: X\nkind: person\nrole: TODO\ndraft: true\n") == [
        "content/actors/x.yaml:3: placeholder TODO in 'role': 'TODO': write the real value "
        "(nothing unfinished is published)"]
    # A word that merely contains the letters, or a comment, is no placeholder.
    assert problems("content/actors/x.yaml", "name: Todorov TODOS\nkind: person  # TODO check the kind\n") == []


def test_a_todo_in_a_claims_analysis_or_a_page_is_an_error_at_its_line_but_not_in_an_articles_copy():
    assert problems("content/claims/x.md", "---\ntitle: X\n---\nAnalisis.\n\nTODO: sumber kedua\n") == [
        "content/claims/x.md:6: placeholder TODO in the text: 'TODO: sumber kedua': write it (nothing unfinished is "
        "published)"]
    assert problems("content/pages/x.md", "---\ntitle: X\n---\nTODO\n") == [
        "content/pages/x.md:4: placeholder TODO in the text: 'TODO': write it (nothing unfinished is published)"]
    assert problems("content/articles/x.md", "---\ntitle: X\noutlet: o\npublished: 2024-01\n---\n"
                                             "Kata sandi TODO tertulis di papan.\n") == []


def test_a_long_value_with_a_todo_is_shown_cut_to_80_characters_in_its_message():
    """Up to 80 characters (the value as Python shows it, quotes included) shown whole; beyond, cut to 77 and '...'."""
    def shown(value: str) -> str:
        found = problems("content/actors/x.yaml", f"name: X\nkind: person\nrole: {value}\n")
        assert len(found) == 1 and found[0].startswith("content/actors/x.yaml:3: placeholder TODO in 'role': ")
        return found[0].removeprefix("content/actors/x.yaml:3: placeholder TODO in 'role': ").removesuffix(
            ": write the real value (nothing unfinished is published)")
    whole = "TODO " + "a" * 73  # 78 characters: 80 with its quotes
    assert shown(whole) == repr(whole)
    assert shown(whole + "b") == repr(whole + "b")[:77] + "..."
    assert len(shown(whole + "b" * 50)) == 80
    # and so for a line of the text
    line = "TODO " + "kata " * 30
    found = problems("content/pages/x.md", f"---\ntitle: X\n---\n{line}\n")
    assert found == [f"content/pages/x.md:4: placeholder TODO in the text: {repr(line.strip())[:77]}...: write it "
                     "(nothing unfinished is published)"]
