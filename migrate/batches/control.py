"""Control tables in the target: committed chunks and the prior state of every row a batch wrote.

Both are written in the same transaction as the chunk of data they describe,
so after a crash the target itself says exactly which chunks went in, and
what each row looked like before the batch (``prior`` is NULL for a row the
batch inserted). A row's prior state is saved once per batch: a chunk that
is written again (a resumed or repeated load) keeps the first.

``migrate_load_chunk``: batch_id, object_name, chunk_no, row_count, inserted, updated
``migrate_load_prior``: batch_id, object_name, key_text, prior (JSON: key and row values)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from migrate.batches.keys import row_key
from migrate.io.target_hash import canonical_text
from migrate.io.target_rows import Row
from migrate.io.target_values import TargetColumn, convert

CHUNK_TABLE = "migrate_load_chunk"
PRIOR_TABLE = "migrate_load_prior"
_NAME = 120
_KEY_TEXT = 500

_metadata = sa.MetaData()
chunks = sa.Table(
    CHUNK_TABLE,
    _metadata,
    sa.Column("batch_id", sa.String(_NAME), primary_key=True),
    sa.Column("object_name", sa.String(_NAME), primary_key=True),
    sa.Column("chunk_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("row_count", sa.Integer, nullable=False),
    sa.Column("inserted", sa.Integer, nullable=False),
    sa.Column("updated", sa.Integer, nullable=False),
)
priors = sa.Table(
    PRIOR_TABLE,
    _metadata,
    sa.Column("batch_id", sa.String(_NAME), primary_key=True),
    sa.Column("object_name", sa.String(_NAME), primary_key=True),
    sa.Column("key_text", sa.String(_KEY_TEXT), primary_key=True),
    sa.Column("prior", sa.Text, nullable=True),
)


@dataclass(frozen=True)
class Prior:
    """A row as it was before a batch: its key values, and its values (None: it did not exist)."""

    key: dict[str, Any]
    row: dict[str, Any] | None


def ensure_control_tables(conn: Connection) -> None:
    """Create the control tables where they are missing."""
    _metadata.create_all(conn, checkfirst=True)


def has_control_tables(conn: Connection) -> bool:
    """Whether the target has the control tables."""
    return sa.inspect(conn).has_table(CHUNK_TABLE)


def batches_in_target(conn: Connection) -> set[str]:
    """The batches the target holds committed chunks of."""
    if not has_control_tables(conn):
        return set()
    return set(conn.execute(sa.select(chunks.c.batch_id).distinct()).scalars())


def committed_chunks(conn: Connection, batch: str) -> dict[tuple[str, int], tuple[int, int, int]]:
    """(object, chunk) -> (rows, inserted, updated) of every committed chunk of the batch."""
    query = sa.select(chunks).where(chunks.c.batch_id == batch)
    return {
        (row.object_name, row.chunk_no): (row.row_count, row.inserted, row.updated)
        for row in conn.execute(query)
    }


def record_chunk(
    conn: Connection, batch: str, obj: str, chunk: int, counts: tuple[int, int, int]
) -> None:
    """Record a chunk as written (commits with the chunk's rows)."""
    rows, inserted, updated = counts
    conn.execute(
        sa.insert(chunks).values(
            batch_id=batch,
            object_name=obj,
            chunk_no=chunk,
            row_count=rows,
            inserted=inserted,
            updated=updated,
        )
    )


def save_priors(
    conn: Connection,
    batch: str,
    obj: str,
    rows: Sequence[Row],
    existing: Sequence[Row],
    key: Sequence[str],
    columns: Sequence[TargetColumn],
) -> None:
    """Save the prior state of the rows about to be written, unless saved before."""
    before = {row_key(row, key, columns): row for row in existing}
    wanted = {row_key(row, key, columns): row for row in rows}
    saved = _saved_keys(conn, batch, obj, list(wanted))
    entries = [
        {
            "batch_id": batch,
            "object_name": obj,
            "key_text": text,
            "prior": _prior_json(row, before.get(text), key, columns),
        }
        for text, row in wanted.items()
        if text not in saved
    ]
    if entries:
        conn.execute(sa.insert(priors), entries)


def _saved_keys(conn: Connection, batch: str, obj: str, texts: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(texts), 500):
        query = sa.select(priors.c.key_text).where(
            priors.c.batch_id == batch,
            priors.c.object_name == obj,
            priors.c.key_text.in_(texts[start : start + 500]),
        )
        found.update(conn.execute(query).scalars())
    return found


def _prior_json(
    row: Row, existing: Row | None, key: Sequence[str], columns: Sequence[TargetColumn]
) -> str:
    by_name = {column.name: column for column in columns}
    key_values = {name: canonical_text(row[name], by_name[name]) for name in key}
    values = (
        None if existing is None else {c.name: canonical_text(existing[c.name], c) for c in columns}
    )
    return json.dumps({"key": key_values, "row": values}, ensure_ascii=False, sort_keys=True)


def read_priors(
    conn: Connection, batch: str, obj: str, columns: Sequence[TargetColumn]
) -> list[Prior]:
    """The saved prior states of the batch's rows of ``obj``, typed by ``columns``."""
    by_name = {column.name: column for column in columns}
    query = (
        sa.select(priors.c.prior)
        .where(priors.c.batch_id == batch, priors.c.object_name == obj)
        .order_by(priors.c.key_text)
    )
    found = []
    for text in conn.execute(query).scalars():
        data = json.loads(text)
        key = {name: convert(value, by_name[name]) for name, value in data["key"].items()}
        row = data["row"]
        typed = None if row is None else {n: convert(v, by_name[n]) for n, v in row.items()}
        found.append(Prior(key=key, row=typed))
    return found


def forget_batch(conn: Connection, batch: str) -> None:
    """Delete the batch's chunk checkpoints and saved prior states."""
    conn.execute(sa.delete(chunks).where(chunks.c.batch_id == batch))
    conn.execute(sa.delete(priors).where(priors.c.batch_id == batch))


def forget_chunks(conn: Connection, batch: str) -> None:
    """Delete the batch's chunk checkpoints (keeping prior states), for a repeated load."""
    conn.execute(sa.delete(chunks).where(chunks.c.batch_id == batch))
