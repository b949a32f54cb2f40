"""How figures move across runs: funnel lines and reject rates per rule."""

from __future__ import annotations

from typing import Any

from migrate.history.view import funnel_rows, history_json, rule_rates


def _record(run: str, rejected: int, rules: dict[str, Any]) -> dict[str, Any]:
    return {
        "run_id": run,
        "started": f"2024-0{run[-1]}-01T08:30:00+00:00",
        "scope": "pilot" if run.endswith("1") else None,
        "status": "reconciled",
        "objects": {
            "customer": {
                "extracted": 100,
                "loaded": 100 - rejected,
                "merged": 0,
                "rejected": rejected,
                "out_of_scope": 0,
                "reject_rate": rejected / 100,
                "rules": rules,
            }
        },
    }


RECORDS = [
    _record(
        "r1",
        30,
        {
            "C-1": {"severity": "reject", "count": 30, "rate": 0.3},
            "C-9": {"severity": "warn", "count": 5, "rate": 0.05},
        },
    ),
    _record(
        "r2",
        10,
        {
            "C-1": {"severity": "reject", "count": 8, "rate": 0.08},
            "C-2": {"severity": "reject", "count": 2, "rate": 0.02},
        },
    ),
]


def test_one_funnel_line_per_run_and_object() -> None:
    lines = funnel_rows(RECORDS)
    assert [(x.run_id, x.date, x.scope, x.reject_rate) for x in lines] == [
        ("r1", "2024-01-01 08:30", "pilot", 0.3),
        ("r2", "2024-02-01 08:30", "all", 0.1),
    ]
    assert lines[1].figures == {
        "extracted": 100,
        "loaded": 90,
        "merged": 0,
        "rejected": 10,
        "out_of_scope": 0,
    }


def test_reject_rules_line_up_across_runs() -> None:
    lines = rule_rates(RECORDS)
    assert [(x.rule, x.rates) for x in lines] == [("C-1", (0.3, 0.08)), ("C-2", (None, 0.02))]


def test_json_view_keeps_the_reject_rules() -> None:
    data = history_json(RECORDS)
    assert [r["run_id"] for r in data["runs"]] == ["r1", "r2"]
    assert data["runs"][0]["objects"]["customer"]["rules"] == {"C-1": 0.3}
