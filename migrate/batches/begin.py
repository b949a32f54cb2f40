"""Starting a batch: which batch a package loads as, and what must hold before it may.

A package that a committed batch loaded before is loaded again as that same
batch (its chunks are written again; nothing changes). Any other package is a
new batch, which is refused while another batch into the target is unfinished,
or when it holds rows another batch loaded. Before a batch first touches a
table, the keys and row hashes the table already holds are recorded as the
table's baseline, so that reconciliation does not take them for strays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from migrate.batches import control
from migrate.batches.confirm import confirm_batches
from migrate.batches.identity import TargetIdentity
from migrate.batches.keys import keys_and_hashes, row_key
from migrate.batches.package import LoadPackage, verify_files
from migrate.batches.state import (
    COMMITTED,
    LOADING,
    BatchRecord,
    LoadRecords,
    check_batch_id,
    now,
)
from migrate.errors import TargetError
from migrate.io.target import hashing_definition
from migrate.io.target_rows import Row

if TYPE_CHECKING:
    from migrate.batches.loader import LoadOptions


def begin_batch(
    engine: Engine,
    package: LoadPackage,
    identity: TargetIdentity,
    state: LoadRecords,
    plan: tuple[dict[str, list[Row]], LoadOptions],
) -> tuple[BatchRecord, bool]:
    """The batch record to load ``package`` under: a new batch, or the repeat of the one
    that loaded it before (the bool). Refuses while another batch is unfinished and when
    the package repeats rows another batch loaded."""
    converted, options = plan
    unfinished = state.unfinished(identity.id)
    if unfinished is not None:
        raise TargetError(
            identity.display,
            f"batch {unfinished.batch} into this target is unfinished: resume it "
            f"(migrate load --resume) or undo it (migrate rollback --batch {unfinished.batch})",
        )
    verify_files(package)
    confirm_batches(engine, state, identity)
    batches = state.batches(identity.id)
    for earlier in reversed(batches):
        if earlier.status == COMMITTED and _same_package(earlier, package):
            return _repeat(engine, earlier, state), True
    _refuse_overlap(package, converted, identity, state)
    _record_baselines(engine, package, identity, state)
    record = BatchRecord(
        batch=_new_batch_id(package.run_id, batches),
        run_id=package.run_id,
        project=package.project,
        scope=package.scope,
        label=options.label,
        target=identity,
        status=LOADING,
        started=now(),
        out_dir=str(package.out_dir),
        files=dict(package.files),
        chunk_rows=max(1, options.chunk_rows),
        objects=[{"name": o.name, **o.to_dict()} for o in package.objects],
        seq=len(batches) + 1,
    ).with_event("started")
    state.save(record)
    return record, False


def _same_package(record: BatchRecord, package: LoadPackage) -> bool:
    return record.run_id == package.run_id and record.files == package.files


def _repeat(engine: Engine, record: BatchRecord, state: LoadRecords) -> BatchRecord:
    with engine.begin() as conn:
        control.ensure_control_tables(conn)
        control.forget_chunks(conn, record.batch)
    repeated = record.with_event("repeated", LOADING)
    state.save(repeated)
    return repeated


def _new_batch_id(run_id: str, batches: list[BatchRecord]) -> str:
    taken = {record.batch for record in batches}
    candidate, number = check_batch_id(run_id), 1
    while candidate in taken:
        number += 1
        candidate = f"{run_id}-{number}"
    return candidate


def _refuse_overlap(
    package: LoadPackage,
    converted: dict[str, list[Row]],
    identity: TargetIdentity,
    state: LoadRecords,
) -> None:
    """A row is loaded by one batch only: refuse files that repeat another batch's keys."""
    for obj in package.objects:
        earlier = state.loaded_keys(identity.id, obj.name)
        if earlier.empty:
            continue
        mine = {row_key(row, obj.key, obj.columns) for row in converted[obj.name]}
        clash = earlier[earlier["key"].isin(mine)]
        if not clash.empty:
            raise TargetError(
                identity.display,
                f"{len(clash)} {obj.name} row(s) of these load files were loaded by batch "
                f"{clash['batch'].iloc[0]} already; run `migrate run` with this target so "
                "that rows of earlier batches are left out",
            )


def _record_baselines(
    engine: Engine, package: LoadPackage, identity: TargetIdentity, state: LoadRecords
) -> None:
    """Before the first batch touches a table, record the keys it already holds."""
    for obj in package.objects:
        if state.baseline(identity.id, obj.table) is not None:
            continue
        definition = hashing_definition(obj.table, obj.columns, obj.key, engine.dialect.name)
        rows: list[Row] = []
        with engine.connect() as conn:
            if sa.inspect(conn).has_table(definition.name, schema=definition.schema):
                rows = [dict(row._mapping) for row in conn.execute(sa.select(definition))]
        state.write_baseline(identity.id, obj.table, keys_and_hashes(rows, obj.key, obj.columns))
