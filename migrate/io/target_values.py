"""Target column definitions: their SQL types and the conversion of frame values.

Values arrive as text (or already typed) and are converted to what the column
holds before anything is sent to the database: ``integer`` -> ``int``,
``decimal`` -> ``Decimal``, ``date`` -> ``datetime.date``, ``boolean`` ->
``bool``, ``string`` -> ``str``; missing values (None, NaN, NA, NaT) -> NULL.
A value that cannot be converted raises ``ValueError`` with the reason.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.types import TypeEngine

# Key columns of type string need a bounded length to be indexed (MariaDB).
DEFAULT_KEY_LENGTH = 255
DEFAULT_PRECISION = 38
DEFAULT_SCALE = 10

_INTEGER = re.compile(r"[+-]?\d+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


@dataclass(frozen=True)
class TargetColumn:
    """One column of a target table."""

    name: str
    type: str
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    nullable: bool = True


def is_missing(value: Any) -> bool:
    """None, NaN, pandas NA and NaT."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def to_string(value: Any, column: TargetColumn) -> str:
    text = value if isinstance(value, str) else str(_plain(value))
    if column.length is not None and len(text) > column.length:
        raise ValueError(f"{len(text)} characters, the column allows {column.length}")
    return text


def to_integer(value: Any, column: TargetColumn) -> int:
    value = _plain(value)
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)) and math.isfinite(value) and value == int(value):
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    raise ValueError(f"{value!r} is not an integer")


def to_decimal(value: Any, column: TargetColumn) -> Decimal:
    value = _plain(value)
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a decimal number")
    try:
        number = Decimal(value if isinstance(value, (str, Decimal)) else repr(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{value!r} is not a decimal number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite decimal number")
    return number


def to_date(value: Any, column: TargetColumn) -> dt.date:
    value = _plain(value)
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise ValueError(f"{value.isoformat()} has a time of day, the column holds dates")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")


def to_boolean(value: Any, column: TargetColumn) -> bool:
    value = _plain(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"{value!r} is not a boolean")


Converter = Callable[[Any, TargetColumn], Any]

CONVERTERS: dict[str, Converter] = {
    "string": to_string,
    "integer": to_integer,
    "decimal": to_decimal,
    "date": to_date,
    "boolean": to_boolean,
}


def convert(value: Any, column: TargetColumn) -> Any:
    """``value`` as the column's Python type; ``None`` for a missing value."""
    if is_missing(value):
        return None
    return CONVERTERS[column.type](value, column)


def _string_type(column: TargetColumn, is_key: bool) -> TypeEngine[Any]:
    if column.length is None and not is_key:
        return sa.Text()
    return sa.String(column.length or DEFAULT_KEY_LENGTH)


def _decimal_type(column: TargetColumn, is_key: bool) -> TypeEngine[Any]:
    """NUMERIC(precision, scale); without a precision NUMERIC(38, 10), without a scale 0."""
    if column.precision is None:
        return sa.Numeric(DEFAULT_PRECISION, column.scale or DEFAULT_SCALE, asdecimal=True)
    return sa.Numeric(column.precision, column.scale or 0, asdecimal=True)


SQL_TYPES: dict[str, Callable[[TargetColumn, bool], TypeEngine[Any]]] = {
    "string": _string_type,
    "integer": lambda column, is_key: sa.BigInteger(),
    "decimal": _decimal_type,
    "date": lambda column, is_key: sa.Date(),
    "boolean": lambda column, is_key: sa.Boolean(),
}
