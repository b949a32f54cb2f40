"""`migrate reconcile`: prove a run's load against a target. Exit 0 reconciled, 1 not, 2 error."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from migrate.cli.load import RUN_OUT_HELP, project_and_out
from migrate.cli.options import out_option, project_option, resolve_target_url, target_option
from migrate.errors import MigrateError, ReconciliationFailed
from migrate.reconcile.model import ReconcileReport
from migrate.reconcile.output import write_reconcile
from migrate.reconcile.run import reconcile_run

F = TypeVar("F", bound=Callable[..., Any])
EXIT_RECONCILED, EXIT_NOT_RECONCILED, EXIT_ERROR = 0, 1, 2


def reconcile_exit_codes(command: F) -> F:
    """0 reconciled, 1 not reconciled, 2 for every error, unexpected ones too (one line)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ReconciliationFailed as failed:
            click.echo(f"not reconciled: {failed.message}", err=True)
            raise SystemExit(EXIT_NOT_RECONCILED) from None
        except MigrateError as error:
            click.echo(f"error: {error.message}", err=True)
            raise SystemExit(EXIT_ERROR) from None
        except Exception as error:  # a crash must not read as "not reconciled" (1)
            click.echo(f"error: {type(error).__name__}: {error}", err=True)
            raise SystemExit(EXIT_ERROR) from None

    return wrapper  # type: ignore[return-value]


@click.command("reconcile")
@project_option()
@out_option(RUN_OUT_HELP)
@target_option
@reconcile_exit_codes
def reconcile_command(project_dir: Path, out_dir: Path | None, target_url: str | None) -> None:
    """Reconcile a run's load files with the target: funnel, totals, keys and fields."""
    project, out, records = project_and_out(project_dir, out_dir)
    url = resolve_target_url(target_url, project, out)
    report = reconcile_run(out, url, records, project.model.reconcile)
    write_reconcile(report, out / "report")
    _print(report, out)
    if not report.reconciled:
        raise ReconciliationFailed(_why(report))


def _why(report: ReconcileReport) -> str:
    parts = []
    if report.keys or report.fields:
        parts.append(f"{len(report.keys)} key and {len(report.fields)} field difference(s)")
    if not all(line.closes for line in report.funnel):
        parts.append("the funnel does not close")
    if not all(total.closes for total in report.totals):
        parts.append("control totals differ")
    if not all(obj.closes for obj in report.objects):
        parts.append("load files, ledger and target count different rows")
    return "; ".join(parts)


def _print(report: ReconcileReport, out: Path) -> None:
    console = Console()
    table = Table(title=f"reconcile {report.run_id} against {report.target}")
    columns = ("object", "load file", "ledger", "in target", "missing", "extra", "fields")
    for column in columns:
        table.add_column(column, justify="left" if column == "object" else "right")
    for obj in report.objects:
        keys = [d for d in report.keys if d.object == obj.object]
        figures = (
            obj.file_rows,
            obj.ledger_loaded,
            obj.in_target,
            sum(1 for d in keys if d.problem == "missing"),
            sum(1 for d in keys if d.problem == "extra"),
            sum(1 for d in report.fields if d.object == obj.object),
        )
        table.add_row(obj.object, *(str(n) for n in figures))
    console.print(table)
    console.print(f"status: {report.status}")
    console.print(f"report: {out / 'report' / 'reconcile.html'}")
