"""Simulating a load: the whole package goes into the real target inside one transaction
that is rolled back, and every row the target refuses is listed with its reason.

Values that cannot take the target type (type, length, missing or repeated key)
are found before the database; everything else the database itself says
(NOT NULL, a shorter column than the mapping declares, a CHECK, a trigger ...).
A table the target lacks is created as a temporary table, so a simulation
changes no schema and, on MariaDB, does not end its own transaction. The
project's state is not touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from migrate.batches.confirm import confirm_batches
from migrate.batches.identity import TargetIdentity, identify
from migrate.batches.keys import row_key
from migrate.batches.loader import CHUNK_ROWS
from migrate.batches.package import LoadPackage, ObjectLoad, read_object_frame, verify_files
from migrate.batches.refusals import masked
from migrate.batches.state import LoadRecords
from migrate.errors import TargetError
from migrate.io.target import ensure_table_in, open_target, table_definition
from migrate.io.target_load import existing_rows, write_rows
from migrate.io.target_rows import Row, RowError, convert_rows
from migrate.io.urls import error_text


@dataclass(frozen=True)
class SimulatedObject:
    """What loading one object would do."""

    name: str
    table: str
    rows: int
    would_insert: int
    would_update: int
    refused: int
    created: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class Simulation:
    """The outcome of a simulated load: per object, and every refused row."""

    target: TargetIdentity
    run_id: str
    objects: tuple[SimulatedObject, ...]
    errors: tuple[RowError, ...]
    already_loaded: dict[str, int]

    @property
    def clean(self) -> bool:
        """Every row would load, and none repeats an earlier batch."""
        return not self.errors and not any(self.already_loaded.values())

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the target without password)."""
        return {
            "target": self.target.display,
            "run_id": self.run_id,
            "clean": self.clean,
            "objects": [obj.to_dict() for obj in self.objects],
            "already_loaded": dict(self.already_loaded),
            "errors": [error.to_dict() for error in self.errors],
        }


def simulate_package(
    package: LoadPackage, url: str, state: LoadRecords | None = None, chunk_rows: int = CHUNK_ROWS
) -> Simulation:
    """Load ``package`` into ``url`` inside a transaction, collect refusals, roll back."""
    verify_files(package)
    engine = open_target(url)
    try:
        identity = identify(engine.url)
        if state is not None:
            confirm_batches(engine, state, identity)
        objects, errors, overlap = [], [], {}
        try:
            with engine.connect() as conn, conn.begin() as transaction:
                for obj in package.objects:
                    outcome, rows, found = _simulate_object(conn, package, obj, max(1, chunk_rows))
                    objects.append(outcome)
                    errors.extend(found)
                    overlap[obj.name] = _already_loaded(obj, rows, identity, state)
                transaction.rollback()
        except SQLAlchemyError as exc:
            raise TargetError(identity.display, error_text(exc, engine.url)) from None
        return Simulation(identity, package.run_id, tuple(objects), tuple(errors), overlap)
    finally:
        engine.dispose()


def _simulate_object(
    conn: Connection, package: LoadPackage, obj: ObjectLoad, chunk_rows: int
) -> tuple[SimulatedObject, list[Row], list[RowError]]:
    frame = read_object_frame(package, obj)
    rows, errors = convert_rows(frame, obj.columns, obj.key, obj.table)
    created = ensure_table_in(conn, obj.table, obj.columns, obj.key, temporary=True)
    definition = table_definition(obj.table, obj.columns, obj.key)
    existing = 0
    for start in range(0, len(rows), chunk_rows):
        chunk = rows[start : start + chunk_rows]
        existing += len(existing_rows(conn, definition, obj.key, chunk))
        found = write_rows(conn, definition, obj.key, chunk, table=obj.table, find_all=True)
        errors.extend(masked(found, chunk, obj))
    outcome = SimulatedObject(
        name=obj.name,
        table=obj.table,
        rows=len(frame),
        would_insert=len(rows) - existing,
        would_update=existing,
        refused=len({error.key for error in errors}),
        created=created,
    )
    return outcome, rows, errors


def _already_loaded(
    obj: ObjectLoad, rows: list[Row], identity: TargetIdentity, state: LoadRecords | None
) -> int:
    """How many of the rows earlier batches loaded (a real load would refuse them)."""
    if state is None:
        return 0
    earlier = state.loaded_keys(identity.id, obj.name)
    if earlier.empty:
        return 0
    mine = {row_key(row, obj.key, obj.columns) for row in rows}
    return int(earlier["key"].isin(mine).sum())
