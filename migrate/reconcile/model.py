"""The reconciliation report: funnel, control totals and key/field differences, as plain records.

Like the run report, every record has ``to_dict`` and the whole report reads
back from its JSON (``ReconcileReport.from_dict(r.to_dict()) == r``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from migrate.report.sections import FlatRecord

RECONCILED = "reconciled"
NOT_RECONCILED = "not reconciled"
MONEY_TOLERANCE = 0.005


@dataclass(frozen=True)
class FunnelLine(FlatRecord):
    """Rows of one object from one source system in the run's scope, stage by stage."""

    object: str
    system: str
    scope: str
    extracted: int
    mapped: int
    rejected: int
    merged: int
    out_of_scope: int
    loaded: int
    unaccounted: int

    @property
    def closes(self) -> bool:
        """extracted = loaded + merged + rejected + out of scope, and no row without a fate."""
        fates = self.loaded + self.merged + self.rejected + self.out_of_scope
        return self.unaccounted == 0 and fates == self.extracted

    def to_dict(self) -> dict[str, Any]:
        """Plain data, with ``closes``."""
        return {**super().to_dict(), "closes": self.closes}


@dataclass(frozen=True)
class RuleLine(FlatRecord):
    """Rows of one object rejected by one rule."""

    object: str
    rule: str
    rows: int


@dataclass(frozen=True)
class TotalLine(FlatRecord):
    """A control total of one group: the source's sum, where it went, and the target's sum."""

    object: str
    field: str
    group: dict[str, str]
    extracted: float
    rejected: float
    merged: float
    out_of_scope: float
    loaded: float
    target: float

    @property
    def explained(self) -> float:
        """What rejected, merged and out-of-scope rows account for."""
        return round(self.rejected + self.merged + self.out_of_scope, 2)

    @property
    def difference(self) -> float:
        """Source less target less what is explained: zero when it closes."""
        return round(self.extracted - self.target - self.explained, 2)

    @property
    def closes(self) -> bool:
        """Every difference between source and target is explained (to half a cent)."""
        return abs(self.difference) < MONEY_TOLERANCE

    def to_dict(self) -> dict[str, Any]:
        """Plain data, with the derived figures."""
        derived = {"explained": self.explained, "difference": self.difference}
        return {**super().to_dict(), **derived, "closes": self.closes}


@dataclass(frozen=True)
class KeyDiff(FlatRecord):
    """A key missing from the target, in it unexpectedly, or changed since an earlier batch."""

    object: str
    key: str
    problem: str
    detail: str = ""


@dataclass(frozen=True)
class FieldDiff(FlatRecord):
    """A loaded row whose value in the target differs from the load file's."""

    object: str
    key: str
    column: str
    expected: str | None
    actual: str | None


@dataclass(frozen=True)
class ObjectCheck(FlatRecord):
    """The key-level check of one object's table."""

    object: str
    table: str
    file_rows: int
    ledger_loaded: int
    in_target: int
    other_rows: int
    buckets: int
    buckets_differing: int
    rows_fetched: int

    @property
    def closes(self) -> bool:
        """The load file, the ledger and the target agree on how many rows this run loaded."""
        return self.file_rows == self.ledger_loaded == self.in_target

    def to_dict(self) -> dict[str, Any]:
        """Plain data, with ``closes``."""
        return {**super().to_dict(), "closes": self.closes}


@dataclass(frozen=True)
class ReconcileReport:
    """The reconciliation of one run's load files against one target."""

    project: str
    run_id: str
    scope: str | None
    target: str
    batch: str | None
    checked: str
    funnel: tuple[FunnelLine, ...] = ()
    rules: tuple[RuleLine, ...] = ()
    totals: tuple[TotalLine, ...] = ()
    objects: tuple[ObjectCheck, ...] = ()
    keys: tuple[KeyDiff, ...] = ()
    fields: tuple[FieldDiff, ...] = ()
    messages: tuple[str, ...] = field(default=())

    @property
    def reconciled(self) -> bool:
        """Funnel closes, totals close, counts agree and no key or field differs."""
        return (
            all(line.closes for line in self.funnel)
            and all(total.closes for total in self.totals)
            and all(obj.closes for obj in self.objects)
            and not self.keys
            and not self.fields
        )

    @property
    def status(self) -> str:
        """``reconciled`` or ``not reconciled``."""
        return RECONCILED if self.reconciled else NOT_RECONCILED

    def to_dict(self) -> dict[str, Any]:
        """Plain data, ready for JSON."""
        data: dict[str, Any] = {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in _SECTIONS
        }
        for name, _ in _SECTIONS.items():
            data[name] = [item.to_dict() for item in getattr(self, name)]
        data["messages"] = list(self.messages)
        data["status"] = self.status
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReconcileReport:
        """The report from ``to_dict`` output (derived figures ignored)."""
        values: dict[str, Any] = {
            f.name: data.get(f.name) for f in fields(cls) if f.name not in _SECTIONS
        }
        for name, record in _SECTIONS.items():
            values[name] = tuple(record.from_dict(item) for item in data.get(name, ()))
        values["messages"] = tuple(data.get("messages", ()))
        return cls(**values)


_SECTIONS: dict[str, Any] = {
    "funnel": FunnelLine,
    "rules": RuleLine,
    "totals": TotalLine,
    "objects": ObjectCheck,
    "keys": KeyDiff,
    "fields": FieldDiff,
}
