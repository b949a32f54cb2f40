"""`migrate run`: run a project end to end and print its funnel."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from migrate.cli.errors import reports_errors
from migrate.cli.options import (
    engine_options,
    out_option,
    project_option,
    resolve_target_url,
    target_option,
)
from migrate.cli.progress import progress_display
from migrate.engine.base import Engine
from migrate.engine.factory import open_engine
from migrate.errors import ReconciliationFailed
from migrate.pipeline import RunOptions, RunOutcome, run_project
from migrate.spec.loader import Project, load_project

# Rows per chunk when the dask engine runs and neither --chunk-rows nor the project's
# run: chunk_rows says: the engine distributes chunks, so objects must stream.
DASK_CHUNK_ROWS = 100_000


@click.command("run")
@project_option()
@out_option()
@click.option("--scope", default=None, help="Pilot scope to load [default: the project's].")
@click.option("--all", "full", is_flag=True, help="Load everything, ignoring any default scope.")
@target_option
@click.option("--no-target", is_flag=True, help="Write load files only; load no database.")
@click.option(
    "--batch",
    "batch",
    default=None,
    help="Run this batch of the project's batch plan (its scope and objects).",
)
@click.option(
    "--simulate",
    is_flag=True,
    help="Load the target inside a transaction that is rolled back; list refused rows.",
)
@click.option(
    "--chunk-rows",
    type=click.IntRange(min=1),
    default=None,
    help="Stream objects without matching in chunks of N rows [default: the project's run: "
    f"chunk_rows, else {DASK_CHUNK_ROWS:,} with --engine dask, else whole tables].",
)
@engine_options
@click.option("--quiet", is_flag=True, help="No progress display.")
@reports_errors
def run_command(
    project_dir: Path,
    out_dir: Path | None,
    scope: str | None,
    full: bool,
    target_url: str | None,
    no_target: bool,
    quiet: bool,
    batch: str | None = None,
    simulate: bool = False,
    chunk_rows: int | None = None,
    engine_name: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
) -> None:
    """Extract, map, cleanse, match, merge, validate, scope, load and reconcile."""
    project = load_project(project_dir)
    out = (out_dir or project.root / "out").resolve()
    chosen_scope = None if full else (scope or project.model.default_scope)
    if batch is not None:
        if scope is not None or full:
            raise click.BadParameter("--batch brings its own scope: leave out --scope and --all")
        if batch not in project.model.batches:
            valid = ", ".join(project.model.batches) or "none declared"
            raise click.BadParameter(f"unknown batch {batch!r} (valid: {valid})")
        chosen_scope = project.model.batches[batch].scope
    if chosen_scope is not None and chosen_scope not in project.model.scopes:
        raise click.BadParameter(
            f"unknown scope {chosen_scope!r} (valid: {', '.join(project.model.scopes)})"
        )
    url = None if no_target else resolve_target_url(target_url, project, out)
    chunk_rows = _chunk_rows(chunk_rows, engine_name, project)
    engine = _open(engine_name, scheduler, workers)
    try:
        with progress_display(not quiet and Console(stderr=True).is_terminal) as progress:
            options = RunOptions(
                out,
                chosen_scope,
                url,
                progress,
                batch=batch,
                simulate=simulate,
                chunk_rows=chunk_rows,
                engine=engine,
            )
            outcome = run_project(project, options)
        ran_on = describe_engine(engine)
    finally:
        engine.close()
    _print_summary(outcome, out, ran_on)
    if not outcome.closes or outcome.breaches:
        raise ReconciliationFailed("; ".join(outcome.report.messages))


def _chunk_rows(chosen: int | None, engine_name: str, project: Project) -> int | None:
    """--chunk-rows, else the project's, else a default chunk for the dask engine."""
    if chosen is not None or project.model.run.chunk_rows is not None:
        return chosen
    return DASK_CHUNK_ROWS if engine_name == "dask" else None


def _open(engine_name: str, scheduler: str | None, workers: int | None) -> Engine:
    """The engine the options ask for; options it does not take are usage errors."""
    try:
        return open_engine(engine_name, scheduler, workers)
    except ValueError as wrong:
        raise click.UsageError(str(wrong)) from None


def describe_engine(engine: Engine) -> str:
    """``local``, or ``dask, 3 workers``: which engine ran, for the summary."""
    workers = getattr(engine, "workers", None)
    if workers is None:
        return engine.name
    return f"{engine.name}, {workers} worker{'' if workers == 1 else 's'}"


def _print_summary(outcome: RunOutcome, out: Path, ran_on: str) -> None:
    console = Console()
    table = Table(title=f"run {outcome.report.run_id} (scope: {outcome.report.scope or 'all'})")
    for column in ("object", "extracted", "merged", "rejected", "out of scope", "loaded"):
        table.add_column(column, justify="left" if column == "object" else "right")
    totals = outcome.funnel.groupby("object", sort=False).sum(numeric_only=True)
    for name, row in totals.iterrows():
        table.add_row(
            str(name),
            *(
                str(int(row[c]))
                for c in ("extracted", "merged", "rejected", "out_of_scope", "loaded")
            ),
        )
    console.print(table)
    console.print(f"status: {outcome.report.status}")
    console.print(f"engine: {ran_on}")
    load = outcome.report.target_load
    if load is not None:
        done = ", ".join(f"{o.name} +{o.inserted} ~{o.updated}" for o in load.objects)
        what = f"batch {load.batch}" if load.batch else load.mode
        console.print(f"target: {load.target} ({what}: {load.status}; {done})")
    console.print(f"report: {out / 'report' / 'report.html'}")
