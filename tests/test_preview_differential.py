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
        """After the saves are reported and the editor pauses, each page served is the build's."""
        from generator.errors import SiteError
        from generator.write import MARK  # the build's mark on its output folder
        kind = self.preview.rebuild(set(self.changed))[0] if self.changed else None
        self.changed.clear()
        assert kind != "problems" or self.preview.problems, self.saved()
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
