"""Small builders shared by the io tests."""

from __future__ import annotations

from typing import Any

import pandas as pd

from migrate.io.spec import SourceSpec


def spec(kind: str, **fields: Any) -> SourceSpec:
    """A SourceSpec named ``legacy`` of system ``ERP``."""
    return SourceSpec(name="legacy", system="ERP", kind=kind, **fields)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with missing values as ``None`` (NaN is not equal to itself)."""
    return [
        {column: (None if pd.isna(value) else value) for column, value in row.items()}
        for row in frame.to_dict("records")
    ]


def assert_all_text(frame: pd.DataFrame) -> None:
    """Every column has pandas' str dtype and every present value is a str."""
    for column in frame.columns:
        assert frame[column].dtype == "str", (column, frame[column].dtype)
        assert all(isinstance(v, str) for v in frame[column].dropna()), column
