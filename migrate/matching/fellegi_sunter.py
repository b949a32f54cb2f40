"""Fellegi-Sunter scoring: a match probability from agreement levels.

Each comparison's similarity is cut into agreement levels: 0 (>= 0.95), 1
(>= 0.85), 2 (>= 0.70), 3 (below) and "missing" (the comparison is left out, a
factor of 1). For every comparison and level two probabilities are estimated,
both by expectation-maximisation over the blocked candidate pairs (no labels):

* ``m`` = P(level | the candidate pair is a match);
* ``u`` = P(level | the candidate pair is not a match).

``u`` is the non-matches' share *among candidates*, not among random pairs:
blocking proposes pairs that already look alike (names that sort together, one
postcode), so the pairs a run must tell apart are those, and a ``u`` from random
pairs would call every merely similar pair a match. EM needs a starting point that
is on the right side: it starts from "a pair agreeing fully on more than half of
its present comparisons is a match" (probability 0.95, else 0.05), then alternates
the E step (each pair's posterior match probability) and the M step (``m``,
``u`` and the prior share of matches from those posteriors) until nothing moves.
Comparisons are assumed independent given the match status. A comparison's
``m`` is learnt only from pairs that a blocking pass not keyed on its field
proposed (pairs found because their names sort together would make name
agreement look like the mark of a match); a field every pass uses learns from
all pairs. Shares never reach 0: ``m`` keeps at least 0.1% per level, so no
single disagreement can veto a match on its own.

The score of a pair is its posterior match probability
``p * prod(m) / (p * prod(m) + (1 - p) * prod(u))`` over its present comparisons,
so ``thresholds`` are probabilities in this mode. A comparison's contribution is
its match weight ``log2(m / u)`` at the pair's level (positive: evidence for a
match, negative: against).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from migrate.matching.scoring import CHUNK

LEVEL_BOUNDS = (0.95, 0.85, 0.70)
N_LEVELS = len(LEVEL_BOUNDS) + 1
MAX_ITERATIONS = 200
TOLERANCE = 1e-7
SEED_MATCH = 0.95
M_FLOOR = 1e-3
_FLOOR = 1e-6
# Fewer expected non-matches than this among the candidates, and u (how often strangers
# agree) cannot be learnt from them: it is then taken from random record pairs.
FEW_NON_MATCHES = 30
DENSE_CODES = 1 << 24  # pattern codes counted in a table up to this range


@dataclass(frozen=True)
class Parameters:
    """Estimated model: m and u (comparisons x levels) and the prior match share."""

    m: np.ndarray
    u: np.ndarray
    prior: float
    iterations: int
    u_from: str = "candidate pairs"  # or "random pairs" (see ``too_few_non_matches``)

    def to_dict(self, labels: list[str]) -> dict[str, object]:
        """Plain data for metrics."""
        return {
            "prior": round(self.prior, 6),
            "iterations": self.iterations,
            "u_from": self.u_from,
            "m": {label: [round(float(x), 4) for x in self.m[i]] for i, label in enumerate(labels)},
            "u": {label: [round(float(x), 4) for x in self.u[i]] for i, label in enumerate(labels)},
        }


def levels(sims: np.ndarray) -> np.ndarray:
    """Agreement level per pair and comparison (0 best .. 3 worst; -1 missing)."""
    out = np.full(sims.shape, -1, dtype=np.int8)
    for j in range(sims.shape[1]):  # column by column: no pairs-sized float temporaries
        out[:, j] = column_levels(sims[:, j])
    return out


def column_levels(column: np.ndarray) -> np.ndarray:
    """Agreement level per pair of one comparison's similarities (-1 missing)."""
    cut = np.searchsorted(-np.array(LEVEL_BOUNDS), -column, side="left")
    return np.where(np.isnan(column), -1, cut).astype(np.int8)


def level_shares(
    level: np.ndarray, weights: np.ndarray | None = None, floor: float = _FLOOR
) -> np.ndarray:
    """Share of each level among the present values of one comparison (at least ``floor``)."""
    present = level >= 0
    w = None if weights is None else weights[present]
    counts = np.bincount(level[present], weights=w, minlength=N_LEVELS).astype(float)
    counts = counts + floor * max(counts.sum(), 1.0)
    return counts / counts.sum()


def _log_ratio(level: np.ndarray, m: np.ndarray, u: np.ndarray) -> np.ndarray:
    """log(m/u) per pair and comparison (0 where missing)."""
    ratio = np.log(m) - np.log(u)
    out = np.zeros(level.shape)
    for j in range(level.shape[1]):
        present = level[:, j] >= 0
        out[present, j] = ratio[j, level[present, j]]
    return out


def posterior(level: np.ndarray, m: np.ndarray, u: np.ndarray, prior: float) -> np.ndarray:
    """Posterior match probability per pair."""
    log_odds = np.log(prior) - np.log1p(-prior) + _log_ratio(level, m, u).sum(axis=1)
    return 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))


def informative(
    mask: np.ndarray, pass_fields: list[set[str]], fields: Sequence[str | Sequence[str]]
) -> np.ndarray:
    """Pairs x comparisons: may this pair inform the m of this comparison?

    Only pairs proposed by a blocking pass whose key uses none of the fields the
    comparison reads (``fields``: per comparison, its field or all of them, as
    ``Comparison.fields`` gives them for an either-order pair) do: pairs found because
    their names sort together say nothing about how often true matches agree on the
    name. A comparison whose fields some pass uses every time learns from all pairs.
    """
    out = np.zeros((len(mask), len(fields)), dtype=bool)
    for j, read in enumerate(fields):
        names = {read} if isinstance(read, str) else set(read)
        for bit, used in enumerate(pass_fields):
            if used.isdisjoint(names):
                out[:, j] |= (mask >> bit & 1).astype(bool)
        if not out[:, j].any():
            out[:, j] = True
    return out


def patterns(
    level: np.ndarray, inform: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (level, informative) patterns, each pair's pattern, and pattern counts."""
    k = level.shape[1]
    if len(level) == 0:
        everywhere = np.ones(level.shape, dtype=bool) if inform is None else inform
        return level, everywhere, np.empty(0, np.int64), np.empty(0, np.int64)
    base = N_LEVELS + 1
    powers = base ** np.arange(k, dtype=np.int64)
    bits = 2 ** np.arange(k, dtype=np.int64)
    size = int(base**k) * 2**k
    code = _pattern_code(level, inform, powers, size)
    unique, inverse, counts = _distinct(code, size)
    del code
    levels_of = (unique[:, None] // 2**k // powers[None, :]) % base - 1
    inform_of = (unique[:, None] // bits[None, :]) % 2 == 1
    return levels_of.astype(level.dtype), inform_of, inverse, counts


def _pattern_code(
    level: np.ndarray, inform: np.ndarray | None, powers: np.ndarray, size: int
) -> np.ndarray:
    """One code in [0, ``size``) per pair encoding its levels and informative flags (all
    set without ``inform``), in the narrowest integer type that holds ``size``; built
    ``CHUNK`` pairs at a time, so the only pairs-sized array is the result."""
    k = level.shape[1]
    code = np.empty(len(level), dtype=np.int32 if size <= 2**31 else np.int64)
    for start in range(0, len(level), CHUNK):
        rows = slice(start, start + CHUNK)
        part = np.zeros(len(code[rows]), dtype=np.int64)
        for j in range(k):
            part += (level[rows, j].astype(np.int64) + 1) * int(powers[j])
        part *= 2**k
        if inform is None:
            part += 2**k - 1
        else:
            for j in range(k):
                part += inform[rows, j].astype(np.int64) << j
        code[rows] = part
    return code


def _distinct(code: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``np.unique(code, return_inverse=True, return_counts=True)`` for codes in
    [0, size): by counting instead of sorting the pairs when the range is small (chunk by
    chunk, so no pairs-sized index temporaries; the inverse is int32)."""
    if size > DENSE_CODES:
        unique, inverse, counts = np.unique(code, return_inverse=True, return_counts=True)
        return unique, inverse.reshape(-1), counts
    tally = np.zeros(size, dtype=np.int64)
    for start in range(0, len(code), CHUNK):
        tally += np.bincount(code[start : start + CHUNK], minlength=size)
    unique = np.flatnonzero(tally).astype(np.int64)
    lookup = np.zeros(size, dtype=np.int32)
    lookup[unique] = np.arange(len(unique), dtype=np.int32)
    inverse = np.empty(len(code), dtype=np.int32)
    for start in range(0, len(code), CHUNK):
        inverse[start : start + CHUNK] = lookup[code[start : start + CHUNK]]
    return unique, inverse, tally[unique]


def estimate(
    level: np.ndarray, inform: np.ndarray | None = None, fixed_u: np.ndarray | None = None
) -> Parameters:
    """m, u and the prior by EM over the candidate pairs' levels.

    ``inform`` (pairs x comparisons, see ``informative``) limits which pairs
    re-estimate each comparison's m; all pairs take part in the E step and in u.
    Pairs with the same pattern are identical to EM, so it runs over the distinct
    patterns weighted by their counts. With ``fixed_u`` (from ``random_u``) u is
    not estimated: EM learns m and the prior only.
    """
    comparisons = level.shape[1]
    m = np.full((comparisons, N_LEVELS), 1.0 / N_LEVELS)
    u, prior = m.copy(), 0.5
    unique, usable, _, counts = patterns(level, inform)
    masked = np.where(usable, unique, -1)
    weight = _agreement_seed(unique) * counts
    iterations = 0
    while len(unique) and iterations < MAX_ITERATIONS:
        iterations += 1
        new_m, new_u, new_prior = _m_step(unique, masked, weight, counts)
        if fixed_u is not None:
            new_u = fixed_u
        change = max(
            float(np.abs(new_m - m).max()),
            float(np.abs(new_u - u).max()),
            abs(new_prior - prior),
        )
        m, u, prior = new_m, new_u, new_prior
        if change < TOLERANCE:
            break
        weight = posterior(unique, m, u, prior) * counts
    u_from = "candidate pairs" if fixed_u is None else "random pairs"
    return Parameters(m, u, prior, iterations, u_from)


def too_few_non_matches(params: Parameters, pairs: int) -> bool:
    """Whether EM expects fewer than ``FEW_NON_MATCHES`` non-matches among ``pairs``
    candidates: blocking so sharp that almost every candidate is a true pair leaves it
    next to nothing to learn u from."""
    return params.u_from == "candidate pairs" and (1.0 - params.prior) * pairs < FEW_NON_MATCHES


def random_u(level: np.ndarray) -> np.ndarray:
    """u (comparisons x levels) as the level shares of random record pairs' levels: two
    records drawn at random are strangers, all but never the same entity."""
    return np.vstack([level_shares(level[:, j]) for j in range(level.shape[1])])


def _m_step(
    unique: np.ndarray, masked: np.ndarray, weight: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """m, u and the prior from each pattern's expected number of matches ``weight``."""
    columns = range(unique.shape[1])
    m = np.vstack([level_shares(masked[:, j], weight, M_FLOOR) for j in columns])
    u = np.vstack([level_shares(unique[:, j], counts - weight) for j in columns])
    prior = float(np.clip(weight.sum() / counts.sum(), _FLOOR, 1 - _FLOOR))
    return m, u, prior


def _agreement_seed(unique: np.ndarray) -> np.ndarray:
    """Where EM starts: a pattern agreeing fully on most of its present comparisons is
    probably a match, any other probably not."""
    present = (unique >= 0).sum(axis=1)
    agree = (unique == 0).sum(axis=1)
    return np.where(2 * agree > np.maximum(present, 1), SEED_MATCH, 1 - SEED_MATCH)


@dataclass(frozen=True)
class Contributions:
    """Match weights per pair and comparison, stored once per distinct level pattern.

    Indexing (``contrib[rows, column]``, ``contrib[rows]``) gives the pairs' float32
    weights (NaN where missing) without building the pairs x comparisons array.
    """

    table: np.ndarray
    pattern: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.pattern), self.table.shape[1]

    def __len__(self) -> int:
        return len(self.pattern)

    def __getitem__(self, key: Any) -> np.ndarray:
        if isinstance(key, tuple):
            rows, column = key
            return np.asarray(self.table[self.pattern[rows], column])
        return np.asarray(self.table[self.pattern[key]])


def score_patterns(level: np.ndarray, params: Parameters) -> tuple[np.ndarray, Contributions]:
    """Posterior probability per pair and its match weights by level pattern."""
    unique, _, inverse, _ = patterns(level)
    by_pattern = posterior(unique, params.m, params.u, params.prior)
    probability = np.empty(len(inverse))
    for start in range(0, len(inverse), CHUNK):  # chunks: no pairs-sized index temporaries
        probability[start : start + CHUNK] = by_pattern[inverse[start : start + CHUNK]]
    table = (_log_ratio(unique, params.m, params.u) / np.log(2.0)).astype(np.float32)
    table[unique < 0] = np.nan
    pattern = inverse.astype(np.int32 if len(unique) < 2**31 else np.int64, copy=False)
    return probability, Contributions(table, pattern)


def score(level: np.ndarray, params: Parameters) -> tuple[np.ndarray, np.ndarray]:
    """Posterior probability per pair and match weight log2(m/u) per comparison (NaN missing)."""
    probability, contributions = score_patterns(level, params)
    return probability, contributions[:]
