"""The demo end to end through the CLI, scored against the generator's ground truth."""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from migrate.cli.main import cli
from tests.cli.demo_project import copy_demo

# Which rule must catch each seeded defect kind (per object where it differs).
EXPECTED_RULE = {
    ("customer", "bad_uscc_check_digit"): "CUS-010",
    ("customer", "missing_name"): "schema.name.required",
    ("customer", "impossible_date"): "CUS-020",
    ("customer", "unmapped_value"): "CUS-M01",
    ("customer", "bad_email"): "CUS-012",
    ("material", "unmapped_value"): "MAT-M01",
    ("material", "impossible_date"): "MAT-021",
    ("sales_order_line", "impossible_date"): "SOL-020",
    ("sales_order_line", "unmapped_value"): None,  # unit or currency map: checked by field
    ("sales_order_line", "orphan_customer"): "ref.customer_id",
    ("sales_order_line", "orphan_material"): "ref.material_id",
    ("sales_order_line", "delivery_before_order"): "SOL-030",
    ("sales_order_line", "negative_quantity"): "schema.quantity.range",
}
UNMAPPED_RULE = {"VRKME": "SOL-M01", "WAERK": "SOL-M02"}


def _run(project: Path, out: Path, *extra: str) -> tuple[int, str]:
    args = ["run", "--project", str(project), "--out", str(out), "--quiet", *extra]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    project = copy_demo(tmp_path_factory.mktemp("demo"))
    runs = {}
    for name, extra in (("pilot", ()), ("pilot_again", ()), ("full", ("--all",))):
        out = project / f"out_{name}"
        code, output = _run(project, out, *extra)
        assert code == 0, output
        runs[name] = out
    runs["project"] = project
    return runs


def _ledger(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "report/ledger.csv", dtype=str, keep_default_na=False)


def test_funnel_closes_for_every_object_and_system(demo: dict[str, Path]) -> None:
    for run in ("pilot", "full"):
        report = json.loads((demo[run] / "report/report.json").read_text("utf-8"))
        assert report["status"] == "reconciled"
        for obj in report["objects"]:
            for row in obj["funnel"]:
                fates = row["loaded"] + row["merged"] + row["rejected"] + row["out_of_scope"]
                assert row["unaccounted"] == 0 and fates == row["extracted"], (obj["name"], row)
        ledger = _ledger(demo[run])
        assert set(ledger["fate"]) <= {"loaded", "merged", "rejected", "out_of_scope"}


def test_every_legacy_row_is_in_the_ledger(demo: dict[str, Path]) -> None:
    truth = pd.read_csv(demo["project"] / "samples/truth/customer_entities.csv", dtype=str)
    ledger = _ledger(demo["full"])
    customers = ledger[ledger["object"] == "customer"]
    assert len(customers) == len(truth)
    assert set(zip(customers["_system"], customers["_key"], strict=True)) == set(
        zip(truth["system"], truth["legacy_key"], strict=True)
    )


def test_seeded_defects_are_caught_by_the_right_rule(demo: dict[str, Path]) -> None:
    defects = pd.read_csv(demo["project"] / "samples/truth/defects.csv", dtype=str)
    findings = (
        pd.read_csv(demo["full"] / "rejects/findings.csv", dtype=str, keep_default_na=False)
        if (demo["full"] / "rejects/findings.csv").exists()
        else _all_rejects(demo["full"])
    )
    ledger = _ledger(demo["full"]).set_index(["object", "_system", "_key"])
    missed = []
    for d in defects.itertuples():
        rule = EXPECTED_RULE.get((d.object, d.defect), "?")
        if d.defect == "unmapped_value" and d.object == "sales_order_line":
            rule = UNMAPPED_RULE[d.field]
        hit = findings[
            (findings["object"] == d.object)
            & (findings["_key"] == d.legacy_key)
            & (findings["rule"] == rule)
        ]
        fate = ledger.loc[(d.object, d.system, d.legacy_key), "fate"]
        wanted_fate_ok = fate == "rejected" if d.expect == "reject" else fate != "rejected"
        if hit.empty or not wanted_fate_ok:
            missed.append((d.object, d.legacy_key, d.defect, rule, fate))
    assert not missed, missed[:10]


def _all_rejects(out: Path) -> pd.DataFrame:
    frames = [
        pd.read_csv(p, dtype=str, keep_default_na=False).assign(object=p.stem)
        for p in sorted((out / "rejects").glob("*.csv"))
    ]
    frame = pd.concat(frames, ignore_index=True)
    return frame.rename(columns={"legacy_key": "_key"}) if "legacy_key" in frame else frame


def _pairs(groups: pd.Series) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for _, members in groups.groupby(groups):
        keys = sorted(members.index)
        pairs.update(itertools.combinations(keys, 2))
    return pairs


def test_customer_duplicates_match_the_ground_truth(demo: dict[str, Path]) -> None:
    truth = pd.read_csv(demo["project"] / "samples/truth/customer_entities.csv", dtype=str)
    ledger = _ledger(demo["full"])
    customers = ledger[(ledger["object"] == "customer") & (ledger["fate"] != "rejected")]
    ids = customers["_system"] + ":" + customers["_key"]
    found = _pairs(pd.Series(customers["target_key"].to_numpy(), index=ids))
    kept = set(ids)
    truth_ids = truth["system"] + ":" + truth["legacy_key"]
    truth = truth[truth_ids.isin(kept)]
    expected = _pairs(
        pd.Series(truth["entity_id"].to_numpy(), index=truth_ids[truth_ids.isin(kept)])
    )
    true_positive = len(found & expected)
    precision = true_positive / max(len(found), 1)
    recall = true_positive / max(len(expected), 1)
    assert len(expected) > 50
    assert precision >= 0.97, (precision, recall)
    assert recall >= 0.90, (precision, recall)


def test_orders_point_at_surviving_customers(demo: dict[str, Path]) -> None:
    orders = pd.read_csv(demo["full"] / "load/sales_order_line.csv", dtype=str)
    customers = pd.read_csv(demo["full"] / "load/customer.csv", dtype=str)
    materials = pd.read_csv(demo["full"] / "load/material.csv", dtype=str)
    assert set(orders["customer_id"]) <= set(customers["customer_id"])
    assert set(orders["material_id"]) <= set(materials["material_id"])


def test_pilot_loads_bu1000_orders_and_the_customers_they_use(demo: dict[str, Path]) -> None:
    orders = pd.read_csv(demo["pilot"] / "load/sales_order_line.csv", dtype=str)
    customers = pd.read_csv(demo["pilot"] / "load/customer.csv", dtype=str)
    assert len(orders) > 0 and set(orders["sales_org"]) == {"1000"}
    assert set(orders["customer_id"]) <= set(customers["customer_id"])
    full_orders = pd.read_csv(demo["full"] / "load/sales_order_line.csv", dtype=str)
    assert len(full_orders) > len(orders)
    ledger = _ledger(demo["pilot"])
    assert (ledger["fate"] == "out_of_scope").sum() > 0


def test_load_files_and_target_agree(demo: dict[str, Path]) -> None:
    with sqlite3.connect(demo["full"] / "target.sqlite") as db:
        for table in ("customer", "material", "sales_order_line"):
            loaded = pd.read_csv(
                demo["full"] / f"load/{table}.csv", dtype=str, keep_default_na=False
            )
            stored = pd.read_sql(f"SELECT * FROM {table}", db).astype(str)
            assert len(stored) == len(loaded)
            key = ["order_id", "line"] if table == "sales_order_line" else [f"{table}_id"]
            assert set(map(tuple, stored[key].to_numpy())) == set(
                map(tuple, loaded[key].to_numpy())
            )


def test_control_totals_are_explained(demo: dict[str, Path]) -> None:
    report = json.loads((demo["full"] / "report/report.json").read_text("utf-8"))
    orders = next(o for o in report["objects"] if o["name"] == "sales_order_line")
    totals = [t for t in orders["control_totals"] if t["field"] == "net_amount"]
    assert {t["group"]["currency"] for t in totals} >= {"CNY", "USD"}
    for total in totals:
        assert abs(total["difference"]) < 0.01, total


def _digests(out: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((out / "load").iterdir())
        if p.name != "manifest.json"
    }


def test_second_run_gives_byte_identical_load_files(demo: dict[str, Path]) -> None:
    first, second = _digests(demo["pilot"]), _digests(demo["pilot_again"])
    assert first and first == second
    assert {"customer.csv", "customer.parquet", "sales_order_line.csv"} <= set(first)


def test_manifest_lists_files_with_hashes(demo: dict[str, Path]) -> None:
    manifest = json.loads((demo["full"] / "load/manifest.json").read_text("utf-8"))
    digests = _digests(demo["full"])
    listed = {Path(f["path"]).name: f["sha256"] for f in manifest["files"]}
    assert listed == digests
    assert "rules/customer.yaml" in manifest["spec_files"]


def test_summary_is_printed(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    code, output = _run(project, project / "out", "--no-target")
    assert code == 0, output
    for word in (
        "customer",
        "material",
        "sales_order_line",
        "extracted",
        "merged",
        "rejected",
        "loaded",
        "report.html",
    ):
        assert word in output
