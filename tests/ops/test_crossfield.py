"""Cross-field checks."""

from __future__ import annotations

import pandas as pd

from migrate.ops import OPS, parse_params


def test_date_not_before_flags_only_earlier_dates() -> None:
    frame = pd.DataFrame(
        {
            "order": ["2024-01-10", "2024-01-10", "2024-01-10", None, "2024-01-10"],
            "delivery": ["2024-01-09", "2024-01-10", "2024-02-01", "2024-01-01", None],
        }
    )
    op = OPS["date_not_before"]
    result = op.func(frame["delivery"], parse_params(op, {"other": "order"}), frame)
    assert result.failed is not None
    assert result.failed.tolist() == [True, False, False, False, False]
    assert result.values.tolist()[:3] == frame["delivery"].tolist()[:3]
    assert isinstance(result.reason, pd.Series)
    assert result.reason.iloc[0] == "'2024-01-09' is before order '2024-01-10'"
