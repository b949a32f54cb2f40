"""`migrate init SOURCE...`: from legacy extracts to a project that runs, in one command."""

from __future__ import annotations

from pathlib import Path

import click

from migrate.cli.errors import reports_errors
from migrate.cli.options import project_option
from migrate.cli.profile import print_summary, source_options, specs_from
from migrate.scaffold.write import scaffold


@click.command("init")
@source_options
@project_option("Folder to write the project into.")
@click.option("--name", default=None, help="Project name [default: the folder's name].")
@click.option("--system", default="LEGACY", show_default=True, help="Legacy system's name.")
@click.option("--force", is_flag=True, help="Replace the files of an existing project.")
@reports_errors
def init_command(
    sources: tuple[str, ...],
    encoding: str,
    delimiter: str | None,
    sheet: str,
    tables: tuple[str, ...],
    mask: tuple[str, ...],
    project_dir: Path,
    name: str | None,
    system: str,
    force: bool,
) -> None:
    """Profile legacy sources and scaffold a migration project from them.

    Writes migration.yaml, a mapping and a rule file per source (the profile's
    suggestions commented in), README.md and the profile. `migrate run` works
    on the result at once.
    """
    specs = specs_from(sources, encoding, delimiter, sheet, tables, system)
    done = scaffold(specs, project_dir, Path.cwd(), name=name, force=force, mask=mask)
    print_summary(done.report)
    for warning in done.warnings:
        click.echo(f"check: {warning}")
    click.echo(f"project: {done.root} ({len(done.files)} files)")
    click.echo(f"next:    migrate run --project {project_dir}")
