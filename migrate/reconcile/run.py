"""``migrate reconcile``: prove a run's load against a target, from the run's files alone.

It reads the run's load package (manifest + load files, hashes checked) and its
ledger, and the project's load records for the target. What the target should
hold is this run's rows plus what earlier batches loaded (their keys and row
hashes) and what tables held before the first batch. It then reports:

* the count funnel per object, source system and scope, which must close, and
  the rows the load file, the ledger and the target count for this run;
* control totals, source against target, every difference explained;
* keys in the load files but missing from the target, keys in the target no
  batch loaded, and values that differ beyond the column's tolerance.

Tables are compared by checksums per key bucket inside the database first;
only the buckets that differ are fetched (:mod:`migrate.reconcile.buckets`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from migrate.batches.confirm import confirm_batches
from migrate.batches.identity import TargetIdentity, identify
from migrate.batches.keys import keys_and_hashes
from migrate.batches.loader import convert_package
from migrate.batches.package import LoadPackage, ObjectLoad, read_package, verify_files
from migrate.batches.state import COMMITTED, LoadRecords
from migrate.errors import TargetError
from migrate.io.target import open_target, table_definition
from migrate.io.target_rows import Row
from migrate.io.urls import error_text
from migrate.reconcile.buckets import Expected, TableCheck, bucket_of, compare_table
from migrate.reconcile.compare import differing_columns
from migrate.reconcile.funnel import funnel_lines, loaded_counts, read_ledger, rule_lines
from migrate.reconcile.model import FieldDiff, KeyDiff, ObjectCheck, ReconcileReport
from migrate.reconcile.totals import manifest_totals, total_lines
from migrate.report.masking import mask_value
from migrate.spec.project import ColumnTolerance, ReconcileSettings

THIS_RUN = "this run"
BASELINE = "the table before the first batch"


@dataclass
class ObjectResult:
    """What reconciling one object found."""

    check: TableCheck
    keys: list[KeyDiff] = field(default_factory=list)
    fields: list[FieldDiff] = field(default_factory=list)
    in_target: int = 0
    others: int = 0
    actual: list[Row] = field(default_factory=list)


def reconcile_run(
    out_dir: Path, url: str, records: LoadRecords | None, settings: ReconcileSettings
) -> ReconcileReport:
    """Reconcile the run whose outputs are in ``out_dir`` against the target at ``url``."""
    package = read_package(out_dir)
    verify_files(package)
    ledger = read_ledger(package.out_dir)
    converted = convert_package(package)
    engine = open_target(url)
    try:
        identity = identify(engine.url)
        if records is not None:
            confirm_batches(engine, records, identity)
        batch = run_batch(package, identity, records)
        results = _check_objects(engine, package, converted, (identity, records, batch), settings)
    finally:
        engine.dispose()
    loaded = loaded_counts(ledger)
    declared = manifest_totals(package.out_dir)
    return ReconcileReport(
        project=package.project,
        run_id=package.run_id,
        scope=package.scope,
        target=identity.display,
        batch=batch,
        checked=datetime.now(UTC).isoformat(timespec="seconds"),
        funnel=funnel_lines(ledger, package.scope),
        rules=rule_lines(ledger),
        totals=tuple(
            line
            for obj, result in zip(package.objects, results, strict=True)
            for line in total_lines(obj.name, declared.get(obj.name, []), result.actual)
        ),
        objects=tuple(
            _object_line(obj, result, loaded.get(obj.name, 0))
            for obj, result in zip(package.objects, results, strict=True)
        ),
        keys=tuple(diff for result in results for diff in result.keys),
        fields=tuple(diff for result in results for diff in result.fields),
        messages=() if batch else ("no batch of this run into this target is recorded",),
    )


def run_batch(
    package: LoadPackage, identity: TargetIdentity, records: LoadRecords | None
) -> str | None:
    """The committed batch that loaded this package into the target, if one is recorded."""
    if records is None:
        return None
    found = [
        r.batch
        for r in records.batches(identity.id)
        if r.status == COMMITTED and r.run_id == package.run_id and r.files == package.files
    ]
    return found[-1] if found else None


def expected_rows(
    obj: ObjectLoad,
    rows: list[Row],
    identity: TargetIdentity,
    records: LoadRecords | None,
    batch: str | None,
) -> Expected:
    """What the object's table should hold: baseline, earlier batches, then this run."""
    expected = Expected()
    if records is not None:
        baseline = records.baseline(identity.id, obj.table)
        if baseline is not None:
            expected.add(baseline["key"], baseline["row_hash"], BASELINE)
        for record in records.batches(identity.id):
            if record.status == COMMITTED and record.batch != batch:
                keys = records.keys(identity.id, record.batch, obj.name)
                expected.add(keys["key"], keys["row_hash"], f"batch {record.batch}")
    mine = keys_and_hashes(rows, obj.key, obj.columns)
    expected.add(mine["key"], mine["row_hash"], THIS_RUN)
    expected.rows = dict(zip(mine["key"], rows, strict=True))
    return expected


def _check_objects(
    engine: Engine,
    package: LoadPackage,
    converted: dict[str, list[Row]],
    where: tuple[TargetIdentity, LoadRecords | None, str | None],
    settings: ReconcileSettings,
) -> list[ObjectResult]:
    identity, records, batch = where
    results = []
    try:
        with engine.connect() as conn:
            for obj in package.objects:
                expected = expected_rows(obj, converted[obj.name], identity, records, batch)
                results.append(_check_object(conn, obj, expected, settings))
    except SQLAlchemyError as exc:
        raise TargetError(identity.display, error_text(exc, engine.url)) from None
    return results


def _check_object(
    conn: Connection, obj: ObjectLoad, expected: Expected, settings: ReconcileSettings
) -> ObjectResult:
    definition = table_definition(obj.table, obj.columns, obj.key)
    exists = sa.inspect(conn).has_table(definition.name, schema=definition.schema)
    check = compare_table(conn, obj, expected, settings.bucket_rows, exists)
    result = ObjectResult(check=check)
    tolerances = _tolerances(obj, settings)
    for key in check.missing:
        owner = expected.owners[key]
        detail = "" if owner == THIS_RUN else f"loaded by {owner}"
        result.keys.append(KeyDiff(obj.name, key, "missing", detail))
    for key in check.extra:
        result.keys.append(KeyDiff(obj.name, key, "extra", "no recorded batch loaded it"))
    for key in check.changed:
        owner = expected.owners[key]
        if owner != THIS_RUN:
            detail = f"differs from what {owner} loaded"
            result.keys.append(KeyDiff(obj.name, key, "changed", detail))
            continue
        for column, want, got in differing_columns(
            expected.rows[key], check.fetched[key], obj.columns, tolerances
        ):
            personal = column in obj.personal
            result.fields.append(
                FieldDiff(obj.name, key, column, _shown(want, personal), _shown(got, personal))
            )
    mine = set(expected.rows)
    result.in_target = len(mine) - sum(1 for key in check.missing if key in mine)
    result.others = len(expected.hashes) - len(mine)
    result.actual = _actual_rows(expected, check)
    return result


def _tolerances(obj: ObjectLoad, settings: ReconcileSettings) -> dict[str, ColumnTolerance]:
    prefix = f"{obj.name}."
    return {
        name.removeprefix(prefix): tolerance
        for name, tolerance in settings.columns.items()
        if name.startswith(prefix)
    }


def _shown(text: str | None, personal: bool) -> str | None:
    return str(mask_value(text)) if personal and text is not None else text


def _actual_rows(expected: Expected, check: TableCheck) -> list[Row]:
    """This run's rows as the target holds them (fetched where their bucket differed)."""
    differing = set(check.differing)
    actual = []
    for key, row in expected.rows.items():
        if bucket_of(key, check.buckets) not in differing:
            actual.append(row)
        elif key in check.fetched:
            actual.append(check.fetched[key])
    return actual


def _object_line(obj: ObjectLoad, result: ObjectResult, ledger_loaded: int) -> ObjectCheck:
    check = result.check
    return ObjectCheck(
        object=obj.name,
        table=obj.table,
        file_rows=obj.rows,
        ledger_loaded=ledger_loaded,
        in_target=result.in_target,
        other_rows=result.others,
        buckets=check.buckets,
        buckets_differing=len(check.differing),
        rows_fetched=len(check.fetched),
    )
