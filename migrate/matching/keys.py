"""Golden keys that stay: which cluster keeps which registered golden key.

A record loaded by an earlier run is registered under the golden key it went
under (``migrate.state.registry``). In this run each cluster keeps a registered
key of its members:

* a key goes to one cluster only: the one holding its owner (the record whose
  own business key it is), else the one with most of its records, then the
  smallest cluster id; records of the key left in other clusters are split off
  (only a reviewer's no-match decision does that) and get fresh keys;
* a cluster holding several keys (a reviewer merged them) keeps the one whose
  owner it holds, else the one with most records, then the smallest key; the
  others are retired;
* a cluster without a registered key takes its survivor's own key, as on a
  first run.

Everything is computed for all clusters at once with group-bys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

EXAMPLES = 20


@dataclass
class KeyPlan:
    """Registered golden key per cluster, and what changed against the registry."""

    keys: pd.Series
    retired: list[dict[str, Any]] = field(default_factory=list)
    split: list[dict[str, Any]] = field(default_factory=list)
    retired_count: int = 0
    split_count: int = 0


def plan_keys(clusters: np.ndarray, own: np.ndarray, registered: np.ndarray) -> KeyPlan:
    """Per cluster its registered golden key (``keys``, indexed by cluster id).

    ``own`` is each row's own business key, ``registered`` its registered golden
    key (None/NA where not registered); all three per row.
    """
    frame = pd.DataFrame({"cluster": clusters, "own": own, "key": registered})
    frame = frame[frame["key"].notna()]
    if frame.empty:
        return KeyPlan(pd.Series([], dtype=object))
    frame["owner"] = (frame["own"] == frame["key"]).to_numpy(dtype=bool)
    claims = frame.groupby(["key", "cluster"], sort=True).agg(
        members=("own", "size"), owner=("owner", "any")
    )
    claims = claims.reset_index()
    ranked = claims.sort_values(
        ["key", "owner", "members", "cluster"], ascending=[True, False, False, True], kind="stable"
    )
    winners = ranked.drop_duplicates("key", keep="first")
    losers = ranked[~ranked.index.isin(winners.index)]
    chosen = winners.sort_values(
        ["cluster", "owner", "members", "key"], ascending=[True, False, False, True], kind="stable"
    ).drop_duplicates("cluster", keep="first")
    retired = winners[~winners.index.isin(chosen.index)]
    keys = pd.Series(chosen["key"].to_numpy(dtype=object), index=chosen["cluster"].to_numpy())
    return KeyPlan(
        keys,
        retired=_retired(retired, keys),
        split=_split(losers, keys),
        retired_count=len(retired),
        split_count=int(losers["members"].sum()),
    )


def _retired(retired: pd.DataFrame, keys: pd.Series) -> list[dict[str, Any]]:
    return [
        {
            "golden_key": str(r["key"]),
            "merged_into": str(keys[r["cluster"]]),
            "records": int(r["members"]),
        }
        for r in retired.head(EXAMPLES).to_dict("records")
    ]


def _split(losers: pd.DataFrame, keys: pd.Series) -> list[dict[str, Any]]:
    return [
        {
            "golden_key": str(r["key"]),
            "records_split_off": int(r["members"]),
            "now_under": str(keys[r["cluster"]]) if r["cluster"] in keys.index else None,
        }
        for r in losers.head(EXAMPLES).to_dict("records")
    ]
