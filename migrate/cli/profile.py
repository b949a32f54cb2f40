"""`migrate profile SOURCE...`: profile legacy extracts before any rule is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from migrate.cli.errors import reports_errors
from migrate.io.spec import SourceSpec
from migrate.profile.inputs import SourceOptions, source_specs
from migrate.profile.model import ProfileReport
from migrate.profile.profiler import profile_sources
from migrate.profile.render import write_profile


def source_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The SOURCE arguments and the options that say how to read them."""
    decorators = [
        click.argument("sources", nargs=-1, required=True, metavar="SOURCE..."),
        click.option(
            "--encoding",
            default="auto",
            show_default=True,
            help="Encoding of text files (auto detects UTF-8, GB18030, …).",
        ),
        click.option("--delimiter", default=None, help="Delimiter of text files [default: ,]."),
        click.option(
            "--sheet",
            default="0",
            show_default=True,
            help="Excel sheet: a name or a 0-based position.",
        ),
        click.option(
            "--table",
            "tables",
            multiple=True,
            help="Table to read from a database URL (repeat for several).",
        ),
        click.option(
            "--mask",
            multiple=True,
            metavar="COLUMN",
            help="Show this column's values masked (phones and e-mails always are).",
        ),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def specs_from(
    sources: tuple[str, ...],
    encoding: str,
    delimiter: str | None,
    sheet: str,
    tables: tuple[str, ...],
    system: str = "LEGACY",
) -> list[SourceSpec]:
    """The SourceSpecs for the command line's SOURCE arguments."""
    options = SourceOptions(
        encoding=encoding,
        delimiter=delimiter,
        sheet=int(sheet) if sheet.isdigit() else sheet,
        tables=tables,
        system=system,
    )
    return source_specs(sources, options)


@click.command("profile")
@source_options
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("profile"),
    show_default=True,
    help="Folder for profile.html and profile.json.",
)
@reports_errors
def profile_command(
    sources: tuple[str, ...],
    encoding: str,
    delimiter: str | None,
    sheet: str,
    tables: tuple[str, ...],
    mask: tuple[str, ...],
    out_dir: Path,
) -> None:
    """Profile legacy sources: types, emptiness, patterns, oddities, keys, duplicates.

    SOURCE is a CSV, Excel or Parquet file (by extension) or a SQLAlchemy URL
    with --table. Writes an HTML page and JSON, and suggests rules.
    """
    specs = specs_from(sources, encoding, delimiter, sheet, tables)
    report = profile_sources(specs, Path.cwd(), mask)
    json_path, html_path = write_profile(report, out_dir)
    print_summary(report)
    click.echo(f"profile: {html_path}")
    click.echo(f"json:    {json_path}")


def print_summary(report: ProfileReport) -> None:
    """One line per source: rows, columns, best key, duplicates, suggestions."""
    table = Table(title="profile")
    for column in ("source", "rows", "columns", "key", "near-duplicates", "suggestions", "seconds"):
        table.add_column(column, justify="left" if column in ("source", "key") else "right")
    for source in report.sources:
        key = source.best_key
        found = source.duplicates
        table.add_row(
            source.name,
            f"{source.rows:,}",
            str(len(source.columns)),
            " + ".join(key.columns) if key else "(none)",
            f"~{found.near_duplicate_share:.1%}" if found else "-",
            str(len(source.suggestions)),
            f"{source.read_seconds + source.profile_seconds:.1f}",
        )
    Console().print(table)
