"""Compiling a mapping into a pandera schema: types, checks, rule ids and reasons."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from migrate.errors import SpecError
from migrate.schema import coerce_frame, compile_schema, rules_of, schema_failures, schema_rules
from migrate.schema.coerce import coerce_values
from migrate.spec.mapping import Mapping


def mapping(fields: dict[str, Any], **extra: Any) -> Mapping:
    first = next(iter(fields))
    data = {
        "object": "customer",
        "key": [first],
        "fields": fields,
        "sources": {"erp": {first: "ID"}},
        **extra,
    }
    return Mapping.model_validate(data)


def failures(spec: Mapping, data: dict[str, list[Any]]) -> list[tuple[str, int]]:
    """(rule, row index) of every failure of ``data`` against the compiled schema."""
    frame = pd.DataFrame(data, dtype="str")
    coerced = coerce_frame(frame, spec)
    found = schema_failures(compile_schema(spec), coerced.frame)
    pairs = {(str(r), int(i)) for r, i in zip(found["rule"], found["index"], strict=True)}
    for field, index in coerced.failures.items():
        pairs |= {(f"schema.{field}.type", int(i)) for i in index}
    return sorted(pairs)


def test_one_column_per_field_coerced_to_its_type() -> None:
    spec = mapping(
        {
            "id": {"required": True},
            "qty": {"type": "integer"},
            "price": {"type": "decimal"},
            "since": {"type": "date"},
            "active": {"type": "boolean"},
        }
    )
    schema = compile_schema(spec)
    assert list(schema.columns) == ["id", "qty", "price", "since", "active"]
    assert all(column.coerce for column in schema.columns.values())
    assert not schema.columns["id"].nullable and schema.columns["qty"].nullable
    raw = pd.DataFrame(
        {
            "id": ["A"],
            "qty": ["7"],
            "price": ["1.25"],
            "since": ["9999-12-31"],
            "active": ["True"],
            "_internal": ["kept"],
        }
    )
    typed = schema.validate(raw)
    assert [str(t) for t in typed.dtypes] == [
        "str",
        "Int64",
        "float64",
        "datetime64[us]",
        "boolean",
        "str",
    ]
    assert typed.loc[0, "since"] == pd.Timestamp("9999-12-31")


def test_rule_ids_in_recording_order() -> None:
    spec = mapping(
        {
            "id": {"required": True, "length": 10, "pattern": "C[0-9]+"},
            "country": {"allowed": ["DE"]},
            "amount": {"type": "decimal", "min": 0},
            "company": {},
            "vat": {"unique": True},
        },
        unique_together=[{"fields": ["company", "vat"]}, {"fields": ["vat", "company"]}],
    )
    assert list(schema_rules(spec)) == [
        "schema.id.required",
        "schema.id.length",
        "schema.id.pattern",
        "schema.id.unique",
        "schema.country.allowed",
        "schema.amount.type",
        "schema.amount.range",
        "schema.vat.unique",
        "schema.company+vat.unique",
    ]
    assert rules_of(compile_schema(spec)) == schema_rules(spec)


def test_each_check_catches_exactly_the_bad_rows() -> None:
    spec = mapping(
        {
            "id": {"required": True, "length": 4},
            "zip": {"pattern": "[0-9]{5}"},
            "country": {"allowed": ["DE", "FR"]},
            "qty": {"type": "integer", "min": 1, "max": 10},
            "tax": {"required": True},
        }
    )
    found = failures(
        spec,
        {
            "id": ["A1", "TOOLONG", "A3", "A1"],
            "zip": ["12345", "1234", "123456", None],
            "country": ["DE", "FR", "XX", "de"],
            "qty": ["1", "0", "10", "11"],
            "tax": ["x", " ", None, "y"],
        },
    )
    assert found == [
        ("schema.country.allowed", 2),
        ("schema.country.allowed", 3),
        ("schema.id.length", 1),
        ("schema.id.unique", 0),
        ("schema.id.unique", 3),
        ("schema.qty.range", 1),
        ("schema.qty.range", 3),
        ("schema.tax.required", 1),
        ("schema.tax.required", 2),
        ("schema.zip.pattern", 1),
        ("schema.zip.pattern", 2),
    ]


def test_pattern_must_match_the_whole_value() -> None:
    spec = mapping({"id": {}, "zip": {"pattern": "[0-9]{5}|[A-Z]{2}"}})
    found = failures(
        spec, {"id": ["1", "2", "3", "4", "5"], "zip": ["12345", "DE", "x12345", "12345x", "DEU"]}
    )
    assert found == [
        ("schema.zip.pattern", 2),
        ("schema.zip.pattern", 3),
        ("schema.zip.pattern", 4),
    ]


def test_compound_unique_ignores_rows_with_a_missing_part() -> None:
    spec = mapping(
        {"id": {}, "company": {}, "vat": {}}, unique_together=[{"fields": ["company", "vat"]}]
    )
    found = failures(
        spec,
        {
            "id": ["1", "2", "3", "4", "5"],
            "company": ["A", "A", "B", None, None],
            "vat": ["1", "1", "1", "1", "1"],
        },
    )
    assert found == [("schema.company+vat.unique", 0), ("schema.company+vat.unique", 1)]


def test_compound_business_key_is_unique() -> None:
    spec = Mapping.model_validate(
        {
            "object": "o",
            "key": ["a", "b"],
            "fields": {"a": {}, "b": {}},
            "sources": {"erp": {"a": "A"}},
        }
    )
    found = failures(spec, {"a": ["1", "1", "1"], "b": ["x", "x", "y"]})
    assert found == [("schema.a+b.unique", 0), ("schema.a+b.unique", 1)]


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        (
            "integer",
            ["1", "+5", " -3 ", "2.0", "007"],
            ["2.5", "x", "1e3", "12345678901234567890", "٣"],
        ),
        ("decimal", ["1.5", " -2 ", "1e3", "0"], ["abc", "1,5", "inf", "nan"]),
        ("date", ["2023-01-31", "9999-12-31", "0001-01-01"], ["2023-13-01", "31.01.2023", "x"]),
        ("boolean", ["true", "No", "Y", "0", "T"], ["maybe", "2"]),
    ],
)
def test_coercion_failures_are_recorded(kind: Any, good: list[str], bad: list[str]) -> None:
    values, failed = coerce_values(pd.Series([*good, *bad, None, "  "], dtype="str"), kind)
    assert failed.tolist() == [False] * len(good) + [True] * len(bad) + [False, False]
    assert values.iloc[: len(good)].notna().all() and values.iloc[len(good) :].isna().all()


def test_coerced_values() -> None:
    assert coerce_values(pd.Series(["+5", "2.0"]), "integer")[0].tolist() == [5, 2]
    assert coerce_values(pd.Series(["yes", "F"]), "boolean")[0].tolist() == [True, False]
    dates = coerce_values(pd.Series(["2024-02-29"]), "date")[0]
    assert str(dates.dtype) == "datetime64[us]" and dates[0] == pd.Timestamp("2024-02-29")


def test_reasons_read_like_sentences() -> None:
    spec = mapping(
        {
            "name": {"length": 35},
            "order_date": {"type": "date"},
            "country": {"allowed": ["DE"]},
            "tax_id": {"required": True},
            "qty": {"type": "integer", "min": 1},
            "rate": {"type": "decimal", "max": 1.5},
            "pct": {"type": "decimal", "min": 0, "max": 100},
        }
    )
    rules = schema_rules(spec)

    def reason(rule: str, value: object, count: object = None) -> str:
        counts = pd.Series([count]) if count is not None else None
        return str(rules[rule].reasons(pd.Series([value]), counts).iloc[0])

    assert reason("schema.name.length", "x" * 73) == "name is 73 characters; the target allows 35"
    assert reason("schema.country.allowed", "XX") == (
        "country 'XX' is not one of the allowed values"
    )
    assert reason("schema.tax_id.required", None) == "tax_id must be filled"
    assert reason("schema.order_date.type", "2023-13-01") == "order_date '2023-13-01' is not a date"
    assert reason("schema.qty.range", "0") == "qty 0 is below the minimum 1"
    assert reason("schema.rate.range", "2") == "rate 2 is above the maximum 1.5"
    assert reason("schema.pct.range", "-1") == "pct -1 is outside the allowed range 0 to 100"
    assert reason("schema.name.unique", "A", 3) == "name 'A' occurs 3 times; it must be unique"


def test_allowed_values_are_compared_in_the_field_type() -> None:
    spec = mapping({"id": {}, "level": {"type": "integer", "allowed": ["1", "2"]}})
    assert failures(spec, {"id": ["a", "b", "c"], "level": ["01", "2", "3"]}) == [
        ("schema.level.allowed", 2)
    ]


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ({"type": "integer", "length": 3}, "length and pattern apply to string fields"),
        ({"type": "date", "min": 0}, "min and max apply to integer and decimal"),
        ({"pattern": "([a-z"}, "bad pattern"),
        ({"type": "integer", "allowed": ["1", "x"]}, "allowed value 'x' is not of type integer"),
    ],
)
def test_misdeclared_checks_are_spec_errors(field: dict[str, Any], problem: str) -> None:
    with pytest.raises(SpecError, match=problem):
        compile_schema(mapping({"id": {}, "f": field}))
