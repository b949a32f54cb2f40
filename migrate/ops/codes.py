"""Code-standard ops: the material-code standard (prefix by category, zero-padded number).

With ``check_digit: gs1`` the code ends in a GS1 (EAN/GTIN) mod-10 check digit over the
zero-padded number: appended, or, where the legacy numbers already carry one
(``legacy_check_digit: true``), verified and kept.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import pydantic

from migrate.errors import SpecError
from migrate.ops._common import STR_DTYPE, ascii_matrix, checked, halfwidth, preview, to_text
from migrate.ops.registry import OpParams, OpResult, register_op

_LEGACY_CODE = r"^[A-Z]*[\s\-_./#:]*(?P<num>[0-9]+)$"


class MaterialCodeParams(OpParams):
    """Material-code standard: <prefix><separator><number zero-padded to digits>.

    category_field: column holding the category (e.g. material type) that picks the prefix;
    prefixes: category -> prefix (FERT: FG); default_prefix: prefix for other categories
    ("" for none); digits: width of the number; max_length: longest allowed code;
    check_digit: gs1 to end the code in a GS1 check digit; legacy_check_digit: the legacy
    number's last digit already is that check digit (verified, not recomputed).
    """

    category_field: str | None = None
    prefixes: dict[str, str] = pydantic.Field(default_factory=dict)
    default_prefix: str | None = None
    digits: int = pydantic.Field(default=6, ge=1, le=40)
    separator: str = "-"
    max_length: int = pydantic.Field(default=18, ge=1)
    uppercase: bool = True
    check_digit: Literal["gs1"] | None = None
    legacy_check_digit: bool = False

    @pydantic.model_validator(mode="after")
    def _check_digit_source(self) -> MaterialCodeParams:
        if self.legacy_check_digit and self.check_digit is None:
            raise ValueError("legacy_check_digit needs check_digit: gs1")
        return self

    @pydantic.model_validator(mode="after")
    def _prefix_source(self) -> MaterialCodeParams:
        if self.prefixes and self.category_field is None:
            raise ValueError("prefixes need category_field (the column holding the category)")
        if self.category_field is None and self.default_prefix is None:
            raise ValueError("set category_field with prefixes, or default_prefix ('' for none)")
        return self


def _prefixes(params: MaterialCodeParams, frame: pd.DataFrame, index: pd.Index) -> pd.Series:
    """The prefix for each row (NaN where the category has none)."""
    fallback = params.default_prefix
    if params.category_field is None:
        return pd.Series(fallback, index=index, dtype=STR_DTYPE)
    if params.category_field not in frame.columns:
        raise SpecError(
            "rules",
            "args.category_field",
            f"column {params.category_field!r} is not in the data",
            choices=[str(column) for column in frame.columns],
        )
    table = {key.strip().upper(): value for key, value in params.prefixes.items()}
    category = to_text(frame[params.category_field]).str.strip().str.upper()
    prefix = category.map(table).astype(STR_DTYPE)
    return prefix if fallback is None else prefix.fillna(fallback)


def _reasons(
    params: MaterialCodeParams,
    category: pd.Series | None,
    number: pd.Series,
    prefix: pd.Series,
    code: pd.Series,
) -> pd.Series:
    """Why each row fails, in priority order (NaN where it does not)."""
    reason = pd.Series(pd.NA, index=number.index, dtype=STR_DTYPE)
    over = f"' is longer than {params.max_length} characters"
    reason = reason.mask(code.str.len() > params.max_length, "code '" + preview(code) + over)
    if category is not None:
        missing = ("no prefix for category '" + preview(category) + "'").fillna("no category")
        reason = reason.mask(prefix.isna(), missing)
    too_long = number.str.len() > params.digits
    digits = "number " + preview(number) + f" has more than {params.digits} digits"
    reason = reason.mask(too_long, digits)
    return reason.mask(number.isna(), "no material number found")


def gs1_check_digits(numbers: pd.Series, width: int) -> pd.Series:
    """The GS1 mod-10 check digit of each digit string of at most ``width`` digits.

    Weights are 3 and 1 alternating from the rightmost digit, so leading zeros do not
    change the digit (EAN-8, EAN-13, GTIN-14 alike). Longer or missing values give NaN.
    """
    fits = (numbers.notna() & (numbers.str.len() <= width)).fillna(False).astype(bool)
    padded = numbers.where(fits, "").str.zfill(width).astype(STR_DTYPE)
    digits = ascii_matrix(padded, width).astype(np.int64) - 48
    weights = np.where(np.arange(width)[::-1] % 2 == 0, 3, 1)
    check = (10 - (digits * weights).sum(axis=1) % 10) % 10
    return pd.Series(check.astype(str), index=numbers.index, dtype=STR_DTYPE).where(fits)


def _without_zeros(number: pd.Series) -> pd.Series:
    stripped = number.str.lstrip("0")
    return stripped.where(stripped != "", "0")


def _check_digit(
    number: pd.Series, params: MaterialCodeParams
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(number without check digit or leading zeros, check digit to append, why it is wrong)."""
    empty = pd.Series("", index=number.index, dtype=STR_DTYPE)
    no_reason = pd.Series(pd.NA, index=number.index, dtype=STR_DTYPE)
    if params.check_digit is None:
        return _without_zeros(number), empty, no_reason
    if not params.legacy_check_digit:
        number = _without_zeros(number)
        return number, gs1_check_digits(number, params.digits).fillna(""), no_reason
    base = _without_zeros(number.str.slice(0, -1))
    given = number.str.slice(-1)
    expected = gs1_check_digits(base, params.digits)
    wrong = ("wrong GS1 check digit " + given + ", expected " + expected).where(
        expected.notna() & (given != expected)
    )
    wrong = wrong.mask(number.str.len() < 2, "no check digit after the material number")
    return base, given, wrong


@register_op("material_code", params=MaterialCodeParams, can_fail=True)
def material_code(values: pd.Series, params: MaterialCodeParams, frame: pd.DataFrame) -> OpResult:
    """Format legacy material numbers to the standard, e.g. mat-12 with FERT -> FG-000012."""
    original = to_text(values)
    text = halfwidth(original, punctuation=True).str.strip().str.upper()
    present = text.notna() & (text != "")
    number = text.str.extract(_LEGACY_CODE, expand=False)
    number, check, wrong_check = _check_digit(number, params)
    prefix = _prefixes(params, frame, values.index)
    glue = pd.Series(params.separator, index=values.index, dtype=STR_DTYPE)
    code = prefix + glue.where(prefix != "", "")
    code = code + number.str.zfill(params.digits) + check
    if params.uppercase:
        code = code.str.upper()
    category = None
    if params.category_field is not None:
        category = to_text(frame[params.category_field])
    reason = _reasons(params, category, number, prefix, code)
    reason = reason.where(reason.notna() | number.isna(), wrong_check).where(present)
    failed = reason.notna()
    return checked(code.where(~failed, original).where(present), failed, reason)
