"""Load-file sinks: identical frames give identical bytes, written atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from python_calamine import CalamineWorkbook

from migrate.io import sinks
from migrate.io.sinks import WRITERS, sha256_file, write_frame


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": pd.array(["00123", "00456", "007"], dtype="str"),
            "name": pd.array(["北京华为（总部）", None, "=1+2"], dtype="str"),
            "url": pd.array(["https://example.com", "a,b", 'say "hi"\nbye'], dtype="str"),
            "count": [1, 2, 3],
            "amount": [12.5, float("nan"), 0.1],
            "opened": [dt.date(2024, 1, 5), None, dt.date(1999, 12, 31)],
            "price": [Decimal("1.10"), Decimal("2.00"), None],
            "active": [True, False, True],
        }
    )


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_identical_frames_give_identical_bytes(tmp_path: Path, kind: str) -> None:
    first = write_frame(frame(), tmp_path / "one" / f"out.{kind}", kind)
    time.sleep(1.1)  # a clock that leaked into the file would now differ
    second = write_frame(frame(), tmp_path / "two" / f"out.{kind}", kind)

    assert first == second
    one = (tmp_path / "one" / f"out.{kind}").read_bytes()
    assert one == (tmp_path / "two" / f"out.{kind}").read_bytes()
    assert first == hashlib.sha256(one).hexdigest() == sha256_file(tmp_path / "one" / f"out.{kind}")


def test_csv_bytes(tmp_path: Path) -> None:
    small = frame()[["id", "name", "url", "amount"]]
    write_frame(small, tmp_path / "plain.csv", "csv")
    write_frame(small, tmp_path / "bom.csv", "csv", bom=True)

    expected = (
        "id,name,url,amount\n"
        "00123,北京华为（总部）,https://example.com,12.5\n"
        '00456,,"a,b",\n'
        '007,=1+2,"say ""hi""\nbye",0.1\n'
    ).encode()
    assert (tmp_path / "plain.csv").read_bytes() == expected
    assert (tmp_path / "bom.csv").read_bytes() == b"\xef\xbb\xbf" + expected


def test_parquet_has_fixed_row_groups_and_no_timestamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sinks, "PARQUET_ROW_GROUP_ROWS", 2)
    write_frame(frame(), tmp_path / "out.parquet", "parquet")

    parquet = pq.ParquetFile(tmp_path / "out.parquet")
    assert [parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups)] == [2, 1]
    metadata = b" ".join(k + b"=" + v for k, v in (parquet.metadata.metadata or {}).items())
    assert not re.search(rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", metadata)
    assert parquet.read().column("id").to_pylist() == ["00123", "00456", "007"]


def test_xlsx_keeps_text_as_text_and_has_a_fixed_creation_date(tmp_path: Path) -> None:
    write_frame(frame(), tmp_path / "out.xlsx", "xlsx")

    with zipfile.ZipFile(tmp_path / "out.xlsx") as archive:
        core = archive.read("docProps/core.xml").decode()
        dates = {info.date_time for info in archive.infolist()}
    assert "2000-01-01T00:00:00Z" in core
    assert dates == {(1980, 1, 31, 0, 0, 0)}  # xlsxwriter's fixed date, never the clock

    rows = CalamineWorkbook.from_path(tmp_path / "out.xlsx").get_sheet_by_index(0).to_python()
    assert rows[0] == ["id", "name", "url", "count", "amount", "opened", "price", "active"]
    assert rows[1][:3] == ["00123", "北京华为（总部）", "https://example.com"]
    assert rows[3][1] == "=1+2"  # written as text, never as a formula
    assert rows[1][3:] == [1.0, 12.5, dt.date(2024, 1, 5), 1.1, True]
    assert rows[2][1] == "" and rows[2][4] == ""


def test_parent_folders_are_created_and_no_temp_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "out" / "2024" / "customers.csv"
    write_frame(frame(), target, "csv")
    assert [p.name for p in target.parent.iterdir()] == ["customers.csv"]


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "customers.csv"
    write_frame(frame(), target, "csv")
    before = target.read_bytes()

    class Broken:
        def __init__(self, path: Path, shape: sinks.Shape, bom: bool) -> None:
            path.write_text("half a fi")

        def write(self, piece: pd.DataFrame) -> None:
            raise OSError("disk full")

        def close(self) -> None:
            pass

    monkeypatch.setitem(WRITERS, "csv", Broken)
    with pytest.raises(OSError, match="disk full"):
        write_frame(frame(), target, "csv")

    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["customers.csv"]


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"unknown load-file kind 'json' \(valid: csv"):
        write_frame(frame(), tmp_path / "x.json", "json")


def test_csv_written_in_blocks_is_pandas_to_csv_of_the_whole_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sinks, "CSV_BLOCK_ROWS", 2)
    big = pd.concat([frame()] * 5, ignore_index=True)
    write_frame(big, tmp_path / "out.csv", "csv", bom=True)
    expected = big.to_csv(index=False, lineterminator="\n").encode()
    assert (tmp_path / "out.csv").read_bytes() == b"\xef\xbb\xbf" + expected


def test_an_empty_frame_gives_a_header_only_file(tmp_path: Path) -> None:
    write_frame(frame().iloc[:0], tmp_path / "out.csv", "csv")
    assert (tmp_path / "out.csv").read_text() == "id,name,url,count,amount,opened,price,active\n"
    write_frame(frame().iloc[:0], tmp_path / "out.parquet", "parquet")
    assert pq.ParquetFile(tmp_path / "out.parquet").metadata.num_rows == 0


def test_more_rows_than_an_excel_sheet_holds_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sinks.ROW_LIMITS, "xlsx", 2)
    with pytest.raises(ValueError, match=r"out\.xlsx: 3 rows do not fit in an xlsx sheet"):
        write_frame(frame(), tmp_path / "out.xlsx", "xlsx")
    assert list(tmp_path.iterdir()) == []
    assert sinks.XLSX_MAX_ROWS == 1_048_575


def test_pieces_are_regrouped_into_blocks_counted_from_the_first_row() -> None:
    blocks = sinks._Blocks(4)
    rows = pd.DataFrame({"n": range(23)})
    out = []
    for start, stop in [(0, 1), (1, 8), (8, 8), (8, 19), (19, 23)]:
        out += blocks.add(rows.iloc[start:stop])
    out += blocks.rest()
    assert [block["n"].tolist() for block in out] == [
        list(range(at, min(at + 4, 23))) for at in range(0, 23, 4)
    ]
    assert blocks.rest() == []
