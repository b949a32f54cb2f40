"""Reject-rate thresholds: which limits a run exceeds, and that such a run stops before load."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from click.testing import CliRunner

from migrate.cli.main import cli
from migrate.errors import SpecError
from migrate.ledger import Ledger
from migrate.spec.loader import load_project
from migrate.spec.project import RejectRates
from migrate.stages.thresholds import Breach, check_thresholds, limits_of, object_breaches
from tests.cli.demo_project import copy_demo


def ledger_of(rows: int) -> tuple[Ledger, pd.DataFrame]:
    ledger = Ledger()
    frame = pd.DataFrame(
        {
            "_rid": range(rows),
            "_system": "ERP",
            "_source": "f",
            "_key": [f"K{i}" for i in range(rows)],
            "_row": range(2, rows + 2),
        }
    )
    ledger.register("customer", frame)
    return ledger, frame


def reject(ledger: Ledger, frame: pd.DataFrame, rids: list[int], rule: str) -> None:
    ledger.reject("customer", frame.loc[rids], stage="validate", rule=rule, reason="bad")


def test_a_plain_number_is_the_overall_limit() -> None:
    assert limits_of(0.1) == RejectRates(overall=0.1)
    assert limits_of(None) == RejectRates()
    rates = RejectRates(rules={"R": 0.2})
    assert limits_of(rates) is rates


def test_overall_rate_counts_each_rejected_row_once() -> None:
    ledger, frame = ledger_of(10)
    reject(ledger, frame, [0, 1], "A")
    reject(ledger, frame, [1], "B")
    assert object_breaches("customer", RejectRates(overall=0.2), ledger) == []
    assert object_breaches("customer", RejectRates(overall=0.1), ledger) == [
        Breach("customer", None, 2, 10, 0.1)
    ]


def test_merged_rows_of_a_rejected_golden_record_count_as_rejected() -> None:
    ledger, frame = ledger_of(10)
    ledger.set_members(
        "customer", pd.DataFrame({"_rid": [5, 6], "survivor_rid": [0, 0], "golden_key": "K0"})
    )
    reject(ledger, frame, [0], "A")
    assert object_breaches("customer", RejectRates(overall=0.2), ledger) == [
        Breach("customer", None, 3, 10, 0.2)
    ]


def test_rule_rates_count_rows_with_a_finding_reject_or_warn() -> None:
    ledger, frame = ledger_of(10)
    reject(ledger, frame, [0], "A")
    ledger.warn("customer", frame.loc[[1, 2]], stage="cleanse", rule="W", reason="odd")
    limits = RejectRates(rules={"A": 0.1, "W": 0.1, "unused": 0.0})
    breach = object_breaches("customer", limits, ledger)
    assert breach == [Breach("customer", "W", 2, 10, 0.1)]
    assert breach[0].rate == 0.2
    assert breach[0].message == (
        "customer: rule W hit 2 of 10 rows (20.00%), above the limit of 10.00%"
    )
    assert breach[0].to_dict()["rate"] == 0.2


def test_objects_without_limits_are_not_checked() -> None:
    ledger, frame = ledger_of(4)
    reject(ledger, frame, [0, 1, 2, 3], "A")
    customer = SimpleNamespace(model=SimpleNamespace(max_reject_rate=None))
    project = SimpleNamespace(objects={"customer": customer})
    assert check_thresholds(project, ledger) == []  # type: ignore[arg-type]


def _limit(project: Path, text: str) -> None:
    path = project / "migration.yaml"
    spec = path.read_text("utf-8")
    anchor = "    target_table: customer\n"
    assert anchor in spec
    path.write_text(spec.replace(anchor, anchor + text), "utf-8")


def test_an_unknown_rule_in_a_limit_is_a_spec_error(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    _limit(project, "    max_reject_rate: {rules: {CUS-999: 0.01}}\n")
    with pytest.raises(SpecError, match=r"max_reject_rate\.rules\.CUS-999: unknown rule"):
        load_project(project)


def test_a_run_over_a_limit_writes_its_reports_loads_nothing_and_exits_1(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    _limit(project, "    max_reject_rate: {overall: 0.5, rules: {CUS-010: 0.001}}\n")
    out = project / "out"
    args = ["run", "--project", str(project), "--out", str(out), "--quiet", "--all"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "customer: rule CUS-010 hit" in result.output
    assert "above the limit of 0.10%" in result.output
    assert "the target was not loaded" in result.output
    assert not (out / "target.sqlite").exists()
    report = json.loads((out / "report/report.json").read_text("utf-8"))
    assert report["status"] == "threshold exceeded"
    assert any(m.startswith("customer: rule CUS-010 hit") for m in report["messages"])
    assert (out / "report/report.html").exists() and (out / "report/ledger.csv").exists()
    assert (out / "rejects/customer.csv").exists() and (out / "rejects/rejects.xlsx").exists()
    assert (out / "load/customer.csv").exists()
