"""What `migrate init` writes, decided from the sources' profiles before any file is written.

Each source becomes one object with the same name: its columns become target
fields (named as identifiers, typed as inferred), its best candidate key the
legacy and business key. The steps a declared type needs to cast (dates in
legacy formats, amounts with separators) are active; every other suggestion
of the profile is written as a commented-out step with the finding it answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.io.spec import SourceSpec
from migrate.profile.inputs import identifier
from migrate.profile.model import ColumnProfile, SourceProfile, Suggestion

# The order steps are written in: tidy characters first, then check, then parse.
STEP_ORDER = (
    "remove_control",
    "fullwidth_to_halfwidth",
    "collapse_whitespace",
    "trim",
    "upper",
    "phone_e164",
    "email",
    "uscc",
    "parse_date",
    "parse_decimal",
)
ACTIVE_OPS = frozenset({"parse_date", "parse_decimal"})  # the declared type needs them


@dataclass(frozen=True)
class FieldPlan:
    """One target field: the source column it comes from, its type and what was seen."""

    name: str
    column: str
    type: str
    key: bool
    note: str
    codes: tuple[str, ...] = ()
    personal: bool = False


@dataclass(frozen=True)
class StepPlan:
    """One cleansing step; ``active`` False means it is written commented out."""

    id: str
    op: str
    fields: tuple[str, ...]
    args: dict[str, Any]
    severity: str
    why: tuple[str, ...]
    active: bool


@dataclass(frozen=True)
class ObjectPlan:
    """One object of the new project, made from one source."""

    name: str
    source: SourceSpec
    rows: int
    key_columns: tuple[str, ...]
    fields: tuple[FieldPlan, ...]
    steps: tuple[StepPlan, ...]
    advice: tuple[str, ...]
    match: dict[str, Any] | None
    match_note: str | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def key_fields(self) -> list[str]:
        """The business key: the fields of the legacy key columns."""
        return [f.name for f in self.fields if f.key]


def plan_object(source: SourceSpec, profile: SourceProfile, prefix: str) -> ObjectPlan:
    """The plan for the object made from ``source`` (rule ids start with ``prefix``)."""
    key_columns, warnings = _choose_key(profile)
    names = _field_names(profile)
    fields = tuple(
        _field(c, names[c.name], c.name in key_columns, profile) for c in profile.columns
    )
    steps = _steps(profile.suggestions, names, prefix)
    advice = tuple(s.message for s in profile.suggestions if s.op is None and s.kind != "match")
    return ObjectPlan(
        name=source.name,
        source=source,
        rows=profile.rows,
        key_columns=key_columns,
        fields=fields,
        steps=steps,
        advice=advice,
        match=_match(profile, names),
        match_note=next((s.message for s in profile.suggestions if s.kind == "match"), None),
        warnings=tuple(warnings),
    )


def _choose_key(profile: SourceProfile) -> tuple[tuple[str, ...], list[str]]:
    best = profile.best_key
    if best is not None:
        return best.columns, []
    if profile.keys:
        key = profile.keys[0]
        return key.columns, [
            f"{profile.name}: no usable key; using {' + '.join(key.columns)} "
            f"({key.duplicates:,} duplicates, {key.null_rows:,} empty rows): choose a key"
        ]
    first = profile.columns[0].name
    return (first,), [f"{profile.name}: no candidate key; using {first}: choose a key"]


def _field_names(profile: SourceProfile) -> dict[str, str]:
    names: dict[str, str] = {}
    for column in profile.columns:
        base = identifier(column.name, "field")
        name, number = base, 2
        while name in names.values():
            name, number = f"{base}_{number}", number + 1
        names[column.name] = name
    return names


def _field(column: ColumnProfile, name: str, key: bool, profile: SourceProfile) -> FieldPlan:
    seen = [f"{column.null_rate:.1%} empty", f"{column.distinct:,} distinct"]
    if column.lengths is not None:
        seen.append(f"longest {column.lengths.max}")
    if column.inferred_type != "string":
        seen.append(f"{column.type_share:.0%} fit {column.inferred_type}")
    codes: tuple[str, ...] = ()
    if any(s.column == column.name and s.kind == "value_map" for s in profile.suggestions):
        codes = tuple(v.value for v in column.top_values)
    return FieldPlan(
        name, column.name, column.inferred_type, key, ", ".join(seen), codes, column.masked
    )


def _steps(suggestions: tuple[Suggestion, ...], names: dict[str, str], prefix: str) -> tuple:
    grouped: dict[str, list[Suggestion]] = {}
    for suggestion in suggestions:
        if suggestion.op is not None and suggestion.column is not None:
            grouped.setdefault(suggestion.op, []).append(suggestion)
    ordered = sorted(grouped, key=lambda op: (*STEP_ORDER, op).index(op))
    steps = []
    for number, op in enumerate(ordered, start=1):
        found = grouped[op]
        steps.append(
            StepPlan(
                id=f"{prefix}-{number * 10:03d}",
                op=op,
                fields=tuple(names[str(s.column)] for s in found),
                args=dict(found[0].args),
                severity=found[0].severity,
                why=tuple(s.message for s in found),
                active=op in ACTIVE_OPS,
            )
        )
    return tuple(steps)


def _match(profile: SourceProfile, names: dict[str, str]) -> dict[str, Any] | None:
    found = profile.duplicates
    if found is None or found.near_duplicate_share < 0.01 or not found.blocking:
        return None
    return {
        "blocking": [
            {"name": names[c], "key": [{"field": names[c]}], "window": 6} for c in found.blocking
        ],
        "compare": [
            {"field": names[c], "method": "jaro_winkler", "weight": 1} for c in found.compared
        ],
        "thresholds": {"auto_merge": 0.9, "review": 0.8},
    }


def rule_prefix(name: str, taken: set[str]) -> str:
    """A short upper-case rule-id prefix for an object, unique among ``taken``."""
    base = (identifier(name, "obj").replace("_", "")[:3] or "OBJ").upper()
    prefix, number = base, 2
    while prefix in taken:
        prefix, number = f"{base}{number}", number + 1
    taken.add(prefix)
    return prefix


def relative_location(source: SourceSpec, project: Path, cwd: Path) -> SourceSpec:
    """``source`` with its file path (or SQLite file) relative to the project where inside it."""
    from dataclasses import replace

    if source.path is not None:
        return replace(source, path=_relative(Path(source.path), project, cwd))
    if (
        source.url
        and source.url.startswith("sqlite:///")
        and not source.url.startswith("sqlite:////")
    ):
        database = source.url.removeprefix("sqlite:///")
        return replace(source, url="sqlite:///" + _relative(Path(database), project, cwd))
    return source


def _relative(path: Path, project: Path, cwd: Path) -> str:
    full = (path if path.is_absolute() else cwd / path).resolve()
    try:
        return full.relative_to(project.resolve()).as_posix()
    except ValueError:
        return full.as_posix()
