"""Command line → build, check or serve a site; the only module besides `serve` that prints."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import SiteError


def report(problems, out=sys.stderr) -> None:
    errors = [p for p in problems if not p.warning]
    for p in problems:
        print(p, file=out)
    if errors:
        print(f"{len(errors)} error{'s' * (len(errors) != 1)} found; nothing was written.", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Build a fact-check site.")
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="build the site into its output folder")
    c = commands.add_parser("check", help="validate content and links; build nothing")
    s = commands.add_parser("serve", help="preview with live reload")
    for p in (b, c, s):
        p.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: .)")
    b.add_argument("--out", type=Path, help="output folder (default: output_dir of site.toml)")
    b.add_argument("--base-url", help="override base_url for this build (a deployment's URL)")
    b.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--open", action="store_true", help="open the preview in a browser")
    args = parser.parse_args(argv)
    root = args.site
    try:
        if args.command == "build":
            from .build import build
            started = time.perf_counter()
            site = build(root, args.out, args.base_url, args.jobs)
            report(site.warnings)
            out = args.out or root / site.config.output_dir
            print(f"built {len(site.articles)} articles, {len(site.claims)} claims, {len(site.actors)} actors "
                  f"into {out} in {time.perf_counter() - started:.2f} s")
            return 0
        if args.command == "check":
            from .check import check
            problems = check(root)
            report(problems)
            errors = [p for p in problems if not p.warning]
            if not errors:
                print("check: no problems found" + (f" ({len(problems)} warnings)" if problems else ""))
            return 1 if errors else 0
        from .preview import serve
        return serve(root, args.host, args.port, args.open)
    except SiteError as e:
        report(e.problems)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
