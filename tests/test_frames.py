"""An empty frame "like" another keeps its columns and dtypes but none of its data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from migrate.frames import empty_like


def test_empty_like_has_the_columns_and_dtypes_and_shares_nothing() -> None:
    frame = pd.DataFrame(
        {
            "n": np.arange(1_000, dtype=np.int64),
            "s": pd.array([f"v{i}" for i in range(1_000)], dtype="str"),
            "d": pd.to_datetime(["2024-01-01"] * 1_000).astype("datetime64[us]"),
        },
        index=pd.Index(np.arange(5, 1_005)),
    )
    empty = empty_like(frame)
    assert len(empty) == 0
    assert list(empty.columns) == list(frame.columns)
    assert list(empty.dtypes) == list(frame.dtypes)
    assert empty.index.dtype == frame.index.dtype
    assert not np.shares_memory(empty["n"].to_numpy(), frame["n"].to_numpy())
    view = frame.iloc[:0]["s"].array._pa_array.get_total_buffer_size()
    held = empty["s"].array._pa_array.get_total_buffer_size()
    assert held < 64 < view  # a view of no rows still holds the 1,000 values; this holds none
