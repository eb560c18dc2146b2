"""The site's verdicts (site.toml order) → each verdict's step on that scale and the colours that step gets.

A verdict's colour comes from where it stands on the site's own scale, never from its rating: on a three-step
scale the best is green, the middle amber, the worst red, as on a five-step one. Ratings only tell which end
of the list is the better one (ClaimReview's bestRating is the highest). Every colour keeps white text at
WCAG contrast ≥ 7 (AAA) on it.
"""
from __future__ import annotations

import colorsys
from dataclasses import dataclass

from .model import Verdict

HUES = (4, 38, 150)  # worst, middle, best, in degrees: red … amber … green
UNRATED = "#5b6470"
MIN_CONTRAST = 7.1  # against white: AAA (7:1), so small badge text passes every contrast rule


@dataclass(frozen=True, slots=True)
class Step:
    """A verdict's place on the scale: `step` 1 (worst) … `steps` (best); `position` 0 (worst) … 1 (best)."""

    step: int
    steps: int
    colour: str  # "#rrggbb", white text on it passes AA
    tint: str  # a light wash of the same hue, for backgrounds

    @property
    def position(self) -> float:
        return (self.step - 1) / (self.steps - 1) if self.steps > 1 else 1.0

    @property
    def css_class(self) -> str:
        return f"verdict-pos-{self.step}-of-{self.steps}"


def verdict_steps(verdicts: tuple[Verdict, ...]) -> dict[str, Step]:
    """verdict key → its Step; the list may run best-first or worst-first (ratings tell which)."""
    ordered = list(verdicts)
    if len(ordered) > 1 and ordered[0].rating > ordered[-1].rating:
        ordered.reverse()
    n = len(ordered)
    return {v.key: _step(i + 1, n) for i, v in enumerate(ordered)}


def _step(step: int, steps: int) -> Step:
    position = (step - 1) / (steps - 1) if steps > 1 else 1.0
    low, high, at = (HUES[0], HUES[1], position * 2) if position < 0.5 else (HUES[1], HUES[2], position * 2 - 1)
    hue = (low + (high - low) * at) / 360
    return Step(step, steps, _darkest_passing(hue, 0.85), _hex(colorsys.hls_to_rgb(hue, 0.92, 0.7)))


def _darkest_passing(hue: float, saturation: float) -> str:
    """The lightest shade of the hue on which white text still passes: vivid, yet readable."""
    for tenth in range(60, 10, -1):
        rgb = colorsys.hls_to_rgb(hue, tenth / 200, saturation)
        if contrast(rgb, (1, 1, 1)) >= MIN_CONTRAST:
            return _hex(rgb)
    return _hex(colorsys.hls_to_rgb(hue, 0.1, saturation))


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def rgb_of(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)
