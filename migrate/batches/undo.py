"""Undoing a batch from the prior states its chunks saved, and rolling back committed batches.

:func:`undo_batch` runs inside the caller's transaction: per object, in reverse
dependency order, rows the batch inserted are deleted and rows it changed get
their prior values back; then the batch's control rows go. :func:`rollback_batch`
is ``migrate rollback``: it undoes one batch in one transaction and marks it
rolled back in the project's state. Batches are rolled back newest first, so a
later batch never loses the records its rows refer to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from migrate.batches import control
from migrate.batches.identity import identify
from migrate.batches.package import ObjectLoad
from migrate.batches.state import LOADING, ROLLED_BACK, BatchRecord, LoadRecords, check_batch_id
from migrate.errors import TargetError
from migrate.io.target import open_target, table_definition
from migrate.io.target_load import key_condition, write_rows
from migrate.io.urls import error_text

_DELETE_STEP = 500


@dataclass(frozen=True)
class RestoredObject:
    """What undoing a batch did to one table."""

    name: str
    table: str
    restored: int
    deleted: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return dict(self.__dict__)


def record_objects(record: BatchRecord) -> list[ObjectLoad]:
    """The objects a batch record describes, in load order."""
    return [ObjectLoad.from_dict(entry["name"], entry) for entry in record.objects]


def undo_batch(conn: Connection, record: BatchRecord) -> list[RestoredObject]:
    """Put back every row the batch wrote, inside ``conn``'s transaction."""
    if not control.has_control_tables(conn):
        return []
    done = []
    for obj in reversed(record_objects(record)):
        done.append(_restore(conn, record.batch, obj))
    control.forget_batch(conn, record.batch)
    return list(reversed(done))


def _restore(conn: Connection, batch: str, obj: ObjectLoad) -> RestoredObject:
    definition = table_definition(obj.table, obj.columns, obj.key)
    priors = control.read_priors(conn, batch, obj.name, obj.columns)
    gone = [prior.key for prior in priors if prior.row is None]
    back = [prior.row for prior in priors if prior.row is not None]
    for start in range(0, len(gone), _DELETE_STEP):
        part = gone[start : start + _DELETE_STEP]
        conn.execute(sa.delete(definition).where(key_condition(definition, obj.key, part)))
    refused = write_rows(conn, definition, obj.key, back, table=obj.table)
    if refused:
        raise TargetError(
            obj.table, f"prior state of {refused[0].key} was refused: {refused[0].message}"
        )
    return RestoredObject(obj.name, obj.table, restored=len(back), deleted=len(gone))


def rollback_batch(url: str, state: LoadRecords, batch: str) -> list[RestoredObject]:
    """Undo a committed (or interrupted) batch: the target is as it was before it."""
    check_batch_id(batch)
    engine = open_target(url)
    try:
        identity = identify(engine.url)
        record = state.get(identity.id, batch)
        if record is None:
            known = ", ".join(r.batch for r in state.batches(identity.id)) or "none"
            raise TargetError(identity.display, f"no batch {batch} in this target (known: {known})")
        _check_newest(record, state)
        try:
            with engine.begin() as conn:
                restored = undo_batch(conn, record)
        except SQLAlchemyError as exc:
            raise TargetError(identity.display, error_text(exc, engine.url)) from None
        state.save(record.with_event("rolled back", ROLLED_BACK))
        return restored
    finally:
        engine.dispose()


def _check_newest(record: BatchRecord, state: LoadRecords) -> None:
    if record.status == ROLLED_BACK:
        raise TargetError(record.target.display, f"batch {record.batch} is already rolled back")
    later = [
        r.batch
        for r in state.batches(record.target.id)
        if r.seq > record.seq and (r.status == LOADING or r.status == "committed")
    ]
    if later:
        raise TargetError(
            record.target.display,
            f"batch {record.batch} has later batches in this target: roll back "
            f"{', '.join(reversed(later))} first",
        )
