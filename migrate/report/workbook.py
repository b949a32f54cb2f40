"""A report as an Excel workbook: one sheet per section, written the same way every time.

Each section is a table; its sheet has a bold, frozen header row with a filter
and columns sized to their content. Text is always written as text (never as a
formula, number or link), and the file carries a fixed creation date, so the
same report gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

FIXED_CREATED = dt.datetime(2000, 1, 1)
SHEET_NAME_LIMIT = 31
MAX_WIDTH = 60
_OPTIONS = {
    "in_memory": True,
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


def write_workbook(sections: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write one sheet per section (in the given order) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with xlsxwriter.Workbook(str(path), _OPTIONS) as workbook:
        workbook.set_properties({"created": FIXED_CREATED})
        header = workbook.add_format({"bold": True, "bg_color": "#F3F5F7", "border": 1})
        for name, table in sections.items():
            sheet = workbook.add_worksheet(name[:SHEET_NAME_LIMIT])
            _write_table(sheet, table, header)
    return path


def _write_table(sheet: Worksheet, table: pd.DataFrame, header: Any) -> None:
    widths = [len(str(c)) for c in table.columns]
    for column, name in enumerate(table.columns):
        sheet.write_string(0, column, str(name), header)
    for row, values in enumerate(table.itertuples(index=False, name=None), start=1):
        for column, value in enumerate(values):
            text = _write_cell(sheet, row, column, value)
            widths[column] = max(widths[column], len(text))
    for column, width in enumerate(widths):
        sheet.set_column(column, column, min(width + 2, MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    if len(table.columns):
        sheet.autofilter(0, 0, max(len(table), 1), len(table.columns) - 1)


def _write_cell(sheet: Worksheet, row: int, column: int, value: Any) -> str:
    """Write one cell; returns its text (for the column width)."""
    if hasattr(value, "item") and callable(value.item):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
        return "FALSE"
    if isinstance(value, int | float):
        sheet.write_number(row, column, float(value))
        return f"{value:,}"
    text = str(value)
    sheet.write_string(row, column, text)
    return text
