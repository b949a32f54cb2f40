"""Helpers for op tests: run an op by name the way the cleanse stage does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pytest

from migrate.ops import OpResult, get_op, parse_params


@dataclass
class Ran:
    """An op's result with list views that are easy to compare."""

    result: OpResult
    index: pd.Index

    @property
    def out(self) -> list[Any]:
        """Output values, with every kind of missing shown as None."""
        return [None if pd.isna(value) else value for value in self.result.values]

    @property
    def failed(self) -> list[bool]:
        """The failed mask as a list (all False when the op returned none)."""
        if self.result.failed is None:
            return [False] * len(self.index)
        return [bool(flag) for flag in self.result.failed]

    @property
    def reasons(self) -> list[str | None]:
        """The reason on each failed row, None elsewhere."""
        reason = self.result.reason
        if isinstance(reason, pd.Series):
            per_row = [None if pd.isna(text) else str(text) for text in reason]
        else:
            per_row = [reason] * len(self.index)
        return [text if flag else None for text, flag in zip(per_row, self.failed, strict=True)]


RunOp = Callable[..., Ran]


@pytest.fixture
def run() -> RunOp:
    """Return ``run(op_name, values, frame=None, /, **args)`` -> Ran."""

    def _run(name: str, values: Any, frame: pd.DataFrame | None = None, /, **args: Any) -> Ran:
        op = get_op(name)
        params = parse_params(op, args)
        series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
        data = frame if frame is not None else series.to_frame("value")
        result = op.func(series, params, data)
        assert result.values.index.equals(series.index)
        if result.failed is not None:
            assert result.failed.dtype == bool
            assert result.failed.index.equals(series.index)
        return Ran(result, series.index)

    return _run
