"""The expectation suite planned from a mapping: one expectation per declared rule."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from migrate.gx import GX_TYPES, plan_suite
from migrate.gx.lazy import INSTALL_HINT, GxMissing, import_gx
from migrate.spec.loader import load_project
from migrate.spec.mapping import Mapping
from tests.gx.project import make_project


@pytest.fixture
def planned(tmp_path: Path) -> Any:
    obj = load_project(make_project(tmp_path)).objects["customer"]
    return plan_suite(obj.mapping, obj.check_tables)


def test_every_declared_rule_has_its_expectation(planned: Any) -> None:
    by_rule = {(e.rule, e.kind): e.kwargs for e in planned.expectations}
    assert by_rule[("schema.customer_id.required", "ExpectColumnValuesToNotBeNull")] == {
        "column": "customer_id"
    }
    assert by_rule[("schema.name.length", "ExpectColumnValueLengthsToBeBetween")] == {
        "column": "name",
        "max_value": 10,
    }
    assert by_rule[("schema.zip.pattern", "ExpectColumnValuesToMatchRegex")] == {
        "column": "zip",
        "regex": "^(?:[0-9]{5})$",
    }
    assert by_rule[("schema.country.allowed", "ExpectColumnValuesToBeInSet")] == {
        "column": "country",
        "value_set": ["DE", "FR"],
    }
    assert by_rule[("schema.sales_org.check_table", "ExpectColumnValuesToBeInSet")] == {
        "column": "sales_org",
        "value_set": ["1000", "2000"],
    }
    assert by_rule[("schema.credit.range", "ExpectColumnValuesToBeBetween")] == {
        "column": "credit",
        "min_value": 0.0,
        "max_value": None,
    }
    assert by_rule[("schema.visits.precision", "ExpectColumnValuesToBeBetween")] == {
        "column": "visits",
        "min_value": -1000,
        "max_value": 1000,
        "strict_min": True,
        "strict_max": True,
    }
    assert by_rule[("schema.customer_id.unique", "ExpectColumnValuesToBeUnique")] == {
        "column": "customer_id"
    }


def test_a_type_expectation_per_field_in_pandas_3_names(planned: Any) -> None:
    types = {
        e.kwargs["column"]: e.kwargs["type_"]
        for e in planned.expectations
        if e.kind == "ExpectColumnValuesToBeOfType"
    }
    assert types["customer_id"] == "str"  # pandas 2 text was "object"
    assert types["visits"] == "int64" and types["credit"] == "float64"
    assert types["since"] == "datetime64" and types["active"] == "bool"
    assert set(GX_TYPES) == {"string", "integer", "decimal", "date", "boolean"}


def test_cross_field_checks_keep_their_id_severity_and_condition(planned: Any) -> None:
    v01 = [e for e in planned.expectations if e.rule == "V01"]
    assert [(e.kind, e.kwargs, e.severity) for e in v01] == [
        ("ExpectColumnValuesToNotBeNull", {"column": "tax_no"}, "reject")
    ]
    assert v01[0].when is not None and v01[0].when.equals == "FR"
    v02 = [e for e in planned.expectations if e.rule == "V02"]
    assert [(e.kind, e.kwargs, e.severity) for e in v02] == [
        (
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": "changed",
                "column_B": "since",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "warn",
        )
    ]


def test_rules_gx_cannot_state_are_listed(planned: Any) -> None:
    assert planned.not_expressed == (
        ("schema.credit.precision", "GX has no expectation for the number of decimal places"),
    )


def mapping(**extra: Any) -> Mapping:
    fields = {
        "id": {},
        "a": {"type": "integer"},
        "b": {"type": "integer"},
        "c": {},
    }
    return Mapping.model_validate(
        {"object": "o", "key": ["id"], "fields": fields, "sources": {"s": {"id": "ID"}}, **extra}
    )


@pytest.mark.parametrize(
    ("compare", "kind", "kwargs"),
    [
        ({"field": "a", "op": "<", "other": "b"}, "ExpectColumnPairValuesAToBeGreaterThanB",
         {"column_A": "b", "column_B": "a", "or_equal": False}),
        ({"field": "a", "op": "==", "other": "b"}, "ExpectColumnPairValuesToBeEqual",
         {"column_A": "a", "column_B": "b"}),
        ({"field": "a", "op": ">", "value": 5}, "ExpectColumnValuesToBeBetween",
         {"column": "a", "min_value": 5, "strict_min": True}),
        ({"field": "a", "op": "<=", "value": 5}, "ExpectColumnValuesToBeBetween",
         {"column": "a", "max_value": 5}),
        ({"field": "a", "op": "!=", "value": 5}, "ExpectColumnValuesToNotBeInSet",
         {"column": "a", "value_set": [5]}),
    ],
)  # fmt: skip
def test_comparisons(compare: dict[str, Any], kind: str, kwargs: dict[str, Any]) -> None:
    plan = plan_suite(mapping(checks=[{"id": "X", "compare": compare}]))
    found = [e for e in plan.expectations if e.rule == "X"]
    assert len(found) == 1 and found[0].kind == kind
    assert {k: v for k, v in found[0].kwargs.items() if k != "ignore_row_if"} == kwargs


def test_conditions_gx_cannot_state_are_listed_not_dropped() -> None:
    filled = {"field": "a", "is_null": False}
    checks = [
        {"id": "N", "when": {"not": {"field": "c", "equals": "x"}}, "require": filled},
        {"id": "M", "when": {"field": "c", "matches": "x+"}, "require": filled},
        {"id": "D", "compare": {"field": "a", "op": "!=", "other": "b"}},
        {"id": "Y", "require": {"any": [filled, {"field": "b", "is_null": False}]}},
        {
            "id": "OK",
            "when": {
                "any": [
                    {"field": "c", "equals": "x"},
                    {"all": [{"field": "c", "in": ["y"]}, {"field": "b", "is_null": True}]},
                ]
            },
            "require": {"field": "a", "in": ["1"]},
        },
    ]
    plan = plan_suite(mapping(checks=checks))
    assert [rule for rule, _ in plan.not_expressed] == ["N", "M", "D", "Y"]
    assert [e.kind for e in plan.expectations if e.rule == "OK"] == [
        "ExpectColumnValuesToNotBeNull",
        "ExpectColumnValuesToBeInSet",
    ]


def test_a_missing_gx_gives_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "great_expectations", None)
    with pytest.raises(GxMissing, match=INSTALL_HINT.replace("[", r"\[").replace("]", r"\]")):
        import_gx()
    assert GxMissing("x").exit_code == 2
