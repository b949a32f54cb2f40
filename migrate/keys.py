"""Business keys: the text that identifies a record in the target."""

from __future__ import annotations

import pandas as pd


def business_key(frame: pd.DataFrame, fields: list[str]) -> pd.Series:
    """The business key of each row as text (several fields joined by "|")."""
    if len(fields) == 1:
        return frame[fields[0]].astype("str")
    parts = frame[fields].astype("str")
    # Joining column-wise keeps a Series even when the frame has no rows.
    joined = parts[fields[0]]
    for name in fields[1:]:
        joined = joined + "|" + parts[name]
    return joined
