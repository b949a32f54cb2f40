"""The validate stage: every failure of every row becomes a finding; failing rows leave."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from migrate.ledger import Ledger
from migrate.spec.mapping import Mapping
from migrate.stages import validate
from migrate.stages.base import RunContext, StageResult

FIELDS: dict[str, Any] = {
    "customer_no": {"required": True, "length": 6, "unique": True},
    "name": {"required": True, "length": 10},
    "country": {"allowed": ["DE", "FR"]},
    "zip": {"pattern": "[0-9]{5}"},
    "tax_id": {"personal": True, "pattern": "DE[0-9]{9}"},
    "credit": {"type": "decimal", "min": 0, "max": 1000},
    "qty": {"type": "integer", "min": 1},
    "since": {"type": "date", "required": True},
    "active": {"type": "boolean"},
}
GOOD = {
    "customer_no": "C1",
    "name": "Anna",
    "country": "DE",
    "zip": "12345",
    "tax_id": "DE123456789",
    "credit": "10.50",
    "qty": "3",
    "since": "2020-01-31",
    "active": "yes",
}


def make_mapping(fields: dict[str, Any] = FIELDS, **extra: Any) -> Mapping:
    return Mapping.model_validate(
        {
            "object": "customer",
            "key": [next(iter(fields))],
            "fields": fields,
            "sources": {"erp": {"customer_no": "A"}},
            **extra,
        }
    )


def make_frame(rows: list[dict[str, Any]], first_rid: int = 100) -> pd.DataFrame:
    """Rows as the stages hand them on: text columns, identity columns, index = _rid."""
    frame = pd.DataFrame(rows, dtype="str")
    rids = range(first_rid, first_rid + len(rows))
    frame["_rid"] = list(rids)
    frame["_system"] = "ERP"
    frame["_source"] = "kna1"
    frame["_key"] = [f"K{rid}" for rid in rids]
    frame["_row"] = [rid - first_rid + 2 for rid in rids]
    frame.index = pd.Index(list(rids))
    return frame


def run(
    rows: list[dict[str, Any]],
    mapping: Mapping | None = None,
    check_tables: dict[str, list[str]] | None = None,
) -> tuple[pd.DataFrame, StageResult, Ledger]:
    frame = make_frame(rows)
    ledger = Ledger()
    ledger.register("customer", frame)
    ctx = RunContext(
        project=SimpleNamespace(name="test"),
        ledger=ledger,  # type: ignore[arg-type]
        out_dir=Path("."),
        run_id="r1",
    )
    obj = SimpleNamespace(
        name="customer", mapping=mapping or make_mapping(), check_tables=check_tables or {}
    )
    out, result = validate.run(frame, obj, ctx)  # type: ignore[arg-type]
    return out, result, ledger


def row(**changes: Any) -> dict[str, Any]:
    return {**GOOD, "customer_no": changes.pop("customer_no", None) or _next_no(), **changes}


_numbers = iter(range(10_000, 99_999))


def _next_no() -> str:
    return f"C{next(_numbers)}"


def findings(ledger: Ledger) -> list[tuple[str, str, str, str | None, str]]:
    """(legacy key, rule, field, value, reason) of every finding, sorted."""
    found = ledger.findings("customer")
    values = found["value"].astype("object").where(found["value"].notna(), None)
    return sorted(
        zip(found["_key"], found["rule"], found["field"], values, found["reason"], strict=True)
    )


@pytest.mark.parametrize(
    ("change", "rule", "field", "value", "reason"),
    [
        (
            {"name": "Bartholomew Jr"},
            "schema.name.length",
            "name",
            "Bartholomew Jr",
            "name is 14 characters; the target allows 10",
        ),
        ({"name": "  "}, "schema.name.required", "name", "  ", "name must be filled"),
        ({"name": None}, "schema.name.required", "name", None, "name must be filled"),
        (
            {"country": "XX"},
            "schema.country.allowed",
            "country",
            "XX",
            "country 'XX' is not one of the allowed values",
        ),
        (
            {"zip": "1234"},
            "schema.zip.pattern",
            "zip",
            "1234",
            "zip '1234' does not have the expected format [0-9]{5}",
        ),
        (
            {"credit": "1000.01"},
            "schema.credit.range",
            "credit",
            "1000.01",
            "credit 1000.01 is outside the allowed range 0 to 1000",
        ),
        ({"credit": "ten"}, "schema.credit.type", "credit", "ten", "credit 'ten' is not a number"),
        ({"qty": "0"}, "schema.qty.range", "qty", "0", "qty 0 is below the minimum 1"),
        ({"qty": "1.5"}, "schema.qty.type", "qty", "1.5", "qty '1.5' is not a whole number"),
        (
            {"since": "2023-13-01"},
            "schema.since.type",
            "since",
            "2023-13-01",
            "since '2023-13-01' is not a date",
        ),
        ({"since": ""}, "schema.since.required", "since", "", "since must be filled"),
        (
            {"active": "perhaps"},
            "schema.active.type",
            "active",
            "perhaps",
            "active 'perhaps' is not a yes/no value",
        ),
    ],
)
def test_each_check_rejects_exactly_the_bad_row(
    change: dict[str, Any], rule: str, field: str, value: str | None, reason: str
) -> None:
    out, result, ledger = run([row(), row(**change), row()])
    assert findings(ledger) == [("K101", rule, field, value, reason)]
    assert out.index.tolist() == [100, 102]
    fates = ledger.rows("customer").set_index("_key")
    assert fates.loc["K101", "fate"] == "rejected" and fates.loc["K101", "rule"] == rule
    assert fates.loc["K101", "stage"] == "validate"
    assert fates.loc[["K100", "K102"], "fate"].isna().all()
    assert result.metrics == {"rows_checked": 3, "rows_rejected": 1, "failures": {rule: 1}}


def test_several_failures_of_one_row_are_all_found_and_the_row_rejected_once() -> None:
    out, result, ledger = run(
        [row(name="x" * 11, country="XX", qty="many", since="31.12.2020"), row()]
    )
    rules = [rule for _, rule, *_ in findings(ledger)]
    assert rules == [
        "schema.country.allowed",
        "schema.name.length",
        "schema.qty.type",
        "schema.since.type",
    ]
    assert result.rows_in == 2 and result.rows_out == 1 and out.index.tolist() == [101]
    assert result.metrics["rows_rejected"] == 1
    fates = ledger.rows("customer")
    assert fates["fate"].isna().tolist() == [False, True] and fates.loc[0, "fate"] == "rejected"
    assert fates.loc[0, "rule"] == "schema.name.length"  # first rule in field order
    assert ledger.funnel()["rejected"].tolist() == [1]


def test_a_type_failure_hides_no_other_failure() -> None:
    out, result, ledger = run(
        [
            row(since="2020-02-30", credit="-1"),  # bad date and a range failure in the same row
            row(since="not a date"),
            row(qty="0"),  # another row, a check on another field
            row(qty="seven"),  # a type failure on the field whose check row 102 fails
            row(),
        ]
    )
    assert [(key, rule) for key, rule, *_ in findings(ledger)] == [
        ("K100", "schema.credit.range"),
        ("K100", "schema.since.type"),
        ("K101", "schema.since.type"),
        ("K102", "schema.qty.range"),
        ("K103", "schema.qty.type"),
    ]
    assert "schema.since.required" not in result.metrics["failures"]
    assert out.index.tolist() == [104]


def test_personal_values_are_masked_in_values_and_reasons() -> None:
    _, _, ledger = run([row(tax_id="XX12345678"), row(tax_id="DE12")])
    assert findings(ledger) == [
        (
            "K100",
            "schema.tax_id.pattern",
            "tax_id",
            "X********8",
            "tax_id 'X********8' does not have the expected format DE[0-9]{9}",
        ),
        (
            "K101",
            "schema.tax_id.pattern",
            "tax_id",
            "D**2",
            "tax_id 'D**2' does not have the expected format DE[0-9]{9}",
        ),
    ]


def test_unique_rejects_every_occurrence_with_its_count() -> None:
    out, _, ledger = run(
        [row(customer_no="C1"), row(customer_no="C2"), row(customer_no="C1"), row(customer_no="C1")]
    )
    assert findings(ledger) == [
        (
            key,
            "schema.customer_no.unique",
            "customer_no",
            "C1",
            "customer_no 'C1' occurs 3 times; it must be unique",
        )
        for key in ("K100", "K102", "K103")
    ]
    assert out["customer_no"].tolist() == ["C2"]


def test_compound_unique_and_compound_key() -> None:
    fields = {"company": {"required": True}, "vat": {"personal": True}, "region": {}}
    mapping = Mapping.model_validate(
        {
            "object": "customer",
            "key": ["company", "region"],
            "fields": fields,
            "sources": {"erp": {"company": "A"}},
            "unique_together": [{"fields": ["company", "vat"]}],
        }
    )
    rows: list[dict[str, Any]] = [
        {"company": "A", "vat": "DE999", "region": "N"},
        {"company": "A", "vat": "DE999", "region": "S"},
        {"company": "B", "vat": "DE999", "region": "N"},
        {"company": "B", "vat": None, "region": "N"},
        {"company": "C", "vat": None, "region": None},
    ]
    out, _, ledger = run(rows, mapping)
    assert findings(ledger) == [
        (
            "K100",
            "schema.company+vat.unique",
            "company+vat",
            "A / D***9",
            "the combination of company, vat 'A / D***9' occurs 2 times; it must be unique",
        ),
        (
            "K101",
            "schema.company+vat.unique",
            "company+vat",
            "A / D***9",
            "the combination of company, vat 'A / D***9' occurs 2 times; it must be unique",
        ),
        (
            "K102",
            "schema.company+region.unique",
            "company+region",
            "B / N",
            "the combination of company, region 'B / N' occurs 2 times; it must be unique",
        ),
        (
            "K103",
            "schema.company+region.unique",
            "company+region",
            "B / N",
            "the combination of company, region 'B / N' occurs 2 times; it must be unique",
        ),
    ]
    assert out.index.tolist() == [104]


def test_output_is_typed_and_keeps_index_and_other_columns() -> None:
    rows = [
        row(qty="+7", credit=" 12.5 ", since="9999-12-31", active="N", zip=None),
        row(country="XX"),
        row(qty=None, credit=None, since="2024-02-29", active=None),
    ]
    out, _, _ = run(rows)
    assert out.index.tolist() == [100, 102]
    types = {name: str(dtype) for name, dtype in out.dtypes.items()}
    assert types == {
        "customer_no": "str",
        "name": "str",
        "country": "str",
        "zip": "str",
        "tax_id": "str",
        "credit": "float64",
        "qty": "Int64",
        "since": "datetime64[us]",
        "active": "boolean",
        "_rid": "int64",
        "_system": "str",
        "_source": "str",
        "_key": "str",
        "_row": "int64",
    }
    first = out.loc[100]
    assert first["qty"] == 7 and first["credit"] == 12.5 and not first["active"]
    assert first["since"] == pd.Timestamp("9999-12-31") and pd.isna(first["zip"])
    assert pd.isna(out.loc[102, "qty"]) and pd.isna(out.loc[102, "active"])
    assert out["_key"].tolist() == ["K100", "K102"]


def test_a_clean_frame_passes_untouched() -> None:
    out, result, ledger = run([row(), row()])
    assert ledger.findings().empty
    assert out.index.tolist() == [100, 101]
    assert result.rows_out == 2 and result.metrics["failures"] == {}


def test_a_declared_field_the_frame_lacks_is_missing() -> None:
    fields = {**FIELDS, "note": {"length": 5}}
    out, _, ledger = run([row()], make_mapping(fields))
    assert ledger.findings().empty and out["note"].isna().all()


def test_rows_rejected_before_keep_their_first_fate() -> None:
    frame = make_frame([row(country="XX"), row()])
    ledger = Ledger()
    ledger.register("customer", frame)
    ledger.reject("customer", frame.iloc[[0]], stage="cleanse", rule="R1", reason="earlier")
    ctx = RunContext(
        project=SimpleNamespace(name="t"),
        ledger=ledger,  # type: ignore[arg-type]
        out_dir=Path("."),
        run_id="r",
    )
    obj = SimpleNamespace(name="customer", mapping=make_mapping(), check_tables={})
    out, _ = validate.run(frame, obj, ctx)  # type: ignore[arg-type]
    assert ledger.rows("customer").loc[0, "rule"] == "R1"
    assert sorted(ledger.findings()["rule"]) == ["R1", "schema.country.allowed"]
    assert out.index.tolist() == [101]


def test_check_table_rejects_values_not_in_the_table() -> None:
    fields = {**FIELDS, "sales_org": {"check_table": {"file": "orgs.csv"}, "owner": "Sales Ops"}}
    out, _, ledger = run(
        [row(sales_org="1000"), row(sales_org="9999"), row(sales_org=None)],
        make_mapping(fields),
        {"sales_org": ["1000", "2000"]},
    )
    assert findings(ledger) == [
        (
            "K101",
            "schema.sales_org.check_table",
            "sales_org",
            "9999",
            "sales_org '9999' is not in the target's table orgs.csv",
        )
    ]
    assert ledger.findings()["owner"].tolist() == ["Sales Ops"]
    assert out.index.tolist() == [100, 102]


def test_precision_and_scale_of_numbers() -> None:
    fields = {
        **FIELDS,
        "amount": {"type": "decimal", "precision": 5, "scale": 2},
        "count": {"type": "integer", "precision": 3},
    }
    out, _, ledger = run(
        [
            row(amount="999.99", count="-999"),
            row(amount="1000.00"),
            row(amount="1.005"),
            row(amount="0.1", count="1000"),
        ],
        make_mapping(fields),
    )
    assert [(key, rule, value) for key, rule, _, value, _ in findings(ledger)] == [
        ("K101", "schema.amount.precision", "1000.00"),
        ("K102", "schema.amount.precision", "1.005"),
        ("K103", "schema.count.precision", "1000"),
    ]
    reasons = {reason for *_, reason in findings(ledger)}
    assert (
        "amount 1.005 does not fit the target's number format: at most 3 digits before and "
        "2 after the decimal point"
    ) in reasons
    assert "count 1000 has more than 3 digits" in reasons
    assert out.index.tolist() == [100]


def test_warn_severity_keeps_the_row_and_records_the_finding() -> None:
    fields = {**FIELDS, "zip": {"pattern": "[0-9]{5}", "severity": "warn"}}
    out, result, ledger = run(
        [row(zip="1234"), row(zip="1234", country="XX")], make_mapping(fields)
    )
    found = ledger.findings("customer")
    assert sorted(zip(found["_key"], found["rule"], found["severity"], strict=True)) == [
        ("K100", "schema.zip.pattern", "warn"),
        ("K101", "schema.country.allowed", "reject"),
        ("K101", "schema.zip.pattern", "warn"),
    ]
    assert out.index.tolist() == [100] and result.metrics["rows_rejected"] == 1
    fates = ledger.rows("customer").set_index("_key")
    assert pd.isna(fates.loc["K100", "fate"])
    assert fates.loc["K101", "rule"] == "schema.country.allowed"


def _with_checks(*checks: dict[str, Any], **more: Any) -> Mapping:
    fields = {
        **FIELDS,
        "tax_no": {"personal": True},
        "order_date": {"type": "date"},
        "delivery_date": {"type": "date"},
        **more,
    }
    return make_mapping(fields, checks=list(checks))


def test_require_when_rejects_exactly_the_rows_it_names() -> None:
    check = {
        "id": "CUS-V01",
        "when": {"field": "country", "equals": "FR"},
        "require": {"field": "tax_no", "is_null": False},
        "owner": "Finance",
    }
    out, _, ledger = run(
        [
            row(country="FR", tax_no="FR123"),
            row(country="FR", tax_no=None),
            row(country="DE", tax_no=None),
            row(country="FR", tax_no=" "),
        ],
        _with_checks(check),
    )
    reason = "tax_no must be filled when country is 'FR'"
    assert findings(ledger) == [
        ("K101", "CUS-V01", "tax_no", None, reason),
        ("K103", "CUS-V01", "tax_no", "*", reason),  # a blank, masked: tax_no is personal
    ]
    assert ledger.findings()["owner"].unique().tolist() == ["Finance"]
    assert out.index.tolist() == [100, 102]


def test_compare_dates_names_both_fields_and_values() -> None:
    check = {
        "id": "SOL-V01",
        "compare": {"field": "delivery_date", "op": ">=", "other": "order_date"},
        "severity": "reject",
    }
    out, _, ledger = run(
        [
            row(order_date="2024-03-01", delivery_date="2024-03-01"),
            row(order_date="2024-03-01", delivery_date="2024-02-29"),
            row(order_date="2024-03-01", delivery_date=None),
            row(order_date="2024-03-01", delivery_date="2024-13-01"),
        ],
        _with_checks(check),
    )
    assert findings(ledger) == [
        (
            "K101",
            "SOL-V01",
            "delivery_date+order_date",
            "2024-02-29 / 2024-03-01",
            "delivery_date must not be before order_date (found '2024-02-29 / 2024-03-01')",
        ),
        (
            "K103",
            "schema.delivery_date.type",
            "delivery_date",
            "2024-13-01",
            "delivery_date '2024-13-01' is not a date",
        ),
    ]
    assert out.index.tolist() == [100, 102]


def test_compare_with_a_constant_and_a_custom_reason_as_warning() -> None:
    check = {
        "id": "CUS-V02",
        "compare": {"field": "credit", "op": "<=", "value": 500},
        "severity": "warn",
        "reason": "credit above {value} needs approval by {the board}",
    }
    out, _, ledger = run([row(credit="400"), row(credit="600.5")], _with_checks(check))
    assert findings(ledger) == [
        ("K101", "CUS-V02", "credit", "600.5", "credit above 600.5 needs approval by {the board}")
    ]
    assert out.index.tolist() == [100, 101]


def test_personal_fields_are_masked_in_cross_field_findings() -> None:
    check = {"id": "V", "require": {"field": "tax_no", "matches": "[A-Z]{2}[0-9]+"}}
    _, _, ledger = run([row(tax_no="x12345")], _with_checks(check))
    assert findings(ledger) == [
        ("K100", "V", "tax_no", "x****5", "tax_no must match [A-Z]{2}[0-9]+ (found 'x****5')")
    ]
