"""The schema rules of a mapping: one per field and check, each with a readable reason.

Rule ids are ``schema.<field>.<check>``; a uniqueness rule over several fields
(the business key, ``unique_together``) joins them with ``+``:
``schema.company+customer_no.unique``. A cross-field check (``checks:``) keeps
its declared id. Rules are listed in a fixed order (fields in declared order,
then checks in ``CHECKS`` order, then compound keys, then cross-field checks),
which is the order in which findings are recorded. Value checks take the
field's ``severity``; type, required, length and unique always reject.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd

from migrate.schema.crossfield import check_fields, check_template
from migrate.spec.mapping import Mapping, TargetField

CHECKS = (
    "type",
    "required",
    "length",
    "pattern",
    "allowed",
    "check_table",
    "range",
    "precision",
    "unique",
)
# Checks whose severity the field declares; the others the target itself refuses.
VALUE_CHECKS = frozenset({"pattern", "allowed", "check_table", "range", "precision"})

TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "decimal": "a number",
    "date": "a date",
    "boolean": "a yes/no value",
}

TEMPLATES = {
    "type": "{field} '{value}' is not {type_word}",
    "required": "{field} must be filled",
    "length": "{field} is {size} characters; the target allows {length}",
    "pattern": "{field} '{value}' does not have the expected format {pattern}",
    "allowed": "{field} '{value}' is not one of the allowed values",
    "check_table": "{field} '{value}' is not in the target's table {table}",
    "precision": (
        "{field} {value} does not fit the target's number format: "
        "at most {whole} digits before and {scale} after the decimal point"
    ),
    "precision_integer": "{field} {value} has more than {precision} digits",
    "unique": "{field} '{value}' occurs {count} times; it must be unique",
    "unique_together": (
        "the combination of {field_list} '{value}' occurs {count} times; it must be unique"
    ),
}

RANGE_TEMPLATES = {
    (True, True): "{field} {value} is outside the allowed range {min} to {max}",
    (True, False): "{field} {value} is below the minimum {min}",
    (False, True): "{field} {value} is above the maximum {max}",
}


@dataclass(frozen=True)
class SchemaRule:
    """One check of the target schema, with what a business reader is told when it fails."""

    rule: str
    check: str
    fields: tuple[str, ...]
    template: str
    params: tuple[tuple[str, object], ...] = ()
    owner: str | None = None
    personal: bool = False
    severity: str = "reject"

    @property
    def field(self) -> str:
        """The field name used in findings (``a+b`` for a compound key)."""
        return "+".join(self.fields)

    def reasons(self, values: pd.Series, counts: pd.Series | None = None) -> pd.Series:
        """One reason per value (values as shown: already masked when personal)."""
        static = dict(self.params)
        shown = values.to_numpy(dtype=object)
        numbers = counts.to_numpy(dtype=object) if counts is not None else [None] * len(shown)
        cache: dict[tuple[object, object], str] = {}
        texts = []
        for value, count in zip(shown, numbers, strict=True):
            key = (value, count)
            if key not in cache:
                text = "" if pd.isna(value) else str(value)
                cache[key] = self.template.format(**static, value=text, size=len(text), count=count)
            texts.append(cache[key])
        return pd.Series(texts, index=values.index, dtype="object")


def schema_rules(mapping: Mapping) -> dict[str, SchemaRule]:
    """Every rule the mapping declares, by rule id, in recording order."""
    unique_fields, compound = _unique_keys(mapping)
    rules: dict[str, SchemaRule] = {}
    for name, spec in mapping.fields.items():
        for rule in _field_rules(name, spec, unique=name in unique_fields):
            rules[rule.rule] = rule
    for fields in compound:
        rule = _compound_rule(mapping, fields)
        rules[rule.rule] = rule
    for check in mapping.checks:
        rules[check.id] = SchemaRule(
            check.id,
            "crossfield",
            check_fields(check, mapping),
            check_template(check, mapping),
            owner=check.owner,
            personal=any(mapping.fields[name].personal for name in check_fields(check, mapping)),
            severity=check.severity,
        )
    return rules


def rule_id(field: str, check: str) -> str:
    """The rule id of ``check`` on ``field``."""
    return f"schema.{field}.{check}"


def _unique_keys(mapping: Mapping) -> tuple[set[str], list[tuple[str, ...]]]:
    """Fields unique on their own, and compound keys (deduplicated, in declared order)."""
    single = {name for name, spec in mapping.fields.items() if spec.unique}
    compound: list[tuple[str, ...]] = []
    for fields in [mapping.key, *(u.fields for u in mapping.unique_together)]:
        key = tuple(dict.fromkeys(fields))
        if len(key) == 1:
            single.add(key[0])
        elif set(key) not in [set(k) for k in compound]:
            compound.append(key)
    return single, compound


def _field_rules(name: str, spec: TargetField, *, unique: bool) -> Iterator[SchemaRule]:
    def make(check: str, template: str, **params: object) -> SchemaRule:
        merged = {"field": name, **params}
        return SchemaRule(
            rule_id(name, check),
            check,
            (name,),
            template,
            tuple(merged.items()),
            spec.owner,
            spec.personal,
            spec.severity if check in VALUE_CHECKS else "reject",
        )

    if spec.type != "string":
        yield make("type", TEMPLATES["type"], type_word=TYPE_WORDS[spec.type])
    if spec.required:
        yield make("required", TEMPLATES["required"])
    if spec.length is not None:
        yield make("length", TEMPLATES["length"], length=spec.length)
    if spec.pattern is not None:
        yield make("pattern", TEMPLATES["pattern"], pattern=spec.pattern)
    if spec.allowed is not None:
        yield make("allowed", TEMPLATES["allowed"])
    if spec.check_table is not None:
        yield make("check_table", TEMPLATES["check_table"], table=spec.check_table.file)
    if spec.min is not None or spec.max is not None:
        template = RANGE_TEMPLATES[(spec.min is not None, spec.max is not None)]
        yield make("range", template, min=_number(spec.min), max=_number(spec.max))
    if spec.precision is not None:
        yield _precision_rule(spec, make)
    if unique:
        yield make("unique", TEMPLATES["unique"])


def _precision_rule(spec: TargetField, make: Callable[..., SchemaRule]) -> SchemaRule:
    assert spec.precision is not None
    if spec.type == "integer":
        return make("precision", TEMPLATES["precision_integer"], precision=spec.precision)
    scale = spec.scale or 0
    return make(
        "precision",
        TEMPLATES["precision"],
        precision=spec.precision,
        scale=scale,
        whole=spec.precision - scale,
    )


def _compound_rule(mapping: Mapping, fields: tuple[str, ...]) -> SchemaRule:
    specs = [mapping.fields[name] for name in fields]
    owner = next((spec.owner for spec in specs if spec.owner), None)
    params = (("field", "+".join(fields)), ("field_list", ", ".join(fields)))
    return SchemaRule(
        rule_id("+".join(fields), "unique"),
        "unique",
        fields,
        TEMPLATES["unique_together"],
        params,
        owner,
        any(spec.personal for spec in specs),
    )


def _number(value: float | None) -> str:
    """A bound as a reader writes it: 0 rather than 0.0."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
