"""The batch plan in migration.yaml, `migrate run --batch`, and no password in the project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.batches.tiny import make_project, run_cli


def _with(project: Path, old: str, new: str) -> None:
    spec = project / "migration.yaml"
    text = spec.read_text(encoding="utf-8")
    assert old in text
    spec.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("pilot: {scope: north,", "pilot: {scope: south,", "batch 'pilot' names unknown scope"),
        (
            "pilot: {scope: north,",
            "pilot: {objects: [order], scope: north,",
            "batch 'pilot' loads 'order' before its dependency 'customer'",
        ),
        (
            'url: "sqlite:///{out}/target.sqlite"',
            'url: "postgresql://loader:hunter2@db/erp"',
            "a password must not be written in the project",
        ),
    ],
)
def test_plan_and_target_mistakes_are_spec_errors(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    project = make_project(tmp_path / "tiny")
    _with(project, old, new)
    result = run_cli("rules", "check", "--project", str(project))
    assert result.exit_code == 2
    assert message in result.output and "hunter2" not in result.output


def _inserted(project: Path) -> dict[str, int]:
    report = json.loads((project / "out/report/report.json").read_text(encoding="utf-8"))
    return {obj["name"]: obj["inserted"] for obj in report["target_load"]["objects"]}


def test_a_plan_may_load_masters_first(tmp_path: Path) -> None:
    project = make_project(tmp_path / "tiny")
    _with(
        project,
        "  pilot: {scope: north,",
        "  masters: {objects: [customer]}\n  pilot: {scope: north,",
    )
    result = run_cli("run", "--project", str(project), "--batch", "masters", "--quiet")
    assert result.exit_code == 0, result.output
    assert _inserted(project) == {"customer": 100, "order": 0}
    pilot = run_cli("run", "--project", str(project), "--batch", "pilot", "--quiet")
    assert pilot.exit_code == 0, pilot.output
    assert _inserted(project) == {"customer": 0, "order": 240}


def test_batch_option_mistakes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "tiny")
    unknown = run_cli("run", "--project", str(project), "--batch", "nope")
    assert unknown.exit_code == 2 and "unknown batch 'nope' (valid: pilot, rest)" in unknown.output
    both = run_cli("run", "--project", str(project), "--batch", "pilot", "--all")
    assert both.exit_code == 2 and "leave out --scope and --all" in both.output
