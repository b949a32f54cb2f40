"""Ops over several fields: ``split`` one field into several, ``join`` several into one.

A split step names one field and lists the fields to fill under ``into``; the field
itself stays as it is. A join step names the fields to join, in order, and the one
field to write under ``into``. Parts are trimmed, and missing or blank parts are
left out of a join, so ``street + "" + city`` never gives a doubled separator.
"""

from __future__ import annotations

import re

import pandas as pd
import pydantic

from migrate.ops._common import STR_DTYPE, compile_pattern, empty_mask, preview, to_text
from migrate.ops.registry import OpParams, OpResult, register_op


class SplitParams(OpParams):
    """How to cut the field: at a ``separator`` or by a regex ``pattern``.

    separator: text between the parts; the last field keeps whatever is left after
    the others are filled ("a,b,c" into two fields gives "a" and "b,c").
    pattern: a regex with one capturing group per ``into`` field; rows it does not
    match fail. strip: trim every part. require_all: fail rows with fewer parts
    than fields (separator only).
    """

    separator: str | None = pydantic.Field(default=None, min_length=1)
    pattern: str | None = None
    strip: bool = True
    require_all: bool = False

    @pydantic.model_validator(mode="after")
    def _one_way(self) -> SplitParams:
        if (self.separator is None) == (self.pattern is None):
            raise ValueError("give exactly one of 'separator' or 'pattern'")
        if self.pattern is not None:
            compile_pattern(self.pattern)
        return self

    def step_problem(self, fields: list[str], into: list[str]) -> str | None:
        """A pattern needs exactly one group per ``into`` field."""
        if self.pattern is None:
            return None
        groups = re.compile(self.pattern).groups
        if groups != len(into):
            return f"the pattern has {groups} groups but 'into' lists {len(into)} fields"
        return None


def _tidy(part: pd.Series, strip: bool) -> pd.Series:
    """A part as str dtype, trimmed if asked; empty parts become missing."""
    part = part.astype(STR_DTYPE)
    if strip:
        part = part.str.strip()
    return part.where(part != "")


def _by_separator(text: pd.Series, params: SplitParams, outputs: int) -> OpResult:
    assert params.separator is not None
    pieces = text.str.split(params.separator, n=outputs - 1, regex=False)
    parts = tuple(_tidy(pieces.str[i], params.strip) for i in range(outputs))
    if not params.require_all:
        return OpResult(values=text, failed=empty_mask(text.index), parts=parts)
    separators = text.str.count(re.escape(params.separator)).fillna(0).astype(int)
    found = (separators + 1).clip(upper=outputs)
    short = (text.notna() & (found < outputs)).astype(bool)
    reason = "has " + found.astype(STR_DTYPE) + f" parts, {outputs} expected"
    return OpResult(values=text, failed=short, reason=reason.where(short), parts=parts)


def _by_pattern(text: pd.Series, params: SplitParams, outputs: int) -> OpResult:
    assert params.pattern is not None
    pattern = re.compile(params.pattern)
    groups = text.str.extract(pattern, expand=True)
    # count() rather than contains(), which warns on groups; a compiled pattern runs with
    # Python's re, as extract() does (Arrow's regex engine lacks some of its syntax)
    hit = (text.str.count(pattern).fillna(0) > 0).astype(bool)  # type: ignore[arg-type]
    parts = tuple(_tidy(groups.iloc[:, i], params.strip).where(hit) for i in range(outputs))
    failed = (text.notna() & ~hit).astype(bool)
    reason = "'" + preview(text) + f"' does not match the pattern {params.pattern}"
    return OpResult(values=text, failed=failed, reason=reason.where(failed), parts=parts)


@register_op("split", params=SplitParams, can_fail=True, shape="split")
def split(values: pd.Series, params: SplitParams, frame: pd.DataFrame, outputs: int) -> OpResult:
    """Split one field into several: at a separator, or by the groups of a regex."""
    original = to_text(values)
    blank = (original.str.strip() == "").fillna(False).astype(bool)
    text = original.where(~blank)
    if params.pattern is not None:
        result = _by_pattern(text, params, outputs)
    else:
        result = _by_separator(text, params, outputs)
    return OpResult(original, result.failed, result.reason, result.parts)


class JoinParams(OpParams):
    """separator: text put between the parts; strip: trim every part first;
    skip_blank: leave missing and blank parts out (else they count as empty text)."""

    separator: str = " "
    strip: bool = True
    skip_blank: bool = True


def _glue(left: pd.Series, right: pd.Series, separator: str) -> pd.Series:
    """``left + separator + right``, or whichever one is there when the other is missing."""
    both = left + separator + right
    return both.where(left.notna() & right.notna(), left.fillna(right))


@register_op("join", params=JoinParams, shape="join")
def join(columns: pd.DataFrame, params: JoinParams, frame: pd.DataFrame) -> OpResult:
    """Join several fields into one, in the order listed, with a separator between them."""
    parts = [to_text(columns.iloc[:, i]) for i in range(columns.shape[1])]
    if params.strip:
        parts = [part.str.strip() for part in parts]
    present = [part.notna() & (part != "") for part in parts]
    if params.skip_blank:
        parts = [part.where(mask) for part, mask in zip(parts, present, strict=True)]
    else:
        parts = [part.fillna("") for part in parts]
    joined = parts[0]
    for part in parts[1:]:
        joined = _glue(joined, part, params.separator)
    anything = pd.concat(present, axis=1).any(axis=1) if present else empty_mask(columns.index)
    joined = joined.where(anything.to_numpy(dtype=bool))
    return OpResult(values=pd.Series(joined.array, index=columns.index, dtype=STR_DTYPE))
