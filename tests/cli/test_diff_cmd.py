"""`migrate diff` on the demo kept in git: an e-mail check that starts to reject."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migrate.cli.main import cli
from tests.cli.demo_project import copy_demo
from tests.diff.git_repo import commit_all, git


@pytest.fixture(scope="module")
def assessed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    project = copy_demo(tmp_path_factory.mktemp("diff_demo"))
    (project / ".gitignore").write_text("out/\n", encoding="utf-8")
    commit_all(project, "rules as approved")
    rules = project / "rules/customer.yaml"
    old = "    op: email\n    fields: [email]\n    severity: warn"
    text = rules.read_text("utf-8")
    assert old in text
    rules.write_text(text.replace(old, old.replace("warn", "reject")), encoding="utf-8")
    args = ["diff", "HEAD", str(project), "--project", str(project), "--out", str(project / "cr")]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return project, json.loads((project / "cr/diff.json").read_text("utf-8")), result.output


def test_the_change_and_its_newly_rejected_rows(assessed: tuple[Path, dict[str, Any], str]) -> None:
    _, report, output = assessed
    assert report["spec_changes"] == [
        {
            "object": "customer",
            "part": "step",
            "name": "CUS-012",
            "change": "changed",
            "details": ["severity: warn -> reject"],
        }
    ]
    rejected = next(c for c in report["fate_changes"] if c["kind"] == "newly rejected")
    counts = {(r["rule"], r["severity"]): (r["old"], r["new"]) for r in report["rule_counts"]}
    assert rejected["rule"] == "CUS-012" and rejected["count"] == counts[("CUS-012", "reject")][1]
    assert counts[("CUS-012", "warn")][1] == 0
    assert "CUS-012" in output and "newly rejected" in output


def test_personal_values_are_masked(assessed: tuple[Path, dict[str, Any], str]) -> None:
    report = assessed[1]
    for change in report["field_changes"]:
        if change["field"] in ("email", "phone", "contact"):
            assert change["personal"]
            assert all("*" in e["old"] or not e["old"] for e in change["examples"])
    html = (assessed[0] / "cr/diff.html").read_text("utf-8")
    assert "@" not in "".join(
        e["old"] + e["new"]
        for c in report["field_changes"]
        if c["field"] == "email"
        for e in c["examples"]
    )
    assert "CUS-012" in html


def test_the_working_tree_is_untouched(assessed: tuple[Path, dict[str, Any], str]) -> None:
    project = assessed[0]
    changed = {line.strip() for line in git(project, "status", "--porcelain").splitlines()}
    assert changed == {"M rules/customer.yaml", "?? cr/"}
    assert not (project / "history").exists() and not (project / "state").exists()
