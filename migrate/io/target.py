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
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from migrate.errors import TargetError
from migrate.io.target_values import SQL_TYPES, TargetColumn, convert
from migrate.io.urls import MissingVariable, error_text, expand_env, mask_url, parse_url

__all__ = [
    "LoadResult",
    "TargetColumn",
    "ensure_table",
    "load_frame",
    "open_target",
    "read_table",
]

BATCH_ROWS = 500
_STRICT_MODE = (
    "SET SESSION sql_mode = IF(@@SESSION.sql_mode = '', 'STRICT_ALL_TABLES', "
    "CONCAT(@@SESSION.sql_mode, ',STRICT_ALL_TABLES'))"
)

Row = dict[str, Any]


@dataclass(frozen=True)
class LoadResult:
    """How many rows a load inserted and how many it updated."""

    inserted: int
    updated: int


def open_target(url: str) -> Engine:
    """An engine for the target; ``${VAR}`` expanded, default drivers filled in."""
    try:
        parsed = parse_url(expand_env(url))
    except MissingVariable as exc:
        raise TargetError(
            "target database", f"environment variable {exc.variable} is not set"
        ) from None
    except ValueError as exc:
        raise TargetError("target database", str(exc)) from None
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


def table_definition(table: str, columns: Sequence[TargetColumn], key: Sequence[str]) -> sa.Table:
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
    )


def _sql_column(column: TargetColumn, is_key: bool) -> sa.Column[Any]:
    return sa.Column(
        column.name,
        SQL_TYPES[column.type](column, is_key),
        primary_key=is_key,
        nullable=column.nullable and not is_key,
    )


def ensure_table(engine: Engine, table: str, columns: list[TargetColumn], key: list[str]) -> None:
    """Create the table (primary key on ``key``) unless it exists; check one that does."""
    definition = table_definition(table, columns, key)
    with _database_errors(engine, table), engine.begin() as conn:
        inspector = sa.inspect(conn)
        if not inspector.has_table(definition.name, schema=definition.schema):
            definition.create(conn)
            return
        _check_existing(inspector, definition, key, table)


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
    statement = _upsert_statement(engine.dialect.name, definition, key, table)
    inserted = updated = 0
    with _database_errors(engine, table), engine.begin() as conn:
        for start in range(0, len(rows), BATCH_ROWS):
            batch = rows[start : start + BATCH_ROWS]
            existing = _count_existing(conn, definition, key, batch)
            _execute_batch(conn, statement, batch, key, table, engine)
            updated += existing
            inserted += len(batch) - existing
    return LoadResult(inserted=inserted, updated=updated)


def frame_rows(
    frame: pd.DataFrame, columns: Sequence[TargetColumn], key: Sequence[str], table: str
) -> list[Row]:
    """The frame's rows converted to the columns' types; raises on bad values or keys."""
    names = [column.name for column in columns]
    missing = [n for n in names if n not in frame.columns]
    extra = [str(c) for c in frame.columns if c not in names]
    if missing or extra:
        raise TargetError(
            table,
            f"frame does not match the table: missing {missing or '[]'}, extra {extra or '[]'}",
        )
    values = {column.name: frame[column.name].tolist() for column in columns}
    rows = [_convert_row(values, index, columns, key, table) for index in range(len(frame))]
    _check_keys(rows, key, table)
    return rows


def _convert_row(
    values: dict[str, list[Any]],
    index: int,
    columns: Sequence[TargetColumn],
    key: Sequence[str],
    table: str,
) -> Row:
    row: Row = {}
    for column in columns:
        raw = values[column.name][index]
        try:
            row[column.name] = convert(raw, column)
        except ValueError as exc:
            where = key_text({k: values[k][index] for k in key})
            raise TargetError(
                table, f"row with key {where}: column {column.name!r}: {exc}"
            ) from None
    return row


def _check_keys(rows: list[Row], key: Sequence[str], table: str) -> None:
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        values = tuple(row[k] for k in key)
        if any(value is None for value in values):
            raise TargetError(table, f"row with key {key_text(row, key)}: key value is missing")
        if values in seen:
            raise TargetError(table, f"key {key_text(row, key)} appears more than once")
        seen.add(values)


def key_text(row: Row, key: Sequence[str] | None = None) -> str:
    """A row's key for messages: ``id='007'`` or ``(a='1', b=2)``."""
    names = list(key) if key is not None else list(row)
    parts = [f"{name}={row[name]!r}" for name in names]
    return parts[0] if len(parts) == 1 else f"({', '.join(parts)})"


def _on_conflict(insert: Callable[[sa.Table], Any]) -> Callable[[sa.Table, list[str]], Any]:
    def build(table: sa.Table, key: list[str]) -> Any:
        statement = insert(table)
        updates = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in key}
        if not updates:
            return statement.on_conflict_do_nothing(index_elements=key)
        return statement.on_conflict_do_update(index_elements=key, set_=updates)

    return build


def _on_duplicate_key(table: sa.Table, key: list[str]) -> Any:
    statement = mysql.insert(table)
    updates = {c.name: statement.inserted[c.name] for c in table.columns if c.name not in key}
    return statement.on_duplicate_key_update(updates or {key[0]: table.c[key[0]]})


UPSERTS: dict[str, Callable[[sa.Table, list[str]], Any]] = {
    "sqlite": _on_conflict(sqlite.insert),
    "postgresql": _on_conflict(postgresql.insert),
    "mysql": _on_duplicate_key,
    "mariadb": _on_duplicate_key,
}


def _upsert_statement(dialect: str, definition: sa.Table, key: list[str], table: str) -> Any:
    build = UPSERTS.get(dialect)
    if build is None:
        raise TargetError(
            table, f"no upsert for database {dialect!r} (valid: {', '.join(sorted(UPSERTS))})"
        )
    return build(definition, key)


def _count_existing(conn: Connection, table: sa.Table, key: list[str], batch: list[Row]) -> int:
    """How many of the batch's keys are already in the table."""
    columns = [table.c[name] for name in key]
    if len(columns) == 1:
        condition = columns[0].in_([row[key[0]] for row in batch])
    else:
        condition = sa.tuple_(*columns).in_([tuple(row[k] for k in key) for row in batch])
    query = sa.select(sa.func.count()).select_from(table).where(condition)
    return int(conn.execute(query).scalar_one())


def _execute_batch(
    conn: Connection, statement: Any, batch: list[Row], key: list[str], table: str, engine: Engine
) -> None:
    try:
        with conn.begin_nested():
            conn.execute(statement, batch)
    except DBAPIError as batch_error:
        for row in batch:
            try:
                with conn.begin_nested():
                    conn.execute(statement, row)
            except DBAPIError as row_error:
                raise TargetError(
                    table,
                    f"row with key {key_text(row, key)} was refused, nothing was loaded: "
                    f"{_reason(row_error, engine)}",
                ) from None
        raise TargetError(
            table,
            f"batch from key {key_text(batch[0], key)} was refused, nothing was loaded: "
            f"{_reason(batch_error, engine)}",
        ) from None


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
