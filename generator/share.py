"""A claim, its verdict and the site → a 1200×630 PNG that link previews show (OpenGraph / Twitter image).

Drawn with Pillow at build time; deterministic for the same text and font.
The font is the theme's `templates/fonts/share.ttf` if it has one, else DejaVu Sans Bold where the system
has it (wide Unicode coverage), else the font Pillow ships.
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .config import SYSTEM_FONTS

if TYPE_CHECKING:  # Pillow is imported when an image is drawn: a build that draws none starts 15 ms sooner
    from PIL import ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
PAPER, INK, MUTED = (253, 252, 249), (29, 35, 43), (91, 100, 112)


@lru_cache(maxsize=None)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def font_path(template_dirs: list[Path]) -> str:
    for candidate in [*(d / "fonts" / "share.ttf" for d in template_dirs), *map(Path, SYSTEM_FONTS)]:
        if candidate.is_file():
            return str(candidate)
    return ""


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while lines[-1] and draw.textlength(lines[-1] + " …", font=font) > width:
            lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else lines[-1][:-1]
        lines[-1] += " …"
    return lines


def share_image(claim: str, verdict: str, colour: str, step: int, steps: int, kicker: str, site: str,
                font: str) -> bytes:
    """The PNG for one claim: `verdict` is its label (or the 'not rated' text), `kicker` a word like 'Klaim'.

    A rated claim's verdict is a filled badge in its scale colour (`colour`, "#rrggbb") with a meter of
    `steps` bars, `step` of them lit, as on the site; an unrated one ("" colour, step 0) an outlined grey badge.

    Everything is drawn as coverage into one grey image; each horizontal band of the card has one colour
    (accent strip, muted kicker, ink title, accent verdict, muted site name), so a band's coverage maps to
    that colour's 64 shades of a palette. A palette PNG is a third of the bytes of RGB to encode.
    """
    from PIL import Image, ImageDraw
    tone = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)) if colour else MUTED
    image = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 14), fill=255)
    draw.text((MARGIN, 56), kicker.upper(), font=_font(font, 30), fill=255)
    size = 64
    while True:
        title_font = _font(font, size)
        lines = _wrap(draw, claim, title_font, WIDTH - 2 * MARGIN, 4 if size > 44 else 5)
        if len(lines) <= 3 or size <= 44:
            break
        size -= 6
    y = TITLE_TOP
    for line in lines:
        draw.text((MARGIN, y), line, font=title_font, fill=255)
        y += int(size * 1.22)
    badge_font = _font(font, 40)
    label = verdict.upper() if colour else verdict
    label_width = draw.textlength(label, font=badge_font)
    meter = steps * 22 + 16 if colour and steps > 1 else 0
    box = (MARGIN, BADGE_TOP, MARGIN + meter + label_width + 56, BADGE_TOP + 72)
    if colour:  # filled in the verdict's colour, the label and the lit bars knocked out in paper
        draw.rounded_rectangle(box, radius=10, fill=255)
        for i in range(steps if meter else 0):
            x = MARGIN + 28 + i * 22
            draw.rectangle((x, BADGE_TOP + 18, x + 14, BADGE_TOP + 54), fill=0 if i < step else 150)
        draw.text((MARGIN + 28 + meter, BADGE_TOP + 14), label, font=badge_font, fill=0)
    else:
        draw.rounded_rectangle(box, radius=10, outline=255, width=5)
        draw.text((MARGIN + 28, BADGE_TOP + 14), label, font=badge_font, fill=255)
    draw.text((MARGIN, HEIGHT - 56), site, font=_font(font, 28), fill=255)
    for top, bottom, shade in BANDS:
        image.paste(image.crop((0, top, WIDTH, bottom)).point(SHADES[shade]), (0, top))
    palette = [round(p + (c - p) * k / 63) for shade in (INK, MUTED, tone) for k in range(64)
               for p, c in zip(PAPER, shade)]
    image.putpalette(palette + list(PAPER) * 64)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()


TITLE_TOP, BADGE_TOP = 110, HEIGHT - 150
# (top, bottom, colour) of each band: 0 ink, 1 muted, 2 the verdict's colour.
BANDS = ((0, 20, 2), (20, TITLE_TOP - 8, 1), (TITLE_TOP - 8, BADGE_TOP - 10, 0),
         (BADGE_TOP - 10, BADGE_TOP + 82, 2), (BADGE_TOP + 82, HEIGHT, 1))
# Coverage → palette index: paper (255) where nothing is drawn, else one of the colour's 64 shades.
SHADES = [[255] + [shade * 64 + c // 4 for c in range(1, 256)] for shade in range(3)]


def site_image(title: str, description: str, figures: str, scale: tuple[tuple[str, str], ...], font: str) -> bytes:
    """The site's own 1200×630 PNG, for every page that has no image of its own (home, lists, articles, actors).

    Its title, description and figures, and its verdict scale as a row of swatches in the scale's colours.
    """
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 14), fill=INK)
    size = 72
    while True:
        title_font = _font(font, size)
        lines = _wrap(draw, title, title_font, WIDTH - 2 * MARGIN, 3)
        if len(lines) <= 2 or size <= 48:
            break
        size -= 8
    y = 70
    for line in lines:
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += int(size * 1.2)
    y += 16
    for line in _wrap(draw, description, _font(font, 30), WIDTH - 2 * MARGIN, 3) if description else []:
        draw.text((MARGIN, y), line, font=_font(font, 30), fill=MUTED)
        y += 40
    x, top = MARGIN, HEIGHT - 150
    label_font = _font(font, 24)
    for label, colour in scale:  # worst to best, each in its colour, white label
        width = draw.textlength(label.upper(), font=label_font) + 32
        if x + width > WIDTH - MARGIN:
            break
        draw.rounded_rectangle((x, top, x + width, top + 46), radius=8, fill=colour)
        draw.text((x + 16, top + 9), label.upper(), font=label_font, fill=(255, 255, 255))
        x += width + 10
    draw.text((MARGIN, HEIGHT - 70), figures, font=_font(font, 28), fill=MUTED)
    out = io.BytesIO()
    image.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()
