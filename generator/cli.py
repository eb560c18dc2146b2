"""Command line → build, check or serve a site; the only module besides `serve` that prints."""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
import threading
import time
from pathlib import Path

from .errors import Problem, ReaderGone, SiteError, Src, counted, say

MADE: list = []  # what the last build made (the site, its cache), left for the process's end to take back whole


def report(problems, out=sys.stderr, end="; nothing was written.") -> None:
    errors = [p for p in problems if not p.warning]
    for p in problems:
        say(str(p), out)
    if errors:
        say(f"{len(errors)} error{'s' * (len(errors) != 1)} found{end}", out)


def report_check(problems, form: str, root: Path) -> None:
    """`check`'s report: text (PATH:LINE: message), GitHub workflow commands or JSON, the last two on stdout."""
    errors = [p for p in problems if not p.warning]
    if form == "json":
        say(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
        return
    if form == "github":  # paths as the repository names them, for the annotations to land on the diff
        prefix = _repository_prefix(root)
        for p in problems:
            say(p.as_github(prefix + p.src.path))
    else:
        report(problems, end=".")  # check writes nothing, whatever it finds
    if not errors:
        count = f"{len(problems)} warning{'s' * (len(problems) != 1)}"
        say("check: no problems found" + (f" ({count})" if problems else ""))
    elif form == "github":
        say(f"{len(errors)} error{'s' * (len(errors) != 1)} found.")


def report_coverage(problems, coverage, form: str, root: Path) -> None:
    """`check --coverage`: `check`'s report, then each attributed sentence without an annotation (advice, never an
    error): text, GitHub notices, or one JSON list of both (advice with `"severity": "advice"`)."""
    if form == "json":
        say(json.dumps([p.as_dict() for p in problems] + [u.as_dict() for u in coverage.found],
                       ensure_ascii=False, indent=2))
        return
    report_check(problems, form, root)
    if form == "github":
        from .errors import _escape  # the workflow commands' escaping, as `check` uses it
        prefix = _repository_prefix(root)
        for u in coverage.found:
            say(f"::notice file={_escape(prefix + u.src.path, prop=True)},line={u.src.line}::"
                f"{_escape(str(u)[len(str(u.src)) + 2:])}")
    say(coverage.report())


def _repository_prefix(root: Path) -> str:
    """Where the site stands in its git repository ("" at the top, or outside any repository): "situs/"."""
    import subprocess
    try:
        found = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix"], capture_output=True,
                               text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return found.stdout.strip() if found.returncode == 0 else ""


@contextlib.contextmanager
def progress(store, started: float, after: float = 3.0, out=sys.stderr):
    """On a terminal, a build that takes longer than `after` seconds shows a line of the phases it has done."""
    if not out.isatty():
        yield
        return
    done = threading.Event()

    def show() -> None:
        if done.wait(after):
            return
        while not done.wait(0.5):
            phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in list(store.phases.items())
                               if name != "pages")
            print(f"\rbuilding… {time.perf_counter() - started:.0f} s ({phases or 'loading'})\x1b[K", end="",
                  file=out, flush=True)
        print("\r\x1b[K", end="", file=out, flush=True)

    shower = threading.Thread(target=show, daemon=True)
    shower.start()
    try:
        yield
    finally:
        done.set()
        shower.join()


def _count(low: int, high: int):
    """An argument type: a whole number from `low` to `high`, else argparse's message."""
    def count(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"a whole number from {low} to {high}: {text!r}")
        return value
    return count


def refuse_controls(args: argparse.Namespace) -> None:
    """A command-line value holding a control character (`--title $'\\e[2J'`) is refused before it reaches a file."""
    from .source import control_problems
    problems = [p for name, value in vars(args).items() if isinstance(value, str) for p in control_problems(
        value.replace("\n", " "), "SLUG" if name == "slug" else f"--{name.replace('_', '-')}", 0, " in its value",
        first=True)]
    if problems:
        raise SiteError(problems)


def main(argv: list[str] | None = None) -> int:
    """The command line → its exit status."""
    try:
        return _command(argv)
    except ReaderGone as gone:  # `build | head -1`: the build went on; nothing more can reach that reader
        gone.silence()
        return 1


def _command(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Build a fact-check site.")
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="build the site into its output folder")
    c = commands.add_parser("check", help="validate content and links; build nothing")
    s = commands.add_parser("serve", help="preview with live reload")
    for p in (b, c, s):
        p.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: .)")
    b.add_argument("--out", type=Path, help="output folder (default: output_dir of site.toml)")
    b.add_argument("--base-url", help="override base_url for this build (a deployment's URL)")
    b.add_argument("--jobs", type=_count(1, 1024), help="worker processes (default: one per core)")
    b.add_argument("--drafts", action="store_true", help="publish drafts too (for a private preview)")
    b.add_argument("--no-cache", action="store_true", help="build everything afresh; neither read nor write the "
                   "build cache (.factcheck-cache/ in the site folder)")
    b.add_argument("--verbose", action="store_true", help="also say how long each phase took")
    c.add_argument("--format", choices=("text", "github", "json"), default="text",
                   help="text (PATH:LINE: message), github (annotations on a pull request's diff) or json")
    since = c.add_mutually_exclusive_group()
    since.add_argument("--since", metavar="REF", help="instead, list what changed since a git REF: claims re-rated, "
                   "retitled or newly quoted, annotations added or removed (Markdown)")
    s.add_argument("--port", type=_count(0, 65535), default=8000)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--open", action="store_true", help="open the preview in a browser")
    since.add_argument("--coverage", action="store_true", help="also list the sentences that attribute a statement "
                       "to someone and carry no annotation, with the actors each probably names and whether they "
                       "assert or deny (advice; the exit status is check's)")
    n = commands.add_parser("new", help="start a content file: an article from a plain-text copy, a claim, an actor")
    kinds = n.add_subparsers(dest="what", required=True)
    na = kinds.add_parser("article", help="content/articles/SLUG.md from a plain-text copy; paragraph breaks restored")
    nc = kinds.add_parser("claim", help="content/claims/SLUG.md")
    nt = kinds.add_parser("actor", help="content/actors/SLUG.yaml")
    npost = kinds.add_parser("post", help="content/articles/SLUG.md with kind: post, from the post's text")
    for p in (na, nc, nt, npost):
        p.add_argument("slug", metavar="SLUG", nargs="?", help="the file name: lowercase letters, "
                       "digits, hyphens; never taken (default: made from the title or name, in any script)")
        p.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: .)")
    na.add_argument("--outlet", required=True, help="the outlet's SLUG (content/outlets/OUTLET.yaml)")
    na.add_argument("--from", dest="source", type=Path, required=True, metavar="FILE", help="the plain-text copy")
    npost.add_argument("--platform", required=True, help="the platform's SLUG (an outlet with kind: platform)")
    npost.add_argument("--from", dest="source", type=Path, required=True, metavar="FILE", help="the post's text")
    npost.add_argument("--account", help="the account that posted it, as the platform shows it")
    nc.add_argument("--title", required=True, help="the claim, stated as a statement")
    nt.add_argument("--name", required=True, help="the actor's name")
    nt.add_argument("--kind", required=True, help="person, government, organization, media or group")
    args = parser.parse_args(argv)
    root = args.site
    try:
        refuse_controls(args)
        if args.command == "build":
            started = time.perf_counter()
            from .cache import open_cache, up_to_date
            store = open_cache(root, not args.no_cache)
            done, inputs = up_to_date(root, args.out, args.base_url, args.drafts, store)
            store.phases["hash inputs"] = time.perf_counter() - started
            if done:  # the output holds what this build would write: nothing to do
                for warning in done.warnings:
                    say(str(warning), sys.stderr)
                say(f"up to date: {done.summary} (nothing changed since the last build) "
                    f"in {time.perf_counter() - started:.2f} s")
                return 0
            store.prefetch("load")  # the content's records read while the build starts
            from .build import build, summary
            with progress(store, started):
                site = build(root, args.out, args.base_url, args.jobs, drafts=args.drafts, store=store, inputs=inputs)
            MADE[:] = [site, store]  # a million objects at 10 000 articles: freeing them one by one took 0.4 s
            report(site.warnings)
            out = args.out or root / site.config.output_dir
            pages = store.phases.pop("pages", 0)
            say(f"built {summary(site)} into {out} in {time.perf_counter() - started:.2f} s: "
                f"{counted(pages - store.reused, 'page')} rendered, {store.reused} reused, {store.shards[0]} of "
                f"{counted(store.shards[1], 'search shard')} indexed")
            if args.verbose:
                say("  " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in store.phases.items()))
            return 0
        if args.command == "new":
            from .new import new_file
            created = new_file(root, args.what, args.slug, vars(args))
            say("\n  ".join([f"wrote {created.path}", *created.notes]))
            return 0
        if args.command == "check" and args.coverage:  # every problem of `check`, then the advice
            from .check import check
            from .coverage import find_unannotated
            problems = check(root)
            coverage = find_unannotated(root)
            report_coverage(problems, coverage, args.format, root)
            return 1 if any(not p.warning for p in problems) else 0
        if args.command == "check" and args.since is not None:  # `--since ""` too: git says it names nothing
            from .review import changes_since
            say(changes_since(root, args.since).markdown().removesuffix("\n"))
            return 0
        if args.command == "check":
            from .check import check
            problems = check(root)
            report_check(problems, args.format, root)
            return 1 if any(not p.warning for p in problems) else 0
        from .preview import serve
        return serve(root, args.host, args.port, args.open)
    except SiteError as e:
        report(e.problems)
        return 1
    except OSError as e:  # the machine refused (a folder that cannot be made, a full disk): said, not a traceback
        report([Problem(Src(str(e.filename or "--site"), 0), f"{e.strerror or e}")])
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
