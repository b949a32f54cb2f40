"""Business partners across two objects: a vendor that is also a customer.

An object declaring ``partner_of`` (``migrate.spec.match.PartnerLink``) has its
golden records compared with the other object's golden records. Blocking runs over
both frames together and keeps only pairs with one record from each side; the pairs
are scored like duplicate pairs (weights or Fellegi-Sunter) and those at or above
``auto_merge`` link, one to one, strongest first (then by position), so one
customer is never the partner of two vendors. The partner key is then the other
object's golden key for a linked record and the record's own golden key otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from migrate.matching.blocking import Candidates, candidate_pairs
from migrate.matching.engine import decide, score_candidates
from migrate.matching.fellegi_sunter import Contributions
from migrate.matching.scoring import Shown, WeightedContributions, comparison_labels
from migrate.spec.match import MatchSpec, PartnerLink

IDENTITY = ["_system", "_key"]


@dataclass(frozen=True)
class PartnerLinks:
    """Linked pairs (positions in the own and the other frame), and every scored pair."""

    own: np.ndarray
    other: np.ndarray
    score: np.ndarray
    pairs: pd.DataFrame
    combined: pd.DataFrame


def fields_of(spec: PartnerLink) -> list[str]:
    """Every field the link reads."""
    keys = [part.field for p in spec.blocking for part in p.key]
    return list(dict.fromkeys([*keys, *(f for c in spec.compare for f in c.fields)]))


def link_partners(own: pd.DataFrame, other: pd.DataFrame, spec: PartnerLink) -> PartnerLinks:
    """Compare ``own`` with ``other`` (both golden records) and link them one to one."""
    columns = [*IDENTITY, *fields_of(spec)]
    combined = pd.concat([other[columns], own[columns]], ignore_index=True)
    split = len(other)
    found = candidate_pairs(combined, spec.blocking)
    cross = (found.left < split) & (found.right >= split)
    candidates = Candidates(
        found.left[cross], found.right[cross], found.mask[cross], found.pass_names
    )
    match = MatchSpec(
        blocking=spec.blocking, compare=spec.compare, thresholds=spec.thresholds, mode=spec.mode
    )
    scored = score_candidates(combined, candidates, match, None)
    decision = decide(scored.score, spec.thresholds)
    chosen = _one_to_one(candidates, scored.score, decision == "match")
    pairs = _pairs(candidates, scored.score, decision, scored.sims, scored.contrib, spec)
    return PartnerLinks(
        own=candidates.right[chosen] - split,
        other=candidates.left[chosen],
        score=scored.score[chosen],
        pairs=pairs,
        combined=combined,
    )


def _one_to_one(candidates: Candidates, score: np.ndarray, is_match: np.ndarray) -> np.ndarray:
    """Indices of the matches kept when each record may have one partner, strongest first."""
    matches = np.flatnonzero(is_match)
    order = matches[
        np.lexsort((candidates.right[matches], candidates.left[matches], -score[matches]))
    ]
    taken: set[int] = set()
    kept = []
    for index in order.tolist():
        a, b = int(candidates.left[index]), int(candidates.right[index])
        if a in taken or b in taken:
            continue
        taken.update((a, b))
        kept.append(index)
    return np.array(sorted(kept), dtype=np.int64)


def _pairs(
    candidates: Candidates,
    score: np.ndarray,
    decision: pd.Categorical[str],
    sims: Shown,
    contrib: np.ndarray | Contributions | WeightedContributions,
    spec: PartnerLink,
) -> pd.DataFrame:
    """The scored cross pairs in the layout of the review table (rid = combined position)."""
    columns: dict[str, object] = {
        "rid_a": candidates.left,
        "rid_b": candidates.right,
        "score": score,
        "decision": np.asarray(decision, dtype=object),
        "passes": candidates.pass_labels(),
        "same_cluster": np.zeros(len(score), dtype=bool),
    }
    for column, label in enumerate(comparison_labels(spec.compare)):
        columns[f"{label}_sim"] = sims[:, column]
        columns[f"{label}_contrib"] = contrib[:, column]
    return pd.DataFrame(columns)
