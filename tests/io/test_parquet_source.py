"""Parquet sources: typed columns come back as text, batch by batch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from migrate.errors import SourceError
from migrate.io.sources import check_source, iter_source, read_source
from tests.io.helpers import assert_all_text, records, spec


def legacy_table() -> pa.Table:
    return pa.table(
        {
            "id": pa.array(["00123", "00456", "007"]),
            "name": pa.array(["北京华为（总部）", "", None]),
            "count": pa.array([1, None, -3], type=pa.int64()),
            "amount": pa.array(
                [Decimal("12.50"), Decimal("0.00"), None], type=pa.decimal128(10, 2)
            ),
            "ratio": pa.array([1.0, 0.1, None]),
            "opened": pa.array([dt.date(2024, 1, 5), None, dt.date(1999, 12, 31)]),
            "seen": pa.array(
                [dt.datetime(2024, 1, 5, 13, 45, 10), dt.datetime(2024, 1, 6), None],
                type=pa.timestamp("us"),
            ),
            "active": pa.array([True, False, None]),
            "note": pa.array(["NA", "NULL", " "]),
        }
    )


def test_values_come_back_as_text(tmp_path: Path) -> None:
    pq.write_table(legacy_table(), tmp_path / "erp.parquet")
    frame = read_source(spec("parquet", path="erp.parquet", key=("id",)), tmp_path)

    assert_all_text(frame)
    assert records(frame) == [
        {
            "id": "00123",
            "name": "北京华为（总部）",
            "count": "1",
            "amount": "12.50",
            "ratio": "1",
            "opened": "2024-01-05",
            "seen": "2024-01-05T13:45:10",
            "active": "true",
            "note": "NA",
        },
        {
            "id": "00456",
            "name": None,
            "count": None,
            "amount": "0.00",
            "ratio": "0.1",
            "opened": None,
            "seen": "2024-01-06",
            "active": "false",
            "note": "NULL",
        },
        {
            "id": "007",
            "name": None,
            "count": "-3",
            "amount": None,
            "ratio": None,
            "opened": "1999-12-31",
            "seen": None,
            "active": None,
            "note": " ",
        },
    ]


def test_chunked_iteration_crosses_row_groups(tmp_path: Path) -> None:
    table = pa.table(
        {"id": [f"{i:06d}" for i in range(1000)], "value": [i * 0.25 for i in range(1000)]}
    )
    pq.write_table(table, tmp_path / "big.parquet", row_group_size=300)
    source = spec("parquet", path="big.parquet", key=("id",))

    chunks = list(iter_source(source, tmp_path, 128))
    whole = read_source(source, tmp_path)

    assert all(len(c) <= 128 for c in chunks)
    assert sum(len(c) for c in chunks) == 1000
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)
    assert whole["value"].iloc[6] == "1.5"


def test_empty_file_gives_an_empty_frame_with_columns(tmp_path: Path) -> None:
    pq.write_table(legacy_table().slice(0, 0), tmp_path / "empty.parquet")
    chunks = list(iter_source(spec("parquet", path="empty.parquet"), tmp_path, 10))
    assert len(chunks) == 1
    assert list(chunks[0].columns) == legacy_table().column_names
    assert len(chunks[0]) == 0


def test_column_names_are_cleaned(tmp_path: Path) -> None:
    pq.write_table(pa.table({"\ufeffid ": ["1"], " name": ["x"]}), tmp_path / "n.parquet")
    frame = read_source(spec("parquet", path="n.parquet", key=("id",)), tmp_path)
    assert list(frame.columns) == ["id", "name"]


def test_missing_key_column_names_file_column_and_columns_found(tmp_path: Path) -> None:
    pq.write_table(pa.table({"id": ["1"], "name": ["x"]}), tmp_path / "k.parquet")
    with pytest.raises(SourceError) as caught:
        check_source(spec("parquet", path="k.parquet", key=("customer_no",)), tmp_path)
    message = str(caught.value)
    assert "k.parquet" in message and "'customer_no'" in message
    assert "columns found: 'id', 'name'" in message


def test_missing_and_corrupt_files(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found") as caught:
        read_source(spec("parquet", path="gone.parquet"), tmp_path)
    assert str(tmp_path / "gone.parquet") in str(caught.value)
    (tmp_path / "junk.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(SourceError, match="cannot be read as Parquet"):
        check_source(spec("parquet", path="junk.parquet"), tmp_path)
