"""The golden-key registry file and its bookkeeping."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from migrate.state.registry import (
    COLUMNS,
    identity,
    labels,
    read_registry,
    record_run,
    registered_links,
    write_registry,
)


def _loaded(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["system", "legacy_key", "golden_key"])


def test_missing_registry_is_a_first_run(tmp_path: Path) -> None:
    assert read_registry(tmp_path / "none.csv").empty
    assert read_registry(None).columns.tolist() == COLUMNS


def test_record_run_new_confirmed_rekeyed_and_kept(tmp_path: Path) -> None:
    first, counts = record_run(
        read_registry(None),
        _loaded([("ERP", "1", "1"), ("CRM", "A", "1"), ("ERP", "2", "2")]),
        "r1",
    )
    assert counts == {"new": 3, "confirmed": 0, "rekeyed": 0}
    path = write_registry(tmp_path / "state" / "c_golden_keys.csv", first)
    again = read_registry(path)
    assert again[["system", "legacy_key"]].to_numpy().tolist() == [
        ["CRM", "A"],
        ["ERP", "1"],
        ["ERP", "2"],
    ]
    # run 2 sees ERP 1 again, re-keys CRM A (a reviewer split it), does not load ERP 2
    second, counts = record_run(again, _loaded([("ERP", "1", "1"), ("CRM", "A", "A")]), "r2")
    assert counts == {"new": 0, "confirmed": 1, "rekeyed": 1}
    table = second.set_index(["system", "legacy_key"])
    assert table.loc[("ERP", "1")].tolist() == ["1", "r1", "r2"]
    assert table.loc[("CRM", "A")].tolist() == ["A", "r2", "r2"]
    assert table.loc[("ERP", "2")].tolist() == ["2", "r1", "r1"]  # not seen: kept as it was


def test_not_a_registry_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a golden-key registry"):
        read_registry(path)


def test_labels_and_registered_links_star_around_the_owner() -> None:
    registry = pd.DataFrame(
        {
            "system": ["ERP", "CRM", "CRM", "ERP"],
            "legacy_key": ["1", "A", "B", "7"],
            "golden_key": ["1", "1", "1", "7"],
            "first_run": "r",
            "last_run": "r",
        }
    )
    records = identity(
        np.array(["CRM", "CRM", "ERP", "ERP", "WEB"]), np.array(["A", "B", "1", "7", "x"])
    )
    codes, names = labels(registry, records)
    assert [names[c] if c >= 0 else None for c in codes] == ["1", "1", "1", "7", None]
    owners = np.array([False, False, True, True, False])
    a, b = registered_links(codes, owners)
    assert sorted(zip(a.tolist(), b.tolist(), strict=True)) == [(2, 0), (2, 1)]
