"""Keys and row hashes of converted rows, as the batch records and reconciliation use them."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from migrate.io.target_hash import row_hash, row_text
from migrate.io.target_rows import Row
from migrate.io.target_values import TargetColumn


def key_columns(columns: Sequence[TargetColumn], key: Sequence[str]) -> list[TargetColumn]:
    """The key's columns, in key order."""
    by_name = {column.name: column for column in columns}
    return [by_name[name] for name in key]


def row_key(row: Row, key: Sequence[str], columns: Sequence[TargetColumn]) -> str:
    """The row's key as canonical text (several key fields joined by ``|``)."""
    return row_text([row[name] for name in key], key_columns(columns, key))


def keys_and_hashes(
    rows: Sequence[Row], key: Sequence[str], columns: Sequence[TargetColumn]
) -> pd.DataFrame:
    """One line per row: its key text and its row hash."""
    keys = [row_key(row, key, columns) for row in rows]
    hashes = [row_hash([row[c.name] for c in columns], columns) for row in rows]
    return pd.DataFrame({"key": pd.Series(keys, dtype="object"), "row_hash": hashes})
