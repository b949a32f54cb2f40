"""Duplicates: exact repeats counted, near-duplicates estimated close to the seeded truth."""

from __future__ import annotations

import pandas as pd

from migrate.profile.arrow import text_array
from migrate.profile.columns import profile_column
from migrate.profile.duplicates import estimate_duplicates
from migrate.profile.keys import candidate_keys
from migrate.profile.model import Duplicates
from tests.profile.employees import employees


def _estimate(frame: pd.DataFrame) -> Duplicates:
    frame = frame.astype("str").where(frame.notna())
    columns = tuple(profile_column(str(c), text_array(frame[c])) for c in frame.columns)
    key = next(k for k in candidate_keys(frame, columns) if k.usable)
    found = estimate_duplicates(frame, columns, key)
    assert found is not None
    return found


def test_near_duplicates_of_every_record_are_found_when_all_are_sampled() -> None:
    frame, truth = employees(600, duplicates=0.1)
    found = _estimate(frame)
    assert found.sampled_records == truth.rows
    assert found.share_low == found.share_high == found.near_duplicate_share
    assert abs(found.estimated_records - truth.near_duplicate_records) <= 0.1 * truth.rows * 0.2
    assert found.examples and all(e.first.startswith("E") for e in found.examples)
    assert "工号" not in found.compared


def test_a_sample_gives_an_interval_that_holds_the_truth() -> None:
    frame, truth = employees(4000, duplicates=0.05, seed=3)
    found = _estimate(frame)
    share = truth.near_duplicate_records / truth.rows
    assert found.sampled_records < truth.rows
    assert found.share_low <= share <= found.share_high


def test_exact_duplicates_ignore_the_key() -> None:
    frame, _ = employees(200, duplicates=0.0)
    copy = frame.iloc[:3].copy()
    copy["工号"] = ["X1", "X2", "X3"]
    found = _estimate(pd.concat([frame, copy], ignore_index=True))
    assert found.exact_duplicate_rows == 3
