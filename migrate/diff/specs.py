"""Which rules and mappings changed between two loaded projects.

Objects are compared part by part (:data:`PARTS`): steps by rule id, target
fields, source mappings and value maps by name, the match and merge sections
and the object's settings in migration.yaml as wholes. A change lists the
settings that differ as ``key: old -> new`` (nested keys dotted, defaults
included, so ``severity: warn -> reject`` shows even where reject is the default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from migrate.diff.model import SpecChange
from migrate.spec.loader import ObjectSpec, Project

MAX_VALUE = 60
MAX_DETAILS = 20

Named = dict[str, Any]


def _steps(obj: ObjectSpec) -> Named:
    return {step.id: step.model_dump(mode="json") for step in obj.rules.steps}


def _fields(obj: ObjectSpec) -> Named:
    return {name: spec.model_dump(mode="json") for name, spec in obj.mapping.fields.items()}


def _sources(obj: ObjectSpec) -> Named:
    return {
        source: {f: s.model_dump(mode="json") for f, s in block.items()}
        for source, block in obj.mapping.sources.items()
    }


def _value_maps(obj: ObjectSpec) -> Named:
    return {
        name: {**loaded.spec.model_dump(mode="json", exclude={"values"}), "values": loaded.table}
        for name, loaded in obj.value_maps.items()
    }


def _whole(getter: Callable[[ObjectSpec], Any]) -> Callable[[ObjectSpec], Named]:
    def named(obj: ObjectSpec) -> Named:
        value = getter(obj)
        return {} if value is None else {"": value.model_dump(mode="json")}

    return named


PARTS: dict[str, Callable[[ObjectSpec], Named]] = {
    "step": _steps,
    "field": _fields,
    "source mapping": _sources,
    "value map": _value_maps,
    "match": _whole(lambda obj: obj.rules.match),
    "merge": _whole(lambda obj: obj.rules.merge),
    "object": _whole(lambda obj: obj.model),
}


def spec_changes(old: Project, new: Project) -> list[SpecChange]:
    """Every change between the two projects, object by object, part by part."""
    changes = []
    for name in sorted(set(old.objects) | set(new.objects)):
        if name not in new.objects:
            changes.append(SpecChange(name, "object", name, "removed", ()))
        elif name not in old.objects:
            changes.append(SpecChange(name, "object", name, "added", ()))
        else:
            changes += _object_changes(old.objects[name], new.objects[name])
    return changes


def _object_changes(old: ObjectSpec, new: ObjectSpec) -> list[SpecChange]:
    changes = []
    for part, named in PARTS.items():
        before, after = named(old), named(new)
        for key in [*before, *(k for k in after if k not in before)]:
            label = key or part
            if key not in after:
                changes.append(SpecChange(old.name, part, label, "removed", ()))
            elif key not in before:
                changes.append(SpecChange(old.name, part, label, "added", _describe(after[key])))
            elif before[key] != after[key]:
                details = _differences(before[key], after[key])
                changes.append(SpecChange(old.name, part, label, "changed", details))
    return changes


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict) and data:
        flat: dict[str, Any] = {}
        for key, value in data.items():
            flat.update(_flat(value, f"{prefix}{key}."))
        return flat
    return {prefix.rstrip("."): data}


def _differences(old: Any, new: Any) -> tuple[str, ...]:
    before, after = _flat(old), _flat(new)
    lines = []
    for key in [*before, *(k for k in after if k not in before)]:
        if before.get(key, _MISSING) != after.get(key, _MISSING):
            lines.append(
                f"{key or 'value'}: {_short(before.get(key, _MISSING))} -> "
                f"{_short(after.get(key, _MISSING))}"
            )
    if len(lines) > MAX_DETAILS:
        lines = [*lines[:MAX_DETAILS], f"… and {len(lines) - MAX_DETAILS} more"]
    return tuple(lines)


def _describe(value: Any) -> tuple[str, ...]:
    """The settings of something added, leaving out the empty ones."""
    flat = _flat(value).items()
    return tuple(f"{k}: {_short(v)}" for k, v in flat if k and v not in (None, [], {}, False))


class _Missing:
    def __repr__(self) -> str:
        return "(none)"


_MISSING = _Missing()


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, _Missing) else str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"
