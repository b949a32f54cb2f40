"""A mapping's target fields compiled into a pandera ``DataFrameSchema``.

Each check is tagged with its rule id (``Check.title``); the ``SchemaRule`` of
every id is kept in the schema's metadata (``rules_of``). Columns the mapping
does not declare (``_`` internal columns, match keys) are allowed.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pandera.pandas as pa

from migrate.errors import SpecError
from migrate.schema.coerce import parse_allowed
from migrate.schema.dtypes import pandera_dtype
from migrate.schema.rules import SchemaRule, rule_id, schema_rules
from migrate.spec.mapping import Mapping, TargetField

RULES_KEY = "migrate.rules"


def compile_schema(mapping: Mapping, *, coerce: bool = True) -> pa.DataFrameSchema:
    """The pandera schema of ``mapping``'s target fields (lazy validation recommended).

    With ``coerce`` each column is coerced to its type first; a frame already
    coerced by ``coerce_frame`` is validated without it (its dtypes are checked).
    """
    rules = schema_rules(mapping)
    columns = {
        name: _column(mapping, name, spec, rules, coerce) for name, spec in mapping.fields.items()
    }
    checks = [_compound_unique(rule) for rule in rules.values() if len(rule.fields) > 1]
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


def _column(
    mapping: Mapping, name: str, spec: TargetField, rules: dict[str, SchemaRule], coerce: bool
) -> pa.Column:
    _refuse_misplaced(mapping, name, spec)
    checks = [
        _check(mapping, name, spec, rules[rule_id(name, kind)])
        for kind in ("length", "pattern", "allowed", "range")
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


def _check(mapping: Mapping, name: str, spec: TargetField, rule: SchemaRule) -> pa.Check:
    tags: dict[str, Any] = {"title": rule.rule, "description": rule.template}
    if rule.check == "length":
        return pa.Check.str_length(max_value=spec.length, **tags)
    if rule.check == "pattern":
        assert spec.pattern is not None
        return _full_match(spec.pattern, **tags)
    if rule.check == "allowed":
        return pa.Check.isin(_allowed(mapping, name, spec), **tags)
    if spec.min is not None and spec.max is not None:
        return pa.Check.in_range(spec.min, spec.max, **tags)
    if spec.min is not None:
        return pa.Check.ge(spec.min, **tags)
    return pa.Check.le(spec.max, **tags)


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


def _allowed(mapping: Mapping, name: str, spec: TargetField) -> list[object]:
    assert spec.allowed is not None
    try:
        return parse_allowed(spec.allowed, spec.type)
    except ValueError as error:
        raise SpecError(_file(mapping), f"fields.{name}.allowed", str(error)) from None


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


def _file(mapping: Mapping) -> str:
    return f"mappings/{mapping.object}.yaml"
