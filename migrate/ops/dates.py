"""Date parsing: the many ways legacy systems and spreadsheets write a date, to ISO YYYY-MM-DD.

Built-in forms (tried after any extra ``formats``):

* ``2023-01-05``, ``2023/1/5``, ``2023.01.05``, optionally with a time (``T10:30:00Z``)
* ``2023年1月5日`` (also with 号 or without 日)
* ``05.01.2023`` - dotted day-month-year, always day first
* ``03/04/2023``, ``03-04-2023`` - month/day unless ``dayfirst: true``; not auto-swapped;
  with ``ambiguous: flag`` every such date that reads both ways is a finding (kept as read)
* ``20230105`` - compact year-month-day
* ``44931`` or ``44931.5`` - Excel serial day numbers (1900 system); numbers 1000-2999
  are rejected as "a year only" rather than read as dates in 1902-1908
* Excel/datetime cells and datetime columns

Impossible dates (``2019-02-30``, month 13) and text in none of these forms fail.
Every pattern is applied to the distinct values of the column at once.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import pandas as pd
import pydantic

from migrate.ops._common import STR_DTYPE, by_unique, checked, halfwidth, to_text
from migrate.ops.registry import OpParams, OpResult, register_op

_TIME = (
    r"(?:(?:T|\s+)(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.,][0-9]+)?)?"
    r"\s*(?:[AaPp][Mm])?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
_YMD = rf"(?P<y>[0-9]{{4}})(?P<s>[-/.])(?P<m>[0-9]{{1,2}})(?P=s)(?P<d>[0-9]{{1,2}}){_TIME}"
_CHINESE = (
    rf"(?P<y>[0-9]{{4}})\s*年\s*(?P<m>[0-9]{{1,2}})\s*月\s*(?P<d>[0-9]{{1,2}})\s*[日号]?{_TIME}"
)
_DOTTED = rf"(?P<d>[0-9]{{1,2}})\.(?P<m>[0-9]{{1,2}})\.(?P<y>[0-9]{{4}}){_TIME}"
_COMPACT = r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"
_SLASH = r"(?P<{0}>[0-9]{{1,2}})(?P<s>[-/])(?P<{1}>[0-9]{{1,2}})(?P=s)(?P<y>[0-9]{{4}})"
_SERIAL = re.compile(r"[0-9]{1,5}(?:\.[0-9]+)?")
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _patterns(dayfirst: bool) -> list[re.Pattern[str]]:
    """The built-in component patterns, anchored, in the order they are tried."""
    slash = _SLASH.format("d", "m") if dayfirst else _SLASH.format("m", "d")
    forms = [_YMD, _CHINESE, _DOTTED, slash + _TIME, _COMPACT]
    return [re.compile(f"^(?:{form})$") for form in forms]


class ParseDateParams(OpParams):
    """dayfirst: read 03/04/2023 as 3 April; formats: extra strptime formats, tried first;
    ambiguous: flag to make a finding of every date that reads both ways (03/04/2023),
    keeping the date as read, or accept to read it silently."""

    dayfirst: bool = False
    formats: tuple[str, ...] | None = None
    ambiguous: Literal["accept", "flag"] = "accept"

    @pydantic.field_validator("formats")
    @classmethod
    def _usable(cls, formats: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for fmt in formats or ():
            if "%" not in fmt:
                raise ValueError(f"format {fmt!r} has no % directive (e.g. %d.%m.%y)")
            try:
                pd.to_datetime(pd.Series(["x"]), format=fmt, errors="coerce")
            except ValueError as exc:
                raise ValueError(f"format {fmt!r} is not usable: {exc}") from None
        return formats


def _assemble(parts: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Turn extracted y/m/d text into ISO dates; return (iso, reason) with NaN where n/a."""
    y = parts["y"].astype(int).to_numpy()
    m = parts["m"].astype(int).to_numpy()
    d = parts["d"].astype(int).to_numpy()
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    days = _MONTH_DAYS[np.clip(m, 0, 12)] + ((m == 2) & leap)
    text = {k: parts[k].astype(int).astype(STR_DTYPE) for k in "ymd"}
    iso = text["y"].str.zfill(4) + "-" + text["m"].str.zfill(2) + "-" + text["d"].str.zfill(2)
    month_text = text["y"].str.zfill(4) + "-" + text["m"].str.zfill(2)
    reason = pd.Series(pd.NA, index=parts.index, dtype=STR_DTYPE)
    bad_day = (d < 1) | (d > days)
    reason = reason.mask(bad_day, "impossible date: " + month_text + " has no day " + text["d"])
    reason = reason.mask((m < 1) | (m > 12), "impossible date: there is no month " + text["m"])
    reason = reason.mask(y < 1, "impossible date: there is no year 0")
    return iso.where(reason.isna()), reason


def _serials(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read Excel 1900-system serial day numbers; return (iso, reason)."""
    serial = text.str.split(".").str[0].astype(int).to_numpy()
    base = np.where(serial < 60, np.datetime64("1899-12-31"), np.datetime64("1899-12-30"))
    dates = base + serial.astype("timedelta64[D]")
    iso = pd.Series(np.datetime_as_string(dates, unit="D"), index=text.index, dtype=STR_DTYPE)
    reason = pd.Series(pd.NA, index=text.index, dtype=STR_DTYPE)
    reason = reason.mask(serial == 60, "Excel serial 60 is 1900-02-29, which does not exist")
    reason = reason.mask(serial == 0, "Excel serial 0 is not a date")
    year_like = (serial >= 1000) & (serial < 3000) & ~text.str.contains(".", regex=False)
    reason = reason.mask(year_like, "a year only, no month or day")
    return iso.where(reason.isna()), reason


class _Parse:
    """Parse state over the distinct values: what is done, the ISO dates and the reasons."""

    def __init__(self, text: pd.Series) -> None:
        self.text = halfwidth(text, punctuation=True).str.strip()
        self.pending = (self.text.notna() & (self.text != "")).to_numpy(dtype=bool, copy=True)
        self.iso = pd.Series(pd.NA, index=text.index, dtype=STR_DTYPE)
        self.reason = pd.Series(pd.NA, index=text.index, dtype=STR_DTYPE)

    def todo(self) -> pd.Series:
        """The values not parsed or rejected yet."""
        return self.text[self.pending]

    def settle(self, iso: pd.Series, reason: pd.Series) -> None:
        """Record results for the rows in ``iso``'s index and take them off the to-do list."""
        self.iso.loc[iso.index] = iso
        self.reason.loc[reason.index] = reason
        self.pending[self.text.index.get_indexer(iso.index)] = False

    def try_format(self, fmt: str) -> None:
        """Try one strptime format over everything still pending."""
        todo = self.todo()
        parsed = pd.to_datetime(todo, format=fmt, errors="coerce")
        hit = parsed.notna()
        iso = parsed[hit].dt.strftime("%Y-%m-%d").astype(STR_DTYPE)
        self.settle(iso, pd.Series(pd.NA, index=iso.index, dtype=STR_DTYPE))

    def try_pattern(self, pattern: re.Pattern[str]) -> None:
        """Try one component pattern (named groups y, m, d) over everything still pending."""
        parts = self.todo().str.extract(pattern).dropna(subset=["y"])
        if not parts.empty:
            self.settle(*_assemble(parts))

    def try_serials(self) -> None:
        """Read remaining plain numbers as Excel serials."""
        todo = self.todo()
        numbers = todo[todo.str.fullmatch(_SERIAL)]
        if not numbers.empty:
            self.settle(*_serials(numbers))


def _ambiguous(text: pd.Series, iso: pd.Series, dayfirst: bool) -> pd.Series:
    """Why each day/month date that reads both ways is ambiguous (NaN for the others)."""
    parts = text.str.extract(re.compile(f"^(?:{_SLASH.format('a', 'b')}{_TIME})$"))
    a = pd.to_numeric(parts["a"], errors="coerce")
    b = pd.to_numeric(parts["b"], errors="coerce")
    both = (a <= 12) & (b <= 12) & (a != b) & iso.notna()
    read = "day first" if dayfirst else "month first"
    other = "false" if dayfirst else "true"
    reason = (
        "ambiguous date '" + text + "': read as " + iso + f" ({read}); "
        f"set dayfirst: {other} if it is the other way round"
    )
    return reason.where(both.fillna(False).astype(bool))


def _parse_unique(text: pd.Series, params: ParseDateParams) -> OpResult:
    """Parse distinct date texts to ISO dates."""
    state = _Parse(text)
    for fmt in params.formats or ():
        state.try_format(fmt)
    for pattern in _patterns(params.dayfirst):
        state.try_pattern(pattern)
    state.try_serials()
    unparsed = pd.Series(state.pending, index=text.index)
    reason = state.reason.mask(unparsed, "not a recognisable date")
    keep = reason.isna()
    if params.ambiguous == "flag":
        reason = reason.fillna(_ambiguous(state.text, state.iso, params.dayfirst))
    failed = reason.notna()
    return OpResult(values=state.iso.where(keep, text), failed=failed, reason=reason)


@register_op("parse_date", params=ParseDateParams, can_fail=True)
def parse_date(values: pd.Series, params: ParseDateParams, frame: pd.DataFrame) -> OpResult:
    """Parse dates written in many ways (incl. Excel serials, 2023年1月5日) to YYYY-MM-DD."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        iso = values.dt.strftime("%Y-%m-%d").astype(STR_DTYPE)
        return checked(iso, pd.Series(False, index=values.index), "")
    return by_unique(to_text(values), lambda text: _parse_unique(text, params))
