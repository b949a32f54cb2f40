"""One chunk's work: extract's output through map, cleanse and link, anywhere.

``ChunkWork`` is what an engine sends to where chunks run (this process, or a
Dask worker): the project, the object, and only the reference data its links
read (the referenced objects' keys, cross-references and ledger rows). It
pickles, so a cluster ships it once and then only chunks. ``ChunkOutcome`` is
what a chunk gives back for the run to absorb in order: the linked rows, the
chunk's ledger records, what each stage reported, and what reconciling needs
of the rows as mapped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

from migrate.frames import empty_like
from migrate.ledger import Ledger
from migrate.spec.loader import ObjectSpec
from migrate.stages import cleanse, link, map, match, merge
from migrate.stages.base import RunContext, Stage, StageResult, run_stage
from migrate.stages.reconcile import totals_base
from migrate.stream.checks import Prechecked, precheck
from migrate.stream.counts import FieldCounts, chunk_counts

ROWWISE: list[tuple[str, Stage]] = [("map", map.run), ("cleanse", cleanse.run), ("link", link.run)]
# Without a match spec, matching and merging leave each row to itself: row-wise too.
UNMATCHED: list[tuple[str, Stage]] = [("match", match.run), ("merge", merge.run)]
UNMAPPED = "unmapped:{}"


@dataclass
class ChunkOutcome:
    """What one chunk gives back to the run."""

    frame: pd.DataFrame
    ledger: Ledger
    results: list[StageResult]
    source: str
    totals_base: pd.DataFrame | None = None
    unmapped: list[map.Unmapped] = field(default_factory=list)
    before: dict[str, FieldCounts] = field(default_factory=dict)
    checked: Prechecked | None = None


@dataclass
class ChunkWork:
    """Map, cleanse and link one chunk of ``obj`` against the run's reference data."""

    obj: ObjectSpec
    ctx: RunContext
    check: bool = False  # also match, merge and check the chunk (see migrate.stream.checks)

    @classmethod
    def for_object(cls, obj: ObjectSpec, ctx: RunContext, *, check: bool = False) -> ChunkWork:
        """The work for ``obj``, holding of ``ctx`` only what its chunks read."""
        referenced = {ref.object for ref in obj.model.references}
        ledger = Ledger()
        ledger.share(ctx.ledger, referenced)
        slim = RunContext(
            project=ctx.project,
            ledger=ledger,
            out_dir=ctx.out_dir,
            run_id=ctx.run_id,
            scope=ctx.scope,
            xref={name: ctx.xref[name] for name in referenced if name in ctx.xref},
            frames={name: _keys_of(ctx.frames[name], ctx, name) for name in referenced},
        )
        return cls(obj, slim, check)

    def __call__(self, chunk: pd.DataFrame) -> ChunkOutcome:
        """The chunk through the row-wise stages, recorded in a ledger of its own."""
        obj = self.obj
        ctx = RunContext(
            project=self.ctx.project,
            ledger=self.ctx.ledger.for_chunk(obj.name, chunk),
            out_dir=self.ctx.out_dir,
            run_id=self.ctx.run_id,
            scope=self.ctx.scope,
            xref=self.ctx.xref,
            frames=self.ctx.frames,
        )
        source = str(chunk["_source"].iloc[0]) if len(chunk) else ""
        outcome = ChunkOutcome(chunk, ctx.ledger, ctx.results, source)
        frame = chunk
        for stage_name, stage in ROWWISE:
            frame = run_stage(stage_name, stage, frame, obj, ctx, show_progress=False)
            if stage_name == "map":
                _keep_base(frame, obj, ctx, outcome)
        if self.check:
            for stage_name, stage in UNMATCHED:
                frame = run_stage(stage_name, stage, frame, obj, ctx, show_progress=False)
            started = time.perf_counter()
            outcome.checked = precheck(frame, obj)
            outcome.checked.seconds = time.perf_counter() - started
            frame = empty_like(frame)  # the rows travel checked
        outcome.frame = frame
        return outcome


def _keys_of(frame: pd.DataFrame, ctx: RunContext, name: str) -> pd.DataFrame:
    """The key columns of a referenced object's rows: all that linking reads of them."""
    return frame[list(ctx.project.objects[name].mapping.key)]


def _keep_base(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext, out: ChunkOutcome) -> None:
    """What reconciling needs of the chunk as mapped: totals, quality, unmapped values."""
    out.totals_base = totals_base(frame, obj)
    out.unmapped = list(ctx.extras.get(UNMAPPED.format(obj.name), []))
    out.before = chunk_counts(frame, list(obj.mapping.fields))
