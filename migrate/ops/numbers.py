"""Number parsing: amounts written with currency symbols, thousands separators, decimal commas.

The result is the number as a plain decimal string (``-1250.5``), which the validator casts
to the target type; leading zeros and trailing fractional zeros are dropped.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migrate.ops._common import STR_DTYPE, by_unique, halfwidth, to_text
from migrate.ops.registry import OpParams, OpResult, register_op

# The patterns are strings, not compiled: pandas then runs them with Arrow's RE2 kernels
# (it falls back to ``re`` where the two would differ). Hence the spelled-out classes
# where ``(?i)`` and ``\s`` would send every value through Python's ``re``.
_WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())  # re's \s
_FOLDS = {"k": "\u212a", "s": "\u017f"}  # the Kelvin sign and long s match k, s under (?i)
_CURRENCY = "|".join(
    [
        "".join(f"[{c}{c.upper()}{_FOLDS.get(c, '')}]" for c in code)
        for code in ("rmb", "cny", "usd", "eur", "hkd", "gbp", "jpy")
    ]
    + ["[¥￥$€£元]"]
)
_SPACING = f"[{_WHITESPACE}']+"
# Arrow's extract gives "" for an optional group that took no part, so every optional
# part is a group that may match empty; ``_extract`` turns those "" back into NA.
_NUMBER = (
    r"^(?P<open>\(?)(?P<sign>[-+]?)(?P<body>[0-9.,]+)"
    r"(?P<exp>(?:[eE][-+]?[0-9]+)?)(?P<trail>-?)(?P<close>\)?)$"
)
_NUMBER_OPTIONAL = ("open", "sign", "exp", "trail", "close")
# Already plain numbers, per decimal mode (with "," a dot would be a thousands separator);
# with "." or "auto" also digits grouped by commas in threes ("4,291.23").
_PLAIN = {
    ".": r"-?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?",
    "auto": r"-?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?",
    ",": r"-?[0-9]+",
}
MAX_EXPONENT = 100  # decimal places: far beyond the 38 digits of the widest SQL decimal
_UNCLEAR = "unclear number format (check thousands/decimal separators)"
_INT_GROUPS = {
    "": r"[0-9]*",
    ".": r"[0-9]{1,3}(?:\.[0-9]{2,3})*\.[0-9]{3}|[0-9]*",
    ",": r"[0-9]{1,3}(?:,[0-9]{2,3})*,[0-9]{3}|[0-9]*",
}


class DecimalParams(OpParams):
    """decimal: the decimal separator, "." or ",", or "auto" to decide per value."""

    decimal: Literal[".", ",", "auto"] = "auto"


def _extract(text: pd.Series, pattern: str, optional: tuple[str, ...] = ()) -> pd.DataFrame:
    """``text.str.extract(pattern)`` for a pattern of named groups, run by Arrow (pandas
    would run it with Python's ``re``, one value at a time): a column per group, NA where
    the pattern does not match; the ``optional`` groups are also NA where they matched "".
    """
    found = pc.extract_regex(pa.array(text, type=pa.large_string()), pattern)
    columns = {}
    for name in re.compile(pattern).groupindex:
        column = pd.Series(pd.array(pc.struct_field(found, name), dtype=STR_DTYPE), text.index)
        columns[name] = column.where(column != "") if name in optional else column
    return pd.DataFrame(columns, index=text.index)


def _decimal_mark(body: pd.Series, mode: str) -> pd.Series:
    """Which separator in each body is the decimal mark ("" for none)."""
    dots = body.str.count(r"\.")
    commas = body.str.count(",")
    last = _extract(body, r"(?P<mark>[.,])[0-9]*$")["mark"]
    tail = _extract(body, r"[.,](?P<tail>[0-9]*)$")["tail"].str.len()
    if mode == ".":
        dot_mark = dots == 1
        comma_mark = pd.Series(False, index=body.index)
    elif mode == ",":
        dot_mark = pd.Series(False, index=body.index)
        comma_mark = commas == 1
    else:
        dot_mark = (last == ".") & (dots == 1)
        comma_mark = (last == ",") & (commas == 1) & tail.isin([1, 2])
    marks = np.select([dot_mark.to_numpy(bool), comma_mark.to_numpy(bool)], [".", ","], "")
    return pd.Series(marks, index=body.index, dtype=STR_DTYPE)


def _split(body: pd.Series, mark: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split bodies into integer part and fraction at the decimal mark."""
    whole, fraction = body.copy(), pd.Series("", index=body.index, dtype=STR_DTYPE)
    for char in ".,":
        rows = mark == char
        if rows.any():
            parts = _extract(body[rows], rf"^(?P<i>[0-9.,]*){re.escape(char)}(?P<f>[0-9]*)$")
            whole[rows], fraction[rows] = parts["i"], parts["f"]
    return whole, fraction


def _thousands(whole: pd.Series, mark: pd.Series) -> pd.Series:
    """The thousands separator each integer part uses ("" for none, NaN if mixed)."""
    has_dot = whole.str.contains(".", regex=False)
    has_comma = whole.str.contains(",", regex=False)
    sep = np.select(
        [(has_dot & has_comma).to_numpy(bool), has_dot.to_numpy(bool), has_comma.to_numpy(bool)],
        ["?", ".", ","],
        "",
    )
    result = pd.Series(sep, index=whole.index, dtype=STR_DTYPE)
    return result.where((result != "?") & ((result == "") | (result != mark)))


def _canonical(whole: pd.Series, fraction: pd.Series, negative: pd.Series) -> pd.Series:
    """Assemble a plain decimal string without redundant zeros."""
    digits = whole.str.replace(r"[.,]", "", regex=True).str.lstrip("0")
    digits = digits.where(digits != "", "0")
    fraction = fraction.fillna("").str.rstrip("0")
    number = digits + ("." + fraction).where(fraction != "", "")
    return number.where(~negative | (number == "0"), "-" + number)


def _with_exponent(number: str) -> str | None:
    """Expand scientific notation (from float cells) into a plain decimal string; None
    when it is not a number or its exponent is out of any target type's reach (written
    out, ``1e999999999`` would be a gigabyte of zeros)."""
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value.adjusted()) > MAX_EXPONENT:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _parse_unique(text: pd.Series, mode: str) -> OpResult:
    """Parse distinct texts into plain decimal strings.

    Texts that already are plain numbers (digits, an optional minus, a dot as the
    decimal mark where the mode allows one) only lose redundant zeros; the rest
    go through the full parse.
    """
    plain = text.str.fullmatch(_PLAIN[mode]).fillna(False).to_numpy(dtype=bool)
    if not plain.any():
        return _parse_general(text, mode)
    simple = _plain_number(text[plain])
    if plain.all():
        none = pd.Series(pd.NA, index=text.index, dtype=STR_DTYPE)
        return OpResult(values=simple, failed=pd.Series(False, index=text.index), reason=none)
    rest = _parse_general(text[~plain], mode)
    values = pd.concat([simple, rest.values]).reindex(text.index)
    failed = pd.concat([pd.Series(False, index=simple.index), rest.failed]).reindex(text.index)
    reason = rest.reason if isinstance(rest.reason, pd.Series) else None
    reason = reason.reindex(text.index) if reason is not None else None
    return OpResult(values=values, failed=failed.astype(bool), reason=reason)


def _plain_number(text: pd.Series) -> pd.Series:
    """Plain numbers without leading integer zeros or trailing fractional zeros."""
    negative = text.str.startswith("-").astype(bool)
    parts = text.str.lstrip("-").str.replace(",", "", regex=False).str.partition(".")
    return _canonical(parts[0], parts[2], negative)


def _parse_general(text: pd.Series, mode: str) -> OpResult:
    """Parse distinct texts of any supported form into plain decimal strings."""
    clean = halfwidth(text, punctuation=True).str.replace(_CURRENCY, "", regex=True)
    clean = clean.str.replace(_SPACING, "", regex=True)
    parts = _extract(clean, _NUMBER, optional=_NUMBER_OPTIONAL)
    balanced = parts["open"].isna() == parts["close"].isna()
    has_digit = parts["body"].str.contains("[0-9]", regex=True, na=False).astype(bool)
    matched = has_digit & balanced & ~(parts["sign"].notna() & parts["trail"].notna())
    body = parts["body"].where(matched, "0")
    negative = (parts["sign"] == "-") | parts["trail"].notna() | parts["open"].notna()
    mark = _decimal_mark(body, mode)
    whole, fraction = _split(body, mark)
    sep = _thousands(whole, mark)
    grouped = pd.Series(False, index=text.index)
    for char, pattern in _INT_GROUPS.items():
        rows = sep == char
        grouped[rows] = whole[rows].str.fullmatch(pattern).fillna(False).astype(bool)
    ok = matched & grouped & fraction.str.fullmatch(r"[0-9]*").fillna(False).astype(bool)
    number = _canonical(whole, fraction, negative.fillna(False).astype(bool))
    exp = parts["exp"].notna() & ok & (mark != ",")
    if exp.any():
        expanded = (number[exp] + parts["exp"][exp]).map(_with_exponent)
        number[exp] = expanded
        ok &= number.notna()
    blank = clean.fillna("") == ""
    failed = (~ok & ~blank).astype(bool)
    reason = pd.Series("not a number", index=text.index, dtype=STR_DTYPE)
    reason = reason.mask(matched & ~ok, _UNCLEAR)
    values = number.where(ok, text).where(~blank)
    return OpResult(values=values, failed=failed, reason=reason.where(failed))


@register_op("parse_decimal", params=DecimalParams, can_fail=True)
def parse_decimal(values: pd.Series, params: DecimalParams, frame: pd.DataFrame) -> OpResult:
    """Parse amounts like ¥1,250.50, 1.250,5 or (12)- into a plain decimal string."""
    return by_unique(to_text(values), lambda text: _parse_unique(text, params.decimal))
