"""Load files: CSV, Parquet and XLSX written byte-identically for identical frames.

Every kind has one incremental writer (``WRITERS``): it is opened with the
shape of the whole table (columns, dtypes, row count, Arrow schema), given the
rows in order in pieces of any size, and closed. ``write_frame`` gives it the
whole frame as one piece; :class:`migrate.io.sorted_sink.SortedLoadWriter`
gives it merged pieces of a table too large to hold. Writers cut the rows into
blocks of a fixed size counted from the first row, so the bytes never depend
on where the pieces were cut.

Every file is written to a temporary file in the target's folder, which is
then renamed over the target, so a reader never sees half a file. Nothing that
varies between runs (clock, temp names, file modes) reaches the bytes:

* CSV: UTF-8 (optionally with a BOM), ``\\n`` line ends, no index; the bytes
  of pandas' ``to_csv`` of the whole frame.
* Parquet: pyarrow, row groups of exactly ``PARQUET_ROW_GROUP_ROWS`` rows, no
  timestamps in the metadata.
* XLSX: xlsxwriter in constant-memory mode (rows streamed to disk, fixed zip
  entry dates) with fixed document properties; text is always written as
  text, never as a number, formula or link. A sheet holds at most
  ``XLSX_MAX_ROWS`` rows; a larger table is refused, never truncated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

PARQUET_ROW_GROUP_ROWS = 65_536
CSV_BLOCK_ROWS = 65_536
XLSX_MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows per sheet, less the header
FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_HASH_BLOCK = 1 << 20
_EXCEL_EXACT_INT = 10**15
_XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


@dataclass(frozen=True)
class Shape:
    """What a writer knows before the first row: the whole table's columns and size.

    ``empty`` has no rows but the whole table's columns and dtypes;
    ``arrow_schema`` gives the schema pyarrow infers for the whole table (only
    the Parquet writer asks for it).
    """

    empty: pd.DataFrame
    rows: int
    arrow_schema: Callable[[], pa.Schema]


class FrameWriter(Protocol):
    """An open load file that takes the table's rows in order, piece by piece."""

    def write(self, piece: pd.DataFrame) -> None:
        """Append ``piece`` (the next rows, in the shape's dtypes)."""

    def close(self) -> None:
        """Write what is buffered and close the file."""


Opener = Callable[[Path, Shape, bool], FrameWriter]


class _Blocks:
    """Pieces of any size regrouped into blocks of exactly ``size`` rows (the last shorter)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._parts: list[pd.DataFrame] = []
        self._rows = 0

    def add(self, piece: pd.DataFrame) -> list[pd.DataFrame]:
        """The blocks completed by ``piece``."""
        if piece.empty:
            return []
        self._parts.append(piece)
        self._rows += len(piece)
        if self._rows < self._size:
            return []
        whole = pd.concat(self._parts, ignore_index=True) if len(self._parts) > 1 else piece
        full = self._rows - self._rows % self._size
        blocks = [whole.iloc[at : at + self._size] for at in range(0, full, self._size)]
        rest = whole.iloc[full:]
        self._parts, self._rows = ([rest], len(rest)) if len(rest) else ([], 0)
        return blocks

    def rest(self) -> list[pd.DataFrame]:
        """The last, shorter block (if any rows are left)."""
        if not self._parts:
            return []
        parts, self._parts, self._rows = self._parts, [], 0
        return [pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]]


class _CsvWriter:
    """``to_csv`` of the whole frame: the header once, then blocks without header."""

    def __init__(self, path: Path, shape: Shape, bom: bool) -> None:
        self._stream: IO[str] = path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="")
        self._blocks = _Blocks(CSV_BLOCK_ROWS)
        self._render(shape.empty, header=True)

    def write(self, piece: pd.DataFrame) -> None:
        for block in self._blocks.add(piece):
            self._render(block, header=False)

    def close(self) -> None:
        try:
            for block in self._blocks.rest():
                self._render(block, header=False)
        finally:
            self._stream.close()

    def _render(self, block: pd.DataFrame, *, header: bool) -> None:
        block.to_csv(self._stream, index=False, header=header, lineterminator="\n")


class _ParquetWriter:
    """Row groups of exactly ``PARQUET_ROW_GROUP_ROWS`` rows in the whole table's schema."""

    def __init__(self, path: Path, shape: Shape, bom: bool) -> None:
        self._schema = shape.arrow_schema()
        self._writer = pq.ParquetWriter(path, self._schema, compression="zstd")
        self._blocks = _Blocks(PARQUET_ROW_GROUP_ROWS)

    def write(self, piece: pd.DataFrame) -> None:
        for block in self._blocks.add(piece):
            self._group(block)

    def close(self) -> None:
        try:
            for block in self._blocks.rest():
                self._group(block)
        finally:
            self._writer.close()

    def _group(self, block: pd.DataFrame) -> None:
        table = pa.Table.from_pandas(block, schema=self._schema, preserve_index=False)
        self._writer.write_table(table.combine_chunks(), row_group_size=PARQUET_ROW_GROUP_ROWS)


class _XlsxWriter:
    """One sheet ``data``: a text header row, then one row per table row, streamed."""

    def __init__(self, path: Path, shape: Shape, bom: bool) -> None:
        check_rows("xlsx", path, shape.rows)
        self._path = path
        self._book = xlsxwriter.Workbook(str(path), _XLSX_OPTIONS)
        self._book.set_properties({"created": FIXED_CREATED.replace(tzinfo=None)})
        self._formats = {
            "date": self._book.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": self._book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        }
        self._sheet = self._book.add_worksheet("data")
        for column, name in enumerate(shape.empty.columns):
            self._sheet.write_string(0, column, str(name))
        self._row = 1

    def write(self, piece: pd.DataFrame) -> None:
        check_rows("xlsx", self._path, self._row - 1 + len(piece))
        for values in piece.itertuples(index=False, name=None):
            for column, value in enumerate(values):
                _write_cell(self._sheet, self._row, column, value, self._formats)
            self._row += 1

    def close(self) -> None:
        self._book.close()


def _write_cell(
    sheet: Worksheet, row: int, column: int, value: Any, formats: dict[str, Any]
) -> None:
    if isinstance(value, np.generic):
        value = value.item()
    if _is_missing(value):
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, (int, float, Decimal)) and _fits_excel_number(value):
        sheet.write_number(row, column, float(value))
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, column, value.replace(tzinfo=None), formats["datetime"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, column, value, formats["date"])
    else:
        sheet.write_string(row, column, str(value))


def _fits_excel_number(value: int | float | Decimal) -> bool:
    """Excel keeps 15 significant digits: longer integers are written as text."""
    if isinstance(value, int):
        return abs(value) < _EXCEL_EXACT_INT
    return math.isfinite(float(value))


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


WRITERS: dict[str, Opener] = {
    "csv": _CsvWriter,
    "parquet": _ParquetWriter,
    "xlsx": _XlsxWriter,
}
ROW_LIMITS: dict[str, int] = {"xlsx": XLSX_MAX_ROWS}


def check_kind(kind: str) -> Opener:
    """The writer of ``kind``; an unknown kind is a ValueError listing the known ones."""
    opener = WRITERS.get(kind)
    if opener is None:
        raise ValueError(f"unknown load-file kind {kind!r} (valid: {', '.join(sorted(WRITERS))})")
    return opener


def check_rows(kind: str, path: Path, rows: int) -> None:
    """Refuse a table with more rows than a ``kind`` file holds (instead of cutting it)."""
    limit = ROW_LIMITS.get(kind)
    if limit is not None and rows > limit:
        raise ValueError(
            f"{path}: {rows:,} rows do not fit in an {kind} sheet "
            f"(at most {limit:,} rows besides the header); choose csv or parquet"
        )


def frame_shape(frame: pd.DataFrame) -> Shape:
    """The shape of ``frame`` as a whole."""
    return Shape(
        empty=frame.iloc[:0],
        rows=len(frame),
        arrow_schema=lambda: pa.Schema.from_pandas(frame, preserve_index=False),
    )


def write_frame(frame: pd.DataFrame, path: Path, kind: str, *, bom: bool = False) -> str:
    """Write ``frame`` atomically as a ``kind`` file; returns the file's SHA-256 hex."""
    opener = check_kind(kind)
    path = Path(path)
    check_rows(kind, path, len(frame))
    temp = temp_path(path)
    try:
        writer = opener(temp, frame_shape(frame), bom)
        try:
            writer.write(frame)
        finally:
            writer.close()
        return commit(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def temp_path(path: Path) -> Path:
    """A new empty temporary file next to ``path`` (its folder is created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    return Path(temp_name)


def commit(temp: Path, path: Path) -> str:
    """Sync ``temp``, give it a plain file's mode and rename it to ``path``; its SHA-256."""
    _fsync(temp)
    temp.chmod(_file_mode())
    temp.replace(path)
    return sha256_file(path)


def _file_mode() -> int:
    """The mode a plainly created file gets (0o666 less the umask); mkstemp uses 0o600."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync(path: Path) -> None:
    with path.open("rb") as stream:
        os.fsync(stream.fileno())


def sha256_file(path: Path) -> str:
    """The SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        while block := stream.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()
