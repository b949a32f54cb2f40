"""Declarative conditions compile to vectorised masks."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from migrate.spec.condition import Condition

FRAME = pd.DataFrame({"bu": ["1000", "2000", None, "3000"], "name": ["Acme", "acme", "Beta", None]})


def _mask(spec: dict) -> list[bool]:  # type: ignore[type-arg]
    return Condition.model_validate(spec).mask(FRAME).tolist()


def test_equals_in_matches_is_null() -> None:
    assert _mask({"field": "bu", "equals": "1000"}) == [True, False, False, False]
    assert _mask({"field": "bu", "in": ["2000", "3000"]}) == [False, True, False, True]
    assert _mask({"field": "name", "matches": "[Aa]cme"}) == [True, True, False, False]
    assert _mask({"field": "bu", "is_null": True}) == [False, False, True, False]


def test_numbers_compare_as_text() -> None:
    assert _mask({"field": "bu", "equals": 1000}) == [True, False, False, False]


def test_all_any_not() -> None:
    both = {"all": [{"field": "bu", "in": ["1000", "2000"]}, {"field": "name", "equals": "acme"}]}
    assert _mask(both) == [False, True, False, False]
    either = {"any": [{"field": "bu", "equals": "3000"}, {"field": "name", "equals": "Beta"}]}
    assert _mask(either) == [False, False, True, True]
    assert _mask({"not": {"field": "bu", "is_null": True}}) == [True, True, False, True]


def test_needs_exactly_one_operator() -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        Condition.model_validate({"field": "bu", "equals": "1", "in": ["2"]})
    with pytest.raises(ValidationError, match="needs a 'field'"):
        Condition.model_validate({"equals": "1"})


def test_fields_lists_every_field_read() -> None:
    spec = {"all": [{"field": "bu", "equals": "1"}, {"not": {"field": "name", "is_null": True}}]}
    assert Condition.model_validate(spec).fields() == {"bu", "name"}
