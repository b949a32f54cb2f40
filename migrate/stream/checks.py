"""Validating a streamed object chunk by chunk, with uniqueness decided over all chunks.

Every check of the target schema looks at one row, except uniqueness: a business
key that occurs in two chunks is a duplicate although neither chunk shows it. So
each chunk is checked where it runs (:func:`precheck`) for everything but
uniqueness, and hands back its typed rows, its failures, the values its failing
rows showed, and two independent 64-bit hashes of each uniqueness rule's typed
key. Once every chunk is in, :class:`DuplicateKeys` finds the keys that occur
more than once across all chunks (first by one hash, then confirmed by both) and
how often, and :func:`record_chunk` records each chunk's findings in the
schema's rule order, exactly as validating the whole table would: the same
rules, rows, reasons (with the key's count over the whole table) and fates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from migrate.ledger import Ledger
from migrate.schema import SchemaRule
from migrate.spec.loader import ObjectSpec
from migrate.stages.base import StageResult
from migrate.stages.validate import (
    STAGE,
    by_rule,
    check_frame,
    record_found,
    shown_values,
    typed_output,
)

RAW = "_raw.{}"  # a uniqueness rule field's value as the source held it
_SECOND_HASH_KEY = "migrate-unique-2"  # pandas wants 16 characters


@dataclass
class KeyHashes:
    """Two hashes of each row's typed key; ``missing``: a part is missing (never clashes)."""

    first: np.ndarray
    second: np.ndarray
    missing: np.ndarray


@dataclass
class Prechecked:
    """One chunk checked against every rule but uniqueness."""

    rows: pd.DataFrame  # every row, declared fields typed, RAW copies of key fields
    failures: pd.DataFrame  # rule, index: failures of every rule but uniqueness
    shown: dict[str, pd.Series]  # per failing rule: the failing rows' values as shown
    keys: dict[str, KeyHashes]  # per uniqueness rule
    seconds: float = 0.0


def unique_rules(rules: dict[str, SchemaRule]) -> list[SchemaRule]:
    """The uniqueness rules, in the schema's order."""
    return [rule for rule in rules.values() if rule.check == "unique"]


def raw_columns(rules: dict[str, SchemaRule]) -> list[str]:
    """The columns holding, as the source held them, the fields of uniqueness rules."""
    return [RAW.format(name) for name in sorted({f for r in unique_rules(rules) for f in r.fields})]


def precheck(frame: pd.DataFrame, obj: ObjectSpec) -> Prechecked:
    """Check ``frame`` against the target schema, leaving uniqueness for later."""
    checked = check_frame(frame, obj.mapping, obj.check_tables)
    uniques = unique_rules(checked.rules)
    unique_ids = {rule.rule for rule in uniques}
    failures = checked.failures[~checked.failures["rule"].isin(unique_ids)]
    failures = failures.reset_index(drop=True)
    shown = {
        rule: shown_values(frame, obj.mapping, checked.rules[rule].fields, pd.Index(indexes))
        for rule, indexes in by_rule(failures).items()
    }
    typed = checked.coerced.frame
    rows = typed_output(frame, typed, np.ones(len(frame), dtype=bool))
    for column in raw_columns(checked.rules):
        name = column.removeprefix(RAW.format(""))
        rows[column] = frame[name] if name in frame.columns else None
    keys = {rule.rule: key_hashes(typed, rule.fields) for rule in uniques}
    return Prechecked(rows, failures, shown, keys)


def key_hashes(typed: pd.DataFrame, fields: tuple[str, ...]) -> KeyHashes:
    """Two independent hashes of each row's typed key values."""
    part = typed[list(fields)]
    first = pd.util.hash_pandas_object(part, index=False).to_numpy()
    second = pd.util.hash_pandas_object(part, index=False, hash_key=_SECOND_HASH_KEY).to_numpy()
    return KeyHashes(first, second, part.isna().any(axis=1).to_numpy())


@dataclass
class _Occurrences:
    """Per chunk: positions of rows whose key occurs more than once, and how often."""

    positions: dict[int, np.ndarray] = field(default_factory=dict)
    counts: dict[int, np.ndarray] = field(default_factory=dict)


class DuplicateKeys:
    """Keys of each uniqueness rule that occur more than once over all chunks."""

    def __init__(self) -> None:
        self._hashes: dict[str, list[KeyHashes]] = {}
        self._found: dict[str, _Occurrences] = {}

    def add(self, keys: dict[str, KeyHashes]) -> None:
        """One chunk's key hashes, in chunk order."""
        for rule, hashes in keys.items():
            self._hashes.setdefault(rule, []).append(hashes)

    def settle(self) -> None:
        """Find the duplicates; the hashes are dropped."""
        for rule, parts in self._hashes.items():
            self._found[rule] = _occurrences(parts)
        self._hashes.clear()

    def in_chunk(self, rule: str, chunk: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions in chunk ``chunk`` of rows with a duplicated key, and each key's count."""
        found = self._found.get(rule)
        if found is None or chunk not in found.positions:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return found.positions[chunk], found.counts[chunk]


def _occurrences(parts: list[KeyHashes]) -> _Occurrences:
    """Where the duplicated keys are: candidates by the first hash, confirmed by both."""
    first = np.concatenate([p.first for p in parts])
    present = ~np.concatenate([p.missing for p in parts])
    values, counts = np.unique(first[present], return_counts=True)
    candidate = present & np.isin(first, values[counts > 1])
    where = np.flatnonzero(candidate)
    found = _Occurrences()
    if not len(where):
        return found
    second = np.concatenate([p.second for p in parts])[where]
    pairs = pd.DataFrame({"first": first[where], "second": second})
    size = pairs.groupby(["first", "second"], sort=False)["first"].transform("size").to_numpy()
    where, size = where[size > 1], size[size > 1]
    starts = np.cumsum([0] + [len(p.first) for p in parts])
    chunk_of = np.searchsorted(starts, where, side="right") - 1
    for chunk in np.unique(chunk_of):
        mine = chunk_of == chunk
        found.positions[int(chunk)] = where[mine] - starts[chunk]
        found.counts[int(chunk)] = size[mine]
    return found


def record_chunk(
    checked: Prechecked,
    chunk: int,
    duplicates: DuplicateKeys,
    obj: ObjectSpec,
    rules: dict[str, SchemaRule],
    ledger: Ledger,
) -> tuple[np.ndarray, StageResult]:
    """Record a chunk's findings in rule order; which rows it keeps, and its stage result."""
    rows = checked.rows
    found = by_rule(checked.failures)
    key_counts: dict[str, pd.Series] = {}
    for rule in unique_rules(rules):
        positions, counts = duplicates.in_chunk(rule.rule, chunk)
        if len(positions):
            index = rows.index[positions]
            found[rule.rule] = index.to_numpy()
            key_counts[rule.rule] = pd.Series(counts, index=index)
    raw = rows[[c for c in rows.columns if c.startswith("_raw.")]]
    raw = raw.rename(columns=lambda c: c.removeprefix("_raw."))

    def shown(rule: SchemaRule, index: pd.Index) -> pd.Series:
        if rule.rule in key_counts:
            return shown_values(raw, obj.mapping, rule.fields, index)
        return checked.shown[rule.rule].loc[index]

    counted = record_found(
        found,
        rows.index,
        obj,
        rules,
        ledger,
        shown=shown,
        key_counts=lambda rule, index: key_counts[rule.rule].loc[index],
    )
    rejecting = [
        found[r.rule] for r in rules.values() if r.severity == "reject" and r.rule in found
    ]
    rejected = (
        rows.index.isin(np.concatenate(rejecting)) if rejecting else np.zeros(len(rows), bool)
    )
    result = StageResult(
        STAGE,
        obj.name,
        len(rows),
        int((~rejected).sum()),
        checked.seconds,
        {"rows_checked": len(rows), "rows_rejected": int(rejected.sum()), "failures": counted},
    )
    return ~rejected, result
