"""Scoring: similarities for known values, missing values, weighted means."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migrate.matching.scoring import (
    comparison_labels,
    prepare,
    similarity,
    similarity_matrix,
    weighted_scores,
)
from migrate.spec.match import Comparison


def _sim(a: list[str | None], b: list[str | None], **spec: object) -> np.ndarray:
    values = pd.Series([*a, *b], dtype="str")
    comparison = Comparison.model_validate({"field": "x", **spec})
    prepared = prepare(values, comparison)
    left = np.arange(len(a))
    return similarity(prepared, left, left + len(a), comparison)


def test_string_methods_known_values() -> None:
    jw = _sim(["MARTHA", "DIXON", "abc"], ["MARHTA", "DICKSONX", "abc"])
    assert jw == pytest.approx([0.961111, 0.813333, 1.0], abs=1e-5)
    lev = _sim(["kitten"], ["sitting"], method="levenshtein")
    assert lev == pytest.approx([4 / 7])
    tokens = _sim(["acme trading co"], ["trading acme"], method="token_set")
    assert tokens == pytest.approx([1.0])
    partial = _sim(["上海华为"], ["上海华为技术有限公司"], method="partial")
    assert partial == pytest.approx([1.0])
    exact = _sim(["a", "a"], ["a", "A"], method="exact")
    assert exact.tolist() == [1.0, 0.0]


def test_numeric_and_date() -> None:
    numeric = _sim(["100", "100", "abc"], ["90", "300", "1"], method="numeric", scale=50)
    assert numeric[:2] == pytest.approx([0.8, 0.0])
    assert np.isnan(numeric[2])
    relative = _sim(["100", "0"], ["80", "0"], method="numeric")
    assert relative == pytest.approx([0.8, 1.0])
    dates = _sim(
        ["2024-01-01", "2024-01-01"], ["2024-01-11", "2023-01-01"], method="date", scale=20
    )
    assert dates == pytest.approx([0.5, 0.0])
    default_scale = _sim(["2024-01-01"], ["2024-07-01"], method="date")
    assert default_scale == pytest.approx([1 - 182 / 365])


def test_missing_or_blank_side_is_nan() -> None:
    result = _sim(["abc", None, " ", "abc"], ["abc", "abc", "abc", None])
    assert result[0] == 1.0
    assert np.isnan(result[1:]).all()


def test_weighted_mean_renormalises_over_present() -> None:
    sims = np.array(
        [
            [1.0, 0.5, 0.0],
            [1.0, np.nan, 0.0],
            [np.nan, np.nan, np.nan],
            [np.nan, 0.8, np.nan],
        ]
    )
    score, contrib = weighted_scores(sims, np.array([2.0, 1.0, 1.0]))
    assert score == pytest.approx([2.5 / 4, 2 / 3, 0.0, 0.8])
    assert contrib[0] == pytest.approx([0.5, 0.125, 0.0])
    assert np.isnan(contrib[1, 1]) and contrib[1, 0] == pytest.approx(2 / 3)
    assert np.nansum(contrib, axis=1) == pytest.approx(score)


def test_similarity_matrix_and_labels() -> None:
    frame = pd.DataFrame({"name": ["Acme", "Acme", None], "phone": ["1", "2", "1"]}, dtype="str")
    compare = [
        Comparison(field="name"),
        Comparison(field="name", method="exact"),
        Comparison(field="phone", method="exact"),
    ]
    assert comparison_labels(compare) == ["name_jaro_winkler", "name_exact", "phone"]
    sims = similarity_matrix(frame, np.array([0, 0]), np.array([1, 2]), compare)
    assert sims[0].tolist() == [1.0, 1.0, 0.0]
    assert np.isnan(sims[1, :2]).all() and sims[1, 2] == 1.0


def test_cutoff_zeroes_low_similarities() -> None:
    values = pd.Series(["abcdef", "abcxyz", "abcdef"], dtype="str")
    comparison = Comparison(field="x", method="levenshtein")
    prepared = prepare(values, comparison)
    result = similarity(prepared, np.array([0, 0]), np.array([1, 2]), comparison, cutoff=0.7)
    assert result.tolist() == [0.0, 1.0]
