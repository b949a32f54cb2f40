"""Turning legacy values into text and rows into all-text frames.

Every source hands back frames whose columns have pandas' ``str`` dtype: the
value exactly as the legacy system holds it, empty cells as missing (NA) and
nothing else treated as missing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from migrate.errors import SourceError

BOM = "\ufeff"
_EXACT_INT_LIMIT = 2**53


def clean_header(names: Iterable[object], source: str) -> list[str]:
    """Column names stripped of whitespace and a BOM; blank or repeated names raise."""
    cleaned = [str(name).replace(BOM, "").strip() for name in names]
    seen: dict[str, int] = {}
    for position, name in enumerate(cleaned, start=1):
        if not name:
            raise SourceError(source, f"column {position} of the header has no name")
        if name in seen:
            raise SourceError(
                source,
                f"duplicate column name {name!r} (columns {seen[name]} and {position})",
            )
        seen[name] = position
    return cleaned


def require_columns(found: Sequence[str], required: Sequence[str], source: str) -> None:
    """Raise if a required (key or mapped) column is missing."""
    missing = [name for name in required if name not in found]
    if missing:
        raise SourceError(
            source,
            f"missing column(s) {', '.join(repr(m) for m in missing)}; "
            f"columns found: {', '.join(repr(f) for f in found) or '(none)'}",
        )


def format_float(value: float) -> str:
    """A float as text: integral values without ``.0``, others shortest round-trip."""
    if math.isfinite(value) and value.is_integer() and abs(value) < _EXACT_INT_LIMIT:
        return str(int(value))
    return repr(value)


def format_temporal(value: dt.date | dt.time) -> str:
    """ISO text; a datetime at midnight is a plain date ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(timespec="microseconds" if value.microsecond else "seconds")
    if isinstance(value, dt.time):
        return value.isoformat(timespec="microseconds" if value.microsecond else "seconds")
    return value.isoformat()


def cell_text(value: Any) -> str | None:
    """One legacy value as text; ``None`` (missing) for nulls and empty strings."""
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return None if math.isnan(value) else format_float(value)
    if isinstance(value, (dt.date, dt.time)):
        return format_temporal(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (int, Decimal, dt.timedelta)):
        return str(value)
    return str(value)


def text_frame(rows: Sequence[Sequence[str | None]], columns: Sequence[str]) -> pd.DataFrame:
    """An all-``str`` frame; ``None`` and ``""`` become missing."""
    frame = pd.DataFrame(list(rows), columns=list(columns), dtype="str")
    return blank_to_missing(frame)


def blank_to_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty strings become missing values (the frame's dtype is kept)."""
    if not len(frame):
        return frame
    return frame.mask(frame == "")
