"""Streaming the demo in small chunks gives the same outputs as whole tables."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from migrate.errors import SourceError
from migrate.pipeline import RunOptions, run_project
from migrate.report.outputs import contents, steady
from migrate.spec.loader import load_project
from migrate.stream.prepare import streams
from tests.cli.demo_project import copy_demo

SCOPE = "pilot_bu1000"
COMPARED = ("load", "rejects", "report/ledger.csv")


class PicklingEngine:
    """Runs chunk work as a remote worker would see it: work, chunks and outcomes pickled."""

    name = "pickling"

    def map_ordered(self, work: Any, items: Any) -> Any:
        remote = pickle.loads(pickle.dumps(work))
        for item in items:
            outcome = remote(pickle.loads(pickle.dumps(item)))
            yield pickle.loads(pickle.dumps(outcome))

    def close(self) -> None:
        pass


def _run(
    root: Path, name: str, chunk_rows: int | None, engine: Any = None
) -> tuple[Path, pd.DataFrame]:
    """Run the demo in a fresh copy (no golden keys from an earlier run)."""
    project = load_project(copy_demo(root / name))
    out = root / f"out_{name}"
    options = RunOptions(out, scope=SCOPE, history=False, chunk_rows=chunk_rows, engine=engine)
    outcome = run_project(project, options)
    assert outcome.closes
    return out, outcome.funnel


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, pd.DataFrame]]:
    root = tmp_path_factory.mktemp("stream")
    return {
        "whole": _run(root, "whole", None),
        "chunks_37": _run(root, "chunks_37", 37),
        "chunks_1000": _run(root, "chunks_1000", 1000),
        "pickled_250": _run(root, "pickled_250", 250, PicklingEngine()),
    }


@pytest.mark.parametrize("name", ["chunks_37", "chunks_1000", "pickled_250"])
def test_load_files_rejects_and_ledger_are_the_same(runs: dict, name: str) -> None:
    whole, streamed = contents(runs["whole"][0], COMPARED), contents(runs[name][0], COMPARED)
    assert "load/sales_order_line.csv" in whole and "load/sales_order_line.parquet" in whole
    assert sorted(streamed) == sorted(whole)
    differing = [path for path in whole if streamed[path] != whole[path]]
    assert differing == []


@pytest.mark.parametrize("name", ["chunks_37", "chunks_1000", "pickled_250"])
def test_report_figures_and_funnel_are_the_same(runs: dict, name: str) -> None:
    def report(out: Path) -> Any:
        return steady(json.loads((out / "report" / "report.json").read_text()))

    assert report(runs[name][0]) == report(runs["whole"][0])
    pd.testing.assert_frame_equal(runs[name][1], runs["whole"][1])


def test_only_objects_without_matching_stream(tmp_path: Path) -> None:
    project = load_project(copy_demo(tmp_path))
    objects = project.objects
    assert streams(objects["sales_order_line"], 100)
    assert not streams(objects["sales_order_line"], None)
    assert not streams(objects["customer"], 100)  # has a match spec: whole table


@pytest.mark.parametrize("chunk_rows", [None, 37])
def test_an_empty_legacy_key_names_its_line_in_any_chunk(
    tmp_path: Path, chunk_rows: int | None
) -> None:
    project_dir = copy_demo(tmp_path / "demo")
    path = project_dir / "samples" / "legacy" / "erp" / "order_lines.csv"
    lines = path.read_bytes().split(b"\n")
    lines[99] = b"," + lines[99].split(b",", 1)[1]  # file line 100: no order number
    path.write_bytes(b"\n".join(lines))
    options = RunOptions(tmp_path / "out", history=False, chunk_rows=chunk_rows)
    with pytest.raises(SourceError) as raised:
        run_project(load_project(project_dir), options)
    assert raised.value.row == 100
