"""The match stage's figures: the Fellegi-Sunter model warns when it saw too few non-matches."""

from __future__ import annotations

import numpy as np
import pandas as pd

from migrate.matching.engine import Constraints, match_frame
from migrate.matching.metrics import FEW_NON_MATCHES, match_metrics
from migrate.spec.match import MatchSpec


def _spec() -> MatchSpec:
    return MatchSpec.model_validate(
        {
            "blocking": [{"name": "city", "key": [{"field": "city"}]}],
            "compare": [{"field": "name"}, {"field": "phone", "method": "levenshtein"}],
            "thresholds": {"auto_merge": 0.5, "review": 0.3},
            "mode": "fellegi_sunter",
        }
    )


def _warnings(frame: pd.DataFrame) -> list[str]:
    outcome = match_frame(frame, _spec())
    rids = np.arange(len(frame))
    metrics = match_metrics(outcome, rids, frame, Constraints.none(), {})
    return [w for w in metrics["warnings"] if "Fellegi-Sunter" in w]


def test_a_model_that_saw_almost_only_true_pairs_warns() -> None:
    # 40 cities, each holding one company twice: every candidate pair is a true pair
    rows = [
        {"city": f"C{i}", "name": f"Company {i} Ltd", "phone": f"0{i:09d}"}
        for i in range(40)
        for _ in range(2)
    ]
    found = _warnings(pd.DataFrame(rows))
    assert len(found) == 1
    assert "of the 40 candidate pairs are non-matches" in found[0]
    assert "check the model before trusting auto_merge" in found[0]


def test_a_model_that_saw_enough_strangers_does_not_warn() -> None:
    # 4 cities of 30 strangers each, plus a duplicate per city: mostly non-matching pairs
    rows = [
        {"city": f"C{c}", "name": f"Firm {c}-{i} {'abcdefgh'[i % 8] * 3}", "phone": f"{c}{i:08d}"}
        for c in range(4)
        for i in range(30)
    ]
    rows += [dict(rows[c * 30]) for c in range(4)]
    frame = pd.DataFrame(rows)
    assert FEW_NON_MATCHES < 4 * 30 * 31 // 2 - 4
    assert _warnings(frame) == []
