"""A mapping's target fields compiled into a pandera ``DataFrameSchema``.

Each check is tagged with its rule id (``Check.title``); the ``SchemaRule`` of
every id is kept in the schema's metadata (``rules_of``). Columns the mapping
does not declare (``_`` internal columns, match keys) are allowed. Field checks
are built by ``FIELD_CHECKS`` (one builder per check kind); compound keys and
cross-field checks are dataframe-level checks with one result per row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Mapping as MappingOf
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from migrate.errors import SpecError
from migrate.schema.coerce import parse_allowed
from migrate.schema.crossfield import frame_check
from migrate.schema.dtypes import pandera_dtype
from migrate.schema.rules import SchemaRule, rule_id, schema_rules
from migrate.spec.mapping import Mapping, TargetField

RULES_KEY = "migrate.rules"
CheckTables = MappingOf[str, list[str]]


@dataclass(frozen=True)
class _FieldCheck:
    """What a field-check builder needs: the mapping, the field, its rule, its check table."""

    mapping: Mapping
    name: str
    spec: TargetField
    rule: SchemaRule
    table: list[str] | None

    @property
    def tags(self) -> dict[str, Any]:
        return {"title": self.rule.rule, "description": self.rule.template}


def compile_schema(
    mapping: Mapping, *, coerce: bool = True, check_tables: CheckTables | None = None
) -> pa.DataFrameSchema:
    """The pandera schema of ``mapping``'s target fields (lazy validation recommended).

    With ``coerce`` each column is coerced to its type first; a frame already
    coerced by ``coerce_frame`` is validated without it (its dtypes are checked).
    ``check_tables`` holds the values of each field's ``check_table`` (as the
    project loader reads them: ``ObjectSpec.check_tables``).
    """
    rules = schema_rules(mapping)
    tables = dict(check_tables or {})
    columns = {
        name: _column(mapping, name, spec, rules, coerce, tables.get(name))
        for name, spec in mapping.fields.items()
    }
    checks = [_compound_unique(rule) for rule in rules.values() if _is_compound(rule)]
    checks += [frame_check(i, check, mapping) for i, check in enumerate(mapping.checks)]
    return pa.DataFrameSchema(
        columns,
        checks=checks,
        strict=False,
        name=mapping.object,
        metadata={RULES_KEY: rules},
    )


def rules_of(schema: pa.DataFrameSchema) -> dict[str, SchemaRule]:
    """The rules of a schema made by ``compile_schema``, by rule id."""
    rules: dict[str, SchemaRule] = (schema.metadata or {})[RULES_KEY]
    return rules


def _is_compound(rule: SchemaRule) -> bool:
    return rule.check == "unique" and len(rule.fields) > 1


def _column(
    mapping: Mapping,
    name: str,
    spec: TargetField,
    rules: dict[str, SchemaRule],
    coerce: bool,
    table: list[str] | None,
) -> pa.Column:
    _refuse_misplaced(mapping, name, spec)
    checks = [
        builder(_FieldCheck(mapping, name, spec, rules[rule_id(name, kind)], table))
        for kind, builder in FIELD_CHECKS.items()
        if rule_id(name, kind) in rules
    ]
    return pa.Column(
        pandera_dtype(spec.type),
        checks=checks,
        nullable=not spec.required,
        unique=rule_id(name, "unique") in rules,
        report_duplicates="all",
        coerce=coerce,
        title=name,
        description=spec.description,
    )


def _length(item: _FieldCheck) -> pa.Check:
    return pa.Check.str_length(max_value=item.spec.length, **item.tags)


def _pattern(item: _FieldCheck) -> pa.Check:
    assert item.spec.pattern is not None
    return _full_match(item.spec.pattern, **item.tags)


def _allowed_values(item: _FieldCheck) -> pa.Check:
    assert item.spec.allowed is not None
    where = f"fields.{item.name}.allowed"
    return pa.Check.isin(_typed(item, item.spec.allowed, where), **item.tags)


def _check_table(item: _FieldCheck) -> pa.Check:
    where = f"fields.{item.name}.check_table"
    if item.table is None:
        raise SpecError(_file(item.mapping), where, "check table not loaded (load the project)")
    return pa.Check.isin(_typed(item, item.table, where), **item.tags)


def _range(item: _FieldCheck) -> pa.Check:
    low, high = item.spec.min, item.spec.max
    if low is not None and high is not None:
        return pa.Check.in_range(low, high, **item.tags)
    if low is not None:
        return pa.Check.ge(low, **item.tags)
    return pa.Check.le(high, **item.tags)


def _precision(item: _FieldCheck) -> pa.Check:
    """Numbers with at most ``precision`` digits, ``scale`` of them after the point."""
    assert item.spec.precision is not None
    scale = item.spec.scale or 0
    limit = 10.0 ** (item.spec.precision - scale)
    factor = 10.0**scale

    def fits(values: pd.Series) -> pd.Series:
        numbers = values.astype("float64").to_numpy()
        scaled = numbers * factor
        exact = np.isclose(scaled, np.round(scaled), rtol=1e-12, atol=1e-6)
        small = np.abs(np.round(scaled) / factor) < limit
        return pd.Series(exact & small, index=values.index)

    return pa.Check(fits, name="precision", **item.tags)


FIELD_CHECKS: dict[str, Callable[[_FieldCheck], pa.Check]] = {
    "length": _length,
    "pattern": _pattern,
    "allowed": _allowed_values,
    "check_table": _check_table,
    "range": _range,
    "precision": _precision,
}


def _typed(item: _FieldCheck, values: list[str], where: str) -> list[object]:
    try:
        return parse_allowed(values, item.spec.type)
    except ValueError as error:
        raise SpecError(_file(item.mapping), where, str(error)) from None


def _full_match(pattern: str, **tags: Any) -> pa.Check:
    """Values matching ``pattern`` as a whole.

    Pandera's ``str_matches`` only anchors the start, and a ``\\Z`` anchor would
    push pandas off its fast (RE2) path, so this uses pandas' own full match.
    """
    wrapped = f"(?:{pattern})"

    def matches(values: pd.Series) -> pd.Series:
        return values.str.fullmatch(wrapped, na=False)

    return pa.Check(matches, name="str_fullmatch", statistics={"pattern": pattern}, **tags)


def _compound_unique(rule: SchemaRule) -> pa.Check:
    """Rows whose combination of key fields occurs more than once (missing parts never clash)."""
    fields = list(rule.fields)

    def distinct(frame: pd.DataFrame) -> pd.Series:
        keys = frame[fields]
        return ~(keys.duplicated(keep=False) & keys.notna().all(axis=1))

    return pa.Check(distinct, name=rule.rule, title=rule.rule, description=rule.template)


def _refuse_misplaced(mapping: Mapping, name: str, spec: TargetField) -> None:
    """Length and pattern apply to text fields, min and max to numbers; say so if misused."""
    where = f"fields.{name}"
    if spec.type != "string" and (spec.length is not None or spec.pattern is not None):
        raise SpecError(
            _file(mapping),
            where,
            f"length and pattern apply to string fields, not to a {spec.type} field",
        )
    if spec.type not in ("integer", "decimal") and (spec.min, spec.max) != (None, None):
        raise SpecError(
            _file(mapping),
            where,
            f"min and max apply to integer and decimal fields, not to a {spec.type} field",
        )
    if spec.pattern is not None:
        try:
            re.compile(spec.pattern)
        except re.error as error:
            raise SpecError(_file(mapping), f"{where}.pattern", f"bad pattern: {error}") from None
    _refuse_misplaced_digits(mapping, name, spec)


def _refuse_misplaced_digits(mapping: Mapping, name: str, spec: TargetField) -> None:
    """Precision and scale apply to numbers; scale needs a precision it fits in."""
    where = f"fields.{name}"
    if (spec.precision, spec.scale) == (None, None):
        return
    if spec.type not in ("integer", "decimal"):
        problem = f"precision and scale apply to integer and decimal fields, not to a {spec.type}"
        raise SpecError(_file(mapping), where, problem + " field")
    scale = spec.scale or 0
    if spec.precision is None or scale > spec.precision:
        raise SpecError(_file(mapping), f"{where}.scale", "scale needs a precision at least as big")
    if spec.type == "integer" and scale:
        raise SpecError(_file(mapping), f"{where}.scale", "an integer field has no decimals")


def _file(mapping: Mapping) -> str:
    return f"mappings/{mapping.object}.yaml"
