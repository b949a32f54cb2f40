"""How the figures moved across runs: the funnel per run and object, reject rates per rule.

:func:`funnel_rows` gives one row per run and object; :func:`rule_rates` one
row per object and reject rule with its rate in every run (None where the rule
did not exist or did not fire), so a rate falling from rehearsal to rehearsal
reads along a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FUNNEL_FIGURES = ("extracted", "loaded", "merged", "rejected", "out_of_scope")


@dataclass(frozen=True)
class FunnelLine:
    """One object in one run."""

    run_id: str
    date: str
    scope: str
    status: str
    object: str
    figures: dict[str, int]
    reject_rate: float


@dataclass(frozen=True)
class RuleLine:
    """One rule's reject rate in each run (None: not there or no rejects)."""

    object: str
    rule: str
    rates: tuple[float | None, ...]


def run_date(record: dict[str, Any]) -> str:
    """When the run started, as ``YYYY-MM-DD HH:MM``."""
    return str(record.get("started", ""))[:16].replace("T", " ")


def funnel_rows(records: list[dict[str, Any]]) -> list[FunnelLine]:
    """One line per run and object, in run order."""
    lines = []
    for record in records:
        for name, figures in record.get("objects", {}).items():
            lines.append(
                FunnelLine(
                    run_id=str(record["run_id"]),
                    date=run_date(record),
                    scope=str(record.get("scope") or "all"),
                    status=str(record.get("status", "")),
                    object=name,
                    figures={f: int(figures.get(f, 0)) for f in FUNNEL_FIGURES},
                    reject_rate=float(figures.get("reject_rate", 0.0)),
                )
            )
    return lines


def rule_rates(records: list[dict[str, Any]]) -> list[RuleLine]:
    """Every reject rule of every object with its rate in each run."""
    seen: dict[tuple[str, str], None] = {}
    for record in records:
        for name, figures in record.get("objects", {}).items():
            for rule, found in figures.get("rules", {}).items():
                if found.get("severity") == "reject":
                    seen.setdefault((name, rule), None)
    lines = []
    for name, rule in sorted(seen):
        rates = tuple(_rate(record, name, rule) for record in records)
        lines.append(RuleLine(name, rule, rates))
    return lines


def _rate(record: dict[str, Any], name: str, rule: str) -> float | None:
    found = record.get("objects", {}).get(name, {}).get("rules", {}).get(rule)
    if not found or found.get("severity") != "reject":
        return None
    return float(found.get("rate", 0.0))


def history_json(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The history as plain data: the runs' figures, and the rule rates across them."""
    return {
        "runs": [
            {
                "run_id": r["run_id"],
                "date": run_date(r),
                "scope": r.get("scope"),
                "status": r.get("status"),
                "git_commit": r.get("git_commit"),
                "objects": {
                    name: {
                        **{f: figures.get(f, 0) for f in FUNNEL_FIGURES},
                        "reject_rate": figures.get("reject_rate", 0.0),
                        "rules": {
                            rule: found.get("rate", 0.0)
                            for rule, found in figures.get("rules", {}).items()
                            if found.get("severity") == "reject"
                        },
                    }
                    for name, figures in r.get("objects", {}).items()
                },
            }
            for r in records
        ]
    }
