"""Prepare an object chunk by chunk: extract, map, cleanse and link each chunk in turn.

An object streams when the run sets ``chunk_rows``, it has no ``match`` spec
(matching needs the whole table) and none of its cleansing steps is a
whole-column op (``flag_duplicates``). Each chunk is read from its source with
``_rid`` and ``_row`` going on from the previous chunk and handed to the run's
engine, which runs it through the same stage functions as a whole table
(:class:`migrate.stream.work.ChunkWork`, in this process or on a Dask worker)
and gives the outcomes back in order. Each chunk records its fates and findings
in a ledger of its own that the run's ledger absorbs in order at the end. What
the stages report per chunk is added up into one result per stage, so the run
report gives the same figures as the whole-table path.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from migrate.engine.base import Engine
from migrate.engine.local import LocalEngine
from migrate.io.sources import check_source, iter_source
from migrate.ledger import IDENTITY, Ledger
from migrate.report import quality
from migrate.spec.loader import ObjectSpec
from migrate.stages import map
from migrate.stages.base import RunContext, StageResult
from migrate.stages.extract import source_spec, with_identity
from migrate.stream.metrics import add_results
from migrate.stream.work import ROWWISE, TOTALS, UNMAPPED, ChunkOutcome, ChunkWork

WHOLE_COLUMN_OPS = frozenset({"flag_duplicates"})


def streams(obj: ObjectSpec, chunk_rows: int | None) -> bool:
    """Whether ``obj`` is prepared chunk by chunk in a run with ``chunk_rows``."""
    if chunk_rows is None or obj.rules.match is not None:
        return False
    return not any(step.op in WHOLE_COLUMN_OPS for step in obj.rules.steps)


def preflight(obj: ObjectSpec, ctx: RunContext) -> StageResult:
    """Check every source opens and has its columns; hold the object's place in the ledger.

    Returns the placeholder extract result that :func:`prepare` fills in.
    """
    for source in obj.model.sources:
        check_source(source_spec(source, obj, ctx.project.root), ctx.project.root)
    ctx.ledger.register(obj.name, pd.DataFrame({column: [] for column in IDENTITY}))
    return StageResult("extract", obj.name, 0, 0)


@dataclass
class _Totals:
    """What the chunks add up to."""

    results: dict[str, StageResult] = field(default_factory=dict)
    ledgers: list[Ledger] = field(default_factory=list)
    outputs: list[pd.DataFrame] = field(default_factory=list)
    unmapped: list[map.Unmapped] = field(default_factory=list)
    unmapped_keys: set[tuple[str, ...]] = field(default_factory=set)
    totals_base: list[pd.DataFrame] = field(default_factory=list)
    before: dict[str, list[int]] = field(default_factory=dict)
    distinct: dict[str, np.ndarray] = field(default_factory=dict)

    def add(self, result: StageResult) -> None:
        self.results[result.stage] = add_results(self.results.get(result.stage), result)

    def absorb(self, outcome: ChunkOutcome) -> None:
        """One chunk's outcome, in chunk order."""
        self.ledgers.append(outcome.ledger)
        self.outputs.append(outcome.frame)
        for result in outcome.results:
            self.add(result)
        if outcome.totals_base is not None:
            self.totals_base.append(outcome.totals_base)
        for item in outcome.unmapped:
            self.unmapped.append(item)
            key = (outcome.source, item.value_map, item.field, item.value, item.policy)
            self.unmapped_keys.add(key)
        for name, counts in outcome.before.items():
            rows_filled = self.before.setdefault(name, [0, 0])
            rows_filled[0] += counts.rows
            rows_filled[1] += counts.filled
            seen = self.distinct.get(name)
            both = counts.distinct if seen is None else np.concatenate([seen, counts.distinct])
            self.distinct[name] = pd.unique(both)


def prepare(
    obj: ObjectSpec,
    ctx: RunContext,
    chunk_rows: int,
    placeholder: StageResult,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """Extract, map, cleanse and link ``obj`` chunk by chunk; the linked rows, joined."""
    totals = _Totals()
    work = ChunkWork.for_object(obj, ctx)
    chunks = _chunks(obj, ctx, chunk_rows, totals)
    for outcome in (engine or LocalEngine()).map_ordered(work, chunks):
        totals.absorb(outcome)
    ctx.ledger.absorb(obj.name, totals.ledgers)
    _settle_extras(obj, ctx, totals)
    extract_result = totals.results.pop("extract", StageResult("extract", obj.name, 0, 0))
    extract_result.metrics.setdefault("rows_per_source", {})
    ctx.results[_position(ctx.results, placeholder)] = extract_result
    for stage_name, _ in ROWWISE:
        ctx.results.append(totals.results[stage_name])
    return pd.concat(totals.outputs) if len(totals.outputs) > 1 else totals.outputs[0]


def _position(results: list[StageResult], placeholder: StageResult) -> int:
    return next(i for i, result in enumerate(results) if result is placeholder)


def _chunks(
    obj: ObjectSpec, ctx: RunContext, chunk_rows: int, totals: _Totals
) -> Iterator[pd.DataFrame]:
    """Every source's rows with identity columns, in chunks; one empty chunk for no rows."""
    next_rid = 0
    empty: pd.DataFrame | None = None
    for source in obj.model.sources:
        spec = source_spec(source, obj, ctx.project.root)
        offset = 0
        started = time.perf_counter()
        for raw in iter_source(spec, ctx.project.root, chunk_rows):
            chunk = with_identity(raw, source, next_rid, offset)
            chunk.index = pd.Index(chunk["_rid"].to_numpy(), name=None)
            if raw.empty:
                empty = chunk if empty is None else empty
                continue
            next_rid, offset = next_rid + len(raw), offset + len(raw)
            rows = {str(source.name): len(raw)}
            seconds = time.perf_counter() - started
            totals.add(
                StageResult("extract", obj.name, 0, len(raw), seconds, {"rows_per_source": rows})
            )
            yield chunk
            started = time.perf_counter()
    if next_rid == 0 and empty is not None:
        yield empty


def _settle_extras(obj: ObjectSpec, ctx: RunContext, totals: _Totals) -> None:
    """The run context's per-object records, as the whole-table stages leave them."""
    ctx.extras[UNMAPPED.format(obj.name)] = map._merge_counts(totals.unmapped)
    if "map" in totals.results:
        totals.results["map"].metrics["unmapped_values"] = len(totals.unmapped_keys)
    if totals.totals_base:
        ctx.extras[TOTALS.format(obj.name)] = pd.concat(totals.totals_base)
    ctx.extras[quality.BEFORE.format(obj.name)] = {
        name: (rows, filled, len(totals.distinct[name]))
        for name, (rows, filled) in totals.before.items()
    }
