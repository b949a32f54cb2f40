"""Validating chunk by chunk records what validating the whole table records.

Uniqueness is the one check that spans rows: a business key repeated in two
chunks must be found, with its count over the whole table, and rows with a
missing key part never clash. The frame here holds order lines with keys
repeated within and across chunks, a missing key part, a bad date, an unknown
currency and a negative amount.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from migrate.ledger import IDENTITY, Ledger
from migrate.schema import compile_schema, rules_of
from migrate.spec.loader import Project, load_project
from migrate.stages import validate
from migrate.stages.base import RunContext
from migrate.stream.checks import DuplicateKeys, key_hashes, precheck, record_chunk
from migrate.stream.metrics import add_results
from tests.cli.demo_project import copy_demo

OBJECT = "sales_order_line"
SORTED = ["_rid", "rule", "severity", "value", "reason"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return load_project(copy_demo(tmp_path_factory.mktemp("checks") / "demo"))


def _lines() -> pd.DataFrame:
    rows = 40
    frame = pd.DataFrame(
        {
            "order_id": [f"45{i // 3:08d}" for i in range(rows)],
            "line": [f"{(i % 3 + 1) * 10:06d}" for i in range(rows)],
            "customer_id": "0000100001",
            "material_id": "FG-000001",
            "quantity": "2",
            "unit": "PC",
            "net_amount": "10.50",
            "currency": "CNY",
            "order_date": "2024-01-02",
            "delivery_date": "2024-01-09",
            "sales_org": "1000",
        }
    )
    frame.loc[[5, 21, 38], ["order_id", "line"]] = ["4500000000", "000010"]  # 4 in all: 0,5,21,38
    frame.loc[[12, 13], ["order_id", "line"]] = ["4599999999", "000020"]  # twice, one chunk
    frame.loc[[30], "line"] = None  # a missing part never clashes
    frame.loc[[31], ["order_id", "line"]] = [frame.loc[29, "order_id"], None]
    frame.loc[[7], "order_date"] = "2024-02-31"
    frame.loc[[21], "currency"] = "EUR"
    frame.loc[[26], "net_amount"] = "-1"
    frame = frame.astype("str").where(frame.notna(), None)
    identity = {
        "_rid": np.arange(rows),
        "_system": "ERP",
        "_source": "erp_order_lines",
        "_key": [f"k{i}" for i in range(rows)],
        "_row": np.arange(rows) + 2,
    }
    return pd.concat([pd.DataFrame(identity), frame], axis=1)


def _context(project: Project, tmp_path: Path, frame: pd.DataFrame) -> RunContext:
    ledger = Ledger()
    ledger.register(OBJECT, frame[IDENTITY])
    return RunContext(project=project, ledger=ledger, out_dir=tmp_path, run_id="t")


def _whole(project: Project, frame: pd.DataFrame, tmp_path: Path) -> tuple:
    ctx = _context(project, tmp_path, frame)
    out, result = validate.run(frame, project.objects[OBJECT], ctx)
    return ctx.ledger, out, result


def _in_chunks(project: Project, frame: pd.DataFrame, size: int, tmp_path: Path) -> tuple:
    ctx = _context(project, tmp_path, frame)
    obj = project.objects[OBJECT]
    chunks = [frame.iloc[i : i + size] for i in range(0, len(frame), size)]
    checked = [precheck(chunk, obj) for chunk in chunks]
    duplicates = DuplicateKeys()
    for found in checked:
        duplicates.add(found.keys)
    duplicates.settle()
    rules = rules_of(compile_schema(obj.mapping, coerce=False, check_tables=obj.check_tables))
    kept, total = [], None
    for number, found in enumerate(checked):
        keep, result = record_chunk(found, number, duplicates, obj, rules, ctx.ledger)
        kept.append(found.rows[keep].drop(columns=[c for c in found.rows if "_raw." in c]))
        total = add_results(total, result)
    return ctx.ledger, pd.concat(kept), total


@pytest.mark.parametrize("size", [1, 7, 40])
def test_findings_fates_and_rows_are_the_whole_tables(
    project: Project, tmp_path: Path, size: int
) -> None:
    frame = _lines()
    whole_ledger, whole_out, whole_result = _whole(project, frame, tmp_path)
    ledger, out, result = _in_chunks(project, frame, size, tmp_path)
    expected = whole_ledger.findings().sort_values(SORTED).reset_index(drop=True)
    found = ledger.findings().sort_values(SORTED).reset_index(drop=True)
    pd.testing.assert_frame_equal(found, expected)
    pd.testing.assert_frame_equal(ledger.rows(OBJECT), whole_ledger.rows(OBJECT))
    pd.testing.assert_frame_equal(out, whole_out)
    assert result.rows_out == whole_result.rows_out
    assert result.metrics["failures"] == whole_result.metrics["failures"]


def test_a_key_repeated_across_chunks_is_counted_over_the_whole_table(
    project: Project, tmp_path: Path
) -> None:
    ledger, _, _ = _in_chunks(project, _lines(), 7, tmp_path)
    found = ledger.findings()
    unique = found[found["rule"].str.endswith(".unique")].sort_values("_rid")
    assert unique["_rid"].tolist() == [0, 5, 12, 13, 21, 38]
    repeated = unique[unique["_rid"].isin([0, 5, 21, 38])]
    assert repeated["reason"].str.contains("occurs 4 times").all()
    assert unique[unique["_rid"] == 12]["reason"].str.contains("occurs 2 times").all()


def test_rows_with_a_missing_key_part_never_clash() -> None:
    typed = pd.DataFrame({"a": ["x", "x", None, None], "b": ["1", "1", "2", "2"]})
    hashes = key_hashes(typed, ("a", "b"))
    assert hashes.missing.tolist() == [False, False, True, True]
    duplicates = DuplicateKeys()
    duplicates.add({"r": hashes})
    duplicates.settle()
    positions, counts = duplicates.in_chunk("r", 0)
    assert positions.tolist() == [0, 1]
    assert counts.tolist() == [2, 2]
