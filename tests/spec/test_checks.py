"""Cross-file checks of rule steps: shapes of split/join steps, and the fields steps write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from migrate.errors import SpecError
from migrate.spec.loader import load_project
from migrate.spec.rules import Rules, Step


def _rules(project: Path, obj: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((project / f"rules/{obj}.yaml").read_text("utf-8"))
    return data


def _save(project: Path, obj: str, data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (project / f"rules/{obj}.yaml").write_text(text, encoding="utf-8")


def _add_steps(project: Path, obj: str, *steps: dict[str, Any]) -> int:
    """Append steps; return the index of the first one."""
    data = _rules(project, obj)
    first = len(data["steps"])
    data["steps"].extend(steps)
    _save(project, obj, data)
    return first


def _error(project: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        load_project(project)
    return caught.value


def test_fields_a_split_writes_are_known_to_later_steps_and_matching(project: Path) -> None:
    _add_steps(
        project,
        "customer",
        {
            "id": "X1",
            "op": "split",
            "fields": ["contact"],
            "into": ["surname", "given"],
            "args": {"pattern": r"^(\w)(\w+)$"},
            "severity": "warn",
        },
        {"id": "X2", "op": "pinyin_key", "fields": ["surname"], "into": "surname_key"},
    )
    data = _rules(project, "customer")
    data["match"]["compare"].append({"field": "surname_key", "method": "exact", "weight": 1})
    _save(project, "customer", data)
    loaded = load_project(project)
    assert loaded.objects["customer"].rules.steps[-2].writes() == ["surname", "given"]


def test_a_field_used_before_the_step_that_writes_it_is_unknown(project: Path) -> None:
    data = _rules(project, "customer")
    data["steps"].insert(0, {"id": "X0", "op": "trim", "fields": ["address"]})
    data["steps"].insert(0, {"id": "X9", "op": "trim", "fields": ["name_key"]})
    _save(project, "customer", data)
    error = _error(project)
    assert error.key_path == "steps[0].fields[0]" and "unknown field 'name_key'" in str(error)
    assert error.choices is not None and "address" in error.choices


def test_the_demo_join_writes_a_declared_target_field(project: Path) -> None:
    loaded = load_project(project)
    join = next(s for s in loaded.objects["customer"].rules.steps if s.op == "join")
    assert join.writes() == ["address"] and "address" in loaded.objects["customer"].mapping.fields


@pytest.mark.parametrize(
    ("step", "where", "message"),
    [
        (
            {"op": "split", "fields": ["street"], "into": "city", "args": {"separator": ","}},
            "into",
            "split needs 'into' as a list of at least two fields",
        ),
        (
            {"op": "split", "fields": ["street"], "args": {"separator": ","}},
            "",
            "split needs 'into' as a list of at least two fields",
        ),
        (
            {
                "op": "split",
                "fields": ["street"],
                "into": ["a", "b", "c"],
                "args": {"pattern": "(x)(y)"},
            },
            "into",
            "the pattern has 2 groups but 'into' lists 3 fields",
        ),
        (
            {"op": "join", "fields": ["street"], "into": "addr"},
            "into",
            "join joins at least two fields (got 1)",
        ),
        (
            {"op": "join", "fields": ["street", "city"]},
            "",
            "join needs 'into' as the one field to write",
        ),
        (
            {"op": "trim", "fields": ["street"], "into": ["a", "b"]},
            "into",
            "trim writes one field: give 'into' as a name, not a list",
        ),
        (
            {"op": "upper", "fields": ["street", "city"], "into": "both"},
            "into",
            "'into' needs exactly one field",
        ),
    ],
)
def test_steps_that_do_not_fit_their_op(
    project: Path, step: dict[str, Any], where: str, message: str
) -> None:
    index = _add_steps(project, "customer", {"id": "BAD", **step})
    error = _error(project)
    assert error.file == "rules/customer.yaml"
    assert error.key_path == f"steps[{index}]" + (f".{where}" if where else "")
    assert error.problem == message


def test_into_listing_a_field_twice_is_refused(project: Path) -> None:
    index = _add_steps(
        project,
        "customer",
        {
            "id": "BAD",
            "op": "split",
            "fields": ["street"],
            "into": ["a", "a"],
            "args": {"separator": ","},
        },
    )
    error = _error(project)
    assert error.key_path == f"steps[{index}].into"
    assert "'a' twice" in error.problem


def test_unknown_split_argument_lists_the_valid_ones(project: Path) -> None:
    index = _add_steps(
        project,
        "customer",
        {
            "id": "BAD",
            "op": "split",
            "fields": ["street"],
            "into": ["a", "b"],
            "args": {"sep": ","},
        },
    )
    error = _error(project)
    assert error.key_path == f"steps[{index}].args.sep"
    assert error.choices == ["pattern", "require_all", "separator", "strip"]


def test_step_reads_and_writes() -> None:
    step = Step.model_validate(
        {
            "id": "S",
            "op": "join",
            "fields": ["b", "a"],
            "into": "c",
            "when": {"all": [{"field": "z", "is_null": False}, {"field": "a", "equals": 1}]},
        }
    )
    assert step.reads() == ["b", "a", "z"] and step.writes() == ["c"]
    assert Step(id="T", op="trim", fields=["x", "y"]).writes() == ["x", "y"]
    with pytest.raises(ValueError, match="used twice"):
        Rules.model_validate(
            {"object": "o", "steps": [{"id": "A", "op": "trim", "fields": ["x"]}] * 2}
        )
