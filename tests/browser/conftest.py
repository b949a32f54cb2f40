"""The browser tests render the report tests' sample report."""

from tests.report.conftest import report

__all__ = ["report"]
