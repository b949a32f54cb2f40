"""Either-order pairs of comparisons: first name and surname compared straight and crossed."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from bench.people import people
from migrate.matching import either_order, scoring
from migrate.matching import fellegi_sunter as fs
from migrate.matching.engine import match_frame
from migrate.spec.match import Comparison, MatchSpec

NAMES = ("first_name", "surname")


def _compare(paired: bool = True, first: str = "jaro_winkler") -> list[Comparison]:
    either = {"either_order_with": "surname"} if paired else {}
    return [
        Comparison(field="first_name", method=first, weight=1, **either),  # type: ignore[arg-type]
        Comparison(field="dob", method="exact", weight=2),
        Comparison(field="surname", method="levenshtein", weight=1),
    ]


def _frame(rows: list[tuple[str | None, str | None, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["first_name", "surname", "dob"])
    return frame.astype("str")


def _matrix(
    frame: pd.DataFrame,
    pairs: list[tuple[int, int]],
    paired: bool = True,
    cutoff: float | None = None,
) -> np.ndarray:
    left = np.array([a for a, _ in pairs])
    right = np.array([b for _, b in pairs])
    return scoring.similarity_matrix(frame, left, right, _compare(paired), cutoff)


def test_swapped_names_score_like_straight_ones() -> None:
    frame = _frame(
        [
            ("John", "Smith", "1970-01-02"),  # 0
            ("John", "Smith", "1970-01-02"),  # 1: the same, straight
            ("Smith", "John", "1970-01-02"),  # 2: names swapped
            ("Smithe", "Jon", "1970-01-02"),  # 3: swapped, with typos
            ("Jon", "Smithe", "1970-01-02"),  # 4: straight, with the same typos
        ]
    )
    sims = _matrix(frame, [(0, 1), (0, 2), (0, 3), (0, 4)])
    np.testing.assert_array_equal(sims[1], sims[0])
    # with typos: a.first_name vs b.surname by Jaro-Winkler, a.surname vs b.first_name by
    # Levenshtein (each comparison keeps its method), as the straight twin's
    np.testing.assert_array_equal(sims[2], sims[3])
    assert 0.8 < sims[2, 0] < 1 and 0.8 < sims[2, 2] < 1
    without = _matrix(frame, [(0, 2)], paired=False)
    assert without[0, 0] < 0.6 and without[0, 2] < 0.6


def test_pairs_not_swapped_keep_their_similarities_bit_for_bit() -> None:
    frame = people(3_000, seed=3).drop(columns=["unique_id", "cluster"])
    rng = np.random.default_rng(1)
    left, right = rng.integers(0, len(frame), (2, 20_000))
    compare = _compare()
    (_, crossed), *_ = either_order.crossed_pairs(frame, left, right, compare)
    # strangers' crossed names seldom come near: few random pairs are compared crossed
    assert 0 < crossed.sum() < len(left) / 20
    full = scoring.similarity_matrix(frame, left, right, compare)
    for cutoff in (None, fs.LEVEL_BOUNDS[-1]):
        paired = scoring.similarity_matrix(frame, left, right, compare, cutoff)
        plain = scoring.similarity_matrix(frame, left, right, _compare(False), cutoff)
        np.testing.assert_array_equal(paired[~crossed], plain[~crossed])
        np.testing.assert_array_equal(paired[:, 1], plain[:, 1])  # not in the pair
        # the orientation does not depend on the cutoff, which applies as to any comparison
        np.testing.assert_array_equal(paired, np.where(full < (cutoff or 0), 0.0, full))
    # where crossed won, its two similarities (0 below the floor) add up to more
    straight = scoring.similarity_matrix(frame, left, right, _compare(False))
    floor = either_order.CROSSED_FLOOR
    gain = np.nansum(full[crossed][:, [0, 2]], axis=1)
    assert (full[crossed][:, [0, 2]] >= floor).any(axis=1).all()
    kept = np.where(straight[crossed][:, [0, 2]] >= floor, straight[crossed][:, [0, 2]], 0)
    assert (gain > kept.sum(axis=1)).all()


def test_crossed_similarities_below_the_floor_count_as_nothing() -> None:
    frame = _frame(
        [
            ("Anna", "Berg", "x"),  # 0
            ("Bo", "Zed", "x"),  # 1: stranger; crossed no nearer than straight
            ("Berg", "Ann", "x"),  # 2: swapped, the first name cut short
            ("Berg", "Xq", "x"),  # 3: only the surname matches, crossed
        ]
    )
    sims = _matrix(frame, [(0, 1), (0, 2), (0, 3)])
    plain = _matrix(frame, [(0, 1), (0, 2), (0, 3)], paired=False)
    np.testing.assert_array_equal(sims[0], plain[0])
    assert sims[1, 0] > 0.9 and sims[1, 2] == 1.0  # Ann vs Anna by Jaro-Winkler
    assert sims[2, 0] == 0.0 and sims[2, 2] == 1.0  # Anna vs Xq: below the floor, 0


def test_missing_values_on_one_side() -> None:
    frame = _frame(
        [
            (None, "Smith", "d"),  # 0: first name missing
            ("Smith", None, "d"),  # 1: swapped, surname missing
            ("John", "Smith", "d"),  # 2: straight
            ("Smith", "John", "d"),  # 3: swapped
            (None, None, "d"),  # 4: no names
        ]
    )
    sims = _matrix(frame, [(0, 1), (0, 2), (0, 3), (0, 4), (2, 4)])
    plain = _matrix(frame, [(0, 1), (0, 2), (0, 3), (0, 4), (2, 4)], paired=False)
    # 0 vs 1: only the crossed surname is comparable (a.surname vs b.first_name)
    assert np.isnan(sims[0, 0]) and sims[0, 2] == 1.0
    assert np.isnan(plain[0, [0, 2]]).all()
    # 0 vs 2: straight surname agrees; 0 vs 3: crossed gives the same
    np.testing.assert_array_equal(sims[1], plain[1])
    np.testing.assert_array_equal(sims[2], sims[1])
    # nothing comparable either way: missing, as without the option
    np.testing.assert_array_equal(sims[3:], plain[3:])


def test_chunk_boundaries_give_every_piece_once(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = people(500, seed=4).drop(columns=["unique_id", "cluster"])
    rng = np.random.default_rng(2)
    left, right = rng.integers(0, len(frame), (2, 103))
    whole = scoring.similarity_matrix(frame, left, right, _compare())
    monkeypatch.setattr(scoring, "CHUNK", 10)
    seen: dict[tuple[int, int], int] = {}
    done: list[int] = []
    pieces = scoring.similarity_pieces(
        frame, left, right, _compare(), None, lambda d, _: done.append(d)
    )
    chunked = np.full(whole.shape, -1.0)
    for column, rows, values in pieces:
        assert rows.stop - rows.start <= 10 and values.dtype == np.float64
        seen[column, rows.start] = seen.get((column, rows.start), 0) + 1
        chunked[rows, column] = values
    assert set(seen.values()) == {1} and len(seen) == 3 * 11
    np.testing.assert_array_equal(chunked, whole)
    assert done.count(len(left)) == 2  # one progress run for the pair, one for dob


def test_pieces_refuse_a_pair_that_does_not_stand() -> None:
    compare = [Comparison(field="first_name", either_order_with="city")]
    frame = _frame([("a", "b", "c")])
    with pytest.raises(ValueError, match=r"compare\[0\]\.either_order_with: 'city' is not"):
        list(scoring.similarity_pieces(frame, np.array([0]), np.array([0]), compare))


def test_a_paired_comparison_reads_both_fields() -> None:
    spec = MatchSpec.model_validate(
        {
            "blocking": [{"name": "dob", "key": [{"field": "dob"}]}],
            "compare": [c.model_dump(exclude_defaults=True) for c in _compare()],
            "thresholds": {"auto_merge": 0.9, "review": 0.5},
        }
    )
    assert spec.compare[0].fields == NAMES
    assert spec.compare[2].fields == ("surname",)
    assert spec.compared_fields() == ["first_name", "surname", "dob"]
    assert spec.fields() == ["dob", "first_name", "surname"]
    only_first = spec.model_copy(update={"compare": [spec.compare[0]]})
    assert set(only_first.compared_fields()) == set(NAMES)


def _people_spec(mode: str, paired: bool) -> MatchSpec:
    either = {"either_order_with": "surname"} if paired else {}
    spec: dict[str, Any] = {
        "blocking": [{"name": "dob", "key": [{"field": "dob"}]}],
        "compare": [
            {"field": "first_name", "method": "jaro_winkler", "weight": 1, **either},
            {"field": "surname", "method": "jaro_winkler", "weight": 1},
            {"field": "dob", "method": "exact", "weight": 3},
            {"field": "city", "method": "exact", "weight": 1},
            {"field": "email", "method": "levenshtein", "weight": 3},
            {"field": "phone", "method": "levenshtein", "weight": 3},
        ],
        "thresholds": {"auto_merge": 0.5 if mode == "fellegi_sunter" else 0.8, "review": 0.3},
        "mode": mode,
    }
    return MatchSpec.model_validate(spec)


def _with_copies() -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """People, then a straight and a name-swapped copy of 100 of them; their positions."""
    base = people(2_000, seed=5).drop(columns=["unique_id", "cluster"])
    originals = base.dropna(subset=[*NAMES, "dob"])
    originals = originals[originals["first_name"] != originals["surname"]].head(100)
    swapped = originals.copy()
    swapped[list(NAMES)] = originals[list(NAMES[::-1])].to_numpy()
    frame = pd.concat([base, originals, swapped], ignore_index=True)
    copies = len(base) + np.arange(len(originals))
    return frame, originals.index.to_numpy(), copies, copies + len(originals)


def _candidate(outcome: Any, n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    codes = pd.Index(outcome.candidates.left.astype(np.int64) * n + outcome.candidates.right)
    found = codes.get_indexer(np.minimum(a, b) * n + np.maximum(a, b))
    assert (found >= 0).all()
    return np.asarray(found)


@pytest.mark.parametrize("mode", ["weights", "fellegi_sunter"])
def test_both_modes_score_a_swapped_copy_like_a_straight_one(mode: str) -> None:
    frame, originals, straight, swapped = _with_copies()
    paired = match_frame(frame, _people_spec(mode, True))
    plain = match_frame(frame, _people_spec(mode, False))
    n = len(frame)
    to_straight = _candidate(paired, n, originals, straight)
    to_swapped = _candidate(paired, n, originals, swapped)
    score = paired.scored.score
    np.testing.assert_array_equal(score[to_swapped], score[to_straight])
    assert (paired.decision[to_swapped] == "match").all()
    before = plain.scored.score[_candidate(plain, n, originals, swapped)]
    assert (before < score[to_swapped]).all()
