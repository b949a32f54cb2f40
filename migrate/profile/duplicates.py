"""Duplicate records: exact repeats (counted) and near-duplicates (estimated).

Exact duplicates are rows equal in every column but the key. Near-duplicates
are estimated, never counted pair by pair: :data:`SAMPLE_RECORDS` records are
drawn at random, and each is compared with its neighbours in a sorted
neighbourhood of every blocking column (values normalized: NFKC, lower case,
letters and digits only; digit-heavy values such as phone numbers are sorted
by their end, so ``+86 10 6552 1234`` sits next to ``010-65521234``). A pair
whose mean similarity over the compared columns reaches :data:`THRESHOLD` is a
near-duplicate. The share of sampled records that have one, with a 95% Wilson
interval, estimates the share of all records that do.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz

from migrate.profile.arrow import text_array
from migrate.profile.model import ColumnProfile, DuplicatePair, Duplicates, KeyCandidate

SAMPLE_RECORDS = 2_000
WINDOW = 3
THRESHOLD = 0.85
MAX_BLOCKING = 3
MAX_COMPARED = 6
MIN_COMPARED = 2
EXAMPLES = 5
_Z = 1.96


def estimate_duplicates(
    frame: pd.DataFrame, columns: tuple[ColumnProfile, ...], key: KeyCandidate | None
) -> Duplicates | None:
    """Exact duplicate rows and an estimate of near-duplicate records (None for < 2 rows)."""
    if len(frame) < 2:
        return None
    key_columns = list(key.columns) if key else []
    exact = _exact_duplicates(frame, key_columns)
    compared = _identifying(columns, set(key_columns))[:MAX_COMPARED]
    blocking = compared[:MAX_BLOCKING]
    if len(compared) < MIN_COMPARED:
        return Duplicates(exact, 0, 0.0, 0.0, 0.0, 0, (), tuple(compared), THRESHOLD, ())
    rng = np.random.default_rng(0)
    picked = np.sort(rng.choice(len(frame), min(len(frame), SAMPLE_RECORDS), replace=False))
    candidates = _candidates(frame, blocking, picked)
    needed = np.unique(np.concatenate([picked, *map(np.asarray, candidates.values())]))
    values = {name: _normalized_at(frame[name], needed) for name in compared}
    hits, examples = _score(picked, candidates, values)
    labels = _labels(frame, key_columns)
    share, low, high = _wilson(len(hits), len(picked), exhaustive=len(picked) == len(frame))
    return Duplicates(
        exact_duplicate_rows=exact,
        sampled_records=len(picked),
        near_duplicate_share=round(share, 4),
        share_low=round(low, 4),
        share_high=round(high, 4),
        estimated_records=round(share * len(frame)),
        blocking=tuple(blocking),
        compared=tuple(compared),
        threshold=THRESHOLD,
        examples=tuple(
            DuplicatePair(labels(i), labels(j), round(score, 3)) for i, j, score in examples
        ),
    )


def _exact_duplicates(frame: pd.DataFrame, key_columns: list[str]) -> int:
    rest = frame.drop(columns=key_columns)
    return int(rest.duplicated().sum()) if len(rest.columns) else 0


def _identifying(columns: tuple[ColumnProfile, ...], keys: set[str]) -> list[str]:
    """Text columns that tell records apart: mostly filled, varied, not too short."""
    chosen = [
        c
        for c in columns
        if c.name not in keys
        and c.inferred_type == "string"
        and c.filled >= 0.5 * c.rows
        and c.distinct >= 0.3 * max(c.filled, 1)
        and c.lengths is not None
        and c.lengths.mean >= 2
    ]
    return [c.name for c in sorted(chosen, key=lambda c: -c.distinct)]


def _normalized(array: pa.Array) -> pa.Array:
    text = pc.utf8_lower(pc.utf8_normalize(array, "NFKC"))
    text = pc.replace_substring_regex(text, r"[^\p{L}\p{N}]+", "")
    return pc.if_else(pc.equal(pc.utf8_length(text), 0), pa.scalar(None, text.type), text)


def _normalized_at(values: pd.Series, rows: np.ndarray) -> dict[int, str]:
    picked = _normalized(pc.take(text_array(values), pa.array(rows)))
    return {int(r): v for r, v in zip(rows, picked.to_pylist(), strict=True) if v is not None}


def _candidates(frame: pd.DataFrame, blocking: list[str], picked: np.ndarray) -> dict[int, list]:
    """For each sampled row, the rows next to it in some blocking column's sorted order."""
    found: dict[int, set[int]] = {int(i): set() for i in picked}
    for name in blocking:
        keys = _normalized(text_array(frame[name]))
        if _digit_heavy(keys):
            keys = pc.utf8_reverse(keys)
        order = pc.array_sort_indices(keys).to_numpy()  # nulls last
        valid = len(keys) - keys.null_count
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        for row in picked:
            position = rank[row]
            if position >= valid:
                continue
            window = order[max(position - WINDOW, 0) : min(position + WINDOW + 1, valid)]
            found[int(row)].update(int(w) for w in window if w != row)
    return {row: sorted(others) for row, others in found.items()}


def _digit_heavy(keys: pa.Array) -> bool:
    probe = [v for v in pc.drop_null(keys).slice(0, 500).to_pylist() if v]
    digits = sum(ch.isdigit() for v in probe for ch in v)
    return bool(probe) and digits >= 0.7 * sum(len(v) for v in probe)


def _score(
    picked: np.ndarray, candidates: dict[int, list], values: dict[str, dict[int, str]]
) -> tuple[set[int], list[tuple[int, int, float]]]:
    hits: set[int] = set()
    examples: list[tuple[int, int, float]] = []
    for row in picked:
        for other in candidates[int(row)]:
            score = _similarity(int(row), other, values)
            if score is not None and score >= THRESHOLD:
                hits.add(int(row))
                if len(examples) < EXAMPLES:
                    examples.append((int(row), other, score))
                break
    return hits, examples


def _similarity(first: int, second: int, values: dict[str, dict[int, str]]) -> float | None:
    scores = []
    for column in values.values():
        a, b = column.get(first), column.get(second)
        if a is not None and b is not None:
            scores.append(fuzz.ratio(a, b) / 100)
    return sum(scores) / len(scores) if len(scores) >= MIN_COMPARED else None


def _labels(frame: pd.DataFrame, key_columns: list[str]) -> Callable[[int], str]:
    def label(row: int) -> str:
        if not key_columns:
            return f"row {row + 1}"
        return "/".join(str(frame[c].iloc[row]) for c in key_columns)

    return label


def _wilson(hits: int, n: int, exhaustive: bool) -> tuple[float, float, float]:
    share = hits / n if n else 0.0
    if exhaustive or n == 0:
        return share, share, share
    denominator = 1 + _Z**2 / n
    centre = (share + _Z**2 / (2 * n)) / denominator
    half = _Z * math.sqrt(share * (1 - share) / n + _Z**2 / (4 * n**2)) / denominator
    return share, max(centre - half, 0.0), min(centre + half, 1.0)
