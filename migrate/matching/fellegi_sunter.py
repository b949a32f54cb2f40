"""Fellegi-Sunter scoring: a match probability from agreement levels.

Each comparison's similarity is cut into agreement levels: 0 (>= 0.95), 1
(>= 0.85), 2 (>= 0.70), 3 (below) and "missing" (the comparison is left out, a
factor of 1). For every comparison and level two probabilities are estimated:

* ``u`` = P(level | the pair is not a match), from pairs of rows drawn uniformly
  at random over the whole frame (up to 1,000,000 pairs, fixed seed so runs are
  repeatable); random pairs are almost all non-matches.
* ``m`` = P(level | the pair is a match), by expectation-maximisation over the
  blocked candidate pairs with ``u`` held fixed: the E step gives each pair its
  posterior match probability, the M step re-estimates ``m`` (and the share of
  matches among candidates, the prior) from those posteriors. Comparisons are
  assumed independent given the match status. A comparison's ``m`` is learnt
  only from pairs that a blocking pass not keyed on its field proposed (pairs
  found because their names sort together would make name agreement look like
  the mark of a match); a field every pass uses learns from all pairs. One
  constraint keeps EM from mistaking "similar but different" for the match
  class: matches agree on a field (top level) at least as often as they
  disagree completely (bottom level); where an M step breaks this, both get
  their mean. With few or no duplicates in the data there is little to learn m
  from; the constraint then stops merely similar values from passing for the
  mark of a match, though near-identical records still score high.

The score of a pair is its posterior match probability
``p * prod(m) / (p * prod(m) + (1 - p) * prod(u))`` over its present comparisons,
so ``thresholds`` are probabilities in this mode. A comparison's contribution is
its match weight ``log2(m / u)`` at the pair's level (positive: evidence for a
match, negative: against).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LEVEL_BOUNDS = (0.95, 0.85, 0.70)
N_LEVELS = len(LEVEL_BOUNDS) + 1
U_SAMPLE = 1_000_000
SEED = 20240601
MAX_ITERATIONS = 200
TOLERANCE = 1e-7
_START_M = np.array([0.85, 0.08, 0.04, 0.03])
_START_PRIOR = 0.1
_FLOOR = 1e-6


@dataclass(frozen=True)
class Parameters:
    """Estimated model: m and u (comparisons x levels) and the prior match share."""

    m: np.ndarray
    u: np.ndarray
    prior: float
    iterations: int

    def to_dict(self, labels: list[str]) -> dict[str, object]:
        """Plain data for metrics."""
        return {
            "prior": round(self.prior, 6),
            "iterations": self.iterations,
            "m": {label: [round(float(x), 4) for x in self.m[i]] for i, label in enumerate(labels)},
            "u": {label: [round(float(x), 4) for x in self.u[i]] for i, label in enumerate(labels)},
        }


def levels(sims: np.ndarray) -> np.ndarray:
    """Agreement level per pair and comparison (0 best .. 3 worst; -1 missing)."""
    out = np.full(sims.shape, -1, dtype=np.int8)
    present = ~np.isnan(sims)
    out[present] = N_LEVELS - 1
    for level in range(len(LEVEL_BOUNDS) - 1, -1, -1):
        out[present & (np.nan_to_num(sims) >= LEVEL_BOUNDS[level])] = level
    return out


def random_pairs(n: int, size: int = U_SAMPLE, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Up to ``size`` uniformly drawn pairs of distinct rows (fixed seed)."""
    if n < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    count = int(min(size, n * (n - 1)))
    rng = np.random.default_rng(seed)
    first = rng.integers(0, n, count)
    second = rng.integers(0, n - 1, count)
    second = second + (second >= first)
    return first, second


def level_shares(level: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Share of each level among the present values of one comparison (never 0)."""
    present = level >= 0
    w = None if weights is None else weights[present]
    counts = np.bincount(level[present], weights=w, minlength=N_LEVELS).astype(float)
    counts = counts + _FLOOR * max(counts.sum(), 1.0)
    return counts / counts.sum()


def estimate_u(sample_levels: np.ndarray) -> np.ndarray:
    """u per comparison and level from the levels of random pairs."""
    return np.vstack([level_shares(sample_levels[:, j]) for j in range(sample_levels.shape[1])])


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


def informative(mask: np.ndarray, pass_fields: list[set[str]], fields: list[str]) -> np.ndarray:
    """Pairs x comparisons: may this pair inform the m of this comparison?

    Only pairs proposed by a blocking pass whose key does not use the compared
    field do: pairs found because their names sort together say nothing about how
    often true matches agree on the name. A comparison whose field every pass
    uses learns from all pairs.
    """
    out = np.zeros((len(mask), len(fields)), dtype=bool)
    for j, name in enumerate(fields):
        for bit, used in enumerate(pass_fields):
            if name not in used:
                out[:, j] |= (mask >> bit & 1).astype(bool)
        if not out[:, j].any():
            out[:, j] = True
    return out


def patterns(
    level: np.ndarray, inform: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (level, informative) patterns, each pair's pattern, and pattern counts."""
    k = level.shape[1]
    if inform is None:
        inform = np.ones(level.shape, dtype=bool)
    if len(level) == 0:
        return level, inform, np.empty(0, np.int64), np.empty(0, np.int64)
    base = N_LEVELS + 1
    powers = base ** np.arange(k, dtype=np.int64)
    bits = 2 ** np.arange(k, dtype=np.int64)
    code = ((level.astype(np.int64) + 1) @ powers) * 2**k + inform.astype(np.int64) @ bits
    unique, inverse, counts = np.unique(code, return_inverse=True, return_counts=True)
    levels_of = (unique[:, None] // 2**k // powers[None, :]) % base - 1
    inform_of = (unique[:, None] // bits[None, :]) % 2 == 1
    return levels_of.astype(level.dtype), inform_of, inverse.reshape(-1), counts


def estimate_m(level: np.ndarray, u: np.ndarray, inform: np.ndarray | None = None) -> Parameters:
    """m and the prior by EM over the candidate pairs' levels, with u fixed.

    ``inform`` (pairs x comparisons, see ``informative``) limits which pairs
    re-estimate each comparison's m; all pairs take part in the E step. Pairs
    with the same pattern are identical to EM, so it runs over the distinct
    patterns weighted by their counts.
    """
    comparisons = level.shape[1]
    m = np.tile(_START_M, (comparisons, 1))
    prior = _START_PRIOR
    unique, usable, _, counts = patterns(level, inform)
    masked = np.where(usable, unique, -1)
    iterations = 0
    while len(unique) and iterations < MAX_ITERATIONS:
        iterations += 1
        weight = posterior(unique, m, u, prior) * counts
        shares = [level_shares(masked[:, j], weight) for j in range(comparisons)]
        new_m = _agreeing(np.vstack(shares))
        new_prior = float(np.clip(weight.sum() / counts.sum(), _FLOOR, 1 - _FLOOR))
        change = max(float(np.abs(new_m - m).max()), abs(new_prior - prior))
        m, prior = new_m, new_prior
        if change < TOLERANCE:
            break
    return Parameters(m, u, prior, iterations)


def _agreeing(m: np.ndarray) -> np.ndarray:
    """Matches agree on a field at least as often as they disagree completely."""
    low = m[:, 0] < m[:, -1]
    mean = (m[low, 0] + m[low, -1]) / 2
    m[low, 0] = mean
    m[low, -1] = mean
    return m


def score(level: np.ndarray, params: Parameters) -> tuple[np.ndarray, np.ndarray]:
    """Posterior probability per pair and match weight log2(m/u) per comparison (NaN missing)."""
    unique, _, inverse, _ = patterns(level)
    probability = posterior(unique, params.m, params.u, params.prior)[inverse]
    weight = (_log_ratio(unique, params.m, params.u) / np.log(2.0))[inverse]
    return probability, np.where(level >= 0, weight, np.nan)
