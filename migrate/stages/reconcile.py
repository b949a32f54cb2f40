"""Reconcile: close the funnel, check control totals, and write the run's evidence.

The funnel ``extracted = loaded + merged + rejected + out_of_scope`` must close per
object and source system; control totals (e.g. order amounts per currency) are
summed over the rows as mapped and split by each row's fate, so every difference
between legacy and load is explained by rejected, merged or out-of-scope rows.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from migrate.ops.registry import OPS, parse_params
from migrate.report import quality
from migrate.report.clusters import cluster_summary
from migrate.report.ledger_file import write_ledger
from migrate.report.masking import mask_reason, mask_value
from migrate.report.model import (
    ControlTotal,
    FileEntry,
    FunnelRow,
    ObjectReport,
    RuleCount,
    RunReport,
    UnmappedValue,
)
from migrate.report.quality import object_profile
from migrate.report.rejects import write_rejects
from migrate.report.render import write_html, write_json
from migrate.report.schema import RUN_REPORT, write_schema
from migrate.report.sections import PulledIn
from migrate.report.xlsx import write_xlsx
from migrate.spec.loader import ObjectSpec
from migrate.stages.base import RunContext
from migrate.stages.map import Unmapped

FATE_SUMS = ("loaded", "merged", "rejected", "out_of_scope")
TOTALS = "totals_base:{}"  # ctx.extras key: an object's control-total values as mapped


def capture_totals_base(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> None:
    """Keep what reconciling needs of the rows as mapped, before any rule changes them:
    the fields' data-quality counts and each row's control-total values."""
    quality.capture(frame, obj, ctx, quality.BEFORE)
    base = totals_base(frame, obj)
    if base is not None:
        ctx.extras[TOTALS.format(obj.name)] = base


def totals_base(frame: pd.DataFrame, obj: ObjectSpec) -> pd.DataFrame | None:
    """Per row of ``frame`` as mapped, its control-total values and group fields, and
    ``_rid`` (None when ``obj`` declares no control totals)."""
    if not obj.model.control_totals:
        return None
    parser = OPS["parse_decimal"]
    params = parse_params(parser, {"decimal": "auto"})
    columns = {}
    for total in obj.model.control_totals:
        parsed = parser.func(frame[total.field], params, frame).values
        columns[total.field] = pd.to_numeric(parsed, errors="coerce")
        for name in total.by:
            columns[name] = frame[name]
    base = pd.DataFrame(columns, index=frame.index)
    base["_rid"] = frame["_rid"]
    return base.loc[:, ~base.columns.duplicated()]


def reconcile(ctx: RunContext, started: datetime) -> RunReport:
    """Build the run report from the ledger and the run context."""
    funnel = ctx.ledger.funnel()
    objects = tuple(_object_report(obj, funnel, ctx) for obj in ctx.project.objects.values())
    closes = _closes(funnel)
    messages = [] if closes else ["the funnel does not close: some rows have no fate"]
    files = tuple(
        FileEntry(path=f.path, rows=f.rows, sha256=f.sha256)
        for f in ctx.extras.get("load_files", [])
    )
    return RunReport(
        project=ctx.project.name,
        run_id=ctx.run_id,
        scope=ctx.scope,
        started=started.isoformat(timespec="seconds"),
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
        status="reconciled" if closes else "not reconciled",
        objects=objects,
        files=files,
        messages=tuple(messages),
        pulled_in=_pulled_in(ctx),
    )


def _pulled_in(ctx: RunContext) -> tuple[PulledIn, ...]:
    """The records the scope took in through references, in object and key order."""
    plan = ctx.extras.get("scope_plan")
    if plan is None:
        return ()
    items = [PulledIn(**entry) for entry in plan.pulled_in]
    return tuple(sorted(items, key=lambda p: (p.object, p.key)))


def _closes(funnel: pd.DataFrame) -> bool:
    fates = funnel[list(FATE_SUMS)].sum(axis=1)
    return bool((funnel["unaccounted"] == 0).all() and (fates == funnel["extracted"]).all())


def _object_report(obj: ObjectSpec, funnel: pd.DataFrame, ctx: RunContext) -> ObjectReport:
    rows = funnel[funnel["object"] == obj.name]
    return ObjectReport(
        name=obj.name,
        funnel=tuple(
            _funnel_row({str(k): v for k, v in r.items()}) for r in rows.to_dict("records")
        ),
        rejects_by_rule=_rule_counts(obj, ctx),
        unmapped=tuple(
            _unmapped(ctx.extras.get(f"unmapped:{obj.name}", []), _personal_fields(ctx))
        ),
        control_totals=_control_totals(obj, ctx),
        stages=tuple(r.to_dict() for r in ctx.results if r.object == obj.name),
        match=_match_figures(obj, ctx),
        already_loaded=dict(ctx.extras.get(f"already_loaded:{obj.name}", {})),
        clusters=cluster_summary(ctx.ledger, obj.name),
        profile=object_profile(obj, ctx),
    )


def _funnel_row(row: dict[str, Any]) -> FunnelRow:
    counts = {name: int(row[name]) for name in ("extracted", *FATE_SUMS, "unaccounted")}
    return FunnelRow(system=str(row["system"]), **counts)


def _rule_counts(obj: ObjectSpec, ctx: RunContext) -> tuple[RuleCount, ...]:
    findings = ctx.ledger.findings(obj.name)
    if findings.empty:
        return ()
    grouped = findings.groupby(["rule", "severity"], dropna=False, sort=True)
    personal = _personal_fields(ctx)
    counts = []
    for (rule, severity), group in grouped:
        first = group.iloc[0]
        reason = str(first["reason"])
        if _is_personal(first["field"], personal):
            reason = mask_reason(reason, first["value"])
        counts.append(
            RuleCount(
                rule=str(rule),
                severity=str(severity),
                owner=None if pd.isna(first["owner"]) else str(first["owner"]),
                field=None if pd.isna(first["field"]) else str(first["field"]),
                count=len(group),
                example_reason=reason,
            )
        )
    return tuple(counts)


def _is_personal(field: object, personal: set[str]) -> bool:
    """Whether a finding's field (``a`` or a compound ``a+b``) holds personal data."""
    return isinstance(field, str) and any(part in personal for part in field.split("+"))


def _unmapped(found: list[Unmapped], personal: set[str]) -> list[UnmappedValue]:
    return [
        UnmappedValue(
            value_map=u.value_map,
            field=u.field,
            value=str(mask_value(u.value)) if u.field in personal else u.value,
            count=u.count,
        )
        for u in found
    ]


def _control_totals(obj: ObjectSpec, ctx: RunContext) -> tuple[ControlTotal, ...]:
    base = ctx.extras.get(TOTALS.format(obj.name))
    if base is None:
        return ()
    if "_fate" not in base.columns:  # a streamed object's base comes summed per fate
        fates = ctx.ledger.fates(obj.name, base["_rid"].to_numpy())
        base = base.assign(_fate=base["_rid"].map(fates))
    totals = []
    for spec in obj.model.control_totals:
        groups = base.groupby(spec.by, dropna=False, sort=True) if spec.by else [((), base)]
        for key, part in groups:
            labels = key if isinstance(key, tuple) else (key,)
            group = {b: _label(v) for b, v in zip(spec.by, labels, strict=True)}
            totals.append(_control_total(spec.field, group, part))
    return tuple(totals)


def _label(value: object) -> str:
    """A group value as text; rows whose value is missing (e.g. unmapped) group as (none)."""
    return "(none)" if pd.isna(value) else str(value)  # type: ignore[call-overload]


def _control_total(field: str, group: dict[str, str], part: pd.DataFrame) -> ControlTotal:
    """Sum ``field`` over all rows of a group and per fate; the difference must be zero."""
    sums = {
        fate: round(float(part.loc[part["_fate"] == fate, field].sum()), 2) for fate in FATE_SUMS
    }
    extracted = round(float(part[field].sum()), 2)
    # + 0.0 turns a rounded -0.0 into 0.0 for the report.
    difference = round(extracted - sum(sums.values()), 2) + 0.0
    return ControlTotal(
        field=field, group=group, extracted=extracted, difference=difference, **sums
    )


def _match_figures(obj: ObjectSpec, ctx: RunContext) -> dict[str, object]:
    figures: dict[str, object] = {}
    for result in ctx.results:
        if result.object == obj.name and result.stage in ("match", "merge"):
            figures[result.stage] = result.metrics
    return figures


def write_outputs(ctx: RunContext, report: RunReport) -> None:
    """Write the ledger, rejects, manifest and the report (JSON and HTML)."""
    out = ctx.out_dir
    report_dir = out / "report"
    report_dir.mkdir(parents=True, exist_ok=True)
    write_ledger(ctx.ledger, report_dir / "ledger.csv")
    write_rejects(ctx.ledger.findings(), out, _personal_fields(ctx))
    write_report_files(ctx, report)
    _write_manifest(ctx, report, out / "load" / "manifest.json")


def write_report_files(ctx: RunContext, report: RunReport) -> None:
    """Write the run report as JSON, HTML and an Excel workbook under ``<out>/report``."""
    report_dir = ctx.out_dir / "report"
    write_json(report, report_dir / "report.json")
    write_html(report, report_dir / "report.html")
    write_xlsx(report, report_dir / "report.xlsx")
    write_schema(RUN_REPORT, report_dir / "report.schema.json")


def _personal_fields(ctx: RunContext) -> set[str]:
    return {
        name
        for obj in ctx.project.objects.values()
        for name, spec in obj.mapping.fields.items()
        if spec.personal
    }


def _planned_target(ctx: RunContext) -> dict[str, str] | None:
    """The target whose earlier batches the run left out (no credential in it)."""
    identity = ctx.extras.get("batch_target")
    return None if identity is None else identity.to_dict()


def _write_manifest(ctx: RunContext, report: RunReport, path: Path) -> None:
    manifest = {
        "run_id": ctx.run_id,
        "project": ctx.project.name,
        "scope": ctx.scope,
        "files": [f.to_dict() if hasattr(f, "to_dict") else f.__dict__ for f in report.files],
        "spec_files": dict(sorted(ctx.project.file_hashes.items())),
        "control_totals": {
            o.name: [t.to_dict() if hasattr(t, "to_dict") else t.__dict__ for t in o.control_totals]
            for o in report.objects
        },
        "objects": {o.name: o.to_dict() for o in ctx.extras.get("load_objects", [])},
        "target": _planned_target(ctx),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
