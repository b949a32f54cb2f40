"""Helpers to copy the demo project (specs + committed samples) into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def copy_demo(dest: Path) -> Path:
    """Copy migration.yaml, mappings/, rules/ and samples/legacy + truth into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "migration.yaml", dest)
    for folder in ("mappings", "rules", "samples/legacy", "samples/truth"):
        shutil.copytree(ROOT / folder, dest / folder)
    return dest
