"""Legacy SQL tables and queries, read strictly read-only.

Every read runs in a read-only transaction that is rolled back at the end:
SQLite is opened through a ``mode=ro`` URI (and ``PRAGMA query_only``),
PostgreSQL gets ``SET TRANSACTION READ ONLY`` and MariaDB/MySQL
``START TRANSACTION READ ONLY`` before the first read. Rows stream through a
server-side cursor (``yield_per``). A ``query`` must be one SELECT or WITH
statement. Messages show URLs only with the password masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from migrate.errors import SourceError
from migrate.io.spec import SourceSpec
from migrate.io.text import cell_text, clean_header, text_frame
from migrate.io.urls import MissingVariable, error_text, expand_env, mask_url, parse_url

_READ_ONLY_BEGIN = {
    "postgresql": "SET TRANSACTION READ ONLY",
    "mysql": "START TRANSACTION READ ONLY",
    "mariadb": "START TRANSACTION READ ONLY",
    "sqlite": "PRAGMA query_only = ON",
}
_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_LITERALS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`")


def resolve_url(url: str, source: str = "database URL") -> str:
    """``url`` with every ``${VAR}`` replaced from the environment.

    A missing variable raises SourceError naming the variable (never the URL).
    """
    try:
        return expand_env(url)
    except MissingVariable as exc:
        raise SourceError(source, f"environment variable {exc.variable} is not set") from None


def label(spec: SourceSpec, base_dir: Path) -> str:
    what = f"table {spec.table}" if spec.table else "query"
    try:
        shown = mask_url(_given_url(spec))
    except SourceError:
        shown = "URL not resolved"
    return f"{spec.name} ({shown}, {what})"


def _given_url(spec: SourceSpec) -> URL:
    if not spec.url:
        raise SourceError(spec.name, "a sql source needs a 'url'")
    try:
        return parse_url(resolve_url(spec.url, spec.name))
    except ValueError as exc:
        raise SourceError(spec.name, str(exc)) from None


def source_url(spec: SourceSpec, base_dir: Path) -> URL:
    """The spec's URL expanded, with its default driver, SQLite opened read-only."""
    url = _given_url(spec)
    if url.get_backend_name() == "sqlite":
        return _sqlite_read_only(url, base_dir, spec.name)
    if url.get_backend_name() not in _READ_ONLY_BEGIN:
        raise SourceError(
            spec.name,
            f"database {url.get_backend_name()!r} is not supported for read-only sources "
            f"(valid: {', '.join(sorted(_READ_ONLY_BEGIN))})",
        )
    return url


def _sqlite_read_only(url: URL, base_dir: Path, source: str) -> URL:
    database = url.database or ""
    if database.startswith("file:"):
        database = database[len("file:") :].split("?")[0]
    if not database or database == ":memory:":
        raise SourceError(source, "a SQLite source needs a database file")
    path = Path(database).expanduser()
    path = path if path.is_absolute() else base_dir / path
    if not path.is_file():
        raise SourceError(source, f"SQLite database file not found: {path}")
    return URL.create(
        "sqlite+pysqlite",
        database=f"file:{quote(str(path.resolve()))}",
        query={"mode": "ro", "uri": "true"},
    )


@contextmanager
def read_only_connection(spec: SourceSpec, base_dir: Path) -> Iterator[Connection]:
    """A connection inside a read-only transaction, rolled back when done.

    Database errors, including a write attempted through it, become SourceError.
    """
    url = source_url(spec, base_dir)
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(_READ_ONLY_BEGIN[url.get_backend_name()])
            try:
                yield conn
            finally:
                conn.rollback()
    except SQLAlchemyError as exc:
        raise SourceError(label(spec, base_dir), error_text(exc, url)) from None
    finally:
        engine.dispose()


def check_query(query: str, source: str) -> str:
    """The query without trailing semicolons; SourceError unless one SELECT/WITH."""
    text = query.strip().rstrip(";").rstrip()
    bare = _LITERALS.sub("''", _COMMENTS.sub(" ", text))
    if ";" in bare:
        raise SourceError(source, "query must be a single statement (found ';' inside)")
    words = re.findall(r"[A-Za-z_]+", bare)
    first = words[0].upper() if words else ""
    if first not in {"SELECT", "WITH"}:
        raise SourceError(
            source, f"query must be a SELECT or WITH statement, not {first or 'empty'!r}"
        )
    return text


def columns(spec: SourceSpec, base_dir: Path) -> list[str]:
    """Pre-flight: connects read-only and reads the column names (no rows)."""
    _check_spec(spec, label(spec, base_dir))
    with read_only_connection(spec, base_dir) as conn:
        return _probe_columns(conn, spec, base_dir)


def frames(spec: SourceSpec, base_dir: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """The rows streamed from a server-side cursor, ``chunk_rows`` at a time."""
    _check_spec(spec, label(spec, base_dir))
    with read_only_connection(spec, base_dir) as conn:
        header = _probe_columns(conn, spec, base_dir)
        statement = _select(spec, base_dir, header)
        result = conn.execution_options(yield_per=chunk_rows).execute(statement)
        yielded = False
        for part in result.partitions():
            yield text_frame([[cell_text(value) for value in row] for row in part], header)
            yielded = True
        if not yielded:
            yield text_frame([], header)


def _check_spec(spec: SourceSpec, source: str) -> None:
    """Before connecting: exactly one of table and query, and a query is one SELECT."""
    if bool(spec.table) == bool(spec.query):
        raise SourceError(source, "a sql source needs exactly one of 'table' and 'query'")
    if spec.query:
        check_query(spec.query, source)


def _probe_columns(conn: Connection, spec: SourceSpec, base_dir: Path) -> list[str]:
    source = label(spec, base_dir)
    if spec.table:
        schema, name = _split_table(spec.table)
        if not sa.inspect(conn).has_table(name, schema=schema):
            raise SourceError(source, f"table {spec.table!r} not found")
    probe = sa.select(sa.text("*")).select_from(_from_clause(spec, source)).where(sa.false())
    return clean_header(conn.execute(probe).keys(), source)


def _select(spec: SourceSpec, base_dir: Path, header: list[str]) -> sa.Executable:
    """A query runs as written (its own order); a table is ordered by its key."""
    source = label(spec, base_dir)
    if spec.query:
        return _query_text(spec, source)
    statement = sa.select(sa.text("*")).select_from(_from_clause(spec, source))
    if spec.key and all(k in header for k in spec.key):
        statement = statement.order_by(*(sa.column(k) for k in spec.key))
    return statement


def _from_clause(spec: SourceSpec, source: str) -> sa.FromClause:
    if spec.table:
        schema, name = _split_table(spec.table)
        return sa.table(name, schema=schema)
    return _query_text(spec, source).columns().subquery("legacy_query")


def _query_text(spec: SourceSpec, source: str) -> sa.TextClause:
    if not spec.query:
        raise SourceError(source, "a sql source needs a 'table' or a 'query'")
    # Colons are escaped so that text such as ':x' is never taken for a bind parameter.
    return sa.text(check_query(spec.query, source).replace(":", "\\:"))


def _split_table(table: str) -> tuple[str | None, str]:
    schema, _, name = table.rpartition(".")
    return schema or None, name
