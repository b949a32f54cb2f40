"""Shared helpers: seeded random streams, object arrays and text noise."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

Obj = NDArray[np.object_]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]

_FULLWIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
_FULLWIDTH_DIGITS = {code: code + 0xFEE0 for code in b"0123456789-()"}


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """Return an independent generator for one named stream of one seed."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode("utf-8"))])


def day(iso: str) -> int:
    """Days since 1970-01-01 for an ISO date."""
    return int(np.datetime64(iso, "D").astype(np.int64))


def obj(values: Sequence[Any] | NDArray[Any]) -> Obj:
    """A one-dimensional object array holding ``values``."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values) if not isinstance(values, np.ndarray) else values
    return out


def pick(rng: np.random.Generator, options: Sequence[Any], size: int, p: Sequence[float]) -> Obj:
    """Draw ``size`` items of ``options`` with probabilities ``p``."""
    idx = rng.choice(len(options), size=size, p=np.asarray(p, dtype=float) / sum(p))
    return obj(options)[idx]


def index_pick(rng: np.random.Generator, lengths: Ints) -> Ints:
    """For each row a random index below that row's ``lengths``."""
    return np.floor(rng.random(len(lengths)) * lengths).astype(np.int64)


def choose_rows(rng: np.random.Generator, mask: Bools, count: int) -> Ints:
    """Up to ``count`` random positions where ``mask`` is true, in random order."""
    where = np.flatnonzero(mask)
    return rng.permutation(where)[:count]


def fullwidth(text: str) -> str:
    """Turn ASCII letters, digits and punctuation into their full-width forms."""
    return text.translate(_FULLWIDTH)


def fullwidth_digits(text: str) -> str:
    """Turn only digits, hyphens and brackets into full-width forms."""
    return text.translate(_FULLWIDTH_DIGITS)


def defect_count(rows: int, rate: float = 0.015, minimum: int = 3) -> int:
    """How many rows get one defect kind: ``rate`` of the rows, at least ``minimum``."""
    return max(minimum, round(rows * rate))


def zipf_weights(rng: np.random.Generator, n: int, skew: float = 1.1) -> NDArray[np.float64]:
    """Cumulative popularity weights (some items far more popular than others)."""
    ranks = rng.permutation(n) + 1.0
    weights = 1.0 / ranks**skew + 1.0 / n
    cum = np.cumsum(weights)
    return cum / cum[-1]


def draw_cumulative(rng: np.random.Generator, cum: NDArray[np.float64], size: int) -> Ints:
    """Sample indices from cumulative weights (fast for large populations)."""
    idx = np.searchsorted(cum, rng.random(size), side="right")
    return np.minimum(idx, len(cum) - 1).astype(np.int64)
