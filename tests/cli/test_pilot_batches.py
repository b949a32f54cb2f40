"""The demo's batch plan on SQLite, PostgreSQL and MariaDB: the pilot (business unit 1000),
then the rest. Together they load what one full run would, each row once, and both
batches reconcile, until a target row is changed behind their back."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from migrate.batches.loader import convert_package
from migrate.batches.package import read_package
from migrate.io.target import hashing_definition, open_target
from migrate.io.target_hash import row_text
from tests.batches.helpers import execute
from tests.batches.tiny import run_cli
from tests.cli.demo_project import copy_demo

TABLES = ("customer", "material", "sales_order_line")


def _run(project: Path, name: str, *args: str) -> Path:
    out = project / f"out_{name}"
    result = run_cli("run", "--project", str(project), "--out", str(out), "--quiet", *args)
    assert result.exit_code == 0, result.output
    return out


def _reconcile(project: Path, out: Path, url: str) -> tuple[int, str]:
    result = run_cli("reconcile", "--project", str(project), "--out", str(out), "--target", url)
    return result.exit_code, result.output


def _target_texts(url: str, out: Path) -> dict[str, set[str]]:
    """Every target row as canonical text, per table (columns as in the load files)."""
    package = read_package(out)
    engine = open_target(url)
    try:
        texts = {}
        with engine.connect() as conn:
            for obj in package.objects:
                table = hashing_definition(obj.table, obj.columns, obj.key, engine.dialect.name)
                texts[obj.table] = {
                    row_text([r._mapping[c.name] for c in obj.columns], obj.columns)
                    for r in conn.execute(sa.select(table))
                }
        return texts
    finally:
        engine.dispose()


def _file_texts(out: Path) -> dict[str, set[str]]:
    package = read_package(out)
    return {
        package.object(name).table: {
            row_text(
                [r[c.name] for c in package.object(name).columns], package.object(name).columns
            )
            for r in rows
        }
        for name, rows in convert_package(package).items()
    }


def _ledger(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "report/ledger.csv", dtype=str, keep_default_na=False)


@pytest.fixture
def batches(sql_url: str, tmp_path: Path) -> dict[str, Path]:
    project = copy_demo(tmp_path / "demo")
    pilot = _run(project, "pilot", "--target", sql_url, "--batch", "pilot")
    rest = _run(project, "rest", "--target", sql_url, "--batch", "rest")
    full = _run(project, "full", "--all", "--no-target")
    return {"project": project, "pilot": pilot, "rest": rest, "full": full}


def test_pilot_then_rest_load_what_a_full_run_would_once_and_reconcile(
    sql_url: str, batches: dict[str, Path]
) -> None:
    _together_they_load_the_full_run_each_row_once(sql_url, batches)
    _the_rest_left_out_what_the_pilot_loaded(batches["pilot"], batches["rest"])
    _both_reconcile_until_a_row_is_changed(sql_url, batches)


def _together_they_load_the_full_run_each_row_once(url: str, batches: dict[str, Path]) -> None:
    assert _target_texts(url, batches["pilot"]) == _file_texts(batches["full"])
    pilot_rows, rest_rows = _file_texts(batches["pilot"]), _file_texts(batches["rest"])
    for table in TABLES:
        assert pilot_rows[table] and not pilot_rows[table] & rest_rows[table]


def _the_rest_left_out_what_the_pilot_loaded(pilot: Path, rest: Path) -> None:
    pilot_report = json.loads((pilot / "report/report.json").read_text("utf-8"))
    rest_report = json.loads((rest / "report/report.json").read_text("utf-8"))
    batch = pilot_report["target_load"]["batch"]
    assert pilot_report["target_load"]["label"] == "pilot"
    assert pilot_report["pulled_in"], "the pilot's orders pull in customers and materials"
    pilot_ledger = _ledger(pilot)
    pilot_orders = pilot_ledger[pilot_ledger["object"] == "sales_order_line"]
    loaded_in_pilot = int((pilot_orders["fate"] == "loaded").sum())
    orders = {o["name"]: o for o in rest_report["objects"]}["sales_order_line"]
    assert orders["already_loaded"] == {batch: loaded_in_pilot}
    ledger = _ledger(rest)
    left_out = ledger["reason"].str.contains(f"already loaded by batch {batch}", regex=False)
    assert left_out.sum() >= loaded_in_pilot
    assert set(ledger.loc[left_out, "fate"]) == {"out_of_scope"}


def _both_reconcile_until_a_row_is_changed(url: str, batches: dict[str, Path]) -> None:
    project, pilot, rest = batches["project"], batches["pilot"], batches["rest"]
    for out in (pilot, rest):
        code, output = _reconcile(project, out, url)
        assert code == 0, output

    order = pd.read_csv(rest / "load/sales_order_line.csv", dtype=str).iloc[0]
    execute(
        url,
        "UPDATE sales_order_line SET quantity = quantity + 1 "
        f"WHERE order_id = '{order['order_id']}' AND line = '{order['line']}'",
    )
    code, output = _reconcile(project, rest, url)
    assert code == 1, output
    differences = pd.read_csv(rest / "report/reconcile_differences.csv", dtype=str)
    assert differences[["object", "key", "column"]].values.tolist() == [
        ["sales_order_line", f"{order['order_id']}|{order['line']}", "quantity"]
    ]
    assert _reconcile(project, pilot, url)[0] == 1  # the pilot sees another batch's row
