"""The clerical-review table: a pair whose names were compared crossed says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from migrate.matching.review import review_frame
from migrate.matching.scoring import comparison_labels
from migrate.spec.match import Comparison
from migrate.stages import match
from tests.matching.helpers import make_context, make_frame, make_object

FIELDS = ["first_name", "surname", "dob", "city"]
RECORDS: list[dict[str, Any]] = [
    {"first_name": "Anna", "surname": "Berg", "dob": "1970-01-02", "city": "Lund"},  # 0
    {"first_name": "Berg", "surname": "Anna", "dob": "1970-01-02", "city": "Malmo"},  # 1
    {"first_name": "Anna", "surname": "Berg", "dob": "1970-01-02", "city": "Kiruna"},  # 2
    {"first_name": None, "surname": "Anna", "dob": "1970-01-02", "city": "Umea"},  # 3
]
COMPARE = [
    Comparison(field="first_name", method="jaro_winkler", either_order_with="surname"),
    Comparison(field="surname", method="jaro_winkler"),
    Comparison(field="dob", method="exact"),
    Comparison(field="city", method="exact"),
]
CROSSED = "first_name and surname compared crossed"


def _pairs(pairs: list[tuple[int, int]], note: list[str] | None = None) -> pd.DataFrame:
    table: dict[str, Any] = {
        "rid_a": [a for a, _ in pairs],
        "rid_b": [b for _, b in pairs],
        "score": np.linspace(0.9, 0.8, len(pairs)),
        "passes": "dob",
        "same_cluster": False,
    }
    if note is not None:
        table["note"] = note
    for label in comparison_labels(COMPARE):
        table[f"{label}_sim"] = 1.0
        table[f"{label}_contrib"] = 0.25
    return pd.DataFrame(table)


def test_a_crossed_pair_is_noted_beside_any_other_note() -> None:
    frame = make_frame(RECORDS, FIELDS)
    labels = comparison_labels(COMPARE)
    table = review_frame(frame, _pairs([(0, 1), (0, 2), (0, 3)]), COMPARE, labels)
    assert table["note"].tolist() == [CROSSED, "", CROSSED]
    # the values stay in their own columns: the note tells why they differ
    assert table.loc[0, ["first_name_a", "first_name_b"]].tolist() == ["Anna", "Berg"]
    held = review_frame(frame, _pairs([(0, 1), (0, 2)], ["would re-key", ""]), COMPARE, labels)
    assert held["note"].tolist() == [f"would re-key; {CROSSED}", ""]


def test_no_pair_no_note() -> None:
    frame = make_frame(RECORDS, FIELDS)
    plain = [c.model_copy(update={"either_order_with": None}) for c in COMPARE]
    table = review_frame(frame, _pairs([(0, 1)]), plain, comparison_labels(plain))
    assert table["note"].tolist() == [""]
    empty = review_frame(frame, _pairs([]), COMPARE, comparison_labels(COMPARE))
    assert empty.empty and "note" in empty.columns


def test_the_review_file_shows_which_pairs_were_compared_crossed(tmp_path: Path) -> None:
    spec = {
        "blocking": [{"name": "dob", "key": [{"field": "dob"}]}],
        "compare": [c.model_dump(exclude_defaults=True) for c in COMPARE],
        "thresholds": {"auto_merge": 0.99, "review": 0.5},
    }
    frame = make_frame(RECORDS, FIELDS)
    match.run(frame, make_object(FIELDS, match=spec), make_context(tmp_path, frame))
    review = pd.read_csv(tmp_path / "review/customer_review.csv", dtype=str, keep_default_na=False)
    notes = dict(zip(review["pair_id"], review["note"], strict=True))
    assert notes["0-1"] == notes["1-2"] == CROSSED
    assert notes["0-2"] == "" and notes["0-3"] == CROSSED
    assert review.set_index("pair_id").loc["0-1", "first_name_sim"] == "1.0"
