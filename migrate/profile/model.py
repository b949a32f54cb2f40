"""The profile of legacy sources as plain frozen records, ready for JSON and HTML.

Figures are exact unless the record says otherwise: a record computed from a
sample carries ``sampled`` (or the source lists it in ``notes``), so a reader
always knows which numbers are estimates.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


class _Plain:
    """``to_dict`` for a dataclass of JSON-able fields and nested records."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data (tuples become lists in JSON), in field order."""
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Count(_Plain):
    """How often one value (or pattern, or length) occurs."""

    value: str
    count: int


@dataclass(frozen=True)
class Lengths(_Plain):
    """The length distribution of a column's values (in characters)."""

    min: int
    max: int
    mean: float
    bins: tuple[Count, ...]  # "7" for one length, "10-19" for a range


@dataclass(frozen=True)
class Suspicious(_Plain):
    """Values with one kind of suspicious content, with a few examples (made visible)."""

    kind: str
    label: str
    count: int
    examples: tuple[str, ...]
    sampled: bool = False


@dataclass(frozen=True)
class ColumnProfile(_Plain):
    """Everything measured about one column."""

    name: str
    rows: int
    nulls: int
    blanks: int
    distinct: int
    inferred_type: str
    type_share: float
    parse_op: str | None
    top_values: tuple[Count, ...]
    patterns: tuple[Count, ...]
    pattern_count: int
    lengths: Lengths | None
    suspicious: tuple[Suspicious, ...]
    shapes: dict[str, int]
    masked: bool = False

    @property
    def filled(self) -> int:
        """Rows with a value that is not blank."""
        return self.rows - self.nulls - self.blanks

    @property
    def null_rate(self) -> float:
        """Share of rows without a value."""
        return self.nulls / self.rows if self.rows else 0.0

    @property
    def blank_rate(self) -> float:
        """Share of rows whose value is only whitespace."""
        return self.blanks / self.rows if self.rows else 0.0

    @property
    def uniqueness(self) -> float:
        """Distinct values per row (1.0: every row has its own value)."""
        return self.distinct / self.rows if self.rows else 0.0

    def finding(self, kind: str) -> Suspicious | None:
        """The suspicious-content record of ``kind``, if any value has it."""
        return next((s for s in self.suspicious if s.kind == kind), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, with the rates."""
        return {
            **super().to_dict(),
            "null_rate": round(self.null_rate, 6),
            "blank_rate": round(self.blank_rate, 6),
            "uniqueness": round(self.uniqueness, 6),
        }


@dataclass(frozen=True)
class KeyCandidate(_Plain):
    """A column (or pair of columns) that could identify rows, and how unique it is."""

    columns: tuple[str, ...]
    distinct: int
    duplicates: int
    null_rows: int
    uniqueness: float

    @property
    def usable(self) -> bool:
        """Unique and never empty: usable as the legacy key."""
        return self.duplicates == 0 and self.null_rows == 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data, with ``usable``."""
        return {**super().to_dict(), "usable": self.usable}


@dataclass(frozen=True)
class DuplicatePair(_Plain):
    """Two records that look like the same thing, with their similarity."""

    first: str
    second: str
    score: float


@dataclass(frozen=True)
class Duplicates(_Plain):
    """Exact duplicate records (counted) and near-duplicates (estimated from a sample)."""

    exact_duplicate_rows: int
    sampled_records: int
    near_duplicate_share: float
    share_low: float
    share_high: float
    estimated_records: int
    blocking: tuple[str, ...]
    compared: tuple[str, ...]
    threshold: float
    examples: tuple[DuplicatePair, ...]


@dataclass(frozen=True)
class Suggestion(_Plain):
    """A rule the profile suggests: an op from the registry (or advice without one)."""

    column: str | None
    op: str | None
    message: str
    args: dict[str, Any]
    severity: str = "warn"
    kind: str = ""


@dataclass(frozen=True)
class SourceProfile(_Plain):
    """The profile of one legacy source."""

    name: str
    kind: str
    location: str
    rows: int
    columns: tuple[ColumnProfile, ...]
    keys: tuple[KeyCandidate, ...]
    duplicates: Duplicates | None
    suggestions: tuple[Suggestion, ...]
    notes: tuple[str, ...]
    read_seconds: float
    profile_seconds: float

    @property
    def best_key(self) -> KeyCandidate | None:
        """The first usable key candidate, if any."""
        return next((k for k in self.keys if k.usable), None)

    def column(self, name: str) -> ColumnProfile:
        """The profile of column ``name``."""
        return next(c for c in self.columns if c.name == name)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (columns with their rates)."""
        data = super().to_dict()
        data["columns"] = [c.to_dict() for c in self.columns]
        data["keys"] = [k.to_dict() for k in self.keys]
        return data


@dataclass(frozen=True)
class ProfileReport(_Plain):
    """The profiles of every source given, with when and how they were made."""

    created: str
    sources: tuple[SourceProfile, ...]
    settings: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "created": self.created,
            "settings": dict(self.settings),
            "sources": [s.to_dict() for s in self.sources],
        }
