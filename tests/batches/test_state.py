"""The project's load records: identities without credentials, records, keys, batch ids."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from migrate.batches.identity import identify, target_identity
from migrate.batches.state import (
    COMMITTED,
    LOADING,
    ROLLED_BACK,
    BatchRecord,
    LoadRecords,
    check_batch_id,
    project_records,
)
from migrate.errors import TargetError
from migrate.io.urls import parse_url


def record(target_id: str, batch: str, seq: int, status: str = COMMITTED) -> BatchRecord:
    identity = identify(parse_url("sqlite:///t.sqlite"))
    identity = type(identity)(id=target_id, display=identity.display, dialect="sqlite")
    return BatchRecord(
        batch=batch,
        run_id=batch,
        project="p",
        scope=None,
        label=None,
        target=identity,
        status=status,
        started="2026-01-01T00:00:00+00:00",
        out_dir="/out",
        files={"load/a.csv": "00"},
        chunk_rows=10,
        objects=[],
        seq=seq,
    )


def test_a_target_identity_never_holds_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIGRATE_TEST_PW", "s3cr3t")
    url = "postgresql://loader:${MIGRATE_TEST_PW}@db:5432/erp?sslpassword=s3cr3t&options=-csp"
    identity = target_identity(url)
    assert identity.display == "postgresql+psycopg://loader@db:5432/erp"
    assert "s3cr3t" not in str(identity.to_dict())
    monkeypatch.setenv("MIGRATE_TEST_PW", "other")
    assert target_identity(url).id == identity.id  # the password is not part of the identity
    assert target_identity("postgresql://loader@db:5432/erp?options=-cother").id != identity.id


def test_sqlite_targets_are_known_by_their_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = target_identity("sqlite:///out/target.sqlite")
    absolute = target_identity(f"sqlite:///{tmp_path}/out/target.sqlite")
    assert relative == absolute


def test_records_round_trip_and_order_by_sequence(tmp_path: Path) -> None:
    records = LoadRecords(tmp_path)
    second, first = record("t1", "run-b", 2), record("t1", "run-a", 1)
    records.save(second)
    records.save(first)
    records.save(record("t2", "run-c", 1, LOADING))
    assert [r.batch for r in records.batches("t1")] == ["run-a", "run-b"]
    assert records.get("t1", "run-a") == first
    assert records.unfinished("t1") is None
    assert records.unfinished("t2") is not None and records.unfinished("t2").batch == "run-c"
    updated = first.with_event("rolled back", ROLLED_BACK)
    assert updated.status == ROLLED_BACK and updated.finished is not None
    assert updated.events[-1]["event"] == "rolled back"


def test_loaded_keys_come_from_committed_batches_only(tmp_path: Path) -> None:
    records = LoadRecords(tmp_path)
    keys = pd.DataFrame({"key": ["K1", "K2"], "row_hash": [1, 2]})
    for batch, seq, status in (("a", 1, COMMITTED), ("b", 2, ROLLED_BACK), ("c", 3, LOADING)):
        records.save(record("t", batch, seq, status))
        records.write_keys("t", batch, "customer", keys.assign(key=keys["key"] + batch))
    loaded = records.loaded_keys("t", "customer")
    assert loaded.to_dict("records") == [
        {"key": "K1a", "row_hash": 1, "batch": "a"},
        {"key": "K2a", "row_hash": 2, "batch": "a"},
    ]
    assert records.loaded_keys("t", "customer", exclude="a").empty


def test_batch_ids_cannot_leave_the_records_folder(tmp_path: Path) -> None:
    assert check_batch_id("demo-20260101T000000Z-2") == "demo-20260101T000000Z-2"
    for bad in ("../../etc", "a/b", "", ".hidden"):
        with pytest.raises(TargetError, match="is not a batch id"):
            LoadRecords(tmp_path).get("t", bad)


def test_project_records_live_in_the_project_unless_absolute(tmp_path: Path) -> None:
    assert project_records(tmp_path, "state/loads").root == tmp_path / "state/loads"
    assert project_records(tmp_path, "/var/loads").root == Path("/var/loads")
