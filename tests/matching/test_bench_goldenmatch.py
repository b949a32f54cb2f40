"""GoldenMatch in the matching benchmark: optional, and the table renders without the
figures it does not report (pairs compared, blocking recall)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bench import bench_match
from bench.bench_match import table


def _row(tool: str, pairs_compared: int | None, blocking_recall: float | None) -> dict:
    quality = {"precision": 0.99, "recall": 0.98, "f1": 0.985}
    return {
        "dataset": "people",
        "records": 10_000,
        "tool": tool,
        "pairs_compared": pairs_compared,
        "blocking_recall": blocking_recall,
        "pairwise": quality,
        "clusters": quality,
        "seconds": 1.25,
        "peak_mib": 266.6,
    }


def test_table_renders_a_tool_without_candidate_pairs() -> None:
    rows = table([_row("weights", 52_000, 0.9961), _row("goldenmatch", None, None)])
    assert "| 52,000 | 0.9961 |" in rows[2]
    assert "| goldenmatch | n/a | n/a |" in rows[3]


def test_goldenmatch_is_registered_and_skipped_when_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "goldenmatch" in bench_match.TOOLS
    assert "goldenmatch" not in bench_match.DEFAULT_TOOLS.split(",")
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "goldenmatch" else real(name, *args),
    )
    monkeypatch.setenv("MIGRATE_BENCH_TOOLS", "goldenmatch")
    monkeypatch.setenv("MIGRATE_BENCH_DATASETS", "people")
    monkeypatch.setenv("MIGRATE_BENCH_SIZES", "200")
    assert bench_match.run(tmp_path)["results"] == []
    assert "goldenmatch is not installed" in capsys.readouterr().out
