"""The rule book as data: per object, every target field with its sources and rules.

Built from a loaded project only (no data is read), as frozen dataclasses that the
Markdown and HTML templates render. ``to_dict()`` gives the same content as plain data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from migrate.rulebook import words
from migrate.spec.loader import ObjectSpec, Project
from migrate.spec.mapping import CrossCheck

ALL_ROWS = "all rows"
NO_OWNER = "(no owner named)"


@dataclass(frozen=True)
class RuleLine:
    """One rule as the book shows it: a cleansing step, a value map or a check."""

    rule: str
    kind: str
    what: str
    rows: str
    on_failure: str
    owner: str
    why: str


@dataclass(frozen=True)
class StepLine:
    """A cleansing step in run order, with the fields it reads and writes."""

    number: int
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    line: RuleLine


@dataclass(frozen=True)
class FieldEntry:
    """One target field: its constraints, where each source fills it from, its rules."""

    name: str
    constraints: str
    personal: bool
    owner: str
    description: str
    sources: tuple[tuple[str, str], ...]
    rules: tuple[RuleLine, ...]
    golden_value: str


@dataclass(frozen=True)
class ValueMapEntry:
    """A value map with every entry, its policy for unknown values and its owner."""

    name: str
    rule: str
    owner: str
    description: str
    policy: str
    origin: str
    entries: tuple[tuple[str, str], ...]
    used_by: tuple[str, ...]


@dataclass(frozen=True)
class SourceEntry:
    """One legacy source of an object."""

    name: str
    system: str
    kind: str
    location: str
    key: str


@dataclass(frozen=True)
class ObjectBook:
    """Everything the book says about one object."""

    name: str
    table: str
    key: tuple[str, ...]
    sources: tuple[SourceEntry, ...]
    fields: tuple[FieldEntry, ...]
    working_fields: tuple[tuple[str, str], ...]
    value_maps: tuple[ValueMapEntry, ...]
    steps: tuple[StepLine, ...]
    checks: tuple[RuleLine, ...]
    matching: tuple[str, ...]
    merging: tuple[str, ...]


@dataclass(frozen=True)
class SignOff:
    """One row of the sign-off table: an owner and the rules they answer for."""

    owner: str
    rules: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class RuleBook:
    """The whole book: project, spec files with hashes, objects, sign-off rows."""

    project: str
    description: str
    files: tuple[tuple[str, str], ...]
    objects: tuple[ObjectBook, ...]
    signoff: tuple[SignOff, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (lists and dicts) of the whole book."""
        return asdict(self)


def build(project: Project) -> RuleBook:
    """The rule book of a loaded project."""
    objects = tuple(_object(obj) for obj in project.objects.values())
    return RuleBook(
        project=project.name,
        description=project.model.description or "",
        files=tuple(sorted(project.file_hashes.items())),
        objects=objects,
        signoff=_signoff(objects),
    )


def _object(obj: ObjectSpec) -> ObjectBook:
    steps = _steps(obj)
    maps = _value_maps(obj)
    checks = tuple(_check(check) for check in obj.mapping.checks)
    targets = _target_checks(obj)
    fields = tuple(
        _field(obj, name, steps, maps, checks, targets.get(name, [])) for name in obj.mapping.fields
    )
    return ObjectBook(
        name=obj.name,
        table=obj.table,
        key=tuple(obj.mapping.key),
        sources=tuple(_source(obj, s.name) for s in obj.model.sources),
        fields=fields,
        working_fields=_working_fields(obj),
        value_maps=maps,
        steps=steps,
        checks=checks,
        matching=tuple(words.matching(obj.rules.match)) if obj.rules.match else (),
        merging=tuple(words.merging(obj.rules.merge)) if obj.rules.merge else (),
    )


def _source(obj: ObjectSpec, name: str) -> SourceEntry:
    source = next(s for s in obj.model.sources if s.name == name)
    if source.kind == "sql":
        where = f"table {source.table}" if source.table else "a query"
        location = f"{where} in {source.url}"
    else:
        location = source.path or ""
    return SourceEntry(name, source.system, source.kind, location, ", ".join(source.key))


def _steps(obj: ObjectSpec) -> tuple[StepLine, ...]:
    from migrate.ops import OPS

    lines = []
    for number, step in enumerate(obj.rules.steps, start=1):
        op = OPS[step.op]
        line = RuleLine(
            rule=step.id,
            kind="cleansing step",
            what=words.step(step, op.description),
            rows=words.condition(step.when) if step.when is not None else ALL_ROWS,
            on_failure=words.on_failure(step.severity, op.can_fail),
            owner=step.owner or "",
            why=step.description or "",
        )
        lines.append(StepLine(number, tuple(step.reads()), tuple(step.writes()), line))
    return tuple(lines)


def _value_maps(obj: ObjectSpec) -> tuple[ValueMapEntry, ...]:
    used: dict[str, list[str]] = {}
    for block in obj.mapping.sources.values():
        for field, spec in block.items():
            if spec.map is not None and field not in used.setdefault(spec.map, []):
                used[spec.map].append(field)
    return tuple(
        ValueMapEntry(
            name=name,
            rule=loaded.spec.rule_id or f"map.{name}",
            owner=loaded.spec.owner or "",
            description=loaded.spec.description or "",
            policy=words.policy(loaded.spec.on_unmapped),
            origin=f"file {loaded.spec.file}" if loaded.spec.file else "written in the mapping",
            entries=tuple(loaded.table.items()),
            used_by=tuple(used.get(name, [])),
        )
        for name, loaded in obj.value_maps.items()
    )


def _check(check: CrossCheck) -> RuleLine:
    if check.require is not None:
        what = f"requires {words.condition(check.require)}"
    else:
        assert check.compare is not None
        what = f"requires that {words.compare(check.compare)}"
    return RuleLine(
        rule=check.id,
        kind="cross-field check",
        what=what,
        rows=words.condition(check.when) if check.when is not None else ALL_ROWS,
        on_failure=words.on_failure(check.severity, True),
        owner=check.owner or "",
        why=check.description or check.reason or "",
    )


def _field(
    obj: ObjectSpec,
    name: str,
    steps: tuple[StepLine, ...],
    maps: tuple[ValueMapEntry, ...],
    checks: tuple[RuleLine, ...],
    targets: list[RuleLine],
) -> FieldEntry:
    spec = obj.mapping.fields[name]
    writers = [s.line.rule for s in steps if name in s.writes and name not in s.reads]
    sources = tuple(
        (source, words.source(block.get(name), writers))
        for source, block in obj.mapping.sources.items()
    )
    rules = [_map_line(m) for m in maps if name in m.used_by]
    rules += [s.line for s in steps if name in s.reads or name in s.writes]
    rules += targets
    declared = obj.mapping.checks
    rules += [c for c, check in zip(checks, declared, strict=True) if name in check.fields()]
    return FieldEntry(
        name=name,
        constraints=words.constraints(spec),
        personal=spec.personal,
        owner=spec.owner or "",
        description=spec.description or "",
        sources=sources,
        rules=tuple(rules),
        golden_value=_golden_value(obj, name),
    )


def _target_checks(obj: ObjectSpec) -> dict[str, list[RuleLine]]:
    """The validate stage's checks of each field (``schema.<field>.<check>``), in words."""
    from migrate.schema import schema_rules

    found: dict[str, list[RuleLine]] = {}
    for rule in schema_rules(obj.mapping).values():
        if rule.check == "crossfield":
            continue  # listed with the mapping's checks
        spec = obj.mapping.fields.get(rule.fields[0])
        what = words.target_check(rule.check, spec, rule.fields)
        line = RuleLine(
            rule=rule.rule,
            kind="target check",
            what=what,
            rows=ALL_ROWS,
            on_failure=words.on_failure(rule.severity, True),
            owner=rule.owner or "",
            why="",
        )
        for name in rule.fields:
            found.setdefault(name, []).append(line)
    return found


def _map_line(entry: ValueMapEntry) -> RuleLine:
    return RuleLine(
        rule=entry.rule,
        kind="value map",
        what=f"translated by value map {entry.name} ({len(entry.entries)} entries)",
        rows=ALL_ROWS,
        on_failure="row rejected" if entry.policy.endswith("rejects the row") else "never fails",
        owner=entry.owner,
        why=entry.description,
    )


def _golden_value(obj: ObjectSpec, name: str) -> str:
    merge = obj.rules.merge
    if merge is None or obj.rules.match is None:
        return ""
    return words.survivor(merge.fields.get(name, merge.default))


def _working_fields(obj: ObjectSpec) -> tuple[tuple[str, str], ...]:
    """Fields steps write that the target does not have (match keys), with their rule."""
    found: dict[str, str] = {}
    for step in obj.rules.steps:
        for name in step.writes():
            if name not in obj.mapping.fields and name not in found:
                found[name] = step.id
    return tuple(found.items())


def _signoff(objects: tuple[ObjectBook, ...]) -> tuple[SignOff, ...]:
    """Every owner named anywhere, with the rules and fields they answer for."""
    rules: dict[str, list[str]] = {}
    fields: dict[str, list[str]] = {}
    for book in objects:
        lines = [s.line for s in book.steps] + list(book.checks)
        lines += [_map_line(m) for m in book.value_maps]
        for line in lines:
            rules.setdefault(line.owner or NO_OWNER, []).append(line.rule)
        for field in book.fields:
            if field.owner:
                fields.setdefault(field.owner, []).append(f"{book.name}.{field.name}")
    owners = sorted(set(rules) | set(fields), key=lambda owner: (owner == NO_OWNER, owner))
    return tuple(
        SignOff(owner, tuple(rules.get(owner, [])), tuple(fields.get(owner, [])))
        for owner in owners
    )
