"""Reviewers' decisions, kept in the project: ``<decisions>/<object>.csv``.

One row per pair of legacy records, keyed by both records' system and legacy key
(``system_a, key_a`` is the smaller of the two, so a pair has one spelling), with
the verdict (``match`` or ``no-match``), who decided and when, the run whose
workbook showed the pair, the score it had there and the values the reviewer saw
(JSON), plus an optional comment. A later decision on the same pair replaces the
earlier one. Every run reads the file: a decided pair is never asked again, and
its verdict wins over any score (see ``migrate.matching.constraints``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from migrate.state.registry import identity

COLUMNS = [
    "system_a",
    "key_a",
    "system_b",
    "key_b",
    "decision",
    "reviewer",
    "decided_at",
    "run_id",
    "score",
    "values_a",
    "values_b",
    "comment",
]
VERDICTS = ("match", "no-match")
PAIR = ["system_a", "key_a", "system_b", "key_b"]


def empty() -> pd.DataFrame:
    """No decisions."""
    return pd.DataFrame({name: pd.Series([], dtype="str") for name in COLUMNS})


def read_decisions(path: Path) -> pd.DataFrame:
    """The decisions at ``path`` (none when the file does not exist)."""
    if not path.exists():
        return empty()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in [*PAIR, "decision"] if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: not a decisions file (missing {', '.join(missing)})")
    bad = sorted(set(frame["decision"]) - set(VERDICTS))
    if bad:
        raise ValueError(f"{path}: unknown decision(s) {bad} (valid: {', '.join(VERDICTS)})")
    return frame.reindex(columns=COLUMNS, fill_value="")


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Each pair spelt with the smaller (system, key) first, values swapped along."""
    a = list(zip(frame["system_a"], frame["key_a"], strict=True))
    b = list(zip(frame["system_b"], frame["key_b"], strict=True))
    swap = np.array([x > y for x, y in zip(a, b, strict=True)], dtype=bool)
    out = frame.copy()
    for left, right in (("system_a", "system_b"), ("key_a", "key_b"), ("values_a", "values_b")):
        if left in out.columns and right in out.columns:
            first = out[left].to_numpy(dtype=object).copy()
            second = out[right].to_numpy(dtype=object).copy()
            out[left] = np.where(swap, second, first)
            out[right] = np.where(swap, first, second)
    return out


def upsert(path: Path, new: pd.DataFrame) -> tuple[int, int]:
    """Add ``new`` decisions to the file at ``path``; returns (added, replaced)."""
    old = read_decisions(path)
    new = canonical(new.reindex(columns=COLUMNS, fill_value=""))
    new = new.drop_duplicates(PAIR, keep="last")
    seen = pd.MultiIndex.from_frame(old[PAIR])
    replaced = int(pd.MultiIndex.from_frame(new[PAIR]).isin(seen).sum())
    merged = pd.concat([old, new], ignore_index=True).drop_duplicates(PAIR, keep="last")
    merged = merged.sort_values(PAIR, kind="stable")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    merged.to_csv(partial, index=False, encoding="utf-8", lineterminator="\n")
    os.replace(partial, path)
    return len(new) - replaced, replaced


def positions(
    decisions: pd.DataFrame, records: pd.Index
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Decided pairs as positions in ``records`` (``identity`` order) and verdicts.

    Returns a, b, verdict (True = match) and how many decisions name a record that
    is not in this run (those are kept in the file but play no part).
    """
    at_a = records.get_indexer(identity(decisions["system_a"], decisions["key_a"]))
    at_b = records.get_indexer(identity(decisions["system_b"], decisions["key_b"]))
    present = (at_a >= 0) & (at_b >= 0) & (at_a != at_b)
    verdict = decisions["decision"].to_numpy(dtype=object)[present] == "match"
    return (
        at_a[present].astype(np.int64),
        at_b[present].astype(np.int64),
        verdict.astype(bool),
        int((~present).sum()),
    )
