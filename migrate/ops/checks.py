"""Check ops: they leave values unchanged and only mark rows that fail.

Missing and blank values never fail a check (that is what ``not_blank`` or the
validator's ``required`` is for), except in ``not_blank`` itself. Every check
takes an optional ``message`` that replaces the generated reason.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pydantic

from migrate.ops._common import STR_DTYPE, checked, compile_pattern, is_blank, preview, to_text
from migrate.ops.registry import OpParams, OpResult, register_op


class CheckParams(OpParams):
    """message: business-readable reason to report instead of the generated one."""

    message: str | None = None


def _report(
    values: pd.Series, failed: pd.Series, reason: str | pd.Series, params: CheckParams
) -> OpResult:
    """Return the unchanged values with the failed mask and reason (or the custom message)."""
    return checked(values, failed, params.message if params.message else reason)


class DuplicateParams(CheckParams):
    """ignore_case: treat values differing only in letter case as duplicates."""

    ignore_case: bool = False


@register_op("flag_duplicates", params=DuplicateParams, can_fail=True)
def flag_duplicates(values: pd.Series, params: DuplicateParams, frame: pd.DataFrame) -> OpResult:
    """Flag rows whose (trimmed) value appears more than once in the column."""
    text = to_text(values).str.strip()
    key = text.str.casefold() if params.ignore_case else text
    codes, _ = pd.factorize(key.where(key != ""), use_na_sentinel=True)
    counts = np.bincount(codes[codes >= 0], minlength=1)
    row_counts = np.where(codes >= 0, counts[np.maximum(codes, 0)], 0)
    failed = pd.Series(row_counts > 1, index=values.index)
    times = pd.Series(row_counts, index=values.index).astype(STR_DTYPE)
    reason = "value '" + preview(text) + "' appears " + times + " times"
    return _report(values, failed, reason, params)


@register_op("not_blank", params=CheckParams, can_fail=True)
def not_blank(values: pd.Series, params: CheckParams, frame: pd.DataFrame) -> OpResult:
    """Fail rows that are missing, empty or only whitespace."""
    text = to_text(values)
    reason = pd.Series("value is blank", index=values.index, dtype=STR_DTYPE)
    reason = reason.mask(text.isna(), "value is missing")
    return _report(values, is_blank(text), reason, params)


class MatchesParams(CheckParams):
    """pattern: Python regex; full: the whole value must match (False: anywhere in it)."""

    pattern: str
    full: bool = True

    @pydantic.field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        compile_pattern(pattern)
        return pattern


@register_op("matches", params=MatchesParams, can_fail=True)
def matches(values: pd.Series, params: MatchesParams, frame: pd.DataFrame) -> OpResult:
    """Fail rows that do not match a regular expression."""
    text = to_text(values)
    pattern = re.compile(params.pattern)
    hit = text.str.fullmatch(pattern) if params.full else text.str.contains(pattern)
    failed = ~is_blank(text) & ~hit.fillna(False).astype(bool)
    return _report(values, failed, f"does not match the pattern {params.pattern}", params)


class InSetParams(CheckParams):
    """values: the allowed values; ignore_case: compare without letter case."""

    values: tuple[str, ...] = pydantic.Field(min_length=1)
    ignore_case: bool = False

    @pydantic.field_validator("values", mode="before")
    @classmethod
    def _as_text(cls, values: object) -> object:
        if not isinstance(values, list | tuple):
            return values
        if any(isinstance(value, bool) for value in values):
            raise ValueError("true/false in the list: quote yes/no/on/off values in YAML")
        return [str(value) if isinstance(value, int | float) else value for value in values]


@register_op("in_set", params=InSetParams, can_fail=True)
def in_set(values: pd.Series, params: InSetParams, frame: pd.DataFrame) -> OpResult:
    """Fail rows whose (trimmed) value is not one of the allowed values."""
    text = to_text(values).str.strip()
    allowed = [value.strip() for value in params.values]
    if params.ignore_case:
        text, allowed = text.str.casefold(), [value.casefold() for value in allowed]
    failed = ~is_blank(text) & ~text.isin(allowed)
    shown = ", ".join(params.values[:10]) + (", …" if len(params.values) > 10 else "")
    reason = "'" + preview(to_text(values).str.strip()) + f"' is not one of: {shown}"
    return _report(values, failed, reason, params)


class MaxLengthParams(CheckParams):
    """length: the maximum number of characters."""

    length: int = pydantic.Field(ge=0)


@register_op("max_length", params=MaxLengthParams, can_fail=True)
def max_length(values: pd.Series, params: MaxLengthParams, frame: pd.DataFrame) -> OpResult:
    """Fail rows longer than ``length`` characters (not cut; see truncate)."""
    lengths = to_text(values).str.len()
    failed = (lengths > params.length).fillna(False).astype(bool)
    counted = lengths.astype("Int64").astype(STR_DTYPE)
    reason = counted + f" characters, more than the maximum of {params.length}"
    return _report(values, failed, reason, params)
