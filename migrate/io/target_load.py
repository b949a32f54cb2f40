"""Writing rows into a target table inside an open transaction: bulk first, then row by row.

:func:`write_rows` upserts by business key. PostgreSQL gets the rows by ``COPY``
into a temporary staging table and one ``INSERT ... SELECT ... ON CONFLICT DO
UPDATE``; SQLite uses ``ON CONFLICT DO UPDATE`` and MariaDB/MySQL ``ON
DUPLICATE KEY UPDATE`` through ``executemany``. The bulk step runs in a
savepoint; when the database refuses it, each row is tried in its own savepoint
so that every refused row is named with the database's reason. The caller
decides what a refusal means: a load rolls back, a simulation reports it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from migrate.errors import TargetError
from migrate.io.target_rows import (
    KIND_CONSTRAINT,
    KIND_DATABASE,
    KIND_VALUE,
    Row,
    RowError,
    key_text,
)
from migrate.io.urls import error_text

STAGE_PREFIX = "migrate_stage_"
_PG_NAME_LIMIT = 63


class _BulkRefused(Exception):
    """The bulk step failed inside the driver (e.g. COPY refused a value)."""


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


def upsert_statement(dialect: str, definition: sa.Table, key: list[str], table: str) -> Any:
    """The dialect's upsert of ``definition`` by ``key``."""
    build = UPSERTS.get(dialect)
    if build is None:
        raise TargetError(
            table, f"no upsert for database {dialect!r} (valid: {', '.join(sorted(UPSERTS))})"
        )
    return build(definition, key)


def write_rows(
    conn: Connection,
    definition: sa.Table,
    key: list[str],
    rows: list[Row],
    *,
    table: str,
    find_all: bool = False,
) -> list[RowError]:
    """Upsert ``rows``; returns the refused rows (the first only, unless ``find_all``).

    Rows that went in stay written inside the caller's transaction; the caller
    rolls back when anything was refused and that must not stand.
    """
    if not rows:
        return []
    dialect = conn.dialect.name
    statement = upsert_statement(dialect, definition, key, table)
    try:
        with conn.begin_nested():
            if dialect == "postgresql":
                _copy_upsert(conn, definition, key, rows)
            else:
                conn.execute(statement, rows)
        return []
    except (DBAPIError, _BulkRefused):
        pass
    errors = _row_by_row(conn, statement, rows, key, table, find_all)
    if not errors:
        first = key_text(rows[0], key)
        message = f"batch from key {first} was refused, but every row alone was accepted"
        errors.append(RowError(table, first, None, KIND_DATABASE, message))
    return errors


def _row_by_row(
    conn: Connection, statement: Any, rows: list[Row], key: list[str], table: str, find_all: bool
) -> list[RowError]:
    errors: list[RowError] = []
    for row in rows:
        try:
            with conn.begin_nested():
                conn.execute(statement, row)
        except DBAPIError as refused:
            where = key_text(row, key)
            reason = error_text(refused, conn.engine.url)
            errors.append(RowError(table, where, None, classify(refused), reason))
            if not find_all:
                break
    return errors


# MariaDB / MySQL report a failed CHECK as an operational error with these codes.
_MYSQL_CHECK_FAILED = {4025, 3819}


def classify(error: DBAPIError) -> str:
    """The kind of a database refusal: constraint, value (type/length/range) or other."""
    code = error.orig.args[0] if error.orig is not None and error.orig.args else None
    if isinstance(error, IntegrityError) or code in _MYSQL_CHECK_FAILED:
        return KIND_CONSTRAINT
    if isinstance(error, DataError):
        return KIND_VALUE
    return KIND_DATABASE


def _copy_upsert(conn: Connection, definition: sa.Table, key: list[str], rows: list[Row]) -> None:
    """PostgreSQL: COPY into a temporary staging table, then one upsert from it."""
    import psycopg

    names = [column.name for column in definition.columns]
    preparer = conn.dialect.identifier_preparer
    stage_name = (STAGE_PREFIX + definition.name)[:_PG_NAME_LIMIT]
    stage = preparer.quote(stage_name)
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} "
        f"(LIKE {preparer.format_table(definition)} INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    conn.exec_driver_sql(f"TRUNCATE {stage}")
    column_list = ", ".join(preparer.quote(name) for name in names)
    driver = conn.connection.driver_connection
    assert driver is not None
    try:
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {stage} ({column_list}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([row[name] for name in names])
    except psycopg.Error as refused:
        raise _BulkRefused(str(refused)) from refused
    staged = sa.table(stage_name, *(sa.column(name) for name in names))
    insert = postgresql.insert(definition).from_select(names, sa.select(*staged.c))
    updates = {name: insert.excluded[name] for name in names if name not in key}
    if updates:
        conn.execute(insert.on_conflict_do_update(index_elements=key, set_=updates))
    else:
        conn.execute(insert.on_conflict_do_nothing(index_elements=key))


def key_condition(definition: sa.Table, key: Sequence[str], rows: Sequence[Row]) -> Any:
    """``WHERE`` the key is one of the rows' keys."""
    columns = [definition.c[name] for name in key]
    if len(columns) == 1:
        return columns[0].in_([row[key[0]] for row in rows])
    return sa.tuple_(*columns).in_([tuple(row[k] for k in key) for row in rows])


def existing_rows(
    conn: Connection, definition: sa.Table, key: Sequence[str], rows: Sequence[Row], step: int = 500
) -> list[Row]:
    """The table's current rows that have the keys of ``rows`` (typed by the definition)."""
    found: list[Row] = []
    for start in range(0, len(rows), step):
        part = rows[start : start + step]
        query = sa.select(definition).where(key_condition(definition, key, part))
        found.extend(dict(row._mapping) for row in conn.execute(query))
    return found
