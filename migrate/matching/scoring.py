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

Two text comparisons may form an either-order pair (``either_order_with``: first name
and surname, which records swap), compared straight and crossed together; see
``migrate.matching.either_order``.
String similarities are computed with ``rapidfuzz.process.cpdist`` over the pair
arrays (all cores, in chunks), never one Python call per pair.
Scores and levels are decided on the float64 similarities; what is kept per pair
for display is the similarity rounded to ``SHOWN_DECIMALS`` (as every output shows
it), stored as uint16 ten-thousandths (``Shown``) and read back as float32.

In ``weights`` mode the score is the weighted mean of the available
similarities (weights renormalised over the comparisons present; 0 when none is
present) and a comparison's contribution is its share of that mean
(``weight * similarity / sum of available weights``), so contributions add up to
the score. ``weighted_similarities`` computes it without a pairs x comparisons
float64 matrix: each comparison's similarities come chunk by chunk of pairs
(``similarity_chunks``), are kept as shown and added, weighted, to one score
vector, which is divided by the present weights at the end; contributions are
derived from the kept similarities when asked for (``WeightedContributions``):
they are shown, not decided on.
Fellegi-Sunter scoring lives in ``migrate.matching.fellegi_sunter``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler, Levenshtein

from migrate.matching.memory import give_back
from migrate.spec.match import Comparison, either_order_pairs

CHUNK = 250_000  # pairs per chunk: small enough that per-chunk temporaries stay a few MiB
SHOWN_DECIMALS = 4
SHOWN_SCALE = 10.0**SHOWN_DECIMALS
MISSING_CODE = np.iinfo(np.uint16).max
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
    out = np.empty(len(left))
    for rows, values in similarity_chunks(prepared, left, right, comparison, cutoff, on_chunk):
        out[rows] = values
    return out


def similarity_chunks(
    prepared: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    comparison: Comparison,
    cutoff: float | None = None,
    on_chunk: ChunkProgress | None = None,
) -> Iterator[tuple[slice, np.ndarray]]:
    """``similarity`` a chunk of ``CHUNK`` pairs at a time, in order: the chunk's rows
    among the pairs and its float64 similarities (no pairs-sized array at all)."""
    side = Side(prepared, missing(prepared))
    for start in range(0, len(left), CHUNK):
        a_rows, b_rows = left[start : start + CHUNK], right[start : start + CHUNK]
        yield (
            slice(start, start + len(a_rows)),
            side.versus(side, a_rows, b_rows, comparison, cutoff),
        )
        if on_chunk is not None:
            on_chunk(start + len(a_rows), len(left))


@dataclass(frozen=True)
class Side:
    """One field's prepared values (``prepare``) and which of them are missing."""

    values: np.ndarray
    absent: np.ndarray

    def versus(
        self,
        other: Side,
        a_rows: np.ndarray,
        b_rows: np.ndarray,
        comparison: Comparison,
        cutoff: float | None = None,
    ) -> np.ndarray:
        """Per pair, this field of record ``a`` against ``other``'s field of record ``b``
        by ``comparison``'s method (NaN where a side is missing)."""
        out = np.full(len(a_rows), np.nan)
        present = np.flatnonzero(~(self.absent[a_rows] | other.absent[b_rows]))
        if len(present):
            a, b = self.values[a_rows[present]], other.values[b_rows[present]]
            out[present] = _compare(a, b, comparison, cutoff)
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


@dataclass(frozen=True)
class Shown:
    """Similarities as shown (``shown``), pairs x comparisons, stored in two bytes each: the
    ten-thousandths as uint16, ``MISSING_CODE`` where missing. Indexing (``sims[rows,
    column]``, ``sims[rows]``) gives exactly what ``shown`` gives: float32, NaN missing."""

    codes: np.ndarray

    @staticmethod
    def empty(pairs: int, comparisons: int) -> Shown:
        """Room for ``pairs`` x ``comparisons`` similarities (set with ``put``)."""
        return Shown(np.empty((pairs, comparisons), dtype=np.uint16))

    @property
    def shape(self) -> tuple[int, int]:
        return self.codes.shape[0], self.codes.shape[1]

    def __len__(self) -> int:
        return len(self.codes)

    def put(self, rows: slice, column: int, values: np.ndarray) -> None:
        """Keep the float64 similarities ``values`` of ``rows`` in ``column``."""
        scaled = np.rint(values * SHOWN_SCALE)
        self.codes[rows, column] = np.where(np.isnan(values), MISSING_CODE, scaled)

    def __getitem__(self, key: Any) -> np.ndarray:
        codes = np.asarray(self.codes[key])
        values = (codes / SHOWN_SCALE).astype(np.float32)
        return np.where(codes == MISSING_CODE, np.float32(np.nan), values)


def weighted_scores(sims: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Score per pair and contribution per comparison, renormalising over present values.

    ``sims`` is pairs x comparisons with NaN where a comparison is missing. (The matcher
    uses ``weighted_similarities``, which needs no such matrix.)
    """
    total = present_weight(sims, weights)
    safe = np.where(total > 0, total, 1.0)
    contribution = np.empty(sims.shape, dtype=np.float32)
    score = np.zeros(len(sims))
    for j, weight in enumerate(weights):
        share = sims[:, j] * weight / safe
        contribution[:, j] = share
        score += np.nan_to_num(share)
    return np.clip(score, 0.0, 1.0), contribution


def present_weight(sims: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per row of ``sims`` (rows x comparisons, NaN missing), the sum of the present
    comparisons' weights (column by column: no rows x comparisons temporaries)."""
    total = np.zeros(len(sims))
    for j, weight in enumerate(weights):
        total += np.where(np.isnan(sims[:, j]), 0.0, weight)
    return total


@dataclass(frozen=True)
class WeightedContributions:
    """Weights-mode contributions ``weight * similarity / present weights`` per pair and
    comparison, from the similarities as kept (``shown``), computed when indexed
    (``contrib[rows, column]``, ``contrib[rows]``: float32, NaN where missing) instead of
    stored as a pairs x comparisons array."""

    sims: Shown
    weights: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.sims), len(self.weights)

    def __len__(self) -> int:
        return len(self.sims)

    def __getitem__(self, key: Any) -> np.ndarray:
        rows, column = key if isinstance(key, tuple) else (key, slice(None))
        block = np.asarray(self.sims[rows])
        one = block.ndim == 1
        block = block.reshape(-1, len(self.weights))
        total = present_weight(block, self.weights)
        safe = np.where(total > 0, total, 1.0)
        picked = np.arange(len(self.weights))[column]
        if np.ndim(picked) == 0:
            out = block[:, picked] * (self.weights[picked] / safe)
        else:
            out = block[:, picked] * self.weights[picked] / safe[:, None]
        out = out.astype(np.float32)
        return out[0] if one else out


def weighted_similarities(
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    compare: list[Comparison],
    on_chunk: ChunkProgress | None = None,
) -> tuple[np.ndarray, Shown, WeightedContributions]:
    """Weights-mode score per pair, similarities as shown (``Shown``) and
    the contributions, over ``frame`` rows by position.

    The weighted similarities are added chunk by chunk into the score vector, which is
    then divided (chunk by chunk) by the weights of the comparisons present.
    """
    weights = np.array([c.weight for c in compare], dtype=float)
    sims = Shown.empty(len(left), len(compare))
    score = np.zeros(len(left))
    for column, rows, values in similarity_pieces(frame, left, right, compare, None, on_chunk):
        sims.put(rows, column, values)
        score[rows] += np.where(np.isnan(values), 0.0, values * weights[column])
    for start in range(0, len(score), CHUNK):
        rows = slice(start, start + CHUNK)
        total = present_weight(sims[rows], weights)
        score[rows] /= np.where(total > 0, total, 1.0)
    np.clip(score, 0.0, 1.0, out=score)
    return score, sims, WeightedContributions(sims, weights)


def similarity_pieces(
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    compare: list[Comparison],
    cutoff: float | None = None,
    on_chunk: ChunkProgress | None = None,
) -> Iterator[tuple[int, slice, np.ndarray]]:
    """Comparison by comparison (one prepared field held at a time), chunk by chunk of
    pairs: the comparison's column, the chunk's rows and their float64 similarities.

    The two comparisons of an either-order pair (``Comparison.either_order_with``) come
    together, where the first of them stands, chunk by chunk (both fields held; see
    ``either_order_pieces``)."""
    from migrate.matching.either_order import either_order_pieces  # it builds on this module

    pairs = either_order_pairs(compare)
    first_of = {min(pair): pair for pair in pairs}
    paired = {column for pair in pairs for column in pair}
    for column, comparison in enumerate(compare):
        if column in first_of:
            pair = first_of[column]
            yield from either_order_pieces(frame, left, right, compare, pair, cutoff, on_chunk)
        elif column not in paired:
            prepared = prepare(frame[comparison.field], comparison)
            give_back()  # the Arrow texts prepare went through
            chunks = similarity_chunks(prepared, left, right, comparison, cutoff, on_chunk)
            for rows, values in chunks:
                yield column, rows, values
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
    sims = np.empty((len(left), len(compare)))
    for column, rows, values in similarity_pieces(frame, left, right, compare, cutoff, on_chunk):
        sims[rows, column] = values
    return sims
