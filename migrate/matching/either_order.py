"""Either-order pairs of comparisons: first name and surname, which records swap.

A comparison may name another compared field (``Comparison.either_order_with``); the two
comparisons then form a pair. Per pair of records both are computed straight (a.x vs
b.x, a.y vs b.y) and crossed (a.x vs b.y, a.y vs b.x), each by its own method, and the
crossed similarities replace the straight ones, for both comparisons, where they add up
to more (``crossed_wins``): in that sum a missing similarity, and one below
``CROSSED_FLOOR``, counts as 0, and a tie stays straight. A crossed similarity below
``CROSSED_FLOOR`` is 0: a far-off crossed name is no sign of a swap, and strangers'
names, crossed, would otherwise win about half the time and lift their similarities.

So a pair that was not compared crossed keeps exactly the similarities it has without
the pair, and the orientation does not depend on the ``cutoff`` a mode asks for (the
straight similarities are computed with it, up to ``CROSSED_FLOOR``, as without the
pair). ``scoring.similarity_pieces`` hands a pair's two comparisons here, chunk by chunk
of ``scoring.CHUNK`` pairs, both fields' prepared values held at once; the review file
asks ``crossed_pairs`` which of its pairs were compared crossed.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from migrate.matching import scoring
from migrate.spec.match import Comparison, either_order_pairs

# Fellegi-Sunter's lowest agreement level bound, so the choice is the same in both modes.
CROSSED_FLOOR = 0.70


def either_order_pieces(
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    compare: list[Comparison],
    pair: tuple[int, int],
    cutoff: float | None = None,
    on_chunk: scoring.ChunkProgress | None = None,
) -> Iterator[tuple[int, slice, np.ndarray]]:
    """``scoring.similarity_pieces`` of the either-order pair of comparisons at ``pair``: per
    chunk, both columns' similarities in the orientation that wins (``crossed_wins``);
    ``cutoff`` applies to both orientations as to any comparison."""
    chunks = either_order_chunks(frame, left, right, [compare[k] for k in pair], cutoff)
    for rows, straight, crossed in chunks:
        wins = crossed_wins(straight, crossed)
        for column, plain, across in zip(pair, straight, crossed, strict=True):
            yield column, rows, _cut(np.where(wins, across, plain), cutoff)
        if on_chunk is not None:
            on_chunk(rows.stop, len(left))


def either_order_chunks(
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    pair: list[Comparison],
    cutoff: float | None = None,
) -> Iterator[tuple[slice, list[np.ndarray], list[np.ndarray]]]:
    """Chunk by chunk of ``scoring.CHUNK`` pairs: the rows, the two comparisons' similarities
    straight (a.x vs b.x, a.y vs b.y; as without the pair, and ``cutoff`` up to
    ``CROSSED_FLOOR``) and crossed (a.x vs b.y, a.y vs b.x; 0 below ``CROSSED_FLOOR``),
    each comparison by its own method."""
    x, y = (
        scoring.Side(p, scoring.missing(p))
        for p in (scoring.prepare(frame[c.field], c) for c in pair)
    )
    scoring.give_back()
    below = None if cutoff is None else min(cutoff, CROSSED_FLOOR)
    for start in range(0, len(left), scoring.CHUNK):
        a, b = left[start : start + scoring.CHUNK], right[start : start + scoring.CHUNK]
        straight = [x.versus(x, a, b, pair[0], below), y.versus(y, a, b, pair[1], below)]
        crossed = [
            x.versus(y, a, b, pair[0], CROSSED_FLOOR),
            y.versus(x, a, b, pair[1], CROSSED_FLOOR),
        ]
        yield slice(start, start + len(a)), straight, crossed


def crossed_wins(straight: list[np.ndarray], crossed: list[np.ndarray]) -> np.ndarray:
    """Per pair, whether the crossed orientation wins: its two similarities add up to
    more than the straight ones, each counted as 0 below ``CROSSED_FLOOR`` or missing
    (a tie stays straight)."""
    return _floored_sum(crossed) > _floored_sum(straight)


def _floored_sum(values: list[np.ndarray]) -> np.ndarray:
    total = np.zeros(len(values[0]))
    for column in values:
        total += np.where(column >= CROSSED_FLOOR, column, 0.0)  # NaN >= x is False
    return total


def _cut(values: np.ndarray, cutoff: float | None) -> np.ndarray:
    """``values`` below ``cutoff`` as 0 (NaN stays)."""
    if cutoff is None:
        return values
    return np.where(values < cutoff, 0.0, values)


def crossed_pairs(
    frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, compare: list[Comparison]
) -> list[tuple[tuple[int, int], np.ndarray]]:
    """Per either-order pair of ``compare`` (its columns), which of the record pairs
    (``left``, ``right``: positions in ``frame``) were compared crossed."""
    found = []
    for pair in either_order_pairs(compare):
        wins = np.zeros(len(left), dtype=bool)
        both = [compare[k] for k in pair]
        for rows, straight, crossed in either_order_chunks(frame, left, right, both, CROSSED_FLOOR):
            wins[rows] = crossed_wins(straight, crossed)
        found.append((pair, wins))
    return found
