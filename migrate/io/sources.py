"""Reading legacy sources as all-text frames, whole or in chunks.

Each kind of source has a :class:`Reader` in :data:`READERS`. Whatever the
kind, frames hold every value as text exactly as the legacy system has it
(pandas ``str`` dtype), empty cells as missing and nothing else as missing;
column names are stripped of whitespace and a BOM. Problems raise
:class:`~migrate.errors.SourceError` naming the source, and the file, row and
column where there is one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from migrate.errors import SourceError
from migrate.io import csv_source, excel_source, parquet_source, sql_source
from migrate.io.spec import SourceSpec
from migrate.io.text import require_columns

__all__ = [
    "READERS",
    "Reader",
    "SourceSpec",
    "check_source",
    "iter_source",
    "read_source",
    "resolve_url",
]

READ_CHUNK_ROWS = 100_000


@dataclass(frozen=True)
class Reader:
    """How one kind of source is named in errors, pre-flighted and read.

    ``frames`` yields at least one frame (an empty one with the header when
    the source has no rows), so the header can always be checked.
    """

    label: Callable[[SourceSpec, Path], str]
    columns: Callable[[SourceSpec, Path], list[str]]
    frames: Callable[[SourceSpec, Path, int], Iterator[pd.DataFrame]]


READERS: dict[str, Reader] = {
    "csv": Reader(csv_source.label, csv_source.columns, csv_source.frames),
    "excel": Reader(excel_source.label, excel_source.columns, excel_source.frames),
    "parquet": Reader(parquet_source.label, parquet_source.columns, parquet_source.frames),
    "sql": Reader(sql_source.label, sql_source.columns, sql_source.frames),
}

resolve_url = sql_source.resolve_url


def _reader(spec: SourceSpec) -> Reader:
    reader = READERS.get(spec.kind)
    if reader is None:
        raise SourceError(
            spec.name, f"unknown source kind {spec.kind!r} (valid: {', '.join(sorted(READERS))})"
        )
    return reader


def check_source(spec: SourceSpec, base_dir: Path) -> None:
    """Cheap pre-flight: the source opens, decodes, and has the key and required columns."""
    reader = _reader(spec)
    found = reader.columns(spec, base_dir)
    require_columns(found, spec.required_columns(), reader.label(spec, base_dir))


def iter_source(spec: SourceSpec, base_dir: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """The source in frames of at most ``chunk_rows`` rows (at least one frame)."""
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, not {chunk_rows}")
    reader = _reader(spec)
    checked = False
    for frame in reader.frames(spec, base_dir, chunk_rows):
        if not checked:
            require_columns(
                list(frame.columns), spec.required_columns(), reader.label(spec, base_dir)
            )
            checked = True
        yield frame


def read_source(spec: SourceSpec, base_dir: Path) -> pd.DataFrame:
    """The whole source as one all-text frame."""
    frames = list(iter_source(spec, base_dir, READ_CHUNK_ROWS))
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True)
