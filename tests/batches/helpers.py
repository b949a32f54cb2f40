"""Helpers for batch tests: snapshots of target tables and seeded rows."""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa

from migrate.batches.package import LoadPackage
from migrate.io.target import (
    ensure_table,
    load_frame,
    open_target,
    read_table,
    table_definition,
)

Snapshot = dict[str, list[dict[str, Any]]]


def snapshot(url: str, package: LoadPackage) -> Snapshot:
    """Every row of every table of the package's objects, as plain values ({} if missing)."""
    engine = open_target(url)
    try:
        tables: Snapshot = {}
        for obj in package.objects:
            with engine.connect() as conn:
                exists = sa.inspect(conn).has_table(obj.table)
            if not exists:
                tables[obj.table] = []
                continue
            frame = read_table(engine, obj.table, obj.columns)
            tables[obj.table] = [
                {k: (None if pd.isna(v) else v) for k, v in row.items()}
                for row in frame.to_dict("records")
            ]
        return tables
    finally:
        engine.dispose()


def seed(
    url: str,
    package: LoadPackage,
    obj_name: str,
    rows: list[dict[str, Any]],
    check: str | None = None,
) -> None:
    """Create the object's table (with a CHECK constraint, if given) and put ``rows`` in it
    (outside any batch)."""
    obj = package.object(obj_name)
    engine = open_target(url)
    try:
        if check is not None:
            definition = table_definition(obj.table, obj.columns, obj.key)
            definition.append_constraint(sa.CheckConstraint(check))
            with engine.begin() as conn:
                definition.create(conn)
        ensure_table(engine, obj.table, obj.columns, obj.key)
        frame = pd.DataFrame(rows, columns=[c.name for c in obj.columns], dtype=object)
        load_frame(engine, obj.table, frame, obj.key, obj.columns)
    finally:
        engine.dispose()


def execute(url: str, *statements: str) -> None:
    """Run SQL statements in one transaction."""
    engine = open_target(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def count(url: str, sql: str) -> int:
    """The integer a query returns."""
    engine = open_target(url)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql(sql).scalar_one())
    finally:
        engine.dispose()
