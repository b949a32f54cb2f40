"""`migrate rollback`: undo a batch; the target is left exactly as it was before it."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from migrate.batches.undo import rollback_batch
from migrate.cli.errors import reports_errors
from migrate.cli.load import RUN_OUT_HELP, project_and_out
from migrate.cli.options import out_option, project_option, resolve_target_url, target_option


@click.command("rollback")
@project_option()
@out_option(RUN_OUT_HELP)
@target_option
@click.option("--batch", "batch", required=True, help="The batch to undo (its id).")
@reports_errors
def rollback_command(
    project_dir: Path, out_dir: Path | None, target_url: str | None, batch: str
) -> None:
    """Undo a committed or interrupted batch from the prior states it saved."""
    project, out, records = project_and_out(project_dir, out_dir)
    url = resolve_target_url(target_url, project, out)
    restored = rollback_batch(url, records, batch)
    table = Table(title=f"batch {batch} rolled back")
    for column in ("object", "table", "rows restored", "rows deleted"):
        table.add_column(column, justify="left" if column in ("object", "table") else "right")
    for obj in restored:
        table.add_row(obj.name, obj.table, str(obj.restored), str(obj.deleted))
    Console().print(table)
