"""The ledger file: every row once, the same file whatever the slice size, readable as CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from migrate.ledger import IDENTITY, Ledger
from migrate.report.ledger_file import COLUMNS, write_ledger


def _ledger() -> Ledger:
    ledger = Ledger()
    for name, rows in (("customer", 7), ("empty", 0), ("order", 23)):
        frame = pd.DataFrame(
            {
                "_rid": range(rows),
                "_system": "ERP",
                "_source": f"{name}s",
                "_key": [f"K{i:03d}, 上海" for i in range(rows)],
                "_row": [i + 2 for i in range(rows)],
            }
        )
        ledger.register(name, frame[IDENTITY])
        if rows:
            rejected = frame.iloc[[1, 3]]
            ledger.reject(name, rejected, stage="validate", rule="r1", reason='bad, "x"')
            ledger.loaded(name, frame["_rid"].iloc[5:], pd.Series(range(5, rows)))  # not text
    return ledger


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("size", [1, 5, 1_000])
def test_any_slice_size_writes_the_same_file(tmp_path: Path, size: int) -> None:
    ledger = _ledger()
    write_ledger(ledger, tmp_path / "whole.csv", slice_rows=1_000_000)
    write_ledger(ledger, tmp_path / "sliced.csv", slice_rows=size)
    assert (tmp_path / "sliced.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()


def test_the_file_holds_every_row_with_its_fate(tmp_path: Path) -> None:
    ledger = _ledger()
    write_ledger(ledger, tmp_path / "ledger.csv")
    found = _read(tmp_path / "ledger.csv")
    assert list(found.columns) == COLUMNS
    assert len(found) == 7 + 23
    orders = found[found["object"] == "order"].set_index("_rid")
    assert orders.loc["1", "reason"] == 'bad, "x"' and orders.loc["1", "fate"] == "rejected"
    assert orders.loc["7", "target_key"] == "7" and orders.loc["7", "fate"] == "loaded"
    assert orders.loc["0", "fate"] == "" and orders.loc["0", "_key"] == "K000, 上海"
    assert orders.loc["0", "_row"] == "2"
