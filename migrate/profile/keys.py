"""Candidate keys: columns, or pairs of columns, whose values (almost) identify a row.

Uniqueness is exact: distinct values over rows. Single columns come from the
column profiles; pairs are tried only when no single column is a usable key
(unique and never empty): each of the :data:`PAIR_HEADS` most distinct code
columns with every other code column, as a document number goes with a line
number. Earlier columns win a tie: legacy keys usually come first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migrate.profile.model import ColumnProfile, KeyCandidate

MIN_UNIQUENESS = 0.9
PAIR_HEADS = 2
MAX_KEYS = 5
KEY_TYPES = ("string", "integer")  # amounts and dates are no keys


def candidate_keys(frame: pd.DataFrame, columns: tuple[ColumnProfile, ...]) -> list[KeyCandidate]:
    """Key candidates, the best first: usable ones, then by uniqueness, then shorter values."""
    singles = [_single(c) for c in columns if c.rows and c.uniqueness >= MIN_UNIQUENESS]
    found = sorted(singles, key=lambda k: _rank(k, columns))
    if not any(k.usable for k in found) and len(frame) > 0:
        found += _pairs(frame, columns)
        found.sort(key=lambda k: _rank(k, columns))
    return found[:MAX_KEYS]


def _single(column: ColumnProfile) -> KeyCandidate:
    return KeyCandidate(
        columns=(column.name,),
        distinct=column.distinct,
        duplicates=column.rows - column.nulls - column.distinct,
        null_rows=column.nulls,
        uniqueness=round(column.uniqueness, 6),
    )


def _rank(key: KeyCandidate, columns: tuple[ColumnProfile, ...]) -> tuple[object, ...]:
    """Usable first; then single columns; then earlier columns; then more unique, shorter."""
    length = sum(_mean_length(c) for c in columns if c.name in key.columns)
    positions = sum(i for i, c in enumerate(columns) if c.name in key.columns)
    return (not key.usable, len(key.columns), positions, -key.uniqueness, length)


def _mean_length(column: ColumnProfile) -> float:
    return column.lengths.mean if column.lengths is not None else 0.0


def _pairs(frame: pd.DataFrame, columns: tuple[ColumnProfile, ...]) -> list[KeyCandidate]:
    """Pairs of a most distinct code column with another code column (document + line)."""
    codes = [c for c in columns if c.distinct > 1 and c.inferred_type in KEY_TYPES]
    heads = sorted(codes, key=lambda c: -c.distinct)[:PAIR_HEADS]
    factorized = {c.name: pd.factorize(frame[c.name])[0] for c in codes}
    found: dict[tuple[str, ...], KeyCandidate] = {}
    for head in heads:
        for other in codes:
            names = tuple(sorted((head.name, other.name), key=[c.name for c in columns].index))
            if other is head or names in found:
                continue
            candidate = _pair(names, factorized, len(frame))
            if candidate.uniqueness >= MIN_UNIQUENESS:
                found[names] = candidate
    return list(found.values())


def _pair(names: tuple[str, ...], factorized: dict[str, np.ndarray], rows: int) -> KeyCandidate:
    first, second = factorized[names[0]], factorized[names[1]]
    missing = (first < 0) | (second < 0)
    combined = first[~missing].astype(np.int64) * (int(second.max()) + 1) + second[~missing]
    distinct = len(np.unique(combined))
    duplicates = len(combined) - distinct
    return KeyCandidate(names, distinct, duplicates, int(missing.sum()), round(distinct / rows, 6))
