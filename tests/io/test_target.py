"""The SQL target on SQLite, PostgreSQL and MariaDB: idempotent upserts, all-or-nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from migrate.errors import TargetError
from migrate.io import target
from migrate.io.target import (
    LoadResult,
    TargetColumn,
    ensure_table,
    load_frame,
    open_target,
    read_table,
)

COLUMNS = [
    TargetColumn("customer_no", "string", length=10, nullable=False),
    TargetColumn("name", "string", length=40, nullable=False),
    TargetColumn("credit", "decimal", precision=12, scale=2),
    TargetColumn("opened", "date"),
    TargetColumn("active", "boolean"),
    TargetColumn("visits", "integer"),
    TargetColumn("note", "string"),
]
KEY = ["customer_no"]


def customers(**changes: list[Any]) -> pd.DataFrame:
    data: dict[str, list[Any]] = {
        "customer_no": ["00123", "00456", "007"],
        "name": ["北京华为（总部）", "上海𠮷野家", "ＡＢＣ"],
        "credit": ["50000.00", None, "12.5"],
        "opened": ["2024-01-05", None, "1999-12-31"],
        "active": ["true", "false", None],
        "visits": ["3", None, "0"],
        "note": ["NA", None, "NULL"],
    }
    data.update(changes)
    return pd.DataFrame(data, dtype="str")


EXPECTED = [
    {
        "customer_no": "00123",
        "name": "北京华为（总部）",
        "credit": Decimal("50000.00"),
        "opened": dt.date(2024, 1, 5),
        "active": True,
        "visits": 3,
        "note": "NA",
    },
    {
        "customer_no": "00456",
        "name": "上海𠮷野家",
        "credit": None,
        "opened": None,
        "active": False,
        "visits": None,
        "note": None,
    },
    {
        "customer_no": "007",
        "name": "ＡＢＣ",
        "credit": Decimal("12.50"),
        "opened": dt.date(1999, 12, 31),
        "active": None,
        "visits": 0,
        "note": "NULL",
    },
]


@pytest.fixture
def engine(sql_url: str) -> Iterator[sa.Engine]:
    engine = open_target(sql_url)
    ensure_table(engine, "customers", COLUMNS, KEY)
    yield engine
    engine.dispose()


def rows(engine: sa.Engine) -> list[dict[str, Any]]:
    frame = read_table(engine, "customers", COLUMNS)
    return [
        {k: (None if pd.isna(v) else v) for k, v in r.items()} for r in frame.to_dict("records")
    ]


def test_load_converts_values_and_a_rerun_is_idempotent(engine: sa.Engine) -> None:
    assert load_frame(engine, "customers", customers(), KEY, COLUMNS) == LoadResult(3, 0)
    first = rows(engine)
    assert first == EXPECTED

    assert load_frame(engine, "customers", customers(), KEY, COLUMNS) == LoadResult(0, 3)
    assert rows(engine) == first


def test_upsert_updates_existing_keys_and_inserts_new_ones(engine: sa.Engine) -> None:
    load_frame(engine, "customers", customers(), KEY, COLUMNS)
    changed = customers(
        customer_no=["00123", "00789", "007"],
        name=["华为", "新客户", "ＡＢＣ"],
        visits=["4", "1", "0"],
    )
    assert load_frame(engine, "customers", changed, KEY, COLUMNS) == LoadResult(1, 2)
    table = {r["customer_no"]: r for r in rows(engine)}
    assert sorted(table) == ["00123", "00456", "007", "00789"]
    assert (table["00123"]["name"], table["00123"]["visits"]) == ("华为", 4)
    assert table["00456"] == EXPECTED[1]


@pytest.mark.parametrize("batch_rows", [500, 2], ids=["one-batch", "two-batches"])
def test_a_refused_row_rolls_everything_back_and_names_its_key(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    load_frame(engine, "customers", customers(), KEY, COLUMNS)
    before = rows(engine)
    monkeypatch.setattr(target, "BATCH_ROWS", batch_rows)
    bad = customers(
        customer_no=["00123", "00999", "007"],
        name=["changed", "new", None],  # NOT NULL: the database refuses 007
    )

    with pytest.raises(TargetError) as caught:
        load_frame(engine, "customers", bad, KEY, COLUMNS)

    message = str(caught.value)
    assert message.startswith("customers: ")
    assert "customer_no='007'" in message
    assert "nothing was loaded" in message
    assert rows(engine) == before


def test_a_value_that_does_not_convert_names_key_and_column(engine: sa.Engine) -> None:
    bad = customers(visits=["3", "many", "0"])
    with pytest.raises(TargetError) as caught:
        load_frame(engine, "customers", bad, KEY, COLUMNS)
    assert "customer_no='00456'" in str(caught.value)
    assert "column 'visits': 'many' is not an integer" in str(caught.value)
    assert rows(engine) == []


def test_too_long_text_is_refused_on_every_database(engine: sa.Engine) -> None:
    bad = customers(name=["x" * 41, "ok", "ok"])
    with pytest.raises(TargetError, match=r"customer_no='00123'.*41 characters"):
        load_frame(engine, "customers", bad, KEY, COLUMNS)


def test_duplicate_and_missing_keys_are_refused(engine: sa.Engine) -> None:
    with pytest.raises(TargetError, match="key customer_no='007' appears more than once"):
        load_frame(engine, "customers", customers(customer_no=["007", "1", "007"]), KEY, COLUMNS)
    with pytest.raises(TargetError, match="key value is missing"):
        load_frame(engine, "customers", customers(customer_no=["1", None, "3"]), KEY, COLUMNS)
    assert rows(engine) == []


def test_frame_columns_must_match_the_table(engine: sa.Engine) -> None:
    frame = customers().drop(columns=["note"]).assign(extra="x")
    with pytest.raises(TargetError, match=r"missing \['note'\], extra \['extra'\]"):
        load_frame(engine, "customers", frame, KEY, COLUMNS)


def test_composite_key_upsert(sql_url: str) -> None:
    columns = [
        TargetColumn("company", "string", length=4, nullable=False),
        TargetColumn("account", "integer", nullable=False),
        TargetColumn("balance", "decimal", precision=14, scale=2),
    ]
    key = ["company", "account"]
    engine = open_target(sql_url)
    try:
        ensure_table(engine, "ledger", columns, key)
        frame = pd.DataFrame(
            {"company": ["0001", "0001", "0002"], "account": ["1", "2", "1"], "balance": ["1"] * 3},
            dtype="str",
        )
        assert load_frame(engine, "ledger", frame, key, columns) == LoadResult(3, 0)
        frame["balance"] = ["10", "2", "30.5"]
        assert load_frame(engine, "ledger", frame, key, columns) == LoadResult(0, 3)
        table = read_table(engine, "ledger", columns)
        assert table["balance"].tolist() == [Decimal("10.00"), Decimal("2.00"), Decimal("30.50")]
    finally:
        engine.dispose()


def test_key_only_table_reruns_cleanly(sql_url: str) -> None:
    columns = [TargetColumn("code", "string", length=8, nullable=False)]
    engine = open_target(sql_url)
    try:
        ensure_table(engine, "codes", columns, ["code"])
        frame = pd.DataFrame({"code": ["A", "B"]}, dtype="str")
        assert load_frame(engine, "codes", frame, ["code"], columns) == LoadResult(2, 0)
        assert load_frame(engine, "codes", frame, ["code"], columns) == LoadResult(0, 2)
        assert read_table(engine, "codes")["code"].tolist() == ["A", "B"]
    finally:
        engine.dispose()


def test_ensure_table_accepts_a_matching_table_and_refuses_others(
    engine: sa.Engine, sql_url: str
) -> None:
    ensure_table(engine, "customers", COLUMNS, KEY)  # exists: checked, not recreated
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE nokey (customer_no VARCHAR(10), name VARCHAR(40))")
    columns = COLUMNS[:2]
    with pytest.raises(
        TargetError, match=r"no primary key or unique constraint on \(customer_no\)"
    ):
        ensure_table(engine, "nokey", columns, KEY)
    with pytest.raises(TargetError, match=r"lacks column.*visits"):
        ensure_table(engine, "nokey", [*columns, COLUMNS[5]], KEY)


def test_bad_definitions_are_refused(engine: sa.Engine) -> None:
    with pytest.raises(TargetError, match="key column 'id' is not a column"):
        ensure_table(engine, "t", COLUMNS, ["id"])
    with pytest.raises(TargetError, match="unknown type 'money'"):
        ensure_table(engine, "t", [TargetColumn("id", "money")], ["id"])


def test_read_table_orders_by_key(engine: sa.Engine) -> None:
    load_frame(engine, "customers", customers().iloc[::-1], KEY, COLUMNS)
    assert read_table(engine, "customers")["customer_no"].tolist() == ["00123", "00456", "007"]


def test_open_target_expands_variables_and_hides_passwords(
    sql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIGRATE_TEST_TARGET_URL", sql_url)
    engine = open_target("${MIGRATE_TEST_TARGET_URL}")
    try:
        ensure_table(engine, "customers", COLUMNS, KEY)
    finally:
        engine.dispose()
    monkeypatch.delenv("MIGRATE_TEST_TARGET_URL")
    with pytest.raises(TargetError, match="MIGRATE_TEST_TARGET_URL is not set"):
        open_target("${MIGRATE_TEST_TARGET_URL}")


@pytest.mark.parametrize("scheme", ["postgresql", "mysql", "mariadb"])
def test_target_connection_errors_never_show_the_password(scheme: str) -> None:
    engine = open_target(f"{scheme}://loader:s3cr3t-pw@127.0.0.1:1/dwh")
    assert engine.dialect.driver in {"psycopg", "pymysql"}
    with pytest.raises(TargetError) as caught:
        ensure_table(engine, "customers", COLUMNS, KEY)
    assert "s3cr3t-pw" not in str(caught.value)
    assert "loader:***@127.0.0.1:1" in str(caught.value)
