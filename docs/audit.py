"""A site and some of its pages → Lighthouse's scores, axe-core's violations, the Nu Html Checker's (vnu) errors and
each page's weight, printed; exit status 1 when a page has a violation, an error or a score under 100 (performance
aside).

Builds the site into a temporary folder, serves it on a free port (Python's http.server: no compression, so
Lighthouse's performance is measured without it) and audits each page in Debian's Chromium:
- Lighthouse (mobile, its default: a 412 px phone on a slowed network and CPU; and `--preset=desktop`);
- axe-core with every rule enabled (WCAG A/AA/AAA, best practices, experimental), at 1280 and 390 px, light and
  dark colour scheme;
- vnu on the built HTML;
- the weight of what the page loads (HTML, CSS, JS, fonts, images; uncompressed bytes) at 1280 px (1×) and 390 px
  (2×, as most phones), at first load and once scrolled to the end (lazy images loaded).

The npm tools are pinned in audit/package.json: `npm ci --prefix audit` once (java runs vnu). Run:
`.venv/bin/python docs/audit.py [--site DIR] [--only lighthouse,axe,vnu,weight] PAGE…` where PAGE is a path
such as `claims/SLUG/`; without one, the example's claim page with the most sources.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "audit" / "node_modules"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
WIDTHS = {"1280": (1280, 800, 1), "390": (390, 844, 2)}  # a desktop at 1×, a phone at 2× (its copies are larger)
PAGES = ("claims/transfer-senjata-korea-utara-rusia-melanggar-resolusi-dk-pbb/",)
# every rule axe knows, experimental and best-practice ones included (a few are off unless asked for)
AXE = """async () => {
  const rules = Object.fromEntries(axe.getRules().map(r => [r.ruleId, {enabled: true}]));
  const result = await axe.run(document, {rules, resultTypes: ['violations']});
  return {version: axe.version, count: Object.keys(rules).length, violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))};
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def lighthouse(url: str, desktop: bool) -> tuple[dict[str, int], list[str]]:
    """The four category scores (0–100) and, for each category under 100, the audits that cost it points."""
    cli = TOOLS / "lighthouse" / "cli" / "index.js"
    run = subprocess.run(
        ["node", str(cli), url, "--output=json", "--output-path=stdout", "--quiet",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(ARGS)}",
         *(["--preset=desktop"] if desktop else [])],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    if run.returncode:
        return {}, [f"lighthouse failed: {run.stderr.strip()[-400:]}"]
    report = json.loads(run.stdout)
    scores = {k: round(c["score"] * 100) for k, c in report["categories"].items()}
    lost = []
    for key, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue", "")
                lost.append(f"{key}: {ref['id']} ({audit['score']:.2f}{', ' + shown if shown else ''})")
    metrics = report["audits"]
    lost += [f"metric: {m} {metrics[m].get('displayValue', '')}" for m in (
        "first-contentful-paint", "largest-contentful-paint", "cumulative-layout-shift", "total-blocking-time")
        if m in metrics]
    return scores, lost


def axe(tab, url: str) -> dict:
    tab.goto(url, wait_until="networkidle")
    tab.add_script_tag(path=str(TOOLS / "axe-core" / "axe.min.js"))
    return tab.evaluate(AXE)


def weight(tab, url: str) -> dict[str, int]:
    """Bytes loaded, by kind, at first load and once scrolled to the end."""
    loaded: dict[str, tuple[str, int]] = {}

    def seen(response) -> None:
        try:
            loaded[response.url] = (response.request.resource_type, len(response.body()))
        except Exception:  # noqa: BLE001 - a redirect or an aborted request has no body to count
            pass

    tab.on("response", seen)
    tab.goto(url, wait_until="networkidle")
    first = sum(size for _, size in loaded.values())
    first_images = sum(size for kind, size in loaded.values() if kind == "image")
    tab.evaluate("""async () => { for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
        scrollTo(0, y); await new Promise(r => setTimeout(r, 50)); } }""")
    tab.wait_for_load_state("networkidle")
    tab.remove_listener("response", seen)
    return {"first": first, "first images": first_images, "all": sum(size for _, size in loaded.values()),
            "all images": sum(size for kind, size in loaded.values() if kind == "image")}


def vnu(files: list[Path]) -> list[str]:
    jar = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
    run = subprocess.run(["java", "-jar", str(jar), "--format", "json", "--stdout", *map(str, files)],
                         capture_output=True, text=True)
    messages = json.loads(run.stdout or "{}").get("messages", [])
    return [f"{Path(m.get('url', '')).parent.name}: {m.get('subType', m['type'])}: line {m.get('lastLine', '?')}: "
            f"{m['message']}" for m in messages]


def kb(n: int) -> str:
    return f"{n // 1000} kB"  # as check counts it


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=list(PAGES), help="paths in the site, such as claims/SLUG/")
    parser.add_argument("--site", type=Path, default=REPO)
    parser.add_argument("--only", default="lighthouse,axe,vnu,weight")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each finding as it comes, also into a file: a run takes minutes
    only = set(args.only.split(","))
    if not TOOLS.is_dir() and only - {"weight"}:
        print(f"the audit tools are not installed: npm ci --prefix {TOOLS.parent.relative_to(Path.cwd())}",
              file=sys.stderr)
        return 2
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "site"
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built)))
        base = f"http://127.0.0.1:{server.server_port}/"
        subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(args.site.resolve()), "--out",
                        str(built), "--base-url", base], cwd=REPO, check=True, capture_output=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            if "vnu" in only:
                errors = vnu([built / p / "index.html" for p in args.pages])
                print(f"vnu: {len(errors)} messages")
                for line in errors:
                    print("  " + line)
                failed |= any(": error: " in line for line in errors)
            for path in args.pages:
                url = base + path
                print(f"\n{path}")
                if "lighthouse" in only:
                    for desktop in (False, True):
                        scores, lost = lighthouse(url, desktop)
                        print(f"  lighthouse {'desktop' if desktop else 'mobile'}: "
                              + ", ".join(f"{k} {v}" for k, v in scores.items()))
                        for line in lost:
                            print("    " + line)
                        failed |= not scores or any(v < 100 for k, v in scores.items() if k != "performance")
                if only & {"axe", "weight"}:
                    with sync_playwright() as p:
                        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                        for name, (w, h, density) in WIDTHS.items():
                            for scheme in ("light", "dark"):
                                context = browser.new_context(viewport={"width": w, "height": h},
                                                              device_scale_factor=density, color_scheme=scheme)
                                tab = context.new_page()
                                if "axe" in only:
                                    found = axe(tab, url)
                                    print(f"  axe {found['version']} ({found['count']} rules), {name} px {scheme}: "
                                          f"{len(found['violations'])} violations")
                                    for v in found["violations"]:
                                        print(f"    {v['id']} ({v['impact']}): {v['help']}: {v['nodes'][:3]}")
                                    failed |= bool(found["violations"])
                                if "weight" in only and scheme == "light":
                                    tab = context.new_page()  # a first load: nothing cached
                                    size = weight(tab, url)
                                    print(f"  weight at {name} px ({density}×): first load {kb(size['first'])} "
                                          f"(images {kb(size['first images'])}), scrolled to the end "
                                          f"{kb(size['all'])} (images {kb(size['all images'])})")
                                context.close()
                        browser.close()
        finally:
            server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
