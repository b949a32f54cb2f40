"""Options that several commands share, declared once."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from migrate.engine.factory import ENGINES
from migrate.spec.loader import Project

TARGET_ENV = "MIGRATE_TARGET_URL"
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def project_option(help: str = "Project folder (has migration.yaml).") -> Decorator:
    """``--project DIR`` as ``project_dir``, the current folder by default."""
    return click.option(
        "--project",
        "project_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("."),
        show_default=True,
        help=help,
    )


def out_option(help: str = "Output folder [default: <project>/out].") -> Decorator:
    """``--out DIR`` as ``out_dir``; None means the project's ``out/``."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help=help,
    )


target_option = click.option(
    "--target",
    "target_url",
    default=None,
    help=f"Target database URL (or set {TARGET_ENV}) [default: the project's].",
)


def resolve_target_url(option: str | None, project: Project, out: Path) -> str:
    """--target, else $MIGRATE_TARGET_URL, else the project's ``target.url`` ({out} filled in)."""
    declared = project.model.target.url.replace("{out}", out.as_posix())
    return option or os.environ.get(TARGET_ENV) or declared


def engine_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--engine``, ``--scheduler ADDRESS`` and ``--workers N``: where chunk work runs."""
    options = (
        click.option(
            "--engine",
            "engine_name",
            type=click.Choice(tuple(ENGINES)),
            default="local",
            show_default=True,
            help="Where streamed chunks run: this process, or a Dask cluster.",
        ),
        click.option(
            "--scheduler",
            default=None,
            metavar="ADDRESS",
            help="Dask scheduler to connect to (tcp://host:8786) [default: start a local "
            "cluster]; with --engine dask.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            default=None,
            help="Worker processes of the local Dask cluster [default: 2]; with --engine dask.",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command
