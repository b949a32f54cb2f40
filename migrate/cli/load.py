"""`migrate load`: load a run's load files into a target as one batch, simulate it, or resume it."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from migrate.batches.loader import (
    CHUNK_ROWS,
    BatchOutcome,
    LoadOptions,
    LoadRefused,
    load_package,
    resume_load,
)
from migrate.batches.package import read_package
from migrate.batches.refusals import write_refusals
from migrate.batches.run import REFUSED_FILE, SIMULATION_FILE, simulation_problem
from migrate.batches.simulate import Simulation, simulate_package
from migrate.batches.state import LoadRecords, project_records
from migrate.cli.errors import reports_errors
from migrate.cli.options import out_option, project_option, resolve_target_url, target_option
from migrate.cli.progress import progress_display
from migrate.errors import TargetError
from migrate.spec.loader import Project, load_project

RUN_OUT_HELP = "The run's output folder (has load/manifest.json) [default: <project>/out]."


def project_and_out(project_dir: Path, out_dir: Path | None) -> tuple[Project, Path, LoadRecords]:
    """The project, the run's output folder and the project's load records."""
    project = load_project(project_dir)
    out = (out_dir or project.root / "out").resolve()
    return project, out, project_records(project.root, project.model.state.loads)


@click.command("load")
@project_option()
@out_option(RUN_OUT_HELP)
@target_option
@click.option("--simulate", is_flag=True, help="Load in a transaction, roll back, list refusals.")
@click.option("--resume", is_flag=True, help="Finish the target's interrupted batch.")
@click.option(
    "--chunk-rows",
    type=click.IntRange(min=1),
    default=CHUNK_ROWS,
    show_default=True,
    help="Rows per committed chunk (a resumed load continues after the last one).",
)
@click.option("--batch", "label", default=None, help="A name for this batch (e.g. from the plan).")
@click.option("--quiet", is_flag=True, help="No progress display.")
@reports_errors
def load_command(
    project_dir: Path,
    out_dir: Path | None,
    target_url: str | None,
    simulate: bool,
    resume: bool,
    chunk_rows: int,
    label: str | None,
    quiet: bool,
) -> None:
    """Load the run's load files into the target: chunked, resumable, undoable."""
    project, out, records = project_and_out(project_dir, out_dir)
    url = resolve_target_url(target_url, project, out)
    if simulate and resume:
        raise click.BadParameter("--simulate and --resume do not go together")
    if simulate:
        simulation = simulate_package(read_package(out), url, records, chunk_rows)
        write_refusals(simulation.errors, out / SIMULATION_FILE)
        _print_simulation(simulation, out)
        if not simulation.clean:
            raise TargetError(simulation.target.display, simulation_problem(simulation))
        return
    with progress_display(not quiet and Console(stderr=True).is_terminal) as progress:
        options = LoadOptions(chunk_rows=chunk_rows, label=label, progress=progress)
        try:
            if resume:
                outcome = resume_load(url, records, options)
            else:
                outcome = load_package(read_package(out), url, records, options)
        except LoadRefused as refused:
            write_refusals(refused.errors, out / REFUSED_FILE)
            raise
    _print_batch(outcome)


def _print_batch(outcome: BatchOutcome) -> None:
    console = Console()
    how = " (resumed)" if outcome.resumed else " (repeated)" if outcome.repeated else ""
    table = Table(title=f"batch {outcome.batch}{how} into {outcome.target.display}")
    for column in ("object", "table", "rows", "inserted", "updated", "chunks"):
        table.add_column(column, justify="left" if column in ("object", "table") else "right")
    for obj in outcome.objects:
        figures = (obj.rows, obj.inserted, obj.updated, obj.chunks)
        table.add_row(obj.name, obj.table, *(str(n) for n in figures))
    console.print(table)
    console.print(f"status: {outcome.status}")


def _print_simulation(simulation: Simulation, out: Path) -> None:
    console = Console()
    table = Table(title=f"simulated load of {simulation.run_id} into {simulation.target.display}")
    for column in ("object", "rows", "would insert", "would update", "refused", "earlier"):
        table.add_column(column, justify="left" if column == "object" else "right")
    for obj in simulation.objects:
        earlier = simulation.already_loaded.get(obj.name, 0)
        figures = (obj.rows, obj.would_insert, obj.would_update, obj.refused, earlier)
        table.add_row(obj.name, *(str(n) for n in figures))
    console.print(table)
    console.print("status: " + ("would load" if simulation.clean else "would be refused"))
    console.print(f"refused rows: {out / SIMULATION_FILE}")
