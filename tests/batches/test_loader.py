"""Loading a package as a batch, on SQLite, PostgreSQL and MariaDB: chunks, repeat, refusal,
interruption and resume, rollback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from migrate.batches import loader
from migrate.batches.identity import target_identity
from migrate.batches.loader import (
    LoadOptions,
    LoadRefused,
    convert_package,
    load_package,
    resume_load,
)
from migrate.batches.package import LoadPackage, read_package
from migrate.batches.state import (
    COMMITTED,
    FAILED,
    LOADING,
    LOST,
    ROLLED_BACK,
    LoadRecords,
)
from migrate.batches.undo import rollback_batch
from migrate.errors import TargetError
from tests.batches.helpers import Snapshot, count, execute, seed, snapshot
from tests.batches.tiny import make_package

SEEDED = [
    {"customer_id": "C0001", "name": "old name 1", "email": None, "region": "S"},
    {"customer_id": "C0002", "name": "old name 2", "email": "x@example.com", "region": "N"},
    {"customer_id": "X0001", "name": "not from the migration", "email": None, "region": "N"},
]


@pytest.fixture
def package(tmp_path: Path) -> LoadPackage:
    return read_package(make_package(tmp_path / "tiny"))


@pytest.fixture
def records(tmp_path: Path) -> LoadRecords:
    return LoadRecords(tmp_path / "tiny" / "state" / "loads")  # the project's own


def expected(package: LoadPackage, before: Snapshot | None = None) -> Snapshot:
    """The tables after loading the whole package onto ``before``."""
    tables: Snapshot = {}
    for obj, rows in convert_package(package).items():
        table = package.object(obj).table
        merged = {r[obj_key(package, obj)]: r for r in (before or {}).get(table, [])}
        merged.update({r[obj_key(package, obj)]: r for r in rows})
        tables[table] = [merged[k] for k in sorted(merged)]
    return tables


def obj_key(package: LoadPackage, obj: str) -> str:
    return package.object(obj).key[0]


def test_a_batch_loads_in_chunks_and_records_what_it_loaded(
    sql_url: str, package: LoadPackage, records: LoadRecords
) -> None:
    outcome = load_package(package, sql_url, records, LoadOptions(chunk_rows=50, label="all"))

    assert [(o.name, o.rows, o.inserted, o.updated, o.chunks) for o in outcome.objects] == [
        ("customer", 100, 100, 0, 2),
        ("order", 400, 400, 0, 8),
    ]
    assert snapshot(sql_url, package) == expected(package)
    target = target_identity(sql_url)
    (record,) = records.batches(target.id)
    assert (record.batch, record.status, record.label) == (outcome.batch, COMMITTED, "all")
    assert len(records.keys(target.id, record.batch, "order")) == 400
    assert count(sql_url, "SELECT COUNT(*) FROM migrate_load_chunk") == 10
    assert count(sql_url, "SELECT COUNT(*) FROM migrate_load_prior") == 500


def test_loading_the_same_package_again_changes_nothing(
    sql_url: str, package: LoadPackage, records: LoadRecords
) -> None:
    first = load_package(package, sql_url, records, LoadOptions(chunk_rows=120))
    before = snapshot(sql_url, package)

    again = load_package(package, sql_url, records, LoadOptions(chunk_rows=120))

    assert again.repeated and again.batch == first.batch
    assert [(o.inserted, o.updated) for o in again.objects] == [(0, 100), (0, 400)]
    assert snapshot(sql_url, package) == before
    assert len(records.batches(target_identity(sql_url).id)) == 1


def test_a_refused_row_undoes_the_batch_and_every_refused_row_is_named(
    sql_url: str, package: LoadPackage, records: LoadRecords
) -> None:
    seed(sql_url, package, "customer", SEEDED, check="name <> '客户 77' AND name <> '客户 88'")
    before = snapshot(sql_url, package)

    with pytest.raises(LoadRefused) as caught:
        load_package(package, sql_url, records, LoadOptions(chunk_rows=30))

    refused = caught.value.errors
    assert [e.key for e in refused] == ["customer_id='C0077'", "customer_id='C0088'"]
    assert "nothing was loaded" in caught.value.message and "undone" in caught.value.message
    assert all("person77@example.com" not in e.message for e in refused)  # personal: masked
    assert snapshot(sql_url, package) == before
    (record,) = records.batches(target_identity(sql_url).id)
    assert record.status == FAILED
    assert count(sql_url, "SELECT COUNT(*) FROM migrate_load_prior") == 0


def _lose_connection_at(monkeypatch: pytest.MonkeyPatch, call: int) -> None:
    real = loader.write_rows
    calls = {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == call:
            raise OperationalError("INSERT ...", {}, Exception("server closed the connection"))
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "write_rows", flaky)


def test_an_interrupted_batch_resumes_to_the_same_end_state(
    sql_url: str, package: LoadPackage, records: LoadRecords, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(sql_url, package, "customer", SEEDED)
    before = snapshot(sql_url, package)
    _lose_connection_at(monkeypatch, 5)

    with pytest.raises(TargetError, match="interrupted in order chunk 2"):
        load_package(package, sql_url, records, LoadOptions(chunk_rows=50))
    monkeypatch.undo()

    target = target_identity(sql_url).id
    assert records.unfinished(target) is not None
    assert count(sql_url, "SELECT COUNT(*) FROM migrate_load_chunk") == 4
    with pytest.raises(TargetError, match="unfinished: resume it"):
        load_package(package, sql_url, records, LoadOptions(chunk_rows=50))

    outcome = resume_load(sql_url, records)

    assert outcome.resumed and [o.chunks for o in outcome.objects] == [2, 8]
    assert snapshot(sql_url, package) == expected(package, before)
    assert records.batches(target)[0].status == COMMITTED
    rollback_batch(sql_url, records, outcome.batch)
    assert snapshot(sql_url, package) == before


def test_rollback_leaves_the_target_exactly_as_before_newest_batch_first(
    sql_url: str, tmp_path: Path, records: LoadRecords
) -> None:
    pilot = read_package(make_package(tmp_path / "tiny", "--batch", "pilot"))
    seed(sql_url, pilot, "customer", SEEDED)
    before = snapshot(sql_url, pilot)
    first = load_package(pilot, sql_url, records, LoadOptions(chunk_rows=25))
    after_pilot = snapshot(sql_url, pilot)
    rest = read_package(make_package(tmp_path / "tiny", "--batch", "rest", "--target", sql_url))
    second = load_package(rest, sql_url, records, LoadOptions(chunk_rows=25))

    with pytest.raises(TargetError, match=f"roll back {second.batch} first"):
        rollback_batch(sql_url, records, first.batch)
    rollback_batch(sql_url, records, second.batch)
    assert snapshot(sql_url, pilot) == after_pilot
    restored = rollback_batch(sql_url, records, first.batch)

    assert snapshot(sql_url, pilot) == before
    assert {r.name: (r.restored, r.deleted) for r in restored} == {
        "customer": (1, 59),  # C0001 was there before; C0002 is no pilot customer
        "order": (0, 240),
    }
    states = [r.status for r in records.batches(target_identity(sql_url).id)]
    assert states == [ROLLED_BACK, ROLLED_BACK]
    with pytest.raises(TargetError, match="already rolled back"):
        rollback_batch(sql_url, records, first.batch)


def test_a_package_repeating_another_batchs_rows_is_refused(
    sql_url: str, tmp_path: Path, records: LoadRecords
) -> None:
    pilot = read_package(make_package(tmp_path / "tiny", "--batch", "pilot"))
    everything = read_package(make_package(tmp_path / "tiny"))
    first = load_package(pilot, sql_url, records)

    with pytest.raises(TargetError, match=f"loaded by batch {first.batch} already"):
        load_package(everything, sql_url, records)

    states = [r.status for r in records.batches(target_identity(sql_url).id)]
    assert states == [COMMITTED]
    assert LOADING not in states


def test_a_batch_the_target_no_longer_holds_is_lost_and_its_rows_load_again(
    sql_url: str, tmp_path: Path, records: LoadRecords
) -> None:
    pilot = read_package(make_package(tmp_path / "tiny", "--batch", "pilot"))
    everything = read_package(make_package(tmp_path / "tiny"))
    load_package(pilot, sql_url, records)
    tables = ("migrate_load_chunk", "migrate_load_prior", "orders", "customer")
    execute(sql_url, *(f"DROP TABLE {table}" for table in tables))  # the target was recreated

    outcome = load_package(everything, sql_url, records)

    assert [o.inserted for o in outcome.objects] == [100, 400]
    states = [r.status for r in records.batches(target_identity(sql_url).id)]
    assert states == [LOST, COMMITTED]
