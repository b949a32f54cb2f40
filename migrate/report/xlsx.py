"""The run report as an Excel workbook: a sheet per section of the HTML page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from migrate.report.model import RunReport
from migrate.report.workbook import write_workbook


def _summary(report: RunReport) -> pd.DataFrame:
    rows = [
        ("project", report.project),
        ("run", report.run_id),
        ("scope", report.scope or "everything"),
        ("status", report.status),
        ("started", report.started),
        ("finished", report.finished),
    ]
    load = report.target_load
    if load is not None:
        rows += [("target", load.target), ("target load", f"{load.mode}: {load.status}")]
        rows += [("batch", load.batch or "")]
    rows += [("message", message) for message in report.messages]
    return pd.DataFrame(rows, columns=["item", "value"])


def _funnel(report: RunReport) -> pd.DataFrame:
    return pd.DataFrame(
        [{"object": o.name, **row.to_dict()} for o in report.objects for row in o.funnel]
    )


def _rules(report: RunReport) -> pd.DataFrame:
    return pd.DataFrame(
        [{"object": o.name, **rule.to_dict()} for o in report.objects for rule in o.rejects_by_rule]
    )


def _owners(report: RunReport) -> pd.DataFrame:
    return pd.DataFrame([{"object": o.name, **entry} for o in report.objects for entry in o.owners])


def _unmapped(report: RunReport) -> pd.DataFrame:
    return pd.DataFrame(
        [{"object": o.name, **item.to_dict()} for o in report.objects for item in o.unmapped]
    )


def _totals(report: RunReport) -> pd.DataFrame:
    rows = []
    for obj in report.objects:
        for total in obj.control_totals:
            data = total.to_dict()
            data["group"] = ", ".join(f"{k} = {v}" for k, v in sorted(total.group.items()))
            rows.append({"object": obj.name, **data})
    return pd.DataFrame(rows)


def _duplicates(report: RunReport) -> pd.DataFrame:
    rows = [
        {
            "object": obj.name,
            "golden_key": cluster.golden_key,
            "size": cluster.size,
            "members": ", ".join(cluster.members),
        }
        for obj in report.objects
        if obj.clusters is not None
        for cluster in obj.clusters.largest
    ]
    return pd.DataFrame(rows, columns=["object", "golden_key", "size", "members"])


def _quality(report: RunReport) -> pd.DataFrame:
    return pd.DataFrame(
        [{"object": o.name, **item.to_dict()} for o in report.objects for item in o.profile]
    )


def _pulled_in(report: RunReport) -> pd.DataFrame:
    columns = ["object", "key", "referenced_by", "by_key", "field"]
    return pd.DataFrame([item.to_dict() for item in report.pulled_in], columns=columns)


def _batches(report: RunReport) -> pd.DataFrame:
    rows = [
        {"object": obj.name, "batch": batch, "rows": rows}
        for obj in report.objects
        for batch, rows in sorted(obj.already_loaded.items())
    ]
    return pd.DataFrame(rows, columns=["object", "batch", "rows"])


def _target_load(report: RunReport) -> pd.DataFrame:
    columns = ["name", "table", "rows", "inserted", "updated", "refused"]
    load = report.target_load
    objects = [] if load is None else [obj.to_dict() for obj in load.objects]
    return pd.DataFrame(objects, columns=columns)


def _files(report: RunReport) -> pd.DataFrame:
    return pd.DataFrame(
        [entry.to_dict() for entry in report.files], columns=["path", "rows", "sha256"]
    )


SECTIONS: dict[str, Callable[[RunReport], pd.DataFrame]] = {
    "Summary": _summary,
    "Funnel": _funnel,
    "Findings by rule": _rules,
    "Findings by owner": _owners,
    "Unmapped values": _unmapped,
    "Control totals": _totals,
    "Duplicate clusters": _duplicates,
    "Data quality": _quality,
    "Pulled in by scope": _pulled_in,
    "Earlier batches": _batches,
    "Target load": _target_load,
    "Files": _files,
}


def report_sections(report: RunReport) -> dict[str, pd.DataFrame]:
    """Every section of the report as a table, in reading order."""
    return {name: build(report) for name, build in SECTIONS.items()}


def write_xlsx(report: RunReport, path: Path) -> Path:
    """Write the report as a workbook with one sheet per section."""
    return write_workbook(report_sections(report), path)
