"""The project's record of what was loaded: which batch, from which run, into which target.

Everything lives in one folder per target, ``<project>/state/loads/<target id>/``
by default (``state.loads`` in migration.yaml), so that a project folder (kept in
version control or on a share) says what each target holds::

    target.json                      the target's id, display URL (no password), dialect
    batches/<batch>.json             one batch: run, scope, status, files, objects, events
    batches/<batch>/<object>.csv     the keys the batch loaded, with each row's hash
    baseline/<table>.csv             keys and row hashes a table held before the first batch

A batch's status is ``loading`` (started or interrupted: resume or roll back),
``committed``, ``failed`` (refused and undone), ``rolled_back``, or ``lost``: it
was committed, but the target no longer holds it (recreated or restored from an
older backup), so its rows count as not loaded. Files are
written to a temporary name and renamed, so a killed process leaves either
the old or the new record.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from migrate.batches.identity import TargetIdentity
from migrate.errors import TargetError

LOADING = "loading"
COMMITTED = "committed"
FAILED = "failed"
ROLLED_BACK = "rolled_back"
LOST = "lost"
STATUSES = (LOADING, COMMITTED, FAILED, ROLLED_BACK, LOST)
KEY_COLUMNS = ["key", "row_hash"]
_BATCH_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")


def now() -> str:
    """The current UTC time, to the second, as ISO text."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_batch_id(batch: str) -> str:
    """``batch`` when it is a valid batch id (letters, digits, ``.``, ``_``, ``-``)."""
    if not _BATCH_ID.fullmatch(batch):
        raise TargetError("batch", f"{batch!r} is not a batch id (letters, digits, . _ -)")
    return batch


@dataclass(frozen=True)
class BatchRecord:
    """One load of one run into one target."""

    batch: str
    run_id: str
    project: str
    scope: str | None
    label: str | None
    target: TargetIdentity
    status: str
    started: str
    out_dir: str
    files: dict[str, str]
    chunk_rows: int
    objects: list[dict[str, Any]]
    seq: int
    finished: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    def with_event(self, event: str, status: str | None = None, **detail: Any) -> BatchRecord:
        """The record with one more event (and a new status, if given)."""
        entry = {"at": now(), "event": event, **detail}
        finished = now() if status in (COMMITTED, FAILED, ROLLED_BACK, LOST) else self.finished
        return replace(
            self,
            status=status or self.status,
            finished=finished,
            events=[*self.events, entry],
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the record file."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["target"] = self.target.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BatchRecord:
        """The record from its file's data."""
        values = dict(data)
        values["target"] = TargetIdentity(**data["target"])
        return cls(**values)


class LoadRecords:
    """Reads and writes the batch records of one project (in ``folder``)."""

    def __init__(self, folder: Path) -> None:
        self.root = Path(folder)

    def _target_dir(self, target_id: str) -> Path:
        return self.root / target_id

    def _record_path(self, target_id: str, batch: str) -> Path:
        return self._target_dir(target_id) / "batches" / f"{check_batch_id(batch)}.json"

    def _keys_path(self, target_id: str, batch: str, obj: str) -> Path:
        return self._target_dir(target_id) / "batches" / check_batch_id(batch) / f"{obj}.csv"

    def save(self, record: BatchRecord) -> None:
        """Write the batch record (and the target's description)."""
        target_file = self._target_dir(record.target.id) / "target.json"
        if not target_file.exists():
            _write_text(target_file, _json(record.target.to_dict()))
        _write_text(self._record_path(record.target.id, record.batch), _json(record.to_dict()))

    def batches(self, target_id: str) -> list[BatchRecord]:
        """Every batch into the target, oldest first."""
        folder = self._target_dir(target_id) / "batches"
        records = [
            BatchRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
            for path in sorted(folder.glob("*.json"))
        ]
        return sorted(records, key=lambda r: r.seq)

    def get(self, target_id: str, batch: str) -> BatchRecord | None:
        """The batch's record, if there is one."""
        path = self._record_path(target_id, batch)
        if not path.exists():
            return None
        return BatchRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def unfinished(self, target_id: str) -> BatchRecord | None:
        """The batch into the target that was started and neither committed nor undone."""
        open_batches = [r for r in self.batches(target_id) if r.status == LOADING]
        return open_batches[-1] if open_batches else None

    def write_keys(self, target_id: str, batch: str, obj: str, keys: pd.DataFrame) -> None:
        """Record the keys (and row hashes) the batch loaded for ``obj``."""
        table = keys[KEY_COLUMNS].sort_values("key", kind="stable")
        _write_text(
            self._keys_path(target_id, batch, obj),
            table.to_csv(index=False, lineterminator="\n"),
        )

    def keys(self, target_id: str, batch: str, obj: str) -> pd.DataFrame:
        """The keys the batch loaded for ``obj`` (empty when it loaded none)."""
        return _read_keys(self._keys_path(target_id, batch, obj))

    def loaded_keys(self, target_id: str, obj: str, exclude: str | None = None) -> pd.DataFrame:
        """Keys of ``obj`` held by committed batches (columns key, row_hash, batch)."""
        parts = [
            self.keys(target_id, r.batch, obj).assign(batch=r.batch)
            for r in self.batches(target_id)
            if r.status == COMMITTED and r.batch != exclude
        ]
        parts = [part for part in parts if not part.empty]
        if not parts:
            return pd.DataFrame({"key": [], "row_hash": [], "batch": []}, dtype="object")
        return pd.concat(parts, ignore_index=True).drop_duplicates("key", keep="last")

    def baseline(self, target_id: str, table: str) -> pd.DataFrame | None:
        """Keys and row hashes the table held before the first batch (None: not recorded)."""
        path = self._target_dir(target_id) / "baseline" / f"{table}.csv"
        return _read_keys(path) if path.exists() else None

    def write_baseline(self, target_id: str, table: str, keys: pd.DataFrame) -> None:
        """Record what the table held before the first batch touched it."""
        path = self._target_dir(target_id) / "baseline" / f"{table}.csv"
        table_keys = keys[KEY_COLUMNS].sort_values("key", kind="stable")
        _write_text(path, table_keys.to_csv(index=False, lineterminator="\n"))


def _read_keys(path: Path) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame({"key": [], "row_hash": []}, dtype="object")
    frame = pd.read_csv(path, dtype={"key": "object"}, keep_default_na=False)
    frame["row_hash"] = frame["row_hash"].astype("int64")
    return frame


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` by way of a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def project_records(root: Path, folder: str) -> LoadRecords:
    """The load records of the project at ``root`` (``folder`` relative to it unless absolute)."""
    path = Path(folder)
    return LoadRecords(path if path.is_absolute() else Path(root) / path)
