"""Parquet files, read batch by batch with pyarrow and turned into text.

Strings, integers, decimals and booleans are cast by Arrow (decimals keep
their scale, booleans read ``true``/``false``); floats, dates, times and
timestamps go through the same formatting as Excel cells; binary is hex.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from migrate.errors import SourceError
from migrate.io.spec import SourceSpec, existing_file, file_label
from migrate.io.text import blank_to_missing, cell_text, clean_header, text_frame

label = file_label


def columns(spec: SourceSpec, base_dir: Path) -> list[str]:
    """Pre-flight: the file is Parquet and its column names are clean."""
    source = label(spec, base_dir)
    return clean_header(_open(spec, base_dir, source).schema_arrow.names, source)


def frames(spec: SourceSpec, base_dir: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Record batches of at most ``chunk_rows`` rows, each as an all-text frame."""
    source = label(spec, base_dir)
    parquet = _open(spec, base_dir, source)
    header = clean_header(parquet.schema_arrow.names, source)
    yielded = False
    try:
        for batch in parquet.iter_batches(batch_size=chunk_rows):
            yield _text_batch(batch, header)
            yielded = True
    except (pa.ArrowException, OSError) as exc:
        raise SourceError(source, f"cannot be read as Parquet: {exc}") from None
    if not yielded:
        yield text_frame([], header)


def _open(spec: SourceSpec, base_dir: Path, source: str) -> pq.ParquetFile:
    path = existing_file(spec, base_dir)
    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise SourceError(source, f"cannot be read as Parquet: {exc}") from None


def _text_batch(batch: pa.RecordBatch, header: list[str]) -> pd.DataFrame:
    data = {name: _text_column(column) for name, column in zip(header, batch.columns, strict=True)}
    return blank_to_missing(pd.DataFrame(data, columns=header, dtype="str"))


def _text_column(column: pa.Array) -> pd.Series:
    kind = column.type
    if (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_string_view(kind)
        or pa.types.is_integer(kind)
        or pa.types.is_decimal(kind)
        or pa.types.is_boolean(kind)
    ):
        return pc.cast(column, pa.large_string()).to_pandas()
    return pd.Series([cell_text(value) for value in column.to_pylist()], dtype="str")
