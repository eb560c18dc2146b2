"""The site's data: plain frozen records loaded from content/, and the linked `Site` built from them.

Records name each other by slug; `Site` holds them keyed by slug together with
every backlink (claim → appearances, actor → stances, outlet → articles),
computed once in the link phase so that templates only read.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Src, set_by_name

STANCES = ("asserts", "denies", "both", "mentions")


@dataclass(frozen=True, slots=True, order=True)
class Date:
    """A calendar date; `day` is 0 where only the month is known (`2023-09`)."""

    year: int
    month: int
    day: int = 0

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    def __str__(self) -> str:
        return self.iso


@dataclass(frozen=True, slots=True)
class Verdict:
    key: str
    label: str
    rating: int
    description: str
    src: Src


@dataclass(frozen=True, slots=True)
class Config:
    title: str
    description: str
    base_url: str  # absolute, ends with "/"
    language: str
    output_dir: str
    author: str  # who fact-checks: ClaimReview's author
    trusted_html: bool
    custom_domain: str
    verdicts: tuple[Verdict, ...]
    strings: dict = field(hash=False)  # UI text in the site's language
    src: Src
    topics: dict = field(default_factory=dict, hash=False)  # topic slug → its name, from [topics]
    notice: str = ""  # a notice on every page: "a demonstration site, not a real desk"
    contact: str = ""  # an email address or an http(s) URL
    repository: str = ""  # an http(s) URL: where the content and its history are public
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # field → line
    require_archive: bool = False  # [check] require_archive: a source's url without archive_url is an error
    media: dict = field(default_factory=dict, hash=False)  # [media]: widths, blur (radius), regions (FILE → boxes)

    @property
    def contact_href(self) -> str:
        """The contact as a link: mailto: for an email address."""
        return self.contact if "://" in self.contact else f"mailto:{self.contact}" if self.contact else ""

    @property
    def base_path(self) -> str:
        """The path part of base_url: "/" at a domain root, "/REPO/" for a project site."""
        rest = self.base_url.split("://", 1)[-1]
        return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


@dataclass(frozen=True, slots=True)
class Outlet:
    slug: str
    name: str
    url: str
    country: str  # an ISO 3166 code, upper case ("ID"), or ""
    src: Src
    draft: bool = False  # `draft: true`: checked, but published only by `build --drafts` and the preview
    description: str = ""  # who publishes it and how, in a sentence or two
    kind: str = "news"  # "news", or "platform" (Facebook, X, WhatsApp…): where posts, not articles, appear


@dataclass(frozen=True, slots=True)
class Actor:
    slug: str
    name: str
    kind: str
    role: str
    affiliation: str  # an actor slug, or ""
    aliases: tuple[str, ...]
    same_as: tuple[str, ...]
    src: Src
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # field → line
    draft: bool = False  # `draft: true`: checked, but published only by `build --drafts` and the preview


@dataclass(frozen=True, slots=True)
class Correction:
    """A change to a published claim: when, and what changed."""

    date: Date
    note: str
    src: Src


@dataclass(frozen=True, slots=True)
class Source:
    """Evidence a claim's analysis cites as `[@id]`: a document, a dataset, an official statement."""

    id: str
    title: str
    publisher: str
    date: Date | None
    url: str  # the original, or "" (a document cited by its official symbol)
    archive_url: str
    quote: str  # the passage of the source that matters
    note: str
    src: Src
    number: int = 0  # its place in the order of first citation, from 1; 0 when the analysis does not cite it
    language: str = ""  # the source's language (its `quote` is in it), a BCP 47 tag; "" for the site's


@dataclass(frozen=True, slots=True)
class Image:
    """An image under content/media/ (`media/FILE`), as pages show it: its size, and the regions to blur."""

    src: str  # "media/FILE", relative to content/ and to the site's root
    alt: str
    width: int  # as shown: the largest copy published
    height: int
    files: tuple[tuple[str, int], ...]  # each published copy (site path, width), smallest first
    blur: tuple[tuple[int, int, int, int], ...] = ()  # (x, y, width, height) in the original's pixels


@dataclass(frozen=True, slots=True)
class Claim:
    slug: str
    title: str
    verdict: str  # a verdict key, or ""
    reviewed: Date | None
    summary: str
    topics: tuple[str, ...]
    related: tuple[str, ...]
    aliases: tuple[str, ...]
    body: str  # the analysis, as HTML
    src: Src
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # field → line
    links: tuple[tuple[str, int], ...] = ()  # site-relative links in the analysis, with their lines
    corrections: tuple[Correction, ...] = ()  # oldest first
    draft: bool = False  # `draft: true`: checked, but published only by `build --drafts` and the preview
    claimant: str = ""  # the actor who made the claim, as the desk names it; "" for its earliest asserter
    sources: tuple[Source, ...] = ()  # cited ones first, in the order of first citation; then the others

    @property
    def modified(self) -> Date | None:
        """The date of the latest correction, if any."""
        return self.corrections[-1].date if self.corrections else None


@dataclass(frozen=True, slots=True)
class FreePage:
    """A page of its own (`content/pages/SLUG.md` → `SLUG/`): about, methodology, corrections policy."""

    slug: str
    title: str
    menu: int | None  # its place in the site menu, or None to stay out of it
    body: str  # as HTML
    src: Src
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # field → line
    links: tuple[tuple[str, int], ...] = ()
    draft: bool = False  # `draft: true`: checked, but published only by `build --drafts` and the preview


@dataclass(frozen=True, slots=True)
class Annotation:
    id: str  # the passage's anchor on the article page; stable
    claim: str
    quote: str
    asserts: tuple[str, ...]
    denies: tuple[str, ...]
    number: int  # place in reading order, from 1
    exact: str  # the passage as the page shows it
    prefix: str
    suffix: str
    src: Src
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # field → line
    also: tuple[str, ...] = ()  # earlier anchors of the passage (its claim renamed), still on the page

    @property
    def stance(self) -> str:
        return stance_of(self.asserts, self.denies)


def stance_of(asserts, denies) -> str:
    return "both" if asserts and denies else "asserts" if asserts else "denies" if denies else "mentions"


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    title: str
    outlet: str
    published: Date
    url: str
    authors: tuple[str, ...]
    language: str
    annotations: tuple[Annotation, ...]  # in reading order
    body: str  # the text as HTML, passages marked
    text: str  # the plain text, for excerpts and feeds
    src: Src
    lines: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # field → line
    links: tuple[tuple[str, int], ...] = ()
    note: str = ""  # the editors' note on the copy: which edits were made to the outlet's text
    draft: bool = False  # `draft: true`: checked, but published only by `build --drafts` and the preview
    archive_url: str = ""  # an archived copy of the original (web.archive.org, archive.today…)
    kind: str = "article"  # "article", or "post": a social-media post or message, on an outlet of kind platform
    account: str = ""  # a post's account, as the platform shows it
    screenshot: Image | None = None  # a post's screenshot

    @property
    def post(self) -> bool:
        return self.kind == "post"


@dataclass(frozen=True, slots=True)
class Appearance:
    """One annotation, resolved: a claim appearing in an article, with who asserts and denies it."""

    claim: Claim
    article: Article
    outlet: Outlet
    annotation: Annotation
    asserts: tuple[Actor, ...]
    denies: tuple[Actor, ...]

    @property
    def stance(self) -> str:
        return self.annotation.stance

    @property
    def path(self) -> str:
        return f"articles/{self.article.slug}/#{self.annotation.id}"


@dataclass(frozen=True, slots=True)
class Stance:
    """An actor's side in one appearance: `role` is "asserts" or "denies"."""

    actor: Actor
    role: str
    appearance: Appearance


@dataclass(frozen=True, slots=True)
class Side:
    """What one camp (an actor and everyone affiliated with it) said of a claim."""

    group: Actor
    asserts: tuple[Stance, ...]
    denies: tuple[Stance, ...]

    @property
    def stance(self) -> str:
        return stance_of(self.asserts, self.denies)


@dataclass(frozen=True, slots=True, eq=False)
class Site:
    """The linked site. Compared by identity: the preview's pages that show the whole site follow every change."""

    config: Config
    articles: dict[str, Article]  # every mapping in a stable order: newest articles first, others by title
    claims: dict[str, Claim]
    actors: dict[str, Actor]
    outlets: dict[str, Outlet]
    pages: dict[str, FreePage]  # in menu order, then by title
    appearances: dict[str, tuple[Appearance, ...]]  # claim slug → in date order
    passages: dict[str, tuple[Appearance, ...]]  # article slug → in reading order
    stances: dict[str, tuple[Stance, ...]]  # actor slug → its own stances and its members'
    members: dict[str, tuple[Actor, ...]]  # actor slug → actors affiliated with it, at any depth
    sides: dict[str, tuple[Side, ...]]  # claim slug → stances grouped by top affiliation
    published: dict[str, tuple[Article, ...]]  # outlet slug → its articles
    related: dict[str, tuple[Claim, ...]]  # claim slug → related claims, both ways
    verdicts: dict[str, Verdict]
    aliases: dict[str, Claim]  # old claim slug → the claim
    warnings: tuple = ()
    media: tuple = ()  # media.MediaFile: the images under content/media/, each published in its sizes


set_by_name(globals())  # each record's fields set by name when it is unpickled (errors.set_by_name)
