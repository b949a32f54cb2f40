"""Link: resolve references to other objects and rewrite them to golden keys.

An order line's customer reference holds a legacy key of one system; the merge
cross-reference of the customer object turns it into the golden key, so a line
that pointed at a merged duplicate points at the survivor. A reference that
resolves to nothing is rejected with its reason, never dropped: either no record
had that key (an orphan) or the record was rejected (named with its rule).
"""

from __future__ import annotations

import time

import pandas as pd

from migrate.keys import business_key
from migrate.spec.loader import ObjectSpec
from migrate.spec.project import Reference
from migrate.stages.base import RunContext, StageResult


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Rewrite and check every declared reference of ``obj``."""
    started = time.perf_counter()
    rows_in = len(frame)
    counts: dict[str, dict[str, int]] = {}
    for ref in obj.model.references:
        frame, counts[ref.field] = _resolve(frame, ref, obj, ctx)
    return frame, StageResult(
        "link", obj.name, rows_in, len(frame), time.perf_counter() - started, {"references": counts}
    )


def _resolve(
    frame: pd.DataFrame, ref: Reference, obj: ObjectSpec, ctx: RunContext
) -> tuple[pd.DataFrame, dict[str, int]]:
    target = ctx.project.objects[ref.object]
    values = frame[ref.field].astype("str").str.strip()
    golden = _golden_keys(values, ref, ctx)
    present = _loadable_keys(target, ctx)
    resolved = golden.isin(present)
    missing = frame[~resolved & values.notna()]
    if not missing.empty:
        reasons = _reasons(values[missing.index], golden[missing.index], ref, ctx)
        ctx.ledger.reject(
            obj.name,
            missing,
            stage="link",
            rule=f"ref.{ref.field}",
            reason=reasons,
            field=ref.field,
            values=values[missing.index],
        )
    rewritten = (golden != values) & resolved
    frame = frame.copy()
    frame[ref.field] = golden.where(resolved, values)
    kept = frame[resolved | values.isna()]
    return kept, {
        "resolved": int(resolved.sum()),
        "rewritten": int(rewritten.sum()),
        "rejected": len(missing),
    }


def _golden_keys(values: pd.Series, ref: Reference, ctx: RunContext) -> pd.Series:
    """Legacy keys -> golden keys through the cross-reference; target keys pass through."""
    if ref.system is None:
        return values
    xref = ctx.xref.get(ref.object)
    if xref is None:
        return values
    table = xref[xref["_system"] == ref.system].set_index("_key")["golden_key"]
    return values.map(table)


def _loadable_keys(target: ObjectSpec, ctx: RunContext) -> pd.Index:
    """Golden keys of the referenced object's records that survived validation."""
    frame = ctx.frames[target.name]
    return pd.Index(business_key(frame, target.mapping.key))


def _reasons(values: pd.Series, golden: pd.Series, ref: Reference, ctx: RunContext) -> pd.Series:
    """Why each reference failed: unknown key, or a referenced record that was rejected."""
    ledger_rows = ctx.ledger.rows(ref.object)
    if ref.system is not None:
        ledger_rows = ledger_rows[ledger_rows["_system"] == ref.system]
    rejected = ledger_rows[ledger_rows["fate"] == "rejected"].set_index("_key")["rule"]
    rule = values.map(rejected)
    unknown = f"{ref.field} '" + values + f"' matches no {ref.object}"
    refused = (
        f"{ref.field} '" + values + f"': that {ref.object} was rejected by " + rule.astype(str)
    )
    merged_refused = (
        f"{ref.field} '"
        + values
        + f"': {ref.object} "
        + golden.astype(str)
        + " it was merged into was rejected"
    )
    reasons = unknown.mask(rule.notna(), refused)
    return reasons.mask(rule.isna() & golden.notna(), merged_refused)
