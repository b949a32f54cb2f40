"""The expectation suite of a mapping, planned from the same declarations pandera enforces.

A plan is plain data: one ``Expectation`` per GX expectation (its class name,
arguments, the rule id it stands for, a ``when`` condition), plus the rules GX
cannot express (e.g. a decimal's scale, a ``not`` condition). Column types are
named as pandas 3 reports them to GX: text is ``str`` (pandas 2's ``object`` no
longer matches), nullable integers ``int64``, yes/no ``bool`` and dates
``datetime64`` (GX compares the kind, not the unit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from migrate.schema.coerce import parse_allowed
from migrate.schema.rules import SchemaRule, rule_id, schema_rules
from migrate.spec.condition import Condition
from migrate.spec.mapping import Compare, CrossCheck, FieldType, Mapping

GX_TYPES: dict[FieldType, str] = {
    "string": "str",
    "integer": "int64",
    "decimal": "float64",
    "date": "datetime64",
    "boolean": "bool",
}
NOT_NULL = "ExpectColumnValuesToNotBeNull"
IN_SET = "ExpectColumnValuesToBeInSet"
BETWEEN = "ExpectColumnValuesToBeBetween"


@dataclass(frozen=True)
class Expectation:
    """One GX expectation: class name, arguments, the rule it enforces, an optional condition."""

    kind: str
    kwargs: dict[str, Any]
    rule: str
    severity: str = "reject"
    when: Condition | None = None


@dataclass(frozen=True)
class SuitePlan:
    """The expectations of one object, and the rules GX cannot express (rule, why)."""

    name: str
    expectations: tuple[Expectation, ...]
    not_expressed: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class _Item:
    mapping: Mapping
    rule: SchemaRule
    table: list[str] | None

    def make(self, kind: str, **kwargs: Any) -> Expectation:
        return Expectation(kind, kwargs, self.rule.rule, self.rule.severity)

    @property
    def column(self) -> str:
        return self.rule.fields[0]

    @property
    def kind(self) -> FieldType:
        return self.mapping.fields[self.column].type


class NotExpressible(Exception):
    """A rule (or part of one) that no built-in GX expectation states."""


def plan_suite(mapping: Mapping, check_tables: dict[str, list[str]] | None = None) -> SuitePlan:
    """The expectations equivalent to ``mapping``'s compiled pandera schema."""
    tables = check_tables or {}
    found: list[Expectation] = [
        Expectation(
            "ExpectColumnValuesToBeOfType",
            {"column": name, "type_": GX_TYPES[spec.type]},
            rule_id(name, "type"),
        )
        for name, spec in mapping.fields.items()
    ]
    missing: list[tuple[str, str]] = []
    checks = {check.id: check for check in mapping.checks}
    for rule in schema_rules(mapping).values():
        item = _Item(mapping, rule, tables.get(rule.fields[0]))
        try:
            if rule.check == "crossfield":
                found += _cross(item, checks[rule.rule])
            else:
                found += RULE_EXPECTATIONS[rule.check](item)
        except NotExpressible as why:
            missing.append((rule.rule, str(why)))
    return SuitePlan(mapping.object, tuple(found), tuple(missing))


def _none(item: _Item) -> list[Expectation]:
    return []  # the type expectation is planned for every field


def _required(item: _Item) -> list[Expectation]:
    return [item.make(NOT_NULL, column=item.column)]


def _length(item: _Item) -> list[Expectation]:
    length = item.mapping.fields[item.column].length
    return [item.make("ExpectColumnValueLengthsToBeBetween", column=item.column, max_value=length)]


def _pattern(item: _Item) -> list[Expectation]:
    pattern = item.mapping.fields[item.column].pattern
    regex = f"^(?:{pattern})$"
    return [item.make("ExpectColumnValuesToMatchRegex", column=item.column, regex=regex)]


def _allowed(item: _Item) -> list[Expectation]:
    values = item.mapping.fields[item.column].allowed or []
    return [item.make(IN_SET, column=item.column, value_set=_typed(values, item.kind))]


def _check_table(item: _Item) -> list[Expectation]:
    if item.table is None:
        raise NotExpressible("check table not loaded")
    return [item.make(IN_SET, column=item.column, value_set=_typed(item.table, item.kind))]


def _range(item: _Item) -> list[Expectation]:
    spec = item.mapping.fields[item.column]
    return [item.make(BETWEEN, column=item.column, min_value=spec.min, max_value=spec.max)]


def _precision(item: _Item) -> list[Expectation]:
    spec = item.mapping.fields[item.column]
    assert spec.precision is not None
    if spec.scale:
        raise NotExpressible("GX has no expectation for the number of decimal places")
    limit = 10**spec.precision
    bounds = {"min_value": -limit, "max_value": limit, "strict_min": True, "strict_max": True}
    return [item.make(BETWEEN, column=item.column, **bounds)]


def _unique(item: _Item) -> list[Expectation]:
    if len(item.rule.fields) == 1:
        return [item.make("ExpectColumnValuesToBeUnique", column=item.column)]
    columns = list(item.rule.fields)
    kwargs = {"column_list": columns, "ignore_row_if": "any_value_is_missing"}
    return [item.make("ExpectCompoundColumnsToBeUnique", **kwargs)]


RULE_EXPECTATIONS: dict[str, Callable[[_Item], list[Expectation]]] = {
    "type": _none,
    "required": _required,
    "length": _length,
    "pattern": _pattern,
    "allowed": _allowed,
    "check_table": _check_table,
    "range": _range,
    "precision": _precision,
    "unique": _unique,
}


def _cross(item: _Item, check: CrossCheck) -> list[Expectation]:
    if check.when is not None:
        gx_condition_parts(check.when)  # raises NotExpressible early
    if check.compare is not None:
        planned = [_compare(check.compare, item.mapping)]
    else:
        assert check.require is not None
        planned = list(_require(check.require, item.mapping))
    return [
        Expectation(kind, kwargs, check.id, check.severity, check.when) for kind, kwargs in planned
    ]


_PAIR = {">": ("field", "other", False), ">=": ("field", "other", True)}
_PAIR |= {"<": ("other", "field", False), "<=": ("other", "field", True)}
_BOUND: dict[str, dict[str, Any]] = {
    ">": {"strict_min": True},
    ">=": {},
    "<": {"strict_max": True},
    "<=": {},
}


def _compare(compare: Compare, mapping: Mapping) -> tuple[str, dict[str, Any]]:
    if compare.other is not None:
        names = {"field": compare.field, "other": compare.other}
        skip = {"ignore_row_if": "either_value_is_missing"}
        if compare.op == "==":
            pair: dict[str, Any] = {"column_A": compare.field, "column_B": compare.other}
            return "ExpectColumnPairValuesToBeEqual", {**pair, **skip}
        if compare.op not in _PAIR:
            raise NotExpressible(f"GX has no column-pair expectation for {compare.op!r}")
        a, b, or_equal = _PAIR[compare.op]
        pair = {"column_A": names[a], "column_B": names[b], "or_equal": or_equal}
        return "ExpectColumnPairValuesAToBeGreaterThanB", {**pair, **skip}
    value = _typed([str(compare.value)], mapping.fields[compare.field].type)[0]
    if compare.op == "==":
        return IN_SET, {"column": compare.field, "value_set": [value]}
    if compare.op == "!=":
        return "ExpectColumnValuesToNotBeInSet", {"column": compare.field, "value_set": [value]}
    side = "min_value" if compare.op.startswith(">") else "max_value"
    return BETWEEN, {"column": compare.field, side: value, **_BOUND[compare.op]}


def _require(condition: Condition, mapping: Mapping) -> Iterator[tuple[str, dict[str, Any]]]:
    """Expectations that together hold where ``condition`` holds (values present, tested)."""
    if condition.all is not None:
        for part in condition.all:
            yield from _require(part, mapping)
        return
    if condition.field is None:
        raise NotExpressible("GX states 'any' and 'not' requirements only as row conditions")
    column = condition.field
    if condition.is_null is not None:
        yield ("ExpectColumnValuesToBeNull" if condition.is_null else NOT_NULL), {"column": column}
        return
    yield NOT_NULL, {"column": column}
    if condition.matches is not None:
        regex = f"^(?:{condition.matches})$"
        yield "ExpectColumnValuesToMatchRegex", {"column": column, "regex": regex}
        return
    values = condition.in_ if condition.in_ is not None else [condition.equals]
    yield IN_SET, {"column": column, "value_set": [str(v) for v in values]}


def gx_condition_parts(condition: Condition) -> list[list[Condition]]:
    """``condition`` as OR of ANDs of simple tests, as GX row conditions allow; else raises."""
    if condition.any is not None:
        return [_and_part(part) for part in condition.any]
    return [_and_part(condition)]


def _and_part(condition: Condition) -> list[Condition]:
    parts = condition.all if condition.all is not None else [condition]
    for part in parts:
        if part.field is None or part.matches is not None:
            raise NotExpressible("GX row conditions test equality, sets and nulls only")
    return list(parts)


def _typed(values: list[str], kind: FieldType) -> list[Any]:
    """Values in the field's type as plain Python values (JSON-able for Data Docs)."""
    typed = parse_allowed(values, kind)
    return [value.item() if hasattr(value, "item") else value for value in typed]
