"""Chunks parked on disk between the passes of a streamed object.

A streamed object's checked rows are written chunk by chunk as Arrow IPC files
in the run's work folder and read back one chunk at a time (memory-mapped, only
the columns asked for), so memory holds one chunk, not the table. The index of
every chunk is its ``_rid`` column.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa


class SpillStore:
    """Numbered chunks of one object in ``folder`` (created; removed by :meth:`close`)."""

    def __init__(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.folder = folder
        self.sizes: list[int] = []

    def append(self, frame: pd.DataFrame) -> int:
        """Park ``frame``; returns its chunk number."""
        number = len(self.sizes)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        path = str(self._path(number))
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        self.sizes.append(len(frame))
        return number

    def read(self, number: int, columns: list[str] | None = None) -> pd.DataFrame:
        """Chunk ``number`` (only ``columns`` when given), indexed by ``_rid``."""
        with pa.memory_map(str(self._path(number)), "r") as source:
            table = pa.ipc.open_file(source).read_all()
            rids = table.column("_rid").to_numpy()
            if columns is not None:
                table = table.select(columns)
            frame = table.to_pandas()
        frame.index = pd.Index(rids)
        return frame

    def chunks(self, columns: list[str] | None = None) -> Iterator[tuple[int, pd.DataFrame]]:
        """Every chunk in order, with its number."""
        for number in range(len(self.sizes)):
            yield number, self.read(number, columns)

    def close(self) -> None:
        """Remove the parked chunks."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def _path(self, number: int) -> Path:
        return self.folder / f"chunk-{number:06d}.arrow"
