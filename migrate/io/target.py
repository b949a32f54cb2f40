"""The SQL target: creating tables and loading frames by upsert in one transaction.

:func:`load_frame` converts every value to its column's type first (a value
that does not convert fails before the database is touched), then upserts by
business key in batches inside one transaction: SQLite and PostgreSQL use
``INSERT ... ON CONFLICT DO UPDATE``, MariaDB/MySQL ``ON DUPLICATE KEY UPDATE``.
Loading the same frame twice leaves the same rows. When the database refuses
a batch, the batch is retried row by row inside savepoints to find the row to
blame, the whole transaction is rolled back and TargetError names the table
and that row's key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from migrate.errors import TargetError
from migrate.io.target_hash import register_sqlite_functions
from migrate.io.target_load import existing_rows, upsert_statement, write_rows
from migrate.io.target_rows import frame_rows, key_text
from migrate.io.target_values import SQL_TYPES, TargetColumn
from migrate.io.urls import MissingVariable, error_text, expand_env, mask_url, parse_url

__all__ = [
    "LoadResult",
    "TargetColumn",
    "ensure_table",
    "frame_rows",
    "key_text",
    "load_frame",
    "open_target",
    "read_table",
]

BATCH_ROWS = 500
_STRICT_MODE = (
    "SET SESSION sql_mode = IF(@@SESSION.sql_mode = '', 'STRICT_ALL_TABLES', "
    "CONCAT(@@SESSION.sql_mode, ',STRICT_ALL_TABLES'))"
)


@dataclass(frozen=True)
class LoadResult:
    """How many rows a load inserted and how many it updated."""

    inserted: int
    updated: int


def parse_target_url(url: str) -> sa.engine.URL:
    """The target's URL with ``${VAR}`` expanded; a TargetError when it cannot be."""
    try:
        return parse_url(expand_env(url))
    except MissingVariable as exc:
        raise TargetError(
            "target database", f"environment variable {exc.variable} is not set"
        ) from None
    except ValueError as exc:
        raise TargetError("target database", str(exc)) from None


def open_target(url: str) -> Engine:
    """An engine for the target; ``${VAR}`` expanded, default drivers filled in."""
    parsed = parse_target_url(url)
    engine = sa.create_engine(parsed)
    setup = _ENGINE_SETUP.get(engine.dialect.name)
    if setup is not None:
        setup(engine)
    return engine


def _sqlite_setup(engine: Engine) -> None:
    """Let SQLAlchemy emit BEGIN so that SAVEPOINTs nest inside the transaction."""

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None
        register_sqlite_functions(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


def _mysql_setup(engine: Engine) -> None:
    """Strict mode: refuse (never truncate or default) values that do not fit."""

    @event.listens_for(engine, "connect")
    def _strict(dbapi_connection: Any, record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(_STRICT_MODE)


_ENGINE_SETUP: dict[str, Callable[[Engine], None]] = {
    "sqlite": _sqlite_setup,
    "mysql": _mysql_setup,
    "mariadb": _mysql_setup,
}


@contextmanager
def _database_errors(engine: Engine, target: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        raise TargetError(target, _reason(exc, engine)) from None


def _reason(exc: SQLAlchemyError, engine: Engine) -> str:
    return f"{error_text(exc, engine.url)} (database {mask_url(engine.url)})"


def table_definition(
    table: str, columns: Sequence[TargetColumn], key: Sequence[str], *, temporary: bool = False
) -> sa.Table:
    """The SQLAlchemy table for ``columns``, primary key on ``key``."""
    names = [column.name for column in columns]
    problems = [f"duplicate column {n!r}" for n in sorted({n for n in names if names.count(n) > 1})]
    problems += [f"key column {k!r} is not a column" for k in key if k not in names]
    problems += [
        f"column {c.name!r} has unknown type {c.type!r} (valid: {', '.join(sorted(SQL_TYPES))})"
        for c in columns
        if c.type not in SQL_TYPES
    ]
    if not key:
        problems.append("no key columns given")
    if problems:
        raise TargetError(table, "; ".join(problems))
    schema, _, name = table.rpartition(".")
    return sa.Table(
        name,
        sa.MetaData(),
        *(_sql_column(column, column.name in key) for column in columns),
        schema=schema or None,
        prefixes=["TEMPORARY"] if temporary else [],
    )


def hashing_definition(
    table: str, columns: Sequence[TargetColumn], key: Sequence[str], dialect: str
) -> sa.Table:
    """The table for reading rows to hash: on SQLite, decimals come back as the floats it
    stores (so Python hashes exactly what SQLite's own hash sees), elsewhere as Decimals."""
    definition = table_definition(table, columns, key)
    if dialect != "sqlite":
        return definition
    for column in columns:
        if column.type == "decimal":
            definition.c[column.name].type = sa.Numeric(asdecimal=False)
    return definition


def _sql_column(column: TargetColumn, is_key: bool) -> sa.Column[Any]:
    return sa.Column(
        column.name,
        SQL_TYPES[column.type](column, is_key),
        primary_key=is_key,
        nullable=column.nullable and not is_key,
    )


def ensure_table(engine: Engine, table: str, columns: list[TargetColumn], key: list[str]) -> None:
    """Create the table (primary key on ``key``) unless it exists; check one that does."""
    with _database_errors(engine, table), engine.begin() as conn:
        ensure_table_in(conn, table, columns, key)


def ensure_table_in(
    conn: Connection,
    table: str,
    columns: list[TargetColumn],
    key: list[str],
    *,
    temporary: bool = False,
) -> bool:
    """:func:`ensure_table` on an open connection; True when the table was created.

    With ``temporary``, a missing table is created as a temporary table that
    lives as long as the connection (so a simulation changes no schema; on
    MariaDB a temporary table also does not end the open transaction).
    """
    definition = table_definition(table, columns, key, temporary=temporary)
    inspector = sa.inspect(conn)
    if inspector.has_table(definition.name, schema=definition.schema):
        _check_existing(inspector, definition, key, table)
        return False
    definition.create(conn)
    return True


def _check_existing(
    inspector: sa.Inspector, definition: sa.Table, key: list[str], table: str
) -> None:
    schema, name = definition.schema, definition.name
    found = {column["name"] for column in inspector.get_columns(name, schema=schema)}
    missing = [column.name for column in definition.columns if column.name not in found]
    if missing:
        raise TargetError(table, f"existing table lacks column(s): {', '.join(missing)}")
    unique_sets = [set(inspector.get_pk_constraint(name, schema=schema)["constrained_columns"])]
    unique_sets += [
        set(u["column_names"]) for u in inspector.get_unique_constraints(name, schema=schema)
    ]
    unique_sets += [
        {str(c) for c in i["column_names"]}
        for i in inspector.get_indexes(name, schema=schema)
        if i["unique"]
    ]
    if set(key) not in unique_sets:
        raise TargetError(
            table, f"existing table has no primary key or unique constraint on ({', '.join(key)})"
        )


def load_frame(
    engine: Engine,
    table: str,
    frame: pd.DataFrame,
    key: list[str],
    columns: list[TargetColumn],
) -> LoadResult:
    """Upsert ``frame`` by ``key`` in one transaction; all rows or none."""
    definition = table_definition(table, columns, key)
    rows = frame_rows(frame, columns, key, table)
    upsert_statement(engine.dialect.name, definition, key, table)
    inserted = updated = 0
    with _database_errors(engine, table), engine.begin() as conn:
        for start in range(0, len(rows), BATCH_ROWS):
            batch = rows[start : start + BATCH_ROWS]
            existing = len(existing_rows(conn, definition, key, batch))
            refused = write_rows(conn, definition, key, batch, table=table)
            if refused:
                raise TargetError(table, refused_message(refused[0].key, refused[0].message))
            updated += existing
            inserted += len(batch) - existing
    return LoadResult(inserted=inserted, updated=updated)


def refused_message(key: str, reason: str) -> str:
    """The message of a load that a refused row ended."""
    return f"row with key {key} was refused, nothing was loaded: {reason}"


def read_table(
    engine: Engine, table: str, columns: list[TargetColumn] | None = None
) -> pd.DataFrame:
    """The table's rows ordered by primary key, values as Python objects (None for NULL).

    With ``columns``, values are read through those column types (so booleans are
    ``bool`` on every database); without, through the reflected table's types.
    """
    schema, _, name = table.rpartition(".")
    with _database_errors(engine, table), engine.connect() as conn:
        reflected = sa.Table(name, sa.MetaData(), schema=schema or None, autoload_with=conn)
        order = [c.name for c in reflected.primary_key.columns] or [c.name for c in reflected.c]
        definition = reflected if columns is None else table_definition(table, columns, order)
        query = sa.select(definition).order_by(*(definition.c[n] for n in order))
        result = conn.execute(query)
        records = [tuple(row) for row in result]
        return pd.DataFrame(records, columns=list(result.keys()), dtype=object)
