"""Rejects files: every finding of every object, for the data owners to fix at the source.

``reject_tables`` prepares one table per object (columns in ``REJECT_COLUMNS``,
personal values masked, rows in a fixed order); ``write_rejects`` writes them
as ``rejects/<object>.csv`` and as the workbook ``rejects/rejects.xlsx`` (a
sheet per object plus a summary by rule and owner, see ``rejects_xlsx``). The
CSVs hold every finding; the workbook shows at most ``MAX_OBJECT_ROWS`` per
object (and says so), so it stays quick to write and to open.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from migrate.report.masking import mask_series
from migrate.report.rejects_xlsx import MAX_OBJECT_ROWS, write_rejects_workbook

REJECTS_DIR = "rejects"
WORKBOOK = "rejects.xlsx"
REJECT_COLUMNS = [
    "system",
    "source",
    "legacy_key",
    "source_row",
    "severity",
    "stage",
    "rule",
    "field",
    "value",
    "reason",
    "owner",
]
_RENAMES = {"_system": "system", "_source": "source", "_key": "legacy_key", "_row": "source_row"}
_ORDER = [
    "system",
    "source",
    "source_row",
    "legacy_key",
    "_rid",
    "severity",
    "rule",
    "field",
    "stage",
]


def reject_tables(findings: pd.DataFrame, mask_fields: set[str]) -> dict[str, pd.DataFrame]:
    """One table per object (in name order) of its findings, personal values masked.

    ``findings`` is ``Ledger.findings()``; a ``_row`` column (the row in the
    source file) is used when present. A field is masked when ``mask_fields``
    names it, alone or as ``<object>.<field>``.
    """
    tables: dict[str, pd.DataFrame] = {}
    for obj, part in findings.groupby("object", sort=True):
        table = part.rename(columns=_RENAMES)
        if "source_row" not in table.columns:
            table["source_row"] = pd.NA
        table["value"] = _masked(table, str(obj), mask_fields)
        table = table.sort_values(_ORDER, kind="stable", na_position="last")
        tables[str(obj)] = table[REJECT_COLUMNS].reset_index(drop=True)
    return tables


def write_rejects(
    findings: pd.DataFrame,
    out_dir: Path,
    mask_fields: set[str],
    *,
    max_sheet_rows: int | None = MAX_OBJECT_ROWS,
) -> list[Path]:
    """Write ``rejects/<object>.csv`` per object with findings, then the workbook; their paths.

    Every CSV holds all of its object's findings; the workbook's sheet of an
    object shows at most ``max_sheet_rows`` of them (None: all). The workbook
    (last in the list) is written even without findings, so its summary sheet
    can say so.
    """
    folder = out_dir / REJECTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    tables = reject_tables(findings, mask_fields)
    for obj, table in tables.items():
        path = folder / f"{obj}.csv"
        table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        written.append(path)
    written.append(write_rejects_workbook(tables, folder / WORKBOOK, max_rows=max_sheet_rows))
    return written


def _masked(table: pd.DataFrame, obj: str, mask_fields: set[str]) -> pd.Series:
    """Values masked where their field (or a part of a compound ``a+b`` field) is personal."""
    fields = table["field"]
    personal = [name for name in fields.dropna().unique() if _is_personal(name, obj, mask_fields)]
    chosen = fields.isin(personal).to_numpy(dtype=bool)
    values = table["value"].astype("object")
    if not chosen.any():
        return values
    masked = values.copy()
    masked[chosen] = mask_series(values[chosen])
    return masked


def _is_personal(field: object, obj: str, mask_fields: set[str]) -> bool:
    if not isinstance(field, str):
        return False
    return any(part in mask_fields or f"{obj}.{part}" in mask_fields for part in field.split("+"))
