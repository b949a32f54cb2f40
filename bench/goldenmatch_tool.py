"""GoldenMatch 3.22 under benchmark (optional: ``pip install -e ".[bench]"``), run in a child
process like ``bench.match_tools.run_migrate``, the way its README shows zero-config
deduplication from Python: ``goldenmatch.dedupe_df(table)`` on an Arrow table, with no
rules, no labels and no training, so its auto-configuration chooses the matchkeys,
scorers, blocking and thresholds itself ("what a team gets with zero config").

* The table holds the data set's fields (``bench.match_data.FIELDS``) as they are, with
  neither the record id nor the truth: GoldenMatch numbers the rows itself (its
  ``__row_id__`` is the row's position) and the ids are put back afterwards.
* Its defaults otherwise, which are offline: no LLM scorer (``llm_scorer`` /
  ``llm_auto`` default off), no embeddings or cross-encoder (auto-config demotes remote
  assets unless ``allow_remote_assets=True``), no analytics (opt-in).
* One setting differs from a user's machine: the cross-run auto-config memory
  (``~/.goldenmatch/autoconfig_memory.db``, which reuses a config chosen on earlier data
  of the same shape) is off (``GOLDENMATCH_AUTOCONFIG_MEMORY=0``), so every run
  configures itself from its own data, whatever ran on the machine before.
* From 100,000 records auto-config refuses to run a config it rates RED
  (``ControllerNotConfidentError``); then the run is repeated with the escape hatch
  the error names, ``allow_red_config=True``, and the figures say so
  (``refused_red_config``; ``seconds`` is the run that matched, the refused attempt's
  seconds are in ``phases``).

Timed: the Arrow table built from the loaded frame, ``dedupe_df``, and reading the
clusters (``result.clusters``: which rows belong together) and the pairs it scored as
matches (``result.scored_pairs``, the pairs clustering started from). GoldenMatch reports
neither the number of candidate pairs it compared nor the candidates themselves, so
``pairs_compared`` and ``blocking_recall`` are None.

Memory at 1,000,000 records: above 750,000 rows on a box with under 32 GB of RAM its
default routes scoring off the memory-bounded bucket scorer to the legacy per-block
path, which went past 16 GiB here (people and companies, 24 GB box) and was stopped;
``dedupe_df(..., backend="bucket")``, its README's at-scale option, stayed under 4 GiB.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np
import pandas as pd

from bench.match_data import FIELDS
from bench.match_tools import own_peak_mib, read_frame


def _config_summary(config: Any) -> str:
    """What auto-config chose, in one line: matchkeys (type, fields) and blocking."""
    keys = []
    for key in config.get_matchkeys():
        fields = "+".join(f.field for f in key.fields or [] if f.field)
        keys.append(f"{key.name}[{key.type}:{fields}]")
    blocking = config.blocking
    passes: list[str] = []
    if blocking is not None:
        for pass_ in [*(blocking.keys or []), *(blocking.passes or [])]:
            passes.append("+".join(pass_.fields))
    return f"matchkeys {', '.join(keys)}; blocking {' | '.join(passes) or 'none'}"


def run_goldenmatch(data_path: str, dataset: str, mode: str, out_path: str) -> dict[str, Any]:
    """Match with GoldenMatch's zero-config ``dedupe_df``; returns figures, writes clusters
    and matched pairs."""
    os.environ["GOLDENMATCH_AUTOCONFIG_MEMORY"] = "0"  # before goldenmatch is imported
    import goldenmatch as gm
    import pyarrow as pa
    from goldenmatch.core.autoconfig_controller import ControllerNotConfidentError

    frame = read_frame(data_path, ["unique_id", *FIELDS[dataset]])
    ids = frame.pop("unique_id").to_numpy()
    phases: dict[str, float] = {}
    refused = False
    started = time.perf_counter()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    try:
        result = gm.dedupe_df(table)
    except ControllerNotConfidentError:
        refused = True
        phases["refused"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        result = gm.dedupe_df(table, allow_red_config=True)
    phases["dedupe_df"] = round(time.perf_counter() - started, 2)
    cluster_of = np.full(len(ids), -1, dtype=np.int64)
    for cluster_id, info in result.clusters.items():
        cluster_of[np.asarray(info["members"], dtype=np.int64)] = cluster_id
    scored = np.array([(a, b) for a, b, _ in result.scored_pairs], dtype=np.int64)
    scored = scored.reshape(-1, 2)
    seconds = time.perf_counter() - started
    phases["results"] = round(seconds - phases["dedupe_df"], 2)
    peak = own_peak_mib()
    unclustered = cluster_of < 0  # every row should be in a cluster, singletons included
    cluster_of[unclustered] = cluster_of.max(initial=0) + 1 + np.arange(int(unclustered.sum()))
    pd.DataFrame({"unique_id": ids, "cluster_id": cluster_of}).to_parquet(out_path)
    pd.DataFrame({"a": ids[scored[:, 0]], "b": ids[scored[:, 1]]}).to_parquet(
        out_path + ".pairs.parquet"
    )
    return {
        "seconds": round(seconds, 2),
        "peak_mib": peak,
        "phases": phases,
        "pairs_compared": None,
        "blocking_recall": None,
        "refused_red_config": refused,
        "config": _config_summary(result.config),
    }
