"""A small scaffolded project of another shape than the demo's, run once per test module."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.io.spec import SourceSpec
from migrate.scaffold.write import scaffold
from tests.profile.employees import employees, write_csv


@pytest.fixture(scope="module")
def staff_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by `migrate init` from one HR extract (inside the project folder)."""
    root = tmp_path_factory.mktemp("history") / "project"
    frame, _ = employees(200)
    write_csv(frame, root / "data" / "staff.csv")
    spec = SourceSpec(name="staff", system="HR", kind="csv", path=str(root / "data/staff.csv"))
    scaffold([spec], root, root)
    return root
