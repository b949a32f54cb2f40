"""Match stage: find the records of one object that are the same real-world thing.

Without ``rules.match`` every row is its own cluster. Otherwise, over the rows
in ``_rid`` order:

1. blocking (``migrate.matching.blocking``) proposes candidate pairs, pass by
   pass; oversized blocks are skipped and reported in the metrics;
2. scoring (``migrate.matching.scoring`` or, with ``mode: fellegi_sunter``,
   ``migrate.matching.fellegi_sunter``) gives each pair a score in [0, 1] plus a
   similarity and contribution per comparison;
3. decisions: ``score >= auto_merge`` is a match, ``review <= score < auto_merge``
   goes to ``<out>/review/<object>_review.csv`` and is not merged, below is distinct;
4. clustering (``migrate.matching.clustering``): connected components of the
   matches, split by the chaining guard when ``cluster_floor`` is set.

The frame comes back with an int ``_cluster`` column (smallest ``_rid`` of the
cluster). The scored pairs go to ``ctx.extras["pairs:<object>"]`` with columns
``rid_a, rid_b, score, decision, passes, cut, same_cluster`` and
``<label>_sim`` / ``<label>_contrib`` per comparison (``cut``: a match the
chaining guard removed).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from migrate.matching import fellegi_sunter as fs
from migrate.matching.blocking import Candidates, candidate_pairs
from migrate.matching.clustering import Edges, cluster_sizes, components, guard_chains
from migrate.matching.review import review_frame, write_review
from migrate.matching.scoring import comparison_labels, similarity_matrix, weighted_scores
from migrate.spec.loader import ObjectSpec
from migrate.spec.match import MatchSpec, Thresholds
from migrate.stages.base import RunContext, StageResult

STAGE = "match"
LARGE_CLUSTER = 50


@dataclass
class Scored:
    """Scores of the candidate pairs and, per comparison, similarity and contribution."""

    score: np.ndarray
    sims: np.ndarray
    contrib: np.ndarray
    model: dict[str, Any] | None = None


class _Clock:
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


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Add ``_cluster`` to ``frame``; record pairs, review file and metrics."""
    started = time.perf_counter()
    spec = obj.rules.match
    out = frame.copy()
    if spec is None:
        out["_cluster"] = frame["_rid"].to_numpy(dtype=np.int64)
        metrics: dict[str, Any] = {"matching": "off", "clusters": 0, "rows_in_clusters": 0}
    else:
        clusters, metrics = _match(frame, obj, ctx, spec)
        out["_cluster"] = clusters
    seconds = time.perf_counter() - started
    return out, StageResult(STAGE, obj.name, len(frame), len(out), seconds, metrics)


def _match(
    frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext, spec: MatchSpec
) -> tuple[np.ndarray, dict[str, Any]]:
    """Cluster id per row of ``frame`` (in its order) and the stage metrics."""
    clock = _Clock()
    rids = frame["_rid"].to_numpy(dtype=np.int64)
    order = np.argsort(rids, kind="stable")
    ordered = frame.iloc[order].set_axis(pd.Index(rids[order]), axis=0)
    labels = comparison_labels(spec.compare)
    with clock.phase("blocking"):
        candidates = candidate_pairs(ordered, spec.blocking)
    with clock.phase("scoring"):
        scored = _score(ordered, candidates, spec, ctx, obj.name)
        decision = decide(scored.score, spec.thresholds)
    with clock.phase("clustering"):
        roots, kept, guard = _cluster(len(ordered), candidates, scored.score, decision, spec)
    pairs = _pairs_frame(rids[order], candidates, scored, decision, kept, roots, labels)
    ctx.extras[f"pairs:{obj.name}"] = pairs
    with clock.phase("review"):
        table = review_frame(ordered, pairs[pairs["decision"] == "review"], spec.compare, labels)
        path = write_review(table, ctx.out_dir / "review" / f"{obj.name}_review.csv")
        review_path = path.relative_to(ctx.out_dir).as_posix()
    clusters = np.empty(len(frame), dtype=np.int64)
    clusters[order] = rids[order][roots]
    metrics = _metrics(candidates, decision, roots, rids[order], guard, scored)
    metrics["review_file"] = review_path
    metrics["seconds"] = clock.seconds
    return clusters, metrics


def _score(
    ordered: pd.DataFrame, candidates: Candidates, spec: MatchSpec, ctx: RunContext, name: str
) -> Scored:
    """Weighted-mean or Fellegi-Sunter scores of the candidate pairs."""

    def report(done: int, total: int) -> None:
        ctx.progress(f"match {name}: scoring", done, total)

    left, right = candidates.left, candidates.right
    sims = similarity_matrix(ordered, left, right, spec.compare, on_chunk=report)
    if spec.mode == "weights":
        weights = np.array([c.weight for c in spec.compare], dtype=float)
        score, contrib = weighted_scores(sims, weights)
        return Scored(score, sims, contrib)
    sample_a, sample_b = fs.random_pairs(len(ordered))
    sample = similarity_matrix(ordered, sample_a, sample_b, spec.compare, fs.LEVEL_BOUNDS[-1])
    level = fs.levels(sims)
    pass_fields = [{part.field for part in p.key} for p in spec.blocking]
    inform = fs.informative(candidates.mask, pass_fields, [c.field for c in spec.compare])
    params = fs.estimate_m(level, fs.estimate_u(fs.levels(sample)), inform)
    score, contrib = fs.score(level, params)
    model = params.to_dict(comparison_labels(spec.compare))
    return Scored(score, sims, contrib, model)


def decide(score: np.ndarray, thresholds: Thresholds) -> np.ndarray:
    """``match`` / ``review`` / ``distinct`` per score."""
    return np.select(
        [score >= thresholds.auto_merge, score >= thresholds.review],
        ["match", "review"],
        default="distinct",
    ).astype(object)


def _cluster(
    n: int, candidates: Candidates, score: np.ndarray, decision: np.ndarray, spec: MatchSpec
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Component root per position, which match edges were kept, and guard figures."""
    is_match = np.flatnonzero(decision == "match")
    pairs = Edges(candidates.left, candidates.right, score)
    matches = pairs.take(is_match)
    kept = np.ones(len(is_match), dtype=bool)
    guard = {"edges_cut": 0, "clusters_split": 0}
    if spec.cluster_floor is not None:
        result = guard_chains(n, matches, pairs, spec.cluster_floor)
        kept = result.kept
        guard = {"edges_cut": result.edges_removed, "clusters_split": result.clusters_split}
    roots = components(n, matches.a[kept], matches.b[kept])
    kept_all = np.zeros(len(score), dtype=bool)
    kept_all[is_match[kept]] = True
    return roots, kept_all, guard


def _pairs_frame(
    rids: np.ndarray,
    candidates: Candidates,
    scored: Scored,
    decision: np.ndarray,
    kept: np.ndarray,
    roots: np.ndarray,
    labels: list[str],
) -> pd.DataFrame:
    """The scored pairs by ``_rid`` with decision, passes and per-comparison figures."""
    left, right = candidates.left, candidates.right
    columns: dict[str, Any] = {
        "rid_a": rids[left],
        "rid_b": rids[right],
        "score": scored.score,
        "decision": pd.array(decision, dtype="str"),
        "passes": pd.array(candidates.pass_labels(), dtype="str"),
        "cut": (decision == "match") & ~kept,
        "same_cluster": roots[left] == roots[right],
    }
    for column, label in enumerate(labels):
        columns[f"{label}_sim"] = scored.sims[:, column]
        columns[f"{label}_contrib"] = scored.contrib[:, column]
    return pd.DataFrame(columns)


def _metrics(
    candidates: Candidates,
    decision: np.ndarray,
    roots: np.ndarray,
    rids: np.ndarray,
    guard: dict[str, int],
    scored: Scored,
) -> dict[str, Any]:
    """Stage figures: pairs per pass, decisions, clusters, skipped blocks, warnings."""
    sizes = cluster_sizes(roots)
    cluster_roots, counts = np.unique(roots[sizes > 1], return_counts=True)
    large = [
        {"cluster": int(rids[r]), "size": int(c)}
        for r, c in zip(cluster_roots, counts, strict=True)
        if c > LARGE_CLUSTER
    ]
    warnings = [
        f"blocking pass {s.pass_name!r}: block {s.key!r} has {s.size} rows "
        f"(over max_block); skipped"
        for s in candidates.skipped
    ] + [f"cluster {c['cluster']} has {c['size']} rows" for c in large]
    metrics: dict[str, Any] = {
        "pairs_per_pass": dict(candidates.per_pass),
        "candidate_pairs": len(candidates),
        "matches": int((decision == "match").sum()),
        "reviews": int((decision == "review").sum()),
        "distinct": int((decision == "distinct").sum()),
        "clusters": len(cluster_roots),
        "rows_in_clusters": int(counts.sum()),
        "largest_cluster": int(counts.max()) if len(counts) else 1 if len(rids) else 0,
        "skipped_blocks": len(candidates.skipped),
        "skipped_block_list": [s.to_dict() for s in candidates.skipped],
        "large_clusters": large,
        **guard,
        "warnings": warnings,
    }
    if scored.model is not None:
        metrics["fellegi_sunter"] = scored.model
    return metrics
