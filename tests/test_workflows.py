"""The GitHub workflows: all pass actionlint and zizmor; every action pinned to a commit with its version beside it;
the pull-request check reads only; only Pages' deploy job and the weekly lock refresh may write."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
PAGES, CHECK, LOCK = WORKFLOWS / "pages.yml", WORKFLOWS / "check.yml", WORKFLOWS / "lock.yml"
ALL = (PAGES, CHECK, LOCK)
PINNED = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$")


def tool(name: str) -> str:
    """A linter of the test extras (installed beside this Python), else one on PATH."""
    beside_python = str(Path(sys.executable).parent)
    found = shutil.which(name, path=os.pathsep.join([beside_python, os.environ.get("PATH", "")]))
    assert found, f"{name} is missing: pip install -e '.[test]'"
    return found


def lint(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([tool("actionlint"), "-no-color", *map(str, files)], capture_output=True, text=True,
                          timeout=120)


def audit(*paths: Path) -> subprocess.CompletedProcess:
    """zizmor, offline (no GitHub API), with the pedantic persona: its default audits and the stricter ones."""
    return subprocess.run([tool("zizmor"), "--offline", "--persona=pedantic", "--no-progress", "--color=never",
                           *map(str, paths)], capture_output=True, text=True, timeout=120)


def test_every_workflow_passes_actionlint():
    result = lint(*ALL)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_fails_an_action_on_a_retired_runtime(tmp_path):
    """The lint has teeth: the Pages workflow as it was (actions on Node 20) does not pass."""
    old = tmp_path / "pages.yml"
    old.write_text(re.sub(r"actions/deploy-pages@\S+ # \S+", "actions/deploy-pages@v4", PAGES.read_text("utf-8")),
                   "utf-8")
    result = lint(old)
    assert result.returncode == 1 and "actions/deploy-pages@v4" in result.stdout, result.stdout


def test_every_workflow_and_dependabot_pass_zizmor():
    result = audit(*ALL, REPO / ".github" / "dependabot.yml")
    assert result.returncode == 0 and "No findings" in result.stdout + result.stderr, result.stdout + result.stderr


@pytest.mark.parametrize("change", [
    (r"(actions/checkout)@\S+ # \S+", r"\1@v7"),  # a tag that can be moved to other code
    (r"\n\s+persist-credentials: false[^\n]*", ""),  # the token left in .git/config, for any step to read
    (r'--base-url "\$BASE_URL/"', '--base-url "${{ steps.pages.outputs.base_url }}/"'),  # text spliced into a script
])
def test_zizmor_fails_what_the_workflows_no_longer_do(tmp_path, change):
    """The audit has teeth: each protection taken away gives a finding."""
    old = tmp_path / ".github" / "workflows" / "pages.yml"
    old.parent.mkdir(parents=True)
    old.write_text(re.sub(*change, PAGES.read_text("utf-8"), count=1), "utf-8")
    assert old.read_text("utf-8") != PAGES.read_text("utf-8")
    result = audit(old)
    assert result.returncode != 0 and "No findings" not in result.stdout, result.stdout


def uses_lines(path: Path) -> list[str]:
    return [line for line in path.read_text("utf-8").splitlines() if re.match(r"^\s*(?:- )?uses:", line)]


def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it():
    """A tag can be moved to other code; a commit cannot. The comment is what Dependabot reads and updates."""
    lines = [line for path in ALL for line in uses_lines(path)]
    assert len(lines) >= 10
    assert [line for line in lines if not PINNED.match(line)] == []
    versions = {PINNED.match(line).group(1): PINNED.match(line).group(3) for line in lines}
    assert versions["actions/checkout"].startswith("v7.") and versions["actions/setup-python"].startswith("v7.")
    commits = {}
    for line in lines:  # one action, one commit, wherever it is used
        action, commit, _ = PINNED.match(line).groups()
        assert commits.setdefault(action, commit) == commit, line


def test_no_checkout_leaves_its_token_behind():
    for path in ALL:
        for job in load(path)["jobs"].values():
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, path.name


def test_the_lock_is_refreshed_weekly_and_proposed_as_a_pull_request():
    workflow = load(LOCK)
    assert workflow[True]["schedule"] and "workflow_dispatch" in workflow[True]
    assert workflow["permissions"] == {}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    runs = [s.get("run", "") for s in job["steps"]]
    assert runs.index("./dev lock --upgrade") < next(i for i, r in enumerate(runs) if "./dev check" in r) < \
        next(i for i, r in enumerate(runs) if "gh pr create" in r), "refreshed, then tested, then proposed"
    dependabot = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text("utf-8"))
    assert [u["package-ecosystem"] for u in dependabot["updates"]] == ["github-actions"]


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def test_pull_request_check_may_only_read_contents():
    workflow = load(CHECK)
    assert workflow[True] == {"pull_request": None}  # YAML 1.1 reads the key `on` as true
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())


def test_pull_request_check_annotates_summarizes_and_uploads_the_site():
    steps = [s for job in load(CHECK)["jobs"].values() for s in job["steps"]]
    runs = " ; ".join(s.get("run", "") for s in steps)
    assert "./dev check --format github" in runs
    assert '--since "origin/$BASE_REF" >> "$GITHUB_STEP_SUMMARY"' in runs
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # --since needs the base branch's history
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "_site" and "--out _site" in runs


def test_only_the_pages_deploy_job_may_write():
    workflow = load(PAGES)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}  # configure-pages reads
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_both_workflows_set_up_alike():
    def setup(path):
        steps = [s for job in load(path)["jobs"].values() for s in job["steps"]]
        return [(s["uses"], s.get("with", {}).get("python-version")) for s in steps
                if s.get("uses", "").startswith(("actions/checkout@", "actions/setup-python@"))]
    assert setup(PAGES) == setup(CHECK)
