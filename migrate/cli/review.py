"""`migrate review ...`: bring reviewers' decisions on duplicate pairs back into the project."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from migrate.cli.errors import reports_errors
from migrate.cli.options import project_option
from migrate.review.apply import apply_workbook
from migrate.spec.loader import load_project


@click.group("review")
def review_group() -> None:
    """Work with clerical-review workbooks (out/review/<object>_review.xlsx)."""


@review_group.command("apply")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@project_option()
@click.option("--reviewer", default=None, help="Who decided [default: the login name].")
@click.option(
    "--partial", is_flag=True, help="Allow review pairs without a decision (they are asked again)."
)
@reports_errors
def apply_command(workbook: Path, project_dir: Path, reviewer: str | None, partial: bool) -> None:
    """Check WORKBOOK and store its match / no-match decisions in the project.

    Every later run follows them: a no-match pair is never merged, a match pair is
    merged whatever its score, and a decided pair is not asked again.
    """
    project = load_project(project_dir)
    who = reviewer or _login()
    applied = apply_workbook(workbook, project, who, partial=partial)
    verdicts = ", ".join(f"{n} {v}" for v, n in sorted(applied.verdicts.items())) or "none"
    click.echo(
        f"{applied.object}: {applied.added} new and {applied.replaced} changed decision(s) "
        f"({verdicts}) -> {applied.path}"
    )
    if applied.undecided:
        click.echo(f"{applied.undecided} pair(s) left without a decision")


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
