"""Fellegi-Sunter: levels, random pairs, EM gives true pairs a higher probability."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migrate.matching import fellegi_sunter as fs
from migrate.matching.scoring import similarity_matrix
from migrate.spec.match import Comparison


def test_levels() -> None:
    sims = np.array([[1.0, 0.9, 0.75, 0.2, np.nan]]).T
    assert fs.levels(sims).ravel().tolist() == [0, 1, 2, 3, -1]
    bounds = np.array([[0.95, 0.9499, 0.85, 0.7, 0.6999, 0.0]]).T  # a bound belongs to its level
    assert fs.levels(bounds).ravel().tolist() == [0, 1, 1, 2, 3, 3]


def _synthetic(rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """400 people, each copied once with small typos; candidate pairs with true/false labels."""
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    names = ["".join(rng.choice(letters, 8)) for _ in range(400)]
    cities = rng.choice(["paris", "lyon", "nice", "lille", "brest"], 400)
    births = [
        f"19{rng.integers(40, 99)}-0{rng.integers(1, 9)}-1{rng.integers(0, 9)}" for _ in range(400)
    ]
    copies = []
    for name in names:
        chars = list(name)
        chars[rng.integers(0, 8)] = str(rng.choice(letters))
        copies.append("".join(chars))
    frame = pd.DataFrame(
        {"name": names + copies, "city": list(cities) * 2, "born": births * 2}, dtype="str"
    )
    true_a, true_b = np.arange(400), np.arange(400) + 400
    false_a = rng.integers(0, 400, 2000)
    false_b = (false_a + rng.integers(1, 399, 2000)) % 400 + 400
    left = np.concatenate([true_a, false_a])
    right = np.concatenate([true_b, false_b])
    truth = np.r_[np.ones(400, bool), np.zeros(2000, bool)]
    return frame, left, right, truth


def test_em_prefers_true_pairs() -> None:
    frame, left, right, truth = _synthetic(np.random.default_rng(11))
    compare = [
        Comparison(field="name"),
        Comparison(field="city", method="exact"),
        Comparison(field="born", method="exact"),
    ]
    sims = similarity_matrix(frame, left, right, compare)
    params = fs.estimate(fs.levels(sims))
    probability, weight = fs.score(fs.levels(sims), params)
    assert probability[truth].min() > probability[~truth].max()
    assert np.median(probability[truth]) > 0.99
    assert np.median(probability[~truth]) < 0.01
    assert 0.1 < params.prior < 0.25  # 400 of 2400 candidates are true
    # agreement on name is evidence for a match, disagreement against
    assert params.m[0, 0] > params.u[0, 0] and params.m[0, 3] < params.u[0, 3]
    assert weight.shape == sims.shape


def test_em_with_no_pairs() -> None:
    params = fs.estimate(np.empty((0, 2), dtype=np.int8))
    assert params.iterations == 0
    probability, weight = fs.score(np.empty((0, 2), dtype=np.int8), params)
    assert probability.shape == (0,) and weight.shape == (0, 2)


def test_informative_excludes_pairs_blocked_on_the_field() -> None:
    mask = np.array([0b01, 0b10, 0b11])  # pass 0 keyed on name, pass 1 on phone
    inform = fs.informative(mask, [{"name"}, {"phone", "city"}], ["name", "phone", "email"])
    assert inform.tolist() == [
        [False, True, True],
        [True, False, True],
        [True, True, True],
    ]
    every = fs.informative(mask, [{"name"}, {"name"}], ["name"])
    assert every.all()  # every pass uses the field: all pairs inform it


def test_patterns_round_trip() -> None:
    level = np.array([[0, -1], [3, 2], [0, -1], [1, 1]], dtype=np.int8)
    inform = np.array([[True, False], [True, True], [True, False], [False, True]])
    unique, usable, inverse, counts = fs.patterns(level, inform)
    assert np.array_equal(unique[inverse], level)
    assert np.array_equal(usable[inverse], inform)
    assert sorted(counts.tolist()) == [1, 1, 2]


def test_patterns_count_like_sorting(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    level = rng.integers(-1, 4, size=(500, 3)).astype(np.int8)
    inform = rng.random((500, 3)) < 0.7
    counted = fs.patterns(level, inform)
    monkeypatch.setattr(fs, "DENSE_CODES", 0)  # the sorting path
    sorted_ = fs.patterns(level, inform)
    for mine, theirs in zip(counted, sorted_, strict=True):
        assert np.array_equal(mine, theirs)


def test_contributions_by_pattern_index_like_the_full_array() -> None:
    level = np.array([[0, -1], [3, 2], [0, -1], [1, 1]], dtype=np.int8)
    params = fs.estimate(level)
    probability, full = fs.score(level, params)
    again, lazy = fs.score_patterns(level, params)
    assert np.array_equal(probability, again)
    assert lazy.shape == full.shape
    assert np.array_equal(lazy[np.array([1, 3]), 1], full[[1, 3], 1])
    assert np.isnan(lazy[:, 1][0]) and np.isnan(full[0, 1])


def test_u_comes_from_candidates_so_similar_non_matches_are_not_matches() -> None:
    # Candidates found by one blocking key (same postcode) mostly share it and have
    # similar names; true duplicates also agree on the identifier. A u from random
    # pairs would make postcode agreement alone look like a match.
    rng = np.random.default_rng(3)
    true_pairs, near_misses = 300, 3000
    name = np.r_[rng.choice([0, 1], true_pairs, p=[0.8, 0.2]), rng.choice([1, 2, 3], near_misses)]
    ident = np.r_[np.zeros(true_pairs, int), np.full(near_misses, 3)]
    postcode = np.r_[np.zeros(true_pairs, int), np.zeros(near_misses, int)]
    level = np.column_stack([name, ident, postcode]).astype(np.int8)
    params = fs.estimate(level)
    probability, _ = fs.score(level, params)
    assert probability[:true_pairs].min() > 0.9
    assert probability[true_pairs:].max() < 0.1
    assert abs(params.prior - true_pairs / (true_pairs + near_misses)) < 0.01


def test_no_single_disagreement_vetoes_a_match() -> None:
    # every seen match agrees on the identifier; one that does not still scores high
    # when everything else agrees.
    level = np.array([[0, 0, 0]] * 200 + [[3, 3, 3]] * 2000 + [[0, 3, 0]], dtype=np.int8)
    params = fs.estimate(level)
    assert params.m[1, 3] >= fs.M_FLOOR / 2
    probability, _ = fs.score(level[-1:], params)
    assert probability[0] > 0.5


def test_an_either_order_comparison_is_informed_only_by_passes_using_neither_field() -> None:
    mask = np.array([0b001, 0b010, 0b100])  # keyed on surname, on first name, on phone
    passes = [{"surname"}, {"first_name"}, {"phone"}]
    fields = [("first_name", "surname"), ("surname", "first_name"), "phone"]
    inform = fs.informative(mask, passes, fields)
    assert inform.tolist() == [
        [False, False, True],
        [False, False, True],
        [True, True, False],
    ]


def test_a_fixed_u_is_kept_and_only_m_and_the_prior_are_learnt() -> None:
    level = np.array([[0, 0]] * 40 + [[0, 1]] * 2, dtype=np.int8)
    u = fs.random_u(np.array([[3, 3]] * 90 + [[0, 0]] * 10, dtype=np.int8))
    assert np.allclose(u.sum(axis=1), 1.0) and u[0, 3] > 0.89 and u[0, 0] > 0.09
    params = fs.estimate(level, fixed_u=u)
    assert np.array_equal(params.u, u) and params.u_from == "random pairs"
    assert params.m[0, 0] > 0.9
    assert fs.too_few_non_matches(fs.estimate(level), len(level))
    assert not fs.too_few_non_matches(params, len(level))  # already from random pairs
