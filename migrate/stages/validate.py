"""Validate: check every row against the target schema and reject the rows that fail.

All failures of all rows are found in one pass: values are first coerced to
their declared types column by column (a value not of its type is a ``type``
failure and is left out of that field's other checks), then the compiled
pandera schema is validated lazily. Every failure becomes a ledger finding,
recorded once per rule for all its rows; personal values are masked in the
findings' values and reasons. A failure of a ``reject`` rule removes its row; a
``warn`` rule's finding is recorded and the row stays. A row with several
failures shows all of them but is rejected once, by the first reject rule in
the schema's order.

The output holds the rows without failures, the declared fields in their types
(dates as ``datetime64[us]``, integers as ``Int64`` ...) and every other
column untouched, in the input's index.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from migrate.ledger import Ledger
from migrate.report.masking import mask_series
from migrate.schema import (
    Coerced,
    SchemaRule,
    coerce_frame,
    compile_schema,
    rules_of,
    schema_failures,
)
from migrate.schema.rules import rule_id
from migrate.spec.loader import ObjectSpec
from migrate.spec.mapping import Mapping
from migrate.stages.base import RunContext, StageResult

STAGE = "validate"
_JOIN = " / "


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Reject the rows of ``frame`` that break the target schema; type the rest."""
    started = time.perf_counter()
    checked = check_frame(frame, obj.mapping, obj.check_tables)
    failures, rules = checked.failures, checked.rules
    counts = _record(failures, frame, checked.coerced.frame, obj, rules, ctx.ledger)
    rejected = frame.index.isin(checked.rejected_index())
    output = typed_output(frame, checked.coerced.frame, ~rejected)
    result = StageResult(
        stage=STAGE,
        object=obj.name,
        rows_in=len(frame),
        rows_out=len(output),
        seconds=time.perf_counter() - started,
        metrics={
            "rows_checked": len(frame),
            "rows_rejected": int(rejected.sum()),
            "failures": counts,
        },
    )
    return output, result


@dataclass(frozen=True)
class Checked:
    """A frame checked against a mapping: failures (``rule``, ``index``), typed frame, rules."""

    failures: pd.DataFrame
    coerced: Coerced
    rules: dict[str, SchemaRule]

    def rejected_index(self) -> pd.Index:
        """Index of the rows failing at least one reject rule."""
        rejecting = [rule.rule for rule in self.rules.values() if rule.severity == "reject"]
        chosen = self.failures.loc[self.failures["rule"].isin(rejecting), "index"]
        return pd.Index(chosen.unique())


def check_frame(
    frame: pd.DataFrame, mapping: Mapping, check_tables: dict[str, list[str]]
) -> Checked:
    """Every failure of every row of ``frame`` against the mapping's target schema, in one pass."""
    schema = compile_schema(mapping, coerce=False, check_tables=check_tables)
    coerced = coerce_frame(frame, mapping)
    failures = _failures(schema_failures(schema, coerced.frame), coerced)
    return Checked(failures, coerced, rules_of(schema))


def _failures(checked: pd.DataFrame, coerced: Coerced) -> pd.DataFrame:
    """Type failures plus schema failures, without the "required" failures the types caused.

    A value not of its type is missing in the coerced frame, so the schema finds
    it missing too; that value was there, so only its type failure counts.
    """
    caused = np.zeros(len(checked), dtype=bool)
    types = []
    for name, index in coerced.failures.items():
        required = checked["rule"].eq(rule_id(name, "required")).to_numpy(dtype=bool)
        caused |= required & checked["index"].isin(index).to_numpy(dtype=bool)
        types.append(pd.DataFrame({"rule": rule_id(name, "type"), "index": index.to_numpy()}))
    return pd.concat([checked[~caused], *types], ignore_index=True)


def _record(
    failures: pd.DataFrame,
    frame: pd.DataFrame,
    typed: pd.DataFrame,
    obj: ObjectSpec,
    rules: dict[str, SchemaRule],
    ledger: Ledger,
) -> dict[str, int]:
    """Record one ledger finding per failed (rule, row), rule by rule; count rows per rule."""
    return record_found(
        by_rule(failures),
        frame.index,
        obj,
        rules,
        ledger,
        shown=lambda rule, index: shown_values(frame, obj.mapping, rule.fields, index),
        key_counts=lambda rule, index: _key_counts(typed, rule, index),
    )


Shown = Callable[[SchemaRule, pd.Index], pd.Series]


def by_rule(failures: pd.DataFrame) -> dict[str, np.ndarray]:
    """The failing row indexes of each rule."""
    grouped = failures.groupby("rule", sort=False)["index"]
    return {str(rule): indexes.to_numpy() for rule, indexes in grouped}


def record_found(
    found: dict[str, np.ndarray],
    rows: pd.Index,
    obj: ObjectSpec,
    rules: dict[str, SchemaRule],
    ledger: Ledger,
    *,
    shown: Shown,
    key_counts: Shown,
) -> dict[str, int]:
    """Record the failures of each rule in the schema's order (the first reject rule wins).

    ``shown`` gives the failing rows' values as the source held them; ``key_counts``
    how often each failing row's key occurs (for uniqueness rules).
    """
    counts: dict[str, int] = {}
    for rule in (rule for rule in rules.values() if rule.rule in found):
        index = rows[rows.isin(found[rule.rule])]
        values = shown(rule, index)
        per_key = key_counts(rule, index) if rule.check == "unique" else None
        ledger.record(
            obj.name,
            pd.DataFrame({"_rid": index.to_numpy()}, index=index),
            severity=rule.severity,
            stage=STAGE,
            rule=rule.rule,
            field=rule.field,
            reason=rule.reasons(values, per_key),
            values=values,
            owner=rule.owner,
        )
        counts[rule.rule] = len(index)
    return counts


def shown_values(
    frame: pd.DataFrame, mapping: Mapping, fields: tuple[str, ...], index: pd.Index
) -> pd.Series:
    """The rows' values as the source held them (personal ones masked); parts joined by ' / '."""
    parts = []
    for name in fields:
        raw = frame[name] if name in frame.columns else pd.Series(None, index=frame.index)
        picked = raw.loc[index]
        text = picked.astype("object").where(picked.notna(), None)
        if picked.dtype != "str":
            text = text.map(lambda value: value if value is None else str(value))
        parts.append(mask_series(text) if mapping.fields[name].personal else text)
    if len(parts) == 1:
        return parts[0]
    rows = zip(*parts, strict=True)
    joined = [_JOIN.join("" if v is None else str(v) for v in row) for row in rows]
    return pd.Series(joined, index=index, dtype="object")


def _key_counts(typed: pd.DataFrame, rule: SchemaRule, index: pd.Index) -> pd.Series:
    """How often each failing row's key occurs (every occurrence of a duplicate fails)."""
    keys = typed.loc[index, list(rule.fields)]
    first = rule.fields[0]
    return keys.groupby(list(rule.fields), sort=False, dropna=False)[first].transform("size")


def typed_output(frame: pd.DataFrame, typed: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The kept rows, declared fields replaced by their typed values, other columns as they were."""
    rest = frame.drop(columns=[name for name in typed.columns if name in frame.columns])
    if not keep.all():
        rest, typed = rest[keep], typed[keep]
    order = [*frame.columns, *(name for name in typed.columns if name not in frame.columns)]
    return pd.concat([rest, typed], axis=1)[order]
