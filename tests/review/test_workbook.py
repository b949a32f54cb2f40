"""The review workbook a run writes: sheets, values, drop-down, hidden pair list."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from migrate.review.workbook import read_workbook
from tests.review.helpers import run_match

BOOK = "review/customer_review.xlsx"


def test_review_and_merged_sheets_side_by_side(tmp_path: Path) -> None:
    run_match(tmp_path)
    book = read_workbook(tmp_path / BOOK)
    assert book.meta == {"format": "migrate-review/1", "object": "customer", "run_id": "test"}
    review, merged = book.sheets["review"], book.sheets["merged"]
    assert review["pair_id"].tolist() == ["0-2", "1-2"]
    assert merged["pair_id"].tolist() == ["3-4", "0-1"]  # weakest merge first
    first = review.iloc[0]
    assert (first["system_a"], first["key_a"], first["system_b"], first["key_b"]) == (
        "ERP",
        "ERP-0",
        "CRM",
        "CRM-2",
    )
    assert (first["name_a"], first["name_b"]) == ("Acme Trading Ltd", "Acme Trading")
    for column in ("name_sim", "name_contrib", "phone_sim", "score", "decision", "comment"):
        assert column in review.columns
    assert merged.set_index("pair_id").loc["3-4", "city_b"] == "=SUM(A1)"  # text, not a formula
    assert set(book.pairs["sheet"]) == {"review", "merged"} and len(book.pairs) == 4


def test_decision_cells_have_a_match_no_match_drop_down(tmp_path: Path) -> None:
    run_match(tmp_path)
    book = load_workbook(tmp_path / BOOK)
    for sheet in ("review", "merged"):
        rules = book[sheet].data_validations.dataValidation
        assert len(rules) == 1 and rules[0].type == "list"
        assert rules[0].formula1 == '"match,no-match"'
    assert book["_pairs"].sheet_state == "veryHidden"
    assert book["_meta"].sheet_state == "veryHidden"


def test_csv_keeps_the_review_pairs(tmp_path: Path) -> None:
    run_match(tmp_path)
    text = (tmp_path / "review/customer_review.csv").read_text("utf-8")
    assert text.splitlines()[0].endswith("score,passes,same_cluster,note,decision")
    assert len(text.splitlines()) == 3
