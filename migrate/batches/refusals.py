"""Rows a target refused: personal values masked in the database's messages, written as CSV."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from migrate.batches.package import ObjectLoad
from migrate.io.target_rows import Row, RowError, key_text
from migrate.report.masking import mask_in_text

COLUMNS = ["table", "key", "column", "kind", "message"]


def masked(errors: Sequence[RowError], rows: Sequence[Row], obj: ObjectLoad) -> list[RowError]:
    """``errors`` with the refused rows' personal values masked wherever a message shows them."""
    if not obj.personal or not errors:
        return list(errors)
    by_key = {key_text(row, obj.key): row for row in rows}
    found = []
    for error in errors:
        row = by_key.get(error.key, {})
        message = mask_in_text(error.message, [row.get(name) for name in obj.personal])
        found.append(RowError(error.table, error.key, error.column, error.kind, message))
    return found


def write_refusals(errors: Sequence[RowError], path: Path) -> Path:
    """Write one line per refused row (UTF-8 CSV; header only when there are none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame([error.to_dict() for error in errors], columns=COLUMNS)
    frame.to_csv(path, index=False, lineterminator="\n")
    return path
