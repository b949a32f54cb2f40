"""Row and key hashes that Python and every target database compute alike.

A row's canonical text joins its columns' canonical texts with ``|`` (NULL as
``\\N``): strings as they are, integers in decimal, decimals without trailing
zeros (``781.32``, ``100``), dates as ``YYYY-MM-DD`` and booleans as ``1``/``0``.
Its hash is the first 32 bits of the MD5 of that text's UTF-8 bytes, as an
unsigned integer. :func:`row_hash` computes it in Python; :func:`row_hash_sql`
builds the SQL expression that computes the same number inside PostgreSQL
(``md5``), MariaDB/MySQL (``MD5``) or SQLite (a function that
:func:`register_sqlite_functions` adds to every connection). Sums of these hashes
per bucket of keys let reconciliation compare a table without fetching it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import ColumnElement

from migrate.io.target_values import TargetColumn

NULL_TEXT = "\\N"
SEPARATOR = "|"
HASH_HEX_DIGITS = 8

SqlExpr = ColumnElement[Any]


def decimal_text(value: Any) -> str:
    """A number without exponent or trailing zeros: ``781.32``, ``100``, ``0``."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


def canonical_text(value: Any, column: TargetColumn) -> str | None:
    """The canonical text of a converted value of ``column`` (None for NULL)."""
    if value is None:
        return None
    if column.type == "decimal":
        return decimal_text(value)
    if column.type == "boolean":
        return "1" if value else "0"
    if column.type == "date" and isinstance(value, dt.date):
        return value.isoformat()[:10]
    return str(value)


def row_text(values: Sequence[Any], columns: Sequence[TargetColumn]) -> str:
    """The canonical text of one row of converted values."""
    texts = (canonical_text(v, c) for v, c in zip(values, columns, strict=True))
    return SEPARATOR.join(NULL_TEXT if text is None else text for text in texts)


def hash32(text: str) -> int:
    """The first 32 bits of the MD5 of ``text`` (UTF-8), unsigned."""
    return int(hashlib.md5(text.encode("utf-8")).hexdigest()[:HASH_HEX_DIGITS], 16)


def row_hash(values: Sequence[Any], columns: Sequence[TargetColumn]) -> int:
    """:func:`hash32` of the row's canonical text."""
    return hash32(row_text(values, columns))


def register_sqlite_functions(dbapi_connection: Any) -> None:
    """Give a sqlite3 connection the functions :func:`row_hash_sql` uses."""
    dbapi_connection.create_function("migrate_hash32", 1, _sqlite_hash32, deterministic=True)
    dbapi_connection.create_function(
        "migrate_decimal_text", 1, _sqlite_decimal_text, deterministic=True
    )


def _sqlite_hash32(text: str | None) -> int | None:
    return None if text is None else hash32(text)


def _sqlite_decimal_text(value: Any) -> str | None:
    return None if value is None else decimal_text(value)


def _text(expr: SqlExpr) -> SqlExpr:
    return sa.cast(expr, sa.Text())


def _pg_decimal(expr: SqlExpr) -> SqlExpr:
    return _text(sa.func.trim_scale(expr))


def _mysql_decimal(expr: SqlExpr) -> SqlExpr:
    text = _text(expr)
    trimmed = sa.func.regexp_replace(text, "[.]?0+$", "")
    return sa.case((sa.func.locate(".", text) > 0, trimmed), else_=text)


def _boolean(expr: SqlExpr) -> SqlExpr:
    return sa.case((expr.is_(None), sa.null()), (expr, sa.literal("1")), else_=sa.literal("0"))


_Canon = Callable[[SqlExpr], SqlExpr]

_CANON: dict[str, dict[str, _Canon]] = {
    "postgresql": {
        "string": lambda e: e,
        "integer": _text,
        "decimal": _pg_decimal,
        "date": lambda e: sa.func.to_char(e, "YYYY-MM-DD"),
        "boolean": _boolean,
    },
    "mysql": {
        "string": lambda e: e,
        "integer": _text,
        "decimal": _mysql_decimal,
        "date": lambda e: sa.func.date_format(e, "%Y-%m-%d"),
        "boolean": _boolean,
    },
    "sqlite": {
        "string": lambda e: e,
        "integer": _text,
        "decimal": lambda e: sa.func.migrate_decimal_text(e),
        "date": lambda e: e,
        "boolean": _boolean,
    },
}
_CANON["mariadb"] = _CANON["mysql"]


def _pg_hash32(text: SqlExpr) -> SqlExpr:
    hexed = sa.literal("x").concat(sa.func.substr(sa.func.md5(text), 1, HASH_HEX_DIGITS))
    return sa.cast(sa.cast(hexed, postgresql.BIT(32)), sa.BigInteger())


def _mysql_hash32(text: SqlExpr) -> SqlExpr:
    hexed = sa.func.substring(sa.func.md5(text), 1, HASH_HEX_DIGITS)
    return sa.cast(sa.func.conv(hexed, 16, 10), sa.BigInteger())


_HASH32: dict[str, _Canon] = {
    "postgresql": _pg_hash32,
    "mysql": _mysql_hash32,
    "mariadb": _mysql_hash32,
    "sqlite": lambda text: sa.func.migrate_hash32(text),
}


def supported(dialect: str) -> bool:
    """Whether hashes can be computed inside this database."""
    return dialect in _HASH32


def row_text_sql(table: sa.Table, columns: Sequence[TargetColumn], dialect: str) -> SqlExpr:
    """SQL for the canonical text of each row (the columns of ``columns``, in order)."""
    canon = _CANON[dialect]
    parts = [
        sa.func.coalesce(canon[c.type](table.c[c.name]), sa.literal(NULL_TEXT)) for c in columns
    ]
    separated: list[SqlExpr] = []
    for part in parts:
        if separated:
            separated.append(sa.literal(SEPARATOR))
        separated.append(part)
    return functools.reduce(lambda left, right: left.concat(right), separated)


def row_hash_sql(table: sa.Table, columns: Sequence[TargetColumn], dialect: str) -> SqlExpr:
    """SQL computing :func:`row_hash` of each row of ``table``."""
    return _HASH32[dialect](row_text_sql(table, columns, dialect))
