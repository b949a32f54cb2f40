"""Where a run's chunk size comes from: migration.yaml ``run: chunk_rows`` or --chunk-rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import migrate.stream.prepare as stream
from migrate.cli.main import cli
from migrate.errors import SpecError
from migrate.spec.loader import load_project
from tests.cli.demo_project import copy_demo


def _with_run_settings(project: Path, text: str) -> Path:
    config = project / "migration.yaml"
    config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")
    return project


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    calls: list[tuple[str, int]] = []
    for name in ("prepare", "prepare_checked"):  # joined after linking, or on to the load files
        monkeypatch.setattr(stream, name, _recording(getattr(stream, name), calls))
    return calls


def _recording(original: Any, calls: list[tuple[str, int]]) -> Any:
    def prepare(obj: Any, ctx: Any, chunk_rows: int, placeholder: Any, engine: Any) -> Any:
        calls.append((obj.name, chunk_rows))
        return original(obj, ctx, chunk_rows, placeholder, engine)

    return prepare


def _run(project: Path, *extra: str) -> int:
    args = ["run", "--project", str(project), "--out", str(project / "out"), "--quiet"]
    result = CliRunner().invoke(cli, [*args, "--no-target", *extra], catch_exceptions=False)
    return result.exit_code


def test_project_setting_streams_objects_without_matching(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _with_run_settings(copy_demo(tmp_path), "\nrun:\n  chunk_rows: 500\n")
    calls = _spy(monkeypatch)
    assert _run(project) == 0
    assert calls == [("sales_order_line", 500)]


def test_option_overrides_the_project_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _with_run_settings(copy_demo(tmp_path), "\nrun:\n  chunk_rows: 500\n")
    calls = _spy(monkeypatch)
    assert _run(project, "--chunk-rows", "250") == 0
    assert calls == [("sales_order_line", 250)]


def test_without_a_chunk_size_every_table_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _spy(monkeypatch)
    assert _run(copy_demo(tmp_path)) == 0
    assert calls == []


def test_chunk_rows_must_be_positive(tmp_path: Path) -> None:
    project = _with_run_settings(copy_demo(tmp_path), "\nrun:\n  chunk_rows: 0\n")
    with pytest.raises(SpecError, match="chunk_rows"):
        load_project(project)
    assert _run(copy_demo(tmp_path / "other"), "--chunk-rows", "0") == 2
