"""Frames -> rows of target-typed values, with every bad value and key collected.

:func:`convert_rows` converts every value of a load frame to its column's type
and checks the business keys (present, unique). It never stops at the first
problem: each refused row becomes a :class:`RowError` naming its key, the
column and the reason, so a simulation can list them all. :func:`frame_rows`
is the strict form a real load uses: the first problem ends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from migrate.errors import TargetError
from migrate.io.target_values import TargetColumn, convert

Row = dict[str, Any]

# Kinds of row errors: found before the database (type, length, key) or by it.
KIND_TYPE = "type"
KIND_LENGTH = "length"
KIND_KEY = "key"
KIND_CONSTRAINT = "constraint"
KIND_VALUE = "value"
KIND_DATABASE = "database"


@dataclass(frozen=True)
class RowError:
    """Why one row of one table cannot be loaded."""

    table: str
    key: str
    column: str | None
    kind: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "table": self.table,
            "key": self.key,
            "column": self.column,
            "kind": self.kind,
            "message": self.message,
        }


def key_text(row: Row, key: Sequence[str] | None = None) -> str:
    """A row's key for messages: ``id='007'`` or ``(a='1', b=2)``."""
    names = list(key) if key is not None else list(row)
    parts = [f"{name}={row[name]!r}" for name in names]
    return parts[0] if len(parts) == 1 else f"({', '.join(parts)})"


def check_columns(frame: pd.DataFrame, columns: Sequence[TargetColumn], table: str) -> None:
    """Raise when the frame's columns are not exactly the table's."""
    names = [column.name for column in columns]
    missing = [n for n in names if n not in frame.columns]
    extra = [str(c) for c in frame.columns if c not in names]
    if missing or extra:
        raise TargetError(
            table,
            f"frame does not match the table: missing {missing or '[]'}, extra {extra or '[]'}",
        )


def convert_rows(
    frame: pd.DataFrame, columns: Sequence[TargetColumn], key: Sequence[str], table: str
) -> tuple[list[Row], list[RowError]]:
    """The rows that convert, with keys present and unique; and an error per refused row."""
    check_columns(frame, columns, table)
    values = {column.name: frame[column.name].tolist() for column in columns}
    rows: list[Row] = []
    errors: list[RowError] = []
    for index in range(len(frame)):
        row, error = _convert_row(values, index, columns, key, table)
        if error is not None:
            errors.append(error)
        else:
            rows.append(row)
    kept, key_errors = _check_keys(rows, key, table)
    return kept, errors + key_errors


def frame_rows(
    frame: pd.DataFrame, columns: Sequence[TargetColumn], key: Sequence[str], table: str
) -> list[Row]:
    """The frame's rows converted to the columns' types; raises on the first bad value or key."""
    rows, errors = convert_rows(frame, columns, key, table)
    if errors:
        raise TargetError(table, errors[0].message)
    return rows


def _convert_row(
    values: dict[str, list[Any]],
    index: int,
    columns: Sequence[TargetColumn],
    key: Sequence[str],
    table: str,
) -> tuple[Row, RowError | None]:
    row: Row = {}
    for column in columns:
        try:
            row[column.name] = convert(values[column.name][index], column)
        except ValueError as exc:
            where = key_text({k: values[k][index] for k in key})
            kind = KIND_LENGTH if "characters, the column allows" in str(exc) else KIND_TYPE
            message = f"row with key {where}: column {column.name!r}: {exc}"
            return row, RowError(table, where, column.name, kind, message)
    return row, None


def _check_keys(
    rows: list[Row], key: Sequence[str], table: str
) -> tuple[list[Row], list[RowError]]:
    seen: set[tuple[Any, ...]] = set()
    kept: list[Row] = []
    errors: list[RowError] = []
    for row in rows:
        values = tuple(row[k] for k in key)
        where = key_text(row, key)
        if any(value is None for value in values):
            message = f"row with key {where}: key value is missing"
            errors.append(RowError(table, where, None, KIND_KEY, message))
        elif values in seen:
            message = f"key {where} appears more than once"
            errors.append(RowError(table, where, None, KIND_KEY, message))
        else:
            seen.add(values)
            kept.append(row)
    return kept, errors
