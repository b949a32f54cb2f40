"""Adding up what the stages report for each chunk into one result per stage."""

from __future__ import annotations

from typing import Any

from migrate.stages.base import StageResult

# Metrics whose dict keys the whole-table stage writes in sorted order.
_SORTED = {"findings_by_rule"}


def add_results(total: StageResult | None, part: StageResult) -> StageResult:
    """``total`` with ``part`` added: rows, seconds and every numeric metric summed."""
    if total is None:
        return StageResult(
            part.stage, part.object, part.rows_in, part.rows_out, part.seconds, dict(part.metrics)
        )
    return StageResult(
        total.stage,
        total.object,
        total.rows_in + part.rows_in,
        total.rows_out + part.rows_out,
        total.seconds + part.seconds,
        add_metrics(total.metrics, part.metrics),
    )


def add_metrics(total: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """Numbers summed, dicts merged key by key (recursively); anything else: the latest."""
    merged = dict(total)
    for key, value in part.items():
        before = merged.get(key)
        if isinstance(value, dict):
            merged[key] = add_metrics(before if isinstance(before, dict) else {}, value)
            if key in _SORTED:
                merged[key] = dict(sorted(merged[key].items()))
        elif isinstance(value, (int, float)) and isinstance(before, (int, float)):
            merged[key] = _rounded(before + value, value)
        else:
            merged[key] = value
    return merged


def _rounded(total: int | float, part: int | float) -> int | float:
    """Sums of rounded seconds stay rounded the way the stages round them."""
    return round(total, 3) if isinstance(part, float) else total
