"""Profiling one column: emptiness, distinct values, patterns, lengths, type, oddities.

Counts, top values, patterns and lengths are exact over every row (computed
over the distinct values, weighted by how often each occurs). The type is
inferred from a random sample of :data:`TYPE_SAMPLE` values (a share of 95% is
the threshold, so a larger sample would not change the type), and mojibake is
checked on a sample when there are very many distinct candidates.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from migrate.profile.arrow import Tally, count_matches, sample, tally, top_counts
from migrate.profile.infer import infer_type
from migrate.profile.model import ColumnProfile, Count, Lengths
from migrate.profile.patterns import pattern_counts
from migrate.profile.shapes import shapes
from migrate.profile.suspicious import suspicious_content

TOP_VALUES = 10
ALL_CODES = 30  # a column with at most this many distinct values lists them all
TOP_PATTERNS = 10
TYPE_SAMPLE = 20_000
MAX_LENGTH_BINS = 12
_BLANK = r"^[\s\x{00A0}\x{3000}]*$"


def profile_column(name: str, values: pa.Array) -> ColumnProfile:
    """The profile of one column of text values (nulls are empty cells)."""
    found = tally(values)
    distinct = len(found.values)
    top = top_counts(found, ALL_CODES if distinct <= ALL_CODES else TOP_VALUES)
    patterns, pattern_count = pattern_counts(found, TOP_PATTERNS)
    inferred = infer_type(sample(pc.drop_null(values), TYPE_SAMPLE))
    return ColumnProfile(
        name=name,
        rows=len(values),
        nulls=values.null_count,
        blanks=count_matches(found, _BLANK),
        distinct=distinct,
        inferred_type=inferred.type,
        type_share=inferred.share,
        parse_op=inferred.parse_op,
        top_values=top,
        patterns=patterns,
        pattern_count=pattern_count,
        lengths=lengths(found),
        suspicious=suspicious_content(found),
        shapes=shapes(found),
    )


def lengths(found: Tally) -> Lengths | None:
    """Min, max, mean and a histogram of the values' lengths (exact lengths or ranges)."""
    if len(found.values) == 0:
        return None
    sizes = np.asarray(pc.utf8_length(found.values).to_numpy(zero_copy_only=False), np.int64)
    weights = np.asarray(found.counts.to_numpy(zero_copy_only=False), np.int64)
    low, high = int(sizes.min()), int(sizes.max())
    mean = float(np.dot(sizes, weights) / weights.sum())
    return Lengths(low, high, round(mean, 2), _bins(sizes, weights, low, high))


def _bins(sizes: np.ndarray, weights: np.ndarray, low: int, high: int) -> tuple[Count, ...]:
    width = max(1, -(-(high - low + 1) // MAX_LENGTH_BINS))
    summed = np.bincount((sizes - low) // width, weights=weights).astype(np.int64)
    bins = []
    for i, n in enumerate(summed):
        if n:
            start = low + i * width
            end = min(start + width - 1, high)
            bins.append(Count(str(start) if width == 1 else f"{start}-{end}", int(n)))
    return tuple(bins)
