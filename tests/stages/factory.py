"""Build small projects and run contexts in memory for stage tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from migrate.ledger import Ledger
from migrate.spec.loader import LoadedValueMap, ObjectSpec, Project
from migrate.spec.mapping import Mapping
from migrate.spec.project import ObjectSpecModel, ProjectModel
from migrate.spec.rules import Rules
from migrate.stages.base import RunContext


def object_spec(
    name: str,
    fields: dict[str, Any],
    *,
    key: list[str],
    sources: dict[str, Any],
    steps: list[dict[str, Any]] | None = None,
    value_maps: dict[str, Any] | None = None,
    references: list[dict[str, Any]] | None = None,
    system: str = "ERP",
) -> ObjectSpec:
    """One object with a csv source per mapping block (the paths are never read)."""
    mapping = Mapping.model_validate(
        {
            "object": name,
            "key": key,
            "fields": fields,
            "sources": sources,
            "value_maps": value_maps or {},
        }
    )
    model = ObjectSpecModel.model_validate(
        {
            "sources": [
                {"name": s, "system": system, "kind": "csv", "path": f"{s}.csv", "key": ["k"]}
                for s in sources
            ],
            "references": references or [],
        }
    )
    maps = {
        n: LoadedValueMap(n, {str(k): str(v) for k, v in (m.values or {}).items()}, m)
        for n, m in mapping.value_maps.items()
    }
    rules = Rules.model_validate({"object": name, "steps": steps or []})
    return ObjectSpec(name, model, mapping, rules, maps, f"mappings/{name}.yaml", None)


def context(
    tmp_path: Path, *objects: ObjectSpec, scopes: dict[str, Any] | None = None
) -> RunContext:
    """A run context over ``objects`` with an empty ledger."""
    model = ProjectModel.model_validate(
        {
            "project": "t",
            "objects": {o.name: o.model.model_dump(by_alias=True) for o in objects},
            "scopes": scopes or {},
        }
    )
    project = Project(tmp_path, model, {o.name: o for o in objects}, {})
    return RunContext(project=project, ledger=Ledger(), out_dir=tmp_path / "out", run_id="test")


def legacy_frame(
    rows: list[dict[str, Any]], source: str = "src", system: str = "ERP", first_rid: int = 0
) -> pd.DataFrame:
    """A frame as extract gives it: identity columns plus the legacy columns as text."""
    frame = pd.DataFrame(rows).astype("str")
    n = len(frame)
    identity = pd.DataFrame(
        {
            "_rid": range(first_rid, first_rid + n),
            "_system": system,
            "_source": source,
            "_key": frame.get("k", pd.Series(range(n))).astype(str),
            "_row": range(2, n + 2),
        }
    )
    out = pd.concat([identity, frame], axis=1)
    out.index = pd.Index(out["_rid"].to_numpy())
    return out
