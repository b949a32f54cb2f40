"""Cleanse: run the object's rule steps, in declared order, over whole columns.

A step applies a registered operation to each of its fields (optionally only to
rows matching its ``when`` condition, optionally writing into another field). Rows
an operation could not handle are rejected (severity ``reject``: they leave the
frame, so later steps never see them) or recorded as warnings (``warn``).
"""

from __future__ import annotations

import time
from collections import Counter

import pandas as pd

from migrate.ops.registry import OPS, OpResult, parse_params
from migrate.spec.loader import ObjectSpec
from migrate.spec.rules import Step
from migrate.stages.base import RunContext, StageResult


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Apply every step of ``obj``'s rules to ``frame``."""
    started = time.perf_counter()
    rows_in = len(frame)
    hits: Counter[str] = Counter()
    frame = frame.copy()
    for number, step in enumerate(obj.rules.steps, start=1):
        ctx.progress(f"cleanse {obj.name}", number, len(obj.rules.steps))
        frame, failed = apply_step(frame, step, obj, ctx)
        hits[step.id] += failed
    return frame, StageResult(
        "cleanse",
        obj.name,
        rows_in=rows_in,
        rows_out=len(frame),
        seconds=time.perf_counter() - started,
        metrics={"findings_by_rule": {k: v for k, v in sorted(hits.items()) if v}},
    )


def apply_step(
    frame: pd.DataFrame, step: Step, obj: ObjectSpec, ctx: RunContext
) -> tuple[pd.DataFrame, int]:
    """Run one step; return the frame (rejected rows removed) and how many rows it flagged."""
    op = OPS[step.op]
    params = parse_params(op, step.args)
    scope = step.when.mask(frame) if step.when is not None else None
    rows = frame if scope is None else frame[scope]
    flagged = pd.Series(False, index=frame.index)
    for field in step.fields:
        result = op.func(rows[field], params, rows)
        target = step.into or field
        if target not in frame.columns:
            frame[target] = pd.Series(pd.NA, index=frame.index, dtype="str")
        frame.loc[rows.index, target] = result.values
        failed = _failed_mask(result, rows.index)
        if failed.any():
            _record(
                frame.loc[failed[failed].index], rows[field][failed], result, step, field, ctx, obj
            )
            flagged.loc[failed[failed].index] = True
    if step.severity == "reject":
        frame = frame[~flagged]
    return frame, int(flagged.sum())


def _failed_mask(result: OpResult, index: pd.Index) -> pd.Series:
    if result.failed is None:
        return pd.Series(False, index=index)
    return result.failed.reindex(index).fillna(False).astype(bool)


def _record(
    rows: pd.DataFrame,
    values: pd.Series,
    result: OpResult,
    step: Step,
    field: str,
    ctx: RunContext,
    obj: ObjectSpec,
) -> None:
    reason = result.reason if result.reason is not None else f"{step.op} failed"
    if isinstance(reason, pd.Series):
        reason = f"{field}: " + reason.reindex(rows.index).astype(str)
    else:
        reason = f"{field}: {reason}"
    record = ctx.ledger.reject if step.severity == "reject" else ctx.ledger.warn
    record(
        obj.name,
        rows,
        stage="cleanse",
        rule=step.id,
        reason=reason,
        field=field,
        values=values.astype("str").where(values.notna()),
        owner=step.owner,
    )
