"""A site folder → its output folder: the whole pipeline, load → link → render → write."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .config import load_config, theme_dirs
from .errors import SiteError
from .link import link_site
from .load import load_content
from .model import Site
from .render import plan_pages, render_pages
from .search import index_site
from .write import copy_static, staging, vanished


def build(root: Path, out: Path | None = None, base_url: str | None = None, jobs: int | None = None,
          last: Path | None = None) -> Site:
    """Build the site at `root` into `out`; raises SiteError listing every problem, having written nothing.

    The returned site's `warnings` name the pages the last build (`last`, by default `out`) published that
    this one drops.
    """
    config = load_config(root, base_url)
    site = link_site(load_content(root, config, jobs), config)
    templates = theme_dirs(root, "templates")
    pages = plan_pages(site, templates)
    out = out or root / config.output_dir
    site = replace(site, warnings=tuple(vanished(last or out, {p.path for p in pages}, config.output_dir)))
    with staging(out) as tmp:
        copy_static(theme_dirs(root, "static"), tmp)
        problems = render_pages(pages, templates, config, tmp, root, jobs) or index_site(tmp, config.output_dir)
        if problems:
            raise SiteError(problems)
    return site
