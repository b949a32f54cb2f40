"""`migrate diff` end to end on a project of another shape than the demo's, kept in git."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from migrate.cli.main import cli
from migrate.io.spec import SourceSpec
from migrate.scaffold.write import scaffold
from tests.diff.git_repo import commit_all, git
from tests.profile.employees import employees, write_csv

NEW_STEPS = """
  - id: STA-900
    op: in_set
    fields: [bu_men]
    args: {values: [HR, FIN, IT, OPS]}
    severity: reject
  - id: STA-910
    op: phone_e164
    fields: [shou_ji]
    severity: warn
"""


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame, dict[str, Any]]:
    root = tmp_path_factory.mktemp("diff") / "project"
    frame, _ = employees(250)
    write_csv(frame, root / "data" / "staff.csv")
    spec = SourceSpec(name="staff", system="HR", kind="csv", path=str(root / "data/staff.csv"))
    scaffold([spec], root, root)
    assert "shou_ji: {type: string, personal: true}" in (root / "mappings/staff.yaml").read_text(
        "utf-8"
    )  # a column of phone numbers is personal from the start
    (root / ".gitignore").write_text("out/\n", encoding="utf-8")
    commit_all(root, "first rules")
    rules = root / "rules/staff.yaml"
    rules.write_text(rules.read_text("utf-8").rstrip("\n") + "\n" + NEW_STEPS, encoding="utf-8")
    args = ["diff", "HEAD", str(root), "--project", str(root)]  # the working tree against HEAD
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "newly rejected" in result.output
    report = json.loads((root / "out/diff/diff.json").read_text("utf-8"))
    return root, frame, report


def test_the_changed_rules_are_listed(changed: tuple[Path, pd.DataFrame, dict[str, Any]]) -> None:
    report = changed[2]
    added = {c["name"]: c for c in report["spec_changes"] if c["change"] == "added"}
    assert set(added) == {"STA-900", "STA-910"}
    assert "op: in_set" in added["STA-900"]["details"]
    assert report["old"]["kind"] == "git" and report["new"]["kind"] == "folder"


def test_rows_that_become_rejected_are_counted_per_rule(
    changed: tuple[Path, pd.DataFrame, dict[str, Any]],
) -> None:
    _, frame, report = changed
    rejected = [c for c in report["fate_changes"] if c["kind"] == "newly rejected"]
    assert [(c["rule"], c["count"]) for c in rejected] == [
        ("STA-900", int((frame["部门"] == "hr").sum()))
    ]
    example = rejected[0]["examples"][0]
    assert example["system"] == "HR" and example["old"] == "loaded"
    assert example["new"].startswith("rejected by STA-900:")
    funnel = report["funnel"][0]
    assert funnel["new"]["rejected"] - funnel["old"]["rejected"] == rejected[0]["count"]
    counts = {(r["rule"], r["severity"]): (r["old"], r["new"]) for r in report["rule_counts"]}
    assert counts[("STA-900", "reject")] == (0, rejected[0]["count"])


def test_changed_values_are_shown_masked_when_personal(
    changed: tuple[Path, pd.DataFrame, dict[str, Any]],
) -> None:
    report = changed[2]
    phone = next(c for c in report["field_changes"] if c["field"] == "shou_ji")
    assert phone["personal"] and phone["count"] > 100
    for example in phone["examples"]:
        assert "*" in example["old"] and example["new"].startswith("+")
        assert example["new"][1:-1].strip("*") == ""
    assert any("personal data masked" in note for note in report["notes"])


def test_the_project_is_left_as_it_was(changed: tuple[Path, pd.DataFrame, dict[str, Any]]) -> None:
    root = changed[0]
    assert git(root, "status", "--porcelain") == "M rules/staff.yaml"
    assert not (root / "history").exists() and not (root / "state").exists()
    html = (root / "out/diff/diff.html").read_text("utf-8")
    assert "STA-900" in html and "newly rejected" in html


def test_two_folders_and_an_unknown_scope(
    changed: tuple[Path, pd.DataFrame, dict[str, Any]], tmp_path: Path
) -> None:
    root = changed[0]
    args = ["diff", str(root), str(root), "--project", str(root), "--out", str(tmp_path / "d")]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0 and "no row changes fate or value" in result.output
    same = json.loads((tmp_path / "d/diff.json").read_text("utf-8"))
    assert same["changed"] is False and same["spec_changes"] == []
    result = CliRunner().invoke(cli, [*args, "--scope", "pilot"], catch_exceptions=False)
    assert result.exit_code == 2 and "no scope 'pilot'" in result.output
