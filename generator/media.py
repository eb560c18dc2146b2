"""content/media/ → the images content may show (their sizes, found once) and the published copies of each: re-encoded
with Pillow (so no EXIF or GPS metadata survives), in the widths of `[media] widths`, with regions blurred.

A published copy is a planned Page like any other (`make=encode_image`), keyed by the digest of the file's bytes.
`check` weighs the copies a built site's pages load against the budget of `[media]` (`over_budget`).
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, Src

FOLDER = "media"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(?:png|jpe?g|webp)$", re.I)
SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".heic", ".avif", ".svg")
TURNED = (5, 6, 7, 8)  # EXIF orientations that swap width and height
WIDTHS = (480, 960, 1440)  # the widths an image is served in, where it is wider (`[media] widths`)
MAX_PIXELS = 40_000_000  # larger than any screenshot or photo a page needs; a "decompression bomb" is refused
# the screen a weight budget is measured for: a 390 px phone at 2× (780 device pixels), which loads the copy a
# desktop at 1× loads too (an image shows at most 44rem, 704 px, wide)
SCREEN = 780
IMG = re.compile(r"<img\b[^>]*>")
ATTR = re.compile(r'([a-z-]+)="([^"]*)"')
SIZED = re.compile(r"-\d+w(\.[a-z]+)$", re.I)


@dataclass(frozen=True, slots=True)
class MediaFile:
    """An image under content/media/: its size as shown (turned as its EXIF says) and the digest of its bytes."""

    src: str  # "media/FILE", as content writes it and as the site publishes it
    file: str  # its path on disk
    width: int
    height: int
    digest: str


def scan_media(root: Path) -> tuple[dict[str, MediaFile], list[Problem]]:
    """Every image under content/media/, and a Problem for each that cannot be published (a link out of the
    folder, a name that is no path, a file Pillow cannot read)."""
    folder = root / "content" / FOLDER
    found: dict[str, MediaFile] = {}
    problems: list[Problem] = []
    if folder.is_symlink():
        return {}, [Problem(Src(f"content/{FOLDER}", 0), "a symbolic link: images must be files "
                                                           "inside the site's content/media folder")]
    if not folder.is_dir():
        return {}, []
    for here, dirs, files in os.walk(folder):
        rel_dir = Path(here).relative_to(root).as_posix()
        for name in sorted(dirs):
            if (Path(here) / name).is_symlink() or not NAME.match(name + ".png"):
                problems.append(Problem(Src(f"{rel_dir}/{name}", 0), "a folder under content/media must be a real "
                                        "folder named with letters, digits, '.', '-' and '_'"))
                dirs.remove(name)
        for name in sorted(files):
            rel = f"{rel_dir}/{name}"
            path = Path(here) / name
            if not name.lower().endswith(SUFFIXES):
                continue  # notes, .DS_Store: not images
            if path.is_symlink():
                problems.append(Problem(Src(rel, 0), "a symbolic link: an image must be a file inside content/media, "
                                                     "never a link to a file elsewhere"))
            elif not NAME.match(name):
                problems.append(Problem(Src(rel, 0), "an image is published as a PNG, JPEG or WebP file named with "
                                                     "letters, digits, '.', '-' and '_'"))
            else:
                image, problem = _read(path, rel)
                if problem:
                    problems.append(problem)
                else:
                    found[rel.removeprefix("content/")] = image
    return dict(sorted(found.items())), problems


def _read(path: Path, rel: str) -> tuple[MediaFile | None, Problem | None]:
    from PIL import Image
    try:
        data = path.read_bytes()
        with Image.open(path) as img:
            img.verify()  # before anything else is read of it, as Pillow asks
        with Image.open(path) as img:
            width, height = img.size
            if width * height > MAX_PIXELS:
                return None, Problem(Src(rel, 0), f"an image of {width} × {height} pixels is too large to publish")
            if img.getexif().get(0x0112) in TURNED:
                width, height = height, width
    except Exception as e:  # noqa: BLE001 - any file Pillow cannot take is reported, never a traceback
        return None, Problem(Src(rel, 0), f"cannot be read as an image: {type(e).__name__}")
    return MediaFile(rel.removeprefix("content/"), str(path), width, height, hashlib.sha256(data).hexdigest()), None


def encode_image(file: str, digest: str, width: int, regions: tuple = (), radius: int = 16) -> bytes:
    """The image at `file` as published: turned upright, `regions` (x, y, w, h, in the original's pixels) blurred,
    scaled to `width`, re-encoded without metadata. (`digest` keys the page: the bytes it is made from.)"""
    import io

    from PIL import Image, ImageFilter, ImageOps
    with Image.open(file) as original:
        fmt = original.format if original.format in ("PNG", "JPEG", "WEBP") else "PNG"
        img = ImageOps.exif_transpose(original)
        img.load()
    if img.mode not in ("RGB", "RGBA", "L", "LA"):
        img = img.convert("RGBA" if "A" in img.getbands() or "transparency" in img.info else "RGB")
    for x, y, w, h in regions:
        box = (max(0, x), max(0, y), min(img.width, x + w), min(img.height, y + h))
        if box[0] < box[2] and box[1] < box[3]:
            # a blur, then pixels: a strong blur alone can still be read back for text as large as a phone number
            patch = img.crop(box).filter(ImageFilter.GaussianBlur(radius))
            small = patch.resize((max(1, patch.width // radius), max(1, patch.height // radius)))
            img.paste(small.resize(patch.size, Image.Resampling.NEAREST), box)
    if width < img.width:
        img = img.resize((width, round(img.height * width / img.width)), Image.Resampling.LANCZOS)
    if fmt == "JPEG" and img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    out = io.BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True, "progressive": True},
               "WEBP": {"quality": 85}, "PNG": {"optimize": True}}[fmt]
    img.info.clear()  # nothing of the original's metadata (EXIF, XMP, text chunks, colour profile) is written
    img.save(out, fmt, **options)
    return out.getvalue()


def sizes_of(width: int, widths: tuple[int, ...] = WIDTHS) -> tuple[int, ...]:
    """The widths an image is published in: each of `widths` below its own, and its own (at most the largest)."""
    top = min(width, max(widths))
    return (*(w for w in widths if w < top), top)


def sized_name(src: str, width: int, own: int) -> str:
    """`media/x.png` at its own width, `media/x-480w.png` at 480."""
    if width == own:
        return src
    stem, _, ext = src.rpartition(".")
    return f"{stem}-{width}w.{ext}"


def plan_media(media: tuple[MediaFile, ...], config, blurred: dict[str, tuple]) -> list:
    """A Page for each published copy of each image: its sizes; `blurred`: src → regions from front matter."""
    from .page import Page
    widths = config.media.get("widths", WIDTHS)
    radius = config.media.get("blur", 16)
    pages = []
    for m in media:
        regions = tuple(dict.fromkeys((*config.media.get("regions", {}).get(m.src, ()), *blurred.get(m.src, ()))))
        for w in sizes_of(m.width, widths):
            pages.append(Page(sized_name(m.src, w, m.width), "", make=encode_image, context={
                "file": m.file, "digest": m.digest, "width": w, "regions": regions, "radius": radius}))
    return pages


def over_budget(out: Path, media: dict, shown_as: str = "_site") -> list[Problem]:
    """Warnings for the images of a built site (`out`) over the weight budget of `[media]` (`media`): an image whose
    copy a phone loads weighs more than `budget_kb` (at `content/media/FILE`), a page whose images together weigh
    more than `page_budget_kb` (at the page's first image)."""
    image_budget, page_budget = media.get("budget_kb", 200), media.get("page_budget_kb", 500)
    heavy: dict[str, tuple[str, int]] = {}
    problems = []
    for page in sorted(out.rglob("*.html")):
        text = page.read_text("utf-8")
        if f"{FOLDER}/" not in text:
            continue
        loaded: dict[Path, int] = {}  # each copy the page loads → the line of its first <img>
        for tag in IMG.finditer(text):
            attrs = dict(ATTR.findall(tag.group(0)))
            copies = [(u, int(w[:-1])) for u, w in (c.split() for c in attrs.get("srcset", "").split(", ") if " " in c)
                      if w[:-1].isdigit()]
            url = min((c for c in copies if c[1] >= SCREEN), key=lambda c: c[1], default=max(
                copies, key=lambda c: c[1], default=(attrs.get("src", ""), 0)))[0]
            file = (page.parent / url).resolve()
            if "://" not in url and file.is_relative_to((out / FOLDER).resolve()) and file.is_file():
                loaded.setdefault(file, text.count("\n", 0, tag.start()) + 1)
        weights = {file: file.stat().st_size for file in loaded}
        for file, size in weights.items():
            if size > image_budget * 1000:
                name = FOLDER + "/" + SIZED.sub(r"\1", file.relative_to((out / FOLDER).resolve()).as_posix())
                heavy[name] = (file.name, size)
        if sum(weights.values()) > page_budget * 1000:
            rel = page.relative_to(out).as_posix()
            problems.append(Problem(Src(f"{shown_as}/{rel}", min(loaded.values())), f"the images of this page weigh "
                                    f"{sum(weights.values()) // 1000} kB on a phone, over the budget of {page_budget} "
                                    "kB ([media] page_budget_kb): show fewer, or lighter ones", warning=True))
    for name, (copy, size) in sorted(heavy.items()):
        problems.append(Problem(Src(f"content/{name}", 0), f"the copy a phone loads ({copy}) weighs {size // 1000} kB, "
                                f"over the budget of {image_budget} kB ([media] budget_kb): save a screenshot as JPEG, "
                                "or crop it to what matters", warning=True))
    return problems
