"""Small builders for match/merge tests: frames, object specs and run contexts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from migrate.ledger import Ledger
from migrate.spec.loader import ObjectSpec
from migrate.spec.mapping import FieldSource, Mapping, TargetField
from migrate.spec.match import MatchSpec, MergeSpec
from migrate.spec.project import ObjectSpecModel, Source
from migrate.spec.rules import Rules
from migrate.stages.base import RunContext


def make_frame(records: list[dict[str, Any]], fields: list[str] | None = None) -> pd.DataFrame:
    """A stage frame: text fields plus identity columns, indexed by ``_rid`` (0, 1, ...)."""
    names = fields or sorted({k for r in records for k in r if not k.startswith("_")})
    rows = []
    for rid, record in enumerate(records):
        system = record.get("_system", "ERP")
        row = {name: record.get(name) for name in names}
        row.update(
            _rid=record.get("_rid", rid),
            _system=system,
            _source=f"{system.lower()}_src",
            _key=record.get("_key", f"{system}-{rid}"),
            _row=rid + 2,
        )
        rows.append(row)
    columns = [*names, "_rid", "_system", "_source", "_key", "_row"]
    frame = pd.DataFrame(rows, columns=columns)
    for name in [*names, "_system", "_source", "_key"]:
        frame[name] = frame[name].astype("str")
    frame["_rid"] = frame["_rid"].astype("int64")
    frame["_row"] = frame["_row"].astype("int64")
    frame.index = pd.Index(frame["_rid"].to_numpy(), name=None)
    return frame


def make_object(
    fields: list[str],
    key: list[str] | None = None,
    match: MatchSpec | dict[str, Any] | None = None,
    merge: MergeSpec | dict[str, Any] | None = None,
    name: str = "customer",
    personal: frozenset[str] = frozenset(),
) -> ObjectSpec:
    """An ObjectSpec with string target fields, the given key and match/merge sections."""
    key = key or [fields[0]]
    mapping = Mapping(
        object=name,
        key=key,
        fields={f: TargetField(personal=f in personal) for f in fields},
        sources={"erp": {f: FieldSource(column=f) for f in fields}},
    )
    rules = Rules(
        object=name,
        match=MatchSpec.model_validate(match) if isinstance(match, dict) else match,
        merge=MergeSpec.model_validate(merge) if isinstance(merge, dict) else merge,
    )
    model = ObjectSpecModel(
        sources=[Source(name="erp", system="ERP", kind="csv", path="erp.csv", key=["id"])]
    )
    return ObjectSpec(name, model, mapping, rules, {}, f"mappings/{name}.yaml", None)


class _Project:
    """A stand-in for a loaded Project (stages here never read it)."""

    name = "test"


def make_context(
    out_dir: Path, frame: pd.DataFrame | None = None, obj: str = "customer"
) -> RunContext:
    """A run context writing under ``out_dir``; registers ``frame`` in the ledger."""
    ledger = Ledger()
    if frame is not None:
        ledger.register(obj, frame)
    return RunContext(project=_Project(), ledger=ledger, out_dir=out_dir, run_id="test")  # type: ignore[arg-type]
