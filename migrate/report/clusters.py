"""Duplicate clusters of one object, from the ledger: how many, how big, the largest ones.

A cluster is a golden record with the legacy records merged into it; members
are shown as ``SYSTEM:legacy key`` (keys, never values, so nothing personal).
"""

from __future__ import annotations

import pandas as pd

from migrate.ledger import Ledger
from migrate.report.sections import Cluster, ClusterSummary

LARGEST = 20


def cluster_summary(ledger: Ledger, obj: str, largest: int = LARGEST) -> ClusterSummary | None:
    """The object's clusters (None when nothing was merged)."""
    members = ledger.members(obj)
    if members.empty:
        return None
    rows = ledger.rows(obj).set_index("_rid")
    label = rows["_system"].astype(str) + ":" + rows["_key"].astype(str)
    survivors = members.drop_duplicates("survivor_rid")
    table = pd.concat(
        [
            pd.DataFrame({"golden_key": survivors["golden_key"], "rid": survivors["survivor_rid"]}),
            pd.DataFrame({"golden_key": members["golden_key"], "rid": members["_rid"]}),
        ],
        ignore_index=True,
    )
    table["golden_key"] = table["golden_key"].astype(str)
    table["member"] = label.reindex(table["rid"].to_numpy()).to_numpy()
    grouped = table.groupby("golden_key", sort=True)["member"]
    sizes = grouped.size()
    histogram = sizes.value_counts().sort_index()
    order = sizes.sort_values(ascending=False, kind="stable").index[:largest]
    return ClusterSummary(
        clusters=len(sizes),
        rows=int(sizes.sum()),
        merged=len(members),
        sizes={str(size): int(count) for size, count in histogram.items()},
        largest=tuple(
            Cluster(str(key), int(sizes[key]), tuple(sorted(grouped.get_group(key))))
            for key in order
        ),
    )
