"""`migrate init` through the CLI on the demo's own extracts: a first dry run that works."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli.main import cli
from migrate.spec.loader import load_project

LEGACY = Path(__file__).resolve().parents[2] / "samples" / "legacy"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo_init") / "first"
    shutil.copytree(LEGACY, root / "extracts")
    args = [
        "init",
        str(root / "extracts/erp/customers.csv"),
        str(root / "extracts/erp/order_lines.csv"),
        str(root / "extracts/crm/accounts.xlsx"),
        "--sheet",
        "Accounts",
        "--project",
        str(root),
        "--name",
        "first_dry_run",
    ]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


def test_sources_inside_the_project_are_relative(project: Path) -> None:
    loaded = load_project(project)
    assert loaded.name == "first_dry_run"
    assert [o.model.sources[0].path for o in loaded.objects.values()] == [
        "extracts/erp/customers.csv",
        "extracts/erp/order_lines.csv",
        "extracts/crm/accounts.xlsx",
    ]
    assert loaded.objects["order_lines"].model.sources[0].key == ["VBELN", "POSNR"]


def test_the_readme_says_what_to_do_next(project: Path) -> None:
    readme = (project / "README.md").read_text("utf-8")
    assert "# first_dry_run" in readme and "migrate run" in readme
    assert "| customers | csv: `extracts/erp/customers.csv` | 822 | KUNNR |" in readme
    assert "migrate diff HEAD ." in readme


def test_the_first_dry_run_reconciles(project: Path) -> None:
    args = ["run", "--project", str(project), "--quiet"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads((project / "out/report/report.json").read_text("utf-8"))
    assert report["status"] == "reconciled"
    assert (project / "out/target.sqlite").exists()
