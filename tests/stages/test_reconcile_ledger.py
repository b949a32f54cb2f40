"""The ledger file is written a slice at a time, with the bytes of writing it whole."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from migrate.ledger import IDENTITY, Ledger
from migrate.stages import reconcile


def _ledger() -> Ledger:
    ledger = Ledger()
    for name, rows in (("customer", 7), ("empty", 0), ("order", 23)):
        frame = pd.DataFrame(
            {
                "_rid": range(rows),
                "_system": "ERP",
                "_source": f"{name}s",
                "_key": [f"K{i:03d}" for i in range(rows)],
                "_row": [i + 2 for i in range(rows)],
            }
        )
        ledger.register(name, frame[IDENTITY])
        if rows:
            rejected = frame.iloc[[1, 3]]
            ledger.reject(name, rejected, stage="validate", rule="r1", reason="bad, \"x\"")
            ledger.loaded(name, frame["_rid"], frame["_key"])
    return ledger


@pytest.mark.parametrize("size", [1, 5, 1_000])
def test_ledger_file_in_slices_is_the_whole_ledger(
    tmp_path: Path, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = _ledger()
    monkeypatch.setattr(reconcile, "LEDGER_SLICE_ROWS", size)
    reconcile.write_ledger(ledger, tmp_path / "ledger.csv")
    # An object without rows adds nothing (whole, it would turn the row numbers into floats).
    parts = [ledger.rows(name).assign(object=name) for name in ledger.objects()]
    whole = pd.concat([part for part in parts if len(part)], ignore_index=True)
    expected = whole.to_csv(index=False, lineterminator="\n")
    assert (tmp_path / "ledger.csv").read_text(encoding="utf-8") == expected
    assert expected.count("\n") == 1 + 7 + 23
