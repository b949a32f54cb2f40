"""Quality counts added up over chunks equal the counts of the whole table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migrate.report.quality import field_counts
from migrate.stream import counts
from migrate.stream.counts import FieldCounter


def _frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    values = rng.integers(0, rows // 2, rows).astype(str)
    text = pd.Series(values, dtype="str").where(rng.random(rows) > 0.1, None)
    blanks = text.where(rng.random(rows) > 0.05, "  ")
    return pd.DataFrame(
        {
            "code": blanks,
            "padded": " " + text.fillna("") + " ",
            "number": pd.array(rng.integers(0, 50, rows), dtype="Int64"),
        }
    )


@pytest.mark.parametrize("size", [1, 13, 1_000])
def test_counts_over_chunks_equal_the_whole_tables(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(counts, "_MERGE_AT_LEAST", 16)  # merge often, as a large table would
    frame = _frame(3_000)
    counter = FieldCounter(["code", "padded", "number", "absent"])
    for start in range(0, len(frame), size):
        counter.add(frame.iloc[start : start + size])
    assert counter.counts() == field_counts(frame, ["code", "padded", "number", "absent"])
