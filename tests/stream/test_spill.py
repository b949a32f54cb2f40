"""Chunks parked on disk come back as they went: values, dtypes, index, chosen columns."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from migrate.stream.spill import SpillStore


def _chunk(start: int) -> pd.DataFrame:
    rids = [start, start + 1]
    return pd.DataFrame(
        {
            "_rid": rids,
            "name": pd.array(["上海", None], dtype="str"),
            "count": pd.array([1, None], dtype="Int64"),
            "day": pd.to_datetime(["2024-02-29", None]).astype("datetime64[us]"),
            "amount": [Decimal("1.50"), None],
            "flag": pd.array([True, None], dtype="boolean"),
        },
        index=rids,
    )


def test_chunks_come_back_in_order_with_their_types(tmp_path: Path) -> None:
    store = SpillStore(tmp_path / "spill")
    chunks = [_chunk(0), _chunk(2)]
    assert [store.append(chunk) for chunk in chunks] == [0, 1]
    back = list(store.chunks())
    assert [number for number, _ in back] == [0, 1]
    for (_, got), sent in zip(back, chunks, strict=True):
        pd.testing.assert_frame_equal(got, sent)


def test_only_the_columns_asked_for_are_read(tmp_path: Path) -> None:
    store = SpillStore(tmp_path / "spill")
    store.append(_chunk(5))
    got = store.read(0, ["name"])
    assert list(got.columns) == ["name"]
    assert got.index.tolist() == [5, 6]


def test_close_removes_the_folder(tmp_path: Path) -> None:
    store = SpillStore(tmp_path / "spill")
    store.append(_chunk(0))
    store.close()
    assert not (tmp_path / "spill").exists()
