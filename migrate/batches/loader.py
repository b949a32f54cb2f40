"""Loading a run's package into a target database as one batch, resumably and undoably.

Every value is converted first: a value the target type cannot hold fails the
batch before the database is touched. The objects then go in, in dependency
order, in chunks of ``chunk_rows`` rows; each chunk is one transaction that
also saves the prior state of its rows and records itself as committed (see
:mod:`migrate.batches.control`). So:

* a chunk the database refuses is rolled back, every chunk the batch already
  committed is undone from the saved prior states, and :class:`LoadRefused`
  names every refused row of that chunk: the target is as it was;
* a load that dies (killed process, lost connection) leaves whole chunks only;
  :func:`resume_load` writes the chunks that are missing, and the result is
  the same as an uninterrupted load;
* loading the same run's package into the same target again upserts the same
  rows (nothing changes) and keeps the first prior states.

The project's state (:mod:`migrate.batches.state`) records the batch before
the first chunk and, when all are in, the keys and row hashes it loaded.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from migrate.batches import control
from migrate.batches.begin import begin_batch
from migrate.batches.identity import TargetIdentity, identify
from migrate.batches.keys import keys_and_hashes
from migrate.batches.package import (
    LoadPackage,
    ObjectLoad,
    read_object_frame,
    read_package,
    verify_files,
)
from migrate.batches.refusals import masked
from migrate.batches.state import (
    COMMITTED,
    FAILED,
    BatchRecord,
    LoadRecords,
)
from migrate.batches.undo import undo_batch
from migrate.errors import TargetError
from migrate.io.target import (
    ensure_table_in,
    open_target,
    table_definition,
)
from migrate.io.target_load import existing_rows, write_rows
from migrate.io.target_rows import Row, RowError, frame_rows
from migrate.io.urls import error_text, mask_url
from migrate.stages.base import Progress, no_progress

CHUNK_ROWS = 5000
# Test hook: pause (forever) inside the transaction of the N-th chunk written,
# so that a test can kill the process mid-load. Unset, it does nothing.
PAUSE_ENV = "MIGRATE_TEST_LOAD_PAUSE_AT_CHUNK"


@dataclass(frozen=True)
class LoadOptions:
    """How to load: chunk size, a name for the batch (e.g. from the batch plan), progress."""

    chunk_rows: int = CHUNK_ROWS
    label: str | None = None
    progress: Progress = no_progress


@dataclass(frozen=True)
class ObjectOutcome:
    """What one object's load did."""

    name: str
    table: str
    rows: int
    inserted: int
    updated: int
    chunks: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class BatchOutcome:
    """A finished batch."""

    batch: str
    target: TargetIdentity
    status: str
    objects: tuple[ObjectOutcome, ...]
    resumed: bool = False
    repeated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain data (no credential: the target is shown without password)."""
        return {
            "batch": self.batch,
            "target": self.target.display,
            "status": self.status,
            "resumed": self.resumed,
            "repeated": self.repeated,
            "objects": [obj.to_dict() for obj in self.objects],
        }


class LoadRefused(TargetError):
    """The target refused rows; every chunk of the batch was undone."""

    def __init__(self, target: str, batch: str, errors: list[RowError], undone: bool) -> None:
        self.batch = batch
        self.errors = errors
        first = errors[0]
        state = "the batch was undone" if undone else "undoing the batch failed: roll it back"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        problem = (
            f"{first.table}: row with key {first.key} was refused{more}, {state}, "
            f"nothing was loaded: {first.message}"
        )
        super().__init__(target, problem)


class _Refused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors


def load_package(
    package: LoadPackage, url: str, state: LoadRecords, options: LoadOptions | None = None
) -> BatchOutcome:
    """Load ``package`` into the target at ``url`` as a new batch (or repeat its batch)."""
    options = options or LoadOptions()
    engine = open_target(url)
    try:
        identity = identify(engine.url)
        converted = convert_package(package)
        with _database_errors(engine):
            record, repeated = begin_batch(engine, package, identity, state, (converted, options))
            return _load(engine, package, converted, record, state, options, repeated=repeated)
    finally:
        engine.dispose()


def resume_load(url: str, state: LoadRecords, options: LoadOptions | None = None) -> BatchOutcome:
    """Finish the target's interrupted batch from its package: the missing chunks only."""
    options = options or LoadOptions()
    engine = open_target(url)
    try:
        identity = identify(engine.url)
        record = state.unfinished(identity.id)
        if record is None:
            raise TargetError(identity.display, "no interrupted batch to resume")
        package = read_package(Path(record.out_dir))
        if package.files != record.files:
            raise TargetError(
                identity.display,
                f"the load files in {record.out_dir} are not those batch {record.batch} loaded",
            )
        verify_files(package)
        converted = convert_package(package)
        record = record.with_event("resumed")
        state.save(record)
        with _database_errors(engine):
            return _load(engine, package, converted, record, state, options, resumed=True)
    finally:
        engine.dispose()


@contextmanager
def _database_errors(engine: Engine) -> Iterator[None]:
    """A database error outside the chunks (connecting, creating tables) as a TargetError."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise TargetError(mask_url(engine.url), error_text(exc, engine.url)) from None


def convert_package(package: LoadPackage) -> dict[str, list[Row]]:
    """Every object's rows converted to the target types; the first bad value raises."""
    return {
        obj.name: frame_rows(read_object_frame(package, obj), obj.columns, obj.key, obj.table)
        for obj in package.objects
    }


def _load(
    engine: Engine,
    package: LoadPackage,
    converted: dict[str, list[Row]],
    record: BatchRecord,
    state: LoadRecords,
    options: LoadOptions,
    *,
    resumed: bool = False,
    repeated: bool = False,
) -> BatchOutcome:
    with engine.begin() as conn:
        control.ensure_control_tables(conn)
        for obj in package.objects:
            ensure_table_in(conn, obj.table, obj.columns, obj.key)
    with engine.connect() as conn:
        done = control.committed_chunks(conn, record.batch)
    pause_at, written = _pause_at(), 0
    for obj in package.objects:
        rows = converted[obj.name]
        starts = range(0, len(rows), record.chunk_rows)
        for number, start in enumerate(starts):
            options.progress(f"load {obj.name}", number, len(starts))
            if (obj.name, number) in done:
                continue
            chunk = rows[start : start + record.chunk_rows]
            written += 1
            _write_chunk(engine, record, (obj, number, chunk), state, pause=written == pause_at)
        options.progress(f"load {obj.name}", len(starts), len(starts))
    return _finish(engine, package, converted, record, state, resumed, repeated)


def _write_chunk(
    engine: Engine,
    record: BatchRecord,
    part: tuple[ObjectLoad, int, list[Row]],
    state: LoadRecords,
    *,
    pause: bool = False,
) -> None:
    """Write one chunk in its own transaction, with its prior states and its checkpoint."""
    obj, number, chunk = part
    definition = table_definition(obj.table, obj.columns, obj.key)
    try:
        with engine.begin() as conn:
            existing = existing_rows(conn, definition, obj.key, chunk)
            control.save_priors(conn, record.batch, obj.name, chunk, existing, obj.key, obj.columns)
            refused = write_rows(conn, definition, obj.key, chunk, table=obj.table, find_all=True)
            if refused:
                raise _Refused(masked(refused, chunk, obj))
            counts = (len(chunk), len(chunk) - len(existing), len(existing))
            control.record_chunk(conn, record.batch, obj.name, number, counts)
            if pause:
                _pause_forever(obj.name, number)
    except _Refused as refused:
        _fail(engine, record, state, refused.errors)
    except SQLAlchemyError as exc:
        raise TargetError(
            record.target.display,
            f"load of batch {record.batch} interrupted in {obj.name} chunk {number}: "
            f"{type(exc).__name__}; whole chunks only were committed: resume it "
            "(migrate load --resume) or undo it (migrate rollback --batch "
            f"{record.batch})",
        ) from None


def _fail(engine: Engine, record: BatchRecord, state: LoadRecords, errors: list[RowError]) -> None:
    try:
        with engine.begin() as conn:
            undo_batch(conn, record)
    except SQLAlchemyError:
        state.save(record.with_event("refused", refused=len(errors)))
        raise LoadRefused(record.target.display, record.batch, errors, undone=False) from None
    state.save(record.with_event("refused and undone", FAILED, refused=len(errors)))
    raise LoadRefused(record.target.display, record.batch, errors, undone=True)


def _pause_at() -> int | None:
    wanted = os.environ.get(PAUSE_ENV, "")
    return int(wanted) if wanted.isdigit() else None


def _pause_forever(obj: str, number: int) -> None:
    """Test hook (PAUSE_ENV): stop inside the chunk's open transaction until killed."""
    print(f"load paused in {obj} chunk {number} ({PAUSE_ENV})", file=sys.stderr, flush=True)
    while True:
        time.sleep(1)


def _finish(
    engine: Engine,
    package: LoadPackage,
    converted: dict[str, list[Row]],
    record: BatchRecord,
    state: LoadRecords,
    resumed: bool,
    repeated: bool,
) -> BatchOutcome:
    with engine.connect() as conn:
        done = control.committed_chunks(conn, record.batch)
    outcomes = []
    for obj in package.objects:
        counts = [c for (name, _), c in done.items() if name == obj.name]
        inserted = sum(c[1] for c in counts)
        updated = sum(c[2] for c in counts)
        rows = sum(c[0] for c in counts)
        outcomes.append(ObjectOutcome(obj.name, obj.table, rows, inserted, updated, len(counts)))
        keys = keys_and_hashes(converted[obj.name], obj.key, obj.columns)
        state.write_keys(record.target.id, record.batch, obj.name, keys)
    totals = {o.name: {"inserted": o.inserted, "updated": o.updated} for o in outcomes}
    state.save(record.with_event("committed", COMMITTED, objects=totals))
    return BatchOutcome(
        record.batch, record.target, COMMITTED, tuple(outcomes), resumed=resumed, repeated=repeated
    )
