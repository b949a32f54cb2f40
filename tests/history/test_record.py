"""Run records: what one run leaves in history/, written by the pipeline hook."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from migrate.errors import SpecError
from migrate.history.record import read_history, write_record
from migrate.pipeline import RunOptions, run_project
from migrate.spec.loader import load_project


@pytest.fixture(scope="module")
def recorded(staff_project: Path) -> tuple[dict, Path]:  # type: ignore[type-arg]
    project = load_project(staff_project)
    outcome = run_project(project, RunOptions(out_dir=staff_project / "out"))
    files = list((staff_project / "history").glob("*.json"))
    assert len(files) == 1 and files[0].stem == outcome.report.run_id
    return json.loads(files[0].read_text("utf-8")), staff_project


def test_inputs_are_hashed(recorded: tuple[dict, Path]) -> None:  # type: ignore[type-arg]
    record, root = recorded
    data = (root / "data/staff.csv").read_bytes()
    assert record["inputs"] == [
        {
            "object": "staff",
            "source": "staff",
            "system": "HR",
            "kind": "csv",
            "location": "data/staff.csv",
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
    ]


def test_rule_versions_are_the_spec_files_hashes(recorded: tuple[dict, Path]) -> None:  # type: ignore[type-arg]
    record, root = recorded
    assert record["rule_versions"] == load_project(root).file_hashes
    assert set(record["rule_versions"]) == {
        "migration.yaml",
        "mappings/staff.yaml",
        "rules/staff.yaml",
    }


def test_funnel_and_reject_rates_per_rule(recorded: tuple[dict, Path]) -> None:  # type: ignore[type-arg]
    record, root = recorded
    report = json.loads((root / "out/report/report.json").read_text("utf-8"))
    staff = record["objects"]["staff"]
    funnel = report["objects"][0]["funnel"][0]
    for figure in ("extracted", "loaded", "merged", "rejected", "out_of_scope"):
        assert staff[figure] == funnel[figure] == staff["by_system"]["HR"][figure]
    assert staff["reject_rate"] == round(staff["rejected"] / staff["extracted"], 6)
    for rule in report["objects"][0]["rejects_by_rule"]:
        found = staff["rules"][rule["rule"]]
        assert found["count"] == rule["count"]
        assert found["rate"] == round(rule["count"] / staff["extracted"], 6)
    assert {"extract", "map", "cleanse", "validate", "load"} <= set(staff["seconds"])
    assert record["status"] == "reconciled" and record["scope"] is None
    assert record["format"] == 1 and record["seconds"] >= 0


def test_a_run_without_history_records_nothing(staff_project: Path, tmp_path: Path) -> None:
    before = sorted((staff_project / "history").glob("*.json"))
    run_project(load_project(staff_project), RunOptions(out_dir=tmp_path / "o", history=False))
    assert sorted((staff_project / "history").glob("*.json")) == before


def test_records_of_the_same_second_keep_both(tmp_path: Path) -> None:
    first = write_record(tmp_path, {"run_id": "p-1", "started": "2024-01-01T00:00:00+00:00"})
    second = write_record(tmp_path, {"run_id": "p-1", "started": "2024-01-01T00:00:00+00:00"})
    assert (first.name, second.name) == ("p-1.json", "p-1-2.json")


def test_history_is_read_oldest_first(tmp_path: Path) -> None:
    write_record(tmp_path, {"run_id": "b", "started": "2024-03-01T00:00:00+00:00"})
    write_record(tmp_path, {"run_id": "a", "started": "2024-05-01T00:00:00+00:00"})
    assert [r["run_id"] for r in read_history(tmp_path)] == ["b", "a"]
    assert read_history(tmp_path / "none") == []


def test_a_broken_record_names_its_file(tmp_path: Path) -> None:
    (tmp_path / "history").mkdir()
    (tmp_path / "history/x.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SpecError, match=r"history/x\.json: not a run record"):
        read_history(tmp_path)
