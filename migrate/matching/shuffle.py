"""Scoring candidate pairs partition by partition, shuffled by blocking key.

Blocking needs whole key columns, and Fellegi-Sunter's EM needs every pair's agreement
pattern at once, so both stay in the client process; what an engine can spread over
workers is the expensive part in between: computing each pair's similarities. This
module cuts the candidate pairs into partitions that a worker scores on its own:

* **which partition.** A pair belongs to the first blocking pass that proposed it (the
  lowest bit of its pass mask): a pair several passes found is scored once. Its
  partition is a hash of that pass's key value (``pd.util.hash_array``, the same on
  every machine and run) modulo the partition count, so every pair of a block is in
  one partition. In a sorted-neighbourhood pass (``window``) the two rows of a pair
  can have different keys; the pair takes the key that sorts first of its two rows, so
  the pairs among one key's rows (a block) stay whole and the pairs reaching into the
  next keys go with the row they start from.
* **what travels.** A partition carries only the rows its pairs touch and only the
  columns the comparisons read (``MatchSpec.compared_fields``), with its pairs as
  positions into that small frame; a worker sends back the similarities as shown
  (``Shown`` codes, two bytes each) and either the weights-mode score or the
  Fellegi-Sunter agreement levels (one byte each), which the client puts back at the
  pairs' positions.
* **the same figures.** ``PairScorer`` is the one scoring code (``weighted_similarities``
  in weights mode; ``similarity_pieces`` and ``column_levels`` for Fellegi-Sunter): the
  in-process path calls it once over the whole frame, a worker calls it per partition.
  Every value it computes depends on the pair's two records alone (rapidfuzz per pair,
  numbers and dates per element, date parsing per value) and the weights-mode score is
  element-wise, so a pair gets the same bits whichever partition, whatever rows beside it.

For the shuffle the client builds the blocking keys of the rows in pairs again (blocking
keeps none) and holds a few pairs-sized integer arrays (partition per pair and the pairs'
order by partition) on top of the arrays the in-process path holds. Fellegi-Sunter's
estimation, the decisions and the clustering stay on the client (``migrate.matching.engine``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from migrate.engine.base import Engine
from migrate.matching import fellegi_sunter as fs
from migrate.matching.blocking import Candidates, blocking_key
from migrate.matching.scoring import CHUNK, Shown, similarity_pieces, weighted_similarities
from migrate.spec.match import BlockingPass, Comparison, MatchSpec

Mode = Literal["weights", "fellegi_sunter"]
Progress = Callable[[int, int], None]


@dataclass
class PairScores:
    """What scoring gives per candidate pair: the similarities as shown (``Shown`` codes,
    pairs x comparisons uint16) and, by mode, the weights-mode score (float64) or the
    Fellegi-Sunter agreement levels (pairs x comparisons int8; decided on float64)."""

    codes: np.ndarray
    score: np.ndarray | None = None
    level: np.ndarray | None = None

    @staticmethod
    def room(pairs: int, comparisons: int, mode: Mode) -> PairScores:
        """Empty arrays for ``pairs`` pairs, to be filled partition by partition."""
        codes = np.empty((pairs, comparisons), dtype=np.uint16)
        if mode == "weights":
            return PairScores(codes, score=np.empty(pairs))
        return PairScores(codes, level=np.empty((pairs, comparisons), dtype=np.int8))

    def put(self, index: np.ndarray, part: PairScores) -> None:
        """Place a partition's scores at its pairs' positions ``index``."""
        self.codes[index] = part.codes
        if self.score is not None and part.score is not None:
            self.score[index] = part.score
        if self.level is not None and part.level is not None:
            self.level[index] = part.level


@dataclass(frozen=True)
class Partition:
    """The pairs of one partition: their rows (compared columns only) and their positions
    among those rows (``left < right``)."""

    number: int
    frame: pd.DataFrame
    left: np.ndarray
    right: np.ndarray


@dataclass(frozen=True)
class ScoredPartition:
    """A partition's scores, in its pairs' order."""

    number: int
    scores: PairScores


@dataclass(frozen=True)
class PairScorer:
    """Scores pairs of one frame: the work an engine runs on each partition (picklable:
    the comparisons, the mode and the rapidfuzz cutoff)."""

    compare: tuple[Comparison, ...]
    mode: Mode
    cutoff: float | None

    @staticmethod
    def of(spec: MatchSpec) -> PairScorer:
        """The scorer of a match spec. Fellegi-Sunter tells similarities apart only down to
        the lowest level bound, so below it rapidfuzz may stop early (and give 0)."""
        cutoff = None if spec.mode == "weights" else fs.LEVEL_BOUNDS[-1]
        return PairScorer(tuple(spec.compare), spec.mode, cutoff)

    def __call__(self, part: Partition) -> ScoredPartition:
        return ScoredPartition(part.number, self.score(part.frame, part.left, part.right))

    def score(
        self,
        frame: pd.DataFrame,
        left: np.ndarray,
        right: np.ndarray,
        on_chunk: Progress | None = None,
    ) -> PairScores:
        """The pairs ``(left, right)`` of ``frame`` (positions) scored, chunk by chunk of
        pairs (no pairs-sized float64 matrix)."""
        compare = list(self.compare)
        if self.mode == "weights":
            score, sims, _ = weighted_similarities(frame, left, right, compare, on_chunk)
            return PairScores(sims.codes, score=score)
        sims = Shown.empty(len(left), len(compare))
        level = np.empty(sims.shape, dtype=np.int8)
        pieces = similarity_pieces(frame, left, right, compare, self.cutoff, on_chunk)
        for column, rows, values in pieces:
            sims.put(rows, column, values)
            level[rows, column] = fs.column_levels(values)
        return PairScores(sims.codes, level=level)


@dataclass(frozen=True)
class Shuffle:
    """Candidate pairs grouped by partition: partition ``k`` holds the pairs
    ``order[bounds[k]:bounds[k + 1]]`` (ascending)."""

    order: np.ndarray
    bounds: np.ndarray

    def pairs_of(self, number: int) -> np.ndarray:
        """The candidate indices of partition ``number``."""
        return self.order[self.bounds[number] : self.bounds[number + 1]]

    def numbers(self) -> list[int]:
        """The partitions that have pairs."""
        return [int(k) for k in np.flatnonzero(np.diff(self.bounds))]


def partition_count(pairs: int, workers: int) -> int:
    """At least twice the workers (so none idles while another finishes) and about ``CHUNK``
    pairs a partition at most (a partition's rows and a worker's temporaries stay small),
    rounded up to a multiple of the workers so the last round keeps them all busy."""
    wanted = max(2 * workers, -(-pairs // CHUNK))
    return workers * -(-wanted // workers)


def first_pass(mask: np.ndarray, passes: int) -> np.ndarray:
    """Per pair, the index of the first pass that proposed it (the lowest bit set)."""
    first = np.full(len(mask), -1, dtype=np.int16)
    for index in reversed(range(passes)):
        first[(mask >> mask.dtype.type(index)) & 1 == 1] = index
    return first


def partition_ids(
    frame: pd.DataFrame, candidates: Candidates, passes: list[BlockingPass], parts: int
) -> np.ndarray:
    """Per candidate pair, its partition: the hash of its first pass's key value (see the
    module docstring), modulo ``parts``."""
    part = np.zeros(len(candidates), dtype=np.int32)
    first = first_pass(candidates.mask, len(passes))
    for index, spec in enumerate(passes):
        mine = np.flatnonzero(first == index)
        if len(mine):
            left, right = candidates.left[mine], candidates.right[mine]
            part[mine] = _key_hashes(frame, left, right, spec) % np.uint64(parts)
    return part


def _key_hashes(
    frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, spec: BlockingPass
) -> np.ndarray:
    """Per pair, the hash of the pass's key value that sorts first of its two rows'.

    A row's key depends on that row alone, so only the rows these pairs touch are keyed,
    and only the key values some pair goes by are hashed (the slow part)."""
    rows = np.unique(np.concatenate([left, right]))
    key = blocking_key(frame.iloc[rows], spec.key, spec.unordered)
    codes, uniques = pd.factorize(key, sort=True)
    codes = np.asarray(codes)
    earlier = np.minimum(codes[np.searchsorted(rows, left)], codes[np.searchsorted(rows, right)])
    used = np.unique(earlier)
    hashes = np.zeros(len(uniques), dtype=np.uint64)
    hashes[used] = pd.util.hash_array(np.asarray(uniques[used], dtype=object))
    return hashes[earlier]


def shuffle(
    frame: pd.DataFrame, candidates: Candidates, passes: list[BlockingPass], parts: int
) -> Shuffle:
    """The candidate pairs grouped into ``parts`` partitions by blocking key."""
    part = partition_ids(frame, candidates, passes, parts)
    order = np.argsort(part, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(part, minlength=parts))]
    return Shuffle(order, bounds)


def partitions(frame: pd.DataFrame, candidates: Candidates, plan: Shuffle) -> Iterator[Partition]:
    """Each partition with pairs, built when asked for (an engine keeps only a few in flight):
    the rows its pairs touch, in position order, and the pairs as positions among them."""
    for number in plan.numbers():
        index = plan.pairs_of(number)
        left, right = candidates.left[index], candidates.right[index]
        rows, local = np.unique(np.concatenate([left, right]), return_inverse=True)
        local = local.astype(np.int32)
        yield Partition(number, frame.iloc[rows], local[: len(left)], local[len(left) :])


def score_shuffled(
    ordered: pd.DataFrame,
    candidates: Candidates,
    spec: MatchSpec,
    engine: Engine,
    progress: Progress | None = None,
    parts: int | None = None,
) -> tuple[PairScores, int]:
    """Score the candidate pairs of ``ordered`` partition by partition on ``engine``; the
    scores at the pairs' positions and how many partitions were scored.

    ``parts`` defaults to ``partition_count`` for the engine's workers.
    """
    scorer = PairScorer.of(spec)
    compared = ordered[spec.compared_fields()]  # only what the comparisons read travels
    parts = parts or partition_count(len(candidates), _workers(engine))
    plan = shuffle(ordered, candidates, spec.blocking, parts)
    out = PairScores.room(len(candidates), len(spec.compare), spec.mode)
    done = 0
    for result in engine.map_ordered(scorer, partitions(compared, candidates, plan)):
        index = plan.pairs_of(result.number)
        out.put(index, result.scores)
        done += len(index)
        if progress is not None:
            progress(done, len(candidates))
    return out, len(plan.numbers())


def _workers(engine: Engine) -> int:
    """How many workers the engine has (one for an engine that does not say)."""
    return max(1, int(getattr(engine, "workers", 1)))
