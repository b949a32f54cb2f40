"""Masking personal values so that no report shows them in full.

A masked value keeps its first and last character and its length, so that a
data owner can still recognise the record (``1********8``); values of three
characters or fewer are masked completely. Masking a masked value changes
nothing, so values masked by a stage can safely pass through a report again.
"""

from __future__ import annotations

import re

import pandas as pd

MASK = "*"
_SHOWN_FROM = 4  # shortest value whose first and last characters are shown


def mask_value(value: object) -> object:
    """The masked text of ``value``; missing values stay missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return value
    text = str(value)
    if len(text) < _SHOWN_FROM:
        return MASK * len(text)
    return text[0] + MASK * (len(text) - 2) + text[-1]


def mask_series(values: pd.Series) -> pd.Series:
    """``values`` with every non-missing value masked (as text), index kept."""
    masked = [mask_value(value) for value in values.to_numpy(dtype=object)]
    return pd.Series(masked, index=values.index, dtype="object", name=values.name)


def mask_in_text(text: str, values: list[object]) -> str:
    """``text`` with every occurrence of each of ``values`` masked (longest first)."""
    shown = sorted({str(v) for v in values if v is not None and str(v)}, key=len, reverse=True)
    for value in shown:
        text = text.replace(value, str(mask_value(value)))
    return text


_QUOTED = re.compile(r"'([^']*)'")


def mask_reason(reason: str, value: object) -> str:
    """A finding's reason on a personal field: the value, and anything quoted, masked.

    Reasons quote the value they are about (``'0138 000' is not a phone number``),
    sometimes shortened, so quoted text is masked as well as the value itself.
    """
    text = mask_in_text(reason, [value])
    return _QUOTED.sub(lambda match: f"'{mask_value(match.group(1))}'", text)
