"""Field-level comparison of a load-file row with the target's row, within tolerances.

Per column type: text is compared trimmed (unless ``trim: false``) and, with
``ignore_case``, case-blind; integers and decimals may differ by up to the
column's ``tolerance`` (decimals a database keeps as binary floats, as SQLite
does, are compared as floats); dates by up to ``tolerance`` days; booleans
exactly. A missing value equals only a missing value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from migrate.io.target_hash import canonical_text
from migrate.io.target_rows import Row
from migrate.io.target_values import TargetColumn, to_date
from migrate.spec.project import ColumnTolerance

EXACT = ColumnTolerance()
_FLOAT_EPSILON = 1e-9


def _same_text(a: Any, b: Any, tol: ColumnTolerance) -> bool:
    left, right = str(a), str(b)
    if tol.trim:
        left, right = left.strip(), right.strip()
    if tol.ignore_case:
        left, right = left.casefold(), right.casefold()
    return left == right


def _same_number(a: Any, b: Any, tol: ColumnTolerance) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        x, y = float(a), float(b)
        return abs(x - y) <= tol.tolerance + _FLOAT_EPSILON * max(abs(x), abs(y), 1.0)
    return abs(Decimal(a) - Decimal(b)) <= Decimal(repr(tol.tolerance))


def _same_date(a: Any, b: Any, tol: ColumnTolerance) -> bool:
    column = TargetColumn("date", "date")
    left: dt.date = to_date(a, column)
    right: dt.date = to_date(b, column)
    return abs((left - right).days) <= tol.tolerance


def _same_boolean(a: Any, b: Any, tol: ColumnTolerance) -> bool:
    return bool(a) == bool(b)


SAME: dict[str, Callable[[Any, Any, ColumnTolerance], bool]] = {
    "string": _same_text,
    "integer": _same_number,
    "decimal": _same_number,
    "date": _same_date,
    "boolean": _same_boolean,
}


def same_value(a: Any, b: Any, column: TargetColumn, tol: ColumnTolerance = EXACT) -> bool:
    """Whether two values of ``column`` count as equal."""
    if a is None or b is None:
        return a is None and b is None
    return SAME[column.type](a, b, tol)


def differing_columns(
    expected: Row,
    actual: Row,
    columns: Sequence[TargetColumn],
    tolerances: dict[str, ColumnTolerance],
) -> list[tuple[str, str | None, str | None]]:
    """(column, expected text, actual text) for every column that differs beyond tolerance."""
    found = []
    for column in columns:
        a, b = expected.get(column.name), actual.get(column.name)
        if not same_value(a, b, column, tolerances.get(column.name, EXACT)):
            found.append((column.name, canonical_text(a, column), canonical_text(b, column)))
    return found
