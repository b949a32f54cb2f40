"""Extract: read every legacy source of an object and give each row its identity.

Identity columns: ``_rid`` (row id, unique within the object; also the index),
``_system``, ``_source``, ``_key`` (legacy key as text, parts joined by "/") and
``_row`` (the row's line in a file, or its ordinal in a SQL result).
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from migrate.errors import SourceError
from migrate.io.sources import read_source
from migrate.io.spec import SourceSpec
from migrate.spec.loader import ObjectSpec, Project
from migrate.spec.mapping import FieldSource
from migrate.spec.project import Source
from migrate.stages.base import RunContext, StageResult

KEY_SEPARATOR = "/"
# Rows before the first data row: a header line in files, none in SQL results.
_FIRST_ROW = {"csv": 2, "excel": 2, "parquet": 1, "sql": 1}


def source_spec(source: Source, obj: ObjectSpec, root: Path) -> SourceSpec:
    """The IO description of one source, with the columns its mapping reads."""
    block = obj.mapping.sources[source.name]
    return SourceSpec(
        name=source.name,
        system=source.system,
        kind=source.kind,
        path=source.path,
        encoding=source.encoding,
        delimiter=source.delimiter,
        sheet=source.sheet,
        url=_project_relative_sqlite(source.url, root),
        table=source.table,
        query=source.query,
        key=tuple(source.key),
        columns=tuple(_mapped_columns(block)),
    )


def _project_relative_sqlite(url: str | None, root: Path) -> str | None:
    """A relative SQLite path in a project means: relative to the project folder."""
    prefix = "sqlite:///"
    if url is None or not url.startswith(prefix) or url.startswith(prefix + "/"):
        return url
    path = url.removeprefix(prefix)
    return url if path.startswith(":memory:") else prefix + (root / path).as_posix()


def _mapped_columns(block: dict[str, FieldSource]) -> list[str]:
    return sorted({spec.column for spec in block.values() if spec.column is not None})


def extract_object(obj: ObjectSpec, project: Project) -> pd.DataFrame:
    """Read all sources of ``obj`` into one frame with identity columns."""
    frames = []
    next_rid = 0
    for source in obj.model.sources:
        raw = read_source(source_spec(source, obj, project.root), project.root)
        frames.append(with_identity(raw, source, next_rid))
        next_rid += len(raw)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame.index = pd.Index(frame["_rid"].to_numpy(), name=None)
    return frame


def with_identity(
    raw: pd.DataFrame, source: Source, first_rid: int, row_offset: int = 0
) -> pd.DataFrame:
    """``raw`` with identity columns; ``row_offset``: rows of the source before this frame."""
    first_row = _FIRST_ROW[source.kind] + row_offset
    keys = raw[source.key].astype("string")
    missing = keys.isna().any(axis=1)
    if missing.any():
        line = int(missing.to_numpy().argmax()) + first_row
        raise SourceError(source.path or source.name, f"legacy key {source.key} is empty", line)
    identity = pd.DataFrame(
        {
            "_rid": range(first_rid, first_rid + len(raw)),
            "_system": source.system,
            "_source": source.name,
            "_key": _joined_key(keys),
            "_row": range(first_row, first_row + len(raw)),
        }
    )
    raw = raw.reset_index(drop=True)
    clashing = [c for c in identity.columns if c in raw.columns]
    if clashing:
        raise SourceError(source.path or source.name, f"column names reserved: {clashing}")
    return pd.concat([identity, raw], axis=1)


def _joined_key(keys: pd.DataFrame) -> pd.Series:
    """The legacy key as one text column, parts joined column-wise (not row by row)."""
    joined = keys.iloc[:, 0].astype("str")
    for column in keys.columns[1:]:
        joined = joined.str.cat(keys[column].astype("str"), sep=KEY_SEPARATOR)
    return joined.reset_index(drop=True)


def run(frame: pd.DataFrame, obj: ObjectSpec, ctx: RunContext) -> tuple[pd.DataFrame, StageResult]:
    """Extract ``obj`` and register its rows in the ledger."""
    started = time.perf_counter()
    extracted = extract_object(obj, ctx.project)
    ctx.ledger.register(obj.name, extracted)
    per_source = extracted.groupby("_source", sort=False).size()
    return extracted, StageResult(
        "extract",
        obj.name,
        rows_in=0,
        rows_out=len(extracted),
        seconds=time.perf_counter() - started,
        metrics={"rows_per_source": {str(k): int(v) for k, v in per_source.items()}},
    )
