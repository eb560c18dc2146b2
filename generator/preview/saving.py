"""An Edit (the files an annotation changes, the bytes it read) → those files on disk, or Conflict: no byte lost.

A file is written only if it still holds the bytes the edit was planned on,
compared just before an atomic swap and once more after it (what the swap took
out is put back if an editor saved in between); a new file only if it still does
not exist. An editor's save in between is never overwritten: `save` plans the edit
again on the file as it now is.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import Problem, SiteError, Src
from ..model import Config, Site
from ..write import exchange
from .edit import Edit, plan_edit
from .watch import TEMPORARY


class Conflict(Exception):
    """A file changed (an editor saved it) between the edit's reading it and writing it: nothing of it was written."""

    def __init__(self, path: str):
        super().__init__(f"{path} changed while the annotation was being saved")
        self.path = path


def save(root: Path, config: Config, content, site: Site, data: object, link_cache: dict | None = None,
         tries: int = 3) -> Edit:
    """Plan and write an edit; planned again when an editor saved a file in between; Conflict after `tries`."""
    tried = 1
    while True:
        edit = plan_edit(root, config, content, site, data, link_cache)
        try:
            write_edit(root, edit)
            return edit
        except Conflict:
            if tried == tries:
                raise
            tried += 1


def write_edit(root: Path, edit: Edit) -> None:
    """Write each file atomically (a temporary file beside it, then renamed over it), inside content/ only.

    Each file is written only if it still holds the bytes the edit read (a new one: only if it still does not
    exist), compared just before its rename; else Conflict, and the files this edit created are removed again.
    """
    content = (root / "content").resolve()
    for path in edit.files:
        target = root / path
        if not target.parent.resolve().is_relative_to(content) or target.is_symlink():
            raise SiteError([Problem(Src(path, 1), "the preview writes only inside content/")])
    created: list[Path] = []
    try:
        for path, body in edit.files.items():
            if _write(root, path, body, edit.read.get(path)):
                created.append(root / path)
    except BaseException:
        for made in created:
            made.unlink(missing_ok=True)
        raise


def _write(root: Path, path: str, body: bytes, was: bytes | None) -> bool:
    """Write one file if it is still as read (`was`, None: absent); whether it was created."""
    target = root / path
    if _current(target) != was:
        raise Conflict(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = target.stat().st_mode & 0o777 if was is not None else None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMPORARY, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        if mode is not None:
            os.chmod(tmp, mode)
        if was is None:
            try:
                os.link(tmp, target)  # never over a file made in between: fails if it exists
            except FileExistsError:
                raise Conflict(path) from None
            except OSError:  # a file system without hard links
                if target.exists():
                    raise Conflict(path) from None
                os.replace(tmp, target)
                return True
            Path(tmp).unlink()
            return True
        if _current(target) != was:  # the last moment before the rename
            raise Conflict(path)
        ours = os.stat(tmp).st_ino
        if not exchange(Path(tmp), target):  # a system without an atomic swap: a save in the last moment is lost
            os.replace(tmp, target)
            return False
        # The swap leaves what the file held at `tmp`: an editor's save in the moment since the check is there,
        # and is put back (unless an editor has saved over ours since), and the edit planned again on it.
        if _current(Path(tmp)) != was:
            if os.stat(target).st_ino == ours:
                exchange(Path(tmp), target)
            raise Conflict(path)
        Path(tmp).unlink()
        return False
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _current(target: Path) -> bytes | None:
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None
