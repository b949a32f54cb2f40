"""`migrate validate`: check an earlier run's load files against the declared target schema.

Without options the load files under ``<out>/load`` are checked with the
compiled pandera schema (as the validate stage does); with ``--gx`` they are
also validated by Great Expectations with the suite planned from the same
declarations, and Data Docs are written under ``<out>/gx/data_docs``. Exit 1
when a reject rule fails in either.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from migrate.cli.errors import reports_errors
from migrate.cli.options import out_option, project_option
from migrate.errors import ReconciliationFailed
from migrate.gx.run import Outcome
from migrate.schema.loadfiles import find_load_file, read_load_file
from migrate.spec.loader import Project, load_project
from migrate.stages.validate import check_frame


@click.command("validate")
@project_option("Project folder (has migration.yaml).")
@out_option("Output folder of the run to check [default: <project>/out].")
@click.option("--gx", "use_gx", is_flag=True, help="Also validate with Great Expectations.")
@reports_errors
def validate_command(project_dir: Path, out_dir: Path | None, use_gx: bool) -> None:
    """Check the load files of an earlier run against the target schema."""
    project = load_project(project_dir)
    out = (out_dir or project.root / "out").resolve()
    console = Console()
    failed = _pandera_check(project, out, console)
    if use_gx:
        from migrate.gx.frames import validate_load_files

        report = validate_load_files(project, out)
        _print_gx(report.outcomes, console)
        console.print(f"data docs: {report.docs_index}")
        if not report.success:
            failed.append("Great Expectations found failing expectations")
    if failed:
        raise ReconciliationFailed("load files fail the target schema: " + "; ".join(failed))


def _pandera_check(project: Project, out: Path, console: Console) -> list[str]:
    """Check each object's load file; print failures by rule; name the objects that fail."""
    table = Table(title="load files against the target schema (pandera)")
    for column in ("object", "rows", "rule", "severity", "failing rows"):
        table.add_column(column, justify="right" if column in ("rows", "failing rows") else "left")
    failed = []
    for name, obj in project.objects.items():
        path = find_load_file(out / "load", obj.table, project.model.load.formats)
        frame = read_load_file(path)
        checked = check_frame(frame, obj.mapping, obj.check_tables)
        counts = checked.failures.groupby("rule", sort=True)["index"].nunique()
        for rule, rows in counts.items():
            severity = checked.rules[str(rule)].severity
            table.add_row(name, str(len(frame)), str(rule), severity, str(rows))
        if counts.empty:
            table.add_row(name, str(len(frame)), "-", "-", "0")
        if len(checked.rejected_index()):
            failed.append(f"{name}: {len(checked.rejected_index())} rows")
    console.print(table)
    return failed


def _print_gx(outcomes: tuple[Outcome, ...], console: Console) -> None:
    table = Table(title="load files against the expectation suite (Great Expectations)")
    for column in ("object", "expectation", "column", "rule", "result", "unexpected"):
        table.add_column(column)
    for o in outcomes:
        result = "ok" if o.success else ("error" if o.error else "FAILED")
        unexpected = "" if o.unexpected is None else str(o.unexpected)
        table.add_row(o.object, o.expectation, o.column or "", o.rule, result, unexpected)
    console.print(table)
    failed = sum(1 for o in outcomes if not o.success)
    console.print(f"expectations: {len(outcomes)}, failed: {failed}")
