"""Date arithmetic on day numbers and the legacy date spellings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np

from samples.gen.common import Ints, Obj, obj

# Mixed legacy spellings of one date: 2019/3/5, 2019-03-05, 05.03.2019, 20190305, 2019年3月5日.
SLASH, ISO, DOTTED, COMPACT, CJK = range(5)
MIXED_WEIGHTS = (0.3, 0.3, 0.1, 0.2, 0.1)

_FORMATS: tuple[Callable[[int, int, int], str], ...] = (
    lambda y, m, d: f"{y}/{m}/{d}",
    lambda y, m, d: f"{y}-{m:02d}-{d:02d}",
    lambda y, m, d: f"{d:02d}.{m:02d}.{y}",
    lambda y, m, d: f"{y}{m:02d}{d:02d}",
    lambda y, m, d: f"{y}年{m}月{d}日",
)
_ORDINAL_1970 = date(1970, 1, 1).toordinal()


def split(days: Ints) -> tuple[Ints, Ints, Ints]:
    """Year, month and day arrays of day numbers (days since 1970-01-01)."""
    dt = days.astype("datetime64[D]")
    months = dt.astype("datetime64[M]")
    years = dt.astype("datetime64[Y]")
    year = years.astype(np.int64) + 1970
    month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    dom = (dt - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, dom


def spell(year: Ints, month: Ints, dom: Ints, fmt: Ints) -> Obj:
    """Spell each (year, month, day) in its format code."""
    funcs = _FORMATS
    parts = zip(year.tolist(), month.tolist(), dom.tolist(), fmt.tolist(), strict=True)
    return obj([funcs[f](y, m, d) for y, m, d, f in parts])


def spell_days(days: Ints, fmt: Ints) -> Obj:
    """Spell day numbers in their format codes."""
    return spell(*split(days), fmt)


def iso_days(days: Ints) -> Obj:
    """ISO ``YYYY-MM-DD`` strings of day numbers."""
    return obj(days.astype("datetime64[D]").astype(str).astype(object))


def mixed_formats(rng: np.random.Generator, size: int) -> Ints:
    """Random format codes with the usual legacy mix."""
    return rng.choice(len(_FORMATS), size=size, p=MIXED_WEIGHTS).astype(np.int64)


def impossible(rng: np.random.Generator, size: int) -> tuple[Ints, Ints, Ints]:
    """Dates that cannot exist: Feb 30, Feb 29 of a common year, Apr 31, month 13, day 32."""
    kind = rng.integers(0, 5, size)
    year = rng.integers(2008, 2024, size)
    year = np.where((kind == 1) & (year % 4 == 0), year + 1, year)
    short_month = rng.choice([4, 6, 9, 11], size)
    month = np.select([kind <= 1, kind == 2, kind == 3], [2, short_month, 13], 5)
    dom = np.select([kind == 0, kind == 1, kind == 2, kind == 3], [30, 29, 31, 1], 32)
    dom = np.where((kind == 3) & (rng.random(size) < 0.5), rng.integers(1, 28, size), dom)
    return year.astype(np.int64), month.astype(np.int64), dom.astype(np.int64)


def to_date(day_number: int) -> date:
    """A ``datetime.date`` of a day number."""
    return date.fromordinal(day_number + _ORDINAL_1970)
