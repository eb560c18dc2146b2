"""The GitHub workflows: both pass actionlint; the pull-request check reads only; only Pages' deploy job may write."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
PAGES, CHECK = WORKFLOWS / "pages.yml", WORKFLOWS / "check.yml"


def actionlint() -> str:
    """The actionlint of the test extras (installed beside this Python), else one on PATH."""
    beside_python = str(Path(sys.executable).parent)
    found = shutil.which("actionlint", path=os.pathsep.join([beside_python, os.environ.get("PATH", "")]))
    assert found, "actionlint is missing: pip install -e '.[test]'"
    return found


def lint(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([actionlint(), "-no-color", *map(str, files)], capture_output=True, text=True, timeout=120)


def test_both_workflows_pass_actionlint():
    result = lint(PAGES, CHECK)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_fails_an_action_on_a_retired_runtime(tmp_path):
    """The lint has teeth: the Pages workflow as it was (actions on Node 20) does not pass."""
    old = tmp_path / "pages.yml"
    old.write_text(PAGES.read_text("utf-8").replace("actions/deploy-pages@v5", "actions/deploy-pages@v4"), "utf-8")
    result = lint(old)
    assert result.returncode == 1 and "actions/deploy-pages@v4" in result.stdout, result.stdout


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
