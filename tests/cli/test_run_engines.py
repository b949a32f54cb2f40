"""`migrate run --engine dask` gives the same outputs as the in-process engine, with the
streamed objects' chunks and the matched objects' pair scoring run on the workers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from migrate.cli.main import cli
from migrate.cli.run import DASK_CHUNK_ROWS, _chunk_rows
from migrate.report.outputs import contents, steady
from migrate.spec.loader import load_project
from tests.cli.demo_project import copy_demo

MATCHED = ("customer", "material")  # the demo's objects with a match spec
ENGINES = {
    "local": ("--engine", "local", "--chunk-rows", "300"),
    "dask": ("--engine", "dask", "--workers", "3", "--chunk-rows", "300"),
}


def _run(project: Path, out: Path, *extra: str) -> tuple[int, str]:
    args = ["run", "--project", str(project), "--out", str(out), "--quiet", "--no-target"]
    result = CliRunner().invoke(cli, [*args, *extra], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Each engine on a fresh copy of the demo (no golden keys from an earlier run)."""
    root = tmp_path_factory.mktemp("engines")
    done = {}
    for name, extra in ENGINES.items():
        project = copy_demo(root / name)
        out = root / f"out_{name}"
        code, output = _run(project, out, *extra)
        assert code == 0, output
        done[name] = (out, output)
    return done


def test_load_files_rejects_ledger_and_report_are_the_same(runs: dict) -> None:
    local, dask = contents(runs["local"][0]), contents(runs["dask"][0])
    assert "load/sales_order_line.csv" in local and "report/report.json" in local
    assert any(path.startswith("rejects/") for path in local)
    assert sorted(dask) == sorted(local)
    assert [path for path in local if dask[path] != local[path]] == []


def test_the_funnel_and_findings_are_the_same(runs: dict) -> None:
    def figures(out: Path) -> Any:
        report = json.loads((out / "report/report.json").read_text("utf-8"))
        return report["status"], steady(report["objects"])

    status, objects = figures(runs["local"][0])
    assert status == "reconciled"
    assert figures(runs["dask"][0]) == (status, objects)


def _match_metrics(out: Path, name: str) -> dict[str, Any]:
    report = json.loads((out / "report/report.json").read_text("utf-8"))
    [obj] = [o for o in report["objects"] if o["name"] == name]
    [stage] = [s for s in obj["stages"] if s["stage"] == "match"]
    return dict(stage["metrics"])


def test_matching_was_scored_on_the_workers_with_the_same_figures(runs: dict) -> None:
    for name in MATCHED:
        local, dask = _match_metrics(runs["local"][0], name), _match_metrics(runs["dask"][0], name)
        assert "ran_on" not in local
        ran_on = dask.pop("ran_on")
        assert ran_on["engine"] == "dask"
        assert 2 <= ran_on["partitions"] <= 6  # spread over up to twice the 3 workers
        assert steady(dask) == steady(local)
        assert steady({"ran_on": ran_on, "matches": 1}) == {"matches": 1}  # not an output
        assert local["candidate_pairs"] > 50 and local["matches"] > 50


def test_the_match_outputs_are_the_same(runs: dict) -> None:
    local, dask = runs["local"][0], runs["dask"][0]
    for name in MATCHED:
        for part in ("load/{}_xref.csv", "load/{}_lineage.csv", "review/{}_review.csv"):
            path = part.format(name)
            assert (dask / path).read_bytes() == (local / path).read_bytes(), path
        book = f"review/{name}_review.xlsx"
        mine, theirs = _sheets(dask / book), _sheets(local / book)
        assert sorted(mine) == ["_pairs", "merged", "review"]
        assert len(theirs["merged"]) > 50  # the merged pairs with their scores and similarities
        for sheet, frame in theirs.items():
            pd.testing.assert_frame_equal(mine[sheet], frame, check_exact=True)


def _sheets(path: Path) -> dict[str, pd.DataFrame]:
    """A workbook's sheets, without ``_meta`` (its run id is the clock's)."""
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl", dtype=str)
    return {name: frame for name, frame in sheets.items() if name != "_meta"}


def test_the_summary_says_which_engine_ran(runs: dict) -> None:
    assert "engine: local\n" in runs["local"][1]
    assert "engine: dask, 3 workers\n" in runs["dask"][1]


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (("--scheduler", "tcp://127.0.0.1:8786"), "a scheduler address needs engine dask"),
        (("--workers", "2"), "workers are for engine dask"),
        (("--engine", "spark"), "'spark' is not one of 'local', 'dask'"),
    ],
)
def test_options_the_engine_does_not_take_are_usage_errors(
    tmp_path: Path, extra: tuple[str, ...], problem: str
) -> None:
    project = copy_demo(tmp_path / "p")
    code, output = _run(project, tmp_path / "out", *extra)
    assert code == 2
    assert problem in output
    assert not (tmp_path / "out").exists()


def test_the_dask_engine_streams_in_default_chunks_unless_told(tmp_path: Path) -> None:
    project = load_project(copy_demo(tmp_path / "p"))
    assert project.model.run.chunk_rows is None
    assert _chunk_rows(None, "dask", project) == DASK_CHUNK_ROWS == 100_000
    assert _chunk_rows(None, "local", project) is None
    assert _chunk_rows(300, "dask", project) == 300


def test_a_bad_row_in_a_streamed_source_ends_a_dask_run_with_its_error(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    path = project / "samples" / "legacy" / "erp" / "order_lines.csv"
    lines = path.read_bytes().split(b"\n")
    lines[99] = b"," + lines[99].split(b",", 1)[1]  # file line 100: no order number
    path.write_bytes(b"\n".join(lines))
    extra = ("--engine", "dask", "--workers", "2", "--chunk-rows", "37")
    code, output = _run(project, tmp_path / "out", *extra)
    assert code == 3, output
    assert output.startswith("error: ") and "row 100" in output
