"""Excel sources: cells come back as the text Excel shows, errors name the cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import xlsxwriter

from migrate.errors import SourceError
from migrate.io.sources import check_source, iter_source, read_source
from tests.io.helpers import assert_all_text, records, spec


def workbook(
    path: Path, sheets: dict[str, list[list[Any]]], origin: tuple[int, int] = (0, 0)
) -> Path:
    """Write each sheet's rows from ``origin``; dates get a date format, None stays empty."""
    with xlsxwriter.Workbook(str(path)) as book:
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        stamp_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        for name, rows in sheets.items():
            sheet = book.add_worksheet(name)
            for r, row in enumerate(rows, start=origin[0]):
                for c, value in enumerate(row, start=origin[1]):
                    if value is None:
                        continue
                    if isinstance(value, dt.datetime):
                        sheet.write_datetime(r, c, value, stamp_format)
                    elif isinstance(value, dt.date):
                        sheet.write_datetime(r, c, value, date_format)
                    elif isinstance(value, str):
                        sheet.write_string(r, c, value)
                    else:
                        sheet.write(r, c, value)
    return path


CUSTOMERS = [
    ["客户编号", " 名称 ", "开户日期", "最后登录", "信用额度", "折扣", "VIP", "备注"],
    [
        "00123",
        "北京华为（总部）",
        dt.date(2024, 1, 5),
        dt.datetime(2024, 1, 5, 13, 45, 10),
        50000,
        0.15,
        True,
        "NA",
    ],
    ["00456", "上海𠮷野家", dt.date(1999, 12, 31), None, 12.5, 1, False, "NULL"],
    ["007", "ＡＢＣ公司", None, dt.datetime(2023, 6, 1), -3, 1e-05, None, None],
]


def test_cells_come_back_as_displayed_text(tmp_path: Path) -> None:
    workbook(tmp_path / "erp.xlsx", {"Customers": CUSTOMERS})
    frame = read_source(spec("excel", path="erp.xlsx", key=("客户编号",)), tmp_path)

    assert_all_text(frame)
    assert list(frame.columns) == [
        "客户编号",
        "名称",
        "开户日期",
        "最后登录",
        "信用额度",
        "折扣",
        "VIP",
        "备注",
    ]
    assert records(frame) == [
        {
            "客户编号": "00123",
            "名称": "北京华为（总部）",
            "开户日期": "2024-01-05",
            "最后登录": "2024-01-05T13:45:10",
            "信用额度": "50000",
            "折扣": "0.15",
            "VIP": "TRUE",
            "备注": "NA",
        },
        {
            "客户编号": "00456",
            "名称": "上海𠮷野家",
            "开户日期": "1999-12-31",
            "最后登录": None,
            "信用额度": "12.5",
            "折扣": "1",
            "VIP": "FALSE",
            "备注": "NULL",
        },
        {
            "客户编号": "007",
            "名称": "ＡＢＣ公司",
            "开户日期": None,
            "最后登录": "2023-06-01",
            "信用额度": "-3",
            "折扣": "1e-05",
            "VIP": None,
            "备注": None,
        },
    ]


def test_sheet_by_name_and_by_index(tmp_path: Path) -> None:
    workbook(tmp_path / "b.xlsx", {"First": [["a"], ["1"]], "Second": [["b"], ["2"]]})
    by_name = read_source(spec("excel", path="b.xlsx", sheet="Second"), tmp_path)
    by_index = read_source(spec("excel", path="b.xlsx", sheet=1), tmp_path)
    assert records(by_name) == records(by_index) == [{"b": "2"}]


@pytest.mark.parametrize("sheet", ["Missing", 5])
def test_missing_sheet_lists_the_sheets(tmp_path: Path, sheet: str | int) -> None:
    workbook(tmp_path / "b.xlsx", {"First": [["a"]], "Second": [["b"]]})
    with pytest.raises(SourceError, match="sheets: First, Second") as caught:
        check_source(spec("excel", path="b.xlsx", sheet=sheet), tmp_path)
    assert "b.xlsx" in str(caught.value)


def test_data_away_from_a1_and_blank_rows(tmp_path: Path) -> None:
    rows = [["id", "name"], ["0001", "x"], [None, None], ["0002", None]]
    workbook(tmp_path / "offset.xlsx", {"S": rows}, origin=(2, 1))
    frame = read_source(spec("excel", path="offset.xlsx", key=("id",)), tmp_path)
    assert records(frame) == [{"id": "0001", "name": "x"}, {"id": "0002", "name": None}]


def test_data_under_an_unnamed_column_names_the_cell(tmp_path: Path) -> None:
    rows = [["id", None, "name"], ["1", None, "x"], ["2", "stray", "y"]]
    workbook(tmp_path / "stray.xlsx", {"S": rows})
    with pytest.raises(SourceError) as caught:
        read_source(spec("excel", path="stray.xlsx"), tmp_path)
    assert "cell B3 has data but its column has no header name" in str(caught.value)
    assert caught.value.row == 3


def test_missing_key_column_names_file_column_and_columns_found(tmp_path: Path) -> None:
    workbook(tmp_path / "k.xlsx", {"S": [["id", "name"], ["1", "x"]]})
    with pytest.raises(SourceError) as caught:
        check_source(spec("excel", path="k.xlsx", key=("customer_no",)), tmp_path)
    message = str(caught.value)
    assert "k.xlsx" in message and "'customer_no'" in message
    assert "columns found: 'id', 'name'" in message


def test_duplicate_header_is_refused(tmp_path: Path) -> None:
    workbook(tmp_path / "d.xlsx", {"S": [["id", "id "], ["1", "2"]]})
    with pytest.raises(SourceError, match="duplicate column name 'id'"):
        read_source(spec("excel", path="d.xlsx"), tmp_path)


def test_missing_and_corrupt_files(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found"):
        check_source(spec("excel", path="none.xlsx"), tmp_path)
    (tmp_path / "junk.xlsx").write_bytes(b"this is not a workbook")
    with pytest.raises(SourceError, match="cannot be read as a workbook") as caught:
        check_source(spec("excel", path="junk.xlsx"), tmp_path)
    assert "junk.xlsx" in str(caught.value)


def test_empty_sheet_is_refused(tmp_path: Path) -> None:
    workbook(tmp_path / "e.xlsx", {"S": []})
    with pytest.raises(SourceError, match="sheet is empty"):
        read_source(spec("excel", path="e.xlsx"), tmp_path)


def test_chunked_iteration_returns_the_same_rows_as_a_whole_read(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["id", "amount", "day"]]
    rows += [[f"{i:06d}", i * 0.5, dt.date(2024, 1, 1) + dt.timedelta(days=i)] for i in range(250)]
    workbook(tmp_path / "big.xlsx", {"S": rows})
    source = spec("excel", path="big.xlsx", key=("id",))

    chunks = list(iter_source(source, tmp_path, 100))
    whole = read_source(source, tmp_path)

    assert [len(c) for c in chunks] == [100, 100, 50]
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)
    assert records(whole.iloc[[3]]) == [{"id": "000003", "amount": "1.5", "day": "2024-01-04"}]
