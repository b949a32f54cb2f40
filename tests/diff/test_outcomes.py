"""Fate changes between two ledgers: each kind, grouped by rule, with masked examples."""

from __future__ import annotations

import pandas as pd

from migrate.diff.outcomes import fate_changes, joined, mask_reason

COLUMNS = ["object", "_system", "_key", "fate", "rule", "reason", "target_key"]


def _ledger(rows: list[tuple[str, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["_n"] = frame.groupby(["object", "_system", "_key"]).cumcount()
    return frame


OLD = _ledger(
    [
        ("c", "ERP", "1", "loaded", "", "", "1"),
        ("c", "ERP", "2", "rejected", "R-1", "phone '13812345678' invalid", ""),
        ("c", "ERP", "3", "merged", "", "", "9"),
        ("c", "ERP", "4", "loaded", "", "", "4"),
        ("c", "ERP", "5", "rejected", "R-1", "bad", ""),
        ("c", "ERP", "6", "merged", "", "", "8"),
        ("c", "ERP", "7", "loaded", "", "", "7"),
        ("c", "ERP", "7", "loaded", "", "", "7b"),
        ("c", "CRM", "old-only", "loaded", "", "", "x"),
    ]
)
NEW = _ledger(
    [
        ("c", "ERP", "1", "rejected", "R-2", "email 'a@b.cn' invalid", ""),
        ("c", "ERP", "2", "loaded", "", "", "2"),
        ("c", "ERP", "3", "loaded", "", "", "3"),
        ("c", "ERP", "4", "merged", "", "", "1"),
        ("c", "ERP", "5", "rejected", "R-3", "worse", ""),
        ("c", "ERP", "6", "merged", "", "", "5"),
        ("c", "ERP", "7", "loaded", "", "", "7"),
        ("c", "ERP", "7", "out_of_scope", "", "", ""),
        ("c", "CRM", "new-only", "loaded", "", "", "y"),
    ]
)


def test_every_kind_of_change_is_found_once() -> None:
    found = fate_changes(joined(OLD, NEW), {"c": {"phone", "email"}})
    summary = [(c.kind, c.rule, c.count, [e.key for e in c.examples]) for c in found]
    assert summary == [
        ("only in the old run", "loaded", 1, ["old-only"]),
        ("only in the new run", "loaded", 1, ["new-only"]),
        ("newly rejected", "R-2", 1, ["1"]),
        ("no longer rejected", "R-1", 1, ["2"]),
        ("rejected by another rule", "R-1 -> R-3", 1, ["5"]),
        ("newly merged", "loaded -> merged", 1, ["4"]),
        ("no longer merged", "merged -> loaded", 1, ["3"]),
        ("merged into another record", "merge", 1, ["6"]),
        ("other fate change", "loaded -> out_of_scope", 1, ["7"]),
    ]


def test_examples_describe_both_sides_with_personal_values_masked() -> None:
    found = {c.kind: c.examples[0] for c in fate_changes(joined(OLD, NEW), {"c": {"email"}})}
    assert found["newly rejected"].old == "loaded"
    assert found["newly rejected"].new == "rejected by R-2: email 'a****n' invalid"
    assert found["no longer rejected"].old == "rejected by R-1: phone '13812345678' invalid"
    assert found["merged into another record"].new == "merged into 5"
    assert found["only in the old run"].new == "(not in this run)"


def test_mask_reason_only_touches_reasons_about_personal_fields() -> None:
    assert mask_reason("tax_id 'X1' bad", {"phone"}) == "tax_id 'X1' bad"
    assert (
        mask_reason("phone: '010-6552' is not valid", {"phone"}) == "phone: '0******2' is not valid"
    )


def test_unchanged_rows_make_no_change() -> None:
    assert fate_changes(joined(OLD, OLD), {}) == []
