"""Bucket checksums inside the database: only the buckets that differ are fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.batches.keys import keys_and_hashes
from migrate.batches.loader import convert_package, load_package
from migrate.batches.package import LoadPackage, read_package
from migrate.batches.state import LoadRecords
from migrate.io.target import open_target
from migrate.reconcile.buckets import (
    Expected,
    TableCheck,
    bucket_count,
    bucket_of,
    compare_table,
    expected_sums,
    target_sums,
)
from tests.batches.helpers import execute
from tests.batches.tiny import make_package

BUCKET_ROWS = 20  # 400 orders -> 20 buckets


@pytest.fixture
def loaded(sql_url: str, tmp_path: Path) -> LoadPackage:
    package = read_package(make_package(tmp_path / "tiny"))
    load_package(package, sql_url, LoadRecords(tmp_path / "records"))
    return package


def _expected(package: LoadPackage) -> Expected:
    rows = convert_package(package)["order"]
    obj = package.object("order")
    found = keys_and_hashes(rows, obj.key, obj.columns)
    expected = Expected(rows=dict(zip(found["key"], rows, strict=True)))
    expected.add(found["key"], found["row_hash"], "this run")
    return expected


def _check(url: str, package: LoadPackage, expected: Expected) -> TableCheck:
    engine = open_target(url)
    try:
        with engine.connect() as conn:
            return compare_table(conn, package.object("order"), expected, BUCKET_ROWS, True)
    finally:
        engine.dispose()


def test_the_database_sums_buckets_as_python_does(sql_url: str, loaded: LoadPackage) -> None:
    expected = _expected(loaded)
    buckets = bucket_count(len(expected.hashes), BUCKET_ROWS)
    engine = open_target(sql_url)
    try:
        with engine.connect() as conn:
            inside = target_sums(conn, loaded.object("order"), buckets)
    finally:
        engine.dispose()
    assert buckets == 20
    assert inside == expected_sums(expected.hashes, buckets)
    check = _check(sql_url, loaded, expected)
    assert (check.differing, check.fetched, check.missing, check.extra) == ([], {}, [], [])


def test_only_differing_buckets_are_fetched_and_every_change_is_found(
    sql_url: str, loaded: LoadPackage
) -> None:
    execute(
        sql_url,
        "UPDATE orders SET amount = amount + 1 WHERE order_no = 'O00007'",
        "UPDATE orders SET order_date = NULL WHERE order_no = 'O00123'",
        "DELETE FROM orders WHERE order_no = 'O00200'",
        "INSERT INTO orders (order_no, customer_id, amount, currency, region) "
        "VALUES ('X00001', 'C0001', 5, 'CNY', 'N')",
    )
    expected = _expected(loaded)

    check = _check(sql_url, loaded, expected)

    touched = {"O00007", "O00123", "O00200", "X00001"}
    assert set(check.differing) == {bucket_of(key, check.buckets) for key in touched}
    in_buckets = sum(
        1 for key in expected.hashes if bucket_of(key, check.buckets) in check.differing
    )
    assert len(check.fetched) == in_buckets - 1 + 1  # one deleted, one inserted
    assert len(check.fetched) < len(expected.hashes) / 4
    assert (check.missing, check.extra) == (["O00200"], ["X00001"])
    assert check.changed == ["O00007", "O00123"]
