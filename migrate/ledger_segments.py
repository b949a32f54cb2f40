"""The ledger rows of one object, held as segments that may wait on disk.

A table read whole is one segment. A streamed table is one segment per chunk,
in ``_rid`` order (each chunk's ids follow the previous chunk's), and a ledger
told to :meth:`Segments.park` them writes each segment to a file and keeps only
its first id: a fate set later loads the segments its rows fall in and changes
them. The last parked segment touched (by any ledger of this process: a chunk's
ledger and the run's share segments) stays in memory until another one is, and
is written back then only if it changed: delivery sets three fates per chunk,
one chunk after the other, so each segment is read and written once, not three
times. So a table of any size costs the ledger memory for about one chunk.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

Change = Callable[[pd.DataFrame, np.ndarray], None]


@dataclass
class _Segment:
    first: int  # the smallest _rid in the segment
    frame: pd.DataFrame | None  # None while parked and not held
    path: Path | None = None
    changed: bool = False  # held in memory with changes its file does not have

    def load(self) -> pd.DataFrame:
        if self.frame is not None:
            return self.frame
        assert self.path is not None
        with self.path.open("rb") as stream:
            frame: pd.DataFrame = pickle.load(stream)
        return frame

    def write(self, frame: pd.DataFrame) -> None:
        assert self.path is not None
        with self.path.open("wb") as stream:
            pickle.dump(frame, stream, protocol=pickle.HIGHEST_PROTOCOL)
        self.frame, self.changed = None, False


class _Held:
    """The one parked segment this process keeps in memory, whichever ledger touched it."""

    segment: _Segment | None = None

    @classmethod
    def hold(cls, segment: _Segment) -> pd.DataFrame:
        """The segment's rows: in memory anyway when not parked; else kept there until
        another parked segment is held."""
        if segment.path is None:
            return segment.load()
        if cls.segment is not segment:
            cls.release()
            segment.frame = segment.load()
            cls.segment = segment
        assert segment.frame is not None
        return segment.frame

    @classmethod
    def release(cls) -> None:
        """Back to its file with the held segment (written only if it changed)."""
        segment, cls.segment = cls.segment, None
        if segment is None or segment.path is None or segment.frame is None:
            return
        if segment.changed:
            segment.write(segment.frame)
        segment.frame = None


def drop_held() -> None:
    """Forget the held segment without writing it back: for when the folders of parked
    segments are about to be removed (the run that parked them is over)."""
    _Held.segment = None


class Segments:
    """An object's ledger rows (indexed by ``_rid``) in one or more segments."""

    def __init__(self, frames: list[pd.DataFrame]) -> None:
        self._segments = [_Segment(_first(frame), frame) for frame in frames]
        self._rows = sum(len(frame) for frame in frames)
        firsts = [segment.first for segment in self._segments]
        if firsts != sorted(firsts):
            raise ValueError("ledger segments must come in _rid order")

    @classmethod
    def joined(cls, parts: list[Segments]) -> Segments:
        """The segments of ``parts`` in turn, parked ones left where they are."""
        joined = cls([])
        joined._segments = [segment for part in parts for segment in part._segments]
        joined._rows = sum(part._rows for part in parts)
        return joined

    def __len__(self) -> int:
        return self._rows

    def park(self, folder: Path) -> None:
        """Keep every segment in a file in ``folder`` from now on, not in memory."""
        folder.mkdir(parents=True, exist_ok=True)
        _Held.release()
        for number, segment in enumerate(self._segments):
            frame = segment.load()
            segment.path = folder / f"ledger-{number:06d}.pickle"
            segment.write(frame)

    def frames(self) -> Iterator[pd.DataFrame]:
        """Each segment's rows in turn."""
        for segment in self._segments:
            yield segment.load()

    def whole(self) -> pd.DataFrame:
        """All rows in one frame."""
        frames = list(self.frames())
        return frames[0] if len(frames) == 1 else pd.concat(frames)

    def select(self, rids: np.ndarray) -> pd.DataFrame:
        """The rows of ``rids`` (each must exist), in the segments' order."""
        wanted = pd.Index(rids)
        parts = [frame.loc[frame.index.intersection(wanted)] for _, frame in self._parts(rids)]
        return parts[0] if len(parts) == 1 else pd.concat(parts)

    def update(self, rids: np.ndarray, change: Change) -> None:
        """Apply ``change(frame, positions)`` to the segments ``rids`` fall in.

        ``positions`` are the places in ``rids`` of the rows in that segment.
        """
        for number, positions in self._where(rids):
            segment = self._segments[number]
            change(_Held.hold(segment), positions)
            segment.changed = segment.path is not None

    def _parts(self, rids: np.ndarray) -> Iterator[tuple[np.ndarray, pd.DataFrame]]:
        for number, positions in self._where(rids):
            yield positions, _Held.hold(self._segments[number])

    def _where(self, rids: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
        """Per segment holding some of ``rids``: its number and those rids' positions."""
        if len(self._segments) == 1:
            yield 0, np.arange(len(rids))
            return
        firsts = np.array([segment.first for segment in self._segments])
        which = np.searchsorted(firsts, np.asarray(rids), side="right") - 1
        order = np.argsort(which, kind="stable")
        numbers, starts = np.unique(which[order], return_index=True)
        for number, group in zip(numbers, np.split(order, starts[1:]), strict=True):
            yield int(max(number, 0)), group


def _first(frame: pd.DataFrame) -> int:
    return int(frame.index.min()) if len(frame) else -1
