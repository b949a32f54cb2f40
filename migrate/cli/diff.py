"""`migrate diff OLD NEW`: what a change to the rules does to the data, for the change request."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from migrate.cli.errors import reports_errors
from migrate.cli.options import out_option, project_option
from migrate.diff.model import DiffReport
from migrate.diff.render import write_diff
from migrate.diff.runner import diff_versions


@click.command("diff")
@click.argument("old")
@click.argument("new")
@project_option("Project folder (git revisions are read from its repository).")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="Folder the sources' relative paths start from [default: the project folder].",
)
@out_option("Folder for diff.html and diff.json [default: <project>/out/diff].")
@click.option("--scope", default=None, help="Compare one pilot scope [default: all rows].")
@reports_errors
def diff_command(
    old: str,
    new: str,
    project_dir: Path,
    data_dir: Path | None,
    out_dir: Path | None,
    scope: str | None,
) -> None:
    """Run two versions of the rules on the same data and report what changes.

    OLD and NEW are project folders or git revisions of the project (a folder
    wins; `.` is the working tree), e.g. `migrate diff HEAD .`.
    """
    with tempfile.TemporaryDirectory(prefix="migrate-diff-") as scratch:
        report = diff_versions(old, new, project_dir, data_dir or project_dir, Path(scratch), scope)
    json_path, html_path = write_diff(report, out_dir or project_dir / "out" / "diff")
    print_summary(report)
    click.echo(f"report: {html_path}")
    click.echo(f"json:   {json_path}")


def print_summary(report: DiffReport) -> None:
    """Spec changes, then per object how many rows change fate and value."""
    console = Console()
    console.print(
        f"{len(report.spec_changes)} rule/mapping change(s): "
        f"{report.old.label} -> {report.new.label}"
    )
    table = Table(title="impact")
    for column in ("object", "change", "rule", "rows"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    for fate in report.fate_changes:
        table.add_row(fate.object, fate.kind, fate.rule, f"{fate.count:,}")
    for value in report.field_changes:
        table.add_row(value.object, "value changed", value.field, f"{value.count:,}")
    if table.row_count:
        console.print(table)
    else:
        console.print("no row changes fate or value")
