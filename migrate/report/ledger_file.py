"""The ledger file (``report/ledger.csv``): every legacy row's identity and fate.

It is the longest output of a large run (a line per extracted row), so it is
written a slice at a time by Arrow's CSV writer, many times faster than
pandas': every text value is quoted, numbers are not, a missing value is an
empty field. The columns have fixed types, so a slice whose text column is all
empty writes like any other.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from migrate.ledger import Ledger

SLICE_ROWS = 200_000
_NUMBERS = ("_rid", "_row")
COLUMNS = ["_rid", "_system", "_source", "_key", "_row"]
COLUMNS += ["fate", "target_key", "rule", "reason", "stage", "object"]
SCHEMA = pa.schema(
    [pa.field(name, pa.int64() if name in _NUMBERS else pa.string()) for name in COLUMNS]
)


def write_ledger(ledger: Ledger, path: Path, slice_rows: int = SLICE_ROWS) -> None:
    """Write every object's rows, in registration order, to ``path``."""
    with pa_csv.CSVWriter(str(path), SCHEMA) as writer:
        for name in ledger.objects():
            for part in ledger.row_slices(name, slice_rows):
                writer.write_table(_table(part.assign(object=name)))


def _table(part: pd.DataFrame) -> pa.Table:
    columns = [_column(part[name], field.type) for name, field in zip(COLUMNS, SCHEMA, strict=True)]
    return pa.Table.from_arrays(columns, schema=SCHEMA)


def _column(values: pd.Series, kind: pa.DataType) -> pa.Array:
    try:
        return pa.array(values, type=kind, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a value that is not text: its text
        text = values.astype("object").where(values.isna(), values.astype("str"))
        return pa.array(text, type=kind, from_pandas=True)
