"""The rejects workbook: a summary by rule and owner, a filterable sheet per object."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from migrate.report import rejects_xlsx
from migrate.report.rejects import REJECT_COLUMNS, reject_tables, write_rejects
from migrate.report.rejects_xlsx import SUMMARY_COLUMNS, summary_table, write_rejects_workbook
from tests.report.test_rejects import ledger_with_findings


def sheet_rows(path: Path, name: str) -> list[list[object]]:
    book = openpyxl.load_workbook(path, read_only=False)
    return [list(row) for row in book[name].iter_rows(values_only=True)]


def test_a_summary_sheet_then_a_sheet_per_object(tmp_path: Path) -> None:
    paths = write_rejects(ledger_with_findings().findings(), tmp_path, {"tax_id"})
    book = openpyxl.load_workbook(paths[-1])
    assert book.sheetnames == ["summary", "customer", "order"]
    customer = sheet_rows(paths[-1], "customer")
    assert customer[0] == REJECT_COLUMNS
    csv = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    as_text = [["" if v is None else str(v) for v in row] for row in customer[1:]]
    assert as_text == csv.values.tolist()
    assert customer[1][REJECT_COLUMNS.index("value")] == "D**********0"  # masked as in the CSV
    sheet = book["customer"]
    assert sheet.auto_filter.ref == "A1:K5" and sheet.freeze_panes == "A2"


def test_summary_counts_findings_and_rows_by_rule_and_owner(tmp_path: Path) -> None:
    path = write_rejects(ledger_with_findings().findings(), tmp_path, set())[-1]
    rows = sheet_rows(path, "summary")
    assert rows[0] == SUMMARY_COLUMNS
    assert rows[1:] == [
        ["customer", "phone.format", "warn", None, "phone", 1, 1, "odd phone"],
        ["customer", "schema.name.length", "reject", None, "name", 2, 2, "name is too long"],
        [
            "customer",
            "schema.tax_id.pattern",
            "reject",
            "Finance",
            "tax_id",
            1,
            1,
            "tax_id has the wrong format",
        ],
        ["order", "link.customer", "reject", None, "customer", 1, 1, "unknown customer"],
    ]
    assert openpyxl.load_workbook(path)["summary"].auto_filter.ref == "A1:H5"


def test_rows_with_several_findings_of_a_rule_count_once() -> None:
    table = pd.DataFrame(
        {
            "system": ["ERP", "ERP", "CRM"],
            "legacy_key": ["1", "1", "1"],
            "rule": "R",
            "severity": "reject",
            "owner": "O",
            "field": "f",
            "reason": ["a", "b", "c"],
        }
    )
    summary = summary_table({"customer": table})
    assert summary[["findings", "rows", "example_reason"]].values.tolist() == [[3, 2, "a"]]


def test_values_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    findings = ledger_with_findings().findings()
    findings.loc[0, "value"] = '=HYPERLINK("http://x","click")'
    findings.loc[1, "value"] = "0012"
    path = write_rejects_workbook(reject_tables(findings, set()), tmp_path / "r.xlsx")
    values = [row[REJECT_COLUMNS.index("value")] for row in sheet_rows(path, "customer")[1:]]
    assert '=HYPERLINK("http://x","click")' in values and "0012" in values


def test_no_findings_still_gives_a_summary_sheet(tmp_path: Path) -> None:
    path = write_rejects_workbook({}, tmp_path / "r.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == ["summary"]
    assert sheet_rows(path, "summary") == [SUMMARY_COLUMNS]


def test_an_object_larger_than_a_sheet_continues_on_more_sheets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rejects_xlsx, "MAX_SHEET_ROWS", 2)
    tables = reject_tables(ledger_with_findings().findings(), set())
    path = write_rejects_workbook(tables, tmp_path / "r.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == [
        "summary",
        "customer",
        "customer (2)",
        "order",
    ]
    assert len(sheet_rows(path, "customer")) == 3 and len(sheet_rows(path, "customer (2)")) == 3


def test_a_capped_sheet_shows_the_first_rows_and_says_the_csv_holds_all(tmp_path: Path) -> None:
    paths = write_rejects(ledger_with_findings().findings(), tmp_path, set(), max_sheet_rows=2)
    csv = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    assert len(csv) == 4  # the CSV keeps every finding
    customer = sheet_rows(paths[-1], "customer")
    as_text = [["" if v is None else str(v) for v in row] for row in customer[1:3]]
    assert as_text == csv.values.tolist()[:2]  # the first rows, in the CSV's order
    note = (
        "customer: 2 of 4 findings are left out of this workbook (the sheet shows the "
        "first 2); customer.csv next to it holds all 4."
    )
    assert customer[3:] == [[None] * len(REJECT_COLUMNS), [note] + [None] * 10]
    assert openpyxl.load_workbook(paths[-1])["customer"].auto_filter.ref == "A1:K3"
    assert len(sheet_rows(paths[-1], "order")) == 2  # one finding: nothing left out

    summary = sheet_rows(paths[-1], "summary")
    assert sum(row[SUMMARY_COLUMNS.index("findings")] for row in summary[1:4]) == 4
    assert summary[5:] == [[None] * len(SUMMARY_COLUMNS), [note] + [None] * 7]


def test_an_uncapped_workbook_shows_every_finding(tmp_path: Path) -> None:
    findings = ledger_with_findings().findings()
    paths = write_rejects(findings, tmp_path, set(), max_sheet_rows=None)
    csv = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    customer = sheet_rows(paths[-1], "customer")
    assert [["" if v is None else str(v) for v in row] for row in customer[1:]] == (
        csv.values.tolist()
    )
    assert len(sheet_rows(paths[-1], "summary")) == 5  # the table only, no notes


def test_the_default_cap_is_large() -> None:
    assert rejects_xlsx.MAX_OBJECT_ROWS == 25_000
    defaults = write_rejects.__kwdefaults__ or {}
    assert defaults["max_sheet_rows"] == rejects_xlsx.MAX_OBJECT_ROWS
