"""Turn errors into one line on stderr and an exit code: the only place that does."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from migrate.errors import MigrateError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES = {
    "ok": 0,
    "not reconciled": 1,
    "spec error": 2,
    "source error": 3,
    "target error": 4,
    "stage failed": 5,
}


def reports_errors(command: F) -> F:
    """Run ``command``; a MigrateError becomes ``error: <message>`` and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MigrateError as error:
            click.echo(f"error: {error.message}", err=True)
            raise SystemExit(error.exit_code) from None

    return wrapper  # type: ignore[return-value]
