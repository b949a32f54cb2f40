"""Survivorship: which record survives a cluster, and where each golden value comes from.

Everything works on ``members``: the rows of clusters with more than one row,
carrying ``_cluster``, ``_rid``, ``_system`` and the fields. Each rule is
applied to all clusters at once by sorting and keeping the first row per
cluster (and field); there is no loop over clusters.

The survivor (``merge.survivor``) is the record owning the cluster's registered
golden key where there is one (see ``migrate.matching.keys``), else the best record
by its rule, then by the
rule's ``order`` of systems (systems not listed come after the listed ones),
then the earliest ``_rid``:

* ``source_priority`` / ``first_non_null``: system order, then ``_rid``;
* ``most_recent``: latest ``by`` timestamp (records without one come last);
* ``most_complete``: most fields filled;
* ``longest``: most characters over all fields;
* ``most_frequent``: the record that agrees with most other members, counted
  over all fields.

A field's value (``merge.fields[field]``, else ``merge.default``) is taken from
the members that have one (NA and blank values never win), best first:

* ``source_priority``: by the rule's system ``order``;
* ``first_non_null``: the first member in survivor-first order;
* ``most_recent`` / ``most_complete``: the member with the latest ``by`` /
  most fields filled;
* ``longest``: the longest value;
* ``most_frequent``: the value held by most members.

Ties go to the rule's ``order`` of systems, then to survivor-first order: the
survivor, then the other members by the survivor rule's system order and ``_rid``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from migrate.spec.match import SurvivorRule

RuleKey = tuple[str, tuple[str, ...], str | None]


def system_rank(systems: pd.Series, order: list[str]) -> np.ndarray:
    """Position of each system in ``order``; unlisted systems rank after all listed."""
    ranks = {system: i for i, system in enumerate(order)}
    mapped = systems.map(ranks).astype("float64").fillna(len(order))
    return mapped.to_numpy(dtype=np.int64)


def filled(values: pd.Series) -> np.ndarray:
    """True where a value is present (not NA, not blank)."""
    text = values.astype("str").str.strip()
    return (text.str.len() > 0).fillna(False).to_numpy(dtype=bool)


def recency(values: pd.Series) -> np.ndarray:
    """Sort key for 'latest first': minus the timestamp, +inf where missing."""
    stamps = pd.to_datetime(values.astype("str"), errors="coerce", format="mixed")
    seconds = (stamps - pd.Timestamp("1970-01-01")).dt.total_seconds()
    return (-seconds).fillna(np.inf).to_numpy(dtype=float)


def _first_per(frame: pd.DataFrame, groups: list[str], keys: list[str]) -> pd.DataFrame:
    """The best row of each group: sorted by ``keys`` ascending, first kept."""
    ordered = frame.sort_values([*groups, *keys], kind="stable")
    return ordered.drop_duplicates(groups, keep="first")


def _agreement(members: pd.DataFrame, fields: list[str]) -> np.ndarray:
    """Per member, over all fields, how many members of its cluster share its value."""
    total = np.zeros(len(members))
    for name in fields:
        present = filled(members[name])
        counts = members.groupby(["_cluster", name], dropna=True)[name].transform("size")
        total += np.where(present, counts.fillna(0).to_numpy(dtype=float), 0.0)
    return total


def _record_key(members: pd.DataFrame, rule: SurvivorRule, fields: list[str]) -> np.ndarray:
    """Per member, the survivor rule's own criterion (smaller is better)."""
    if rule.rule == "most_recent":
        assert rule.by is not None
        return recency(members[rule.by])
    if rule.rule == "most_complete":
        return -sum((filled(members[f]).astype(float) for f in fields), np.zeros(len(members)))
    if rule.rule == "longest":
        lengths = (members[f].astype("str").str.strip().str.len().fillna(0) for f in fields)
        return -sum((s.to_numpy(dtype=float) for s in lengths), np.zeros(len(members)))
    if rule.rule == "most_frequent":
        return -_agreement(members, fields)
    return np.zeros(len(members))


def choose_survivors(
    members: pd.DataFrame,
    rule: SurvivorRule,
    fields: list[str],
    preferred: np.ndarray | None = None,
) -> pd.Series:
    """The survivor ``_rid`` of each cluster (indexed by ``_cluster``).

    ``preferred`` (per member) wins before the rule: the record that owns the
    cluster's registered golden key stays the survivor.
    """
    keyed = pd.DataFrame(
        {
            "_cluster": members["_cluster"].to_numpy(),
            "other": np.zeros(len(members), np.int8) if preferred is None else ~preferred,
            "criterion": _record_key(members, rule, fields),
            "system": system_rank(members["_system"], rule.order),
            "_rid": members["_rid"].to_numpy(),
        }
    )
    best = _first_per(keyed, ["_cluster"], ["other", "criterion", "system", "_rid"])
    return best.set_index("_cluster")["_rid"].rename("survivor_rid")


def survivor_first_rank(
    members: pd.DataFrame, survivors: pd.Series, order: list[str]
) -> np.ndarray:
    """Rank of each member within its cluster: survivor 0, others by system order and _rid."""
    is_survivor = members["_rid"].to_numpy() == members["_cluster"].map(survivors).to_numpy()
    keyed = pd.DataFrame(
        {
            "_cluster": members["_cluster"].to_numpy(),
            "other": (~is_survivor).astype(int),
            "system": system_rank(members["_system"], order),
            "_rid": members["_rid"].to_numpy(),
        },
        index=members.index,
    )
    keyed = keyed.sort_values(["_cluster", "other", "system", "_rid"], kind="stable")
    keyed["rank"] = keyed.groupby("_cluster").cumcount()
    return keyed["rank"].reindex(members.index).to_numpy(dtype=np.int64)


def long_values(members: pd.DataFrame, fields: Iterable[str], rank: np.ndarray) -> pd.DataFrame:
    """Present field values, one row per (member, field), with the member's rank."""
    parts = []
    for name in fields:
        present = filled(members[name])
        parts.append(
            pd.DataFrame(
                {
                    "_cluster": members["_cluster"].to_numpy()[present],
                    "field": name,
                    "value": members[name].to_numpy(dtype=object)[present],
                    "_rid": members["_rid"].to_numpy()[present],
                    "_system": members["_system"].to_numpy(dtype=object)[present],
                    "rank": rank[present],
                    "row": np.flatnonzero(present),
                }
            )
        )
    columns = ["_cluster", "field", "value", "_rid", "_system", "rank", "row"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _value_key(
    values: pd.DataFrame, members: pd.DataFrame, rule: SurvivorRule, all_fields: list[str]
) -> np.ndarray:
    """Per long row, the field rule's own criterion (smaller is better)."""
    row = values["row"].to_numpy(dtype=np.int64)
    if rule.rule in ("most_recent", "most_complete"):
        return _record_key(members, rule, all_fields)[row]
    if rule.rule == "longest":
        return -values["value"].astype("str").str.len().to_numpy(dtype=float)
    if rule.rule == "most_frequent":
        size = values.groupby(["_cluster", "field", "value"])["value"].transform("size")
        return -size.to_numpy(dtype=float)
    return np.zeros(len(values))


def pick_values(
    members: pd.DataFrame,
    rules: dict[str, SurvivorRule],
    rank: np.ndarray,
    all_fields: list[str],
) -> pd.DataFrame:
    """The chosen (``_cluster``, ``field``, ``value``, ``_rid``) per cluster and field.

    Fields sharing a rule (same name, order and ``by``) are decided in one sort.
    """
    groups: dict[RuleKey, tuple[SurvivorRule, list[str]]] = {}
    for name, rule in rules.items():
        key = (rule.rule, tuple(rule.order), rule.by)
        groups.setdefault(key, (rule, []))[1].append(name)
    chosen = []
    for rule, fields in groups.values():
        values = long_values(members, fields, rank)
        if values.empty:
            continue
        values["criterion"] = _value_key(values, members, rule, all_fields)
        values["system"] = system_rank(values["_system"], rule.order)
        chosen.append(_first_per(values, ["_cluster", "field"], ["criterion", "system", "rank"]))
    if not chosen:
        return pd.DataFrame(columns=["_cluster", "field", "value", "_rid"])
    return pd.concat(chosen, ignore_index=True)[["_cluster", "field", "value", "_rid"]]
