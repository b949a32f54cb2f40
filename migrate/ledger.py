"""The fate of every legacy row.

Every extracted row gets an id (``_rid``, unique within its object) and ends with
exactly one fate: loaded (with its target key), merged (into a survivor's key),
rejected (first rule that rejected it, with the reason) or out of scope. Findings
(every rule hit, reject or warn) are kept apart from fates, so a row rejected by
three checks shows all three in the rejects file but is counted once.

Merged rows take their fate from their survivor at the end of the run
(``settle_members``): a survivor that is loaded makes its members "merged", one
that is rejected or out of scope passes that fate on, with a reason naming it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partialmethod
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from migrate.frames import empty_like
from migrate.ledger_segments import Segments

FATES = ("loaded", "merged", "rejected", "out_of_scope")
IDENTITY = ["_rid", "_system", "_source", "_key", "_row"]
FINDING_COLUMNS = [
    "object",
    "_rid",
    "_system",
    "_source",
    "_key",
    "_row",
    "stage",
    "rule",
    "severity",
    "field",
    "value",
    "reason",
    "owner",
]
_FATE_COLUMNS = ["fate", "target_key", "rule", "reason", "stage"]


@dataclass
class _ObjectLedger:
    rows: Segments
    members: pd.DataFrame | None = None
    findings: list[pd.DataFrame] = field(default_factory=list)
    # The findings joined to the rows' identity, kept until the next finding: a row's
    # identity never changes, and joining reads every parked segment of a streamed table.
    joined: pd.DataFrame | None = None

    def joined_findings(self) -> pd.DataFrame:
        if self.joined is None:
            found = pd.concat(self.findings, ignore_index=True)
            rids = pd.unique(found["_rid"].to_numpy())
            ident = self.rows.select(rids)[["_system", "_source", "_key", "_row"]]
            self.joined = found.join(ident, on="_rid")[FINDING_COLUMNS]
        return self.joined


class Ledger:
    """Records what happens to every legacy row of every object in one run."""

    def __init__(self) -> None:
        self._objects: dict[str, _ObjectLedger] = {}

    def register(self, obj: str, frame: pd.DataFrame) -> None:
        """Record the extracted rows of ``obj`` (the frame must carry the identity columns)."""
        rows = frame[IDENTITY].set_index("_rid", drop=False)
        for column in _FATE_COLUMNS:
            rows[column] = pd.Series(pd.NA, index=rows.index, dtype="object")
        self._objects[obj] = _ObjectLedger(rows=Segments([rows]))

    def for_chunk(self, obj: str, frame: pd.DataFrame) -> Ledger:
        """A ledger for one chunk of ``obj``: its rows only, every other object shared.

        Stages record the chunk's fates and findings in it as they would in this
        ledger; :meth:`absorb` then takes the chunks' records back in order.
        """
        chunk = Ledger()
        chunk._objects = dict(self._objects)
        chunk.register(obj, frame)
        return chunk

    def share(self, other: Ledger, objects: set[str]) -> None:
        """Read the records of ``objects`` from ``other`` (the same records, not copies)."""
        for name in objects:
            if name in other._objects:
                self._objects[name] = other._objects[name]

    def absorb(self, obj: str, chunks: Sequence[Ledger]) -> None:
        """Make the rows and findings of ``chunks`` (in order) the records of ``obj``.

        The object keeps its place in the registration order when it was
        registered before (with no rows) to hold it.
        """
        entries = [chunk._objects[obj] for chunk in chunks]
        if not entries:
            return
        rows = Segments.joined([entry.rows for entry in entries])
        findings = [found for entry in entries for found in entry.findings]
        members = [entry.members for entry in entries if entry.members is not None]
        merged = pd.concat(members, ignore_index=True) if members else None
        self._objects[obj] = _ObjectLedger(rows=rows, members=merged, findings=findings)

    def objects(self) -> list[str]:
        """Objects registered so far, in registration order."""
        return list(self._objects)

    def park(self, obj: str, folder: Path) -> None:
        """Keep the rows of ``obj`` in files in ``folder`` from now on (a streamed table)."""
        self._objects[obj].rows.park(folder)

    def rows(self, obj: str) -> pd.DataFrame:
        """Identity and fate of every row of ``obj``."""
        return self._objects[obj].rows.whole().reset_index(drop=True)

    def row_slices(self, obj: str, size: int) -> Iterator[pd.DataFrame]:
        """The rows of ``obj`` as :meth:`rows` gives them, ``size`` at a time (one at least)."""
        empty = None
        for rows in self._objects[obj].rows.frames():
            empty = empty_like(rows) if empty is None else empty
            for start in range(0, len(rows), size):
                yield rows.iloc[start : start + size].reset_index(drop=True)
        if empty is not None and not len(self._objects[obj].rows):
            yield empty.reset_index(drop=True)

    def row_count(self, obj: str) -> int:
        """How many rows ``obj`` has."""
        return len(self._objects[obj].rows)

    def fates(self, obj: str, rids: np.ndarray) -> pd.Series:
        """The fate of each of ``rids`` (by ``_rid``)."""
        return self._objects[obj].rows.select(rids)["fate"]

    def rejected_rids(self, obj: str) -> np.ndarray:
        """The ids of the rows of ``obj`` whose fate is rejected."""
        segments = self._objects[obj].rows.frames()
        found = [rows.index[rows["fate"] == "rejected"].to_numpy() for rows in segments]
        return np.concatenate(found)

    def record(
        self,
        obj: str,
        frame: pd.DataFrame,
        *,
        severity: str,
        stage: str,
        rule: str,
        reason: str | pd.Series,
        field: str | None = None,
        values: pd.Series | None = None,
        owner: str | None = None,
    ) -> None:
        """Record one finding per row of ``frame`` (by ``_rid``).

        A ``reject`` finding also rejects the rows that have no fate yet; a ``warn``
        finding leaves them in the load.
        """
        if frame.empty:
            return
        reasons = _per_row(reason, frame.index)
        found = pd.DataFrame(
            {
                "object": obj,
                "_rid": frame["_rid"].to_numpy(),
                "stage": stage,
                "rule": rule,
                "severity": severity,
                "field": field,
                "value": _per_row(values, frame.index) if values is not None else None,
                "reason": reasons,
                "owner": owner,
            }
        )
        entry = self._objects[obj]
        entry.findings.append(found)
        entry.joined = None
        if severity == "reject":
            self._set_fate(obj, frame["_rid"], "rejected", rule=rule, reason=reasons, stage=stage)

    reject = partialmethod(record, severity="reject")
    warn = partialmethod(record, severity="warn")

    def out_of_scope(self, obj: str, rids: Sequence[int] | pd.Series, scope: str) -> None:
        """Mark rows as left out of this batch by ``scope``."""
        self._set_fate(obj, rids, "out_of_scope", reason=f"not in scope {scope}", stage="scope")

    def loaded(self, obj: str, rids: Sequence[int] | pd.Series, target_keys: pd.Series) -> None:
        """Mark rows as loaded under their target keys."""
        self._set_fate(obj, rids, "loaded", target_key=target_keys, stage="load")

    def set_members(self, obj: str, members: pd.DataFrame) -> None:
        """Record merge clusters: columns ``_rid``, ``survivor_rid``, ``golden_key``.

        Only non-survivor members are listed; their fate follows the survivor's.
        """
        self._objects[obj].members = members.reset_index(drop=True)

    def members(self, obj: str) -> pd.DataFrame:
        """Merged (non-survivor) rows with their survivor and golden key."""
        found = self._objects[obj].members
        return (
            found
            if found is not None
            else pd.DataFrame({"_rid": [], "survivor_rid": [], "golden_key": []})
        )

    def settle_members(self, obj: str) -> None:
        """Give each merged row its fate from its survivor's."""
        members = self._objects[obj].members
        if members is None or members.empty:
            return
        rows = self._objects[obj].rows.whole()
        survivor_fate = rows.loc[members["survivor_rid"], "fate"].to_numpy()
        survivor_rule = rows.loc[members["survivor_rid"], "rule"].to_numpy()
        pending = rows.loc[members["_rid"], "fate"].isna().to_numpy()
        for fate in ("loaded", "rejected", "out_of_scope"):
            picked = members[(survivor_fate == fate) & pending]
            if picked.empty:
                continue
            keys = picked["golden_key"].astype(str)
            if fate == "loaded":
                self._set_fate(
                    obj,
                    picked["_rid"],
                    "merged",
                    target_key=picked["golden_key"],
                    reason="merged into " + keys,
                    stage="merge",
                )
            else:
                rule = survivor_rule[((survivor_fate == fate) & pending)]
                self._set_fate(
                    obj,
                    picked["_rid"],
                    fate,
                    target_key=picked["golden_key"],
                    rule=pd.Series(rule, index=picked.index),
                    reason=f"merged into a record that is {fate.replace('_', ' ')}: " + keys,
                    stage="merge",
                )

    def findings(self, obj: str | None = None) -> pd.DataFrame:
        """Every finding (reject and warn), joined to the rows' identity."""
        names = [obj] if obj else list(self._objects)
        parts = []
        for name in names:
            entry = self._objects[name]
            if not entry.findings:
                continue
            parts.append(entry.joined_findings())
        if not parts:
            return pd.DataFrame({c: [] for c in FINDING_COLUMNS})
        return pd.concat(parts, ignore_index=True)

    def funnel(self) -> pd.DataFrame:
        """Counts per object and source system: extracted, each fate, and unaccounted."""
        frames = []
        for obj, entry in self._objects.items():
            table = _fate_counts(entry.rows)
            table.insert(0, "extracted", table.sum(axis=1))
            table.insert(0, "object", obj)
            frames.append(table.reset_index().rename(columns={"_system": "system"}))
        funnel = pd.concat(frames, ignore_index=True)
        funnel.columns.name = None
        return funnel

    def _set_fate(
        self,
        obj: str,
        rids: Sequence[int] | pd.Series,
        fate: str,
        *,
        target_key: object = None,
        rule: object = None,
        reason: object = None,
        stage: str,
    ) -> None:
        """Set the fate of rows that have none yet; a first fate is never overwritten."""
        ids = rids.to_numpy() if isinstance(rids, pd.Series) else np.asarray(list(rids))
        if not len(ids):
            return
        updates: dict[str, Any] = {
            "fate": fate,
            "target_key": target_key,
            "rule": rule,
            "reason": reason,
            "stage": stage,
        }
        values = {c: v.to_numpy() if isinstance(v, pd.Series) else v for c, v in updates.items()}

        def change(rows: pd.DataFrame, positions: np.ndarray) -> None:
            index = pd.Index(ids[positions])
            pending = rows.loc[index, "fate"].isna().to_numpy()
            chosen = index[pending]
            for column, value in values.items():
                if isinstance(value, np.ndarray):
                    value = value[positions][pending]
                rows.loc[chosen, column] = value

        self._objects[obj].rows.update(ids, change)


def _fate_counts(rows: Segments) -> pd.DataFrame:
    """Rows per source system and fate (``unaccounted``: none yet), segment by segment."""
    columns = [*FATES, "unaccounted"]
    total: pd.DataFrame | None = None
    for frame in rows.frames():
        table = pd.crosstab(frame["_system"], frame["fate"].fillna("unaccounted"))
        table = table.reindex(columns=columns, fill_value=0)
        total = table if total is None else total.add(table, fill_value=0)
    assert total is not None
    table = total.astype("int64")
    table.columns.name = "fate"
    return table


def _per_row(value: object, index: pd.Index) -> object:
    """A Series aligned to ``index`` as a plain array; a scalar as it is."""
    if isinstance(value, pd.Series):
        return value.reindex(index).to_numpy()
    return value
