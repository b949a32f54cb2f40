"""Comparing two runs' outputs: files by their bytes, reports without the clock."""

from __future__ import annotations

import json
from pathlib import Path

from migrate.report.outputs import contents, fingerprint, steady


def _run(out: Path, run_id: str, seconds: float, rows: str) -> Path:
    (out / "load").mkdir(parents=True)
    (out / "report").mkdir()
    (out / "load" / "customer.csv").write_text(rows, encoding="utf-8")
    (out / "load" / "customer.xlsx").write_bytes(run_id.encode())  # a workbook: its write time
    report = {"run_id": run_id, "objects": [{"name": "customer", "stages": [{"seconds": seconds}]}]}
    (out / "report" / "report.json").write_text(json.dumps(report), encoding="utf-8")
    (out / "report" / "ledger.csv").write_text("_rid,fate\n0,loaded\n", encoding="utf-8")
    return out


def test_runs_differing_only_by_the_clock_compare_equal(tmp_path: Path) -> None:
    first = _run(tmp_path / "a", "demo-20261130T010000Z", 1.5, "id\n1\n")
    second = _run(tmp_path / "b", "demo-20261130T020000Z", 2.5, "id\n1\n")
    assert contents(first) == contents(second)
    assert fingerprint(first) == fingerprint(second)
    assert sorted(fingerprint(first)) == [
        "load/customer.csv",
        "report/ledger.csv",
        "report/report.json",
    ]


def test_a_changed_load_file_changes_its_fingerprint_only(tmp_path: Path) -> None:
    first = fingerprint(_run(tmp_path / "a", "r1", 1.0, "id\n1\n"))
    second = fingerprint(_run(tmp_path / "b", "r1", 1.0, "id\n2\n"))
    assert [name for name in first if first[name] != second[name]] == ["load/customer.csv"]


def test_steady_drops_clock_keys_at_any_depth() -> None:
    data = {"run_id": "x", "a": [{"started": 1, "b": {"seconds": 2, "c": 3}}]}
    assert steady(data) == {"a": [{"b": {"c": 3}}]}
