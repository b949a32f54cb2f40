"""Field comparison within per-column tolerances."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from migrate.io.target_values import TargetColumn
from migrate.reconcile.compare import differing_columns, same_value
from migrate.spec.project import ColumnTolerance

TEXT = TargetColumn("name", "string")
NUMBER = TargetColumn("amount", "decimal")
COUNT = TargetColumn("count", "integer")
DAY = TargetColumn("day", "date")
FLAG = TargetColumn("flag", "boolean")


@pytest.mark.parametrize(
    ("a", "b", "column", "tolerance", "same"),
    [
        ("Müller ", " Müller", TEXT, ColumnTolerance(), True),
        ("Müller ", "Müller", TEXT, ColumnTolerance(trim=False), False),
        ("MÜLLER", "müller", TEXT, ColumnTolerance(), False),
        ("MÜLLER", "müller", TEXT, ColumnTolerance(ignore_case=True), True),
        (Decimal("10.00"), Decimal("10"), NUMBER, ColumnTolerance(), True),
        (Decimal("10.00"), Decimal("10.01"), NUMBER, ColumnTolerance(), False),
        (Decimal("10.00"), Decimal("10.01"), NUMBER, ColumnTolerance(tolerance=0.01), True),
        (Decimal("10.00"), Decimal("10.02"), NUMBER, ColumnTolerance(tolerance=0.01), False),
        (Decimal("560634.69"), 560634.69, NUMBER, ColumnTolerance(), True),  # SQLite floats
        (Decimal("560634.69"), 560634.70, NUMBER, ColumnTolerance(), False),
        (3, 4, COUNT, ColumnTolerance(), False),
        (3, 4, COUNT, ColumnTolerance(tolerance=1), True),
        (dt.date(2024, 1, 5), "2024-01-05", DAY, ColumnTolerance(), True),
        (dt.date(2024, 1, 5), dt.date(2024, 1, 6), DAY, ColumnTolerance(), False),
        (dt.date(2024, 1, 5), dt.date(2024, 1, 6), DAY, ColumnTolerance(tolerance=1), True),
        (True, 1, FLAG, ColumnTolerance(), True),
        (None, None, TEXT, ColumnTolerance(), True),
        (None, "", TEXT, ColumnTolerance(), False),
        (Decimal(0), None, NUMBER, ColumnTolerance(tolerance=5), False),
    ],
)
def test_same_value(
    a: object, b: object, column: TargetColumn, tolerance: ColumnTolerance, same: bool
) -> None:
    assert same_value(a, b, column, tolerance) is same


def test_differing_columns_names_each_difference_in_canonical_text() -> None:
    expected = {"name": "A", "amount": Decimal("1.50"), "day": dt.date(2024, 1, 5)}
    actual = {"name": "A ", "amount": Decimal("1.6"), "day": dt.date(2024, 2, 5)}
    found = differing_columns(
        expected, actual, [TEXT, NUMBER, DAY], {"amount": ColumnTolerance(tolerance=0.2)}
    )
    assert found == [("day", "2024-01-05", "2024-02-05")]
