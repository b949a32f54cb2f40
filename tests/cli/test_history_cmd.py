"""`migrate history` on the demo: the reject rate falls from one rehearsal to the next."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli.main import cli
from tests.cli.demo_project import copy_demo


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo run twice: the second time with the credit-code check only warning."""
    project = copy_demo(tmp_path_factory.mktemp("history_demo"))
    code, output = _invoke("run", "--project", str(project), "--quiet", "--no-target", "--all")
    assert code == 0, output
    rules = project / "rules/customer.yaml"
    text = rules.read_text("utf-8")
    old = "    fields: [tax_id]\n    severity: reject"
    assert old in text
    rules.write_text(
        text.replace(old, "    fields: [tax_id]\n    severity: warn"), encoding="utf-8"
    )
    code, output = _invoke("run", "--project", str(project), "--quiet", "--no-target", "--all")
    assert code == 0, output
    return project


def test_the_json_shows_the_rate_falling(demo: Path) -> None:
    code, output = _invoke("history", "--project", str(demo), "--format", "json")
    assert code == 0
    runs = json.loads(output)["runs"]
    assert len(runs) == 2
    first, second = (run["objects"]["customer"] for run in runs)
    assert first["rules"]["CUS-010"] > 0 and "CUS-010" not in second["rules"]
    assert second["reject_rate"] < first["reject_rate"]
    assert first["extracted"] == second["extracted"] == 1254
    assert runs[0]["scope"] is None and runs[0]["status"] == "reconciled"


def test_the_table_lists_runs_objects_and_rules(demo: Path) -> None:
    code, output = _invoke("history", "--project", str(demo))
    assert code == 0
    assert "sales_order_line" in output and "reject rate per rule" in output
    line = next(row for row in output.splitlines() if "CUS-010" in row)
    assert line.rstrip(" │").endswith("-")
    assert "#2" in output


def test_last_and_an_empty_history(demo: Path, tmp_path: Path) -> None:
    code, output = _invoke("history", "--project", str(demo), "--format", "json", "--last", "1")
    assert code == 0 and len(json.loads(output)["runs"]) == 1
    code, output = _invoke("history", "--project", str(tmp_path))
    assert code == 0 and "no runs recorded" in output
