"""Reconciling a run's load files against the target: after a pilot and the rest, with
deliberately altered rows that it must find exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from migrate.batches.package import read_package
from migrate.batches.state import LoadRecords
from migrate.reconcile.model import ReconcileReport
from migrate.reconcile.run import reconcile_run
from migrate.spec.loader import load_project
from tests.batches.helpers import execute, seed
from tests.batches.tiny import make_package, make_project, run_cli

BASELINE = [{"customer_id": "X0001", "name": "already there", "email": None, "region": "N"}]


def _run(project: Path, url: str, batch: str) -> Path:
    out = project / f"out_{batch}"
    result = run_cli(
        "run",
        "--project",
        str(project),
        "--out",
        str(out),
        "--target",
        url,
        "--batch",
        batch,
        "--quiet",
    )
    assert result.exit_code == 0, result.output
    return out


def _reconcile(project: Path, out: Path, url: str) -> ReconcileReport:
    spec = load_project(project)
    records = LoadRecords(project / "state" / "loads")
    return reconcile_run(out, url, records, spec.model.reconcile)


@pytest.fixture
def loaded(sql_url: str, tmp_path: Path) -> tuple[Path, Path, Path]:
    project = make_project(tmp_path / "tiny")
    seed(sql_url, read_package(make_package(project)), "customer", BASELINE)
    return project, _run(project, sql_url, "pilot"), _run(project, sql_url, "rest")


def test_pilot_and_rest_reconcile(sql_url: str, loaded: tuple[Path, Path, Path]) -> None:
    project, pilot, rest = loaded
    for out, customers, orders in ((pilot, 60, 240), (rest, 40, 160)):
        report = _reconcile(project, out, sql_url)
        assert report.status == "reconciled", report.to_dict()
        assert report.batch is not None
        counts = {o.object: (o.file_rows, o.ledger_loaded, o.in_target) for o in report.objects}
        assert counts == {"customer": (customers,) * 3, "order": (orders,) * 3}
        others = {o.object: o.other_rows for o in report.objects}
        assert others == {"customer": 101 - customers, "order": 400 - orders}
        assert all(line.closes for line in report.funnel)
        assert report.totals and all(total.closes for total in report.totals)


def _rows(out: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(out / f"load/{table}.csv", dtype=str, keep_default_na=False)


def test_altered_target_rows_are_found_exactly(
    sql_url: str, loaded: tuple[Path, Path, Path]
) -> None:
    project, pilot, rest = loaded
    pilot_batch = _reconcile(project, pilot, sql_url).batch
    renamed, blanks, mailed = _rows(rest, "customer")["customer_id"][:3]
    gone = _rows(rest, "orders").iloc[0]
    changed = _rows(pilot, "orders")["order_no"][0]
    execute(
        sql_url,
        f"UPDATE customer SET name = 'renamed' WHERE customer_id = '{renamed}'",
        f"UPDATE customer SET name = CONCAT(name, '  ') WHERE customer_id = '{blanks}'"
        if "sqlite" not in sql_url
        else f"UPDATE customer SET name = name || '  ' WHERE customer_id = '{blanks}'",
        f"UPDATE customer SET email = 'new@example.com' WHERE customer_id = '{mailed}'",
        f"UPDATE orders SET amount = amount + 10 WHERE order_no = '{changed}'",
        f"DELETE FROM orders WHERE order_no = '{gone['order_no']}'",
        "INSERT INTO orders (order_no, customer_id, amount, currency, region) "
        "VALUES ('X00001', 'C0001', 5, 'CNY', 'N')",
    )

    report = _reconcile(project, rest, sql_url)

    assert report.status == "not reconciled"
    assert {(d.object, d.key, d.problem, d.detail) for d in report.keys} == {
        ("order", gone["order_no"], "missing", ""),
        ("order", "X00001", "extra", "no recorded batch loaded it"),
        ("order", changed, "changed", f"differs from what batch {pilot_batch} loaded"),
    }
    fields = {(d.object, d.key, d.column, d.expected, d.actual) for d in report.fields}
    assert fields == {
        ("customer", renamed, "name", f"客户 {int(renamed[1:])}", "renamed"),
        ("customer", mailed, "email", _masked_mail(rest, mailed), "n*************m"),
    }
    off = [(t.group, t.difference) for t in report.totals if not t.closes]
    group = {"currency": gone["currency"], "region": gone["region"]}
    assert off == [(group, float(gone["amount"]))]
    pilot_report = _reconcile(project, pilot, sql_url)
    assert [(d.key, d.column) for d in pilot_report.fields] == [(changed, "amount")]


def _masked_mail(out: Path, customer: str) -> str:
    rows = _rows(out, "customer").set_index("customer_id")
    mail = rows.loc[customer, "email"]
    return mail[0] + "*" * (len(mail) - 2) + mail[-1]


def test_tolerances_come_from_the_project(sql_url: str, loaded: tuple[Path, Path, Path]) -> None:
    project, _, rest = loaded
    spec = project / "migration.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8")
        + "reconcile:\n  columns:\n    order.amount: {tolerance: 0.5}\n"
        + "    customer.email: {ignore_case: true}\n",
        encoding="utf-8",
    )
    near, far = _rows(rest, "orders")["order_no"][:2]
    customer = _rows(rest, "customer")["customer_id"][0]
    execute(
        sql_url,
        f"UPDATE orders SET amount = amount + 0.25 WHERE order_no = '{near}'",
        f"UPDATE orders SET amount = amount + 0.75 WHERE order_no = '{far}'",
        f"UPDATE customer SET email = UPPER(email) WHERE customer_id = '{customer}'",
    )
    report = _reconcile(project, rest, sql_url)
    assert [(d.key, d.column) for d in report.fields] == [(far, "amount")]
