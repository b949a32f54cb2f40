"""Control totals, source against target: every difference explained by rejected,
merged or out-of-scope rows.

The source side comes from the run's manifest (each group's sum as extracted,
and how much of it was rejected, merged, left out of scope or loaded). The
target side sums the same field over the rows this run loaded, as the target
holds them now, grouped by the same fields (e.g. company code and currency).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from migrate.batches.package import MANIFEST
from migrate.io.target_rows import Row
from migrate.reconcile.model import TotalLine


def manifest_totals(out_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """The control totals the run wrote into its manifest, per object."""
    data = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    return {name: list(totals) for name, totals in data.get("control_totals", {}).items()}


def _group_text(value: Any) -> str:
    return "nan" if value is None else str(value)


def target_sums(rows: list[Row], field: str, by: list[str]) -> dict[tuple[str, ...], Decimal]:
    """Sum of ``field`` per group of ``by`` values over ``rows``."""
    sums: dict[tuple[str, ...], Decimal] = {}
    for row in rows:
        value = row.get(field)
        if value is None:
            continue
        group = tuple(_group_text(row.get(name)) for name in by)
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        sums[group] = sums.get(group, Decimal(0)) + amount
    return sums


def total_lines(obj: str, declared: list[dict[str, Any]], rows: list[Row]) -> list[TotalLine]:
    """Each declared total of ``obj`` with the target's sum of the same group."""
    lines = []
    cache: dict[tuple[str, tuple[str, ...]], dict[tuple[str, ...], Decimal]] = {}
    for entry in declared:
        group = {str(k): str(v) for k, v in entry["group"].items()}
        by = sorted(group)
        sums_key = (entry["field"], tuple(by))
        if sums_key not in cache:
            cache[sums_key] = target_sums(rows, entry["field"], by)
        target = cache[sums_key].get(tuple(group[name] for name in by), Decimal(0))
        lines.append(
            TotalLine(
                object=obj,
                field=entry["field"],
                group=group,
                extracted=float(entry["extracted"]),
                rejected=float(entry["rejected"]),
                merged=float(entry["merged"]),
                out_of_scope=float(entry["out_of_scope"]),
                loaded=float(entry["loaded"]),
                target=round(float(target), 2),
            )
        )
    return lines
