"""Errors that end a run, each with its own exit code.

Spec errors ("your rule file is wrong") and source errors ("this file cannot be
read") end a run before any output is written. Bad rows never raise: they are
rejected into the ledger. The CLI turns these exceptions into a one-line message
and an exit code in one place (``migrate.cli.errors``).
"""

from __future__ import annotations

from collections.abc import Iterable


class MigrateError(Exception):
    """Base of every error the CLI reports as one line with an exit code."""

    exit_code = 10

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReconciliationFailed(MigrateError):
    """The funnel did not close, or a declared threshold was exceeded."""

    exit_code = 1


class SpecError(MigrateError):
    """A project file (migration.yaml, mappings/, rules/) is wrong.

    ``file`` is the project-relative path, ``key_path`` the YAML key path such
    as ``steps[3].op`` and ``choices`` the valid values where there is a list.
    """

    exit_code = 2

    def __init__(
        self,
        file: str,
        key_path: str,
        problem: str,
        choices: Iterable[str] | None = None,
    ) -> None:
        self.file = file
        self.key_path = key_path
        self.problem = problem
        self.choices = sorted(choices) if choices is not None else None
        where = f"{file}: {key_path}" if key_path else file
        message = f"{where}: {problem}"
        if self.choices:
            message += f" (valid: {', '.join(self.choices)})"
        super().__init__(message)


class SourceError(MigrateError):
    """A legacy source cannot be read: missing, unreadable, or wrong shape."""

    exit_code = 3

    def __init__(self, source: str, problem: str, row: int | None = None) -> None:
        self.source = source
        self.problem = problem
        self.row = row
        where = source if row is None else f"{source}: row {row}"
        super().__init__(f"{where}: {problem}")


class TargetError(MigrateError):
    """The target database refused a load; the transaction was rolled back."""

    exit_code = 4

    def __init__(self, target: str, problem: str) -> None:
        self.target = target
        self.problem = problem
        super().__init__(f"{target}: {problem}")


class StageFailed(MigrateError):
    """A stage raised an unexpected error for an object; wraps the cause."""

    exit_code = 5

    def __init__(self, stage: str, obj: str, cause: BaseException) -> None:
        self.stage = stage
        self.obj = obj
        self.cause = cause
        super().__init__(f"stage {stage} failed for {obj}: {type(cause).__name__}: {cause}")
