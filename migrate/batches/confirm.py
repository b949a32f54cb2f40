"""Checking the project's records against the target itself.

A committed batch whose chunks the target no longer has (the target was
recreated, or restored from a backup older than the batch) did not stay
loaded: its record becomes ``lost``, and its rows are no longer left out of
later batches nor expected by reconciliation.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from migrate.batches import control
from migrate.batches.identity import TargetIdentity
from migrate.batches.state import COMMITTED, LOST, LoadRecords
from migrate.errors import TargetError
from migrate.io.urls import error_text


def confirm_batches(engine: Engine, records: LoadRecords, identity: TargetIdentity) -> list[str]:
    """Mark committed batches the target does not hold as lost; returns their ids."""
    committed = [r for r in records.batches(identity.id) if r.status == COMMITTED]
    if not committed:
        return []
    try:
        with engine.connect() as conn:
            present = control.batches_in_target(conn)
    except SQLAlchemyError as exc:
        raise TargetError(identity.display, error_text(exc, engine.url)) from None
    lost = []
    for record in committed:
        loaded_rows = any(int(entry.get("rows", 0)) > 0 for entry in record.objects)
        if record.batch not in present and loaded_rows:
            records.save(record.with_event("not found in the target", LOST))
            lost.append(record.batch)
    return lost
