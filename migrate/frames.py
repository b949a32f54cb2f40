"""Small pandas helpers shared across stages."""

from __future__ import annotations

import pandas as pd


def empty_like(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame without rows with the columns, dtypes and index type of ``frame``, sharing no data.

    ``frame.iloc[:0]`` is a view: it keeps every column of ``frame`` alive, which
    for a chunk kept "for its columns" means keeping the whole chunk.
    """
    columns = {number: pd.Series([], dtype=dtype) for number, dtype in enumerate(frame.dtypes)}
    empty = pd.DataFrame(columns, index=frame.index[:0].copy(deep=True))
    empty.columns = frame.columns.copy()
    return empty
