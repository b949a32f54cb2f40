"""Adding up per-chunk stage results."""

from __future__ import annotations

from migrate.stages.base import StageResult
from migrate.stream.metrics import add_results


def test_rows_seconds_and_nested_figures_are_summed() -> None:
    one = StageResult(
        "cleanse", "o", 5, 4, 0.5, {"findings_by_rule": {"R2": 1}, "seconds_by_rule": {"R1": 0.1}}
    )
    two = StageResult(
        "cleanse", "o", 3, 3, 0.25, {"findings_by_rule": {"R1": 2}, "seconds_by_rule": {"R1": 0.2}}
    )
    total = add_results(add_results(None, one), two)
    assert (total.rows_in, total.rows_out, total.seconds) == (8, 7, 0.75)
    assert list(total.metrics["findings_by_rule"].items()) == [("R1", 2), ("R2", 1)]
    assert total.metrics["seconds_by_rule"] == {"R1": 0.3}
    assert one.metrics == {"findings_by_rule": {"R2": 1}, "seconds_by_rule": {"R1": 0.1}}
