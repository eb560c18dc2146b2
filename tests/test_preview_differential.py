"""Preview = build: after any sequence of saves, the preview (rebuilt in place, in this process: no browser, no
HTTP) serves what a full build with drafts writes, page by page, and nothing a build would not (a page whose
file was deleted is gone); a broken site shows the errors a build gives.

The preview's rebuild is the fast path (files, links and pages reused, only the templates a save touched looked
at, pending pages rendered on request); `build` is the slow one.
"""
from __future__ import annotations

from hypothesis.stateful import invariant

from conftest import build_here
from sitechanges import SameFlagsAndGenerator, SiteChanges, each_rule_once, files, machine_settings, without_search

PAGEFIND = "pagefind/"  # the preview indexes its pages itself (search.LiveIndex), in the background


class NoSearch:
    """The preview's live search index, left out: what it serves is not compared here (test_serve's tests are)."""
    files: dict = {}

    def update(self, files):
        pass

    def close(self):
        pass


class PreviewEqualsBuild(SameFlagsAndGenerator, SiteChanges):  # a running preview has no flags, one generator
    def __init__(self):
        from generator.preview.rebuild import Preview
        super().__init__()
        self.preview = Preview(self.root, "http://127.0.0.1:8000/")
        self.preview.search = NoSearch()
        self.served: set[str] = set()  # every output file the preview has served
        self.builds = 0
        self.preview.rebuild()

    @invariant()
    def check(self):
        """After the saves are reported, each page on screen is the build's at once (every other check, every
        article's and claim's pages are on screen: the preview plans those alone first); after the editor pauses,
        each page served is."""
        from generator.errors import SiteError
        from generator.write import MARK  # the build's mark on its output folder
        self.preview.watching.clear()
        if self.builds % 2 == 0:
            self.preview.watching.update(n for n in self.preview.planned if n.startswith(("articles/", "claims/")))
        kind = self.preview.rebuild(set(self.changed))[0] if self.changed else None
        self.changed.clear()
        assert kind != "problems" or self.preview.problems, self.saved()
        on_screen = {name: self.serves(name) for name in self.preview.watching}
        while self.preview.settle():
            pass
        self.builds += 1
        out = self.tmp / f"built-{self.builds}"
        try:
            with without_search():  # the build's search bundle: not what the preview serves
                build_here(self.root, out, base_url=self.preview.base_url, drafts=True)
        except SiteError as e:
            assert errors(self.preview.problems) == errors(e.problems), self.saved()
            return
        assert errors(self.preview.problems) == [], self.saved()
        built = {name: body for name, body in files(out).items() if not name.startswith(PAGEFIND) and name != MARK}
        self.served |= set(self.preview.files) | set(built)
        stale = [name for name in sorted(self.served) if self.serves(name) != built.get(name)]
        assert stale == [], self.saved()
        shown_stale = [name for name, body in sorted(on_screen.items()) if body != built.get(name)]
        assert shown_stale == [], self.saved()

    def serves(self, name: str) -> bytes | None:
        path = name.removesuffix("index.html")
        found = self.preview.lookup(path)
        return found[0] if found else None


def errors(problems) -> list[str]:
    return sorted(str(p) for p in problems if not p.warning)


def test_every_kind_of_save_alone_leaves_the_preview_serving_what_a_build_writes():
    each_rule_once(PreviewEqualsBuild)


def test_a_template_saved_while_the_site_is_broken_shows_once_the_site_is_fixed():
    """Found by the long run: the saves of a rebuild that failed were forgotten, so a template edited while a
    content file had an error never reached the pages the next (content) save did not re-render."""
    from sitechanges import INCLUDED
    machine = PreviewEqualsBuild()
    try:
        machine.check()
        machine.claim_comes_and_goes(there=True, verdict="benar")  # a verdict without `reviewed`: an error
        machine.check()
        assert machine.preview.problems
        machine.included_template(name=INCLUDED, mark="pernyataan")
        machine.check()
        machine.claim_comes_and_goes(there=False, verdict="salah")  # the error gone: every page shows the edit
        machine.check()
    finally:
        machine.teardown()


# then random sequences (a failing one is shrunk to the shortest that fails)
PreviewEqualsBuild.TestCase.settings = machine_settings(5, steps=10)
TestPreviewEqualsBuild = PreviewEqualsBuild.TestCase  # random sequences of saves


def test_after_a_save_the_page_on_screen_shows_first_and_any_page_asked_for_is_up_to_date(site, monkeypatch):
    """A save re-plans only the page on screen (an article's), and shows it; a page asked for before the whole
    site is planned again (the claim page that names the article) is planned first, never served stale, and a
    page the save made is found."""
    from conftest import ARTICLE
    from generator.preview import rebuild
    from generator.preview.rebuild import Preview
    planned = []
    monkeypatch.setattr(rebuild, "plan_pages", lambda *a, real=rebuild.plan_pages: planned.append(1) or real(*a))
    root = site()
    preview = Preview(root, "http://127.0.0.1:8000/")
    preview.search = NoSearch()
    preview.rebuild()
    preview.watching["articles/putin-di-pyongyang/index.html"] += 1
    while preview.settle():
        pass
    article = root / ARTICLE
    copy = root / "content/articles/salinan.md"
    copy.write_text(article.read_text("utf-8").replace("title: Putin dan Kim", "title: Salinan"), "utf-8")
    assert preview.rebuild({"content/articles/salinan.md"})[:2] == ("reload", 1), "only the page on screen"
    assert b"Salinan" in preview.lookup("articles/salinan/")[0]
    article.write_text(article.read_text("utf-8").replace("title: Putin dan Kim bertemu di Pyongyang",
                                                          "title: Putin dan Kim berjumpa di Pyongyang"), "utf-8")
    planned.clear()
    assert preview.rebuild({ARTICLE})[:2] == ("reload", 1)
    assert planned == [], "the whole site is planned after the page on screen is shown"
    assert "berjumpa" in preview.lookup("articles/putin-di-pyongyang/")[0].decode()
    claim = preview.lookup("claims/korea-utara-memasok-senjata/")[0].decode()
    assert "Kim berjumpa" in claim and "Kim bertemu" not in claim
    assert planned == [1]
