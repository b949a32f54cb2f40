"""`migrate validate`: an earlier run's load files against the schema, and with --gx."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from migrate.cli.main import cli
from tests.cli.demo_project import copy_demo
from tests.gx.project import GOOD, bad_rows, make_project, write_load


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_good_load_files_pass(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    write_load(root / "out", GOOD)
    code, output = invoke("--project", str(root))
    assert code == 0, output
    assert "customer" in output and "great_expectations" not in output


def test_bad_load_files_fail_with_each_rule_listed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    write_load(root / "out", bad_rows())
    code, output = invoke("--project", str(root), "--out", str(root / "out"))
    assert code == 1
    for rule in ("schema.name.length", "schema.sales_org.check_table", "V01", "V02"):
        assert rule in output
    assert "load files fail the target schema: customer: 9 rows" in output


def test_missing_load_files_name_the_file_and_the_fix(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    code, output = invoke("--project", str(root))
    assert code == 3
    assert "customer.csv" in output and "run `migrate run` first" in output


def test_gx_validates_and_writes_data_docs(tmp_path: Path) -> None:
    pytest.importorskip("great_expectations")
    root = make_project(tmp_path)
    write_load(root / "out", bad_rows())
    code, output = invoke("--project", str(root), "--gx")
    assert code == 1
    assert "FAILED" in output and "expectations: 23, failed: 9" in output
    assert "Great Expectations found failing expectations" in output
    assert (root / "out/gx/data_docs/index.html").exists()


def test_the_demo_run_output_passes_pandera_and_gx(tmp_path: Path) -> None:
    pytest.importorskip("great_expectations")
    project = copy_demo(tmp_path / "demo")
    out = project / "out"
    run = ["run", "--project", str(project), "--out", str(out), "--quiet", "--no-target"]
    first = CliRunner().invoke(cli, run, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    code, output = invoke("--project", str(project), "--out", str(out), "--gx")
    assert code == 0, output  # the only failing expectation is a warning:
    assert "failed: 1" in output and "CUS-V01" in output  # CN customers without a tax id
    assert (out / "gx/data_docs/index.html").exists()


def test_demo_cross_field_warnings_name_exactly_the_loaded_cn_customers_without_tax_id(
    tmp_path: Path,
) -> None:
    project = copy_demo(tmp_path / "demo")
    out = project / "out"
    run = ["run", "--project", str(project), "--out", str(out), "--quiet", "--all", "--no-target"]
    result = CliRunner().invoke(cli, run, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    read = {"dtype": str, "keep_default_na": False}
    loaded = pd.read_csv(out / "load/customer.csv", **read)
    missing = set(loaded.loc[(loaded["country"] == "CN") & (loaded["tax_id"] == ""), "customer_id"])
    ledger = pd.read_csv(out / "report/ledger.csv", **read)
    ledger = ledger[(ledger["object"] == "customer") & (ledger["fate"] == "loaded")]
    expected = {
        (system, key)
        for system, key, target in zip(
            ledger["_system"], ledger["_key"], ledger["target_key"], strict=True
        )
        if target in missing
    }
    rejects = pd.read_csv(out / "rejects/customer.csv", **read)
    v01 = rejects[rejects["rule"] == "CUS-V01"]
    assert len(missing) > 10
    assert set(zip(v01["system"], v01["legacy_key"], strict=True)) == expected
    assert set(v01["severity"]) == {"warn"} and set(v01["field"]) == {"tax_id"}
    assert set(v01["owner"]) == {"Finance"}
    summary = openpyxl.load_workbook(out / "rejects/rejects.xlsx")["summary"]
    rows = [r for r in summary.iter_rows(values_only=True) if r[1] == "CUS-V01"]
    assert rows == [("customer", "CUS-V01", "warn", "Finance", "tax_id", len(v01), len(v01),
                     "tax_id must be filled when country is 'CN'")]  # fmt: skip
