"""Writing rows inside a transaction: bulk (COPY on PostgreSQL), then row by row to name
every refused row; collecting conversion errors; temporary tables for simulations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from migrate.io import target_load
from migrate.io.target import ensure_table_in, open_target, table_definition
from migrate.io.target_load import write_rows
from migrate.io.target_rows import convert_rows, frame_rows
from migrate.io.target_values import TargetColumn

COLUMNS = [
    TargetColumn("code", "string", length=6, nullable=False),
    TargetColumn("label", "string", length=20, nullable=False),
    TargetColumn("amount", "decimal", precision=10, scale=2),
]
KEY = ["code"]


def rows(*labels: str | None) -> list[dict[str, Any]]:
    frame = pd.DataFrame(
        {"code": [f"K{n}" for n in range(len(labels))], "label": list(labels), "amount": "1.5"},
        dtype=object,
    )
    return convert_rows(frame, COLUMNS, KEY, "t")[0]


@pytest.fixture
def engine(sql_url: str) -> Iterator[sa.Engine]:
    engine = open_target(sql_url)
    with engine.begin() as conn:
        ensure_table_in(conn, "t", COLUMNS, KEY)
    yield engine
    engine.dispose()


def test_every_refused_row_is_named_and_the_others_go_in(engine: sa.Engine) -> None:
    definition = table_definition("t", COLUMNS, KEY)
    batch = rows("a", None, "b", None)  # NOT NULL refuses K1 and K3
    with engine.connect() as conn, conn.begin() as transaction:
        refused = write_rows(conn, definition, KEY, batch, table="t", find_all=True)
        written = conn.execute(sa.select(definition.c.code).order_by("code")).scalars().all()
        transaction.rollback()
    assert [(e.key, e.kind) for e in refused] == [
        ("code='K1'", "constraint"),
        ("code='K3'", "constraint"),
    ]
    assert written == ["K0", "K2"]
    with engine.connect() as conn, conn.begin():
        first_only = write_rows(conn, definition, KEY, batch, table="t")
    assert [e.key for e in first_only] == ["code='K1'"]


def test_postgresql_loads_by_copy(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = target_load._copy_upsert

    def counted(conn: Any, definition: Any, key: Any, batch: Any) -> None:
        calls.append(len(batch))
        real(conn, definition, key, batch)

    monkeypatch.setattr(target_load, "_copy_upsert", counted)
    definition = table_definition("t", COLUMNS, KEY)
    with engine.begin() as conn:
        assert write_rows(conn, definition, KEY, rows("a", "b", "c"), table="t") == []
        assert write_rows(conn, definition, KEY, rows("x", "y"), table="t") == []  # upsert
        stored = conn.execute(sa.select(definition.c.label).order_by("code")).scalars().all()
    assert stored == ["x", "y", "c"]
    assert calls == ([3, 2] if engine.dialect.name == "postgresql" else [])


def test_a_temporary_table_lives_only_with_its_connection(engine: sa.Engine) -> None:
    with engine.connect() as conn, conn.begin():
        assert ensure_table_in(conn, "scratch", COLUMNS, KEY, temporary=True)
        write_rows(conn, table_definition("scratch", COLUMNS, KEY), KEY, rows("a"), table="s")
    engine.dispose()
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("scratch")


def test_conversion_errors_are_collected_not_raised() -> None:
    frame = pd.DataFrame(
        {
            "code": ["A", "B", "A", None, "TOOLONG1"],
            "label": ["ok", "x" * 21, "dup", "no key", "long key"],
            "amount": ["1", "2", "3", "4", "five"],
        },
        dtype=object,
    )
    kept, errors = convert_rows(frame, COLUMNS, KEY, "t")
    assert [r["code"] for r in kept] == ["A"]
    assert [(e.key, e.kind) for e in errors] == [
        ("code='B'", "length"),
        ("code='TOOLONG1'", "length"),
        ("code='A'", "key"),  # the second A
        ("code=None", "key"),
    ]
    with pytest.raises(Exception, match="code='B'"):
        frame_rows(frame, COLUMNS, KEY, "t")
