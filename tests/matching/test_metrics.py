"""The match stage's figures: when the candidates hold too few non-matches, the
Fellegi-Sunter model takes u from random record pairs, and says so."""

from __future__ import annotations

import numpy as np
import pandas as pd

from migrate.matching.engine import RANDOM_PAIRS, Constraints, match_frame
from migrate.matching.fellegi_sunter import FEW_NON_MATCHES
from migrate.matching.metrics import match_metrics
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


def _outcome(frame: pd.DataFrame) -> tuple[dict[str, object], list[str]]:
    outcome = match_frame(frame, _spec())
    rids = np.arange(len(frame))
    metrics = match_metrics(outcome, rids, frame, Constraints.none(), {})
    found = [w for w in metrics["warnings"] if "Fellegi-Sunter" in w]
    return metrics["fellegi_sunter"], found


def test_a_model_that_saw_almost_only_true_pairs_takes_u_from_random_pairs() -> None:
    # 40 cities, each holding one company twice: every candidate pair is a true pair
    rows = [
        {"city": f"C{i}", "name": f"Company {i} Ltd", "phone": f"0{i:09d}"}
        for i in range(40)
        for _ in range(2)
    ]
    model, found = _outcome(pd.DataFrame(rows))
    assert model["u_from"] == "random pairs"
    u = model["u"]
    assert isinstance(u, dict)
    assert u["phone"][0] < 0.05  # strangers' phones seldom agree (EM alone had no strangers)
    assert len(found) == 1
    assert f"among the 40 candidate pairs, so it took u from {RANDOM_PAIRS:,} random" in found[0]
    assert "check the model" in found[0]


def test_a_model_that_saw_enough_strangers_learns_u_from_the_candidates() -> None:
    # 4 cities of 30 strangers each, plus a duplicate per city: mostly non-matching pairs
    rows = [
        {"city": f"C{c}", "name": f"Firm {c}-{i} {'abcdefgh'[i % 8] * 3}", "phone": f"{c}{i:08d}"}
        for c in range(4)
        for i in range(30)
    ]
    rows += [dict(rows[c * 30]) for c in range(4)]
    assert FEW_NON_MATCHES < 4 * 31 * 30 // 2 - 4
    model, found = _outcome(pd.DataFrame(rows))
    assert model["u_from"] == "candidate pairs"
    assert found == []
