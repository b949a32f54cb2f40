"""A ledger whose rows come in chunk segments, parked on disk, records what one frame would."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pandas as pd
import pytest

from migrate.ledger import Ledger
from migrate.ledger_segments import drop_held

ROWS = 25


def _rows(start: int, stop: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "_rid": range(start, stop),
            "_system": ["ERP" if i % 3 else "CRM" for i in range(start, stop)],
            "_source": "lines",
            "_key": [f"K{i:02d}" for i in range(start, stop)],
            "_row": range(start + 2, stop + 2),
        }
    )


def _record(ledger: Ledger) -> None:
    """The same fates and findings, spanning segments, in any ledger of the 25 rows."""
    rows = _rows(0, ROWS)
    ledger.reject("o", rows.iloc[[3, 9, 10, 22]], stage="validate", rule="R1", reason="bad")
    ledger.warn("o", rows.iloc[[4, 11]], stage="cleanse", rule="W1", reason="odd", field="a")
    ledger.reject(
        "o",
        rows.iloc[[9, 23]],
        stage="link",
        rule="R2",
        reason=pd.Series(["x", "y"], index=rows.index[[9, 23]]),
    )
    ledger.out_of_scope("o", [0, 1, 12, 24], "pilot")
    rest = rows[~rows["_rid"].isin([0, 1, 12, 24, 3, 9, 10, 22, 23])]
    ledger.loaded("o", rest["_rid"], "T" + rest["_key"])


def _chunked(tmp_path: Path | None, size: int, *, record: bool = True) -> Ledger:
    ledger = Ledger()
    ledger.register("o", _rows(0, 0))
    chunks = []
    for start in range(0, ROWS, size):
        chunk = ledger.for_chunk("o", _rows(start, min(start + size, ROWS)))
        if tmp_path is not None:
            chunk.park("o", tmp_path / f"{start:03d}")
        chunks.append(chunk)
    ledger.absorb("o", chunks)
    if record:
        _record(ledger)
    return ledger


@pytest.fixture
def whole() -> Ledger:
    ledger = Ledger()
    ledger.register("o", _rows(0, ROWS))
    _record(ledger)
    return ledger


@pytest.mark.parametrize("size", [1, 4, 25])
@pytest.mark.parametrize("parked", [False, True])
def test_segments_record_what_one_frame_records(
    whole: Ledger, tmp_path: Path, size: int, parked: bool
) -> None:
    ledger = _chunked(tmp_path if parked else None, size)
    pd.testing.assert_frame_equal(ledger.rows("o"), whole.rows("o"))
    pd.testing.assert_frame_equal(ledger.funnel(), whole.funnel())
    pd.testing.assert_frame_equal(ledger.findings("o"), whole.findings("o"))
    assert sorted(ledger.rejected_rids("o")) == sorted(whole.rejected_rids("o"))
    assert ledger.row_count("o") == ROWS
    sliced = pd.concat(list(ledger.row_slices("o", 7)), ignore_index=True)
    pd.testing.assert_frame_equal(sliced, whole.rows("o"))
    fates = ledger.fates("o", [24, 3, 5])
    assert fates.loc[[24, 3, 5]].tolist() == ["out_of_scope", "rejected", "loaded"]


def test_parked_segments_leave_memory_but_the_last_touched(tmp_path: Path) -> None:
    ledger = _chunked(tmp_path, 10)
    files = sorted(p.name for p in tmp_path.rglob("*.pickle"))
    assert len(files) == 3
    segments = ledger._objects["o"].rows._segments
    assert [segment.frame is not None for segment in segments] == [False, False, True]


def _on_disk(path: Path | None) -> pd.DataFrame:
    assert path is not None
    with path.open("rb") as stream:
        frame: pd.DataFrame = pickle.load(stream)
    return frame


def test_a_held_segment_goes_back_to_its_file_when_another_is_touched(tmp_path: Path) -> None:
    ledger = _chunked(tmp_path, 10, record=False)
    first, _, last = ledger._objects["o"].rows._segments
    ledger.out_of_scope("o", [24], "pilot")
    ledger.out_of_scope("o", [2], "pilot")
    assert first.frame is not None and last.frame is None  # the last went back to disk
    assert _on_disk(last.path).loc[24, "fate"] == "out_of_scope"
    assert pd.isna(_on_disk(first.path).loc[2, "fate"])  # the change is held, not yet written
    assert ledger.fates("o", [2]).tolist() == ["out_of_scope"]  # and read from memory
    ledger.out_of_scope("o", [20], "pilot")
    assert _on_disk(first.path).loc[2, "fate"] == "out_of_scope"


def test_a_held_segment_only_read_is_not_written_again(tmp_path: Path) -> None:
    ledger = _chunked(tmp_path, 10)
    first = ledger._objects["o"].rows._segments[0]
    assert first.path is not None
    written = first.path.stat().st_mtime_ns
    first.path.write_bytes(first.path.read_bytes())  # a fresh mtime to compare with
    rewritten = first.path.stat().st_mtime_ns
    assert ledger.fates("o", [2]).tolist() == ["loaded"]
    ledger.fates("o", [20])  # holds the last segment: the first is released unchanged
    assert first.frame is None
    assert first.path.stat().st_mtime_ns == rewritten >= written


def test_one_parked_segment_is_held_whichever_ledger_touched_it(tmp_path: Path) -> None:
    """As a streamed run does: each chunk's own ledger records, then the run's ledger."""
    ledger = Ledger()
    ledger.register("o", _rows(0, 0))
    chunks = []
    for start in range(0, ROWS, 5):
        chunk = ledger.for_chunk("o", _rows(start, start + 5))
        chunk.park("o", tmp_path / f"{start:03d}")
        chunks.append(chunk)
    for start, chunk in zip(range(0, ROWS, 5), chunks, strict=True):
        chunk.reject("o", _rows(start, start + 1), stage="validate", rule="R", reason="bad")
    ledger.absorb("o", chunks)
    segments = ledger._objects["o"].rows._segments
    assert sum(segment.frame is not None for segment in segments) == 1
    ledger.out_of_scope("o", [1, 6, 11], "pilot")
    assert sum(segment.frame is not None for segment in segments) == 1
    assert ledger.rows("o")["fate"].iloc[[0, 1, 5, 6]].tolist() == ["rejected", "out_of_scope"] * 2


def test_a_dropped_segment_is_not_written_back(tmp_path: Path) -> None:
    ledger = _chunked(tmp_path / "first", 10, record=False)
    ledger.out_of_scope("o", [24], "pilot")
    last = ledger._objects["o"].rows._segments[-1]
    drop_held()
    shutil.rmtree(tmp_path / "first")  # what the end of a run does with the work folder
    other = _chunked(tmp_path / "next", 10, record=False)  # the next run in this process
    other.out_of_scope("o", [2], "pilot")  # holds a segment of its own: nothing to write
    assert last.path is not None and not last.path.exists()
