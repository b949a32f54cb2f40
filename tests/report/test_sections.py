"""The report sections a business owner reads: HTML, the Excel workbook, and masking."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import openpyxl
import pytest

from migrate.report.masking import mask_in_text, mask_reason
from migrate.report.model import RunReport
from migrate.report.render import funnel_steps, report_html
from migrate.report.xlsx import SECTIONS, write_xlsx
from tests.batches.tiny import make_project, run_cli


def test_html_has_every_section(report: RunReport) -> None:
    html = report_html(report)
    for text in [
        "Target load",
        "load: committed",
        "mueller-20260101T120000Z (pilot)",
        "postgresql+psycopg://loader@db.example:5432/erp",
        "Findings by owner",
        "(no owner)",
        "Loaded by earlier batches",
        "mueller-20251201T080000Z",
        "Duplicate clusters",
        "2 golden records were made from 5 legacy records",
        "CRM:A-17, ERP:0001, ERP:0099",
        "Data quality before and after",
        "97.5 %",  # name filled before: 117 of 120
        "(personal: counts only)",
        "Pulled in by the scope",
        "4711|10",
    ]:
        assert text in html, text


def test_owners_sum_findings_over_rules(report: RunReport) -> None:
    owners = report.objects[0].owners
    assert owners == [
        {"owner": "(no owner)", "severity": "reject", "count": 8},
        {"owner": "Sales Ops", "severity": "reject", "count": 3_999},
        {"owner": "Service", "severity": "warn", "count": 2},
    ]


def test_funnel_chart_steps_shrink_with_each_fate(report: RunReport) -> None:
    steps = funnel_steps(report.objects[0])
    assert [(s["label"], s["count"]) for s in steps] == [
        ("Extracted", 1_234_687),
        ("Passed the rules", 1_230_680),
        ("After merging duplicates", 1_200_668),
        ("Loaded in this batch", 1_200_100),
    ]
    assert steps[0]["width"] == 400 and steps[-1]["width"] < steps[-2]["width"]
    html = report_html(report)
    assert re.search(r'<rect class="loaded" x="190" y="\d+" width="388\.8"', html)


def test_workbook_has_a_sheet_per_section_and_is_reproducible(
    report: RunReport, tmp_path: Path
) -> None:
    first = write_xlsx(report, tmp_path / "a.xlsx")
    second = write_xlsx(report, tmp_path / "b.xlsx")
    assert (
        hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()
    )
    book = openpyxl.load_workbook(first)
    assert book.sheetnames == list(SECTIONS)
    funnel = list(book["Funnel"].values)
    assert funnel[0][:3] == ("object", "system", "extracted")
    assert funnel[2][:3] == ("customer", "ERP", 1_234_567)
    clusters = list(book["Duplicate clusters"].values)
    assert clusters[1] == ("customer", "C-0001", 3, "CRM:A-17, ERP:0001, ERP:0099")
    assert ("status", "not reconciled") in list(book["Summary"].values)


@pytest.mark.parametrize(
    ("reason", "value", "masked"),
    [
        ("value 'anna@example.com' appears 2 times", "anna@example.com", "a**************m"),
        ("phone '0138 000…' is not a phone number", "0138 0001 2345", "0*******…"),
    ],
)
def test_reasons_on_personal_fields_are_masked(reason: str, value: str, masked: str) -> None:
    text = mask_reason(reason, value)
    assert masked in text and value not in text
    assert mask_in_text("call 0138 or 0138", ["0138"]) == "call 0**8 or 0**8"


def test_personal_values_appear_in_no_report(tmp_path: Path) -> None:
    project = make_project(tmp_path / "tiny")
    rules = project / "rules/customer.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8")
        + "  - {id: CUS-DUP, op: flag_duplicates, fields: [email], severity: warn}\n",
        encoding="utf-8",
    )
    data = project / "data/customers.csv"
    data.write_text(
        data.read_text(encoding="utf-8").replace("person3@example.com", "person1@example.com"),
        encoding="utf-8",
    )
    out = project / "out"
    result = run_cli("run", "--project", str(project), "--all", "--quiet", "--out", str(out))
    assert result.exit_code == 0, result.output

    report = json.loads((out / "report/report.json").read_text(encoding="utf-8"))
    rules_found = {r["rule"]: r for o in report["objects"] for r in o["rejects_by_rule"]}
    assert rules_found["CUS-DUP"]["example_reason"] == (
        "email: value 'p*****************m' appears 2 times"
    )
    for path in (out / "report").glob("report.*"):
        assert b"person1@example.com" not in path.read_bytes(), path
    assert "person1@example.com" not in result.output
