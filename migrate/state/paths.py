"""Where a project's state files live (``state:`` in migration.yaml)."""

from __future__ import annotations

from pathlib import Path

from migrate.spec.project import ProjectState


def decisions_file(root: Path, state: ProjectState, obj: str) -> Path:
    """The reviewers' decisions of ``obj``: ``<decisions>/<obj>.csv``."""
    return _folder(root, state.decisions) / f"{obj}.csv"


def registry_file(root: Path, state: ProjectState, obj: str) -> Path | None:
    """The golden-key registry of ``obj``, or None when the project keeps none."""
    if state.golden_keys is None:
        return None
    return _folder(root, state.golden_keys) / f"{obj}_golden_keys.csv"


def _folder(root: Path, folder: str) -> Path:
    path = Path(folder)
    return path if path.is_absolute() else root / path
