"""Personal data in a profile: values of personal columns are shown masked.

Before a mapping says which fields are personal, the profile decides by shape:
a column whose values are mostly phone numbers or e-mail addresses is masked,
and so is every column named with ``--mask``. Masking keeps a value's first
and last character and its length (:func:`migrate.report.masking.mask_value`),
in top values and in the examples of suspicious content; patterns, counts and
lengths say nothing personal and stay as they are.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from migrate.profile.model import ColumnProfile, Count, Suspicious
from migrate.report.masking import mask_value

PERSONAL_SHAPES = ("phone", "email")
MOSTLY = 0.5


def looks_personal(column: ColumnProfile) -> bool:
    """Most of the column's values are phone numbers or e-mail addresses (not dates)."""
    shaped = max(column.shapes.get(shape, 0) for shape in PERSONAL_SHAPES)
    text = column.inferred_type == "string"
    return text and column.filled > 0 and shaped >= MOSTLY * column.filled


def masked(column: ColumnProfile) -> ColumnProfile:
    """The column with its values masked wherever the profile shows them."""
    return replace(
        column,
        top_values=tuple(Count(_mask(c.value), c.count) for c in column.top_values),
        suspicious=tuple(
            Suspicious(s.kind, s.label, s.count, tuple(map(_mask, s.examples)), s.sampled)
            for s in column.suspicious
        ),
        masked=True,
    )


def protect(columns: tuple[ColumnProfile, ...], mask: Collection[str]) -> tuple[ColumnProfile, ...]:
    """Every column named in ``mask`` or looking personal, masked."""
    return tuple(masked(c) if c.name in mask or looks_personal(c) else c for c in columns)


def _mask(value: str) -> str:
    return str(mask_value(value))
