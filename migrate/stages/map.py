"""Map: legacy columns -> target fields, per source, with constants, defaults and value maps.

Every mapped value is text here; the validate stage casts to the target types, so
a value that does not cast is a row-level reject with its reason, not a crash.
Value maps report every unmapped legacy value with its count (``unmapped:<object>``
in the run context) so the team can complete the map.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from migrate.ledger import IDENTITY
from migrate.spec.loader import LoadedValueMap, ObjectSpec
from migrate.spec.mapping import FieldSource
from migrate.stages.base import RunContext, StageResult


@dataclass(frozen=True)
class Unmapped:
    """Legacy values a value map did not know, with how often they occurred."""

    value_map: str
    field: str
    value: str
    count: int
    policy: str


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Map every source's rows of ``frame`` onto the object's target fields."""
    started = time.perf_counter()
    parts: list[pd.DataFrame] = []
    unmapped: list[Unmapped] = []
    for source_name, rows in frame.groupby("_source", sort=False):
        block = obj.mapping.sources[str(source_name)]
        mapped, found = _map_source(rows, block, obj)
        parts.append(mapped)
        unmapped.extend(found)
    mapped_frame = pd.concat(parts).sort_index() if parts else frame[IDENTITY]
    mapped_frame, rejected = _reject_unmapped(mapped_frame, obj, unmapped, ctx)
    ctx.extras[f"unmapped:{obj.name}"] = _merge_counts(unmapped)
    return mapped_frame, StageResult(
        "map",
        obj.name,
        rows_in=len(frame),
        rows_out=len(mapped_frame),
        seconds=time.perf_counter() - started,
        metrics={"rejected": rejected, "unmapped_values": len(unmapped)},
    )


def _map_source(
    rows: pd.DataFrame, block: dict[str, FieldSource], obj: ObjectSpec
) -> tuple[pd.DataFrame, list[Unmapped]]:
    out = rows[IDENTITY].copy()
    found: list[Unmapped] = []
    for field in obj.mapping.fields:
        spec = block.get(field)
        if spec is None:
            out[field] = pd.Series(pd.NA, index=rows.index, dtype="str")
            continue
        values = _raw_values(rows, spec)
        if spec.map is not None:
            values, misses = _apply_value_map(values, obj.value_maps[spec.map], field)
            found.extend(misses)
            out[f"_unmapped_{field}"] = values.attrs.pop("unmapped_legacy")
        out[field] = values
    return out, found


def _raw_values(rows: pd.DataFrame, spec: FieldSource) -> pd.Series:
    if spec.const is not None:
        return pd.Series(spec.const, index=rows.index, dtype="str")
    assert spec.column is not None
    column = rows[spec.column]
    values = column if column.dtype == "str" else column.astype("str").where(column.notna())
    if spec.default is not None:
        blank = values.isna() | (values.str.strip() == "")
        values = values.mask(blank, spec.default)
    return values


def _apply_value_map(
    values: pd.Series, value_map: LoadedValueMap, field: str
) -> tuple[pd.Series, list[Unmapped]]:
    """Translate ``values``; unmapped non-missing values follow the map's policy."""
    key = values.str.strip()
    translated = key.map(value_map.table)
    misses = key.notna() & translated.isna()
    policy = value_map.spec.on_unmapped
    if policy == "keep":
        translated = translated.fillna(values)
    elif policy.startswith("default:"):
        translated = translated.mask(misses, policy.removeprefix("default:"))
    counts = key[misses].value_counts()
    found = [Unmapped(value_map.name, field, str(v), int(n), policy) for v, n in counts.items()]
    result = translated.astype("str").where(translated.notna())
    # The legacy value of rows the policy rejects, so the reject names what was found.
    result.attrs["unmapped_legacy"] = key.where(misses & (policy == "reject"))
    return result, found


def _reject_unmapped(
    frame: pd.DataFrame, obj: ObjectSpec, unmapped: list[Unmapped], ctx: RunContext
) -> tuple[pd.DataFrame, int]:
    """Reject rows with a value the map does not know, where its policy says reject."""
    flag_columns = [c for c in frame.columns if c.startswith("_unmapped_")]
    bad_any = np.zeros(len(frame), dtype=bool)
    for column in flag_columns:
        field = column.removeprefix("_unmapped_")
        bad = frame[column].notna().to_numpy(dtype=bool)
        if bad.any():
            rows = frame.loc[bad, [*IDENTITY, column]]  # only what the finding needs
            _record_rejects(rows, rows[column], obj, field, ctx)
        bad_any |= bad
    kept = frame.drop(columns=flag_columns)
    return (kept[~bad_any] if bad_any.any() else kept), int(bad_any.sum())


def _record_rejects(
    rows: pd.DataFrame, legacy: pd.Series, obj: ObjectSpec, field: str, ctx: RunContext
) -> None:
    map_name = next(
        s.map for b in obj.mapping.sources.values() for f, s in b.items() if f == field and s.map
    )
    assert map_name is not None
    value_map = obj.value_maps[map_name].spec
    ctx.ledger.reject(
        obj.name,
        rows,
        stage="map",
        rule=value_map.rule_id or f"map.{map_name}",
        reason=f"{field} '" + legacy.astype(str) + f"' has no entry in value map {map_name}",
        field=field,
        values=legacy,
        owner=value_map.owner,
    )


def _merge_counts(unmapped: list[Unmapped]) -> list[Unmapped]:
    totals: dict[tuple[str, str, str, str], int] = {}
    for item in unmapped:
        key = (item.value_map, item.field, item.value, item.policy)
        totals[key] = totals.get(key, 0) + item.count
    return [Unmapped(m, f, v, n, p) for (m, f, v, p), n in sorted(totals.items())]
