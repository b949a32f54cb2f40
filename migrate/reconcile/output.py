"""Writing a reconciliation: JSON (for tools), HTML (for people), a workbook and a CSV of
every difference (personal values already masked in the report)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from migrate.reconcile.model import ReconcileReport
from migrate.report.render import render_template
from migrate.report.schema import RECONCILE_REPORT, write_schema
from migrate.report.workbook import write_workbook

TEMPLATE = "reconcile.html.j2"
DIFFERENCE_COLUMNS = ["object", "key", "problem", "column", "expected", "actual", "detail"]


def reconcile_json(report: ReconcileReport) -> str:
    """The report as JSON text: sorted keys, indented, non-ASCII kept."""
    return json.dumps(report.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def reconcile_html(report: ReconcileReport) -> str:
    """The report as one self-contained HTML page."""
    return render_template(TEMPLATE, report=report)


def differences(report: ReconcileReport) -> pd.DataFrame:
    """Every key and field difference, one per line."""
    rows: list[dict[str, str | None]] = [
        {"object": d.object, "key": d.key, "problem": d.problem, "detail": d.detail}
        for d in report.keys
    ]
    rows += [
        {
            "object": d.object,
            "key": d.key,
            "problem": "value differs",
            "column": d.column,
            "expected": d.expected,
            "actual": d.actual,
        }
        for d in report.fields
    ]
    return pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)


def sections(report: ReconcileReport) -> dict[str, pd.DataFrame]:
    """The workbook's sheets."""

    def table(items: tuple[object, ...]) -> pd.DataFrame:
        return pd.DataFrame([item.to_dict() for item in items])  # type: ignore[attr-defined]

    summary = pd.DataFrame(
        [
            ("project", report.project),
            ("run", report.run_id),
            ("scope", report.scope or "everything"),
            ("target", report.target),
            ("batch", report.batch or ""),
            ("checked", report.checked),
            ("status", report.status),
            *(("message", m) for m in report.messages),
        ],
        columns=["item", "value"],
    )
    totals = table(report.totals)
    if not totals.empty:
        totals["group"] = [
            ", ".join(f"{k} = {v}" for k, v in sorted(t.group.items())) for t in report.totals
        ]
    return {
        "Summary": summary,
        "Funnel": table(report.funnel),
        "Rejected by rule": table(report.rules),
        "Control totals": totals,
        "Objects": table(report.objects),
        "Differences": differences(report),
    }


def write_reconcile(report: ReconcileReport, folder: Path) -> list[Path]:
    """Write reconcile.json, .html, .xlsx and reconcile_differences.csv into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / name for name in ("reconcile.json", "reconcile.html")]
    paths[0].write_text(reconcile_json(report), encoding="utf-8")
    paths[1].write_text(reconcile_html(report), encoding="utf-8")
    paths.append(write_workbook(sections(report), folder / "reconcile.xlsx"))
    paths.append(write_schema(RECONCILE_REPORT, folder / "reconcile.schema.json"))
    csv = folder / "reconcile_differences.csv"
    differences(report).to_csv(csv, index=False, lineterminator="\n")
    paths.append(csv)
    return paths
