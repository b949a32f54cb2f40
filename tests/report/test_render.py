"""The run report: JSON that round-trips and matches its snapshot, and a safe HTML page."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from migrate.report.model import (
    NOT_RECONCILED,
    RECONCILED,
    ControlTotal,
    FunnelRow,
    ObjectReport,
    RunReport,
    status_of,
)
from migrate.report.render import report_html, report_json, write_html, write_json

SNAPSHOT = Path(__file__).parent / "snapshots" / "report.json"
UPDATE = os.environ.get("MIGRATE_UPDATE_SNAPSHOTS") == "1"


def test_json_round_trips(report: RunReport, tmp_path: Path) -> None:
    path = write_json(report, tmp_path / "report.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert RunReport.from_dict(data) == report
    assert data == json.loads(json.dumps(report.to_dict()))


def test_json_matches_the_snapshot(report: RunReport) -> None:
    text = report_json(report)
    if UPDATE:
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert SNAPSHOT.exists(), "no snapshot yet: run with MIGRATE_UPDATE_SNAPSHOTS=1"
    assert text == SNAPSHOT.read_text(encoding="utf-8")


def test_json_is_sorted_indented_utf8(report: RunReport, tmp_path: Path) -> None:
    raw = write_json(report, tmp_path / "r.json").read_bytes()
    text = raw.decode("utf-8")
    assert "Müller AG" in text and "\\u00fc" not in text
    assert text.startswith('{\n  "files": [')
    data = json.loads(text)
    assert list(data) == sorted(data)


def test_derived_figures_are_written_and_ignored_when_read(report: RunReport) -> None:
    data = report.to_dict()
    customer, order = data["objects"]
    assert [row["closes"] for row in customer["funnel"]] == [True, True]
    assert [total["closes"] for total in customer["control_totals"]] == [True, False]
    assert customer["closes"] is False and order["closes"] is False
    assert order["funnel"][0]["closes"] is False
    assert RunReport.from_dict(data).objects[1].funnel[0].unaccounted == 1


def test_status_of_objects() -> None:
    row = FunnelRow("ERP", 3, 1, 1, 1, 0, 0)
    assert status_of((ObjectReport("a", funnel=(row,)),)) == RECONCILED
    total = ControlTotal("amount", {}, 10.0, 9.0, 0.0, 0.0, 0.0, 1.0)
    off = ObjectReport("a", funnel=(row,), control_totals=(total,))
    assert status_of((off,)) == NOT_RECONCILED


def test_html_contains_the_figures(report: RunReport, tmp_path: Path) -> None:
    html = write_html(report, tmp_path / "report.html").read_text(encoding="utf-8")
    for text in [
        "Müller AG migration",
        "mueller-20260101T120000Z",
        "pilot_de",
        "not reconciled",
        "1,234,567",
        "1,200,000",
        "30,000",
        "4,000",
        "567",  # funnel
        "schema.name.length",
        "Sales Ops",
        "3,999",
        "name is 73 characters; the target allows 35",  # rules
        "country_codes",
        "Österreich",  # unmapped
        "currency = EUR",
        "1,000.00",
        "50.00",  # control totals
        "validate",
        "2.345 s",
        "rows_rejected: 4,007",  # stages
        "match.pairs",
        "420",
        "merge.merged_rows",
        "30,012",  # match figures
        "load/customer.csv",
        "ab" * 32,  # files
        "the funnel does not close: some rows have no fate",
    ]:
        assert text in html, text
    assert 'class="loaded" style="width: 97.2%"' in html  # ERP: 1,200,000 of 1,234,567


def test_html_highlights_what_does_not_close(report: RunReport) -> None:
    html = report_html(report)
    assert re.search(r'<td class="num bad">50\.00</td>', html)  # the USD difference
    assert re.search(r'<td class="num">0\.00</td>\s*</tr>', html)  # the EUR difference
    assert html.count('<tr class="bad">') == 1  # the sales_order funnel row
    assert "does not close" in html


def test_html_escapes_values(report: RunReport) -> None:
    html = report_html(report)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_is_self_contained(report: RunReport) -> None:
    html = report_html(report)
    assert "http://" not in html and "https://" not in html
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert "<style>" in html
