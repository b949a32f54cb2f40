"""The rejects workbook: one filterable sheet per object and a summary by rule and owner.

Business owners open ``rejects/rejects.xlsx`` in Excel: the first sheet,
``summary``, counts findings and rows per object, rule, severity, owner and
field with an example reason; every object has its own sheet with the same
columns as its CSV. Each sheet has a filter on its header row and a frozen
header. Cell text is written as text, never as a formula or link, so a legacy
value such as ``=HYPERLINK(...)`` stays harmless.

The workbook is for reading, the CSVs are for completeness: an object's sheet
shows its first ``MAX_OBJECT_ROWS`` findings (``max_rows``), and a note below
them and on the summary says how many were left out and that the object's CSV
next to the workbook holds every one. The summary always counts all findings.
Without a cap (``max_rows=None``), an object with more rows than a sheet holds
continues on ``<object> (2)``, ``<object> (3)`` ...

Sheets are written row by row in xlsxwriter's constant-memory mode, so a large
workbook needs little memory and no per-cell pandas machinery.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

SUMMARY_SHEET = "summary"
SUMMARY_COLUMNS = [
    "object",
    "rule",
    "severity",
    "owner",
    "field",
    "findings",
    "rows",
    "example_reason",
]
MAX_SHEET_ROWS = 1_048_575  # Excel's row limit, less the header row
# Findings per object shown in the workbook (about 3 s of writing each); its CSV holds all.
MAX_OBJECT_ROWS = 25_000
_SHEET_NAME_LIMIT = 31
_WIDTHS = {"reason": 60, "example_reason": 60, "value": 30, "legacy_key": 18}
_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def summary_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Findings and distinct legacy rows per object, rule, severity, owner and field."""
    parts = []
    for obj, table in tables.items():
        if table.empty:
            continue
        keyed = table.assign(
            object=obj, _row_id=table["system"].astype(str) + ":" + table["legacy_key"].astype(str)
        )
        grouped = keyed.groupby(["rule", "severity", "owner", "field"], dropna=False, sort=True)
        summary = grouped.agg(
            findings=("rule", "size"),
            rows=("_row_id", "nunique"),
            example_reason=("reason", "first"),
        ).reset_index()
        parts.append(summary.assign(object=obj))
    if not parts:
        return pd.DataFrame({name: [] for name in SUMMARY_COLUMNS})
    return pd.concat(parts, ignore_index=True)[SUMMARY_COLUMNS]


def write_rejects_workbook(
    tables: dict[str, pd.DataFrame], path: Path, *, max_rows: int | None = MAX_OBJECT_ROWS
) -> Path:
    """Write the summary sheet and one sheet per object (tables from ``reject_tables``).

    An object's sheet holds at most ``max_rows`` findings (None: all of them).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    notes = _left_out_notes(tables, max_rows)
    with xlsxwriter.Workbook(str(path), _OPTIONS) as book:
        header = book.add_format({"bold": True})
        summary = summary_table(tables)
        sheet = _write_sheet(book, SUMMARY_SHEET, summary, header)
        _write_notes(sheet, len(summary) + 2, list(notes.values()))
        for obj, table in tables.items():
            shown = table if max_rows is None else table.iloc[:max_rows]
            for name, part in _sheets(obj, shown):
                sheet = _write_sheet(book, name, part, header)
            if obj in notes:  # below the rows of the object's last sheet
                _write_notes(sheet, len(part) + 2, [notes[obj]])
    return path


def _left_out_notes(tables: dict[str, pd.DataFrame], max_rows: int | None) -> dict[str, str]:
    """Per object whose findings do not all fit: what was left out and where to find it."""
    if max_rows is None:
        return {}
    return {
        obj: (
            f"{obj}: {len(table) - max_rows:,} of {len(table):,} findings are left out of this "
            f"workbook (the sheet shows the first {max_rows:,}); {obj}.csv next to it holds all "
            f"{len(table):,}."
        )
        for obj, table in tables.items()
        if len(table) > max_rows
    }


def _sheets(obj: str, table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The object's rows cut into sheets Excel can hold, named ``obj``, ``obj (2)`` ..."""
    starts = range(0, max(len(table), 1), MAX_SHEET_ROWS)
    named = []
    for number, start in enumerate(starts, start=1):
        suffix = "" if number == 1 else f" ({number})"
        name = obj[: _SHEET_NAME_LIMIT - len(suffix)] + suffix
        named.append((name, table.iloc[start : start + MAX_SHEET_ROWS]))
    return named


def _write_sheet(
    book: xlsxwriter.Workbook, name: str, table: pd.DataFrame, header: Any
) -> Worksheet:
    """A sheet with a bold, frozen, filterable header row and the table's rows below it."""
    sheet = book.add_worksheet(name)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table), 1), max(len(table.columns) - 1, 0))
    for number, column in enumerate(table.columns):
        sheet.set_column(number, number, _WIDTHS.get(str(column), 14))
    sheet.write_row(0, 0, [str(column) for column in table.columns], header)
    for row, values in enumerate(_plain_rows(table), start=1):
        sheet.write_row(row, 0, values)
    return sheet


def _plain_rows(table: pd.DataFrame) -> Iterator[list[Any]]:
    """The table's rows as plain Python values, missing ones as None (an empty cell)."""
    columns = []
    for name in table.columns:
        column = table[name]
        columns.append(column.astype("object").where(column.notna(), None).tolist())
    for values in zip(*columns, strict=True):
        yield list(values)


def _write_notes(sheet: Worksheet, row: int, notes: list[str]) -> None:
    """Notes in the first column from ``row`` on (below the table, outside its filter)."""
    for offset, note in enumerate(notes):
        sheet.write_string(row + offset, 0, note)
