"""`migrate rules ...`: work with a project's rules without running it."""

from __future__ import annotations

from pathlib import Path

import click

from migrate.cli.errors import reports_errors
from migrate.spec.loader import load_project


@click.group("rules")
def rules_group() -> None:
    """Check and document a project's rules and mappings."""


@rules_group.command("check")
@click.option(
    "--project",
    "project_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
)
@reports_errors
def check_command(project_dir: Path) -> None:
    """Load and cross-check every project file; touch no data."""
    project = load_project(project_dir)
    steps = sum(len(o.rules.steps) for o in project.objects.values())
    click.echo(f"{project.name}: {len(project.objects)} objects, {steps} rule steps: OK")
