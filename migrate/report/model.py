"""The run report: what happened to every object of one run, as plain frozen records.

Every record turns into plain JSON-able data with ``to_dict`` and back with
``from_dict``, so ``RunReport.from_dict(report.to_dict()) == report``. Derived
figures (``closes``) are written for readers of the JSON and ignored when read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Self

from migrate.report.sections import (
    ClusterSummary,
    FieldProfile,
    PulledIn,
    TargetLoad,
)

RECONCILED = "reconciled"
NOT_RECONCILED = "not reconciled"
_TOLERANCE = 0.005  # control totals are money: half a cent is no difference


class _Record:
    """``to_dict``/``from_dict`` for a flat dataclass of JSON-able fields."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data, in field order."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """The record from ``to_dict`` output (unknown keys, such as derived ones, ignored)."""
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{name: value for name, value in data.items() if name in names})


@dataclass(frozen=True)
class FunnelRow(_Record):
    """Rows of one object from one source system, by fate."""

    system: str
    extracted: int
    loaded: int
    merged: int
    rejected: int
    out_of_scope: int
    unaccounted: int

    @property
    def accounted(self) -> int:
        """Rows with a fate."""
        return self.loaded + self.merged + self.rejected + self.out_of_scope

    @property
    def closes(self) -> bool:
        """Every extracted row has exactly one fate."""
        return self.unaccounted == 0 and self.accounted == self.extracted

    def to_dict(self) -> dict[str, Any]:
        """Plain data, with ``closes``."""
        return {**super().to_dict(), "closes": self.closes}


@dataclass(frozen=True)
class RuleCount(_Record):
    """How many findings one rule made (a row counts once per rule)."""

    rule: str
    severity: str
    owner: str | None
    field: str | None
    count: int
    example_reason: str


@dataclass(frozen=True)
class UnmappedValue(_Record):
    """A legacy value a value map had no entry for."""

    value_map: str
    field: str
    value: str
    count: int


@dataclass(frozen=True)
class ControlTotal(_Record):
    """A sum of ``field`` for one group (e.g. one currency), followed through the run."""

    field: str
    group: dict[str, str]
    extracted: float
    loaded: float
    rejected: float
    merged: float
    out_of_scope: float
    difference: float

    @property
    def closes(self) -> bool:
        """The difference is nothing (within half a cent)."""
        return abs(self.difference) < _TOLERANCE

    def to_dict(self) -> dict[str, Any]:
        """Plain data, with ``closes``."""
        return {**super().to_dict(), "closes": self.closes}


@dataclass(frozen=True)
class FileEntry(_Record):
    """A file the run wrote, with its row count and SHA-256."""

    path: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class ObjectReport:
    """Everything reported about one object."""

    name: str
    funnel: tuple[FunnelRow, ...] = ()
    rejects_by_rule: tuple[RuleCount, ...] = ()
    unmapped: tuple[UnmappedValue, ...] = ()
    control_totals: tuple[ControlTotal, ...] = ()
    stages: tuple[dict[str, Any], ...] = ()
    match: dict[str, Any] = field(default_factory=dict)
    already_loaded: dict[str, int] = field(default_factory=dict)
    clusters: ClusterSummary | None = None
    profile: tuple[FieldProfile, ...] = ()

    @property
    def owners(self) -> list[dict[str, Any]]:
        """Findings per owner and severity (rows summed over rules), owners in name order."""
        totals: dict[tuple[str, str], int] = {}
        for rule in self.rejects_by_rule:
            owner = rule.owner or "(no owner)"
            totals[(owner, rule.severity)] = totals.get((owner, rule.severity), 0) + rule.count
        return [
            {"owner": owner, "severity": severity, "count": count}
            for (owner, severity), count in sorted(totals.items())
        ]

    @property
    def closes(self) -> bool:
        """The funnel closes for every system and every control total closes."""
        return all(row.closes for row in self.funnel) and all(
            total.closes for total in self.control_totals
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "name": self.name,
            "funnel": [row.to_dict() for row in self.funnel],
            "rejects_by_rule": [rule.to_dict() for rule in self.rejects_by_rule],
            "unmapped": [value.to_dict() for value in self.unmapped],
            "control_totals": [total.to_dict() for total in self.control_totals],
            "stages": [_plain(stage) for stage in self.stages],
            "match": _plain(self.match),
            "already_loaded": dict(self.already_loaded),
            "clusters": None if self.clusters is None else self.clusters.to_dict(),
            "profile": [item.to_dict() for item in self.profile],
            "closes": self.closes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ObjectReport:
        """The object report from ``to_dict`` output."""
        return cls(
            name=data["name"],
            funnel=tuple(FunnelRow.from_dict(row) for row in data.get("funnel", ())),
            rejects_by_rule=tuple(RuleCount.from_dict(r) for r in data.get("rejects_by_rule", ())),
            unmapped=tuple(UnmappedValue.from_dict(v) for v in data.get("unmapped", ())),
            control_totals=tuple(
                ControlTotal.from_dict(total) for total in data.get("control_totals", ())
            ),
            stages=tuple(data.get("stages", ())),
            match=dict(data.get("match", {})),
            already_loaded=dict(data.get("already_loaded", {})),
            clusters=(
                None if data.get("clusters") is None else ClusterSummary.from_dict(data["clusters"])
            ),
            profile=tuple(FieldProfile.from_dict(p) for p in data.get("profile", ())),
        )


@dataclass(frozen=True)
class RunReport:
    """The report of one run."""

    project: str
    run_id: str
    scope: str | None
    started: str
    finished: str
    status: str
    objects: tuple[ObjectReport, ...] = ()
    files: tuple[FileEntry, ...] = ()
    messages: tuple[str, ...] = ()
    pulled_in: tuple[PulledIn, ...] = ()
    target_load: TargetLoad | None = None

    @property
    def reconciled(self) -> bool:
        """The run's status says it reconciled."""
        return self.status == RECONCILED

    def to_dict(self) -> dict[str, Any]:
        """Plain data, ready for JSON."""
        return {
            "project": self.project,
            "run_id": self.run_id,
            "scope": self.scope,
            "started": self.started,
            "finished": self.finished,
            "status": self.status,
            "objects": [obj.to_dict() for obj in self.objects],
            "files": [entry.to_dict() for entry in self.files],
            "messages": list(self.messages),
            "pulled_in": [item.to_dict() for item in self.pulled_in],
            "target_load": None if self.target_load is None else self.target_load.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunReport:
        """The run report from ``to_dict`` output (e.g. a report.json read back)."""
        return cls(
            project=data["project"],
            run_id=data["run_id"],
            scope=data.get("scope"),
            started=data["started"],
            finished=data["finished"],
            status=data["status"],
            objects=tuple(ObjectReport.from_dict(obj) for obj in data.get("objects", ())),
            files=tuple(FileEntry.from_dict(entry) for entry in data.get("files", ())),
            messages=tuple(data.get("messages", ())),
            pulled_in=tuple(PulledIn.from_dict(item) for item in data.get("pulled_in", ())),
            target_load=(
                None
                if data.get("target_load") is None
                else TargetLoad.from_dict(data["target_load"])
            ),
        )


def status_of(objects: tuple[ObjectReport, ...]) -> str:
    """``reconciled`` when every object closes, else ``not reconciled``."""
    return RECONCILED if all(obj.closes for obj in objects) else NOT_RECONCILED


def _plain(value: Any) -> Any:
    """``value`` as JSON-able data: tuples become lists, numpy scalars Python numbers."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    return value
