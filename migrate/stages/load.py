"""Load: write each object's load files and load them into the target database.

Load files hold the target fields in declared order, sorted by business key, so
the same inputs and rules give byte-identical files. The target load upserts by
business key in one transaction per object; a failure rolls back and ends the
run with the failing key named.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from migrate.io.sinks import write_frame
from migrate.io.target import TargetColumn, ensure_table, load_frame, open_target
from migrate.spec.loader import ObjectSpec
from migrate.stages.base import RunContext, StageResult
from migrate.stages.link import business_key


@dataclass(frozen=True)
class LoadFile:
    """One written load file."""

    path: str
    object: str
    rows: int
    sha256: str


def load_layout(frame: pd.DataFrame, obj: ObjectSpec) -> pd.DataFrame:
    """The target's layout: declared fields in order, sorted by key, dates as ISO text."""
    fields = list(obj.mapping.fields)
    layout = frame[fields].copy()
    for name, spec in obj.mapping.fields.items():
        if spec.type == "date":
            layout[name] = pd.to_datetime(layout[name]).dt.strftime("%Y-%m-%d")
    order = business_key(layout, obj.mapping.key).sort_values(kind="stable").index
    return layout.loc[order].reset_index(drop=True)


def target_columns(obj: ObjectSpec) -> list[TargetColumn]:
    """The target table's columns, from the declared fields."""
    return [
        TargetColumn(name=name, type=spec.type, length=spec.length, nullable=not spec.required)
        for name, spec in obj.mapping.fields.items()
    ]


def write_load_files(layout: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> list[LoadFile]:
    """Write the object's load files in every configured format, plus its cross-reference."""
    load_dir = ctx.out_dir / "load"
    settings = ctx.project.model.load
    written = []
    for kind in settings.formats:
        path = load_dir / f"{obj.table}.{kind}"
        digest = write_frame(layout, path, kind, bom=settings.bom)
        written.append(LoadFile(_relative(path, ctx.out_dir), obj.name, len(layout), digest))
    xref = ctx.xref.get(obj.name)
    if xref is not None and obj.rules.match is not None:
        table = xref.rename(columns={"_system": "legacy_system", "_key": "legacy_key"})
        table = table.sort_values(["legacy_system", "legacy_key"]).reset_index(drop=True)
        path = load_dir / f"{obj.table}_xref.csv"
        digest = write_frame(table, path, "csv", bom=settings.bom)
        written.append(LoadFile(_relative(path, ctx.out_dir), obj.name, len(table), digest))
    return written


def _relative(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix()


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Write load files for ``obj``, load the target (unless disabled), record fates."""
    started = time.perf_counter()
    layout = load_layout(frame, obj)
    files = write_load_files(layout, obj, ctx)
    ctx.extras.setdefault("load_files", []).extend(files)
    metrics: dict[str, object] = {"files": [f.path for f in files]}
    target_url = ctx.extras.get("target_url")
    if target_url:
        engine = open_target(target_url)
        try:
            ensure_table(engine, obj.table, target_columns(obj), obj.mapping.key)
            result = load_frame(engine, obj.table, layout, obj.mapping.key, target_columns(obj))
        finally:
            engine.dispose()
        metrics.update(inserted=result.inserted, updated=result.updated)
    ctx.ledger.loaded(obj.name, frame["_rid"], business_key(frame, obj.mapping.key))
    return frame, StageResult(
        "load", obj.name, len(frame), len(frame), time.perf_counter() - started, metrics
    )
