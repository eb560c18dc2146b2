"""A finished build → the output folder, swapped in whole: a failed build never touches the last good output."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staging(out: Path):
    """A fresh folder beside `out`; on success it replaces `out`, on failure it is removed."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    out.chmod(0o755)  # mkdtemp made it private; a web server must read it
    shutil.rmtree(old, ignore_errors=True)


def copy_static(static_dirs: list[Path], out: Path) -> None:
    """Copy the theme's static files, the site's own last so they win."""
    for folder in reversed(static_dirs):
        shutil.copytree(folder, out, dirs_exist_ok=True)
