"""Match stage: find the records of one object that are the same real-world thing.

Without ``rules.match`` every row is its own cluster. Otherwise, over the rows
in ``_rid`` order, ``migrate.matching.engine`` blocks, scores and clusters:

1. blocking (``migrate.matching.blocking``) proposes candidate pairs, pass by
   pass; oversized blocks are skipped and reported in the metrics;
2. scoring (``migrate.matching.scoring`` or, with ``mode: fellegi_sunter``,
   ``migrate.matching.fellegi_sunter``) gives each pair a score in [0, 1] plus a
   similarity and contribution per comparison; with a distributed engine
   (``ctx.engine``, ``migrate run --engine dask``) the similarities are computed on
   its workers, the pairs shuffled by blocking key (``migrate.matching.shuffle``),
   and the metrics say so (``ran_on``: engine and partitions; the figures are the
   same, bit for bit, as in one process);
3. decisions: ``score >= auto_merge`` is a match, ``review <= score < auto_merge``
   goes to review and is not merged, below is distinct -- unless a reviewer decided
   the pair (``ctx.extras["decisions:<object>"]``, from the project's decisions
   file): then the verdict wins, and a decided pair is never asked again;
4. clustering under constraints (``migrate.matching.constraints``): reviewers'
   matches, records registered under one golden key (``ctx.extras["golden_keys:
   <object>"]``) and scored matches join records; no-match verdicts, the chaining
   guard (``cluster_floor``) and different registered golden keys keep them apart.
   A scored match that would join two registered golden keys goes to review
   (note ``would re-key``) and is reported in the metrics instead of re-keying
   records already loaded.

Review pairs go to ``<out>/review/<object>_review.csv`` and, with the merged pairs,
to the review workbook ``<out>/review/<object>_review.xlsx``. The frame comes back
with an int ``_cluster`` column (smallest ``_rid`` of the cluster). The scored pairs
go to ``ctx.extras["pairs:<object>"]`` with columns ``rid_a, rid_b, score, decision,
passes, cut, same_cluster, reviewed, note`` and ``<label>_sim`` / ``<label>_contrib``
per comparison (``cut``: a match the constraints removed; similarities are kept to 4
decimals, as every output shows them).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from migrate.matching.engine import Constraints, MatchOutcome, decide, match_frame
from migrate.matching.metrics import match_metrics
from migrate.matching.review import personal_fields, review_frame, write_review
from migrate.matching.scoring import comparison_labels
from migrate.review.decisions import positions as decided_positions
from migrate.review.workbook import MERGED_ROWS, write_workbook
from migrate.spec.loader import ObjectSpec
from migrate.spec.match import MatchSpec
from migrate.stages.base import RunContext, StageResult
from migrate.state.registry import identity, labels, registered_links

STAGE = "match"
__all__ = ["STAGE", "decide", "run"]


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Add ``_cluster`` to ``frame``; record pairs, review files and metrics."""
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
    rids = frame["_rid"].to_numpy(dtype=np.int64)
    order = np.argsort(rids, kind="stable")
    ordered = frame.iloc[order].set_axis(pd.Index(rids[order]), axis=0)
    constraints, state = _constraints(ordered, obj, ctx)

    def report(done: int, total: int) -> None:
        ctx.progress(f"match {obj.name}: scoring", done, total)

    outcome = match_frame(ordered, spec, constraints, report, ctx.engine)
    labels_ = comparison_labels(spec.compare)
    pairs = _pairs_frame(rids[order], outcome, labels_)
    ctx.extras[f"pairs:{obj.name}"] = pairs
    started = time.perf_counter()
    files = _write_review(ordered, pairs, obj, ctx, spec, labels_)
    outcome.seconds["review"] = round(time.perf_counter() - started, 4)
    clusters = np.empty(len(frame), dtype=np.int64)
    clusters[order] = rids[order][outcome.roots]
    metrics = match_metrics(outcome, rids[order], ordered, constraints, state)
    metrics.update(files)
    metrics["seconds"] = outcome.seconds
    if outcome.scored.ran_on is not None:
        metrics["ran_on"] = outcome.scored.ran_on
    return clusters, metrics


def _constraints(
    ordered: pd.DataFrame, obj: ObjectSpec, ctx: RunContext
) -> tuple[Constraints, dict[str, Any]]:
    """Reviewers' decisions and registered golden keys as positions in ``ordered``."""
    records = identity(ordered["_system"], ordered["_key"])
    state: dict[str, Any] = {"decisions_not_in_run": 0, "label_names": np.empty(0, dtype=object)}
    a = b = np.empty(0, np.int64)
    verdict = np.empty(0, dtype=bool)
    decisions = ctx.extras.get(f"decisions:{obj.name}")
    if decisions is not None and len(decisions):
        a, b, verdict, state["decisions_not_in_run"] = decided_positions(decisions, records)
    registry = ctx.extras.get(f"golden_keys:{obj.name}")
    if registry is None or not len(registry):
        return Constraints(a, b, verdict), state
    codes, names = labels(registry, records)
    own = _own_keys(ordered, obj)
    owners = np.zeros(len(codes), dtype=bool)
    has = codes >= 0
    owners[has] = own[has] == names[codes[has]]
    state["label_names"] = names
    links = registered_links(codes, owners)
    return Constraints(a, b, verdict, codes, links), state


def _own_keys(ordered: pd.DataFrame, obj: ObjectSpec) -> np.ndarray:
    """Each row's own business key (key fields joined with '|'), as the merge builds it."""
    from migrate.stages.merge import golden_keys

    fields = [name for name in obj.mapping.key if name in ordered.columns]
    if not fields:
        return np.full(len(ordered), "", dtype=object)
    return golden_keys(ordered, fields).to_numpy(dtype=object)


def _pairs_frame(rids: np.ndarray, outcome: MatchOutcome, labels_: list[str]) -> pd.DataFrame:
    """The scored pairs by ``_rid`` with decision, passes and per-comparison figures."""
    candidates, scored, roots = outcome.candidates, outcome.scored, outcome.roots
    left, right = candidates.left, candidates.right
    columns: dict[str, Any] = {
        "rid_a": rids[left],
        "rid_b": rids[right],
        "score": scored.score,
        "decision": outcome.decision.astype("str"),
        "passes": pd.array(candidates.pass_labels(), dtype="str"),
        "cut": (outcome.decision == "match") & ~outcome.kept,
        "same_cluster": roots[left] == roots[right],
        "reviewed": outcome.reviewed.astype("str"),
        "note": outcome.note.astype("str"),
    }
    for column, label in enumerate(labels_):
        columns[f"{label}_sim"] = scored.sims[:, column]
        columns[f"{label}_contrib"] = scored.contrib[:, column]
    frame = pd.DataFrame(columns)
    frame["kept"] = outcome.kept
    return frame


def _write_review(
    ordered: pd.DataFrame,
    pairs: pd.DataFrame,
    obj: ObjectSpec,
    ctx: RunContext,
    spec: MatchSpec,
    labels_: list[str],
) -> dict[str, Any]:
    """The review CSV (review pairs) and workbook (review and merged pairs)."""
    folder = ctx.out_dir / "review"
    asked = pairs[(pairs["decision"] == "review") & (pairs["reviewed"] == "")]
    personal = personal_fields(obj.mapping)
    review = review_frame(
        ordered, asked.drop(columns="reviewed"), spec.compare, labels_, personal=personal
    )
    csv = write_review(review, folder / f"{obj.name}_review.csv")
    merged_pairs = pairs[pairs["kept"].to_numpy(dtype=bool)]
    merged = review_frame(
        ordered,
        merged_pairs.nsmallest(MERGED_ROWS, "score"),
        spec.compare,
        labels_,
        True,
        personal=personal,
    )
    book = write_workbook(
        folder / f"{obj.name}_review.xlsx",
        obj.name,
        ctx.run_id,
        {"review": review, "merged": merged},
    )
    return {
        "review_file": csv.relative_to(ctx.out_dir).as_posix(),
        "review_workbook": book.relative_to(ctx.out_dir).as_posix(),
        "merged_pairs_in_workbook": len(merged),
    }
