"""Which cluster keeps which registered golden key."""

from __future__ import annotations

import numpy as np

from migrate.matching.keys import plan_keys

NONE = None


def _plan(clusters: list[int], own: list[str], registered: list[str | None]):  # type: ignore[no-untyped-def]
    return plan_keys(
        np.array(clusters), np.array(own, dtype=object), np.array(registered, dtype=object)
    )


def test_cluster_keeps_its_registered_key_even_when_a_new_record_joins() -> None:
    plan = _plan([0, 0, 0], ["C1", "E9", "C2"], ["C1", NONE, "C1"])
    assert plan.keys.to_dict() == {0: "C1"}
    assert plan.split == [] and plan.retired == []


def test_unregistered_cluster_has_no_registered_key() -> None:
    plan = _plan([0, 0, 2], ["A", "B", "C"], [NONE, NONE, NONE])
    assert plan.keys.empty


def test_split_key_stays_with_its_owner() -> None:
    # A and B were loaded under A's key; a reviewer split them: B is cut loose.
    plan = _plan([0, 1], ["A", "B"], ["A", "A"])
    assert plan.keys.to_dict() == {0: "A"}
    assert plan.split_count == 1
    assert plan.split == [{"golden_key": "A", "records_split_off": 1, "now_under": None}]


def test_without_the_owner_the_larger_part_keeps_the_key() -> None:
    plan = _plan([0, 1, 1], ["X", "Y", "Z"], ["A", "A", "A"])
    assert plan.keys.to_dict() == {1: "A"}


def test_reviewer_merge_of_two_keys_keeps_the_owners_key_and_retires_the_other() -> None:
    plan = _plan([0, 0, 0], ["A", "B", "Q"], ["A", "B", "B"])
    assert plan.keys.to_dict() == {0: "B"}  # B has more records; both owners present
    assert plan.retired == [{"golden_key": "A", "merged_into": "B", "records": 1}]
