"""SQL sources on SQLite, PostgreSQL and MariaDB: text values, read-only, streamed."""

from __future__ import annotations

import hashlib
import inspect
import re
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from migrate.errors import SourceError
from migrate.io import sql_source
from migrate.io.sources import check_source, iter_source, read_source, resolve_url
from migrate.io.sql_source import check_query, read_only_connection
from tests.io.helpers import assert_all_text, records, spec

ROWS = [
    ("'00123'", "'北京华为（总部）'", "12.75", "'2024-01-05'", "3", "'NA'"),
    ("'00456'", "'上海𠮷野家'", "NULL", "NULL", "NULL", "'NULL'"),
    ("'007'", "''", "-0.5", "'1999-12-31'", "0", "' '"),
    ("'008'", "'ＡＢＣ'", "1000", "NULL", "42", "NULL"),
]
EXPECTED = [
    {
        "cust_no": "00123",
        "name": "北京华为（总部）",
        "amount": "12.75",
        "opened": "2024-01-05",
        "visits": "3",
        "note": "NA",
    },
    {
        "cust_no": "00456",
        "name": "上海𠮷野家",
        "amount": None,
        "opened": None,
        "visits": None,
        "note": "NULL",
    },
    {
        "cust_no": "007",
        "name": None,
        "amount": "-0.5",
        "opened": "1999-12-31",
        "visits": "0",
        "note": " ",
    },
    {
        "cust_no": "008",
        "name": "ＡＢＣ",
        "amount": "1000",
        "opened": None,
        "visits": "42",
        "note": None,
    },
]


@pytest.fixture
def legacy(sql_engine: sa.Engine) -> sa.Engine:
    """A ``cust`` table with Chinese text, leading zeros, NULLs and empty strings."""
    with sql_engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE cust (cust_no VARCHAR(10) PRIMARY KEY, name VARCHAR(100), "
            "amount NUMERIC(10, 2), opened DATE, visits INTEGER, note VARCHAR(20))"
        )
        for row in reversed(ROWS):
            conn.exec_driver_sql(f"INSERT INTO cust VALUES ({', '.join(row)})")
    return sql_engine


def expected_rows(engine: sa.Engine) -> list[dict[str, str | None]]:
    """NUMERIC(10, 2) keeps its scale on PostgreSQL/MariaDB; SQLite stores plain numbers."""
    if engine.dialect.name == "sqlite":
        return EXPECTED
    scaled = {"12.75": "12.75", "-0.5": "-0.50", "1000": "1000.00"}
    return [{**row, "amount": scaled.get(row["amount"] or "")} for row in EXPECTED]


def table_count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT COUNT(*) FROM cust").scalar_one())


def test_table_rows_come_back_as_text_ordered_by_key(
    legacy: sa.Engine, sql_url: str, tmp_path: Path
) -> None:
    frame = read_source(spec("sql", url=sql_url, table="cust", key=("cust_no",)), tmp_path)
    assert_all_text(frame)
    assert records(frame) == expected_rows(legacy)


def test_chunked_iteration_returns_the_same_rows_as_a_whole_read(
    legacy: sa.Engine, sql_url: str, tmp_path: Path
) -> None:
    source = spec("sql", url=sql_url, table="cust", key=("cust_no",))
    chunks = list(iter_source(source, tmp_path, 3))
    assert [len(c) for c in chunks] == [3, 1]
    pd.testing.assert_frame_equal(
        pd.concat(chunks, ignore_index=True), read_source(source, tmp_path)
    )


def test_query_runs_as_written(legacy: sa.Engine, sql_url: str, tmp_path: Path) -> None:
    query = (
        "-- legacy extract\n"
        "SELECT cust_no, note FROM cust WHERE note <> ':x' OR note IS NULL ORDER BY cust_no DESC;"
    )
    frame = read_source(spec("sql", url=sql_url, query=query, key=("cust_no",)), tmp_path)
    assert records(frame) == [
        {"cust_no": "008", "note": None},
        {"cust_no": "007", "note": " "},
        {"cust_no": "00456", "note": "NULL"},
        {"cust_no": "00123", "note": "NA"},
    ]


def test_query_with_percent_signs_and_colons(
    legacy: sa.Engine, sql_url: str, tmp_path: Path
) -> None:
    query = (
        "SELECT cust_no, 'a%b:c' AS tag FROM cust "
        "WHERE cust_no LIKE '00%' AND name LIKE '%华为%' ORDER BY cust_no"
    )
    frame = read_source(spec("sql", url=sql_url, query=query), tmp_path)
    assert records(frame) == [{"cust_no": "00123", "tag": "a%b:c"}]


def test_with_query_is_accepted(legacy: sa.Engine, sql_url: str, tmp_path: Path) -> None:
    query = (
        "WITH recent AS (SELECT cust_no FROM cust WHERE visits > 1) "
        "SELECT * FROM recent ORDER BY cust_no"
    )
    source = spec("sql", url=sql_url, query=query, key=("cust_no",))
    check_source(source, tmp_path)
    assert records(read_source(source, tmp_path)) == [{"cust_no": "00123"}, {"cust_no": "008"}]


def test_a_write_through_the_source_connection_fails(
    legacy: sa.Engine, sql_url: str, tmp_path: Path
) -> None:
    source = spec("sql", url=sql_url, table="cust", key=("cust_no",))
    for statement in (
        "INSERT INTO cust (cust_no) VALUES ('999')",
        "UPDATE cust SET name = 'changed'",
        "DELETE FROM cust",
    ):
        with pytest.raises(SourceError), read_only_connection(source, tmp_path) as conn:
            conn.exec_driver_sql(statement)
    assert table_count(legacy) == len(ROWS)
    assert records(read_source(source, tmp_path))[0]["name"] == "北京华为（总部）"


READ_ONLY_PROBES = {
    "sqlite": ("PRAGMA query_only", 1),
    "postgresql": ("SHOW transaction_read_only", "on"),
    "mariadb": (
        "SELECT trx_is_read_only FROM information_schema.innodb_trx "
        "WHERE trx_mysql_thread_id = CONNECTION_ID()",
        1,
    ),
}


def test_the_reading_transaction_is_read_only(
    legacy: sa.Engine, sql_url: str, tmp_path: Path
) -> None:
    server = "mariadb" if legacy.dialect.name == "mysql" else legacy.dialect.name
    probe, expected = READ_ONLY_PROBES[server]
    with read_only_connection(spec("sql", url=sql_url, table="cust"), tmp_path) as conn:
        conn.exec_driver_sql("SELECT COUNT(*) FROM cust").scalar_one()
        assert conn.exec_driver_sql(probe).scalar_one() == expected


def test_sqlite_file_is_left_byte_identical(tmp_path: Path) -> None:
    database = tmp_path / "legacy.db"
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id TEXT PRIMARY KEY)")
        conn.exec_driver_sql("INSERT INTO t VALUES ('01')")
    engine.dispose()
    before = hashlib.sha256(database.read_bytes()).hexdigest()

    source = spec("sql", url="sqlite:///legacy.db", table="t", key=("id",))
    check_source(source, tmp_path)
    assert records(read_source(source, tmp_path)) == [{"id": "01"}]

    assert hashlib.sha256(database.read_bytes()).hexdigest() == before


def test_missing_sqlite_file_is_named_and_not_created(tmp_path: Path) -> None:
    source = spec("sql", url="sqlite:///nowhere.db", table="t")
    with pytest.raises(SourceError, match="SQLite database file not found") as caught:
        check_source(source, tmp_path)
    assert str(tmp_path / "nowhere.db") in str(caught.value)
    assert not (tmp_path / "nowhere.db").exists()


def test_missing_table_is_named(legacy: sa.Engine, sql_url: str, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="table 'nope' not found"):
        check_source(spec("sql", url=sql_url, table="nope"), tmp_path)


def test_missing_key_column_names_column_and_columns_found(
    legacy: sa.Engine, sql_url: str, tmp_path: Path
) -> None:
    source = spec("sql", url=sql_url, table="cust", key=("customer_id",))
    for call in (check_source, read_source):
        with pytest.raises(SourceError) as caught:
            call(source, tmp_path)
        message = str(caught.value)
        assert "'customer_id'" in message and "table cust" in message
        assert "columns found: 'cust_no', 'name', 'amount', 'opened', 'visits', 'note'" in message


def test_url_from_environment_variable(
    legacy: sa.Engine, sql_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGACY_DB_URL", sql_url)
    frame = read_source(spec("sql", url="${LEGACY_DB_URL}", table="cust"), tmp_path)
    assert len(frame) == len(ROWS)


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM cust",
        "UPDATE cust SET name = 'x'",
        "DROP TABLE cust",
        "SELECT 1; DROP TABLE cust",
        "/* SELECT */ INSERT INTO cust (cust_no) VALUES ('1')",
        "  ;  ",
    ],
)
def test_queries_other_than_one_select_are_refused(
    legacy: sa.Engine, sql_url: str, tmp_path: Path, statement: str
) -> None:
    with pytest.raises(SourceError, match="query must be"):
        read_source(spec("sql", url=sql_url, query=statement), tmp_path)
    assert table_count(legacy) == len(ROWS)


def test_check_query_allows_semicolons_in_literals_and_a_trailing_one() -> None:
    assert check_query("SELECT 'a;b' AS x;", "q") == "SELECT 'a;b' AS x"
    assert check_query("  with x as (select 1) select * from x", "q").startswith("with")


def test_missing_variable_is_named_without_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MIGRATE_TEST_UNSET_URL", raising=False)
    url = "postgresql://legacy:s3cr3t-pw@db.example/erp_${MIGRATE_TEST_UNSET_URL}"
    with pytest.raises(SourceError, match="MIGRATE_TEST_UNSET_URL is not set") as caught:
        resolve_url(url)
    assert "s3cr3t-pw" not in str(caught.value)


@pytest.mark.parametrize("scheme", ["postgresql", "mysql", "mariadb"])
def test_connection_errors_never_show_the_password(scheme: str, tmp_path: Path) -> None:
    # Port 1 on the loopback address refuses the connection at once.
    source = spec("sql", url=f"{scheme}://legacy:s3cr3t-pw@127.0.0.1:1/erp", table="cust")
    with pytest.raises(SourceError) as caught:
        check_source(source, tmp_path)
    message = str(caught.value)
    assert "s3cr3t-pw" not in message
    assert "legacy:***@127.0.0.1:1" in message


def test_unsupported_database_is_refused(tmp_path: Path) -> None:
    source = spec("sql", url="oracle://u:pw@127.0.0.1:1/x", table="t")
    with pytest.raises(SourceError, match="not supported for read-only sources"):
        check_source(source, tmp_path)


def test_source_module_contains_no_write_statements() -> None:
    code = inspect.getsource(sql_source)
    assert not re.search(r"\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|CREATE|DROP|ALTER)\b", code)
    assert ".commit(" not in code


def test_a_refused_query_never_reaches_the_database(tmp_path: Path) -> None:
    source = spec("sql", url="postgresql://u:pw@127.0.0.1:1/erp", query="TRUNCATE cust")
    with pytest.raises(
        SourceError, match="query must be a SELECT or WITH statement, not 'TRUNCATE'"
    ):
        check_source(source, tmp_path)
