"""Load files of a table too large to hold: sorted by business key with bounded memory.

:class:`SortedLoadWriter` takes the load layout in chunks, in any order, and
writes the same bytes as :func:`migrate.io.sinks.write_frame` of the whole
table sorted stably by business key, holding about ``budget_rows`` rows at a
time whatever the table's size. It is an external merge sort:

* ``add`` buffers chunks up to ``budget_rows`` rows, sorts them by business
  key (the arrival number of each row breaks ties, so the order is that of a
  stable sort of all chunks in arrival order) and spills them as a sorted run,
  an Arrow IPC file of record batches of a fixed size, in ``spill_dir``;
* ``finish`` merges the runs (several passes when there are more runs than
  the budget can read at once), reading each run batch by batch: from every
  run's current batch, the rows not after the smallest of the batches' last
  keys are safe to sort and write, the rest wait for the next round. The
  merged pieces stream into the incremental writers of ``sinks``, the very
  writers ``write_frame`` uses.

The whole table's dtypes are those ``pd.concat`` gives the chunks; every piece
is cast to them before it is written (a run spilled before a dtype changed is
re-sorted under the new one), so each piece renders as the whole table would.
Object columns are spilled as pickled values, so they come back as they were.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.extensions import ExtensionDtype
from pandas.api.types import is_object_dtype

from migrate.frames import empty_like
from migrate.io import sorted_runs
from migrate.io.sinks import FrameWriter, Shape, check_kind, check_rows, commit, temp_path
from migrate.keys import business_key

DEFAULT_BUDGET_ROWS = 1_000_000
FAN_IN = 16  # runs merged at once; a run is read in batches of budget_rows // FAN_IN rows
MIN_PIECE_ROWS = 4096  # merged rows gathered before they are written on
SPILL_PREFIX = "sorted-run-"
_NULL, _KEY, _SEQ = sorted_runs.NULL, sorted_runs.KEY, sorted_runs.SEQ
_SORT_KEYS = sorted_runs.SORT_KEYS
_DATA = 3  # data columns follow the three sort columns



@dataclass(frozen=True)
class _Run:
    """A spilled sorted run: its file, rows and the dtypes its data was spilled in."""

    path: Path
    rows: int
    empty: pd.DataFrame


class SortedLoadWriter:
    """Load files of chunks in any order, sorted stably by business key, in bounded memory."""

    def __init__(
        self,
        paths: dict[str, Path],
        key: list[str],
        *,
        bom: bool,
        spill_dir: Path,
        budget_rows: int = DEFAULT_BUDGET_ROWS,
        layout: pd.DataFrame | None = None,
    ) -> None:
        """``layout``: the columns (and dtypes) of the files if no chunk is added at all."""
        for kind in paths:
            check_kind(kind)
        if budget_rows < 2:
            raise ValueError(f"budget_rows must be at least 2, not {budget_rows}")
        self.paths = {kind: Path(path) for kind, path in paths.items()}
        self.key = list(key)
        self.bom = bom
        self.spill_dir = Path(spill_dir)
        self.budget_rows = budget_rows
        self.rows = 0
        self._batch_rows = max(1, budget_rows // FAN_IN)
        self._piece_rows = max(self._batch_rows, MIN_PIECE_ROWS)
        self._empty: pd.DataFrame | None = None
        self._fallback = None if layout is None else empty_like(layout)
        self._object_types: dict[int, list[pa.DataType]] = {}
        self._buffer: list[pd.DataFrame] = []
        self._buffered = 0
        self._runs: list[_Run] = []
        self._temps: list[Path] = []
        self._arrow_error: Exception | None = None
        self._finished = False

    def add(self, frame: pd.DataFrame) -> None:
        """Take a chunk in load layout (the first chunk's columns, in its order)."""
        if self._empty is None:
            missing = [name for name in self.key if name not in frame.columns]
            if missing:
                raise ValueError(f"key field(s) {missing} missing from the chunk's columns")
            self._empty = empty_like(frame)
        elif list(frame.columns) != list(self._empty.columns):
            raise ValueError(
                f"chunk columns {list(frame.columns)} differ from the first chunk's "
                f"{list(self._empty.columns)}"
            )
        elif list(frame.dtypes) != list(self._empty.dtypes):
            self._empty = pd.concat([self._empty, empty_like(frame)], ignore_index=True)
        self._note_arrow_types(frame)
        if not len(frame):
            return
        self._buffer.append(frame)
        self._buffered += len(frame)
        self.rows += len(frame)
        if self._buffered >= self.budget_rows:
            self._spill()

    def finish(self) -> dict[str, str]:
        """Write every file atomically; the SHA-256 of each by kind. Removes the spill files."""
        if self._finished:
            raise ValueError("finish was called before: the load files are written")
        self._finished = True
        if self._empty is None and self._fallback is not None:
            self.add(self._fallback)
        if self._empty is None:
            raise ValueError("no chunk was added and no layout given: the columns are unknown")
        try:
            for kind, path in self.paths.items():
                check_rows(kind, path, self.rows)
            self._spill()
            self._rekey_runs()
            self._reduce_runs()
            digests = self._write()
        except BaseException:
            self.abort()
            raise
        self._remove_runs()
        return digests

    def abort(self) -> None:
        """Remove the spill files and any temporary load file (after an error)."""
        self._buffer, self._buffered = [], 0
        self._remove_runs()
        for temp in self._temps:
            temp.unlink(missing_ok=True)
        self._temps = []

    # -- spilling -------------------------------------------------------------------------

    def _spill(self) -> None:
        """Sort the buffered chunks into a new run."""
        if not self._buffered:
            return
        assert self._empty is not None
        data = _cast(pd.concat(self._buffer, ignore_index=True), self._empty)
        first = self.rows - self._buffered
        self._buffer, self._buffered = [], 0
        self._runs.append(self._sorted_run(data, np.arange(first, first + len(data))))

    def _sorted_run(self, data: pd.DataFrame, seq: np.ndarray) -> _Run:
        """Spill ``data`` (rows numbered ``seq``) sorted by business key, then number."""
        keys = _sort_columns(business_key(data, self.key), seq)
        order = pc.sort_indices(keys, sort_keys=_SORT_KEYS)
        table = _encode(data.take(order.to_numpy()), keys.take(order))
        path = self._new_run_path()
        sorted_runs.write_run(table, path, self._batch_rows)
        return _Run(path, len(data), empty_like(data))

    def _new_run_path(self) -> Path:
        self.spill_dir.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=SPILL_PREFIX, suffix=".arrow", dir=self.spill_dir)
        os.close(handle)
        return Path(name)

    def _rekey_runs(self) -> None:
        """Re-sort the runs spilled before a column's dtype changed, under the final dtypes."""
        assert self._empty is not None
        final = list(self._empty.dtypes)
        for number, run in enumerate(self._runs):
            if list(run.empty.dtypes) == final:
                continue
            table = sorted_runs.read_run(run.path)
            data = _cast(_decode(table, run.empty), self._empty)
            seq = table.column(_SEQ).to_numpy()
            self._runs[number] = self._sorted_run(data, seq)
            run.path.unlink(missing_ok=True)

    # -- merging --------------------------------------------------------------------------

    def _reduce_runs(self) -> None:
        """Merge runs FAN_IN at a time until one pass can merge them all."""
        fan_in = max(2, self.budget_rows // self._batch_rows)
        while len(self._runs) > fan_in:
            group, self._runs = self._runs[:fan_in], self._runs[fan_in:]
            path = self._new_run_path()
            pieces = sorted_runs.merge([run.path for run in group], self._piece_rows)
            sorted_runs.write_pieces(pieces, path, self._batch_rows)
            self._runs.append(_Run(path, sum(run.rows for run in group), group[0].empty))
            for run in group:
                run.path.unlink(missing_ok=True)

    def _write(self) -> dict[str, str]:
        """Stream the merged rows into a temp file per kind, then rename them all."""
        assert self._empty is not None
        shape = Shape(self._empty, self.rows, self._arrow_schema)
        writers: list[FrameWriter] = []
        temps = []
        try:
            for kind, path in self.paths.items():
                temps.append(temp_path(path))
                self._temps.append(temps[-1])
                writers.append(check_kind(kind)(temps[-1], shape, self.bom))
            for piece in sorted_runs.merge([run.path for run in self._runs], self._piece_rows):
                frame = _decode(piece, self._empty)
                for writer in writers:
                    writer.write(frame)
        finally:
            for writer in writers:
                writer.close()
        digests = {
            kind: commit(temp, path)
            for (kind, path), temp in zip(self.paths.items(), temps, strict=True)
        }
        self._temps = []
        return digests

    def _remove_runs(self) -> None:
        for run in self._runs:
            run.path.unlink(missing_ok=True)
        self._runs = []

    # -- the whole table's Arrow schema ---------------------------------------------------

    def _note_arrow_types(self, frame: pd.DataFrame) -> None:
        """The Arrow type pyarrow infers for each column's values (for the Parquet schema).

        Only a column whose whole-table dtype is object needs it; a column of
        values pyarrow cannot type fails the Parquet file only, as it would
        when writing the whole table.
        """
        if "parquet" not in self.paths or self._arrow_error is not None:
            return
        for number in range(frame.shape[1]):
            column = frame.iloc[:, number]
            if not is_object_dtype(column.dtype):
                column = column.dropna().iloc[:1].astype(object)
            try:
                inferred = pa.array(column, from_pandas=True).type
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as error:
                self._arrow_error = error
                return
            self._object_types.setdefault(number, []).append(inferred)

    def _arrow_schema(self) -> pa.Schema:
        """The schema (with pandas metadata) ``pa.Schema.from_pandas`` gives the whole table."""
        assert self._empty is not None
        if self._arrow_error is not None:
            raise self._arrow_error
        typed = pa.Schema.from_pandas(self._empty, preserve_index=False)
        fields = []
        for number, dtype in enumerate(self._empty.dtypes):
            field = typed.field(number)
            if is_object_dtype(dtype):
                field = field.with_type(_unified(self._object_types.get(number, [])))
            fields.append(field)
        schema = pa.schema(fields)
        return pa.Table.from_pandas(self._empty, schema=schema, preserve_index=False).schema


def _unified(types: list[pa.DataType]) -> pa.DataType:
    """The type pyarrow infers for all values of types ``types`` together."""
    if not types:
        return pa.null()
    schemas = [pa.schema([pa.field("x", kind)]) for kind in types]
    return pa.unify_schemas(schemas, promote_options="permissive").field("x").type


def _cast(frame: pd.DataFrame, empty: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in the dtypes of ``empty`` (as ``pd.concat`` would cast it)."""
    if list(frame.dtypes) == list(empty.dtypes):
        return frame
    columns = {
        number: frame.iloc[:, number].astype(dtype) for number, dtype in enumerate(empty.dtypes)
    }
    cast = pd.DataFrame(columns, index=frame.index)
    cast.columns = empty.columns
    return cast


def _sort_columns(keys: pd.Series, seq: np.ndarray) -> pa.Table:
    """What rows sort by: key missing (last), key text (a missing one as ""), arrival number."""
    text = pa.array(keys, from_pandas=True, type=pa.large_string())
    return pa.table(
        {
            _NULL: pc.is_null(text),
            _KEY: pc.fill_null(text, ""),
            _SEQ: pa.array(seq, type=pa.int64()),
        }
    )


# -- runs: Arrow IPC files --------------------------------------------------------------------


def _encode(data: pd.DataFrame, keys: pa.Table) -> pa.Table:
    """The run's table: the sort columns, then each data column (object ones pickled)."""
    arrays = [keys.column(_NULL), keys.column(_KEY), keys.column(_SEQ)]
    for number in range(data.shape[1]):
        arrays.append(_column_to_arrow(data.iloc[:, number]))
    names = [_NULL, _KEY, _SEQ] + [f"c{number}" for number in range(data.shape[1])]
    return pa.Table.from_arrays(arrays, names=names)


def _column_to_arrow(column: pd.Series) -> pa.Array:
    """A data column as Arrow: typed columns as they are, object ones as pickled values."""
    if is_object_dtype(column.dtype):
        return pa.array([pickle.dumps(value) for value in column], type=pa.binary())
    return pa.array(column, from_pandas=True)


def _decode(table: pa.Table, empty: pd.DataFrame) -> pd.DataFrame:
    """The data columns of a run's table as pandas, in the dtypes of ``empty``."""
    columns = {}
    for number, dtype in enumerate(empty.dtypes):
        array = table.column(_DATA + number)
        if is_object_dtype(dtype):
            values = [pickle.loads(blob) for blob in array.to_pylist()]
            columns[number] = pd.Series(values, dtype=object)
        elif isinstance(dtype, ExtensionDtype):
            columns[number] = pd.Series(dtype.__from_arrow__(array))  # type: ignore[attr-defined]
        else:
            columns[number] = pd.Series(array.to_numpy(), dtype=dtype)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows))
    frame.columns = empty.columns
    return frame
