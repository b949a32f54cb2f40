"""The clerical-review file: pairs scored between ``review`` and ``auto_merge``.

One row per pair, strongest first (then by ``rid_a``, ``rid_b``): a pair id, both
records' legacy system and key, and for every comparison the two values side by
side with its similarity and contribution, then the score, the blocking passes
that proposed the pair, whether the two records ended in the same cluster anyway
(through other matches) and an empty ``decision`` column for the reviewer.
Review pairs are never merged by this run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from migrate.matching.either_order import crossed_pairs
from migrate.report.masking import mask_series
from migrate.spec.mapping import Mapping
from migrate.spec.match import Comparison


def review_frame(
    frame: pd.DataFrame,
    pairs: pd.DataFrame,
    compare: list[Comparison],
    labels: list[str],
    weakest_first: bool = False,
    personal: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """The review table for ``pairs`` (columns rid_a, rid_b, score, passes, sims, contribs).

    ``frame`` is indexed by ``_rid``; ``pairs`` carries ``<label>_sim`` and
    ``<label>_contrib`` per comparison, ``same_cluster`` and optionally ``note``;
    strongest first unless ``weakest_first``. Values of ``personal`` fields are masked:
    the reviewer decides on their similarity, which is computed on the real values.
    """
    pairs = pairs.sort_values(
        ["score", "rid_a", "rid_b"], ascending=[weakest_first, True, True], kind="stable"
    )
    a = frame.loc[pairs["rid_a"].to_numpy()]
    b = frame.loc[pairs["rid_b"].to_numpy()]
    rid_a = pairs["rid_a"].astype("int64").astype(str)
    rid_b = pairs["rid_b"].astype("int64").astype(str)
    columns: dict[str, object] = {
        "pair_id": (rid_a + "-" + rid_b).to_numpy(),
        "rid_a": pairs["rid_a"].to_numpy(),
        "system_a": a["_system"].to_numpy(),
        "key_a": a["_key"].to_numpy(),
        "rid_b": pairs["rid_b"].to_numpy(),
        "system_b": b["_system"].to_numpy(),
        "key_b": b["_key"].to_numpy(),
    }
    for comparison, label in zip(compare, labels, strict=True):
        shown = mask_series if comparison.field in personal else _as_is
        columns[f"{label}_a"] = shown(a[comparison.field]).to_numpy()
        columns[f"{label}_b"] = shown(b[comparison.field]).to_numpy()
        columns[f"{label}_sim"] = np.round(pairs[f"{label}_sim"].to_numpy(dtype=float), 4)
        columns[f"{label}_contrib"] = np.round(pairs[f"{label}_contrib"].to_numpy(dtype=float), 4)
    columns["score"] = np.round(pairs["score"].to_numpy(dtype=float), 4)
    columns["passes"] = pairs["passes"].to_numpy()
    columns["same_cluster"] = pairs["same_cluster"].to_numpy()
    columns["note"] = _notes(pairs, (a, b), compare, labels)
    if "reviewed" in pairs:
        columns["reviewed"] = pairs["reviewed"].to_numpy()
    columns["decision"] = ""
    return pd.DataFrame(columns)


def _as_is(values: pd.Series) -> pd.Series:
    return values


def _notes(
    pairs: pd.DataFrame,
    records: tuple[pd.DataFrame, pd.DataFrame],
    compare: list[Comparison],
    labels: list[str],
) -> np.ndarray:
    """The pairs' notes, with ``<x> and <y> compared crossed`` added (after ``; ``) where
    an either-order pair's crossed orientation won (see ``either_order.crossed_pairs``)."""
    notes = np.full(len(pairs), "", dtype=object)
    if "note" in pairs:
        notes[:] = pairs["note"].fillna("").astype(str).to_numpy(dtype=object)
    for (i, j), crossed in _crossed(records, compare):
        text = f"{labels[i]} and {labels[j]} compared crossed"
        for row in np.flatnonzero(crossed):
            notes[row] = f"{notes[row]}; {text}" if notes[row] else text
    return notes


def _crossed(
    records: tuple[pd.DataFrame, pd.DataFrame], compare: list[Comparison]
) -> list[tuple[tuple[int, int], np.ndarray]]:
    """Per either-order pair, which rows' records ``a`` and ``b`` were compared crossed."""
    a, b = records
    fields = list(dict.fromkeys(f for c in compare if c.either_order_with for f in c.fields))
    if not fields:
        return []
    both = pd.concat([a[fields], b[fields]], ignore_index=True)
    rows = np.arange(len(a))
    return crossed_pairs(both, rows, rows + len(a), compare)


def personal_fields(mapping: Mapping) -> frozenset[str]:
    """The target fields declared personal data."""
    return frozenset(name for name, field in mapping.fields.items() if field.personal)


def write_review(table: pd.DataFrame, path: Path) -> Path:
    """Write the review table as UTF-8 CSV (header only when there is nothing to review)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, encoding="utf-8")
    return path
