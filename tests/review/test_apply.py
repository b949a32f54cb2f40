"""Applying a filled-in review workbook: checks, stored decisions, and their effect."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from migrate.review.apply import ReviewFileError, apply_workbook
from migrate.review.decisions import read_decisions
from tests.review.helpers import fill, project, run_match

BOOK = "out/review/customer_review.xlsx"
NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def _apply(tmp_path: Path, partial: bool = False):  # type: ignore[no-untyped-def]
    return apply_workbook(tmp_path / BOOK, project(tmp_path), "li.wei", partial=partial, now=NOW)


def test_decisions_are_stored_in_the_project_with_what_was_seen(tmp_path: Path) -> None:
    run_match(tmp_path / "out")
    fill(tmp_path / BOOK, "review", {"0-2": "no-match", "1-2": "Match"})
    fill(tmp_path / BOOK, "merged", {"3-4": "no-match"})
    applied = _apply(tmp_path)
    assert (applied.added, applied.replaced) == (3, 0)
    assert applied.verdicts == {"match": 1, "no-match": 2}
    stored = read_decisions(tmp_path / "decisions/customer.csv")
    assert stored[["system_a", "key_a", "system_b", "key_b", "decision"]].to_numpy().tolist() == [
        ["CRM", "CRM-1", "CRM", "CRM-2", "match"],
        ["CRM", "CRM-2", "ERP", "ERP-0", "no-match"],  # smaller (system, key) first
        ["CRM", "CRM-4", "ERP", "ERP-3", "no-match"],
    ]
    row = stored.iloc[1]
    assert (row["reviewer"], row["decided_at"], row["run_id"]) == (
        "li.wei",
        NOW.isoformat(),
        "test",
    )
    assert json.loads(row["values_b"]) == {
        "city": "Shanghai",
        "name": "Acme Trading Ltd",
        "phone": "0211234567",
    }
    assert json.loads(row["values_a"])["name"] == "Acme Trading"


def test_a_later_decision_replaces_the_earlier_one(tmp_path: Path) -> None:
    run_match(tmp_path / "out")
    fill(tmp_path / BOOK, "review", {"0-2": "no-match", "1-2": "no-match"})
    _apply(tmp_path)
    fill(tmp_path / BOOK, "review", {"0-2": "match"})
    applied = _apply(tmp_path)
    assert (applied.added, applied.replaced) == (0, 2)
    stored = read_decisions(tmp_path / "decisions/customer.csv")
    assert stored["decision"].tolist() == ["no-match", "match"]


def test_every_problem_is_reported_by_row_and_nothing_is_stored(tmp_path: Path) -> None:
    run_match(tmp_path / "out")
    fill(tmp_path / BOOK, "review", {"0-2": "maybe"}, edits={("1-2", "name_b"): "Acme Trading Co"})
    fill(tmp_path / BOOK, "merged", {}, edits={("0-1", "pair_id"): "9-9"})
    with pytest.raises(ReviewFileError) as caught:
        _apply(tmp_path)
    problems = caught.value.problems
    assert "review row 2 (pair 0-2): decision 'maybe' is not one of match, no-match" in problems
    assert any(p.startswith("review row 3 (pair 1-2): name_b was changed") for p in problems)
    assert "merged row 3: unknown pair id '9-9'" in problems
    assert caught.value.exit_code == 2
    assert not (tmp_path / "decisions").exists()


def test_missing_decisions_on_the_review_sheet(tmp_path: Path) -> None:
    run_match(tmp_path / "out")
    fill(tmp_path / BOOK, "review", {"0-2": "no-match"})
    with pytest.raises(ReviewFileError, match=r"review row 3 \(pair 1-2\): no decision"):
        _apply(tmp_path)
    applied = _apply(tmp_path, partial=True)
    assert (applied.added, applied.undecided) == (1, 3)  # 1-2 and both merged pairs left


def test_not_a_review_workbook(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(path, index=False)
    with pytest.raises(ReviewFileError, match="not a migrate review workbook"):
        apply_workbook(path, project(tmp_path), "x")


def test_decisions_win_over_scores_and_are_not_asked_again(tmp_path: Path) -> None:
    clustered, _, _ = run_match(tmp_path / "out")
    assert clustered["_cluster"].tolist() == [0, 0, 2, 3, 3, 5]
    fill(tmp_path / BOOK, "review", {"0-2": "match", "1-2": "match"})
    fill(tmp_path / BOOK, "merged", {"3-4": "no-match"})
    _apply(tmp_path)
    decisions = read_decisions(tmp_path / "decisions/customer.csv")
    clustered, result, ctx = run_match(tmp_path / "again", {"decisions:customer": decisions})
    # below auto_merge but decided match: merged; above auto_merge but no-match: split
    assert clustered["_cluster"].tolist() == [0, 0, 0, 3, 4, 5]
    pairs = ctx.extras["pairs:customer"].set_index(["rid_a", "rid_b"])
    assert pairs.loc[(0, 2), "decision"] == "match" and pairs.loc[(0, 2), "reviewed"] == "match"
    assert pairs.loc[(3, 4), "decision"] == "distinct"
    review = pd.read_csv(tmp_path / "again/review/customer_review.csv", dtype=str)
    assert review.empty  # nothing is asked twice
    assert result.metrics["decisions"]["applied"] == 3
    assert result.metrics["decisions"]["candidates_decided_against_score"] == 1


def test_no_match_also_blocks_a_chain_through_other_records(tmp_path: Path) -> None:
    decisions = pd.DataFrame(
        {
            "system_a": ["CRM"],
            "key_a": ["CRM-1"],
            "system_b": ["ERP"],
            "key_b": ["ERP-0"],
            "decision": ["no-match"],
        }
    )
    extra = pd.DataFrame(
        {
            "system_a": ["CRM", "CRM"],
            "key_a": ["CRM-2", "CRM-1"],
            "system_b": ["ERP", "CRM"],
            "key_b": ["ERP-0", "CRM-2"],
            "decision": ["match", "match"],
        }
    )
    clustered, result, _ = run_match(
        tmp_path, {"decisions:customer": pd.concat([decisions, extra])}
    )
    # 0~2 and 1~2 decided match would chain 0 and 1, which a reviewer kept apart
    clusters = clustered["_cluster"].tolist()
    assert clusters[0] != clusters[1]
    assert result.metrics["decisions"]["pairs_kept_apart"] >= 1
