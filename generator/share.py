"""A claim, its verdict and the site → a 1200×630 PNG that link previews show (OpenGraph / Twitter image).

Drawn with Pillow at build time; deterministic for the same text and font.
The font is the theme's `templates/fonts/share.ttf` if it has one, else DejaVu Sans Bold where the system
has it (wide Unicode coverage), else the font Pillow ships.
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
PAPER, INK, MUTED = (253, 252, 249), (29, 35, 43), (91, 100, 112)
RATING_COLOURS = {5: (15, 107, 79), 4: (75, 107, 15), 3: (122, 90, 0), 2: (163, 74, 11), 1: (163, 38, 27)}
SYSTEM_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
                "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf", "/Library/Fonts/Arial Unicode.ttf")


@lru_cache(maxsize=None)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
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


def share_image(claim: str, verdict: str, rating: int | None, kicker: str, site: str, font: str) -> bytes:
    """The PNG for one claim: `verdict` is its label (or the 'not rated' text), `kicker` a word like 'Klaim'.

    Each colour is drawn as its own coverage mask and the masks are composed into a palette image
    (64 shades per colour): a third of the bytes of RGB, so encoding costs a third as much.
    """
    colour = RATING_COLOURS.get(rating, MUTED) if rating is not None else MUTED
    ink, muted, accent = (Image.new("L", (WIDTH, HEIGHT), 0) for _ in range(3))
    draw_ink, draw_muted, draw_accent = ImageDraw.Draw(ink), ImageDraw.Draw(muted), ImageDraw.Draw(accent)
    draw_accent.rectangle((0, 0, WIDTH, 14), fill=255)
    draw_muted.text((MARGIN, 56), kicker.upper(), font=_font(font, 30), fill=255)
    size = 64
    while True:
        title_font = _font(font, size)
        lines = _wrap(draw_ink, claim, title_font, WIDTH - 2 * MARGIN, 4 if size > 44 else 5)
        if len(lines) <= 3 or size <= 44:
            break
        size -= 6
    y = 110
    for line in lines:
        draw_ink.text((MARGIN, y), line, font=title_font, fill=255)
        y += int(size * 1.22)
    badge_font = _font(font, 40)
    label_width = draw_accent.textlength(verdict, font=badge_font)
    top = HEIGHT - 150
    draw_accent.rounded_rectangle((MARGIN, top, MARGIN + label_width + 56, top + 72), radius=36, outline=255, width=5)
    draw_accent.text((MARGIN + 28, top + 14), verdict, font=badge_font, fill=255)
    draw_muted.text((MARGIN, HEIGHT - 56), site, font=_font(font, 28), fill=255)
    image = Image.new("L", (WIDTH, HEIGHT), 255)  # palette index 255: paper
    for n, mask in enumerate((ink, muted, accent)):
        image.paste(mask.point([n * 64 + c // 4 for c in range(256)]), mask=mask.point([255 if c else 0 for c in range(256)]))
    palette = []
    for shade in (INK, MUTED, colour):
        for k in range(64):
            palette += [round(p + (c - p) * k / 63) for p, c in zip(PAPER, shade)]
    palette += list(PAPER) * 64
    image.putpalette(palette)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()
