"""Sorted load files from chunks in any order: the bytes of the sorted whole table."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from migrate.io import sinks, sorted_sink
from migrate.io.sinks import write_frame
from migrate.io.sorted_sink import SortedLoadWriter
from migrate.keys import business_key

KINDS = ("csv", "parquet", "xlsx")
SIZES = (1, 7, 1000)
TEXTS = ["a", "b|c", "北京华为（总部）", None, "=1+2", 'say "hi"\nbye', "x,y"]


def layout(rows: int) -> pd.DataFrame:
    """A load layout: text ids (integers that sort as text), a key part with "|", nulls."""
    rng = np.random.default_rng(7)
    ids = rng.integers(0, rows // 3 + 1, rows)
    return pd.DataFrame(
        {
            "id": pd.array([str(i) for i in ids], dtype="str"),
            "part": pd.array([TEXTS[i % len(TEXTS)] for i in range(rows)], dtype="str"),
            "qty": pd.array([None if i % 5 == 0 else i * 1001 for i in range(rows)], dtype="Int64"),
            "amount": [float("nan") if i % 7 == 0 else i / 3 for i in range(rows)],
            "active": pd.array(
                [None if i % 6 == 0 else i % 2 == 0 for i in range(rows)], "boolean"
            ),
            "opened": pd.array(
                [
                    None if i % 4 == 0 else f"20{i % 30:02d}-0{1 + i % 9}-1{i % 10}"
                    for i in range(rows)
                ],
                dtype="str",
            ),
            "name": pd.array([f"客户 {i}" if i % 3 else None for i in range(rows)], dtype="str"),
        }
    )


def shuffled_chunks(frame: pd.DataFrame, seed: int) -> list[pd.DataFrame]:
    """``frame`` cut into chunks of 1, 7 and 1000 rows in turn, in shuffled order."""
    chunks, at, turn = [], 0, 0
    while at < len(frame):
        size = SIZES[turn % len(SIZES)]
        chunks.append(frame.iloc[at : at + size])
        at, turn = at + size, turn + 1
    random.Random(seed).shuffle(chunks)
    return chunks


def sorted_whole(chunks: list[pd.DataFrame], key: list[str]) -> pd.DataFrame:
    """What the load stage writes today: the whole table, sorted stably by business key."""
    whole = pd.concat(chunks, ignore_index=True)
    order = business_key(whole, key).sort_values(kind="stable").index
    return whole.loc[order].reset_index(drop=True)


def write_sorted(
    chunks: list[pd.DataFrame], key: list[str], folder: Path, budget: int, bom: bool = False
) -> tuple[dict[str, Path], dict[str, str]]:
    paths = {kind: folder / "sorted" / f"out.{kind}" for kind in KINDS}
    writer = SortedLoadWriter(paths, key, bom=bom, spill_dir=folder / "spill", budget_rows=budget)
    for chunk in chunks:
        writer.add(chunk)
    digests = writer.finish()
    assert writer.rows == sum(len(chunk) for chunk in chunks)
    return paths, digests


def assert_same_bytes(
    chunks: list[pd.DataFrame], key: list[str], folder: Path, budget: int, bom: bool = False
) -> None:
    paths, digests = write_sorted(chunks, key, folder, budget, bom)
    expected = sorted_whole(chunks, key)
    for kind, path in paths.items():
        whole_path = folder / "whole" / f"out.{kind}"
        digest = write_frame(expected, whole_path, kind, bom=bom)
        assert path.read_bytes() == whole_path.read_bytes(), kind
        assert digests[kind] == digest == sinks.sha256_file(path), kind
    assert not any((folder / "spill").glob("*")), "spill files left behind"


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Merged pieces, blocks and row groups small enough that pieces cross block boundaries."""
    monkeypatch.setattr(sorted_sink, "MIN_PIECE_ROWS", 16)
    monkeypatch.setattr(sinks, "CSV_BLOCK_ROWS", 64)
    monkeypatch.setattr(sinks, "PARQUET_ROW_GROUP_ROWS", 100)


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("budget", [4, 50, 100_000])
@pytest.mark.parametrize("key", [["id"], ["id", "part"]])
def test_shuffled_chunks_give_the_bytes_of_the_sorted_whole_table(
    tmp_path: Path, budget: int, key: list[str]
) -> None:
    chunks = shuffled_chunks(layout(2000), seed=budget)
    assert_same_bytes(chunks, key, tmp_path, budget, bom=budget == 50)


def test_a_small_budget_merges_in_several_passes(tmp_path: Path) -> None:
    rows = layout(300)
    chunks = [rows.iloc[[at]] for at in random.Random(1).sample(range(300), 300)]
    writer = SortedLoadWriter(
        {"csv": tmp_path / "out.csv"},
        ["id"],
        bom=False,
        spill_dir=tmp_path / "spill",
        budget_rows=4,
    )
    for chunk in chunks:
        writer.add(chunk)
    assert len(list((tmp_path / "spill").iterdir())) == 75  # runs of 4 rows, merged 4 at a time
    writer.finish()
    expected = sorted_whole(chunks, ["id"]).to_csv(index=False, lineterminator="\n")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == expected
    assert list((tmp_path / "spill").iterdir()) == []


def test_integer_keys_sort_as_text(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"id": pd.array([10, 9, 100, 1], dtype="Int64"), "v": [1.0, 2.0, 3.0, 4.0]}
    )
    chunks = [frame.iloc[[2, 3]], frame.iloc[[0]], frame.iloc[[1]]]
    paths, _ = write_sorted(chunks, ["id"], tmp_path, budget=2)
    assert paths["csv"].read_text() == "id,v\n1,4.0\n10,1.0\n100,3.0\n9,2.0\n"
    assert_same_bytes(chunks, ["id"], tmp_path / "again", budget=2)


def test_dtypes_that_differ_between_chunks_render_as_in_the_whole_table(tmp_path: Path) -> None:
    """Ints then floats, an all-null chunk, decimals of several scales, dates and bools."""
    first = pd.DataFrame(
        {
            "k": [3, 10, 2],
            "text": ["x", None, "北京"],
            "price": [Decimal("1.10"), None, Decimal("2.5")],
            "n": [1, 2, 3],
            "day": [dt.date(2024, 1, 1), None, dt.date(2020, 5, 5)],
            "flag": [True, None, False],
        }
    )
    second = pd.DataFrame(
        {
            "k": [1.0, np.nan, 10.0],
            "text": [None, None, None],
            "price": [None, None, Decimal("123.456")],
            "n": [1.5, None, 2.0],
            "day": [None, None, None],
            "flag": [None, None, None],
        }
    )
    third = first.assign(k=[7, 7, 1], text=["=1+2", "a,b", 'q"'], n=[4, 5, 6])
    for number, chunks in enumerate([[first, second, third], [second, third, first]]):
        assert_same_bytes(chunks, ["k"], tmp_path / str(number), budget=2)


@pytest.mark.parametrize("budget", [2, 1000])
def test_an_empty_input_writes_the_header_only(tmp_path: Path, budget: int) -> None:
    empty = layout(3).iloc[:0]
    assert_same_bytes([empty, empty], ["id"], tmp_path, budget)
    assert (tmp_path / "sorted" / "out.csv").read_text() == (
        "id,part,qty,amount,active,opened,name\n"
    )
    assert pq.ParquetFile(tmp_path / "sorted" / "out.parquet").metadata.num_rows == 0


def test_nothing_added_is_refused(tmp_path: Path) -> None:
    writer = SortedLoadWriter(
        {"csv": tmp_path / "out.csv"}, ["id"], bom=False, spill_dir=tmp_path / "spill"
    )
    with pytest.raises(ValueError, match="no chunk was added and no layout given"):
        writer.finish()


def test_the_layout_gives_the_columns_when_no_chunk_comes(tmp_path: Path) -> None:
    paths = {kind: tmp_path / f"out.{kind}" for kind in KINDS}
    writer = SortedLoadWriter(
        paths, ["id"], bom=False, spill_dir=tmp_path / "spill", layout=layout(2)
    )
    digests = writer.finish()
    for kind, path in paths.items():
        assert digests[kind] == write_frame(layout(0), tmp_path / f"whole.{kind}", kind)
        assert path.read_bytes() == (tmp_path / f"whole.{kind}").read_bytes()


def test_chunks_with_other_columns_are_refused(tmp_path: Path) -> None:
    writer = SortedLoadWriter(
        {"csv": tmp_path / "out.csv"}, ["id"], bom=False, spill_dir=tmp_path / "spill"
    )
    writer.add(layout(3))
    with pytest.raises(ValueError, match="differ from the first chunk"):
        writer.add(layout(3)[["part", "id"]])


def test_chunks_without_the_key_are_refused(tmp_path: Path) -> None:
    writer = SortedLoadWriter(
        {"csv": tmp_path / "out.csv"}, ["id", "nope"], bom=False, spill_dir=tmp_path / "spill"
    )
    with pytest.raises(ValueError, match=r"key field\(s\) \['nope'\] missing"):
        writer.add(layout(3))


def test_unknown_kinds_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"unknown load-file kind 'json'"):
        SortedLoadWriter({"json": tmp_path / "x.json"}, ["id"], bom=False, spill_dir=tmp_path)


def test_abort_removes_the_spill_files_and_writes_nothing(tmp_path: Path) -> None:
    paths = {kind: tmp_path / "load" / f"out.{kind}" for kind in KINDS}
    writer = SortedLoadWriter(paths, ["id"], bom=False, spill_dir=tmp_path / "spill", budget_rows=5)
    for chunk in shuffled_chunks(layout(40), seed=2):
        writer.add(chunk)
    assert list((tmp_path / "spill").iterdir()) != []
    writer.abort()
    assert list((tmp_path / "spill").iterdir()) == []
    assert not (tmp_path / "load").exists()


def test_a_failed_finish_keeps_the_old_files_and_leaves_no_temp_or_spill_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "load" / "out.csv"
    write_frame(layout(3), target, "csv")
    before = target.read_bytes()

    def broken(self: object, piece: pd.DataFrame) -> None:
        raise OSError("disk full")

    writer = SortedLoadWriter(
        {"csv": target, "parquet": target.with_suffix(".parquet")},
        ["id"],
        bom=False,
        spill_dir=tmp_path / "spill",
        budget_rows=5,
    )
    for chunk in shuffled_chunks(layout(40), seed=3):
        writer.add(chunk)
    monkeypatch.setattr(sinks._CsvWriter, "write", broken)  # fails on the first merged rows
    with pytest.raises(OSError, match="disk full"):
        writer.finish()
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["out.csv"]
    assert list((tmp_path / "spill").iterdir()) == []


def test_more_rows_than_an_excel_sheet_holds_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sinks.ROW_LIMITS, "xlsx", 10)
    paths = {"csv": tmp_path / "load" / "out.csv", "xlsx": tmp_path / "load" / "out.xlsx"}
    writer = SortedLoadWriter(paths, ["id"], bom=False, spill_dir=tmp_path / "spill", budget_rows=4)
    for chunk in shuffled_chunks(layout(11), seed=4):
        writer.add(chunk)
    with pytest.raises(ValueError, match=r"out\.xlsx: 11 rows do not fit in an xlsx sheet"):
        writer.finish()
    assert not (tmp_path / "load").exists() or list((tmp_path / "load").iterdir()) == []
    assert list((tmp_path / "spill").iterdir()) == []


def test_parquet_row_groups_do_not_depend_on_the_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sinks, "PARQUET_ROW_GROUP_ROWS", 100)
    paths, _ = write_sorted(shuffled_chunks(layout(250), seed=5), ["id"], tmp_path, budget=30)
    parquet = pq.ParquetFile(paths["parquet"])
    groups = [parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups)]
    assert groups == [100, 100, 50]
