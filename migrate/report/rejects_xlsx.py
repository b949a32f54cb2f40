"""The rejects workbook: one filterable sheet per object and a summary by rule and owner.

Business owners open ``rejects/rejects.xlsx`` in Excel: the first sheet,
``summary``, counts findings and rows per object, rule, severity, owner and
field with an example reason; every object has its own sheet with the same
columns as its CSV. Each sheet has a filter on its header row and a frozen
header. Cell text is written as text, never as a formula or link, so a legacy
value such as ``=HYPERLINK(...)`` stays harmless. An object with more rows than
a sheet holds continues on ``<object> (2)``, ``<object> (3)`` ...
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

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
_SHEET_NAME_LIMIT = 31
_WIDTHS = {"reason": 60, "example_reason": 60, "value": 30, "legacy_key": 18}
_TEXT_ONLY = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


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


def write_rejects_workbook(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write the summary sheet and one sheet per object (tables from ``reject_tables``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": _TEXT_ONLY}) as xl:
        _write_sheet(xl, SUMMARY_SHEET, summary_table(tables))
        for obj, table in tables.items():
            for name, chunk in _sheets(obj, table):
                _write_sheet(xl, name, chunk)
    return path


def _sheets(obj: str, table: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The object's rows cut into sheets Excel can hold, named ``obj``, ``obj (2)`` ..."""
    starts = range(0, max(len(table), 1), MAX_SHEET_ROWS)
    named = []
    for number, start in enumerate(starts, start=1):
        suffix = "" if number == 1 else f" ({number})"
        name = obj[: _SHEET_NAME_LIMIT - len(suffix)] + suffix
        named.append((name, table.iloc[start : start + MAX_SHEET_ROWS]))
    return named


def _write_sheet(xl: pd.ExcelWriter, name: str, table: pd.DataFrame) -> None:
    plain = table.astype("object").where(table.notna(), None)
    plain.to_excel(xl, sheet_name=name, index=False)
    sheet = xl.sheets[name]
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(plain), 1), max(len(plain.columns) - 1, 0))
    for number, column in enumerate(plain.columns):
        sheet.set_column(number, number, _WIDTHS.get(str(column), 14))
