"""Reading an earlier run's load files back, as text, to check them again.

A load file is ``<out>/load/<table>.<kind>`` in one of the project's load
formats; the first format found (in the project's order) is read. Every column
comes back as text (``str``), empty cells as missing, so the declared types
are applied by ``coerce_frame`` exactly as in the validate stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from migrate.errors import SourceError


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype="str", keep_default_na=False, encoding="utf-8-sig")


def _parquet(path: Path) -> pd.DataFrame:
    frame = pd.read_parquet(path)
    return frame.astype("str").where(frame.notna())


def _xlsx(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, dtype="str", keep_default_na=False)


READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "csv": _csv,
    "parquet": _parquet,
    "xlsx": _xlsx,
}


def find_load_file(load_dir: Path, table: str, formats: Iterable[str]) -> Path:
    """The first load file of ``table`` in ``formats`` that exists; a SourceError if none does."""
    tried = [load_dir / f"{table}.{kind}" for kind in formats]
    for path in tried:
        if path.exists():
            return path
    names = ", ".join(p.name for p in tried)
    raise SourceError(str(load_dir), f"no load file for {table} ({names}): run `migrate run` first")


def read_load_file(path: Path) -> pd.DataFrame:
    """The load file as text; empty cells are missing."""
    frame = READERS[path.suffix.lstrip(".")](path)
    text = frame.astype("str")
    return text.mask(text.apply(lambda column: column.str.strip().eq("")).fillna(False))
