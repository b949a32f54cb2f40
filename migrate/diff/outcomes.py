"""What a change does to the output: two runs' ledgers and load files, row by row.

Rows are matched by (object, source system, legacy key), and by occurrence
where a legacy key repeats. Each row whose fate differs falls into the first
kind of :data:`FATE_KINDS` that fits it; rows loaded by both runs are compared
field by field in the load files. Examples show personal values masked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from migrate.diff.model import FateChange, FieldChange, RowExample
from migrate.keys import business_key
from migrate.report.masking import mask_value
from migrate.spec.loader import Project

LEDGER = Path("report") / "ledger.csv"
JOIN = ["object", "_system", "_key", "_n"]
EXAMPLES = 5
_QUOTED = re.compile(r"'([^']*)'")

Selector = Callable[[pd.DataFrame], pd.Series]


def _fate(rows: pd.DataFrame, side: str, fate: str) -> pd.Series:
    return rows[f"fate_{side}"] == fate


FATE_KINDS: dict[str, tuple[Selector, Callable[[pd.DataFrame], pd.Series]]] = {
    "only in the old run": (lambda r: r["_merge"] == "left_only", lambda r: r["fate_old"]),
    "only in the new run": (lambda r: r["_merge"] == "right_only", lambda r: r["fate_new"]),
    "newly rejected": (
        lambda r: _fate(r, "new", "rejected") & ~_fate(r, "old", "rejected"),
        lambda r: r["rule_new"],
    ),
    "no longer rejected": (
        lambda r: _fate(r, "old", "rejected") & ~_fate(r, "new", "rejected"),
        lambda r: r["rule_old"],
    ),
    "rejected by another rule": (
        lambda r: (
            _fate(r, "old", "rejected")
            & _fate(r, "new", "rejected")
            & (r["rule_old"] != r["rule_new"])
        ),
        lambda r: r["rule_old"] + " -> " + r["rule_new"],
    ),
    "newly merged": (
        lambda r: _fate(r, "new", "merged") & ~_fate(r, "old", "merged"),
        lambda r: r["fate_old"] + " -> merged",
    ),
    "no longer merged": (
        lambda r: _fate(r, "old", "merged") & ~_fate(r, "new", "merged"),
        lambda r: "merged -> " + r["fate_new"],
    ),
    "merged into another record": (
        lambda r: (
            _fate(r, "old", "merged")
            & _fate(r, "new", "merged")
            & (r["target_key_old"] != r["target_key_new"])
        ),
        lambda r: pd.Series("merge", index=r.index),
    ),
    "other fate change": (
        lambda r: r["fate_old"] != r["fate_new"],
        lambda r: r["fate_old"] + " -> " + r["fate_new"],
    ),
}


def read_ledger(out_dir: Path) -> pd.DataFrame:
    """A run's ledger, every value as text, with the occurrence number ``_n`` of each key."""
    ledger = pd.read_csv(out_dir / LEDGER, dtype=str, keep_default_na=False)
    ledger["_n"] = ledger.groupby(["object", "_system", "_key"]).cumcount()
    return ledger


def joined(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The two ledgers side by side, one row per legacy row (``_merge`` says where it is)."""
    columns = [*JOIN, "fate", "rule", "reason", "target_key"]
    rows = old[columns].merge(
        new[columns], on=JOIN, how="outer", suffixes=("_old", "_new"), indicator=True
    )
    for column in ("fate", "rule", "reason", "target_key"):
        for side in ("old", "new"):
            rows[f"{column}_{side}"] = rows[f"{column}_{side}"].fillna("").astype(str)
    return rows.sort_values(JOIN, kind="stable").reset_index(drop=True)


def fate_changes(rows: pd.DataFrame, personal: dict[str, set[str]]) -> list[FateChange]:
    """Rows whose fate changed, grouped by kind of change and rule, with examples."""
    left = pd.Series(True, index=rows.index)
    changes = []
    for kind, (select, rule_of) in FATE_KINDS.items():
        chosen = rows[left & select(rows).fillna(False).astype(bool)]
        left &= ~rows.index.isin(chosen.index)
        if chosen.empty:
            continue
        for (obj, rule), group in chosen.groupby([chosen["object"], rule_of(chosen)], sort=True):
            examples = tuple(
                _example(row, personal.get(str(obj), set()))
                for _, row in group.head(EXAMPLES).iterrows()
            )
            changes.append(FateChange(str(obj), kind, str(rule), len(group), examples))
    return changes


def _example(row: pd.Series, personal: set[str]) -> RowExample:
    return RowExample(
        str(row["_system"]),
        str(row["_key"]),
        _outcome(row, "old", personal),
        _outcome(row, "new", personal),
    )


def _outcome(row: pd.Series, side: str, personal: set[str]) -> str:
    fate = row[f"fate_{side}"]
    if not fate:
        return "(not in this run)"
    if fate == "rejected":
        return f"rejected by {row[f'rule_{side}']}: {mask_reason(row[f'reason_{side}'], personal)}"
    if fate == "merged":
        return f"merged into {row[f'target_key_{side}']}"
    return str(fate)


def mask_reason(reason: str, personal: set[str]) -> str:
    """A reason with its quoted values masked when it speaks of a personal field."""
    if not any(re.search(rf"\b{re.escape(name)}\b", reason) for name in personal):
        return reason
    return _QUOTED.sub(lambda m: f"'{mask_value(m.group(1))}'", reason)


def field_changes(
    rows: pd.DataFrame,
    outs: tuple[Path, Path],
    projects: tuple[Project, Project],
    personal: dict[str, set[str]],
) -> list[FieldChange]:
    """Values that differ in rows loaded by both runs, per object and field."""
    changes = []
    both = rows[(rows["fate_old"] == "loaded") & (rows["fate_new"] == "loaded")]
    for name in [n for n in projects[1].objects if n in projects[0].objects]:
        loaded = both[both["object"] == name]
        old = _load_rows(outs[0], projects[0], name, loaded["target_key_old"])
        new = _load_rows(outs[1], projects[1], name, loaded["target_key_new"])
        if old is None or new is None:
            continue
        hidden = personal.get(name, set())
        for field in [f for f in new.columns if f in old.columns]:
            differs = (old[field] != new[field]).to_numpy()
            if differs.any():
                changed = (loaded[differs], old[field][differs], new[field][differs])
                changes.append(_field_change(name, field, changed, field in hidden))
    return changes


def _field_change(
    name: str, field: str, changed: tuple[pd.DataFrame, pd.Series, pd.Series], personal: bool
) -> FieldChange:
    rows, before, after = (part.head(EXAMPLES) for part in changed)

    def shown(value: object) -> str:
        return str(mask_value(value) if personal else value)

    examples = tuple(
        RowExample(str(r["_system"]), str(r["_key"]), shown(a), shown(b))
        for (_, r), a, b in zip(rows.iterrows(), before, after, strict=True)
    )
    return FieldChange(name, field, len(changed[0]), personal, examples)


def _load_rows(out: Path, project: Project, name: str, keys: pd.Series) -> pd.DataFrame | None:
    """The load-file rows of ``keys`` (business keys), in their order, as text."""
    obj = project.objects[name]
    path = out / "load" / f"{obj.table}.csv"
    if not path.exists():
        return None
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.index = pd.Index(business_key(table, obj.mapping.key))
    table = table[~table.index.duplicated(keep="first")]
    return table.reindex(keys.to_numpy()).fillna("").reset_index(drop=True)
