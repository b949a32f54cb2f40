"""Key-level comparison of a target table without fetching it whole.

Keys are spread over ``B`` buckets by a hash of the key (``B`` = expected rows
/ ``bucket_rows``). For every bucket the database counts its rows and sums
their row hashes inside the database (:func:`migrate.io.target_hash.row_hash_sql`);
the same figures come from what the target should hold. Only the buckets that
differ are fetched, and only their rows are compared key by key and field by
field. Buckets are ranges of the key's hash rather than of the key itself, so
that no database collation can sort a key into another range than Python does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from migrate.batches.keys import key_columns, row_key
from migrate.batches.package import ObjectLoad
from migrate.io.target import hashing_definition, table_definition
from migrate.io.target_hash import hash32, row_hash, row_hash_sql
from migrate.io.target_rows import Row

FETCH_BUCKETS = 200

Sums = dict[int, tuple[int, int]]


@dataclass
class Expected:
    """What a table should hold: this run's rows, and every key's row hash and loader."""

    rows: dict[str, Row] = field(default_factory=dict)
    hashes: dict[str, int] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)

    def add(self, keys: Iterable[str], hashes: Iterable[int], owner: str) -> None:
        """Expect these keys with these row hashes, loaded by ``owner`` (later adds win)."""
        for key, value in zip(keys, hashes, strict=True):
            self.hashes[key] = int(value)
            self.owners[key] = owner


@dataclass
class TableCheck:
    """What comparing one table found."""

    buckets: int
    differing: list[int]
    fetched: dict[str, Row]
    missing: list[str]
    extra: list[str]
    changed: list[str]


def bucket_count(expected_rows: int, bucket_rows: int) -> int:
    """How many buckets to spread ``expected_rows`` keys over."""
    return max(1, math.ceil(expected_rows / max(1, bucket_rows)))


def bucket_of(key: str, buckets: int) -> int:
    """The bucket of a key (text as :func:`migrate.batches.keys.row_key` writes it)."""
    return hash32(key) % buckets


def expected_sums(hashes: dict[str, int], buckets: int) -> Sums:
    """Per bucket: how many keys and the sum of their row hashes."""
    sums: dict[int, list[int]] = {}
    for key, value in hashes.items():
        entry = sums.setdefault(bucket_of(key, buckets), [0, 0])
        entry[0] += 1
        entry[1] += value
    return {bucket: (count, total) for bucket, (count, total) in sums.items()}


def _bucket_sql(definition: sa.Table, obj: ObjectLoad, dialect: str, buckets: int) -> Any:
    key_hash = row_hash_sql(definition, key_columns(obj.columns, obj.key), dialect)
    return key_hash % buckets


def target_sums(conn: Connection, obj: ObjectLoad, buckets: int) -> Sums:
    """Per bucket, counted and summed inside the database."""
    definition = table_definition(obj.table, obj.columns, obj.key)
    dialect = conn.dialect.name
    inner = sa.select(
        _bucket_sql(definition, obj, dialect, buckets).label("bucket"),
        row_hash_sql(definition, obj.columns, dialect).label("row_hash"),
    ).subquery()
    query = sa.select(inner.c.bucket, sa.func.count(), sa.func.sum(inner.c.row_hash)).group_by(
        inner.c.bucket
    )
    return {int(b): (int(n), int(total)) for b, n, total in conn.execute(query)}


def fetch_buckets(
    conn: Connection, obj: ObjectLoad, buckets: int, wanted: Sequence[int]
) -> list[Row]:
    """The table's rows (typed) whose keys fall into the ``wanted`` buckets."""
    definition = hashing_definition(obj.table, obj.columns, obj.key, conn.dialect.name)
    bucket = _bucket_sql(definition, obj, conn.dialect.name, buckets)
    rows: list[Row] = []
    for start in range(0, len(wanted), FETCH_BUCKETS):
        part = list(wanted[start : start + FETCH_BUCKETS])
        query = sa.select(definition).where(bucket.in_(part))
        rows.extend(dict(row._mapping) for row in conn.execute(query))
    return rows


def compare_table(
    conn: Connection, obj: ObjectLoad, expected: Expected, bucket_rows: int, exists: bool
) -> TableCheck:
    """Compare the table with ``expected``; fetch only the buckets whose figures differ."""
    buckets = bucket_count(len(expected.hashes), bucket_rows)
    mine = expected_sums(expected.hashes, buckets)
    theirs = target_sums(conn, obj, buckets) if exists else {}
    differing = sorted(b for b in set(mine) | set(theirs) if mine.get(b) != theirs.get(b))
    fetched_rows = fetch_buckets(conn, obj, buckets, differing) if differing and exists else []
    fetched = {row_key(row, obj.key, obj.columns): row for row in fetched_rows}
    wanted = set(differing)
    in_differing = [k for k in expected.hashes if bucket_of(k, buckets) in wanted]
    missing = sorted(k for k in in_differing if k not in fetched)
    extra = sorted(k for k in fetched if k not in expected.hashes)
    changed = sorted(
        k
        for k in in_differing
        if k in fetched
        and row_hash([fetched[k][c.name] for c in obj.columns], obj.columns) != expected.hashes[k]
    )
    return TableCheck(buckets, differing, fetched, missing, extra, changed)
