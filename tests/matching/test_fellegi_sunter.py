"""Fellegi-Sunter: levels, random pairs, EM gives true pairs a higher probability."""

from __future__ import annotations

import numpy as np
import pandas as pd

from migrate.matching import fellegi_sunter as fs
from migrate.matching.scoring import similarity_matrix
from migrate.spec.match import Comparison


def test_levels() -> None:
    sims = np.array([[1.0, 0.9, 0.75, 0.2, np.nan]]).T
    assert fs.levels(sims).ravel().tolist() == [0, 1, 2, 3, -1]


def test_random_pairs_are_distinct_rows_and_repeatable() -> None:
    a, b = fs.random_pairs(500, size=10_000)
    assert len(a) == 10_000 and (a != b).all()
    assert a.max() < 500 and b.max() < 500 and a.min() == 0 and b.min() == 0
    again = fs.random_pairs(500, size=10_000)
    assert np.array_equal(a, again[0]) and np.array_equal(b, again[1])
    assert len(fs.random_pairs(4)[0]) == 12  # min(size, n * (n - 1))
    assert len(fs.random_pairs(1)[0]) == 0


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
    sa, sb = fs.random_pairs(len(frame))
    u = fs.estimate_u(fs.levels(similarity_matrix(frame, sa, sb, compare, cutoff=0.7)))
    params = fs.estimate_m(fs.levels(sims), u)
    probability, weight = fs.score(fs.levels(sims), params)
    assert probability[truth].min() > probability[~truth].max()
    assert np.median(probability[truth]) > 0.99
    assert np.median(probability[~truth]) < 0.01
    assert 0.1 < params.prior < 0.25  # 400 of 2400 candidates are true
    # agreement on name is evidence for a match, disagreement against
    assert params.m[0, 0] > params.u[0, 0] and params.m[0, 3] < params.u[0, 3]
    assert weight.shape == sims.shape


def test_em_with_no_pairs() -> None:
    params = fs.estimate_m(np.empty((0, 2), dtype=np.int8), np.full((2, 4), 0.25))
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
