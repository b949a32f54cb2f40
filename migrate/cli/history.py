"""`migrate history`: how a project's figures moved from run to run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from migrate.cli.errors import reports_errors
from migrate.cli.options import project_option
from migrate.history.record import HISTORY_DIR, read_history
from migrate.history.view import FUNNEL_FIGURES, funnel_rows, history_json, rule_rates


@click.command("history")
@project_option("Project folder (has history/).")
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@click.option("--last", type=click.IntRange(min=1), default=None, help="Only the last N runs.")
@reports_errors
def history_command(project_dir: Path, output: str, last: int | None) -> None:
    """Show every recorded run: date, scope, funnel per object, reject rate per rule."""
    records = read_history(project_dir)
    if last is not None:
        records = records[-last:]
    if output == "json":
        text = json.dumps(history_json(records), indent=2, ensure_ascii=False)
        click.echo(text)
        return
    if not records:
        click.echo(f"no runs recorded in {project_dir / HISTORY_DIR}")
        return
    console = Console(width=max(Console().width, 120))
    console.print(_funnel_table(records))
    console.print(_rules_table(records))


def _funnel_table(records: list[dict[str, Any]]) -> Table:
    table = Table(title="runs")
    for column in ("#", "date (UTC)", "scope", "object", *FUNNEL_FIGURES, "reject rate"):
        left = column in ("date (UTC)", "scope", "object")
        table.add_column(
            column.replace("_", " "), justify="left" if left else "right", no_wrap=True
        )
    numbers = {r["run_id"]: i for i, r in enumerate(records, start=1)}
    previous = None
    for line in funnel_rows(records):
        first = line.run_id != previous
        if first and previous is not None:
            table.add_section()
        previous = line.run_id
        table.add_row(
            str(numbers[line.run_id]) if first else "",
            line.date if first else "",
            line.scope if first else "",
            line.object,
            *(f"{line.figures[f]:,}" for f in FUNNEL_FIGURES),
            f"{line.reject_rate:.2%}",
        )
    return table


def _rules_table(records: list[dict[str, Any]]) -> Table:
    table = Table(title="reject rate per rule, run by run")
    table.add_column("object")
    table.add_column("rule")
    for number in range(1, len(records) + 1):
        table.add_column(f"#{number}", justify="right")
    for line in rule_rates(records):
        cells = ("-" if rate is None else f"{rate:.2%}" for rate in line.rates)
        table.add_row(line.object, line.rule, *cells)
    return table
