"""A site and a git REF → what changed since, for a reviewer: claims re-rated, new or gone; annotations added, removed.

Both versions are loaded (the one at REF from `git archive`, into a temporary
folder) and compared as they would be published — drafts left out, as `build`
does — but not linked or rendered: a pull request with a broken annotation still
gets its summary, and `check` reports the error. `Changes.markdown()` is what the
pull-request workflow writes to the job summary.
"""
from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from .config import load_config
from .drafts import leave_out_drafts
from .errors import Problem, SiteError, Src
from .load import Loaded, load_content
from .model import Claim

KINDS = ("articles", "claims", "actors", "outlets", "pages")
NEEDED = ("site.toml", "content", "templates")  # what loading a site reads (templates: its UI strings)


@dataclass(frozen=True, slots=True)
class Passage:
    """One published annotation, as the reviewer sees it."""

    article: str
    id: str
    claim: str
    quote: str
    asserts: tuple[str, ...]
    denies: tuple[str, ...]
    src: Src

    @property
    def key(self) -> tuple[str, str, str]:
        return self.article, self.id, self.claim


@dataclass(frozen=True, slots=True)
class ClaimChange:
    slug: str
    was: Claim | None  # at REF (None: a new claim)
    now: Claim | None  # now (None: gone)
    added: int  # its passages added, removed, or with other actors
    removed: int
    changed: int


@dataclass(frozen=True, slots=True)
class Changes:
    ref: str
    claims: tuple[ClaimChange, ...]
    added: tuple[Passage, ...]
    removed: tuple[Passage, ...]
    changed: tuple[Passage, ...]  # the passage now, whose asserts or denies changed
    labels: dict  # verdict key → label, then and now
    drafts: int  # drafts now, left out of this comparison
    gone: tuple[str, ...] = ()  # site paths published at REF that no page (nor claim alias) keeps now
    left_out: tuple[str, ...] = ()  # what the site held at REF that is not a file or a folder (symbolic links)

    def headline(self) -> str:
        """'2 claims re-rated, 5 annotations added', or that nothing published changed."""
        both = [c for c in self.claims if c.was and c.now]
        counts = [(sum(c.was.verdict != c.now.verdict for c in both), "claim re-rated", "claims re-rated"),
                  (sum(c.was.title != c.now.title for c in both), "claim retitled", "claims retitled"),
                  (sum(c.was is None for c in self.claims), "new claim", "new claims"),
                  (sum(c.now is None for c in self.claims), "claim removed", "claims removed"),
                  (len(self.added), "annotation added", "annotations added"),
                  (len(self.removed), "annotation removed", "annotations removed"),
                  (len(self.changed), "annotation with other actors", "annotations with other actors"),
                  (len(self.gone), "published page gone", "published pages gone")]
        return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n) or \
            "no published claim or annotation changed"

    def markdown(self) -> str:
        lines = [f"### What changed since `{self.ref}`", "", self.headline()[:1].upper() + self.headline()[1:] + "."]
        if self.drafts:
            lines.append(f"({self.drafts} draft{'s' * (self.drafts != 1)} left out, as a build leaves them out.)")
        if self.left_out:
            lines.append(f"(Left out at `{self.ref}`, never followed: symbolic link{'s' * (len(self.left_out) != 1)} "
                         + ", ".join(f"`{_plain(name)}`" for name in self.left_out) + ".)")
        if self.claims:
            lines += ["", "**Claims**", ""] + [f"- {self._claim_line(c)}" for c in self.claims]
        for title, passages in (("Annotations added", self.added), ("Annotations removed", self.removed),
                                ("Annotations with other actors", self.changed)):
            if passages:
                lines += ["", f"**{title}**", ""] + [f"- {_passage_line(p)}" for p in passages]
        if self.gone:
            lines += ["", "**Published pages that would disappear** (links to them, anywhere, would break)", ""]
            lines += [f"- `{path}`: " + (f"add `aliases: [{path.split('/')[1]}]` to the claim that replaces it"
                                         if path.startswith("claims/") else "keep its file name")
                      for path in self.gone]
        return "\n".join(lines) + "\n"

    def _claim_line(self, c: ClaimChange) -> str:
        claim = c.now or c.was
        what = []
        if c.was is None:
            what.append("new")
        elif c.now is None:
            what.append("removed")
        else:
            if c.was.verdict != c.now.verdict:
                what.append(f"re-rated: {self._label(c.was.verdict)} → **{self._label(c.now.verdict)}**")
            if c.was.title != c.now.title:
                what.append(f"retitled (was “{_plain(c.was.title)}”)")
        if c.now is not None and c.was is None and c.now.verdict:
            what.append(f"rated **{self._label(c.now.verdict)}**")
        counts = [f"{n} passage{'s' * (n != 1)} {verb}" for n, verb in
                  ((c.added, "added"), (c.removed, "removed"), (c.changed, "with other actors")) if n]
        return f"**{_plain(claim.title)}** (`{c.slug}`): " + "; ".join(what + counts)

    def _label(self, key: str) -> str:
        return self.labels.get(key, key) if key else "not rated"


def _passage_line(p: Passage) -> str:
    quote = p.quote if len(p.quote) <= 100 else p.quote[:97] + "..."
    actors = "; ".join(f"{role}: {', '.join(slugs)}" for role, slugs in (("asserts", p.asserts), ("denies", p.denies))
                       if slugs)
    return f"`{p.src}` `{p.claim}`: “{_plain(quote)}”" + (f" ({actors})" if actors else "")


def _plain(text: str) -> str:
    """Content text for Markdown: no HTML, no line breaks, nothing that would start a table or a link."""
    return " ".join(text.split()).replace("<", "&lt;").replace("|", "\\|").replace("[", "\\[")


# -- reading and comparing -------------------------------------------------------

def changes_since(root: Path, ref: str) -> Changes:
    """What changed in the site at `root` since the git `ref`; SiteError when the ref or site.toml cannot be read."""
    config = load_config(root)
    now = load_content(root, config)
    old_config, was = config, Loaded((), (), (), (), ())  # no site at REF yet: everything is new
    with tempfile.TemporaryDirectory() as tmp:
        old_root = Path(tmp)
        found, left_out = _extract(root, ref, old_root)
        if found:
            try:
                old_config = load_config(old_root)
            except SiteError:  # site.toml broken at REF: its content is read with today's settings
                pass
            was = load_content(old_root, old_config)
    labels = {v.key: v.label for v in (*old_config.verdicts, *config.verdicts)}  # today's label wins
    return replace(compare(was, now, ref, labels), left_out=left_out)


def compare(was: Loaded, now: Loaded, ref: str, labels: dict) -> Changes:
    old, new = _published(was), _published(now)
    before, after = _passages(old["articles"]), _passages(new["articles"])
    added = tuple(p for k, p in after.items() if k not in before)
    removed = tuple(p for k, p in before.items() if k not in after)
    changed = tuple(p for k, p in after.items() if k in before and
                    (p.asserts, p.denies) != (before[k].asserts, before[k].denies))
    claims = []
    for slug in sorted(old["claims"].keys() | new["claims"].keys()):
        c_was, c_now = old["claims"].get(slug), new["claims"].get(slug)
        counts = [sum(p.claim == slug for p in group) for group in (added, removed, changed)]
        if c_was is None or c_now is None or any(counts) or \
                (c_was.verdict, c_was.title) != (c_now.verdict, c_now.title):
            claims.append(ClaimChange(slug, c_was, c_now, *counts))
    drafts = sum(r.draft for kind in KINDS for r in getattr(now, kind, ()))
    claims.sort(key=lambda c: (_order(c), c.slug))
    gone = tuple(sorted(_paths(old) - _paths(new)))
    return Changes(ref, tuple(claims), added, removed, changed, labels, drafts, gone)


def _paths(published: dict[str, dict]) -> set[str]:
    """The site paths of the published records' pages, and of the claims' aliases."""
    out = {f"{kind}/{slug}/" for kind in ("articles", "claims", "actors", "outlets") for slug in published[kind]}
    out |= {f"claims/{alias}/" for claim in published["claims"].values() for alias in claim.aliases}
    return out | {f"{slug}/" for slug in published["pages"]}


def _order(c: ClaimChange) -> int:
    """Re-rated claims first, then new ones, then other changes, then claims gone."""
    if c.was and c.now:
        return 0 if c.was.verdict != c.now.verdict else 2
    return 1 if c.now else 3


def _published(loaded: Loaded) -> dict[str, dict]:
    """The records a build would publish: drafts left out, and passages of draft claims."""
    records = {kind: {r.slug: r for r in getattr(loaded, kind, ())} for kind in KINDS}
    kept, _ = leave_out_drafts(records, {}, [])
    return kept


def _passages(articles: dict) -> dict[tuple[str, str, str], Passage]:
    out = {}
    for article in sorted(articles.values(), key=lambda a: a.slug):
        for a in article.annotations:
            p = Passage(article.slug, a.id, a.claim, a.quote, a.asserts, a.denies, a.src)
            out[p.key] = p
    return out


def _git(root: Path, *args: str) -> bytes:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=300)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SiteError([Problem(Src(root.as_posix(), 0), f"git {args[0]} failed: {message[-1] if message else ''}")])
    return result.stdout


def _extract(root: Path, ref: str, into: Path) -> tuple[bool, tuple[str, ...]]:
    """The site's files as they were at `ref` (a commit, branch or tag), written under `into`: whether there was
    a site there, and what of it is not a file or folder (a symbolic link, to /etc/passwd say), left out."""
    try:
        subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "-q", f"{ref}^{{commit}}"],
                       capture_output=True, timeout=60, check=True)
    except (subprocess.CalledProcessError, FileNotFoundError):
        raise SiteError([Problem(Src("--since", 0), f"{ref!r} is not a commit, branch or tag of the site's git "
                                                    f"repository (with a shallow clone, fetch it first)")]) from None
    # From the top of the repository, where paths inside `REF:PREFIX` are what pathspecs match.
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    tree = f"{ref}:{_git(root, 'rev-parse', '--show-prefix').decode().strip()}"
    try:
        names = set(_git(top, "ls-tree", "--name-only", tree).decode().splitlines())
    except SiteError:  # the site's folder did not exist yet
        return False, ()
    wanted = [n for n in NEEDED if n in names]
    if "site.toml" not in wanted:
        return False, ()
    with tarfile.open(fileobj=io.BytesIO(_git(top, "archive", "--format=tar", tree, "--", *wanted))) as tar:
        members = tar.getmembers()
        kept = [m for m in members if m.isfile() or m.isdir()]  # a link is never followed, as a build refuses it
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later: no path leaves `into`
            tar.extractall(into, kept, filter="data")
        else:
            tar.extractall(into, kept)
    return True, tuple(sorted(m.name for m in members if not (m.isfile() or m.isdir())))
