"""Warm = cold: after any sequence of changes to a site, a build with the build cache writes what a build without
it writes, byte for byte, file by file, and says the same (warnings, errors).

The build cache is the fast path (pages, records and search shards reused, "up to date" without building); a
build with `--no-cache` is the slow one, right by construction. A build input the cache's keys leave out shows
here as a page that stays as it was.
"""
from __future__ import annotations

import re

from hypothesis.stateful import invariant

from conftest import _run_cli_here
from sitechanges import SiteChanges, differing, each_rule_once, files, machine_settings


class WarmEqualsCold(SiteChanges):
    def __init__(self):
        super().__init__()
        self.warm, self.cold = self.tmp / "warm", self.tmp / "cold"

    def build(self, out, *extra):
        args = ["build", "--site", str(self.root), "--out", str(out), "--jobs", "1", *extra]
        if self.base_url:
            args += ["--base-url", self.base_url]
        if self.drafts:
            args.append("--drafts")
        return _run_cli_here(args)

    @invariant()
    def check(self):
        """The warm build (the same output folder and cache as every step before) equals a cold build."""
        warm = self.build(self.warm)
        cold = self.build(self.cold, "--no-cache")
        assert "Traceback" not in warm.stderr + cold.stderr
        assert (warm.returncode, said(warm.stderr)) == (cold.returncode, said(cold.stderr)), self.saved()
        if cold.returncode == 0:
            assert differing(files(self.warm), files(self.cold)) == [], self.saved()


def said(stderr: str) -> list[str]:
    """What a build tells the user, but for the build cache's own warnings (a cold build has no cache)."""
    return [line for line in stderr.splitlines() if not re.search(r"\.factcheck-cache\b", line)]


def test_every_kind_of_change_alone_leaves_a_warm_build_equal_to_a_cold_build():
    """Each change the machine knows, alone between two builds: a build input a key leaves out shows at once
    (with other changes in the same step, a key that does hold them would hide it)."""
    each_rule_once(WarmEqualsCold)


# then random sequences (a failing one is shrunk to the shortest that fails)
WarmEqualsCold.TestCase.settings = machine_settings(5, steps=10)
TestWarmEqualsCold = WarmEqualsCold.TestCase  # random sequences of changes
