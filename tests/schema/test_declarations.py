"""New declarations of a mapping: check tables, precision, severities and cross-field checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError

from migrate.errors import SpecError
from migrate.schema import compile_schema, schema_failures, schema_rules
from migrate.schema.crossfield import check_template, describe
from migrate.spec.condition import Condition
from migrate.spec.loader import load_project
from migrate.spec.mapping import CrossCheck, Mapping
from tests.gx.project import make_project


def mapping(fields: dict[str, Any], **extra: Any) -> Mapping:
    first = next(iter(fields))
    data = {"object": "o", "key": [first], "fields": fields, "sources": {"s": {first: "ID"}}}
    return Mapping.model_validate({**data, **extra})


def test_new_rules_ids_order_and_severity() -> None:
    spec = mapping(
        {
            "id": {},
            "org": {"check_table": {"file": "orgs.csv"}, "severity": "warn", "required": True},
            "amount": {"type": "decimal", "min": 0, "precision": 9, "scale": 2},
        },
        checks=[{"id": "X-1", "require": {"field": "org", "is_null": False}, "severity": "warn"}],
    )
    rules = schema_rules(spec)
    assert [(r.rule, r.severity) for r in rules.values()] == [
        ("schema.id.unique", "reject"),
        ("schema.org.required", "reject"),  # the target refuses it whatever the field says
        ("schema.org.check_table", "warn"),
        ("schema.amount.type", "reject"),
        ("schema.amount.range", "reject"),
        ("schema.amount.precision", "reject"),
        ("X-1", "warn"),
    ]
    assert rules["schema.org.check_table"].template == (
        "{field} '{value}' is not in the target's table {table}"
    )


def test_a_check_table_must_be_loaded_to_compile() -> None:
    spec = mapping({"id": {}, "org": {"check_table": {"file": "orgs.csv"}}})
    with pytest.raises(SpecError, match=r"fields\.org\.check_table: check table not loaded"):
        compile_schema(spec)
    assert compile_schema(spec, check_tables={"org": ["1"]}).columns["org"].checks


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ({"type": "string", "precision": 3}, "precision and scale apply to integer and decimal"),
        ({"type": "decimal", "scale": 2}, "scale needs a precision"),
        ({"type": "decimal", "precision": 2, "scale": 3}, "scale needs a precision"),
        ({"type": "integer", "precision": 5, "scale": 1}, "an integer field has no decimals"),
        ({"type": "integer", "check_table": {"file": "t.csv"}}, "allowed value 'x'"),
    ],
)
def test_misdeclared_new_checks_are_spec_errors(field: dict[str, Any], problem: str) -> None:
    with pytest.raises(SpecError, match=problem):
        compile_schema(mapping({"id": {}, "f": field}), check_tables={"f": ["x"]})


@pytest.mark.parametrize(
    ("check", "problem"),
    [
        ({"compare": {"field": "d", "op": ">", "other": "n"}}, r"cannot compare d \(date\)"),
        ({"compare": {"field": "n", "op": ">", "value": "abc"}}, "value 'abc' is not of the type"),
    ],
)
def test_compare_checks_types_at_compile_time(check: dict[str, Any], problem: str) -> None:
    spec = mapping({"id": {}, "d": {"type": "date"}, "n": {"type": "integer"}}, checks=[
        {"id": "C", **check}
    ])  # fmt: skip
    with pytest.raises(SpecError, match=problem):
        compile_schema(spec)


@pytest.mark.parametrize(
    "check",
    [
        {"id": "A"},
        {"id": "A", "require": {"field": "x", "is_null": False}, "compare": {
            "field": "x", "op": ">", "value": 1}},
        {"id": "A", "compare": {"field": "x", "op": ">"}},
        {"id": "A", "compare": {"field": "x", "op": "=>", "value": 1}},
    ],
)  # fmt: skip
def test_malformed_checks_are_refused(check: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CrossCheck.model_validate(check)


def test_check_ids_are_unique_in_a_mapping() -> None:
    twice = [{"id": "A", "require": {"field": "id", "is_null": False}}] * 2
    with pytest.raises(ValidationError, match="check id 'A' is used twice"):
        mapping({"id": {}}, checks=twice)


def test_conditions_in_words() -> None:
    condition = Condition.model_validate(
        {
            "all": [
                {"field": "country", "in": ["CN", "HK"]},
                {"not": {"field": "vat", "matches": "[0-9]+"}},
                {"any": [{"field": "a", "is_null": True}, {"field": "b", "equals": "x"}]},
            ]
        }
    )
    assert describe(condition) == (
        "country is one of CN, HK and not (vat matches [0-9]+) and (a is empty or b is 'x')"
    )
    assert describe(Condition.model_validate({"field": "a", "is_null": False}), must=True) == (
        "a must be filled"
    )


def test_reason_templates_escape_braces_of_patterns() -> None:
    spec = mapping({"id": {}, "zip": {}})
    check = CrossCheck.model_validate(
        {"id": "Z", "when": {"field": "id", "equals": "1"}, "require": {
            "field": "zip", "matches": "[0-9]{5}"}}
    )  # fmt: skip
    template = check_template(check, spec)
    assert template.format(value="12") == ("zip must match [0-9]{5} when id is '1' (found '12')")


def test_the_loader_reads_check_tables_beside_the_mapping(tmp_path: Path) -> None:
    project = load_project(make_project(tmp_path))
    assert project.objects["customer"].check_tables == {"sales_org": ["1000", "2000"]}
    assert "mappings/orgs.csv" in project.file_hashes


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "mappings/customer.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("{file: orgs.csv}", "{file: nope.csv}", "fields.sales_org.check_table.file: "
         "mappings/nope.csv not found"),
        ("{file: orgs.csv}", "{file: orgs.csv, column: org}", "mappings/orgs.csv has no column "
         "'org' (valid: code, name)"),
        ("field: tax_no, is_null", "field: tax_number, is_null", "checks[0]: unknown field "
         "'tax_number'"),
        ("id: V02", "id: V01", "check id 'V01' is used twice"),
    ],
)  # fmt: skip
def test_project_errors_name_file_and_key(tmp_path: Path, old: str, new: str, problem: str) -> None:
    root = make_project(tmp_path)
    _edit(root, old, new)
    with pytest.raises(SpecError) as caught:
        load_project(root)
    assert problem in caught.value.message


def test_a_check_id_that_a_rule_step_uses_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "rules").mkdir()
    (root / "rules/customer.yaml").write_text(
        "object: customer\nsteps:\n  - {id: V01, op: trim, fields: [name]}\n", "utf-8"
    )
    with pytest.raises(SpecError, match=r"checks\[0\]\.id: 'V01' is also a rule step's id"):
        load_project(root)


def test_check_tables_skip_blank_cells_and_read_a_bom(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "mappings/orgs.csv").write_bytes("\ufeffcode,name\n1000,a\n,empty\n3000,c\n".encode())
    assert load_project(root).objects["customer"].check_tables["sales_org"] == ["1000", "3000"]


def test_precision_accepts_float_noise_but_not_a_third_decimal() -> None:
    spec = mapping({"id": {}, "amount": {"type": "decimal", "precision": 15, "scale": 2}})
    values = [0.1 + 0.2, 1234567890123.45, 0.001, 1e13, -9999999999999.99, None]
    frame = pd.DataFrame({"id": [str(i) for i in range(6)], "amount": values})
    found = schema_failures(compile_schema(spec, coerce=False), frame)
    assert sorted(zip(found["rule"], found["index"], strict=True)) == [
        ("schema.amount.precision", 2),
        ("schema.amount.precision", 3),
    ]
