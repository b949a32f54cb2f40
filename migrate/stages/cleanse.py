"""Cleanse: run the object's rule steps, in declared order, over whole columns.

A step applies a registered operation as the op's shape says: a column op to each
of its fields (optionally writing into another field), a split op from one field
into several, a join op from several fields into one; optionally only to rows
matching its ``when`` condition. Rows an operation could not handle are rejected
(severity ``reject``: they leave the frame, so later steps never see them) or
recorded as warnings (``warn``).

Columns are replaced whole, never copied row by row: a step without ``when``
writes the op's result as the new column, and the frame is filtered only when a
reject step actually flagged rows.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from migrate.ledger import IDENTITY
from migrate.ops._common import STR_DTYPE
from migrate.ops.registry import OPS, OpInfo, OpParams, OpResult, parse_params
from migrate.spec.loader import ObjectSpec
from migrate.spec.rules import Step
from migrate.stages.base import RunContext, StageResult


@dataclass(frozen=True)
class _Outcome:
    """One call of an op within a step: what to write where, and which rows failed."""

    field: str
    before: pd.Series
    writes: dict[str, pd.Series]
    result: OpResult


Applier = Callable[[OpInfo, OpParams, Step, pd.DataFrame], list[_Outcome]]


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Apply every step of ``obj``'s rules to ``frame``."""
    started = time.perf_counter()
    rows_in = len(frame)
    hits: Counter[str] = Counter()
    timings: dict[str, float] = {}
    frame = frame.copy(deep=False)  # new columns go into this frame, not the caller's
    for number, step in enumerate(obj.rules.steps, start=1):
        ctx.progress(f"cleanse {obj.name}", number, len(obj.rules.steps))
        step_started = time.perf_counter()
        frame, failed = apply_step(frame, step, obj, ctx)
        timings[step.id] = round(time.perf_counter() - step_started, 3)
        hits[step.id] += failed
    return frame, StageResult(
        "cleanse",
        obj.name,
        rows_in=rows_in,
        rows_out=len(frame),
        seconds=time.perf_counter() - started,
        metrics={
            "findings_by_rule": {k: v for k, v in sorted(hits.items()) if v},
            "seconds_by_rule": timings,
        },
    )


def apply_step(
    frame: pd.DataFrame, step: Step, obj: ObjectSpec, ctx: RunContext
) -> tuple[pd.DataFrame, int]:
    """Run one step; return the frame (rejected rows removed) and how many rows it flagged."""
    op = OPS[step.op]
    params = parse_params(op, step.args)
    scope = step.when.mask(frame).to_numpy(dtype=bool) if step.when is not None else None
    rows = frame if scope is None else frame[scope]
    flagged = np.zeros(len(frame), dtype=bool)
    for outcome in APPLIERS[op.shape](op, params, step, rows):
        for target, values in outcome.writes.items():
            _write(frame, target, values, scope)
        failed = _failed(outcome.result, rows.index)
        if failed.any():
            _record(rows, outcome, failed, step, ctx, obj)
            flagged[failed if scope is None else np.flatnonzero(scope)[failed]] = True
    if step.severity == "reject" and flagged.any():
        frame = frame[~flagged]
    return frame, int(flagged.sum())


def _apply_column(op: OpInfo, params: OpParams, step: Step, rows: pd.DataFrame) -> list[_Outcome]:
    """A column op: once per field, in place or into the step's one ``into`` field."""
    outcomes = []
    for field in step.fields:
        result = op.func(rows[field], params, rows)
        target = step.into if isinstance(step.into, str) else field
        outcomes.append(_Outcome(field, rows[field], {target: result.values}, result))
    return outcomes


def _apply_split(op: OpInfo, params: OpParams, step: Step, rows: pd.DataFrame) -> list[_Outcome]:
    """A split op: the one field into the ``into`` fields (which may include the field).

    Rows the op fails keep every ``into`` field as it was, so a field split into
    itself never loses its value to a failed split.
    """
    field, into = step.fields[0], step.writes()
    result = op.func(rows[field], params, rows, len(into))
    if len(result.parts) != len(into):
        raise ValueError(f"op {op.name} gave {len(result.parts)} parts for {len(into)} fields")
    failed = _failed(result, rows.index)
    writes = {}
    for target, part in zip(into, result.parts, strict=True):
        part = _aligned(part, rows.index)
        if failed.any():
            kept = rows[target] if target in rows.columns else pd.Series(np.nan, index=rows.index)
            part = part.where(~failed, kept.astype(STR_DTYPE))
        writes[target] = part
    return [_Outcome(field, rows[field], writes, result)]


def _apply_join(op: OpInfo, params: OpParams, step: Step, rows: pd.DataFrame) -> list[_Outcome]:
    """A join op: the fields, in order, into the one ``into`` field."""
    target = step.writes()[0]
    result = op.func(rows[step.fields], params, rows)
    return [_Outcome(target, result.values, {target: result.values}, result)]


APPLIERS: dict[str, Applier] = {
    "column": _apply_column,
    "split": _apply_split,
    "join": _apply_join,
}


def _write(frame: pd.DataFrame, target: str, values: pd.Series, scope: np.ndarray | None) -> None:
    """Put ``values`` into column ``target``: the whole column, or only the scoped rows."""
    if scope is None:
        frame[target] = _aligned(values, frame.index).array
        return
    if target in frame.columns:
        column = frame[target].copy()
    else:
        column = pd.Series(np.nan, index=frame.index, dtype=STR_DTYPE)
    column.iloc[np.flatnonzero(scope)] = _aligned(values, frame.index[scope]).to_numpy()
    frame[target] = column


def _aligned(series: pd.Series, index: pd.Index) -> pd.Series:
    """``series`` in the order of ``index`` (ops return their input's index; check it)."""
    return series if series.index.equals(index) else series.reindex(index)


def _failed(result: OpResult, index: pd.Index) -> np.ndarray:
    if result.failed is None:
        return np.zeros(len(index), dtype=bool)
    return _aligned(result.failed, index).fillna(False).to_numpy(dtype=bool)


def _record(
    rows: pd.DataFrame,
    outcome: _Outcome,
    failed: np.ndarray,
    step: Step,
    ctx: RunContext,
    obj: ObjectSpec,
) -> None:
    """Record a finding for every failed row of ``rows`` (reject or warn, as the step says)."""
    hit = rows[failed]
    field, reason = outcome.field, outcome.result.reason
    if reason is None:
        reason = f"{step.op} failed"
    if isinstance(reason, pd.Series):
        per_row = _aligned(reason, rows.index).to_numpy()[failed]
        reason = f"{field}: " + pd.Series(per_row, index=hit.index, dtype=object).astype(str)
    else:
        reason = f"{field}: {reason}"
    before = _aligned(outcome.before, rows.index).to_numpy()[failed]
    values = pd.Series(before, index=hit.index, dtype=object)
    ctx.ledger.record(
        obj.name,
        hit[[c for c in IDENTITY if c in hit.columns]],
        severity=step.severity,
        stage="cleanse",
        rule=step.id,
        reason=reason,
        field=field,
        values=values.astype("str").where(values.notna()),
        owner=step.owner,
    )
