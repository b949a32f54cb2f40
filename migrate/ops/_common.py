"""Column helpers shared by the built-in ops.

Conventions every op follows:

* Ops read values as text (:func:`to_text`): strings stay as they are, integral
  floats lose their ``.0`` (Excel reads ``12`` as ``12.0``), nulls stay NaN.
* Output values are pandas' default ``str`` dtype with NaN for nulls.
* Rows an op cannot handle keep their original text and are marked failed.
* Library calls that only work on one value at a time run once per *unique*
  value (:func:`apply_unique`) and are mapped back to the rows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from migrate.ops.registry import OpResult

STR_DTYPE = pd.StringDtype(na_value=np.nan)
"""pandas' default ``str`` dtype: Arrow-backed strings, NaN for missing."""

_KEPT_CJK_PUNCT = "！（），：；？"
"""Full-width forms in U+FF01-U+FF5E that Chinese text uses as its own punctuation."""

FULLWIDTH_TABLE: dict[int, int | str] = {
    code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) not in _KEPT_CJK_PUNCT
}
FULLWIDTH_TABLE[0x3000] = " "

_PUNCT_PAIRS = {
    "！": "!",
    "（": "(",
    "）": ")",
    "，": ",",
    "：": ":",
    "；": ";",
    "？": "?",
    "。": ".",
    "、": ",",
    "｡": ".",
    "､": ",",
    "【": "[",
    "】": "]",
    "〔": "(",
    "〕": ")",
    "〖": "[",
    "〗": "]",
    "「": '"',
    "」": '"',
    "『": '"',
    "』": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "《": "<",
    "》": ">",
    "〈": "<",
    "〉": ">",
    "—": "-",
    "–": "-",
    "‐": "-",
    "‑": "-",
    "…": "...",
}
PUNCT_TABLE: dict[int, int | str] = {
    **FULLWIDTH_TABLE,
    **{ord(wide): narrow for wide, narrow in _PUNCT_PAIRS.items()},
}


def scalar_text(value: Any) -> str | None:
    """Render one cell as text the way a person reads it; None for missing."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isfinite(number) and number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return repr(number)
    if isinstance(value, Decimal):
        return None if value.is_nan() else format(value, "f")
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    return str(value)


def _float_text(values: pd.Series) -> pd.Series:
    """Render a float column; integral values lose their ``.0``."""
    numbers = values.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        integral = np.isfinite(numbers) & (np.abs(numbers) < 1e15)
        integral &= numbers == np.trunc(numbers)
    text = values.astype(STR_DTYPE)
    if integral.any():
        text[integral] = numbers[integral].astype(np.int64).astype(str)
    return text


def _object_text(values: pd.Series) -> pd.Series:
    """Render an object column, converting each distinct value once."""
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable cells such as lists
        texts = [scalar_text(value) for value in values]
        return pd.Series(texts, index=values.index, dtype=STR_DTYPE, name=values.name)
    rendered = pd.array([scalar_text(value) for value in uniques], dtype=STR_DTYPE)
    text = pd.Series(rendered.take(codes, allow_fill=True), index=values.index, name=values.name)
    # True == 1 == 1.0 (and False == 0) hash alike, so those cells are rendered one by one
    ambiguous = [i for i, value in enumerate(uniques) if _is_zero_or_one(value)]
    rows = np.isin(codes, ambiguous)
    if rows.any():
        exact = np.full(len(values), None, dtype=object)
        exact[rows] = [scalar_text(value) for value in values.to_numpy()[rows]]
        text = text.mask(rows, pd.Series(exact, index=text.index, dtype=STR_DTYPE))
    return text


def _is_zero_or_one(value: Any) -> bool:
    """Whether a value hashes like True/False, so it may stand for a different type."""
    return isinstance(value, bool | int | float | np.number) and value in (0, 1)


def to_text(values: pd.Series) -> pd.Series:
    """Return the column as ``str`` dtype with NaN for missing values."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return to_text(values.astype(object))
    if pd.api.types.is_float_dtype(dtype):
        return _float_text(values)
    if pd.api.types.is_object_dtype(dtype):
        return _object_text(values)
    return values.astype(STR_DTYPE)


def is_blank(text: pd.Series) -> pd.Series:
    """Mask of rows that are missing or only whitespace."""
    return (text.isna() | (text.str.strip() == "")).astype(bool)


def _char_class(table: dict[int, int | str]) -> str:
    """A regex character class of the table's keys, written literally so Arrow can run it."""
    return "[" + "".join(re.escape(chr(code)) for code in sorted(table)) + "]"


SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""Every character ``str.isspace`` accepts, which is what Python's regex ``\\s`` matches."""


def char_class(chars: str) -> str:
    """A regex character class of ``chars`` written literally, valid for Arrow and for re."""
    return _char_class({ord(char): char for char in chars})


def ascii_matrix(text: pd.Series, width: int) -> np.ndarray:
    """Values of exactly ``width`` ASCII characters as an (n, width) array of byte codes.

    Reads Arrow's character buffer directly: no Python string per value. The caller
    guarantees the width and ASCII (e.g. by a full-match regex of ASCII classes).
    """
    if text.empty:
        return np.zeros((0, width), dtype=np.uint8)
    array = pa.array(text)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = array.cast(pa.large_string())
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[array.offset :]
    offsets = offsets[: len(text) + 1]
    if array.null_count or (np.diff(offsets) != width).any():
        raise ValueError(f"values are not all {width} ASCII characters long")
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)
    start, end = int(offsets[0]), int(offsets[-1])
    return data[start:end].reshape(-1, width)


def rewrite(text: pd.Series, pattern: str, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a slow per-value ``func`` only to the rows where ``pattern`` occurs.

    ``pattern`` must be a plain string that Arrow's regex engine runs (a fast,
    vectorised scan); most rows of real data do not contain it and stay as they are.
    """
    rows = text.str.contains(pattern, regex=True, na=False).to_numpy(dtype=bool)
    if not rows.any():
        return text
    positions = np.flatnonzero(rows)
    changed = func(text.iloc[positions])
    out = text.copy()
    out.iloc[positions] = changed.to_numpy()
    return out


_FULLWIDTH_CLASS = _char_class(FULLWIDTH_TABLE)
_PUNCT_CLASS = _char_class(PUNCT_TABLE)


def halfwidth(text: pd.Series, punctuation: bool = False) -> pd.Series:
    """Fold full-width ASCII forms and U+3000 to ASCII (and CJK punctuation if asked)."""
    table = PUNCT_TABLE if punctuation else FULLWIDTH_TABLE
    chars = _PUNCT_CLASS if punctuation else _FULLWIDTH_CLASS
    rows = text.str.contains(chars, regex=True, na=False).astype(bool)  # a fast Arrow scan
    if not rows.any():
        return text
    return text.mask(rows, text.where(rows).str.translate(table))


def preview(text: pd.Series, width: int = 40) -> pd.Series:
    """Shorten values for use inside a reason message."""
    short = text.str.slice(0, width)
    return short.where(text.str.len() <= width, short + "…")


def empty_mask(index: pd.Index) -> pd.Series:
    """A failed mask with no failures."""
    return pd.Series(False, index=index, dtype=bool)


def checked(values: pd.Series, failed: pd.Series, reason: str | pd.Series) -> OpResult:
    """Build an OpResult; a per-row reason is kept only on failed rows."""
    failed = failed.fillna(False).astype(bool)
    if isinstance(reason, pd.Series):
        reason = reason.astype(STR_DTYPE).where(failed)
    return OpResult(values=values, failed=failed, reason=reason)


def _take(series: pd.Series, codes: np.ndarray, like: pd.Series) -> pd.Series:
    """Spread per-unique results back to the rows (code -1 gives NaN)."""
    array = series.astype(STR_DTYPE).array
    return pd.Series(array.take(codes, allow_fill=True), index=like.index, name=like.name)


def by_unique(text: pd.Series, func: Callable[[pd.Series], OpResult]) -> OpResult:
    """Run ``func`` on the distinct non-null values and map the result back to the rows."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    result = func(pd.Series(uniques, dtype=STR_DTYPE))
    values = _take(result.values, codes, text)
    if result.failed is None:
        return OpResult(values=values)
    failed_unique = result.failed.to_numpy(dtype=bool)
    failed = pd.Series(np.append(failed_unique, False)[codes], index=text.index)
    reason = result.reason
    if isinstance(reason, pd.Series):
        reason = _take(reason, codes, text)
    return OpResult(values=values, failed=failed, reason=reason)


ValueFunc = Callable[[str], tuple[str | None, str | None]]
"""Per-value worker: returns (new value, None) or (anything, reason it failed)."""


def _run_each(uniques: pd.Series, func: ValueFunc) -> OpResult:
    """Call ``func`` on each value; failed values keep their text."""
    outputs: list[str | None] = []
    reasons: list[str | None] = []
    for value in uniques.tolist():
        try:
            output, reason = func(value)
        except Exception as exc:  # a library choking on odd input must not end the run
            output, reason = value, f"could not be processed ({type(exc).__name__})"
        outputs.append(value if reason else output)
        reasons.append(reason)
    reason_series = pd.Series(reasons, dtype=STR_DTYPE)
    return OpResult(
        values=pd.Series(outputs, dtype=STR_DTYPE),
        failed=reason_series.notna(),
        reason=reason_series,
    )


def apply_unique(text: pd.Series, func: ValueFunc) -> OpResult:
    """Apply a per-value function over the unique values of a text column."""
    result = by_unique(text, lambda uniques: _run_each(uniques, func))
    failed = result.failed if result.failed is not None else empty_mask(text.index)
    reason = result.reason if result.reason is not None else ""
    return checked(result.values, failed, reason)


def keep_failed_input(result: OpResult, original: pd.Series) -> OpResult:
    """Put the original text back on failed rows (the op may have pre-normalised it)."""
    if result.failed is None:
        return result
    values = result.values.where(~result.failed, original)
    return OpResult(values=values, failed=result.failed, reason=result.reason)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a rule-file regex (Python syntax), raising ValueError with a clear message."""
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
