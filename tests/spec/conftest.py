"""Fixtures shared by the spec tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the demo project's spec files (not its data)."""
    shutil.copy(ROOT / "migration.yaml", tmp_path)
    shutil.copytree(ROOT / "mappings", tmp_path / "mappings")
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    return tmp_path
