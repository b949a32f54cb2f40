"""Merge stage: one golden record per cluster of matched records.

The input carries ``_cluster`` (from the match stage; without it every row is
its own cluster). For each cluster of more than one row the survivor record is
chosen by ``merge.survivor`` and every other field takes its value by its
survivorship rule (``merge.fields[field]``, else ``merge.default``); see
``migrate.matching.survivorship``. Without a ``merge`` section the defaults of
``MergeSpec`` apply (survivor by source priority, i.e. the earliest ``_rid``;
fields first non-null in survivor-first order).

The golden record keeps the survivor's identity columns and business key
(``mapping.key``); the golden key is those key values joined with ``|``. With a
golden-key registry (``ctx.extras["golden_keys:<object>"]``) a cluster keeps the
golden key its records were loaded under (``migrate.matching.keys``): the record
owning it survives, and where that record is absent the golden row's key fields
take the registered key. The
output holds the unclustered rows unchanged plus one golden row per cluster, in
``_rid`` order and indexed by ``_rid``, without ``_cluster``.

Recorded in the run context: the ledger's members (every non-survivor with its
survivor and golden key), ``ctx.xref[<object>]`` (``_system``, ``_key``,
``golden_key`` for every input row) and ``ctx.extras["lineage:<object>"]``
(``golden_key, field, _system, _key``: the record each golden value came from).

Business partners (``partner_of`` in migration.yaml, ``migrate.matching.partner``):
an object declaring it links each golden record to at most one golden record of
the other object and writes the partner key into ``partner_of.field``; the other
object's golden records carry their own golden key in that field.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from migrate.errors import SpecError
from migrate.matching.keys import KeyPlan, plan_keys
from migrate.matching.partner import link_partners
from migrate.matching.review import personal_fields, review_frame, write_review
from migrate.matching.scoring import comparison_labels
from migrate.matching.survivorship import (
    choose_survivors,
    filled,
    pick_values,
    survivor_first_rank,
)
from migrate.spec.loader import ObjectSpec
from migrate.spec.match import MergeSpec
from migrate.stages.base import RunContext, StageResult
from migrate.state.registry import identity

STAGE = "merge"
KEY_JOIN = "|"


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Collapse each cluster into its golden record; record members, xref and lineage."""
    started = time.perf_counter()
    spec = obj.rules.merge or MergeSpec()
    frame = frame.set_axis(pd.Index(frame["_rid"].to_numpy()), axis=0).sort_index(kind="stable")
    if _nothing_to_merge(frame, obj, ctx):
        return _passed_through(frame, obj, ctx, started)
    clusters = frame["_cluster"] if "_cluster" in frame.columns else frame["_rid"]
    frame = frame.assign(_cluster=clusters.to_numpy(dtype=np.int64))
    in_cluster = frame.groupby("_cluster")["_rid"].transform("size").to_numpy() > 1
    members = frame[in_cluster]
    keys = golden_keys(frame, obj.mapping.key)
    plan = plan_keys(frame["_cluster"].to_numpy(), keys.to_numpy(), _registered(frame, obj, ctx))
    kept_key = frame["_cluster"].map(plan.keys).to_numpy(dtype=object)
    has_kept = pd.notna(kept_key)
    preferred = (keys.to_numpy(dtype=object) == kept_key)[in_cluster]
    fields = managed_fields(frame, obj, spec)
    survivors = choose_survivors(members, spec.survivor, fields, preferred)
    rank = survivor_first_rank(members, survivors, spec.survivor.order)
    rules = {name: spec.fields.get(name, spec.default) for name in fields}
    chosen = pick_values(members, rules, rank, fields)
    golden = _golden_rows(frame, survivors, chosen)
    out = pd.concat([frame[~in_cluster], golden]).drop(columns="_cluster")
    out = out.sort_values("_rid", kind="stable")
    out.index = pd.Index(out["_rid"].to_numpy())
    survivor_of = frame["_cluster"].map(survivors).fillna(frame["_rid"]).astype("int64")
    own_of_survivor = keys.reindex(pd.Index(survivor_of.to_numpy())).to_numpy(dtype=object)
    golden_key = np.where(has_kept, kept_key, own_of_survivor)
    key_of = pd.Series(golden_key, index=frame["_rid"].to_numpy())
    out = _rekey(out, obj, key_of, keys)
    _record(frame, obj, ctx, survivor_of, golden_key, chosen, survivors)
    metrics = _metrics(members, survivors, chosen, frame)
    metrics["golden_keys"] = _key_metrics(plan, frame)
    out, partners = _partners(out, obj, ctx, key_of)
    if partners:
        metrics["partners"] = partners
    seconds = time.perf_counter() - started
    return out, StageResult(STAGE, obj.name, len(frame), len(out), seconds, metrics)


def _nothing_to_merge(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> bool:
    """No match spec, so no clusters; no registry and no partner links either."""
    if obj.rules.match is not None or ("_cluster" in frame.columns and frame["_cluster"].ne(
        frame["_rid"]
    ).any()):
        return False
    if obj.model.partner_of is not None or _partner_fields(obj, ctx):
        return False
    registry = ctx.extras.get(f"golden_keys:{obj.name}")
    return registry is None or not len(registry)


def _passed_through(
    frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext, started: float
) -> tuple[pd.DataFrame, StageResult]:
    """Every row its own golden record: what the full merge gives an object without clusters."""
    keys = golden_keys(frame, obj.mapping.key)
    empty = np.empty(0, dtype=np.int64)
    ctx.ledger.set_members(
        obj.name,
        pd.DataFrame({"_rid": empty, "survivor_rid": empty, "golden_key": empty.astype(object)}),
    )
    ctx.xref[obj.name] = pd.DataFrame(
        {
            "_system": frame["_system"].to_numpy(),
            "_key": frame["_key"].to_numpy(),
            "golden_key": keys.to_numpy(dtype=object),
        }
    )
    no_values = pd.DataFrame(columns=["_cluster", "field", "_rid"])
    no_survivors = pd.Series([], dtype="int64")
    key_of = pd.Series(keys.to_numpy(dtype=object), index=frame["_rid"].to_numpy())
    lineage = _lineage(frame, obj, no_values, no_survivors, key_of)
    ctx.extras[f"lineage:{obj.name}"] = lineage
    out = frame.drop(columns="_cluster", errors="ignore")
    metrics: dict[str, Any] = {
        "clusters_merged": 0,
        "rows_merged_away": 0,
        "fields_from_non_survivor": 0,
        "fields_from_non_survivor_by_field": {},
        "survivors_by_system": {},
        "golden_keys": {
            "kept_from_registry": 0,
            "new": len(frame),
            "records_split_off": 0,
            "split": [],
            "keys_retired": 0,
            "retired": [],
        },
    }
    seconds = time.perf_counter() - started
    return out, StageResult(STAGE, obj.name, len(frame), len(out), seconds, metrics)


def golden_keys(frame: pd.DataFrame, key: list[str]) -> pd.Series:
    """Per row (by ``_rid``), its business key values joined with ``|``."""
    parts = [frame[name].astype("str").fillna("") for name in key]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + KEY_JOIN + part
    return pd.Series(joined.to_numpy(), index=frame["_rid"].to_numpy())


def _registered(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> np.ndarray:
    """Per row, the golden key the registry holds for it (None where none)."""
    registry = ctx.extras.get(f"golden_keys:{obj.name}")
    if registry is None or not len(registry):
        return np.full(len(frame), None, dtype=object)
    keyed = pd.Series(
        registry["golden_key"].to_numpy(dtype=object),
        index=identity(registry["system"], registry["legacy_key"]),
    )
    found = keyed.reindex(identity(frame["_system"], frame["_key"]))
    return found.astype(object).where(found.notna(), None).to_numpy(dtype=object)


def _rekey(out: pd.DataFrame, obj: ObjectSpec, golden: pd.Series, own: pd.Series) -> pd.DataFrame:
    """Golden rows whose kept key is not their survivor's own key take the kept key."""
    rids = out["_rid"].to_numpy()
    wanted = golden.reindex(rids).to_numpy(dtype=object)
    differs = wanted != own.reindex(rids).to_numpy(dtype=object)
    if not differs.any():
        return out
    out = out.copy()
    key = obj.mapping.key
    parts = pd.Series(wanted[differs]).str.split(KEY_JOIN, regex=False)
    fits = parts.map(len).to_numpy() == len(key)
    rows = out.index[differs][fits]
    for i, name in enumerate(key):
        out.loc[rows, name] = parts[fits].str[i].to_numpy()
    return out


def _partners(
    out: pd.DataFrame, obj: ObjectSpec, ctx: RunContext, key_of: pd.Series
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The business partner key of each golden record (``partner_of``), both sides."""
    own_keys = key_of.reindex(out["_rid"].to_numpy()).to_numpy(dtype=object)
    link = obj.model.partner_of
    if link is None:
        fields = _partner_fields(obj, ctx)
        if fields:
            out = out.assign(**{name: own_keys for name in fields})
        return out, {}
    other = ctx.frames.get(link.object)
    if other is None:
        where = "partner_of.object"
        raise SpecError(
            "migration.yaml", f"objects.{obj.name}.{where}", f"{link.object!r} has not run"
        )
    other_obj = ctx.project.objects[link.object]
    found = link_partners(out, other, link)
    partner = own_keys.copy()
    other_keys = golden_keys(other, other_obj.mapping.key).to_numpy(dtype=object)
    partner[found.own] = other_keys[found.other]
    out = out.assign(**{link.field: partner})
    review = found.pairs[found.pairs["decision"] == "review"]
    labels = comparison_labels(link.compare)
    table = review_frame(
        found.combined, review, link.compare, labels, personal=personal_fields(obj.mapping)
    )
    path = write_review(table, ctx.out_dir / "review" / f"{obj.name}_partner_review.csv")
    ctx.extras[f"partners:{obj.name}"] = pd.DataFrame(
        {"golden_key": own_keys[found.own], "partner_key": partner[found.own], "score": found.score}
    )
    return out, {
        "with": link.object,
        "candidate_pairs": len(found.pairs),
        "linked": len(found.own),
        "reviews": len(review),
        "review_file": path.relative_to(ctx.out_dir).as_posix(),
    }


def _partner_fields(obj: ObjectSpec, ctx: RunContext) -> list[str]:
    """Partner key fields other objects declare on this one."""
    objects = getattr(ctx.project, "objects", {})
    return [
        other.model.partner_of.field
        for other in objects.values()
        if other.model.partner_of is not None and other.model.partner_of.object == obj.name
    ]


def _key_metrics(plan: KeyPlan, frame: pd.DataFrame) -> dict[str, Any]:
    """Golden keys kept from the registry, fresh ones, and splits / retirements."""
    registered_clusters = int(pd.Series(plan.keys.index).isin(frame["_cluster"]).sum())
    clusters = frame["_cluster"].nunique()
    return {
        "kept_from_registry": registered_clusters,
        "new": int(clusters - registered_clusters),
        "records_split_off": plan.split_count,
        "split": plan.split,
        "keys_retired": plan.retired_count,
        "retired": plan.retired,
    }


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
