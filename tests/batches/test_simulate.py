"""Simulating a load against the real target: every refusal listed, nothing changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from migrate.batches.loader import load_package
from migrate.batches.package import LoadPackage, read_package
from migrate.batches.simulate import simulate_package
from migrate.batches.state import LoadRecords
from migrate.io.target import open_target, table_definition
from tests.batches.helpers import snapshot
from tests.batches.tiny import make_package

NARROW_NAME = 4  # "客户 1" fits, "客户 10" does not


@pytest.fixture
def package(tmp_path: Path) -> LoadPackage:
    return read_package(make_package(tmp_path / "tiny"))


def _narrow_customer_table(url: str, package: LoadPackage) -> None:
    """The real target's customer table: a shorter name column and a CHECK of its own."""
    obj = package.object("customer")
    columns = [replace(c, length=NARROW_NAME) if c.name == "name" else c for c in obj.columns]
    definition = table_definition(obj.table, columns, obj.key)
    definition.append_constraint(sa.CheckConstraint("customer_id <> 'C0005'"))
    engine = open_target(url)
    try:
        with engine.begin() as conn:
            definition.create(conn)
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = open_target(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_simulation_lists_what_the_real_target_refuses_and_changes_nothing(
    sql_url: str, package: LoadPackage, tmp_path: Path
) -> None:
    _narrow_customer_table(sql_url, package)
    before = snapshot(sql_url, package)
    records = LoadRecords(tmp_path / "records")

    simulation = simulate_package(package, sql_url, records, chunk_rows=30)

    refused = {(e.table, e.key): e for e in simulation.errors}
    assert refused[("customer", "customer_id='C0005'")].kind == "constraint"
    too_long = {k for (t, k), e in refused.items() if e.kind == "value"}
    if sql_url.startswith("sqlite"):
        assert too_long == set()  # SQLite does not enforce lengths
    else:
        assert too_long == {f"customer_id='C{n:04d}'" for n in range(10, 101)}
    by_object = {o.name: o for o in simulation.objects}
    assert by_object["customer"].refused == len(refused)
    assert (by_object["order"].would_insert, by_object["order"].created) == (400, True)
    assert not simulation.clean
    assert snapshot(sql_url, package) == before
    assert _tables(sql_url) == {"customer"}  # no order table, no control tables
    assert not (tmp_path / "records").exists()


def test_a_clean_simulation_then_the_load(
    sql_url: str, package: LoadPackage, tmp_path: Path
) -> None:
    records = LoadRecords(tmp_path / "records")
    simulation = simulate_package(package, sql_url, records)
    assert simulation.clean and simulation.errors == ()
    assert [(o.would_insert, o.would_update) for o in simulation.objects] == [(100, 0), (400, 0)]

    load_package(package, sql_url, records)
    again = simulate_package(package, sql_url, records)

    assert [(o.would_insert, o.would_update) for o in again.objects] == [(0, 100), (0, 400)]
    assert again.already_loaded == {"customer": 100, "order": 400}
    assert not again.clean  # a new batch may not load these rows again
