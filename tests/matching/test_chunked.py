"""Working in chunks of pairs, and the compact per-pair arrays, change no result.

Every pairs-sized computation of the matcher (similarities, weights-mode scores,
Fellegi-Sunter pattern codes, the chaining guard's weak pairs) runs ``CHUNK`` pairs at a
time; with a tiny chunk the results must equal those of one chunk and those of the
straightforward (pairs x comparisons matrix) computations they replaced.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from migrate.matching import blocking, engine, memory, scoring
from migrate.matching import fellegi_sunter as fs
from migrate.matching.blocking import Candidates, candidate_pairs
from migrate.matching.constraints import GUARD
from migrate.spec.match import Comparison, MatchSpec

COMPARE = [
    Comparison(field="name", weight=3),
    Comparison(field="name", method="partial", weight=1),
    Comparison(field="city", method="exact", weight=1),
    Comparison(field="phone", method="levenshtein", weight=2),
    Comparison(field="amount", method="numeric", weight=0.5, scale=50),
]


def _frame(rng: np.random.Generator, n: int = 300) -> pd.DataFrame:
    """Names with shared stems and typos, a few cities, phones, amounts, missing values."""
    letters = np.array(list("abcdefgh"))
    stems = ["".join(rng.choice(letters, 5)) for _ in range(40)]
    names = [
        s + "".join(rng.choice(letters, int(rng.integers(0, 3)))) for s in rng.choice(stems, n)
    ]
    phones = [str(x) for x in rng.integers(1000, 1100, n)]
    frame = pd.DataFrame(
        {
            "name": names,
            "city": rng.choice(["x", "y", "z"], n),
            "phone": phones,
            "amount": [str(x) for x in rng.integers(0, 100, n)],
        },
        dtype="str",
    )
    for column in frame.columns:
        frame.loc[rng.random(n) < 0.1, column] = None
    return frame


def _pairs(rng: np.random.Generator, n: int, count: int = 2_000) -> tuple[np.ndarray, np.ndarray]:
    a, b = rng.integers(0, n, count), rng.integers(0, n, count)
    keep = a != b
    return np.minimum(a, b)[keep].astype(np.int32), np.maximum(a, b)[keep].astype(np.int32)


@pytest.fixture
def data() -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    frame = _frame(rng)
    left, right = _pairs(rng, len(frame))
    return frame, left, right


def test_similarities_in_small_chunks_equal_one_chunk(
    data: tuple[pd.DataFrame, np.ndarray, np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    frame, left, right = data
    whole = scoring.similarity_matrix(frame, left, right, COMPARE)
    cut = scoring.similarity_matrix(frame, left, right, COMPARE, cutoff=0.7)
    monkeypatch.setattr(scoring, "CHUNK", 7)
    seen: list[int] = []
    chunked = scoring.similarity_matrix(
        frame, left, right, COMPARE, None, lambda d, t: seen.append(d)
    )
    np.testing.assert_array_equal(chunked, whole)
    np.testing.assert_array_equal(scoring.similarity_matrix(frame, left, right, COMPARE, 0.7), cut)
    assert np.isnan(whole).any() and (whole > 0).any()
    assert seen[-1] == len(left) and len(seen) == len(COMPARE) * -(-len(left) // 7)


def test_weighted_scores_accumulated_per_comparison_equal_the_matrix_result(
    data: tuple[pd.DataFrame, np.ndarray, np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    frame, left, right = data
    weights = np.array([c.weight for c in COMPARE])
    matrix = scoring.similarity_matrix(frame, left, right, COMPARE)
    expected, _ = scoring.weighted_scores(matrix, weights)
    for chunk in (1_000_000, 13):
        monkeypatch.setattr(scoring, "CHUNK", chunk)
        score, sims, contrib = scoring.weighted_similarities(frame, left, right, COMPARE)
        np.testing.assert_allclose(score, expected, rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(sims[:], scoring.shown(matrix))
    # contributions: the shares of the similarities as kept, adding up to the score
    _, shares = scoring.weighted_scores(sims[:].astype(np.float64), weights)
    assert contrib.shape == shares.shape and len(contrib) == len(shares)
    np.testing.assert_allclose(contrib[:, 1], shares[:, 1], rtol=1e-6)
    rows = np.array([3, 0, 11])
    np.testing.assert_allclose(contrib[rows], shares[rows], rtol=1e-6)
    np.testing.assert_allclose(contrib[rows, 2], shares[rows, 2], rtol=1e-6)
    np.testing.assert_allclose(contrib[5], shares[5], rtol=1e-6)
    np.testing.assert_allclose(np.nansum(contrib[:], axis=1), score, atol=5e-4)
    assert contrib[:].dtype == np.float32
    assert np.array_equal(np.isnan(contrib[:]), np.isnan(matrix))


def test_shown_similarities_in_two_bytes_read_back_as_rounded_float32() -> None:
    rng = np.random.default_rng(4)
    values = np.r_[rng.random(5_000), 0.0, 1.0, 0.99995, 0.00005, 0.12345, np.nan]
    kept = scoring.Shown.empty(len(values), 2)
    kept.put(slice(0, len(values)), 0, values)
    kept.put(slice(0, len(values)), 1, values[::-1])
    assert kept.codes.dtype == np.uint16 and kept.shape == (len(values), 2)
    np.testing.assert_array_equal(kept[:, 0], scoring.shown(values))
    np.testing.assert_array_equal(kept[:, 1], scoring.shown(values[::-1]))
    both = np.c_[values, values[::-1]]
    np.testing.assert_array_equal(kept[np.array([3, 1])], scoring.shown(both[[3, 1]]))
    assert kept[:, 0].dtype == np.float32 and np.isnan(kept[len(values) - 1, 0])


def test_weights_mode_scores_equal_the_matrix_result(
    data: tuple[pd.DataFrame, np.ndarray, np.ndarray],
) -> None:
    frame, _, _ = data
    spec = MatchSpec.model_validate(
        {
            "blocking": [{"name": "city", "key": [{"field": "city"}]}],
            "compare": [c.model_dump() for c in COMPARE],
            "thresholds": {"auto_merge": 0.8, "review": 0.6},
        }
    )
    candidates = candidate_pairs(frame, spec.blocking)
    scored = engine.score_candidates(frame, candidates, spec, None)
    matrix = scoring.similarity_matrix(frame, candidates.left, candidates.right, COMPARE)
    expected, _ = scoring.weighted_scores(matrix, np.array([c.weight for c in COMPARE]))
    np.testing.assert_allclose(scored.score, expected, rtol=1e-12, atol=1e-15)


def _pattern_code_reference(level: np.ndarray, inform: np.ndarray | None) -> np.ndarray:
    """The codes as one int64 expression over the whole matrix."""
    k = level.shape[1]
    powers = (fs.N_LEVELS + 1) ** np.arange(k, dtype=np.int64)
    code = ((level.astype(np.int64) + 1) * powers).sum(axis=1) * 2**k
    flags = np.ones(level.shape, bool) if inform is None else inform
    return code + (flags.astype(np.int64) << np.arange(k)).sum(axis=1)


def test_pattern_codes_in_chunks_are_narrow_and_equal_the_reference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(8)
    level = rng.integers(-1, 4, size=(1_000, 6)).astype(np.int8)
    inform = rng.random((1_000, 6)) < 0.6
    powers = (fs.N_LEVELS + 1) ** np.arange(6, dtype=np.int64)
    size = int((fs.N_LEVELS + 1) ** 6) * 2**6
    whole = fs.patterns(level, inform)
    monkeypatch.setattr(fs, "CHUNK", 17)
    for flags in (inform, None):
        code = fs._pattern_code(level, flags, powers, size)
        assert code.dtype == np.int32
        np.testing.assert_array_equal(code, _pattern_code_reference(level, flags))
    for mine, reference in zip(fs.patterns(level, inform), whole, strict=True):
        np.testing.assert_array_equal(mine, reference)
    # a range beyond int32 keeps int64
    wide = (fs.N_LEVELS + 1) ** np.arange(14, dtype=np.int64)
    many = rng.integers(-1, 4, size=(50, 14)).astype(np.int8)
    code = fs._pattern_code(many, None, wide, int((fs.N_LEVELS + 1) ** 14) * 2**14)
    assert code.dtype == np.int64
    np.testing.assert_array_equal(code, _pattern_code_reference(many, None))


def test_pattern_scores_in_chunks_equal_one_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(9)
    level = rng.integers(-1, 4, size=(800, 4)).astype(np.int8)
    params = fs.estimate(level)
    probability, contributions = fs.score_patterns(level, params)
    monkeypatch.setattr(fs, "CHUNK", 9)
    again, lazy = fs.score_patterns(level, params)
    np.testing.assert_array_equal(again, probability)
    np.testing.assert_array_equal(lazy[:], contributions[:])
    assert lazy.pattern.dtype == np.int32


def _all_weak(
    n: int, candidates: Any, scored: tuple[np.ndarray, Any], floor: float, links: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Every unreviewed candidate below the floor (what the guard took before)."""
    score, reviewed = scored
    below = np.flatnonzero((score < floor) & (np.asarray(reviewed, dtype=object) == ""))
    return candidates.left[below], candidates.right[below]


def test_only_weak_pairs_inside_a_component_are_kept_and_clusters_do_not_change(
    data: tuple[pd.DataFrame, np.ndarray, np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    frame, _, _ = data
    spec = MatchSpec.model_validate(
        {
            "blocking": [
                {"name": "city", "key": [{"field": "city"}]},
                {"name": "stem", "key": [{"field": "name", "transform": "prefix", "length": 3}]},
            ],
            "compare": [c.model_dump() for c in COMPARE[:2]],
            "thresholds": {"auto_merge": 0.85, "review": 0.6},
            "cluster_floor": 0.7,
        }
    )
    monkeypatch.setattr(engine, "CHUNK", 50)
    filtered = engine.match_frame(frame, spec)
    monkeypatch.setattr(engine, "weak_pairs", _all_weak)
    everything = engine.match_frame(frame, spec)
    assert (filtered.note == GUARD).sum() > 0  # the guard did cut links here
    np.testing.assert_array_equal(filtered.roots, everything.roots)
    np.testing.assert_array_equal(filtered.kept, everything.kept)
    assert list(filtered.note) == list(everything.note)
    assert list(filtered.decision) == list(everything.decision)
    assert filtered.clusters_split == everything.clusters_split


def test_weak_pairs_are_those_inside_a_component_of_the_links(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pairs = np.array([[0, 1], [1, 2], [3, 4], [0, 3], [2, 5], [0, 2], [3, 5], [1, 4]])
    score = np.array([0.9, 0.9, 0.9, 0.1, 0.2, 0.3, 0.9, 0.1])
    reviewed = engine.texts(len(pairs), "", engine.VERDICTS)
    reviewed[np.array([7])] = "no-match"
    left, right = pairs[:, 0].astype(np.int32), pairs[:, 1].astype(np.int32)
    candidates = Candidates(left, right, np.ones(len(pairs), np.uint8), ["p"])
    links = (left[:3], right[:3])  # components {0, 1, 2}, {3, 4}, {5}
    monkeypatch.setattr(engine, "CHUNK", 3)
    weak_a, weak_b = engine.weak_pairs(6, candidates, (score, reviewed), 0.5, links)
    assert list(zip(weak_a.tolist(), weak_b.tolist(), strict=True)) == [(0, 2)]


def test_decisions_are_one_byte_per_pair() -> None:
    score = np.array([0.9, 0.7, 0.1, 0.85])
    thresholds = MatchSpec.model_validate(
        {
            "blocking": [{"name": "x", "key": [{"field": "x"}]}],
            "compare": [{"field": "x"}],
            "thresholds": {"auto_merge": 0.85, "review": 0.6},
        }
    ).thresholds
    decision = engine.decide(score, thresholds)
    assert list(decision) == ["match", "review", "distinct", "match"]
    assert (decision == "match").tolist() == [True, False, False, True]
    assert decision.codes.dtype == np.int8
    decision[np.array([2])] = "review"
    assert list(decision) == ["match", "review", "review", "match"]


def test_arrow_memory_is_given_back_after_keys_and_after_each_prepared_field(
    data: tuple[pd.DataFrame, np.ndarray, np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    frame, left, right = data
    calls: list[str] = []
    monkeypatch.setattr(blocking, "give_back", lambda: calls.append("keys"))
    monkeypatch.setattr(scoring, "give_back", lambda: calls.append("field"))
    candidate_pairs(
        frame,
        MatchSpec.model_validate(
            {
                "blocking": [{"name": "city", "key": [{"field": "city"}]}],
                "compare": [{"field": "name"}],
                "thresholds": {"auto_merge": 0.8, "review": 0.6},
            }
        ).blocking,
    )
    scoring.similarity_matrix(frame, left, right, COMPARE)
    assert calls == ["keys"] + ["field"] * len(COMPARE)
    memory.give_back()  # and the real one runs
