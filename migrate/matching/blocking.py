"""Blocking: which record pairs are worth scoring at all.

Each blocking pass builds a key per row from its key parts (a field trimmed of
surrounding blanks, its first or last ``length`` characters -- the whole value
without ``length`` --, its digits only, or its whitespace tokens sorted). A row
with any key part missing (NA or empty after the transform) takes no part in
that pass; with ``unordered`` the parts are sorted within each row first (first
name and surname swapped give the same key). Rows sharing a key form a block and every pair inside a
block is a candidate; with ``window`` the rows are instead sorted by key (then by
position) and each row is paired with the next ``window - 1`` rows (sorted
neighbourhood), which also pairs keys that differ by a typo but sort together.

A block larger than the pass's ``max_block`` is skipped in both modes (its rows
take no part in that pass) and reported by key value and size: such a block is
nearly always a placeholder value ("N/A", "000000") and would cost a quadratic
number of pairs. Pairs are never built over all rows.

Rows are addressed by position (0..n-1); callers order the frame by ``_rid`` so
that ``left < right`` also means ``rid_a < rid_b``. The union over the passes is
deduplicated and remembers, as a bit mask, which passes proposed each pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from migrate.matching.memory import give_back
from migrate.spec.match import BlockingKeyPart, BlockingPass

KEY_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class SkippedBlock:
    """A block over ``max_block`` rows that a pass left out."""

    pass_name: str
    key: str
    size: int

    def to_dict(self) -> dict[str, object]:
        """Plain data for metrics."""
        return {"pass": self.pass_name, "key": self.key, "size": self.size}


@dataclass
class Candidates:
    """Deduplicated candidate pairs (positions, ``left < right``) and how they were found."""

    left: np.ndarray
    right: np.ndarray
    mask: np.ndarray
    pass_names: list[str]
    per_pass: dict[str, int] = field(default_factory=dict)
    skipped: list[SkippedBlock] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.left)

    def pass_labels(self) -> np.ndarray:
        """Per pair, the names of the passes that proposed it joined with ``|``."""
        labels = np.empty(len(self.mask), dtype=object)
        for value in np.unique(self.mask):
            names = [n for i, n in enumerate(self.pass_names) if int(value) >> i & 1]
            labels[self.mask == value] = "|".join(names)
        return labels


def part_values(values: pd.Series, part: BlockingKeyPart) -> pd.Series:
    """One key part per row: the field transformed; missing or empty results are NA."""
    text = values.astype("str").str.strip()
    if part.transform == "prefix" and part.length:
        text = text.str.slice(0, part.length)
    elif part.transform == "suffix" and part.length:
        text = text.str.slice(-part.length)
    elif part.transform == "digits":
        text = text.str.replace(r"\D+", "", regex=True)
    elif part.transform == "sorted_tokens":
        text = text.map(lambda v: " ".join(sorted(v.split())), na_action="ignore").astype("str")
    return text.where(text.str.len() > 0)


def blocking_key(
    frame: pd.DataFrame, parts: list[BlockingKeyPart], unordered: bool = False
) -> pd.Series:
    """The pass key per row (parts joined); NA where any part is missing.

    ``unordered`` sorts the parts within each row first, so a row with two fields
    swapped gets the same key.
    """
    values = [part_values(frame[p.field], p) for p in parts]
    if unordered and len(values) > 1:
        table = pd.concat(values, axis=1).to_numpy(dtype=object)
        missing = np.asarray(pd.isna(table).any(axis=1), dtype=bool)
        table = np.where(pd.isna(table), "", table).astype(str)
        table.sort(axis=1)
        values = [
            pd.Series(table[:, i], index=frame.index, dtype="str") for i in range(len(values))
        ]
        values[0] = values[0].mask(missing)
    key = values[0]
    for value in values[1:]:
        key = key + KEY_SEPARATOR + value
    return key


def pass_pairs(
    key: pd.Series, spec: BlockingPass
) -> tuple[np.ndarray, np.ndarray, list[SkippedBlock]]:
    """Candidate pairs (positions, left < right) of one pass, and the blocks it skipped.

    Only a sorted-neighbourhood pass needs its keys in order; an exact pass only groups
    rows, so its keys are hashed without sorting (several times faster on a million
    text keys) and the skipped blocks are put in key order afterwards.
    """
    codes, uniques = pd.factorize(key, sort=spec.window is not None)
    codes = np.asarray(codes)
    sizes = np.bincount(codes[codes >= 0], minlength=len(uniques))
    oversized = np.flatnonzero(sizes > spec.max_block)
    blocks = sorted((str(uniques[int(i)]), int(sizes[i])) for i in oversized)
    skipped = [
        SkippedBlock(spec.name, value.replace(KEY_SEPARATOR, " | "), size) for value, size in blocks
    ]
    usable = codes >= 0
    usable[usable] = sizes[codes[usable]] <= spec.max_block
    positions = np.flatnonzero(usable)
    codes = codes[positions]
    order = np.lexsort((positions, codes))
    positions, codes = positions[order], codes[order]
    if spec.window is None:
        left, right = _within_blocks(positions, codes)
    else:
        left, right = _sorted_neighbours(positions, spec.window)
    return left, right, skipped


def _within_blocks(positions: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All pairs inside each block; ``positions`` sorted by (code, position)."""
    n = len(positions)
    if n < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], n]
    block_end = np.repeat(ends, ends - starts)
    counts = block_end - np.arange(n) - 1
    first = np.repeat(np.arange(n), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return positions[first], positions[first + 1 + offsets]


def _sorted_neighbours(positions: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row with the next ``window - 1`` rows in key order, as (smaller, larger)."""
    lefts, rights = [], []
    for step in range(1, min(window, len(positions))):
        a, b = positions[:-step], positions[step:]
        lefts.append(np.minimum(a, b))
        rights.append(np.maximum(a, b))
    if not lefts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(lefts), np.concatenate(rights)


def candidate_pairs(frame: pd.DataFrame, passes: list[BlockingPass]) -> Candidates:
    """The union of all passes' pairs over ``frame`` (rows addressed by position).

    Each pass's pairs are kept only as one int64 code (``left * n + right``); the union
    is their sorted distinct codes and each pass sets its bit by binary search of its own
    codes, sorted (in place), so no pairs-sized inverse index is built. Positions come
    back as int32 (int64 for frames over 2**31 rows) and the pass mask in the smallest
    unsigned type that holds it.
    """
    n = len(frame)
    codes: list[np.ndarray] = []
    per_pass: dict[str, int] = {}
    skipped: list[SkippedBlock] = []
    for spec in passes:
        left, right, dropped = pass_pairs(blocking_key(frame, spec.key, spec.unordered), spec)
        per_pass[spec.name] = per_pass.get(spec.name, 0) + len(left)
        skipped.extend(dropped)
        codes.append(left.astype(np.int64) * n + right)
        del left, right
    give_back()  # the passes' key texts
    unique = _distinct_sorted(codes)
    mask = np.zeros(len(unique), dtype=_mask_dtype(len(passes)))
    for index, code in enumerate(codes):
        code.sort()  # ascending needles: the binary search walks forward (25x faster)
        mask[np.searchsorted(unique, code)] |= mask.dtype.type(1 << index)
    del codes
    positions = np.int32 if n < 2**31 else np.int64
    left_of = (unique // max(n, 1)).astype(positions)
    unique -= np.multiply(left_of, max(n, 1), dtype=np.int64)
    right_of = unique.astype(positions)
    names = [p.name for p in passes]
    return Candidates(left_of, right_of, mask, names, per_pass, skipped)


def _distinct_sorted(codes: list[np.ndarray]) -> np.ndarray:
    """The distinct codes of all passes, ascending (sorted in place: no copy of the union)."""
    if not codes:
        return np.empty(0, np.int64)
    union = np.concatenate(codes)
    union.sort()
    if not len(union):
        return union
    first = np.empty(len(union), dtype=bool)
    first[0] = True
    np.not_equal(union[1:], union[:-1], out=first[1:])
    return union[first]


def _mask_dtype(passes: int) -> type[np.unsignedinteger]:
    """The smallest unsigned integer type with a bit per pass."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if passes <= np.iinfo(dtype).bits:
            return dtype
    return np.uint64
