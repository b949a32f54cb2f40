"""``either_order_with`` in match and partner_of comparisons: what forms a pair, and the
errors (file, key path, valid choices) for what does not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from migrate.errors import SpecError
from migrate.spec.loader import load_project
from migrate.spec.match import (
    CROSSABLE_METHODS,
    Comparison,
    either_order_pairs,
    pairing_problem,
)

RULES = "rules/customer.yaml"


def _compare(project: Path, *changes: tuple[int, dict[str, Any]]) -> None:
    """Update comparisons of the customer match section (index -1 appends one)."""
    path = project / RULES
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    compare = data["match"]["compare"]  # name_pinyin, tax_id, phone, street, postal_code, city
    for index, change in changes:
        if index == -1:
            compare.append(change)
        else:
            compare[index].update(change)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def _error(project: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        load_project(project)
    return caught.value


def test_a_pair_of_text_comparisons_loads_and_reads_both_fields(project: Path) -> None:
    _compare(project, (0, {"either_order_with": "street"}))
    match = load_project(project).objects["customer"].rules.match
    assert match is not None
    assert match.compare[0].fields == ("name_pinyin", "street")
    assert either_order_pairs(match.compare) == [(0, 3)]


def test_declaring_the_pair_on_both_comparisons_is_one_pair(project: Path) -> None:
    _compare(
        project,
        (0, {"either_order_with": "street"}),
        (3, {"either_order_with": "name_pinyin"}),
    )
    match = load_project(project).objects["customer"].rules.match
    assert match is not None and either_order_pairs(match.compare) == [(0, 3)]


def test_an_unknown_field_lists_the_known_ones(project: Path) -> None:
    _compare(project, (0, {"either_order_with": "nickname"}))
    error = _error(project)
    assert (error.file, error.key_path) == (RULES, "match.compare[0].either_order_with")
    assert "unknown field 'nickname'" in error.problem
    assert error.choices is not None and "name_pinyin" in error.choices


def test_a_known_field_that_is_not_compared(project: Path) -> None:
    _compare(project, (0, {"either_order_with": "name_key"}))
    error = _error(project)
    assert error.key_path == "match.compare[0].either_order_with"
    assert error.problem == "'name_key' is not compared; pair with a compared field"
    assert error.choices is not None and "street" in error.choices
    assert "name_pinyin" not in error.choices


def test_pairing_with_itself(project: Path) -> None:
    _compare(project, (0, {"either_order_with": "name_pinyin"}))
    error = _error(project)
    assert error.key_path == "match.compare[0].either_order_with"
    assert error.problem == "a comparison cannot be paired with its own field"


def test_a_field_in_two_pairs(project: Path) -> None:
    _compare(
        project,
        (0, {"either_order_with": "street"}),
        (2, {"either_order_with": "street"}),
    )
    error = _error(project)
    assert error.key_path == "match.compare[2].either_order_with"
    assert error.problem == "'street' is already paired by compare[0]"


def test_a_comparison_in_two_pairs(project: Path) -> None:
    _compare(
        project,
        (0, {"either_order_with": "street"}),
        (3, {"either_order_with": "phone"}),
    )
    error = _error(project)
    assert error.key_path == "match.compare[3].either_order_with"
    assert "already paired by compare[0]" in error.problem


def test_a_partner_compared_twice_is_ambiguous(project: Path) -> None:
    _compare(
        project,
        (0, {"either_order_with": "street"}),
        (-1, {"field": "street", "method": "exact"}),
    )
    error = _error(project)
    assert error.key_path == "match.compare[0].either_order_with"
    assert error.problem == "'street' is compared more than once, so the pair is ambiguous"


@pytest.mark.parametrize("method", ["numeric", "date"])
@pytest.mark.parametrize("side", [0, 4])
def test_numbers_and_dates_cannot_cross(project: Path, method: str, side: int) -> None:
    _compare(project, (0, {"either_order_with": "postal_code"}), (side, {"method": method}))
    error = _error(project)
    assert error.key_path == "match.compare[0].either_order_with"
    name = "name_pinyin" if side == 0 else "postal_code"
    assert error.problem == f"{name!r} is compared by {method!r}, which cannot cross fields"
    assert error.choices == sorted(CROSSABLE_METHODS)


def test_exact_comparisons_may_cross(project: Path) -> None:
    _compare(project, (1, {"either_order_with": "postal_code"}))  # tax_id and postcode: exact
    match = load_project(project).objects["customer"].rules.match
    assert match is not None and either_order_pairs(match.compare) == [(1, 4)]


def test_partner_of_comparisons_are_checked_in_migration_yaml(project: Path) -> None:
    path = project / "migration.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    data["objects"]["material"]["partner_of"] = {
        "object": "customer",
        "blocking": [{"name": "name", "key": [{"field": "name"}]}],
        "compare": [
            {"field": "name", "method": "jaro_winkler"},
            {"field": "description", "either_order_with": "name_key"},
        ],
        "thresholds": {"auto_merge": 0.9, "review": 0.8},
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    error = _error(project)
    assert error.file == "migration.yaml"
    assert error.key_path == "objects.material.partner_of.compare[1].either_order_with"
    assert error.problem == "'name_key' is not compared; pair with a compared field"


def test_the_pairing_rules_without_a_project() -> None:
    first = Comparison(field="first_name", either_order_with="surname")
    assert pairing_problem([first, Comparison(field="surname")]) is None
    problem = pairing_problem([Comparison(field="surname"), first])
    assert problem is None
    assert either_order_pairs([Comparison(field="surname"), first]) == [(1, 0)]
    problem = pairing_problem([first])
    assert problem is not None and problem.index == 0
    with pytest.raises(ValueError, match=r"^compare\[0\]\.either_order_with: 'surname' is not"):
        either_order_pairs([first])
