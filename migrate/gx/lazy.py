"""Importing Great Expectations only when it is used, with an install hint when it is missing."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

from migrate.errors import MigrateError

INSTALL_HINT = "pip install 'migrate[gx]'"


class GxMissing(MigrateError):
    """Great Expectations is not installed (the ``gx`` extra)."""

    exit_code = 2

    def __init__(self, cause: str) -> None:
        self.cause = cause
        super().__init__(f"Great Expectations is not installed ({cause}): {INSTALL_HINT}")


def import_gx() -> ModuleType:
    """The ``great_expectations`` module; usage statistics are switched off before import."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    try:
        return importlib.import_module("great_expectations")
    except ImportError as error:
        raise GxMissing(str(error)) from None
