"""The data-quality profile of each object: its fields as mapped (before the rules) and as loaded.

Per field: rows, filled values (not missing, not blank) and distinct filled
values, before and after, plus how many findings the rules made on the field.
Only counts are kept, never values, so personal fields need no masking here.
"""

from __future__ import annotations

import pandas as pd

from migrate.report.sections import FieldProfile
from migrate.spec.loader import ObjectSpec
from migrate.stages.base import RunContext

BEFORE = "profile_before:{}"
AFTER = "profile_after:{}"

Counts = dict[str, tuple[int, int, int]]


def field_counts(frame: pd.DataFrame, fields: list[str]) -> Counts:
    """Per field present in ``frame``: (rows, filled, distinct filled)."""
    counts: Counts = {}
    for name in fields:
        if name not in frame.columns:
            continue
        filled = filled_text(frame[name])
        counts[name] = (len(frame), len(filled), int(filled.nunique()))
    return counts


def filled_text(values: pd.Series) -> pd.Series:
    """The values that are filled (not missing, not blank), as text without edge spaces."""
    text = values.astype("string").str.strip()
    return text[text.notna() & (text != "")]


def capture(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext, when: str) -> None:
    """Keep the counts of ``obj``'s fields in the run context (``when``: BEFORE or AFTER)."""
    ctx.extras[when.format(obj.name)] = field_counts(frame, list(obj.mapping.fields))


def object_profile(obj: ObjectSpec, ctx: RunContext) -> tuple[FieldProfile, ...]:
    """The before/after profile of every declared field of ``obj``."""
    before: Counts = ctx.extras.get(BEFORE.format(obj.name), {})
    after: Counts = ctx.extras.get(AFTER.format(obj.name), {})
    if not before and not after:
        return ()
    findings = ctx.ledger.findings(obj.name)
    per_field: dict[str, int] = {}
    if len(findings):
        counted = findings.groupby("field", dropna=True)["_rid"].nunique()
        per_field = {str(name): int(n) for name, n in counted.items()}
    profile = []
    for name, spec in obj.mapping.fields.items():
        b = before.get(name, (0, 0, 0))
        a = after.get(name, (0, 0, 0))
        profile.append(
            FieldProfile(
                field=name,
                personal=spec.personal,
                before_rows=b[0],
                before_filled=b[1],
                before_distinct=b[2],
                after_rows=a[0],
                after_filled=a[1],
                after_distinct=a[2],
                findings=int(per_field.get(name, 0)),
            )
        )
    return tuple(profile)
