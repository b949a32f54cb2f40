"""Load: write each object's load files, leaving out what earlier batches loaded.

Load files hold the target fields in declared order, sorted by business key, so
the same inputs and rules give byte-identical files. When the run has a target,
rows whose business key an earlier committed batch already loaded into that
target are left out of this batch: their fate is ``out_of_scope`` with the
reason "already loaded by batch <id>", so the funnel still closes and a full
load after pilots loads the rest. The target itself is loaded after the
reports are written, from the load package (:mod:`migrate.batches.run`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from migrate.batches.confirm import confirm_batches
from migrate.batches.identity import target_identity
from migrate.batches.package import ObjectLoad, preferred_file
from migrate.batches.state import LoadRecords, project_records
from migrate.errors import TargetError
from migrate.io.sinks import write_frame
from migrate.io.target import TargetColumn, open_target
from migrate.io.target_hash import row_text
from migrate.io.target_values import convert
from migrate.keys import business_key
from migrate.report import quality
from migrate.spec.loader import ObjectSpec
from migrate.stages.base import RunContext, StageResult

ALREADY_LOADED = "already_loaded:{}"
XREF_SUFFIX = "_xref.csv"  # legacy system + key -> golden key, every record
LINEAGE_SUFFIX = "_lineage.csv"  # golden key + field -> the legacy record its value came from
LEGACY_COLUMNS = {"_system": "legacy_system", "_key": "legacy_key"}


@dataclass(frozen=True)
class LoadFile:
    """One written load file."""

    path: str
    object: str
    rows: int
    sha256: str


def load_layout(frame: pd.DataFrame, obj: ObjectSpec) -> pd.DataFrame:
    """The target's layout: declared fields in order, sorted by key, dates as ISO text."""
    layout = layout_columns(frame, obj)
    order = business_key(layout, obj.mapping.key).sort_values(kind="stable").index
    return layout.loc[order].reset_index(drop=True)


def layout_columns(frame: pd.DataFrame, obj: ObjectSpec) -> pd.DataFrame:
    """The target's columns in the rows' order: declared fields in order, dates as ISO text."""
    layout = frame[list(obj.mapping.fields)].copy()
    for name, spec in obj.mapping.fields.items():
        if spec.type == "date":
            layout[name] = pd.to_datetime(layout[name]).dt.strftime("%Y-%m-%d")
    return layout


def target_columns(obj: ObjectSpec) -> list[TargetColumn]:
    """The target table's columns, from the declared fields."""
    return [
        TargetColumn(name=name, type=spec.type, length=spec.length, nullable=not spec.required)
        for name, spec in obj.mapping.fields.items()
    ]


def write_load_files(layout: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> list[LoadFile]:
    """Write the object's load files in every configured format, plus its cross-reference
    and the lineage of its merged golden records (objects with a match spec)."""
    load_dir = ctx.out_dir / "load"
    settings = ctx.project.model.load
    written = []
    for kind in settings.formats:
        path = load_dir / f"{obj.table}.{kind}"
        digest = write_frame(layout, path, kind, bom=settings.bom)
        written.append(LoadFile(_relative(path, ctx.out_dir), obj.name, len(layout), digest))
    if obj.rules.match is None:
        return written
    xref = ctx.xref.get(obj.name)
    if xref is not None:
        table = xref.rename(columns=LEGACY_COLUMNS)
        table = table.sort_values(["legacy_system", "legacy_key"]).reset_index(drop=True)
        written.append(_side_file(table, load_dir / f"{obj.table}{XREF_SUFFIX}", obj, ctx))
    lineage = ctx.extras.get(f"lineage:{obj.name}")
    if lineage is not None:
        table = lineage.rename(columns=LEGACY_COLUMNS).reset_index(drop=True)
        written.append(_side_file(table, load_dir / f"{obj.table}{LINEAGE_SUFFIX}", obj, ctx))
    return written


def _side_file(table: pd.DataFrame, path: Path, obj: ObjectSpec, ctx: RunContext) -> LoadFile:
    """A CSV beside the load files (cross-reference, lineage), listed in the manifest."""
    digest = write_frame(table, path, "csv", bom=ctx.project.model.load.bom)
    return LoadFile(_relative(path, ctx.out_dir), obj.name, len(table), digest)


def object_load(obj: ObjectSpec, files: list[LoadFile], rows: int) -> ObjectLoad:
    """The manifest's description of the object: table, key, column types, file to load."""
    data_files = [f.path for f in files if not f.path.endswith((XREF_SUFFIX, LINEAGE_SUFFIX))]
    return ObjectLoad(
        name=obj.name,
        table=obj.table,
        key=list(obj.mapping.key),
        columns=target_columns(obj),
        file=preferred_file(data_files),
        rows=rows,
        personal=[name for name, spec in obj.mapping.fields.items() if spec.personal],
    )


def _relative(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix()


def key_texts(frame: pd.DataFrame, obj: ObjectSpec) -> pd.Series:
    """Each row's business key as the batch records write it (canonical, typed)."""
    columns = {c.name: c for c in target_columns(obj)}
    key = [columns[name] for name in obj.mapping.key]
    values = zip(*(frame[c.name].tolist() for c in key), strict=True)
    return pd.Series([row_text(_typed(v, key), key) for v in values], index=frame.index)


def _typed(values: tuple[Any, ...], columns: list[TargetColumn]) -> list[Any]:
    typed = []
    for value, column in zip(values, columns, strict=True):
        try:
            typed.append(convert(value, column))
        except ValueError:
            typed.append(str(value))
    return typed


def _records(ctx: RunContext) -> tuple[LoadRecords, str] | None:
    """The project's load records and the run's target id (None: no target)."""
    url = ctx.extras.get("target_url")
    if not url:
        return None
    identity = ctx.extras.get("batch_target")
    records = project_records(ctx.project.root, ctx.project.model.state.loads)
    if identity is None:
        identity = ctx.extras["batch_target"] = target_identity(url)
        engine = open_target(url)
        try:
            confirm_batches(engine, records, identity)
        finally:
            engine.dispose()
        unfinished = records.unfinished(identity.id)
        if unfinished is not None:
            raise TargetError(
                identity.display,
                f"batch {unfinished.batch} into this target is unfinished: resume it "
                f"(migrate load --resume) or undo it (migrate rollback --batch "
                f"{unfinished.batch})",
            )
    return records, identity.id


def leave_out_earlier_batches(
    frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext
) -> pd.DataFrame:
    """The rows no earlier batch loaded into the run's target; the others out of scope."""
    found = _records(ctx)
    if found is None or frame.empty:
        return frame
    records, target_id = found
    earlier = records.loaded_keys(target_id, obj.name)
    if earlier.empty:
        return frame
    batch_of = key_texts(frame, obj).map(earlier.set_index("key")["batch"])
    done = batch_of.notna()
    counts: dict[str, int] = {}
    for batch, part in frame[done].groupby(batch_of[done], sort=True):
        ctx.ledger.out_of_scope(obj.name, part["_rid"], f"(already loaded by batch {batch})")
        counts[str(batch)] = len(part)
    ctx.extras[ALREADY_LOADED.format(obj.name)] = counts
    return frame[~done]


def leave_out_other_objects(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> pd.DataFrame:
    """No rows when the run's batch (of the batch plan) does not load ``obj``."""
    label = ctx.extras.get("batch_label")
    plan = ctx.project.model.batches.get(label) if label else None
    if plan is None or not plan.objects or obj.name in plan.objects:
        return frame
    ctx.ledger.out_of_scope(obj.name, frame["_rid"], f"(object not in batch {label})")
    return frame.iloc[0:0]


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Write load files for ``obj`` (rows of earlier batches left out) and record fates."""
    started = time.perf_counter()
    rows_in = len(frame)
    frame = leave_out_other_objects(frame, obj, ctx)
    frame = leave_out_earlier_batches(frame, obj, ctx)
    layout = load_layout(frame, obj)
    quality.capture(layout, obj, ctx, quality.AFTER)
    files = write_load_files(layout, obj, ctx)
    ctx.extras.setdefault("load_files", []).extend(files)
    ctx.extras.setdefault("load_objects", []).append(object_load(obj, files, len(layout)))
    metrics: dict[str, object] = {
        "files": [f.path for f in files],
        "left_out": rows_in - len(frame),
    }
    ctx.ledger.loaded(obj.name, frame["_rid"], business_key(frame, obj.mapping.key))
    return frame, StageResult(
        "load", obj.name, rows_in, len(frame), time.perf_counter() - started, metrics
    )
