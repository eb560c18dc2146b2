"""A stance matrix → the claim–actor map laid out for an SVG: actors left, claims right, a line for each stance.

Only coordinates and labels are computed here; `templates/map.html` draws them.
The order of both columns is refined a few rounds by the barycentre of each
node's neighbours, so lines cross less; ties keep the matrix order, so the
same site always gives the same picture.
"""
from __future__ import annotations

from dataclasses import dataclass

from .page import Matrix
from .urls import page_path

WIDTH = 980
PITCH = 26  # px between two nodes of a column
TOP, BOTTOM = 44, 16
ACTOR_X, CLAIM_X = 236, 560  # where the nodes stand; labels sit outside them
ACTOR_CHARS, CLAIM_CHARS = 30, 54  # what fits of a label at the map's font size
ROUNDS = 4


@dataclass(frozen=True, slots=True)
class Node:
    slug: str
    path: str  # the page it links to
    label: str  # shortened to fit; `title` is the whole name
    title: str
    x: int
    y: int
    r: float  # radius: grows with the number of lines
    lines: int


@dataclass(frozen=True, slots=True)
class Edge:
    actor: str
    claim: str
    stance: str  # asserts, denies or both
    d: str  # the SVG path


@dataclass(frozen=True, slots=True)
class Group:
    """An actor with its lines, drawn together so hovering or focusing the actor can light its lines up."""

    node: Node
    edges: tuple[Edge, ...]


@dataclass(frozen=True, slots=True)
class Map:
    width: int
    height: int
    actor_x: int
    claim_x: int
    actors: tuple[Group, ...]
    claims: tuple[Node, ...]
    edges: int


def claim_map(matrix: Matrix) -> Map:
    links = [(row.actor.slug, col.row.claim.slug, cell.stance)
             for row in matrix.rows for col, cell in zip(matrix.columns, row.cells) if cell.stance]
    claims = [col.row.claim.slug for col in matrix.columns]
    actors = [row.actor.slug for row in matrix.rows]
    claims, actors = _untangle(claims, actors, [(a, c) for a, c, _ in links])
    height = TOP + max(len(actors), len(claims), 1) * PITCH + BOTTOM
    degree: dict[str, int] = {}
    for a, c, _ in links:
        degree[a] = degree.get(a, 0) + 1
        degree[c] = degree.get(c, 0) + 1
    ay = _column(actors, height)
    cy = _column(claims, height)
    names = {row.actor.slug: row.actor.name for row in matrix.rows}
    titles = {col.row.claim.slug: col.row.claim.title for col in matrix.columns}
    groups = []
    for slug in actors:
        node = Node(slug, page_path("actors", slug), _shorten(names[slug], ACTOR_CHARS), names[slug], ACTOR_X,
                    ay[slug], _radius(degree.get(slug, 0)), degree.get(slug, 0))
        edges = tuple(Edge(a, c, stance, _curve(ACTOR_X, ay[a], CLAIM_X, cy[c]))
                      for a, c, stance in sorted(links, key=lambda link: cy[link[1]]) if a == slug)
        groups.append(Group(node, edges))
    nodes = tuple(Node(slug, page_path("claims", slug), _shorten(titles[slug], CLAIM_CHARS), titles[slug], CLAIM_X,
                       cy[slug], _radius(degree.get(slug, 0)), degree.get(slug, 0)) for slug in claims)
    return Map(WIDTH, height, ACTOR_X, CLAIM_X, tuple(groups), nodes, len(links))


def _untangle(claims: list[str], actors: list[str], links: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Reorder both columns by the mean place of each node's neighbours (the barycentre heuristic)."""
    neighbours: dict[str, list[str]] = {}
    for a, c in links:
        neighbours.setdefault(a, []).append(c)
        neighbours.setdefault(c, []).append(a)

    def by_barycentre(moving: list[str], fixed: list[str]) -> list[str]:
        place = {slug: i for i, slug in enumerate(fixed)}
        now = {slug: i for i, slug in enumerate(moving)}
        return sorted(moving, key=lambda s: (sum(place[n] for n in neighbours.get(s, ())) / len(neighbours[s])
                                             if neighbours.get(s) else now[s], now[s]))

    for _ in range(ROUNDS):
        actors = by_barycentre(actors, claims)
        claims = by_barycentre(claims, actors)
    return claims, actors


def _column(slugs: list[str], height: int) -> dict[str, int]:
    """Each node's y: evenly spaced, the shorter column centred against the longer."""
    span = height - TOP - BOTTOM
    start = TOP + (span - len(slugs) * PITCH) / 2 + PITCH / 2
    return {slug: round(start + i * PITCH) for i, slug in enumerate(slugs)}


def _curve(x1: int, y1: int, x2: int, y2: int) -> str:
    mid = (x1 + x2) // 2
    return f"M{x1} {y1}C{mid} {y1} {mid} {y2} {x2} {y2}"


def _radius(lines: int) -> float:
    return 4 + min(lines, 8) * 0.5


def _shorten(text: str, chars: int) -> str:
    if len(text) <= chars:
        return text
    cut = text[:chars - 1].rsplit(" ", 1)[0] if " " in text[:chars - 1] else text[:chars - 1]
    return cut.rstrip(",.;:–- ") + "…"
