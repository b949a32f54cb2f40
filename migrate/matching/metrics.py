"""The match stage's figures: pairs, decisions, clusters, constraints and warnings."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from migrate.matching import fellegi_sunter as fs
from migrate.matching.clustering import cluster_sizes
from migrate.matching.constraints import GUARD, NO_MATCH, REKEY
from migrate.matching.engine import RANDOM_PAIRS, Constraints, MatchOutcome

LARGE_CLUSTER = 50
EXAMPLES = 20


def match_metrics(
    outcome: MatchOutcome,
    rids: np.ndarray,
    ordered: pd.DataFrame,
    constraints: Constraints,
    state: dict[str, Any],
) -> dict[str, Any]:
    """Stage figures: pairs per pass, decisions, clusters, skipped blocks, constraints."""
    candidates, decision, roots = outcome.candidates, outcome.decision, outcome.roots
    sizes = cluster_sizes(roots)
    cluster_roots, counts = np.unique(roots[sizes > 1], return_counts=True)
    large = [
        {"cluster": int(rids[r]), "size": int(c)}
        for r, c in zip(cluster_roots, counts, strict=True)
        if c > LARGE_CLUSTER
    ]
    rekey = _would_rekey(outcome, ordered, constraints, state)
    warnings = [
        f"blocking pass {s.pass_name!r}: block {s.key!r} has {s.size} rows "
        f"(over max_block); skipped"
        for s in candidates.skipped
    ] + [f"cluster {c['cluster']} has {c['size']} rows" for c in large]
    warnings += _model_warnings(outcome)
    if rekey["pairs"]:
        warnings.append(
            f"{rekey['pairs']} match(es) would join records already loaded under different "
            "golden keys; sent to review instead of re-keying"
        )
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
        "edges_cut": int((outcome.note == GUARD).sum()),
        "clusters_split": outcome.clusters_split,
        "decisions": _decisions(outcome, constraints, state),
        "golden_keys": _registered(constraints),
        "would_rekey": rekey,
        "warnings": warnings,
    }
    if outcome.scored.model is not None:
        metrics["fellegi_sunter"] = outcome.scored.model
    return metrics


def _model_warnings(outcome: MatchOutcome) -> list[str]:
    """A note when the Fellegi-Sunter model took u from random record pairs: blocking so
    sharp that nearly every candidate is a true pair leaves EM next to nothing to learn
    what strangers look like from (``fellegi_sunter.too_few_non_matches``)."""
    model = outcome.scored.model
    if model is None or model.get("u_from") != "random pairs":
        return []
    return [
        f"the Fellegi-Sunter model expected fewer than {fs.FEW_NON_MATCHES} non-matches among "
        f"the {len(outcome.candidates)} candidate pairs, so it took u from "
        f"{RANDOM_PAIRS:,} random record pairs instead; check the model (prior "
        f"{float(model['prior']):.3f}) before trusting auto_merge"
    ]


def _decisions(
    outcome: MatchOutcome, constraints: Constraints, state: dict[str, Any]
) -> dict[str, int]:
    """How many reviewers' decisions applied, and how many overruled the score."""
    reviewed = outcome.reviewed
    scored = outcome.scored.score
    return {
        "applied": len(constraints.a),
        "match": int(constraints.verdict.sum()),
        "no_match": int((~constraints.verdict).sum()),
        "not_in_run": int(state.get("decisions_not_in_run", 0)),
        "pairs_kept_apart": int((outcome.note == NO_MATCH).sum()),
        "candidates_decided": int((reviewed != "").sum()),
        "candidates_decided_against_score": int(
            ((reviewed == "no-match") & (scored > 0.5)).sum()
            + ((reviewed == "match") & (scored <= 0.5)).sum()
        ),
    }


def _registered(constraints: Constraints) -> dict[str, int]:
    codes = constraints.labels
    if codes is None:
        return {"registered_records": 0, "registered_keys": 0}
    present = codes[codes >= 0]
    return {"registered_records": len(present), "registered_keys": len(np.unique(present))}


def _would_rekey(
    outcome: MatchOutcome,
    ordered: pd.DataFrame,
    constraints: Constraints,
    state: dict[str, Any],
) -> dict[str, Any]:
    """Matches held back because they would merge two registered golden keys."""
    held = np.flatnonzero(outcome.note == REKEY)
    names = state.get("label_names", np.empty(0, dtype=object))
    if not len(held) or constraints.labels is None:
        return {"pairs": 0, "golden_key_pairs": 0, "examples": []}
    key_of_root = _key_of_root(outcome.roots, constraints.labels, names)
    a = outcome.candidates.left[held]
    b = outcome.candidates.right[held]
    keys_a = key_of_root.reindex(outcome.roots[a]).to_numpy(dtype=object)
    keys_b = key_of_root.reindex(outcome.roots[b]).to_numpy(dtype=object)
    found = pd.DataFrame({"a": a, "b": b, "key_a": keys_a, "key_b": keys_b})
    found["score"] = outcome.scored.score[held]
    distinct = found.drop_duplicates(["key_a", "key_b"])
    examples = [
        {
            "golden_keys": [str(r["key_a"]), str(r["key_b"])],
            "records": [_record(ordered, int(r["a"])), _record(ordered, int(r["b"]))],
            "score": round(float(r["score"]), 4),
        }
        for r in distinct.head(EXAMPLES).to_dict("records")
    ]
    return {"pairs": len(held), "golden_key_pairs": len(distinct), "examples": examples}


def _key_of_root(roots: np.ndarray, codes: np.ndarray, names: np.ndarray) -> pd.Series:
    """The (smallest) registered golden key held by each cluster root."""
    labelled = codes >= 0
    first = pd.Series(codes[labelled]).groupby(roots[labelled]).min()
    return pd.Series(names[first.to_numpy()], index=first.index)


def _record(ordered: pd.DataFrame, position: int) -> str:
    row = ordered.iloc[position]
    return f"{row['_system']}:{row['_key']}"
