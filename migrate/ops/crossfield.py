"""Cross-field checks: a value compared with another field of the same row."""

from __future__ import annotations

import pandas as pd

from migrate.ops._common import checked, preview, to_text
from migrate.ops.registry import OpParams, OpResult, register_op


class OtherFieldParams(OpParams):
    """other: the field of the same row to compare with."""

    other: str
    message: str | None = None


@register_op("date_not_before", params=OtherFieldParams, can_fail=True)
def date_not_before(values: pd.Series, params: OtherFieldParams, frame: pd.DataFrame) -> OpResult:
    """Fail rows whose date lies before the date in field ``other`` (ISO dates; blanks pass)."""
    mine = pd.to_datetime(to_text(values), format="%Y-%m-%d", errors="coerce")
    other_text = to_text(frame[params.other])
    theirs = pd.to_datetime(other_text, format="%Y-%m-%d", errors="coerce")
    failed = (mine < theirs).fillna(False).astype(bool)
    reason = (
        "'" + preview(to_text(values)) + f"' is before {params.other} '" + preview(other_text) + "'"
    )
    return checked(values, failed, params.message or reason)
