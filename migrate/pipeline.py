"""Run a project: objects in dependency order, stages in order, every row accounted for.

Phase 1 extracts every source of every object, so a missing file, a bad encoding
or a missing column ends the run before any output is written. Phase 2 maps,
cleanses, links, matches, merges and validates each object; phase 3 cuts the
scope and writes load files (leaving out rows earlier batches loaded); phase 4
settles merged rows, reconciles and writes the reports; then the target is loaded
from the written package as one batch (migrate.batches). Reject-rate thresholds
are checked between phases 2 and 3: a run over a limit writes its load files and
reports but loads no target, and its report says which limit was exceeded.

With a chunk size, objects without matching stream (migrate.stream): phase 1
only checks their sources open, and an object no other object reads goes
through phases 2 and 3 chunk by chunk, its rows parked in ``<out>/.work``
between the passes (removed when the run ends). The engine (``RunOptions.engine``)
runs the streamed chunks and, through ``RunContext.engine``, scores the candidate
pairs of objects with matching (migrate.matching.shuffle).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pandas as pd

from migrate.batches.run import deliver
from migrate.engine.base import Engine
from migrate.history.record import record_run
from migrate.ledger import Ledger
from migrate.ledger_segments import drop_held
from migrate.report.model import RunReport
from migrate.spec.loader import ObjectSpec, Project
from migrate.stages import cleanse, extract, link, load, map, match, merge, scope, validate
from migrate.stages.base import Progress, RunContext, Stage, StageResult, no_progress, run_stage
from migrate.stages.reconcile import capture_totals_base, reconcile, write_outputs
from migrate.stages.thresholds import Breach, check_thresholds
from migrate.state.hooks import load_state, save_state
from migrate.stream import delivery
from migrate.stream import prepare as stream
from migrate.stream.delivery import WORK_FOLDER, StreamedObject, plan_columns

PREPARE: list[tuple[str, Stage]] = [
    ("map", map.run),
    ("cleanse", cleanse.run),
    ("link", link.run),
    ("match", match.run),
    ("merge", merge.run),
    ("validate", validate.run),
]
DELIVER: list[tuple[str, Stage]] = [("scope", scope.run), ("load", load.run)]
OUTPUT_FOLDERS = ("load", "rejects", "review", "report")
Extracted = pd.DataFrame | StageResult  # a streamed object's placeholder extract result
THRESHOLD_EXCEEDED = "threshold exceeded"


@dataclass(frozen=True)
class RunOptions:
    """How to run: where outputs go, which scope, which target (None: files only)."""

    out_dir: Path
    scope: str | None = None
    target_url: str | None = None
    progress: Progress = no_progress
    history: bool = True  # record the run in <project>/history/ (diff runs do not)
    batch: str | None = None  # the batch plan's name for this load, recorded with the batch
    simulate: bool = False  # load the target inside a transaction that is rolled back
    chunk_rows: int | None = None  # stream objects without matching (None: the project's)
    engine: Engine | None = None  # where streamed chunks and match scoring run (None: here)


@dataclass(frozen=True)
class RunOutcome:
    """The finished run: its report and the funnel per object and system."""

    report: RunReport
    funnel: pd.DataFrame
    closes: bool
    breaches: tuple[Breach, ...] = ()


def run_project(project: Project, options: RunOptions) -> RunOutcome:
    """Run every stage of every object and write all outputs under ``options.out_dir``."""
    started = datetime.now(UTC)
    ctx = RunContext(
        project=project,
        ledger=Ledger(),
        out_dir=options.out_dir,
        run_id=_run_id(project, started),
        scope=options.scope,
        progress=options.progress,
        engine=options.engine,
    )
    ctx.extras["target_url"] = options.target_url
    ctx.extras.update(batch_label=options.batch, simulate=options.simulate)
    load_state(ctx)  # reviewers' decisions and the golden-key registry
    chunk_rows = options.chunk_rows or project.model.run.chunk_rows
    raw = {name: _extract(obj, ctx, chunk_rows) for name, obj in project.objects.items()}
    _clear_outputs(options.out_dir)
    try:
        return _run_loaded(project, options, ctx, raw, started)
    finally:
        drop_held()  # a ledger segment parked under the work folder may still be held
        shutil.rmtree(options.out_dir / WORK_FOLDER, ignore_errors=True)


def _run_loaded(
    project: Project,
    options: RunOptions,
    ctx: RunContext,
    raw: dict[str, Extracted],
    started: datetime,
) -> RunOutcome:
    """Everything after extraction; streamed objects' work files live until it ends."""
    chunk_rows = options.chunk_rows or project.model.run.chunk_rows
    streamed: dict[str, StreamedObject] = {}
    try:
        for name, obj in project.objects.items():
            prepared = _prepare(raw.pop(name), obj, ctx, chunk_rows, options.engine)
            if isinstance(prepared, StreamedObject):
                streamed[name] = prepared
                prepared = prepared.empty()
            ctx.frames[name] = prepared
        breaches = _deliver_all(project, ctx, options.scope, streamed)
    finally:
        for handle in streamed.values():
            handle.close()
    for name in project.objects:
        ctx.ledger.settle_members(name)
    report = reconcile(ctx, started)
    closes = report.status == "reconciled"
    report = _with_breaches(report, breaches)
    write_outputs(ctx, report)
    report = deliver(ctx, report)  # the target load, as one batch, from the written package
    if options.history:
        record_run(ctx, report)
    if closes and not breaches:
        save_state(ctx)  # only a run whose load stands records its golden keys
    funnel = ctx.ledger.funnel()
    return RunOutcome(report=report, funnel=funnel, closes=closes, breaches=breaches)


def _deliver_all(
    project: Project, ctx: RunContext, scope_name: str | None, streamed: dict[str, StreamedObject]
) -> tuple[Breach, ...]:
    """Check the reject-rate limits, plan the scope, then scope and load every object."""
    breaches = tuple(check_thresholds(project, ctx.ledger))
    if breaches:
        ctx.extras["target_url"] = None  # stop before the target load; files and reports only
    if scope_name is not None:
        chunks: dict[str, scope.Chunks] = {
            name: partial(handle.frames, plan_columns(project.objects[name], ctx, scope_name))
            for name, handle in streamed.items()
        }
        ctx.extras["scope_plan"] = scope.plan(project, ctx.frames, scope_name, chunks)
    for name, obj in project.objects.items():
        if name in streamed:
            ctx.progress(f"scope and load {name}", 0, 1)
            delivery.deliver(streamed[name], obj, ctx)
            ctx.progress(f"scope and load {name}", 1, 1)
            continue
        frame = ctx.frames[name]
        for stage_name, stage in DELIVER:
            frame = run_stage(stage_name, stage, frame, obj, ctx)
        ctx.frames[name] = frame
    return breaches


def _with_breaches(report: RunReport, breaches: tuple[Breach, ...]) -> RunReport:
    """The report saying which reject-rate limits were exceeded and that no target was loaded."""
    if not breaches:
        return report
    messages = [b.message for b in breaches] + ["the target was not loaded"]
    status = THRESHOLD_EXCEEDED if report.status == "reconciled" else report.status
    return replace(report, status=status, messages=(*report.messages, *messages))


def _extract(obj: ObjectSpec, ctx: RunContext, chunk_rows: int | None) -> Extracted:
    """The object's rows; for an object that streams, a pre-flight check and a placeholder."""
    if chunk_rows is not None and stream.streams(obj, chunk_rows):
        result = stream.preflight(obj, ctx)
        ctx.results.append(result)
        return result
    return run_stage("extract", extract.run, pd.DataFrame(), obj, ctx)


def _prepare(
    raw: Extracted,
    obj: ObjectSpec,
    ctx: RunContext,
    chunk_rows: int | None,
    engine: Engine | None,
) -> pd.DataFrame | StreamedObject:
    if isinstance(raw, StageResult):  # streams: extract, map, cleanse, link chunk by chunk
        assert chunk_rows is not None
        if stream.delivers_in_chunks(obj, ctx.project):
            return stream.prepare_checked(obj, ctx, chunk_rows, raw, engine)
        frame = stream.prepare(obj, ctx, chunk_rows, raw, engine)
        return _run_stages(frame, PREPARE[len(stream.ROWWISE) :], obj, ctx)
    return _run_stages(raw, PREPARE, obj, ctx)


def _run_stages(
    frame: pd.DataFrame, stages: list[tuple[str, Stage]], obj: ObjectSpec, ctx: RunContext
) -> pd.DataFrame:
    for stage_name, stage in stages:
        frame = run_stage(stage_name, stage, frame, obj, ctx)
        if stage_name == "map":
            capture_totals_base(frame, obj, ctx)
    return frame


def _clear_outputs(out_dir: Path) -> None:
    """Remove the previous run's outputs (the target database, if any, stays)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for folder in OUTPUT_FOLDERS:
        shutil.rmtree(out_dir / folder, ignore_errors=True)


def _run_id(project: Project, started: datetime) -> str:
    return f"{project.name}-{started.strftime('%Y%m%dT%H%M%SZ')}"


__all__ = ["RunOptions", "RunOutcome", "StageResult", "run_project"]
