"""Match one frame: block, score, decide, cluster under constraints.

``match_frame`` works on rows by position (the caller orders them, the match stage
by ``_rid``) and knows nothing of run contexts, files or reports, so the match
stage, the business-partner link and the benchmark share it. What reviewers
decided and which golden keys are registered come in as ``Constraints`` on
positions; see ``migrate.matching.constraints`` for how they shape clusters.
Given a distributed engine, the pairs' similarities are computed on its workers,
shuffled by blocking key (``migrate.matching.shuffle``); blocking, Fellegi-Sunter's
estimation, decisions and clustering always run in this process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from migrate.engine.base import Engine
from migrate.engine.local import LocalEngine
from migrate.matching import fellegi_sunter as fs
from migrate.matching.blocking import Candidates, candidate_pairs
from migrate.matching.clustering import components
from migrate.matching.constraints import (
    DECIDED,
    GUARD,
    NO_MATCH,
    REGISTERED,
    REKEY,
    SCORED,
    Apart,
    Links,
    Resolution,
    empty_pairs,
    resolve,
)
from migrate.matching.scoring import CHUNK, Shown, WeightedContributions, comparison_labels
from migrate.matching.shuffle import PairScorer, PairScores, score_shuffled
from migrate.spec.match import MatchSpec, Thresholds

Progress = Callable[[int, int], None]


@dataclass
class Scored:
    """Scores of the candidate pairs and, per comparison, similarity (as shown) and
    contribution (computed when indexed, like an array: Fellegi-Sunter's from the level
    patterns, the weights mode's from the similarities)."""

    score: np.ndarray
    sims: Shown
    contrib: np.ndarray | fs.Contributions | WeightedContributions
    model: dict[str, Any] | None = None
    ran_on: dict[str, Any] | None = None  # engine and partitions, when scored distributed


@dataclass(frozen=True)
class Constraints:
    """Reviewed pairs (``verdict`` True = match) and registered golden keys, by position."""

    a: np.ndarray
    b: np.ndarray
    verdict: np.ndarray
    labels: np.ndarray | None = None
    registered: tuple[np.ndarray, np.ndarray] = field(default_factory=empty_pairs)

    @staticmethod
    def none() -> Constraints:
        """No decisions, no registry."""
        a, b = empty_pairs()
        return Constraints(a, b, np.empty(0, dtype=bool))


@dataclass
class MatchOutcome:
    """Everything the match produced, by position and by candidate pair."""

    candidates: Candidates
    scored: Scored
    decision: pd.Categorical[str]
    reviewed: pd.Categorical[str]
    kept: np.ndarray
    note: pd.Categorical[str]
    roots: np.ndarray
    clusters_split: int
    seconds: dict[str, float] = field(default_factory=dict)


class Clock:
    """Seconds spent per phase."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - started, 4)


def match_frame(
    ordered: pd.DataFrame,
    spec: MatchSpec,
    constraints: Constraints | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> MatchOutcome:
    """Block, score, decide and cluster the rows of ``ordered`` (addressed by position).

    With a distributed ``engine`` the pairs are scored on its workers (see
    ``score_candidates``); everything else runs here.
    """
    constraints = constraints or Constraints.none()
    clock = Clock()
    with clock.phase("blocking"):
        candidates = candidate_pairs(ordered, spec.blocking)
    with clock.phase("scoring"):
        scored = score_candidates(ordered, candidates, spec, progress, engine)
        decision = decide(scored.score, spec.thresholds)
    with clock.phase("clustering"):
        reviewed = _reviewed(len(ordered), candidates, constraints)
        links, apart, origin = _links(
            len(ordered), candidates, scored.score, (decision, reviewed), spec, constraints
        )
        resolution = resolve(len(ordered), links, apart)
        kept, note = _per_candidate(len(candidates), resolution, origin)
        decision = _final_decision(decision, reviewed, note)
    return MatchOutcome(
        candidates,
        scored,
        decision,
        reviewed,
        kept,
        note,
        resolution.roots,
        resolution.clusters_split,
        clock.seconds,
    )


def score_candidates(
    ordered: pd.DataFrame,
    candidates: Candidates,
    spec: MatchSpec,
    progress: Progress | None,
    engine: Engine | None = None,
) -> Scored:
    """Weighted-mean or Fellegi-Sunter scores of the candidate pairs.

    The similarities (and the weights-mode score or the agreement levels) come from
    ``_pair_scores``; Fellegi-Sunter's estimation (EM over all pairs' agreement
    patterns) and its scores are computed here, on the client, from the levels.
    """
    raw, ran_on = _pair_scores(ordered, candidates, spec, progress, engine)
    sims = Shown(raw.codes)
    if spec.mode == "weights":
        assert raw.score is not None
        weights = np.array([c.weight for c in spec.compare], dtype=float)
        return Scored(raw.score, sims, WeightedContributions(sims, weights), ran_on=ran_on)
    assert raw.level is not None
    level = raw.level
    del raw
    pass_fields = [{part.field for part in p.key} for p in spec.blocking]
    inform = fs.informative(candidates.mask, pass_fields, [c.fields for c in spec.compare])
    params = fs.estimate(level, inform)
    if fs.too_few_non_matches(params, len(candidates)):
        params = fs.estimate(level, inform, fixed_u=fs.random_u(_random_levels(ordered, spec)))
    del inform
    score, contributions = fs.score_patterns(level, params)
    model = params.to_dict(comparison_labels(spec.compare))
    return Scored(score, sims, contributions, model, ran_on)


RANDOM_PAIRS = 20_000  # record pairs drawn for u when the candidates hold too few strangers


def _random_levels(ordered: pd.DataFrame, spec: MatchSpec) -> np.ndarray:
    """Agreement levels of ``RANDOM_PAIRS`` record pairs drawn at random (a fixed seed, so
    every run and engine draws the same), scored in this process."""
    rows = len(ordered)
    if rows < 2:
        return np.empty((0, len(spec.compare)), dtype=np.int8)
    draw = np.random.default_rng(0).integers(0, rows, size=(2, RANDOM_PAIRS))
    apart = draw[0] != draw[1]
    left, right = np.minimum(*draw)[apart], np.maximum(*draw)[apart]
    level = PairScorer.of(spec).score(ordered, left, right).level
    assert level is not None
    return level


def _pair_scores(
    ordered: pd.DataFrame,
    candidates: Candidates,
    spec: MatchSpec,
    progress: Progress | None,
    engine: Engine | None,
) -> tuple[PairScores, dict[str, Any] | None]:
    """The pairs' scores, and where they ran: in this process over the whole frame (no
    engine, or the local one: no partitions, no copies of rows), or shuffled by blocking
    key over a distributed engine's workers (``migrate.matching.shuffle``). Both run
    ``PairScorer``, so both give the same bits."""
    if engine is None or engine.name == LocalEngine.name:
        scorer = PairScorer.of(spec)
        return scorer.score(ordered, candidates.left, candidates.right, progress), None
    scores, partitions = score_shuffled(ordered, candidates, spec, engine, progress)
    return scores, {"engine": engine.name, "partitions": partitions}


DECISIONS = ("match", "review", "distinct")
VERDICTS = ("", "match", "no-match")
NOTES = ("", NO_MATCH, GUARD, REKEY)


def decide(score: np.ndarray, thresholds: Thresholds) -> pd.Categorical[str]:
    """``match`` / ``review`` / ``distinct`` per score."""
    out = texts(len(score), "distinct", DECISIONS)
    out[score >= thresholds.review] = "review"
    out[score >= thresholds.auto_merge] = "match"
    return out


def texts(count: int, value: str, choices: tuple[str, ...]) -> pd.Categorical[str]:
    """``value`` ``count`` times, as a categorical over ``choices``: one byte per element
    (an object array takes eight, and these are pairs-sized). Compares with ``==``,
    indexes and assigns (a value among ``choices``) like an array."""
    codes = np.full(count, choices.index(value), dtype=np.int8)
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(choices)))


def _candidate_index(n: int, candidates: Candidates, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pair (a, b), the index of the same pair among the candidates (-1: not one)."""
    if not len(a) or not len(candidates):
        return np.full(len(a), -1, dtype=np.int64)
    codes = candidates.left.astype(np.int64) * n + candidates.right
    return pd.Index(codes).get_indexer(np.minimum(a, b) * n + np.maximum(a, b))


def _reviewed(n: int, candidates: Candidates, constraints: Constraints) -> pd.Categorical[str]:
    """Per candidate pair, the reviewer's verdict: 'match', 'no-match' or ''."""
    out = texts(len(candidates), "", VERDICTS)
    where = _candidate_index(n, candidates, constraints.a, constraints.b)
    found = where >= 0
    out[where[found]] = np.where(constraints.verdict[found], "match", "no-match")
    return out


def _links(
    n: int,
    candidates: Candidates,
    score: np.ndarray,
    decided: tuple[pd.Categorical[str], pd.Categorical[str]],
    spec: MatchSpec,
    constraints: Constraints,
) -> tuple[Links, Apart, np.ndarray]:
    """Links by level, what keeps records apart, and per link its candidate (-1: none)."""
    decision, reviewed = decided
    scored = np.flatnonzero((decision == "match") & (reviewed == ""))
    said = constraints.verdict
    reg_a, reg_b = constraints.registered
    a = np.concatenate([candidates.left[scored], constraints.a[said], reg_a])
    b = np.concatenate([candidates.right[scored], constraints.b[said], reg_b])
    level = np.concatenate(
        [
            np.full(len(scored), SCORED, np.int8),
            np.full(int(said.sum()), DECIDED, np.int8),
            np.full(len(reg_a), REGISTERED, np.int8),
        ]
    )
    strength = np.concatenate([score[scored], np.ones(len(a) - len(scored))])
    said_at = _candidate_index(n, candidates, constraints.a[said], constraints.b[said])
    origin = np.concatenate([scored, said_at, np.full(len(reg_a), -1)])
    weak = empty_pairs()
    if spec.cluster_floor is not None:
        weak = weak_pairs(n, candidates, (score, reviewed), spec.cluster_floor, (a, b))
    never = (constraints.a[~said], constraints.b[~said])
    links = Links(np.minimum(a, b), np.maximum(a, b), level, strength)
    return links, Apart(never, weak, constraints.labels), origin


def weak_pairs(
    n: int,
    candidates: Candidates,
    scored: tuple[np.ndarray, pd.Categorical[str]],
    floor: float,
    links: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """The unreviewed candidate pairs below ``floor`` that the chaining guard needs: those
    whose two records ``links`` put in one component. A weak pair across components can
    never be joined by these links, so leaving it out changes no cluster; and there are
    few of the others where most candidates are weak. Chunk by chunk of pairs: no
    pairs-sized temporaries."""
    score, reviewed = scored
    roots = components(n, *links)
    found = [np.empty(0, np.int64)]
    for start in range(0, len(candidates), CHUNK):
        rows = slice(start, start + CHUNK)
        left, right = candidates.left[rows], candidates.right[rows]
        weak = (score[rows] < floor) & (reviewed[rows] == "") & (roots[left] == roots[right])
        found.append(np.flatnonzero(weak) + start)
    index = np.concatenate(found)
    return candidates.left[index], candidates.right[index]


def _per_candidate(
    count: int, resolution: Resolution, origin: np.ndarray
) -> tuple[np.ndarray, pd.Categorical[str]]:
    """Per candidate pair: kept as a match link, and why a match link was dropped."""
    kept = np.zeros(count, dtype=bool)
    note = texts(count, "", NOTES)
    mine = origin >= 0
    kept[origin[mine]] = resolution.kept[mine]
    note[origin[mine]] = resolution.reason[mine]
    return kept, note


def _final_decision(
    decision: pd.Categorical[str], reviewed: pd.Categorical[str], note: pd.Categorical[str]
) -> pd.Categorical[str]:
    """Reviewers' verdicts win; a match that would re-key loaded records goes to review.
    (``decision`` is changed in place: a copy would be one more pairs-sized array.)"""
    decision[reviewed == "match"] = "match"
    decision[reviewed == "no-match"] = "distinct"
    decision[note == REKEY] = "review"
    return decision
