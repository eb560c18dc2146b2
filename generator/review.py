"""A site and a git REF → what changed since, for a reviewer: files added, removed, renamed; claims; annotations.

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
from pathlib import Path, PurePosixPath

from .config import load_config
from .drafts import leave_out_drafts
from .errors import Problem, SiteError, Src
from .link import unused  # a claim or actor no annotation uses: the warning `check` gives
from .load import Loaded, load_content
from .model import Claim

KINDS = ("articles", "claims", "actors", "outlets", "pages")
NOUNS = {"articles": "article", "claims": "claim", "actors": "actor", "outlets": "outlet", "pages": "page"}
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
    anchors: tuple[str, ...] = ()  # every anchor the page gives it: its id, and those kept by its claim's aliases
    was: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # (asserts, denies) at REF, for one changed since

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes it the same passage before and after: its article, its claim, its quote."""
        return self.article, self.claim, " ".join(self.quote.split())


@dataclass(frozen=True, slots=True)
class FileChange:
    """An article, claim, actor, outlet or page added, removed or renamed (`git mv`, or the same title or name)."""

    kind: str  # "articles", "claims", "actors", "outlets", "pages"
    what: str  # "added", "removed", "renamed"
    slug: str  # its slug now (removed: at REF)
    was: str = ""  # renamed: its slug at REF
    title: str = ""
    aliased: bool = False  # renamed claim: its `aliases` keep the old address


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
    files: tuple[FileChange, ...] = ()
    anchors: tuple[str, ...] = ()  # "articles/SLUG/#ANCHOR" of passages published at REF and on no page now
    unused: tuple[Problem, ...] = ()  # published claims and actors no annotation uses
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
                  (len(self.gone), "published page gone", "published pages gone"),
                  (len(self.anchors), "passage anchor gone", "passage anchors gone")]
        for kind in ("articles", "actors", "outlets", "pages", "claims"):
            for what in ("added", "removed", "renamed"):
                n = sum(f.kind == kind and f.what == what for f in self.files)
                if kind == "claims" and what != "renamed":
                    continue  # new and removed claims are counted above
                counts.append((n, f"{NOUNS[kind]} {what}", f"{kind} {what}"))
        return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n) or \
            "no published claim or annotation changed"

    def markdown(self) -> str:
        lines = [f"### What changed since `{self.ref}`", "", self.headline()[:1].upper() + self.headline()[1:] + "."]
        if self.drafts:
            lines.append(f"({self.drafts} draft{'s' * (self.drafts != 1)} left out, as a build leaves them out.)")
        if self.files:
            lines += ["", "**Files**", ""] + [f"- {_file_line(f)}" for f in self.files]
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
            renamed = {f"claims/{f.was}/": f.slug for f in self.files if f.kind == "claims" and f.what == "renamed"}
            lines += ["", "**Published pages that would disappear** (links to them, anywhere, would break)", ""]
            lines += [f"- `{path}`: " + (f"add `aliases: [{path.split('/')[1]}]` to content/claims/"
                                         f"{renamed[path]}.md" if path in renamed else
                                         f"add `aliases: [{path.split('/')[1]}]` to the claim that replaces it"
                                         if path.startswith("claims/") else "keep its file name")
                      for path in self.gone]
        if self.anchors:
            lines += ["", "**Passage anchors that would disappear** (links to these passages would land on the "
                      "article's top)", ""] + [f"- `{a}`" for a in self.anchors]
        if self.unused:
            lines += ["", "**Claims and actors no annotation uses** (published as pages with no passage)", ""]
            lines += [f"- `{p.src.path}`: {p.message}" for p in self.unused]
        return "\n".join(lines) + "\n"

    def _claim_line(self, c: ClaimChange) -> str:
        claim = c.now or c.was
        what = []
        if c.was is None:
            what.append("new")
        elif c.now is None:
            what.append("removed")
        else:
            if c.was.slug != c.now.slug:
                what.append(f"renamed from `{c.was.slug}`")
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
    was = p.was or ((), ())
    roles = []
    for role, now, before in (("asserts", p.asserts, was[0]), ("denies", p.denies, was[1])):
        # kept as they are; who was added with "+", who was removed with "−" (a passage changed since REF)
        shown = [s if p.was is None or s in before else f"+{s}" for s in now]
        shown += [f"\u2212{s}" for s in before if s not in now]
        if shown:
            roles.append(f"{role}: {', '.join(shown)}")
    return f"`{p.src}` `{p.claim}`: “{_plain(quote)}”" + (f" ({'; '.join(roles)})" if roles else "")


def _file_line(f: FileChange) -> str:
    if f.what == "renamed":
        if f.kind == "claims":
            keep = "its `aliases` keep the old address" if f.aliased else \
                f"add `aliases: [{f.was}]` to content/claims/{f.slug}.md to keep the old address"
        else:
            keep = f"its old address {f.kind}/{f.was}/ would break (only a claim can keep one, with `aliases`)"
        return f"{NOUNS[f.kind]} renamed: `{f.was}` → `{f.slug}` (“{_plain(f.title)}”): {keep}"
    return f"{NOUNS[f.kind]} {f.what}: `{f.slug}` (“{_plain(f.title)}”)"


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
    return replace(compare(was, now, ref, labels, _moved(root, ref)), left_out=left_out)


def compare(was: Loaded, now: Loaded, ref: str, labels: dict, moved: dict[str, str] | None = None) -> Changes:
    """`moved`: "kind/old-slug" → "kind/new-slug" of the files git saw renamed since REF."""
    old, new = _published(was), _published(now)
    files, renamed = _files(old, new, moved or {})
    claim_was = {now_slug: old_slug for (kind, now_slug), old_slug in renamed.items() if kind == "claims"}
    to_now = {kind: {old_slug: now_slug for (k, now_slug), old_slug in renamed.items() if k == kind} for kind in KINDS}
    before = _passages(old["articles"], to_now)  # a renamed file's passages compared under its name now
    after = _passages(new["articles"])
    added = tuple(p for k, p in after.items() if k not in before)
    removed = tuple(p for k, p in before.items() if k not in after)
    changed = tuple(replace(p, was=(before[k].asserts, before[k].denies)) for k, p in after.items()
                    if k in before and (p.asserts, p.denies) != (before[k].asserts, before[k].denies))
    claims = []
    gone_claims = set(claim_was.values())
    for slug in sorted((old["claims"].keys() - gone_claims) | new["claims"].keys()):
        c_was, c_now = old["claims"].get(claim_was.get(slug, slug)), new["claims"].get(slug)
        counts = [sum(p.claim == slug for p in group) for group in (added, removed, changed)]
        if c_was is None or c_now is None or any(counts) or \
                (c_was.verdict, c_was.title, c_was.slug) != (c_now.verdict, c_now.title, c_now.slug):
            claims.append(ClaimChange(slug, c_was, c_now, *counts))
    drafts = sum(r.draft for kind in KINDS for r in getattr(now, kind, ()))
    claims.sort(key=lambda c: (_order(c), c.slug))
    gone = tuple(sorted(_paths(old) - _paths(new)))
    shown = {(p.article, a) for p in after.values() for a in p.anchors}
    anchors = tuple(sorted({f"articles/{p.article}/#{a}" for p in _passages(old["articles"]).values()
                            for a in p.anchors[:1] if (p.article, a) not in shown and p.article in new["articles"]}))
    return Changes(ref, tuple(claims), added, removed, changed, labels, drafts, gone, files, anchors,
                   tuple(unused(new["claims"], new["actors"], new["articles"])))


def _files(old: dict[str, dict], new: dict[str, dict], moved: dict[str, str]) -> tuple[tuple[FileChange, ...], dict]:
    """Each record added, removed or renamed, and the renames as (kind, slug now) → slug at REF. A rename is what
    git saw (`git mv`), or a record gone and one new of the same kind with the same title or name."""
    files, renamed = [], {}
    for kind in KINDS:
        gone = sorted(old[kind].keys() - new[kind].keys())
        came = sorted(new[kind].keys() - old[kind].keys())
        for slug in gone:
            target = moved.get(f"{kind}/{slug}", "").partition("/")[2]
            if target not in came:
                target = next((s for s in came if _title(new[kind][s]) == _title(old[kind][slug])), "")
            if target:
                came.remove(target)
                renamed[kind, target] = slug
                record = new[kind][target]
                files.append(FileChange(kind, "renamed", target, slug, _title(record),
                                        slug in getattr(record, "aliases", ()) and kind == "claims"))
            else:
                files.append(FileChange(kind, "removed", slug, "", _title(old[kind][slug])))
        files += [FileChange(kind, "added", slug, "", _title(new[kind][slug])) for slug in came]
    order = {"renamed": 0, "removed": 1, "added": 2}
    return tuple(sorted(files, key=lambda f: (order[f.what], KINDS.index(f.kind), f.slug))), renamed


def _title(record) -> str:
    return getattr(record, "title", "") or getattr(record, "name", "")


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


def _passages(articles: dict, renamed: dict[str, dict[str, str]] | None = None) -> dict[tuple, Passage]:
    """Each passage by its key; `renamed`: kind → slug at REF → slug now, to compare a renamed file's passages."""
    names = {kind: (renamed or {}).get(kind, {}) for kind in ("articles", "claims", "actors")}

    def now(kind: str, slugs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(names[kind].get(s, s) for s in slugs)

    out = {}
    for article in sorted(articles.values(), key=lambda a: a.slug):
        for a in article.annotations:
            p = Passage(now("articles", (article.slug,))[0], a.id, now("claims", (a.claim,))[0], a.quote,
                        now("actors", a.asserts), now("actors", a.denies), a.src, (a.id, *a.also))
            out[p.key] = p
    return out


def _moved(root: Path, ref: str) -> dict[str, str]:
    """"kind/old-slug" → "kind/new-slug" for each content file git sees renamed between REF and the working tree."""
    try:
        out = _git(root, "diff", "--relative", "-M", "--name-status", "-z", ref, "--", "content")
    except SiteError:
        return {}
    fields, moved = out.decode("utf-8", "replace").split("\0"), {}
    i = 0
    while i < len(fields) - 1:
        if fields[i].startswith(("R", "C")) and i + 2 < len(fields):
            old, new = (PurePosixPath(f) for f in fields[i + 1:i + 3])
            if len(old.parts) == 3 and len(new.parts) == 3:
                moved[f"{old.parts[1]}/{old.stem}"] = f"{new.parts[1]}/{new.stem}"
            i += 3
        else:
            i += 2
    return moved


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
