"""Scope and load a streamed object chunk by chunk, from its checked rows on disk.

A streamed object that no other object references never needs its whole table
in memory: its checked rows wait on disk (:class:`StreamedObject`), the scope
plan reads only the columns it needs chunk by chunk, and :func:`deliver` takes
each chunk through scope and load: rows outside the scope, of another batch's
objects or loaded by an earlier batch get their fate, the rest are laid out for
the target and handed to a :class:`~migrate.io.sorted_sink.SortedLoadWriter`,
which writes the same sorted load files as the whole-table load.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from migrate.frames import empty_like
from migrate.io.sorted_sink import SortedLoadWriter
from migrate.keys import business_key
from migrate.report import quality
from migrate.spec.loader import ObjectSpec
from migrate.stages.base import RunContext, StageResult
from migrate.stages.load import (
    ALREADY_LOADED,
    LoadFile,
    layout_columns,
    leave_out_earlier_batches,
    leave_out_other_objects,
    object_load,
)
from migrate.stages.reconcile import TOTALS
from migrate.stages.scope import ScopePlan
from migrate.stream.checks import RAW
from migrate.stream.counts import FieldCounter
from migrate.stream.spill import SpillStore

SORT_BUDGET_ROWS = 1_000_000
WORK_FOLDER = ".work"


@dataclass
class StreamedObject:
    """A streamed object's checked rows on disk, and which rows of each chunk passed."""

    name: str
    store: SpillStore
    totals: SpillStore | None = None  # each mapped row's control-total values, chunk by chunk
    kept: list[np.ndarray] = field(default_factory=list)

    def frames(self, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
        """The rows that passed validation, chunk by chunk (only ``columns`` when given)."""
        for number, chunk in self.store.chunks(columns):
            yield _without_raw(chunk[self.kept[number]])

    def empty(self) -> pd.DataFrame:
        """No rows, the columns of the checked rows."""
        return _without_raw(empty_like(self.store.read(0))) if self.store.sizes else pd.DataFrame()

    def close(self) -> None:
        """Remove the rows from disk."""
        self.store.close()
        if self.totals is not None:
            self.totals.close()


def _without_raw(frame: pd.DataFrame) -> pd.DataFrame:
    raw = [c for c in frame.columns if c.startswith(RAW.format(""))]
    return frame.drop(columns=raw) if raw else frame


def plan_columns(obj: ObjectSpec, ctx: RunContext, scope: str) -> list[str]:
    """The columns the scope plan reads of ``obj``: key, references, the condition's fields."""
    condition = ctx.project.model.scopes[scope].where
    wanted = [*obj.mapping.key, *(ref.field for ref in obj.model.references)]
    wanted += [name for name in obj.mapping.fields if name in condition.fields()]
    return list(dict.fromkeys(["_rid", *wanted]))


@dataclass
class _Figures:
    rows: int = 0
    inside: int = 0
    loaded: int = 0
    scope_seconds: float = 0.0
    load_seconds: float = 0.0
    already: Counter[str] = field(default_factory=Counter)


def deliver(streamed: StreamedObject, obj: ObjectSpec, ctx: RunContext) -> None:
    """Scope and load ``obj`` chunk by chunk; record fates, load files and stage results."""
    plan: ScopePlan | None = ctx.extras.get("scope_plan")
    writer = _writer(obj, ctx)
    counter = FieldCounter(list(obj.mapping.fields))
    figures = _Figures()
    try:
        for frame in streamed.frames():
            started = time.perf_counter()
            figures.rows += len(frame)
            if plan is not None:
                inside = plan.inside(frame, obj)
                ctx.ledger.out_of_scope(obj.name, frame.loc[~inside, "_rid"], plan.name)
                frame = frame[inside]
            figures.inside += len(frame)
            loading = time.perf_counter()
            figures.scope_seconds += loading - started
            _load_chunk(frame, obj, ctx, writer, counter, figures)
            figures.load_seconds += time.perf_counter() - loading
        started = time.perf_counter()
        digests = writer.finish()
    except BaseException:
        writer.abort()
        raise
    figures.load_seconds += time.perf_counter() - started
    _record_outcome(obj, ctx, plan, writer, digests, counter, figures)
    if streamed.totals is not None and streamed.totals.sizes:
        ctx.extras[TOTALS.format(obj.name)] = settled_totals(streamed.totals, obj, ctx)


def settled_totals(store: SpillStore, obj: ObjectSpec, ctx: RunContext) -> pd.DataFrame:
    """The control-total values summed per group and final fate, chunk by chunk.

    Once every row of the object has its fate, the rows are no longer needed:
    the sums per group and fate add up to what the report shows.
    """
    by = list(dict.fromkeys(name for spec in obj.model.control_totals for name in spec.by))
    fields = list(dict.fromkeys(spec.field for spec in obj.model.control_totals))
    parts = []
    for _, base in store.chunks():
        fates = ctx.ledger.fates(obj.name, base["_rid"].to_numpy())
        base = base.assign(_fate=fates.reindex(base["_rid"].to_numpy()).to_numpy())
        grouped = base.groupby([*by, "_fate"], dropna=False, sort=False)[fields]
        parts.append(grouped.sum(min_count=0).reset_index())
    joined = pd.concat(parts, ignore_index=True)
    summed = joined.groupby([*by, "_fate"], dropna=False, sort=False)[fields].sum(min_count=0)
    return summed.reset_index()


def _writer(obj: ObjectSpec, ctx: RunContext) -> SortedLoadWriter:
    settings = ctx.project.model.load
    paths: dict[str, Path] = {
        kind: ctx.out_dir / "load" / f"{obj.table}.{kind}" for kind in settings.formats
    }
    spill = ctx.out_dir / WORK_FOLDER / f"{obj.name}-sorted"
    spill.mkdir(parents=True, exist_ok=True)
    return SortedLoadWriter(
        paths,
        list(obj.mapping.key),
        bom=settings.bom,
        spill_dir=spill,
        budget_rows=SORT_BUDGET_ROWS,
    )


def _load_chunk(
    frame: pd.DataFrame,
    obj: ObjectSpec,
    ctx: RunContext,
    writer: SortedLoadWriter,
    counter: FieldCounter,
    figures: _Figures,
) -> None:
    """One in-scope chunk: leave out what this batch does not load, lay out and write the rest."""
    frame = leave_out_other_objects(frame, obj, ctx)
    ctx.extras.pop(ALREADY_LOADED.format(obj.name), None)
    frame = leave_out_earlier_batches(frame, obj, ctx)
    figures.already.update(ctx.extras.pop(ALREADY_LOADED.format(obj.name), {}))
    layout = layout_columns(frame, obj)
    counter.add(layout)
    writer.add(layout)
    ctx.ledger.loaded(obj.name, frame["_rid"], business_key(frame, obj.mapping.key))
    figures.loaded += len(frame)


def _record_outcome(
    obj: ObjectSpec,
    ctx: RunContext,
    plan: ScopePlan | None,
    writer: SortedLoadWriter,
    digests: dict[str, str],
    counter: FieldCounter,
    figures: _Figures,
) -> None:
    """The stage results, load files and figures the whole-table scope and load leave."""
    if plan is None:
        scope_metrics: dict[str, object] = {"scope": None}
    else:
        pulled = sum(1 for p in plan.pulled_in if p["object"] == obj.name)
        scope_metrics = {"scope": plan.name, "pulled_in": pulled}
    ctx.results.append(
        StageResult(
            "scope", obj.name, figures.rows, figures.inside, figures.scope_seconds, scope_metrics
        )
    )
    files = [
        LoadFile(writer.paths[kind].relative_to(ctx.out_dir).as_posix(), obj.name, writer.rows, sha)
        for kind, sha in digests.items()
    ]
    ctx.extras[quality.AFTER.format(obj.name)] = counter.counts()
    if figures.already:
        ctx.extras[ALREADY_LOADED.format(obj.name)] = dict(sorted(figures.already.items()))
    ctx.extras.setdefault("load_files", []).extend(files)
    ctx.extras.setdefault("load_objects", []).append(object_load(obj, files, writer.rows))
    metrics = {"files": [f.path for f in files], "left_out": figures.inside - figures.loaded}
    ctx.results.append(
        StageResult("load", obj.name, figures.inside, figures.loaded, figures.load_seconds, metrics)
    )
