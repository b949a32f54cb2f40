"""Turning text into the declared field types, one column at a time.

Blank text (empty or only spaces) is missing for every type. A value that is
not of its type becomes missing too and is recorded as a type failure, so the
other checks still run on every other value and row. Dates are ISO text
``YYYY-MM-DD`` (legacy formats are parsed by a cleansing step before) and come
out as ``datetime64[us]``, which holds dates up to 9999-12-31; integers come out
as nullable ``Int64``, decimals as ``float64``, yes/no values as ``boolean``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from migrate.spec.mapping import FieldType, Mapping

DATE_DTYPE: Final = "datetime64[us]"
DTYPES: dict[FieldType, str] = {
    "string": "str",
    "integer": "Int64",
    "decimal": "float64",
    "date": DATE_DTYPE,
    "boolean": "boolean",
}
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})
_INTEGER = r"[+-]?[0-9]{1,18}(?:\.0*)?"  # ASCII digits: what the cast below reads

Parsed = tuple[pd.Series, pd.Series]  # typed values, mask of values not of the type


@dataclass(frozen=True)
class Coerced:
    """The declared fields in their types, and which rows held a value not of its type."""

    frame: pd.DataFrame
    failures: dict[str, pd.Index]


def coerce_frame(frame: pd.DataFrame, mapping: Mapping) -> Coerced:
    """Every declared field of ``frame`` in its type (a field the frame lacks is all missing)."""
    columns: dict[str, pd.Series] = {}
    failures: dict[str, pd.Index] = {}
    for name, spec in mapping.fields.items():
        raw = frame[name] if name in frame.columns else pd.Series(pd.NA, index=frame.index)
        values, failed = coerce_values(raw, spec.type)
        columns[name] = values
        if failed.any():
            failures[name] = frame.index[failed.to_numpy()]
    return Coerced(pd.DataFrame(columns, index=frame.index), failures)


def coerce_values(values: pd.Series, kind: FieldType) -> Parsed:
    """``values`` in type ``kind``, and the mask of values that are not of it."""
    if kind != "string" and str(values.dtype) == DTYPES[kind]:
        return values, _none(values)
    if kind == "date" and pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.dt.normalize().astype(DATE_DTYPE), _none(values)
    return _PARSERS[kind](as_text(values))


def as_text(values: pd.Series) -> pd.Series:
    """``values`` as ``str`` with blank text as missing."""
    text = values if values.dtype == "str" else values.astype("str")
    blank = text.str.strip().eq("").fillna(False).to_numpy(dtype=bool)
    return text.mask(blank) if blank.any() else text


def parse_allowed(values: list[str], kind: FieldType) -> list[object]:
    """Allowed values in the field's type; raises ValueError naming one that is not."""
    typed, failed = coerce_values(pd.Series(values, dtype="str"), kind)
    if failed.any():
        raise ValueError(f"allowed value {values[int(np.argmax(failed))]!r} is not of type {kind}")
    return [value for value in typed.tolist() if not pd.isna(value)]


def _none(values: pd.Series) -> pd.Series:
    return pd.Series(False, index=values.index)


def _string(text: pd.Series) -> Parsed:
    return text, _none(text)


def _integer(text: pd.Series) -> Parsed:
    stripped = text.str.strip()
    ok = stripped.str.fullmatch(_INTEGER).fillna(False).astype(bool)
    cleaned = stripped.where(ok).str.replace(r"^\+|\.0*$", "", regex=True)
    return cleaned.astype("Int64"), text.notna() & ~ok


def _decimal(text: pd.Series) -> Parsed:
    numbers = pd.to_numeric(text.str.strip(), errors="coerce").astype("float64")
    good = np.isfinite(numbers.to_numpy())
    failed = text.notna() & ~good
    return numbers.where(good), failed


def _date(text: pd.Series) -> Parsed:
    dates = pd.to_datetime(text.str.strip(), format="%Y-%m-%d", errors="coerce")
    dates = dates.astype(DATE_DTYPE)
    return dates, text.notna() & dates.isna()


def _boolean(text: pd.Series) -> Parsed:
    words = text.str.strip().str.lower()
    truth = pd.Series(pd.NA, index=text.index, dtype="boolean")
    truth[words.isin(TRUE_WORDS).to_numpy(dtype=bool)] = True
    truth[words.isin(FALSE_WORDS).to_numpy(dtype=bool)] = False
    return truth, text.notna() & truth.isna()


_PARSERS: dict[FieldType, Callable[[pd.Series], Parsed]] = {
    "string": _string,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "boolean": _boolean,
}
