"""The impact assessment of a rule change, as plain frozen records ready for JSON and HTML.

Personal values (fields a mapping marks ``personal: true``) are masked in every
example before they reach these records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


class _Plain:
    def to_dict(self) -> dict[str, Any]:
        """Plain data, in field order."""
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class VersionInfo(_Plain):
    """One side of the comparison."""

    label: str
    kind: str
    commit: str | None


@dataclass(frozen=True)
class SpecChange(_Plain):
    """One change in the rules or mappings: a step, field, value map, match or object setting."""

    object: str
    part: str
    name: str
    change: str  # added | removed | changed
    details: tuple[str, ...]


@dataclass(frozen=True)
class RuleCountChange(_Plain):
    """How many rows a rule flagged before and after the change."""

    object: str
    rule: str
    severity: str
    old: int
    new: int


@dataclass(frozen=True)
class FunnelChange(_Plain):
    """One object's funnel before and after."""

    object: str
    old: dict[str, int]
    new: dict[str, int]


@dataclass(frozen=True)
class RowExample(_Plain):
    """One legacy record whose outcome changed, described before and after."""

    system: str
    key: str
    old: str
    new: str


@dataclass(frozen=True)
class FateChange(_Plain):
    """Rows of one object whose fate changed the same way (e.g. newly rejected by one rule)."""

    object: str
    kind: str
    rule: str
    count: int
    examples: tuple[RowExample, ...]


@dataclass(frozen=True)
class FieldChange(_Plain):
    """A target field whose value changed in rows loaded by both versions."""

    object: str
    field: str
    count: int
    personal: bool
    examples: tuple[RowExample, ...]


@dataclass(frozen=True)
class DiffReport(_Plain):
    """Everything the change request needs: what changed, and what it does to the output."""

    project: str
    created: str
    old: VersionInfo
    new: VersionInfo
    data: str
    scope: str | None
    spec_changes: tuple[SpecChange, ...]
    funnel: tuple[FunnelChange, ...]
    rule_counts: tuple[RuleCountChange, ...]
    fate_changes: tuple[FateChange, ...]
    field_changes: tuple[FieldChange, ...]
    notes: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """Whether the change touches the specs or the output at all."""
        return bool(self.spec_changes or self.fate_changes or self.field_changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, with ``changed``."""
        return {**super().to_dict(), "changed": self.changed}
