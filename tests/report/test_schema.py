"""The JSON reports follow their published schemas, and the schemas are strict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from migrate.reconcile.model import (
    FieldDiff,
    FunnelLine,
    KeyDiff,
    ObjectCheck,
    ReconcileReport,
    RuleLine,
    TotalLine,
)
from migrate.reconcile.output import reconcile_json
from migrate.report.model import RunReport
from migrate.report.render import report_json
from migrate.report.schema import RECONCILE_REPORT, RUN_REPORT
from tests.batches.tiny import make_project, run_cli


def reconcile_report() -> ReconcileReport:
    return ReconcileReport(
        project="tiny",
        run_id="tiny-1",
        scope=None,
        target="sqlite:////t.sqlite",
        batch="tiny-1",
        checked="2026-01-01T00:00:00+00:00",
        funnel=(FunnelLine("order", "ERP", "everything", 10, 9, 1, 0, 0, 9, 0),),
        rules=(RuleLine("order", "R1", 1),),
        totals=(TotalLine("order", "amount", {"currency": "CNY"}, 10.0, 1.0, 0.0, 0.0, 9.0, 8.0),),
        objects=(ObjectCheck("order", "orders", 9, 9, 8, 0, 1, 1, 8),),
        keys=(KeyDiff("order", "O1", "missing"),),
        fields=(FieldDiff("order", "O2", "amount", "1.5", None),),
        messages=("note",),
    )


def test_schemas_are_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(RUN_REPORT)
    Draft202012Validator.check_schema(RECONCILE_REPORT)


def test_the_fixture_report_follows_the_schema(report: RunReport) -> None:
    Draft202012Validator(RUN_REPORT).validate(json.loads(report_json(report)))


def test_the_reconcile_report_follows_its_schema_and_reads_back() -> None:
    report = reconcile_report()
    data = json.loads(reconcile_json(report))
    Draft202012Validator(RECONCILE_REPORT).validate(data)
    assert ReconcileReport.from_dict(data) == report
    assert data["status"] == "not reconciled" and data["totals"][0]["difference"] == 1.0


def test_an_undeclared_field_is_refused(report: RunReport) -> None:
    data = json.loads(report_json(report))
    data["objects"][0]["surprise"] = 1
    with pytest.raises(ValidationError, match="surprise"):
        Draft202012Validator(RUN_REPORT).validate(data)


def test_a_real_run_writes_a_report_that_follows_the_schema_it_writes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "tiny")
    result = run_cli("run", "--project", str(project), "--batch", "pilot", "--quiet")
    assert result.exit_code == 0, result.output
    folder = project / "out/report"
    schema = json.loads((folder / "report.schema.json").read_text(encoding="utf-8"))
    assert schema == json.loads(json.dumps(RUN_REPORT))
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(data)
    assert data["target_load"]["label"] == "pilot"
    result = run_cli("reconcile", "--project", str(project))
    assert result.exit_code == 0, result.output
    Draft202012Validator(RECONCILE_REPORT).validate(
        json.loads((folder / "reconcile.json").read_text(encoding="utf-8"))
    )
