"""Candidate keys: exact uniqueness, usable keys first, pairs when no column is enough."""

from __future__ import annotations

import pandas as pd

from migrate.profile.arrow import text_array
from migrate.profile.columns import profile_column
from migrate.profile.keys import candidate_keys
from migrate.profile.model import KeyCandidate


def _keys(frame: pd.DataFrame) -> list[KeyCandidate]:
    frame = frame.astype("str").where(frame.notna())
    columns = tuple(profile_column(str(c), text_array(frame[c])) for c in frame.columns)
    return candidate_keys(frame, columns)


def test_a_unique_filled_column_is_the_usable_key() -> None:
    frame = pd.DataFrame(
        {
            "name": [f"n{i % 95}" for i in range(100)],
            "id": [f"K{i:03d}" for i in range(100)],
            "mail": [None] + [f"m{i}" for i in range(1, 100)],
        }
    )
    keys = _keys(frame)
    assert keys[0].columns == ("id",) and keys[0].usable
    mail = next(k for k in keys if k.columns == ("mail",))
    assert (mail.usable, mail.null_rows, mail.duplicates) == (False, 1, 0)
    name = next(k for k in keys if k.columns == ("name",))
    assert (name.duplicates, name.uniqueness) == (5, 0.95)


def test_a_pair_is_tried_when_no_column_is_unique() -> None:
    frame = pd.DataFrame(
        {"order": [str(i // 3) for i in range(90)], "line": [str(i % 3) for i in range(90)]}
    )
    keys = _keys(frame)
    assert keys[0].columns == ("order", "line")
    assert keys[0].usable and keys[0].distinct == 90


def test_no_candidate_when_nothing_is_unique_enough() -> None:
    frame = pd.DataFrame({"flag": ["Y", "N"] * 10, "code": ["A", "B", "C", "D"] * 5})
    assert _keys(frame) == []
