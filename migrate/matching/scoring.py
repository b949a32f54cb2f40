"""Comparing candidate pairs field by field, in bulk.

Every comparison turns a pair of values into a similarity in [0, 1]:

* ``exact``: 1 if the values are equal, else 0;
* ``jaro_winkler`` / ``levenshtein``: rapidfuzz normalized similarity;
* ``token_set`` / ``partial``: rapidfuzz ``token_set_ratio`` / ``partial_ratio`` / 100;
* ``numeric``: ``1 - |a - b| / scale`` clipped to [0, 1]; without ``scale`` the
  relative difference ``|a - b| / max(|a|, |b|)`` is used;
* ``date``: the same over the distance in days (default scale: 365 days).

A value that is NA, blank, or (numeric/date) does not parse is missing, and a
comparison with a missing side gives NaN: it is left out of the pair's score.
String similarities are computed with ``rapidfuzz.process.cpdist`` over the pair
arrays (all cores, in chunks), never one Python call per pair.
Scores and levels are decided on the float64 similarities; what is kept per pair
for display is the similarity rounded to ``SHOWN_DECIMALS`` (as every output shows
it) in float32.

In ``weights`` mode the score is the weighted mean of the available
similarities (weights renormalised over the comparisons present; 0 when none is
present) and a comparison's contribution is its share of that mean
(``weight * similarity / sum of available weights``), so contributions add up to
the score (contributions are kept as float32: they are shown, not decided on).
Fellegi-Sunter scoring lives in ``migrate.matching.fellegi_sunter``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler, Levenshtein

from migrate.spec.match import Comparison

CHUNK = 1_000_000
SHOWN_DECIMALS = 4
DEFAULT_DATE_SCALE = 365.0
_STRING_SCORERS: dict[str, tuple[Callable[..., Any], float]] = {
    "jaro_winkler": (JaroWinkler.normalized_similarity, 1.0),
    "levenshtein": (Levenshtein.normalized_similarity, 1.0),
    "token_set": (fuzz.token_set_ratio, 100.0),
    "partial": (fuzz.partial_ratio, 100.0),
}
ChunkProgress = Callable[[int, int], None]


def comparison_labels(compare: list[Comparison]) -> list[str]:
    """A column label per comparison: the field, qualified by method when a field repeats."""
    fields = [c.field for c in compare]
    labels = [c.field if fields.count(c.field) == 1 else f"{c.field}_{c.method}" for c in compare]
    return [label if labels.count(label) == 1 else f"{label}_{i}" for i, label in enumerate(labels)]


def prepare(values: pd.Series, comparison: Comparison) -> np.ndarray:
    """Per row, the value in the form its method compares (None / NaN where missing)."""
    text = values.astype("str").str.strip()
    text = text.where(text.str.len() > 0)
    if comparison.method == "numeric":
        return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if comparison.method == "date":
        stamps = pd.to_datetime(text, errors="coerce", format="mixed")
        days = (stamps - pd.Timestamp("1970-01-01")).dt.total_seconds() / 86400.0
        return days.to_numpy(dtype=float, na_value=np.nan)
    return text.to_numpy(dtype=object)


def missing(prepared: np.ndarray) -> np.ndarray:
    """Which rows have no comparable value."""
    if prepared.dtype == object:
        return np.asarray(pd.isna(prepared), dtype=bool)
    return np.isnan(prepared)


def similarity(
    prepared: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    comparison: Comparison,
    cutoff: float | None = None,
    on_chunk: ChunkProgress | None = None,
) -> np.ndarray:
    """Similarity in [0, 1] per pair (NaN where a side is missing).

    ``cutoff`` is handed to rapidfuzz: string similarities below it come back as 0.
    """
    out = np.full(len(left), np.nan)
    absent = missing(prepared)
    for start in range(0, len(left), CHUNK):  # pair chunks: no pairs-sized index arrays
        a_rows, b_rows = left[start : start + CHUNK], right[start : start + CHUNK]
        present = np.flatnonzero(~(absent[a_rows] | absent[b_rows]))
        a, b = prepared[a_rows[present]], prepared[b_rows[present]]
        if len(present):
            out[start + present] = _compare(a, b, comparison, cutoff)
        if on_chunk is not None:
            on_chunk(min(start + CHUNK, len(left)), len(left))
    return out


def _compare(a: np.ndarray, b: np.ndarray, comparison: Comparison, cutoff: float | None) -> Any:
    method = comparison.method
    if method == "exact":
        return (a == b).astype(float)
    if method in ("numeric", "date"):
        distance = np.abs(a - b)
        if comparison.scale is not None:
            scale: Any = comparison.scale
        elif method == "date":
            scale = DEFAULT_DATE_SCALE
        else:
            scale = np.maximum(np.abs(a), np.abs(b))
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(distance == 0, 0.0, distance / scale)
        return np.clip(1.0 - ratio, 0.0, 1.0)
    scorer, top = _STRING_SCORERS[method]
    limit = None if cutoff is None else cutoff * top
    scores = process.cpdist(a, b, scorer=scorer, score_cutoff=limit, workers=-1, dtype=np.float64)
    return np.asarray(scores) / top


def shown(values: np.ndarray) -> np.ndarray:
    """Similarities as kept for display: rounded to ``SHOWN_DECIMALS``, float32 (column by
    column for a matrix, so no float64 copy of it is made)."""
    if values.ndim == 1:
        return np.round(values, SHOWN_DECIMALS).astype(np.float32)
    out = np.empty(values.shape, dtype=np.float32)
    for j in range(values.shape[1]):
        out[:, j] = np.round(values[:, j], SHOWN_DECIMALS)
    return out


def weighted_scores(sims: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Score per pair and contribution per comparison, renormalising over present values.

    ``sims`` is pairs x comparisons with NaN where a comparison is missing.
    """
    total = np.zeros(len(sims))
    for j, weight in enumerate(weights):  # column by column: no pairs x comparisons temporaries
        total += np.where(np.isnan(sims[:, j]), 0.0, weight)
    safe = np.where(total > 0, total, 1.0)
    contribution = np.empty(sims.shape, dtype=np.float32)
    score = np.zeros(len(sims))
    for j, weight in enumerate(weights):
        share = sims[:, j] * weight / safe
        contribution[:, j] = share
        score += np.nan_to_num(share)
    return np.clip(score, 0.0, 1.0), contribution


def similarity_columns(
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    compare: list[Comparison],
    cutoff: float | None = None,
    on_chunk: ChunkProgress | None = None,
) -> Iterator[np.ndarray]:
    """Per comparison in turn, the pairs' similarities over ``frame`` rows by position."""
    for comparison in compare:
        prepared = prepare(frame[comparison.field], comparison)
        yield similarity(prepared, left, right, comparison, cutoff, on_chunk)
        del prepared


def similarity_matrix(
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    compare: list[Comparison],
    cutoff: float | None = None,
    on_chunk: ChunkProgress | None = None,
) -> np.ndarray:
    """Pairs x comparisons similarities over ``frame`` rows addressed by position."""
    sims = np.full((len(left), len(compare)), np.nan)
    columns = similarity_columns(frame, left, right, compare, cutoff, on_chunk)
    for column, values in enumerate(columns):
        sims[:, column] = values
    return sims
