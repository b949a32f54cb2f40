"""Benchmark duplicate matching: migrate (weights and Fellegi-Sunter modes) against Splink 5
(and GoldenMatch 3.22).

For each data set (``people``: person-like records; ``companies``: the demo's
Chinese company-and-address customers) and size, every tool runs in a fresh child
process (wall time of the matching itself, from the loaded frame to clusters; peak
resident memory of that process, read from its own VmHWM so that a child does not
inherit its parent's peak) and is scored against the known truth:

* pairwise precision / recall / F1: the pairs the tool declared matches;
* cluster precision / recall / F1: every pair of records the tool put in one
  cluster (pair counting over clusters), plus the share of true clusters found
  exactly;
* blocking recall: the share of true pairs among the pairs the tool compared.

Sizes come from ``MIGRATE_BENCH_SIZES`` (default ``10000,100000,1000000``); data
sets from ``MIGRATE_BENCH_DATASETS`` (default ``people,companies``); tools from
``MIGRATE_BENCH_TOOLS`` (default ``weights,fellegi_sunter,splink``; ``goldenmatch``,
GoldenMatch's zero-config deduplication, on request; Splink and GoldenMatch need
``pip install -e ".[bench]"`` and are skipped with a note when missing). GoldenMatch
reports neither its candidate pairs nor their number: its pairs compared and blocking
recall are None ("n/a" in the table).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bench.goldenmatch_tool import run_goldenmatch
from bench.match_data import prepare
from bench.match_tools import run_migrate
from bench.memory import measured
from bench.splink_tool import run_splink, splink_rules

DEFAULT_SIZES = "10000,100000,1000000"
TOOLS = {
    "weights": run_migrate,
    "fellegi_sunter": run_migrate,
    "splink": run_splink,
    "goldenmatch": run_goldenmatch,
}
# Optional tools (the bench extra): the module each needs; the default runs those installed.
OPTIONAL = {"splink": "splink", "goldenmatch": "goldenmatch"}
DEFAULT_TOOLS = "weights,fellegi_sunter,splink"


def _setting(name: str, default: str) -> list[str]:
    return [p.strip() for p in os.environ.get(name, default).split(",") if p.strip()]


def run(work_dir: Path) -> dict[str, Any]:
    """Every data set x size x tool; figures per run (JSON-able)."""
    sizes = [int(s) for s in _setting("MIGRATE_BENCH_SIZES", DEFAULT_SIZES)]
    datasets = _setting("MIGRATE_BENCH_DATASETS", "people,companies")
    tools = _setting("MIGRATE_BENCH_TOOLS", DEFAULT_TOOLS)
    for tool, module in OPTIONAL.items():
        if tool in tools and importlib.util.find_spec(module) is None:
            tools.remove(tool)
            print(f"{tool} is not installed (pip install -e '.[bench]'); skipped", flush=True)
    results = []
    for dataset in datasets:
        for size in sizes:
            data = prepare(dataset, size, work_dir)
            for tool in tools:
                results.append(run_case(data, dataset, size, tool, work_dir))
    return {"results": results, "table": table(results)}


def run_case(data: Path, dataset: str, size: int, tool: str, work_dir: Path) -> dict[str, Any]:
    """One tool on one data set; its figures and quality."""
    out = work_dir / f"{dataset}_{size}_{tool}.parquet"
    print(f"  {dataset} {size} {tool} ...", flush=True)
    outcome = measured(TOOLS[tool], str(data), dataset, tool, str(out))
    figures = dict(outcome["result"])
    frame = pd.read_parquet(data)
    truth = frame["cluster"].to_numpy()
    found = pd.read_parquet(out).set_index("unique_id")["cluster_id"]
    clusters = found.reindex(frame["unique_id"]).to_numpy()
    clusters = np.where(pd.isna(clusters), -1 - np.arange(len(frame)), clusters).astype(np.int64)
    pairs = pd.read_parquet(str(out) + ".pairs.parquet")
    if "blocking_recall" not in figures:
        figures["blocking_recall"] = splink_blocking_recall(frame, splink_rules(dataset))
    result = {
        "dataset": dataset,
        "records": len(frame),
        "tool": tool,
        "peak_mib": outcome["peak_mib"],
        **figures,
        "true_pairs": _pair_count(truth),
        "pairwise": pairwise_quality(truth, pairs["a"].to_numpy(), pairs["b"].to_numpy()),
        "clusters": cluster_quality(truth, clusters),
    }
    print(f"  {json.dumps(result)}", flush=True)
    return result


def _pair_count(labels: np.ndarray) -> int:
    sizes = np.unique(labels, return_counts=True)[1].astype(np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def _prf(true_positive: int, found: int, expected: int) -> dict[str, float]:
    precision = true_positive / found if found else 1.0
    recall = true_positive / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 5), "recall": round(recall, 5), "f1": round(f1, 5)}


def pairwise_quality(truth: np.ndarray, a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """Precision, recall, F1 of declared match pairs (ids are positions)."""
    low, high = np.minimum(a, b), np.maximum(a, b)
    unique = np.unique(low.astype(np.int64) * len(truth) + high)
    low, high = unique // len(truth), unique % len(truth)
    correct = int((truth[low] == truth[high]).sum())
    return _prf(correct, len(unique), _pair_count(truth))


def cluster_quality(truth: np.ndarray, clusters: np.ndarray) -> dict[str, float]:
    """Pair-counting precision / recall / F1 over clusters, and exact-cluster recall."""
    both = pd.DataFrame({"t": truth, "c": clusters})
    joint = both.groupby(["t", "c"]).size().to_numpy(dtype=np.int64)
    correct = int((joint * (joint - 1) // 2).sum())
    quality = _prf(correct, _pair_count(clusters), _pair_count(truth))
    exact = both.groupby("t")["c"].agg(["nunique", "size"])
    sizes = both.groupby("c").size()
    first = both.groupby("t")["c"].first()
    same = (exact["nunique"] == 1) & (sizes.reindex(first.to_numpy()).to_numpy() == exact["size"])
    quality["exact_clusters"] = round(float(same.mean()), 5)
    return quality


def splink_blocking_recall(frame: pd.DataFrame, rules: list[list[str]]) -> float:
    """Share of true pairs that some equi-join rule (all its parts equal and filled) proposes:
    a blank value is missing, as both tools read the data (``bench.splink_tool`` turns
    blanks into nulls)."""
    ordered = frame.sort_values("cluster", kind="stable")
    sizes = ordered.groupby("cluster").size()
    pairs_a, pairs_b = [], []
    starts = np.r_[0, np.cumsum(sizes.to_numpy())[:-1]]
    for size in range(2, int(sizes.max()) + 1 if len(sizes) else 0):
        begin = starts[sizes.to_numpy() == size]
        for i in range(size):
            for j in range(i + 1, size):
                pairs_a.append(begin + i)
                pairs_b.append(begin + j)
    if not pairs_a:
        return 1.0
    a, b = np.concatenate(pairs_a), np.concatenate(pairs_b)
    hit = np.zeros(len(a), dtype=bool)
    for rule in rules:
        agree = np.ones(len(a), dtype=bool)
        for part in rule:
            name, _, cut = part.partition(":")
            values = ordered[name].astype("str").str.strip()
            values = values.where(values != "")
            values = values.str.slice(0, int(cut)) if cut else values
            left, right = values.to_numpy(dtype=object)[a], values.to_numpy(dtype=object)[b]
            agree &= pd.notna(left) & pd.notna(right) & (left == right)
        hit |= agree
    return round(float(hit.mean()), 5)


def table(results: list[dict[str, Any]]) -> list[str]:
    """The README table rows (markdown)."""
    rows = [
        "| data | records | tool | pairs compared | blocking recall | pairwise P / R / F1 "
        "| cluster P / R / F1 | wall s | peak MiB |",
        "|---|---:|---|---:|---:|---|---|---:|---:|",
    ]
    for r in results:
        p, c = r["pairwise"], r["clusters"]
        # a tool that does not report its candidate pairs (GoldenMatch) has neither figure
        compared = "n/a" if r.get("pairs_compared") is None else f"{r['pairs_compared']:,}"
        recall = "n/a" if r.get("blocking_recall") is None else f"{r['blocking_recall']:.4f}"
        rows.append(
            f"| {r['dataset']} | {r['records']:,} | {r['tool']} | {compared} "
            f"| {recall} | {p['precision']:.4f} / {p['recall']:.4f} / "
            f"{p['f1']:.4f} | {c['precision']:.4f} / {c['recall']:.4f} / {c['f1']:.4f} "
            f"| {r['seconds']:.1f} | {r['peak_mib']:,.0f} |"
        )
    return rows


if __name__ == "__main__":
    figures = run(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/migrate-bench-match"))
    print("\n".join(figures["table"]))
