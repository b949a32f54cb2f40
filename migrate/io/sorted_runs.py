"""Sorted runs on disk and their k-way merge, for :mod:`migrate.io.sorted_sink`.

A run is an Arrow IPC file of record batches whose first three columns are the
sort columns (key missing, key text, arrival number). Runs are merged
vectorised: from every run's current batch, the rows not after the smallest of
the batches' last keys are safe to sort and emit; the rest wait for the next
round.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

NULL, KEY, SEQ = "__null", "__key", "__seq"
SORT_KEYS = [(NULL, "ascending"), (KEY, "ascending"), (SEQ, "ascending")]

Bound = tuple[bool, str, int]  # (key is missing, key text, arrival number)


def write_run(table: pa.Table, path: Path, batch_rows: int) -> None:
    """A run's table as an Arrow IPC file of batches of ``batch_rows`` rows."""
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=batch_rows)


def write_pieces(pieces: Iterator[pa.Table], path: Path, batch_rows: int) -> None:
    """Merged pieces as one run file (an intermediate merge pass)."""
    writer = None
    with pa.OSFile(str(path), "wb") as sink:
        try:
            for piece in pieces:
                if writer is None:
                    writer = pa.ipc.new_file(sink, piece.schema)
                writer.write_table(piece, max_chunksize=batch_rows)
        finally:
            if writer is not None:
                writer.close()


def read_run(path: Path) -> pa.Table:
    """A whole run (at most a budget of rows) in memory."""
    with pa.OSFile(str(path), "rb") as source:
        return pa.ipc.open_file(source).read_all()


class _Cursor:
    """A run read batch by batch; ``table`` is its current batch.

    Batches are read into memory that is freed once they are merged, not memory
    mapped: pages of a map stay resident (and counted) until the map closes,
    which would make the resident size grow to the size of all runs.
    """

    def __init__(self, path: Path) -> None:
        self._source = pa.OSFile(str(path), "rb")
        self._reader = pa.ipc.open_file(self._source)
        self._next = 0
        self.table = self._reader.schema.empty_table()
        self._load()

    @property
    def more(self) -> bool:
        """Whether batches are left after the current one."""
        return self._next < self._reader.num_record_batches

    @property
    def last(self) -> Bound:
        """The sort key of the current batch's last row."""
        row = self.table.num_rows - 1
        return (
            bool(self.table.column(NULL)[row].as_py()),
            str(self.table.column(KEY)[row].as_py()),
            int(self.table.column(SEQ)[row].as_py()),
        )

    def take(self, bound: Bound | None) -> pa.Table:
        """The current batch's rows not after ``bound`` (all when None); loads on when spent."""
        count = self.table.num_rows if bound is None else _count_not_after(self.table, bound)
        taken = self.table.slice(0, count)
        self.table = self.table.slice(count)
        self._load()
        return taken

    def close(self) -> None:
        self._source.close()

    def _load(self) -> None:
        while self.table.num_rows == 0 and self.more:
            self.table = pa.Table.from_batches([self._reader.get_batch(self._next)])
            self._next += 1


def _count_not_after(table: pa.Table, bound: Bound) -> int:
    """How many leading rows of a sorted table sort before ``bound`` or are it."""
    missing, key, seq = table.column(NULL), table.column(KEY), table.column(SEQ)
    bound_missing, bound_key, bound_seq = bound
    if bound_missing:
        before = pc.invert(missing)
        same = missing
    else:
        present = pc.invert(missing)
        before = pc.and_(present, pc.less(key, bound_key))
        same = pc.and_(present, pc.equal(key, bound_key))
    not_after = pc.or_(before, pc.and_(same, pc.less_equal(seq, bound_seq)))
    return int(pc.sum(pc.cast(not_after, pa.int64())).as_py() or 0)


def merge(paths: list[Path], piece_rows: int) -> Iterator[pa.Table]:
    """The rows of sorted runs in sort order, in pieces of about ``piece_rows`` rows or more."""
    pieces: list[pa.Table] = []
    rows = 0
    for piece in _merge_rounds(paths):
        pieces.append(piece)
        rows += piece.num_rows
        if rows >= piece_rows:
            yield pa.concat_tables(pieces).combine_chunks()
            pieces, rows = [], 0
    if pieces:
        yield pa.concat_tables(pieces).combine_chunks()


def _merge_rounds(paths: list[Path]) -> Iterator[pa.Table]:
    """Each round's rows: from every run, those not after the smallest last key, sorted."""
    cursors = [_Cursor(path) for path in paths]
    try:
        while active := [cursor for cursor in cursors if cursor.table.num_rows]:
            bound = min((c.last for c in active if c.more), default=None)
            parts = [cursor.take(bound) for cursor in active]
            merged = pa.concat_tables([part for part in parts if part.num_rows])
            if merged.num_rows:
                yield merged.take(pc.sort_indices(merged, sort_keys=SORT_KEYS))
    finally:
        for cursor in cursors:
            cursor.close()
