"""A file the user wrote → its text, or the Problem that says why it cannot be read (not UTF-8, a control character,
a link out of its folder).

Every content, configuration and theme file is read through `read_text`, so a stray byte pasted from another tool
is a `PATH:LINE: message`, never a traceback; values that escapes make (YAML's "\\e", TOML's "\\u0000", Markdown's
`&#1;`) go through `control_problems`.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from pathlib import Path

from .errors import Problem, Src

# What no text of a site may hold: C0 controls but tab and line feed, DEL and the C1 controls (a terminal obeys
# ESC and CSI; XML 1.0 allows none of C0), a carriage return that ends no line (CR LF is a line end), the
# noncharacters XML refuses, and surrogates (which no UTF-8 encodes).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]|\r(?!\n)")
C0 = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC "
      "FS GS RS US").split()
C1 = ("PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 DCS PU1 PU2 STS CCH MW SPA EPA SOS SGCI "
      "SCI CSI ST OSC PM APC").split()
FOLDERS = ("content", "static", "templates")  # the site's folders whose files are read or published


def char_name(c: str) -> str:
    """'U+0000 (NUL)', 'U+009B (CSI)', 'U+FFFE (a noncharacter)': a character no message can show as itself."""
    n = ord(c)
    name = (C0[n] if n < 0x20 else "DEL" if n == 0x7f else C1[n - 0x80] if 0x80 <= n < 0xa0
            else "a lone surrogate" if 0xd800 <= n < 0xe000 else "a noncharacter")
    return f"U+{n:04X} ({name})"


def control_problems(text: str, path: str, line: int = 1, what: str = "", first: bool = False) -> list[Problem]:
    """A Problem at the line of each control character in `text` (which starts on `line`), naming it; with
    `first`, one Problem, at the first, saying on how many more lines there are others."""
    found, counted = {}, 0
    for m in CONTROL.finditer(text):  # lines counted on from the last match: a file of NULs takes linear time
        line += text.count("\n", counted, m.start())
        counted = m.start()
        found.setdefault(line, m.group()[0])
    problems = []
    for at, c in list(found.items())[:1] if first else found.items():
        more = len(found) - 1 if first else 0
        also = f" (and others on {more} more line{'s' * (more > 1)})" if more else ""
        if c == "\r" and not what:
            hint = " that ends no line: save the file with LF (or CR LF) line ends"
        else:  # written as itself: pasted, most likely
            hint = ": it cannot be shown, and it breaks feeds; delete it" + (
                "" if what else " (a copy from another program can carry one)")
        problems.append(Problem(Src(path, at), f"control character {char_name(c)}{what}{also}{hint}"))
    return problems


def link_out(root: Path, rel: str) -> Problem | None:
    """Why root/rel cannot be read: it, or a folder on the way to it, is a symbolic link that leads out of its
    top folder (content/, static/ or templates/: links stay inside it, so the folder itself is never one) or
    to nothing. None when it can."""
    parts = rel.split("/")
    for i in range(1, len(parts) + 1):
        path = root.joinpath(*parts[:i])
        if not os.path.islink(path):
            continue
        target = Path(os.path.realpath(path))
        shown = Src("/".join(parts[:i]), 1 if i == len(parts) and not target.is_dir() else 0)
        try:
            os.stat(path)
        except OSError as e:
            return Problem(shown, "a symbolic link that leads, link after link, back to itself" if e.errno == errno.ELOOP
                           else f"a symbolic link to {target}, which does not exist")
        if i == 1 or not target.is_relative_to(os.path.realpath(root / parts[0])):
            return Problem(shown, f"a symbolic link to {target}, outside {parts[0]}/: links out of the site are "
                                  f"not followed; copy the {'folder' if target.is_dir() else 'file'} into "
                                  f"{parts[0]}/ instead")
    return None


def links_out(root: Path, folders: tuple[str, ...] = FOLDERS) -> list[Problem]:
    """Every symbolic link in the site's `folders`, at any depth and the folders themselves included, that leads
    out of its folder: a Problem at its path. Nothing in them is read before this says none does."""
    problems = []
    for top in folders:
        found = link_out(root, top)
        if found or not (root / top).is_dir():
            problems += [found] if found else []
            continue
        folders = [top]
        while folders:  # links to folders are looked at, never entered
            folder = folders.pop()
            try:
                with os.scandir(root / folder) as entries:
                    for entry in entries:  # a DirEntry knows whether it is a link without asking the disk again
                        if entry.is_symlink():
                            found = link_out(root, f"{folder}/{entry.name}")
                            problems += [found] if found else []
                        elif entry.is_dir():
                            folders.append(f"{folder}/{entry.name}")
            except OSError:  # a folder that cannot be listed holds nothing that is read either
                continue
    return problems


def read_text(path: Path, shown: str, inside: Path | None = None) -> tuple[str | None, Problem | None]:
    """The file's text (a leading byte-order mark dropped), or None and a Problem at the line of the bad byte or
    the first control character.

    With `inside` (the site folder), `shown` (site-relative) must not be, or lie in, a symbolic link out of its
    folder: content must not pull in `/etc/passwd`.
    """
    text, problem, _ = read_file_text(path, shown, inside)
    return text, problem


def read_file_text(path: Path, shown: str, inside: Path | None = None) -> tuple[str | None, Problem | None, str]:
    """`read_text`, and the SHA-256 (hex) of the very bytes the text was read from ('' with a problem)."""
    if inside is not None:
        refused = link_out(inside, shown)
        if refused:
            return None, refused, ""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a named pipe or a device would never end, or never start
            return None, Problem(Src(shown, 1), "not a file (a folder, a pipe or a device): content is files"), ""
        data = path.read_bytes()
    except OSError as e:
        return None, Problem(Src(shown, 1), f"cannot be read: {e.strerror or e}"), ""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return None, Problem(Src(shown, line), f"not UTF-8: byte 0x{data[e.start]:02x} cannot be read "
                                               "(save the file as UTF-8)"), ""
    text = text.removeprefix("\ufeff")
    found = control_problems(text, shown, first=True)
    return (None, found[0], "") if found else (text, None, hashlib.sha256(data).hexdigest())
