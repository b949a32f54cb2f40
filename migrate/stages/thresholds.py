"""Reject-rate thresholds: the largest share of an object's rows a run may reject.

Declared per object in migration.yaml as ``max_reject_rate: 0.05`` (overall) or
``max_reject_rate: {overall: 0.05, rules: {CUS-010: 0.02}}``. The overall rate
is the share of the object's extracted rows that are rejected (a merged row
whose golden record was rejected counts too); a rule's rate is the share of
rows with a finding of that rule, reject or warn. The pipeline checks them
after validation and before the target load: a run over a limit still writes
its load files and reports, loads no target, and exits 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from migrate.ledger import Ledger
from migrate.spec.loader import Project
from migrate.spec.project import RejectRates


@dataclass(frozen=True)
class Breach:
    """One limit exceeded: object, rule (None for the overall rate), rows and limit."""

    object: str
    rule: str | None
    rows: int
    total: int
    limit: float

    @property
    def rate(self) -> float:
        """Share of the object's rows affected."""
        return self.rows / self.total if self.total else 0.0

    @property
    def message(self) -> str:
        """One line naming object, rule, rate and limit."""
        what = f"rule {self.rule}" if self.rule else "rejects"
        return (
            f"{self.object}: {what} hit {self.rows} of {self.total} rows ({self.rate:.2%}), "
            f"above the limit of {self.limit:.2%}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the run report."""
        return {
            "object": self.object,
            "rule": self.rule,
            "rows": self.rows,
            "total": self.total,
            "rate": round(self.rate, 6),
            "limit": self.limit,
        }


def limits_of(declared: float | RejectRates | None) -> RejectRates:
    """The declared limits in one shape (a plain number is the overall limit)."""
    if declared is None:
        return RejectRates()
    if isinstance(declared, RejectRates):
        return declared
    return RejectRates(overall=declared)


def check_thresholds(project: Project, ledger: Ledger) -> list[Breach]:
    """Every declared limit the ledger's rows exceed, objects in run order."""
    breaches: list[Breach] = []
    for name, obj in project.objects.items():
        limits = limits_of(obj.model.max_reject_rate)
        if limits.overall is None and not limits.rules:
            continue
        breaches += object_breaches(name, limits, ledger)
    return breaches


def object_breaches(name: str, limits: RejectRates, ledger: Ledger) -> list[Breach]:
    """The limits of one object that its rows exceed."""
    total = ledger.row_count(name)
    found: list[Breach] = []
    if limits.overall is not None:
        rejected = _rejected_rows(name, ledger)
        if total and rejected / total > limits.overall:
            found.append(Breach(name, None, rejected, total, limits.overall))
    findings = ledger.findings(name)
    for rule, limit in sorted(limits.rules.items()):
        hit = int(findings.loc[findings["rule"] == rule, "_rid"].nunique())
        if total and hit / total > limit:
            found.append(Breach(name, rule, hit, total, limit))
    return found


def _rejected_rows(name: str, ledger: Ledger) -> int:
    """Rows rejected, plus merged rows whose golden record was rejected and are not settled."""
    rejected = set(ledger.rejected_rids(name).tolist())
    members = ledger.members(name)
    if not members.empty:
        follow = members["survivor_rid"].isin(rejected)
        rejected |= set(members.loc[follow, "_rid"])
    return len(rejected)
