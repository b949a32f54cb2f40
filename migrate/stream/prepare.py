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

Two ways on from there. An object that other objects read (references,
partners) has its linked chunks joined (:func:`prepare`) for the whole-table
stages. An object that nothing reads (:func:`delivers_in_chunks`, the demo's
order lines) never is whole: its chunks are also matched, merged (both pass
rows through without a ``match`` spec) and checked where they run, parked on
disk with their ledger rows (:func:`prepare_checked`), and go on to scope and
load chunk by chunk (:mod:`migrate.stream.delivery`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd

from migrate.engine.base import Engine
from migrate.engine.local import LocalEngine
from migrate.frames import empty_like
from migrate.io.sources import check_source, iter_source
from migrate.ledger import IDENTITY, Ledger
from migrate.report import quality
from migrate.schema import compile_schema, rules_of
from migrate.spec.loader import ObjectSpec, Project
from migrate.stages import map, validate
from migrate.stages.base import RunContext, Stage, StageResult
from migrate.stages.extract import source_spec, with_identity
from migrate.stages.reconcile import TOTALS
from migrate.stream.checks import DuplicateKeys, Prechecked, raw_columns, record_chunk
from migrate.stream.counts import FieldCounter
from migrate.stream.delivery import WORK_FOLDER, StreamedObject
from migrate.stream.metrics import add_results
from migrate.stream.spill import SpillStore
from migrate.stream.work import ROWWISE, UNMAPPED, UNMATCHED, ChunkOutcome, ChunkWork

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
    before: FieldCounter | None = None
    totals_store: SpillStore | None = None  # where the totals' base goes instead of memory

    def add(self, result: StageResult) -> None:
        self.results[result.stage] = add_results(self.results.get(result.stage), result)

    def absorb(self, outcome: ChunkOutcome) -> None:
        """One chunk's outcome, in chunk order."""
        self.ledgers.append(outcome.ledger)
        self.outputs.append(outcome.frame)
        for result in outcome.results:
            self.add(result)
        if outcome.totals_base is not None and self.totals_store is not None:
            self.totals_store.append(outcome.totals_base)
        elif outcome.totals_base is not None:
            self.totals_base.append(outcome.totals_base)
        for item in outcome.unmapped:
            self.unmapped.append(item)
            key = (outcome.source, item.value_map, item.field, item.value, item.policy)
            self.unmapped_keys.add(key)
        if self.before is None:
            self.before = FieldCounter(list(outcome.before))
        self.before.add_counts(outcome.before)


def delivers_in_chunks(obj: ObjectSpec, project: Project) -> bool:
    """Whether a streamed ``obj`` goes on chunk by chunk to its load files.

    It may when no other object reads its rows: none references it or links
    partners with it. Otherwise its linked chunks are joined for the rest.
    """
    for other in project.objects.values():
        if any(ref.object == obj.name for ref in other.model.references):
            return False
        if other.model.partner_of is not None and other.model.partner_of.object == obj.name:
            return False
    return True


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
    _settle(obj, ctx, totals, placeholder, ROWWISE)
    return pd.concat(totals.outputs) if len(totals.outputs) > 1 else totals.outputs[0]


def prepare_checked(
    obj: ObjectSpec,
    ctx: RunContext,
    chunk_rows: int,
    placeholder: StageResult,
    engine: Engine | None = None,
) -> StreamedObject:
    """Take ``obj`` chunk by chunk through every stage up to validation, rows parked on disk.

    Chunks are checked where they run; once all are in, uniqueness is decided
    over all of them and each chunk's findings are recorded (:mod:`.checks`).
    """
    work_dir = ctx.out_dir / WORK_FOLDER
    streamed = StreamedObject(
        obj.name,
        SpillStore(work_dir / f"{obj.name}-checked"),
        SpillStore(work_dir / f"{obj.name}-totals"),
    )
    totals = _Totals(totals_store=streamed.totals)
    duplicates = DuplicateKeys()
    prechecked: list[Prechecked] = []
    work = ChunkWork.for_object(obj, ctx, check=True)
    chunks = _chunks(obj, ctx, chunk_rows, totals)
    try:
        for number, outcome in enumerate((engine or LocalEngine()).map_ordered(work, chunks)):
            outcome.ledger.park(obj.name, work_dir / f"{obj.name}-ledger" / f"{number:06d}")
            totals.absorb(outcome)
            assert outcome.checked is not None
            streamed.store.append(outcome.checked.rows)
            duplicates.add(outcome.checked.keys)
            outcome.checked.rows, outcome.checked.keys = empty_like(outcome.checked.rows), {}
            prechecked.append(outcome.checked)
        _record_checks(obj, totals, streamed, duplicates, prechecked)
    except BaseException:
        streamed.close()
        raise
    _settle(obj, ctx, totals, placeholder, [*ROWWISE, *UNMATCHED, ("validate", validate.run)])
    return streamed


def _record_checks(
    obj: ObjectSpec,
    totals: _Totals,
    streamed: StreamedObject,
    duplicates: DuplicateKeys,
    prechecked: list[Prechecked],
) -> None:
    """Each chunk's validation findings, uniqueness over all chunks, in the chunk's ledger."""
    duplicates.settle()
    rules = rules_of(compile_schema(obj.mapping, coerce=False, check_tables=obj.check_tables))
    columns = ["_rid", *raw_columns(rules)]  # all that recording reads of the rows
    for number, (ledger, checked) in enumerate(zip(totals.ledgers, prechecked, strict=True)):
        checked.rows = streamed.store.read(number, columns)
        kept, result = record_chunk(checked, number, duplicates, obj, rules, ledger)
        streamed.kept.append(kept)
        totals.add(result)
        prechecked[number] = Prechecked(empty_like(checked.rows), checked.failures, {}, {})


def _settle(
    obj: ObjectSpec,
    ctx: RunContext,
    totals: _Totals,
    placeholder: StageResult,
    stages: list[tuple[str, Stage]],
) -> None:
    """The chunks' ledgers, extras and stage results, as the whole-table stages leave them."""
    ctx.ledger.absorb(obj.name, totals.ledgers)
    _settle_extras(obj, ctx, totals)
    extract_result = totals.results.pop("extract", StageResult("extract", obj.name, 0, 0))
    extract_result.metrics.setdefault("rows_per_source", {})
    ctx.results[_position(ctx.results, placeholder)] = extract_result
    for stage_name, _ in stages:
        ctx.results.append(totals.results[stage_name])


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
    ctx.extras[quality.BEFORE.format(obj.name)] = totals.before.counts() if totals.before else {}
