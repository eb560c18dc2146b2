"""`check --since REF` = the difference of two builds' open data: on generated histories (a small git repository,
random changes, commits, the REF moved along), what the reviewer's summary lists is what comparing the REF's
claims.json and annotations.jsonld with today's says: claims re-rated, retitled, new, removed; passages added,
removed, given other actors; published pages gone.

`review` reads both sides without linking or rendering them (the fast path); two builds are the slow one.
"""
from __future__ import annotations

import io
import json
import subprocess
import tarfile
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from conftest import build_here
from sitechanges import SameFlagsAndGenerator, SiteChanges, each_rule_once, machine_settings, without_search

KINDS = ("articles", "claims", "actors", "outlets")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Redaksi", "-c", "user.email=redaksi@example.org", *args],
                          cwd=root, capture_output=True, text=True, check=True).stdout


def open_data(out: Path) -> dict:
    """What a build publishes, as the reviewer compares it: each claim's verdict and title, each passage's actors
    (by article, claim and quote as written: what makes it the same passage on both sides), each record's page."""
    published = json.loads((out / "claims.json").read_text("utf-8"))["claims"]
    claims = {c["slug"]: ((c["verdict"] or {}).get("key", ""), c["title"]) for c in published}
    passages = {(a["article"], c["slug"], " ".join(a["quote"].split())): (tuple(a["asserts"]), tuple(a["denies"]))
                for c in published for a in c["appearances"]}
    pages = {p.parent.relative_to(out).as_posix() + "/" for p in out.glob("*/*/index.html")
             if p.parent.parent.name in KINDS}
    pages |= {p.parent.name + "/" for p in out.glob("*/index.html")}  # free pages (and lists, the same on both sides)
    return {"claims": claims, "passages": passages, "pages": pages}


class SinceEqualsOpenData(SameFlagsAndGenerator, SiteChanges):  # the two refs share the flags and the generator
    def __init__(self):
        super().__init__()
        git(self.root, "init", "-q", "-b", "main")
        self.commits = 0
        self.commit(move_ref=True)

    def published(self, root: Path) -> dict | None:
        """The open data of a build of the site at root (None: it does not build)."""
        from generator.errors import SiteError
        self.commits += 1
        out = self.tmp / f"out-{self.commits}"
        try:
            with without_search():  # the search bundle is not open data
                build_here(root, out)
        except SiteError:
            return None
        return open_data(out)

    @rule(move_ref=st.booleans())
    def commit(self, move_ref):
        """The changes so far committed; the REF is that commit from now on, or stays where it was."""
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "--allow-empty", "-m", f"step {len(self.steps)}")
        self.steps.append(f"commit (REF moved: {move_ref})")
        if move_ref:
            self.ref = git(self.root, "rev-parse", "HEAD").strip()
            at = self.tmp / f"ref-{self.ref[:8]}"
            at.mkdir()
            archive = subprocess.run(["git", "archive", "--format=tar", self.ref], cwd=self.root, capture_output=True,
                                     check=True).stdout
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(at, filter="data")
            self.was = self.published(at)

    @invariant()
    def check(self):
        from generator.review import changes_since
        changes = changes_since(self.root, self.ref)
        now = self.published(self.root)
        if self.was is None or now is None:
            return  # a side that does not build has no open data to compare with (`check` reports its errors)
        was = self.was
        both = was["claims"].keys() & now["claims"].keys()
        said = {
            "re-rated": {c.slug: (c.was.verdict, c.now.verdict) for c in changes.claims
                         if c.was and c.now and c.was.verdict != c.now.verdict},
            "retitled": {c.slug: (c.was.title, c.now.title) for c in changes.claims
                         if c.was and c.now and c.was.title != c.now.title},
            "new": {c.slug: (c.now.verdict, c.now.title) for c in changes.claims if c.was is None},
            "removed": {c.slug: (c.was.verdict, c.was.title) for c in changes.claims if c.now is None},
            "passages added": {p.key: (p.asserts, p.denies) for p in changes.added},
            "passages removed": {p.key: (p.asserts, p.denies) for p in changes.removed},
            "other actors": {p.key: (p.asserts, p.denies) for p in changes.changed},
            "pages gone": set(changes.gone),
            # each record's page that came (added, or renamed to) and went (removed, or renamed from), once each
            "files new": sorted(_page(f.kind, f.slug) for f in changes.files if f.what in ("added", "renamed")),
            "files gone": sorted(_page(f.kind, f.was or f.slug) for f in changes.files
                                 if f.what in ("removed", "renamed")),
        }
        old, new = was["claims"], now["claims"]
        kept = was["passages"].keys() & now["passages"].keys()
        diff = {
            "re-rated": {s: (old[s][0], new[s][0]) for s in both if old[s][0] != new[s][0]},
            "retitled": {s: (old[s][1], new[s][1]) for s in both if old[s][1] != new[s][1]},
            "new": {s: new[s] for s in new.keys() - old.keys()},
            "removed": {s: old[s] for s in old.keys() - new.keys()},
            "passages added": {k: now["passages"][k] for k in now["passages"].keys() - was["passages"].keys()},
            "passages removed": {k: was["passages"][k] for k in was["passages"].keys() - now["passages"].keys()},
            "other actors": {k: now["passages"][k] for k in kept if was["passages"][k] != now["passages"][k]},
            "pages gone": was["pages"] - now["pages"],
            "files new": sorted(now["pages"] - was["pages"]),
            "files gone": sorted(was["pages"] - now["pages"]),
        }
        assert said == diff, self.saved()
        assert changes.markdown().startswith(f"### What changed since `{self.ref}`")


def _page(kind: str, slug: str) -> str:
    return f"{slug}/" if kind == "pages" else f"{kind}/{slug}/"


def test_every_kind_of_change_alone_is_listed_as_the_open_data_differs():
    each_rule_once(SinceEqualsOpenData)


# then random sequences (a failing one is shrunk to the shortest that fails)
SinceEqualsOpenData.TestCase.settings = machine_settings(4, steps=8)
TestSinceEqualsOpenData = SinceEqualsOpenData.TestCase  # random histories
