"""The demo's pilot and rest batches, streamed in chunks, load what the whole-table runs load.

The order lines go on chunk by chunk to their load files: the pilot's scope is
decided per chunk by its condition, and the rest batch leaves out, chunk by
chunk, the lines the pilot loaded into the same target.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.batches.tiny import run_cli
from tests.cli.demo_project import copy_demo

BATCHES = ("pilot", "rest")


def _batches(root: Path, *chunking: str) -> dict[str, Path]:
    project = copy_demo(root / "demo")
    target = f"sqlite:///{root / 'target.sqlite'}"
    outs = {}
    for batch in BATCHES:
        out = root / f"out_{batch}"
        args = ["run", "--project", str(project), "--out", str(out), "--quiet"]
        result = run_cli(*args, "--target", target, "--batch", batch, *chunking)
        assert result.exit_code == 0, result.output
        outs[batch] = out
    return outs


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    return {
        "whole": _batches(tmp_path_factory.mktemp("whole")),
        "chunks": _batches(tmp_path_factory.mktemp("chunks"), "--chunk-rows", "97"),
    }


def _batch_id(out: Path) -> str:
    report = json.loads((out / "report/report.json").read_text("utf-8"))
    return str(report["target_load"]["batch"])


def _ledger(runs: dict[str, Path], batch: str) -> str:
    """The batch's ledger, the pilot's batch id (it holds the clock) replaced by a token."""
    text = (runs[batch] / "report/ledger.csv").read_text("utf-8")
    return re.sub(re.escape(_batch_id(runs["pilot"])), "<pilot>", text)


@pytest.mark.parametrize("batch", BATCHES)
def test_each_batch_writes_the_same_load_files_and_ledger(
    runs: dict[str, dict[str, Path]], batch: str
) -> None:
    whole, chunks = runs["whole"][batch], runs["chunks"][batch]
    for name in ("sales_order_line.csv", "sales_order_line.parquet", "customer.csv"):
        assert (chunks / "load" / name).read_bytes() == (whole / "load" / name).read_bytes()
    assert _ledger(runs["chunks"], batch) == _ledger(runs["whole"], batch)


def test_the_rest_counts_what_the_pilot_loaded(runs: dict[str, dict[str, Path]]) -> None:
    reports = {}
    for kind in ("whole", "chunks"):
        report = json.loads((runs[kind]["rest"] / "report/report.json").read_text("utf-8"))
        orders = {o["name"]: o for o in report["objects"]}["sales_order_line"]
        reports[kind] = list(orders["already_loaded"].values())
    assert reports["chunks"] == reports["whole"]
    assert reports["chunks"][0] > 0
