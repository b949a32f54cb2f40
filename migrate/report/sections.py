"""Report sections beyond the funnel: scope closure, duplicate clusters, data quality, target load.

Plain frozen records like those of :mod:`migrate.report.model`, each with
``to_dict``/``from_dict`` so that a report read back from JSON equals the
report written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Self


class FlatRecord:
    """``to_dict``/``from_dict`` for a dataclass of JSON-able fields (tuples as lists)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data, in field order."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """The record from ``to_dict`` output (lists become tuples again)."""
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: _tupled(v) for k, v in data.items() if k in names})


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _tupled(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class PulledIn(FlatRecord):
    """A master record the scope took in because an in-scope record refers to it."""

    object: str
    key: str
    referenced_by: str
    by_key: str
    field: str


@dataclass(frozen=True)
class Cluster(FlatRecord):
    """One golden record and the legacy records merged into it (``SYSTEM:key``)."""

    golden_key: str
    size: int
    members: tuple[str, ...]


@dataclass(frozen=True)
class ClusterSummary:
    """The duplicate clusters of one object: how many, their sizes, the largest ones."""

    clusters: int
    rows: int
    merged: int
    sizes: dict[str, int] = field(default_factory=dict)
    largest: tuple[Cluster, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "clusters": self.clusters,
            "rows": self.rows,
            "merged": self.merged,
            "sizes": dict(self.sizes),
            "largest": [cluster.to_dict() for cluster in self.largest],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClusterSummary:
        """The summary from ``to_dict`` output."""
        return cls(
            clusters=data["clusters"],
            rows=data["rows"],
            merged=data["merged"],
            sizes=dict(data.get("sizes", {})),
            largest=tuple(Cluster.from_dict(c) for c in data.get("largest", ())),
        )


@dataclass(frozen=True)
class FieldProfile(FlatRecord):
    """One field before the rules (as mapped) and after (as loaded)."""

    field: str
    personal: bool
    before_rows: int
    before_filled: int
    before_distinct: int
    after_rows: int
    after_filled: int
    after_distinct: int
    findings: int

    @property
    def before_share(self) -> float | None:
        """Filled share before, in percent."""
        return _share(self.before_filled, self.before_rows)

    @property
    def after_share(self) -> float | None:
        """Filled share after, in percent."""
        return _share(self.after_filled, self.after_rows)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class LoadedObject(FlatRecord):
    """What the target load did (or would do) with one object."""

    name: str
    table: str
    rows: int
    inserted: int
    updated: int
    refused: int = 0


@dataclass(frozen=True)
class TargetLoad:
    """The run's target load: a committed batch, or a simulation that was rolled back."""

    mode: str
    target: str
    status: str
    batch: str | None = None
    label: str | None = None
    resumed: bool = False
    repeated: bool = False
    objects: tuple[LoadedObject, ...] = ()
    refused: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["objects"] = [obj.to_dict() for obj in self.objects]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TargetLoad:
        """The load from ``to_dict`` output."""
        values = dict(data)
        values["objects"] = tuple(LoadedObject.from_dict(o) for o in data.get("objects", ()))
        return cls(**values)
