"""Plain words for conditions, op arguments, constraints, matching and survivorship."""

from __future__ import annotations

from typing import Any

import pytest

from migrate.rulebook import words
from migrate.spec.condition import Condition
from migrate.spec.mapping import FieldSource, TargetField
from migrate.spec.match import MatchSpec, MergeSpec
from migrate.spec.rules import Step


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        ({"field": "country", "equals": "CN"}, "country is 'CN'"),
        ({"field": "bu", "in": [1000, "2000"]}, "bu is one of '1000', '2000'"),
        ({"field": "tax_id", "is_null": True}, "tax_id is empty"),
        ({"field": "tax_id", "is_null": False}, "tax_id is filled"),
        ({"field": "name", "matches": "^A.*"}, "name matches the pattern ^A.*"),
        (
            {"all": [{"field": "a", "equals": 1}, {"not": {"field": "b", "is_null": True}}]},
            "(a is '1' and not b is empty)",
        ),
        (
            {"any": [{"field": "a", "equals": "x"}, {"field": "b", "equals": "y"}]},
            "(a is 'x' or b is 'y')",
        ),
    ],
)
def test_conditions_in_words(spec: dict[str, Any], text: str) -> None:
    assert words.condition(Condition.model_validate(spec)) == text


def test_op_arguments_in_words() -> None:
    args = {
        "category_field": "material_type",
        "prefixes": {"FERT": "FG", "ROH": "RM"},
        "uppercase": False,
        "separator": " ",
        "digits": 6,
    }
    assert words.args(args) == (
        "category field: material_type; prefixes: FERT → FG, ROH → RM; uppercase: no; "
        "separator: ' '; digits: 6"
    )


def test_a_step_in_words_names_the_op_args_and_output() -> None:
    step = Step(id="S", op="split", fields=["a"], into=["b", "c"], args={"separator": ","})
    assert (
        words.step(step, "Split one field.") == "split: Split one field (separator: ,); writes b, c"
    )
    assert words.step(Step(id="T", op="trim", fields=["a"]), "Trim.") == "trim: Trim"


def test_constraints_and_target_checks() -> None:
    field = TargetField.model_validate(
        {"type": "decimal", "required": True, "min": 0, "max": 1e6, "precision": 9, "scale": 2}
    )
    assert words.constraints(field) == (
        "number, at most 9 digits, 2 after the point, required, at least 0, at most 1e+06"
    )
    assert words.target_check("range", field, ("x",)) == "must be from 0 to 1e+06"
    assert words.target_check("unique", None, ("a", "b")) == "a and b together must be unique"


def test_sources_in_words() -> None:
    assert words.source(FieldSource(column="LAND1", map="country")) == (
        "column LAND1, translated by value map country"
    )
    assert words.source(FieldSource(const="CN")) == "always 'CN'"
    assert words.source(FieldSource(column="N", default="-")) == "column N; '-' where empty"
    assert words.source(None, ["CUS-021"]) == "not mapped; written by rule CUS-021"
    assert words.source(None) == "not filled by this source"


def test_matching_and_merging_in_words() -> None:
    match = MatchSpec.model_validate(
        {
            "blocking": [
                {"name": "tax", "key": [{"field": "tax_id"}]},
                {
                    "name": "names",
                    "key": [{"field": "name_key", "transform": "prefix", "length": 3}],
                    "window": 5,
                },
            ],
            "compare": [{"field": "name_key", "method": "jaro_winkler", "weight": 3}],
            "thresholds": {"auto_merge": 0.9, "review": 0.7},
        }
    )
    lines = words.matching(match)
    assert lines[0] == "Blocking pass tax: pairs records with the same tax_id."
    assert "within 5 places" in lines[1] and "the first 3 characters of name_key" in lines[1]
    assert "name_key by Jaro-Winkler name similarity (weight 3)" in lines[2]
    assert lines[3].startswith("Pairs scoring 0.9 or more merge automatically")
    merge = MergeSpec.model_validate(
        {
            "survivor": {"rule": "source_priority", "order": ["ERP", "CRM"]},
            "fields": {"phone": {"rule": "most_recent", "by": "changed_on"}},
        }
    )
    lines = words.merging(merge)
    assert (
        "the record from the system first in priority; systems in the order ERP, then CRM"
        in (lines[0])
    )
    assert lines[-1] == "phone: the most recent value (by changed_on)."


def test_on_failure_and_value_map_policy() -> None:
    assert words.on_failure("reject", False) == "never fails"
    assert words.on_failure("reject", True) == "row rejected"
    assert words.on_failure("warn", True) == "warning, row kept"
    assert words.policy("default:PC") == "a value not in the map becomes 'PC'"
    assert words.policy("keep") == "a value not in the map is kept as it is"


def test_an_either_order_pair_in_words() -> None:
    match = MatchSpec.model_validate(
        {
            "blocking": [{"name": "dob", "key": [{"field": "dob"}]}],
            "compare": [
                {"field": "first_name", "either_order_with": "surname"},
                {"field": "surname", "method": "levenshtein"},
            ],
            "thresholds": {"auto_merge": 0.9, "review": 0.7},
        }
    )
    scored = words.matching(match)[1]
    assert (
        "first_name by Jaro-Winkler name similarity (weight 1), in either order with surname"
        in (scored)
    )
    assert "surname by" in scored and "in either order with first_name" not in scored
