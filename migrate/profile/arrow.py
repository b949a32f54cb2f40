"""Column values as Arrow arrays, counted once, so every scan runs over distinct values.

A :class:`Tally` holds a column's distinct non-null values with how often each
occurs. Every figure the profile gives per row (matches of a regex, patterns,
lengths) is computed over the distinct values and weighted by their counts: as
exact as a scan of every row, and much cheaper for columns of codes and dates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migrate.profile.model import Count


@dataclass(frozen=True)
class Tally:
    """Distinct non-null values and their counts (parallel arrays)."""

    values: pa.Array
    counts: pa.Array

    @property
    def rows(self) -> int:
        """How many non-null values were counted."""
        return int(pc.sum(self.counts).as_py() or 0) if len(self.counts) else 0

    def weight(self, mask: pa.Array) -> int:
        """How many rows hold a value where ``mask`` (over the distinct values) is true."""
        if len(mask) == 0:
            return 0
        return int(pc.sum(pc.if_else(mask, self.counts, 0)).as_py() or 0)

    def where(self, mask: pa.Array) -> Tally:
        """The part of the tally where ``mask`` is true."""
        return Tally(pc.filter(self.values, mask), pc.filter(self.counts, mask))


def text_array(values: pd.Series) -> pa.Array:
    """``values`` as one contiguous Arrow large-string array (missing values as nulls)."""
    try:
        array = pa.array(values.array)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        array = pa.array(values.astype("str").array)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    return array


def tally(array: pa.Array) -> Tally:
    """Count the distinct non-null values of ``array``."""
    filled = pc.drop_null(array)
    if len(filled) == 0:
        return Tally(filled, pa.array([], pa.int64()))
    counted = pc.value_counts(filled)
    return Tally(counted.field("values"), counted.field("counts"))


def text_tally(values: list[str | None]) -> Tally:
    """The tally of plain Python values (for tests and small inputs)."""
    return tally(pa.array(values, type=pa.large_string()))


def matches(values: pa.Array, pattern: str) -> pa.Array:
    """Per value: does it contain a match of the (RE2) regular expression."""
    if len(values) == 0:
        return pa.array([], pa.bool_())
    return pc.match_substring_regex(values, pattern)


def count_matches(found: Tally, pattern: str) -> int:
    """How many rows hold a value with a match of the regular expression."""
    return found.weight(matches(found.values, pattern))


def top_counts(found: Tally, limit: int) -> tuple[Count, ...]:
    """The ``limit`` most frequent values (ties by value)."""
    if len(found.values) == 0:
        return ()
    table = pa.table({"c": found.counts, "v": found.values})
    order = pc.select_k_unstable(table, limit, [("c", "descending"), ("v", "ascending")])
    picked = zip(
        pc.take(found.values, order).to_pylist(),
        pc.take(found.counts, order).to_pylist(),
        strict=True,
    )
    return tuple(Count(str(v), int(c)) for v, c in picked)


def regroup(keys: pa.Array, counts: pa.Array) -> Tally:
    """Counts summed per key (e.g. per pattern of the distinct values)."""
    if len(keys) == 0:
        return Tally(keys, counts)
    summed = pa.table({"k": keys, "c": counts}).group_by("k").aggregate([("c", "sum")])
    return Tally(summed.column("k").combine_chunks(), summed.column("c_sum").combine_chunks())


def sample(array: pa.Array, size: int, seed: int = 0) -> pa.Array:
    """At most ``size`` values picked at random (all of them when there are fewer)."""
    if len(array) <= size:
        return array
    chosen = np.sort(np.random.default_rng(seed).choice(len(array), size, replace=False))
    return pc.take(array, pa.array(chosen))


def first_values(values: pa.Array, limit: int) -> list[str]:
    """Up to ``limit`` of the values, in order."""
    return [v for v in values.slice(0, limit).to_pylist() if v is not None]
