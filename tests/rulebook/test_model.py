"""The rule book's data: every field with its sources and every rule touching it."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.rulebook.model import RuleBook, build
from migrate.rulebook.render import anchor, code, md, render
from migrate.spec.loader import load_project

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return build(load_project(ROOT))


def _field(book: RuleBook, obj: str, name: str):  # type: ignore[no-untyped-def]
    entry = next(o for o in book.objects if o.name == obj)
    return next(f for f in entry.fields if f.name == name)


def test_every_target_field_of_every_object_is_in_the_book(book: RuleBook) -> None:
    project = load_project(ROOT)
    assert [o.name for o in book.objects] == list(project.objects)
    for obj in book.objects:
        assert [f.name for f in obj.fields] == list(project.objects[obj.name].mapping.fields)


def test_a_field_lists_its_sources_and_all_rules_touching_it(book: RuleBook) -> None:
    tax = _field(book, "customer", "tax_id")
    assert dict(tax.sources) == {
        "erp_customers": "column STCD5",
        "crm_accounts": "column Credit Code",
    }
    rules = {r.rule: r for r in tax.rules}
    assert list(rules)[:4] == ["CUS-001", "CUS-002", "CUS-004", "CUS-010"]
    assert rules["CUS-010"].rows == "country is 'CN'" and rules["CUS-010"].owner == "Finance"
    assert rules["CUS-010"].on_failure == "row rejected"
    assert "schema.tax_id.length" in rules and "CUS-V01" in rules
    assert rules["CUS-V01"].kind == "cross-field check"


def test_value_maps_steps_reading_a_field_and_split_outputs(book: RuleBook) -> None:
    country = _field(book, "customer", "country")
    assert country.rules[0].rule == "CUS-M02" and country.rules[0].kind == "value map"
    assert "CUS-010" in {r.rule for r in country.rules}  # read by its `when` condition
    drawing = _field(book, "material", "drawing_number")
    assert drawing.rules[0].rule == "MAT-003"
    assert dict(drawing.sources)["erp_materials"] == "not mapped; written by rule MAT-003"


def test_personal_fields_value_maps_and_working_fields(book: RuleBook) -> None:
    assert _field(book, "customer", "phone").personal
    assert not _field(book, "customer", "name").personal
    material = next(o for o in book.objects if o.name == "material")
    unit = next(m for m in material.value_maps if m.name == "unit")
    assert (
        unit.rule == "MAT-M01" and unit.owner == "Supply Chain" and unit.origin == "file units.csv"
    )
    assert ("千克", "KG") in unit.entries and unit.used_by == ("base_unit",)
    assert material.working_fields == (("description_key", "MAT-030"),)


def test_signoff_lists_each_owner_with_their_rules_and_fields(book: RuleBook) -> None:
    rows = {row.owner: row for row in book.signoff}
    assert "CUS-010" in rows["Finance"].rules and "customer.tax_id" in rows["Finance"].fields
    assert "MAT-003" in rows["Engineering"].rules
    every_rule = {rule for row in book.signoff for rule in row.rules}
    for obj in book.objects:
        assert {s.line.rule for s in obj.steps} <= every_rule


def test_book_is_plain_data_and_renders_the_same_twice(book: RuleBook) -> None:
    data = book.to_dict()
    assert data["project"] == "demo" and data["objects"][0]["fields"][0]["name"] == "customer_id"
    assert render(book, "rulebook.md") == render(book, "rulebook.md")
    assert render(book, "rulebook.html").startswith("<!DOCTYPE html>")


def test_markdown_filters() -> None:
    assert md("a | b\nc <x> & *y* [z] #1") == "a \\| b c &lt;x&gt; &amp; \\*y\\* \\[z\\] \\#1"
    assert md("name_key _x_") == "name_key \\_x\\_"
    assert code("a`b|c") == "`a'b\\|c`" and code("") == ""
    assert anchor("Sales Order_line!") == "sales-order_line"
