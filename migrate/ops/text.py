"""Generic text ops: whitespace, case, control characters, full-width forms, regexes, padding."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pydantic

from migrate.ops._common import (
    SPACES,
    STR_DTYPE,
    char_class,
    checked,
    compile_pattern,
    empty_mask,
    halfwidth,
    is_blank,
    rewrite,
    to_text,
)
from migrate.ops.registry import OpParams, OpResult, register_op

_CONTROL_CHARS = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
_ZERO_WIDTH = [0x200B, 0x200C, 0x200D, 0xFEFF, 0x2060]
_REMOVE_TABLE: dict[int, str | None] = dict.fromkeys([*_CONTROL_CHARS, *_ZERO_WIDTH])
_REMOVE_CLASS = char_class("".join(map(chr, _REMOVE_TABLE)))
_LINE_BREAKS = re.compile(r"[\t\n\r]+")
_WHITESPACE = re.compile(r"\s+")
# Whitespace that collapsing changes: anything but a single plain space.
_IRREGULAR_SPACE = char_class(SPACES.replace(" ", "")) + "|  "


@register_op("trim")
def trim(values: pd.Series, params: OpParams, frame: pd.DataFrame) -> OpResult:
    """Remove leading and trailing whitespace, including U+3000 and no-break spaces."""
    return OpResult(to_text(values).str.strip())


@register_op("collapse_whitespace")
def collapse_whitespace(values: pd.Series, params: OpParams, frame: pd.DataFrame) -> OpResult:
    """Turn every run of whitespace (tabs, newlines, U+3000) into one space and trim."""
    text = rewrite(
        to_text(values),
        _IRREGULAR_SPACE,
        lambda rows: rows.str.replace(_WHITESPACE, " ", regex=True),
    )
    return OpResult(text.str.strip())


@register_op("upper")
def upper(values: pd.Series, params: OpParams, frame: pd.DataFrame) -> OpResult:
    """Convert letters to upper case (Unicode-aware; CJK unchanged)."""
    return OpResult(to_text(values).str.upper())


@register_op("lower")
def lower(values: pd.Series, params: OpParams, frame: pd.DataFrame) -> OpResult:
    """Convert letters to lower case (Unicode-aware; CJK unchanged)."""
    return OpResult(to_text(values).str.lower())


class RemoveControlParams(OpParams):
    """keep_newlines: keep tab/CR/LF as they are instead of turning them into a space."""

    keep_newlines: bool = False


@register_op("remove_control", params=RemoveControlParams)
def remove_control(values: pd.Series, params: RemoveControlParams, frame: pd.DataFrame) -> OpResult:
    """Drop control characters and zero-width characters; tabs/newlines become a space."""
    text = to_text(values)
    if not params.keep_newlines:
        text = rewrite(
            text, "[\t\n\r]", lambda rows: rows.str.replace(_LINE_BREAKS, " ", regex=True)
        )
    return OpResult(rewrite(text, _REMOVE_CLASS, lambda rows: rows.str.translate(_REMOVE_TABLE)))


class FullwidthParams(OpParams):
    """punctuation: also map CJK punctuation such as ，。、（）【】：； to ASCII."""

    punctuation: bool = False


@register_op("fullwidth_to_halfwidth", params=FullwidthParams)
def fullwidth_to_halfwidth(
    values: pd.Series, params: FullwidthParams, frame: pd.DataFrame
) -> OpResult:
    """Map full-width letters, digits and symbols (U+FF01-U+FF5E) and U+3000 to ASCII."""
    return OpResult(halfwidth(to_text(values), punctuation=params.punctuation))


class RegexReplaceParams(OpParams):
    """pattern: Python regex; replacement: text, may use \\1 or \\g<name>."""

    pattern: str
    replacement: str = ""

    @pydantic.model_validator(mode="after")
    def _check(self) -> RegexReplaceParams:
        compiled = compile_pattern(self.pattern)
        try:  # Python parses the template up front: bad group references fail here
            compiled.sub(self.replacement, "")
        except (re.error, IndexError) as exc:
            raise ValueError(f"invalid replacement {self.replacement!r}: {exc}") from None
        return self


@register_op("regex_replace", params=RegexReplaceParams)
def regex_replace(values: pd.Series, params: RegexReplaceParams, frame: pd.DataFrame) -> OpResult:
    """Replace every match of a regular expression."""
    pattern = re.compile(params.pattern)
    return OpResult(to_text(values).str.replace(pattern, params.replacement, regex=True))


class RegexExtractParams(OpParams):
    """pattern: Python regex with exactly one group; required: fail rows without a match."""

    pattern: str
    required: bool = False

    @pydantic.field_validator("pattern")
    @classmethod
    def _one_group(cls, pattern: str) -> str:
        if compile_pattern(pattern).groups != 1:
            raise ValueError("the pattern must have exactly one capturing group")
        return pattern


@register_op("regex_extract", params=RegexExtractParams, can_fail=True)
def regex_extract(values: pd.Series, params: RegexExtractParams, frame: pd.DataFrame) -> OpResult:
    """Keep the part captured by the pattern's group; no match gives null (or fails if required)."""
    text = to_text(values)
    extracted = text.str.extract(re.compile(params.pattern), expand=False).astype(STR_DTYPE)
    no_match = text.notna() & extracted.isna()
    if not params.required:
        return checked(extracted, empty_mask(text.index), "")
    reason = f"no match for pattern {params.pattern}"
    return checked(extracted.where(~no_match, text), no_match, reason)


class WidthParams(OpParams):
    """width: the minimum length after padding."""

    width: int = pydantic.Field(ge=1, le=1000)


@register_op("pad_zeros", params=WidthParams)
def pad_zeros(values: pd.Series, params: WidthParams, frame: pd.DataFrame) -> OpResult:
    """Left-pad with zeros to the given width (longer and empty values unchanged; trim first)."""
    text = to_text(values)
    padded = text.str.pad(params.width, side="left", fillchar="0")
    return OpResult(padded.where(text != "", text))


@register_op("strip_zeros")
def strip_zeros(values: pd.Series, params: OpParams, frame: pd.DataFrame) -> OpResult:
    """Remove leading zeros, keeping a single 0 for an all-zero value."""
    text = to_text(values)
    stripped = text.str.lstrip("0")
    return OpResult(stripped.where((stripped != "") | (text == ""), "0"))


class LengthParams(OpParams):
    """length: the maximum number of characters."""

    length: int = pydantic.Field(ge=0)


@register_op("truncate", params=LengthParams, can_fail=True)
def truncate(values: pd.Series, params: LengthParams, frame: pd.DataFrame) -> OpResult:
    """Cut values to at most ``length`` characters; rows that were cut are reported."""
    text = to_text(values)
    lengths = text.str.len()
    cut = (lengths > params.length).fillna(False).astype(bool)
    reason = (
        "cut from " + lengths.astype("Int64").astype(STR_DTYPE) + f" to {params.length} characters"
    )
    return checked(text.str.slice(0, params.length), cut, reason)


class DefaultParams(OpParams):
    """value: what to put into empty cells."""

    value: str | int | float | bool

    @pydantic.field_validator("value", mode="after")
    @classmethod
    def _as_text(cls, value: Any) -> str:
        return str(value).lower() if isinstance(value, bool) else str(value)


@register_op("default", params=DefaultParams)
def default(values: pd.Series, params: DefaultParams, frame: pd.DataFrame) -> OpResult:
    """Fill missing or blank (whitespace-only) cells with a fixed value."""
    text = to_text(values)
    return OpResult(text.where(~is_blank(text), str(params.value)))
