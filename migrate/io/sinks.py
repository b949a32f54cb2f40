"""Load files: CSV, Parquet and XLSX written byte-identically for identical frames.

Every writer writes to a temporary file in the target's folder, which is then
renamed over the target, so a reader never sees half a file. Nothing that
varies between runs (clock, temp names, file modes) reaches the bytes:

* CSV: UTF-8 (optionally with a BOM), ``\\n`` line ends, no index.
* Parquet: pyarrow, a fixed row-group size, no timestamps in the metadata.
* XLSX: xlsxwriter built in memory (fixed zip entry dates) with fixed
  document properties; text is always written as text, never as a number,
  formula or link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

Writer = Callable[[pd.DataFrame, Path, bool], None]

PARQUET_ROW_GROUP_ROWS = 65_536
FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_HASH_BLOCK = 1 << 20
_EXCEL_EXACT_INT = 10**15


def _write_csv(frame: pd.DataFrame, path: Path, bom: bool) -> None:
    frame.to_csv(
        path,
        index=False,
        encoding="utf-8-sig" if bom else "utf-8",
        lineterminator="\n",
    )


def _write_parquet(frame: pd.DataFrame, path: Path, bom: bool) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, row_group_size=PARQUET_ROW_GROUP_ROWS, compression="zstd")


def _write_xlsx(frame: pd.DataFrame, path: Path, bom: bool) -> None:
    options = {
        "in_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    with xlsxwriter.Workbook(str(path), options) as workbook:
        workbook.set_properties({"created": FIXED_CREATED.replace(tzinfo=None)})
        formats = {
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        }
        sheet = workbook.add_worksheet("data")
        for column, name in enumerate(frame.columns):
            sheet.write_string(0, column, str(name))
        for row, values in enumerate(frame.itertuples(index=False, name=None), start=1):
            for column, value in enumerate(values):
                _write_cell(sheet, row, column, value, formats)


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


WRITERS: dict[str, Writer] = {
    "csv": _write_csv,
    "parquet": _write_parquet,
    "xlsx": _write_xlsx,
}


def write_frame(frame: pd.DataFrame, path: Path, kind: str, *, bom: bool = False) -> str:
    """Write ``frame`` atomically as a ``kind`` file; returns the file's SHA-256 hex."""
    writer = WRITERS.get(kind)
    if writer is None:
        raise ValueError(f"unknown load-file kind {kind!r} (valid: {', '.join(sorted(WRITERS))})")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        writer(frame, temp, bom)
        _fsync(temp)
        temp.chmod(_file_mode())
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
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
