"""Data-quality counts of a field added up over chunks: rows, filled, distinct filled.

Distinct values are counted by a 64-bit hash of each value's text, kept as
sorted unique arrays (8 bytes a distinct value, not the values themselves) and
merged when the pending chunks outgrow what is already merged, so the work
stays close to one sort of the distinct values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from migrate.report.quality import Counts, filled_text

_MERGE_AT_LEAST = 65_536


@dataclass
class FieldCounts:
    """A field's rows, filled rows and the hashes of its distinct filled values in one chunk."""

    rows: int
    filled: int
    hashes: np.ndarray


def chunk_counts(frame: pd.DataFrame, fields: list[str]) -> dict[str, FieldCounts]:
    """Per field present in ``frame``, its counts as ``quality.field_counts`` makes them."""
    counts = {}
    for name in fields:
        if name not in frame.columns:
            continue
        filled = filled_text(frame[name])
        hashes = np.unique(pd.util.hash_pandas_object(filled, index=False).to_numpy())
        counts[name] = FieldCounts(len(frame), len(filled), hashes)
    return counts


class FieldCounter:
    """Counts of ``fields`` over every chunk added."""

    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        self._rows: dict[str, int] = {}
        self._filled: dict[str, int] = {}
        self._merged: dict[str, np.ndarray] = {}
        self._pending: dict[str, list[np.ndarray]] = {}

    def add(self, frame: pd.DataFrame) -> None:
        """Count one more frame's values."""
        self.add_counts(chunk_counts(frame, self.fields))

    def add_counts(self, counts: dict[str, FieldCounts]) -> None:
        """Add one chunk's counts (from :func:`chunk_counts`)."""
        for name, found in counts.items():
            self._rows[name] = self._rows.get(name, 0) + found.rows
            self._filled[name] = self._filled.get(name, 0) + found.filled
            pending = self._pending.setdefault(name, [])
            pending.append(found.hashes)
            waiting = sum(len(p) for p in pending)
            if waiting > max(len(self._merged.get(name, ())), _MERGE_AT_LEAST):
                self._merge(name)

    def counts(self) -> Counts:
        """Per field seen: (rows, filled, distinct filled)."""
        for name in list(self._pending):
            self._merge(name)
        return {
            name: (self._rows[name], self._filled[name], len(self._merged[name]))
            for name in self.fields
            if name in self._rows
        }

    def _merge(self, name: str) -> None:
        parts = [self._merged.get(name, np.empty(0, dtype=np.uint64)), *self._pending.pop(name)]
        self._merged[name] = np.unique(np.concatenate(parts))
