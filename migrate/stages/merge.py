"""Merge stage: one golden record per cluster of matched records.

The input carries ``_cluster`` (from the match stage; without it every row is
its own cluster). For each cluster of more than one row the survivor record is
chosen by ``merge.survivor`` and every other field takes its value by its
survivorship rule (``merge.fields[field]``, else ``merge.default``); see
``migrate.matching.survivorship``. Without a ``merge`` section the defaults of
``MergeSpec`` apply (survivor by source priority, i.e. the earliest ``_rid``;
fields first non-null in survivor-first order).

The golden record keeps the survivor's identity columns and business key
(``mapping.key``); the golden key is those key values joined with ``|``. The
output holds the unclustered rows unchanged plus one golden row per cluster, in
``_rid`` order and indexed by ``_rid``, without ``_cluster``.

Recorded in the run context: the ledger's members (every non-survivor with its
survivor and golden key), ``ctx.xref[<object>]`` (``_system``, ``_key``,
``golden_key`` for every input row) and ``ctx.extras["lineage:<object>"]``
(``golden_key, field, _system, _key``: the record each golden value came from).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from migrate.matching.survivorship import (
    choose_survivors,
    filled,
    pick_values,
    survivor_first_rank,
)
from migrate.spec.loader import ObjectSpec
from migrate.spec.match import MergeSpec
from migrate.stages.base import RunContext, StageResult

STAGE = "merge"
KEY_JOIN = "|"


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Collapse each cluster into its golden record; record members, xref and lineage."""
    started = time.perf_counter()
    spec = obj.rules.merge or MergeSpec()
    frame = frame.set_axis(pd.Index(frame["_rid"].to_numpy()), axis=0).sort_index(kind="stable")
    clusters = frame["_cluster"] if "_cluster" in frame.columns else frame["_rid"]
    frame = frame.assign(_cluster=clusters.to_numpy(dtype=np.int64))
    in_cluster = frame.groupby("_cluster")["_rid"].transform("size").to_numpy() > 1
    members = frame[in_cluster]
    keys = golden_keys(frame, obj.mapping.key)
    fields = managed_fields(frame, obj, spec)
    survivors = choose_survivors(members, spec.survivor, fields)
    rank = survivor_first_rank(members, survivors, spec.survivor.order)
    rules = {name: spec.fields.get(name, spec.default) for name in fields}
    chosen = pick_values(members, rules, rank, fields)
    golden = _golden_rows(frame, survivors, chosen)
    out = pd.concat([frame[~in_cluster], golden]).drop(columns="_cluster")
    out = out.sort_values("_rid", kind="stable")
    out.index = pd.Index(out["_rid"].to_numpy())
    survivor_of = frame["_cluster"].map(survivors).fillna(frame["_rid"]).astype("int64")
    golden_key = keys.reindex(pd.Index(survivor_of.to_numpy())).to_numpy()
    _record(frame, obj, ctx, survivor_of, golden_key, chosen, survivors)
    metrics = _metrics(members, survivors, chosen, frame)
    seconds = time.perf_counter() - started
    return out, StageResult(STAGE, obj.name, len(frame), len(out), seconds, metrics)


def golden_keys(frame: pd.DataFrame, key: list[str]) -> pd.Series:
    """Per row (by ``_rid``), its business key values joined with ``|``."""
    parts = [frame[name].astype("str").fillna("") for name in key]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + KEY_JOIN + part
    return pd.Series(joined.to_numpy(), index=frame["_rid"].to_numpy())


def managed_fields(frame: pd.DataFrame, obj: ObjectSpec, spec: MergeSpec) -> list[str]:
    """Fields decided by survivorship: target and ``merge.fields`` fields, minus the key."""
    wanted = set(obj.mapping.fields) | set(spec.fields)
    skip = set(obj.mapping.key)
    return [c for c in frame.columns if c in wanted and c not in skip and not c.startswith("_")]


def _golden_rows(frame: pd.DataFrame, survivors: pd.Series, chosen: pd.DataFrame) -> pd.DataFrame:
    """The survivors' rows with each field replaced by its chosen value."""
    golden = frame.loc[survivors.to_numpy()].copy()
    for name, picked in chosen.groupby("field", sort=False):
        values = golden["_cluster"].map(picked.set_index("_cluster")["value"])
        has = values.notna().to_numpy()
        if has.any():
            golden.loc[has, str(name)] = values[has].to_numpy()
    return golden


def _record(
    frame: pd.DataFrame,
    obj: ObjectSpec,
    ctx: RunContext,
    survivor_of: pd.Series,
    golden_key: np.ndarray,
    chosen: pd.DataFrame,
    survivors: pd.Series,
) -> None:
    """Ledger members, cross-reference for every row, and golden field lineage."""
    rids = frame["_rid"].to_numpy()
    merged = survivor_of.to_numpy() != rids
    ctx.ledger.set_members(
        obj.name,
        pd.DataFrame(
            {
                "_rid": rids[merged],
                "survivor_rid": survivor_of.to_numpy()[merged],
                "golden_key": golden_key[merged],
            }
        ),
    )
    ctx.xref[obj.name] = pd.DataFrame(
        {
            "_system": frame["_system"].to_numpy(),
            "_key": frame["_key"].to_numpy(),
            "golden_key": golden_key,
        }
    )
    key_of = pd.Series(golden_key, index=rids)
    ctx.extras[f"lineage:{obj.name}"] = _lineage(frame, obj, chosen, survivors, key_of)


def _lineage(
    frame: pd.DataFrame,
    obj: ObjectSpec,
    chosen: pd.DataFrame,
    survivors: pd.Series,
    key_of: pd.Series,
) -> pd.DataFrame:
    """``golden_key, field, _system, _key``: the source record of each golden value."""
    sources = [chosen[["_cluster", "field", "_rid"]]]
    survivor_rows = frame.loc[survivors.to_numpy()]
    for name in obj.mapping.key:
        has = filled(survivor_rows[name])
        sources.append(
            pd.DataFrame(
                {"_cluster": survivors.index[has], "field": name, "_rid": survivors.to_numpy()[has]}
            )
        )
    found = pd.concat(sources, ignore_index=True)
    position = {name: i for i, name in enumerate(frame.columns)}
    found["survivor"] = found["_cluster"].map(survivors).to_numpy()
    found["order"] = found["field"].map(position)
    found = found.sort_values(["survivor", "order"], kind="stable")
    source = frame.loc[found["_rid"].to_numpy()]
    return pd.DataFrame(
        {
            "golden_key": key_of.reindex(pd.Index(found["survivor"].to_numpy())).to_numpy(),
            "field": pd.array(found["field"].to_numpy(), dtype="str"),
            "_system": source["_system"].to_numpy(),
            "_key": source["_key"].to_numpy(),
        }
    )


def _metrics(
    members: pd.DataFrame, survivors: pd.Series, chosen: pd.DataFrame, frame: pd.DataFrame
) -> dict[str, Any]:
    """Clusters merged, rows merged away, and fields taken from a non-survivor record."""
    from_other = chosen[chosen["_rid"].to_numpy() != chosen["_cluster"].map(survivors).to_numpy()]
    by_field = from_other.groupby("field").size()
    systems = frame.loc[survivors.to_numpy(), "_system"].value_counts().sort_index()
    return {
        "clusters_merged": len(survivors),
        "rows_merged_away": len(members) - len(survivors),
        "fields_from_non_survivor": len(from_other),
        "fields_from_non_survivor_by_field": {str(k): int(v) for k, v in by_field.items()},
        "survivors_by_system": {str(k): int(v) for k, v in systems.items()},
    }
