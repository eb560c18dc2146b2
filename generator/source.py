"""A file the user wrote → its text, or the Problem that says why it cannot be read (not UTF-8, a link out of the site).

Every content, configuration and theme file is read through `read_text`, so a stray byte pasted from another tool
is a `PATH:LINE: message`, never a traceback.
"""
from __future__ import annotations

from pathlib import Path

from .errors import Problem, Src


def read_text(path: Path, shown: str, inside: Path | None = None) -> tuple[str | None, Problem | None]:
    """The file's text (a leading byte-order mark dropped), or None and a Problem at the line of the bad byte.

    With `inside`, a symbolic link that leads out of that folder is refused: content must not pull in
    `/etc/passwd`.
    """
    if inside is not None and path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(inside.resolve()):
            return None, Problem(Src(shown, 1), f"a symbolic link to {target} outside the site folder: "
                                                "copy the file into the site instead")
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, Problem(Src(shown, 1), f"cannot be read: {e.strerror or e}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return None, Problem(Src(shown, line), f"not UTF-8: byte 0x{data[e.start]:02x} cannot be read "
                                               "(save the file as UTF-8)")
    return text.removeprefix("\ufeff"), None
