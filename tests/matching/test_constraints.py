"""Clusters under constraints: decisions, registered golden keys, the chaining guard."""

from __future__ import annotations

import numpy as np

from migrate.matching.constraints import (
    DECIDED,
    GUARD,
    NO_MATCH,
    REGISTERED,
    REKEY,
    SCORED,
    Apart,
    Links,
    empty_pairs,
    resolve,
)


def _links(rows: list[tuple[int, int, int, float]]) -> Links:
    a, b, level, strength = (np.array(col) for col in zip(*rows, strict=True))
    return Links(a.astype(np.int64), b.astype(np.int64), level.astype(np.int8), strength)


def _pairs(rows: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    if not rows:
        return empty_pairs()
    a, b = zip(*rows, strict=True)
    return np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)


def test_without_constraints_every_link_is_kept() -> None:
    links = _links([(0, 1, SCORED, 0.9), (1, 2, SCORED, 0.95), (3, 4, SCORED, 0.99)])
    result = resolve(5, links, Apart(empty_pairs(), empty_pairs()))
    assert result.kept.all() and result.roots.tolist() == [0, 0, 0, 3, 3]
    assert result.clusters_split == 0


def test_no_match_decision_also_blocks_a_chain() -> None:
    # 0~1 and 1~2 score high, a reviewer said 0 and 2 are different: the weaker link goes.
    links = _links([(0, 1, SCORED, 0.99), (1, 2, SCORED, 0.95)])
    result = resolve(3, links, Apart(_pairs([(0, 2)]), empty_pairs()))
    assert result.kept.tolist() == [True, False]
    assert result.reason.tolist() == ["", NO_MATCH]
    assert result.roots.tolist() == [0, 0, 2] and result.clusters_split == 1


def test_no_match_wins_over_a_reviewers_match_chain_and_registered_links() -> None:
    links = _links([(0, 1, DECIDED, 1.0), (1, 2, REGISTERED, 1.0)])
    result = resolve(3, links, Apart(_pairs([(0, 2)]), empty_pairs()))
    assert result.kept.tolist() == [True, False] and result.reason[1] == NO_MATCH


def test_weak_pairs_stop_scored_links_but_not_decided_or_registered_ones() -> None:
    weak = _pairs([(0, 2)])
    scored = _links([(0, 1, SCORED, 0.9), (1, 2, SCORED, 0.8)])
    result = resolve(3, scored, Apart(empty_pairs(), weak))
    assert result.kept.tolist() == [True, False] and result.reason[1] == GUARD
    strong = _links([(0, 2, REGISTERED, 1.0), (1, 2, DECIDED, 1.0)])
    assert resolve(3, strong, Apart(empty_pairs(), weak)).roots.tolist() == [0, 0, 0]


def test_two_golden_keys_are_not_joined_without_a_reviewer() -> None:
    labels = np.array([0, -1, 1])  # 0 and 2 loaded under different golden keys
    links = _links([(0, 1, SCORED, 0.99), (1, 2, SCORED, 0.97)])
    result = resolve(3, links, Apart(empty_pairs(), empty_pairs(), labels))
    assert result.kept.tolist() == [True, False] and result.reason[1] == REKEY
    decided = _links([(0, 2, DECIDED, 1.0), (1, 2, SCORED, 0.97)])
    joined = resolve(3, decided, Apart(empty_pairs(), empty_pairs(), labels))
    assert joined.kept.all() and joined.roots.tolist() == [0, 0, 0]


def test_same_golden_key_joins_freely() -> None:
    labels = np.array([4, -1, 4])
    links = _links([(0, 1, SCORED, 0.99), (1, 2, SCORED, 0.97)])
    assert resolve(3, links, Apart(empty_pairs(), empty_pairs(), labels)).kept.all()
