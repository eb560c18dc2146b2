"""A site folder → its output folder: the whole pipeline, load → link → render → write."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .config import load_config, theme_dirs
from .errors import SiteError, Src
from .link import link_site
from .load import load_content
from .model import Site
from .render import menu_of, plan_pages, render_pages
from .search import index_site
from .write import copy_static, output_problem, staging, vanished, vanished_passages


def build(root: Path, out: Path | None = None, base_url: str | None = None, jobs: int | None = None,
          last: Path | None = None, drafts: bool = False) -> Site:
    """Build the site at `root` into `out`; raises SiteError listing every problem, having written nothing.

    The returned site's `warnings` name what the build leaves out: the pages the last build (`last`, by
    default `out`) published that this one drops, passages of draft claims. `drafts` publishes drafts too.
    """
    config = load_config(root, base_url)
    refused = output_problem(out, root, Src("--out", 0)) if out else \
        output_problem(root / config.output_dir, root, Src(config.src.path, config.lines.get("output_dir", 1)))
    if refused:
        raise SiteError([refused])
    site = link_site(load_content(root, config, jobs, drafts=drafts), config)
    templates = theme_dirs(root, "templates")
    pages = plan_pages(site, templates)
    out = out or root / config.output_dir
    site = replace(site, warnings=(*site.warnings, *vanished(last or out, {p.path for p in pages}, config.output_dir),
                                   *vanished_passages(last or out, site.articles)))
    with staging(out) as tmp:
        problems = (copy_static(theme_dirs(root, "static"), tmp)
                    or render_pages(pages, templates, config, tmp, root, jobs, menu_of(site))
                    or index_site(tmp, config.output_dir))
        if problems:
            raise SiteError(problems)
    return site
