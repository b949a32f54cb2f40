"""`migrate reconcile` through the CLI: exit 0 reconciled, 1 not reconciled, 2 error."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from tests.batches.helpers import execute
from tests.batches.tiny import make_project, run_cli


def test_exit_codes_and_report_files(sql_url: str, tmp_path: Path) -> None:
    project = make_project(tmp_path / "tiny")
    out = project / "out"
    common = ("--project", str(project), "--out", str(out), "--target", sql_url)
    assert run_cli("run", *common, "--batch", "pilot", "--quiet").exit_code == 0

    fine = run_cli("reconcile", *common)
    assert fine.exit_code == 0, fine.output
    assert "status: reconciled" in fine.output
    for name in ("reconcile.json", "reconcile.html", "reconcile.xlsx"):
        assert (out / "report" / name).exists()

    first = pd.read_csv(out / "load/orders.csv", dtype=str)["order_no"][0]
    execute(sql_url, f"DELETE FROM orders WHERE order_no = '{first}'")
    broken = run_cli("reconcile", *common)
    assert broken.exit_code == 1
    assert "not reconciled: 1 key and 0 field difference(s)" in broken.output
    differences = pd.read_csv(out / "report/reconcile_differences.csv", dtype=str)
    assert differences[["object", "key", "problem"]].values.tolist() == [
        ["order", first, "missing"]
    ]
    data = json.loads((out / "report/reconcile.json").read_text(encoding="utf-8"))
    assert data["status"] == "not reconciled" and data["keys"][0]["key"] == first


def test_errors_exit_2(tmp_path: Path) -> None:
    project = make_project(tmp_path / "tiny")
    no_run = run_cli("reconcile", "--project", str(project))
    assert no_run.exit_code == 2
    assert "no load manifest here" in no_run.output
    assert run_cli("run", "--project", str(project), "--no-target", "--quiet").exit_code == 0
    unreachable = run_cli(
        "reconcile", "--project", str(project), "--target", "postgresql://u:pw@127.0.0.1:1/x"
    )
    assert unreachable.exit_code == 2
    assert "pw@" not in unreachable.output
    unset = run_cli("reconcile", "--project", str(project), "--target", "${MIGRATE_NOT_SET_X}")
    assert unset.exit_code == 2 and "MIGRATE_NOT_SET_X is not set" in unset.output
