"""Which rules and mappings changed between two versions of a project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from migrate.diff.specs import spec_changes
from migrate.spec.loader import Project, load_project

ROOT = Path(__file__).resolve().parents[2]


def _copy(dest: Path) -> Path:
    dest.mkdir()
    shutil.copy(ROOT / "migration.yaml", dest)
    shutil.copytree(ROOT / "mappings", dest / "mappings")
    shutil.copytree(ROOT / "rules", dest / "rules")
    return dest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    return _copy(tmp_path / "old"), _copy(tmp_path / "new")


def _changes(old: Path, new: Path) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    found = spec_changes(load_project(old), load_project(new))
    return [(c.object, c.part, c.name, c.change, c.details) for c in found]


def test_the_same_project_has_no_changes(versions: tuple[Path, Path]) -> None:
    assert _changes(*versions) == []


def test_a_step_severity_change_shows_old_and_new(versions: tuple[Path, Path]) -> None:
    old, new = versions
    _edit(
        new / "rules/customer.yaml",
        "    op: email\n    fields: [email]\n    severity: warn",
        "    op: email\n    fields: [email]\n    severity: reject",
    )
    assert _changes(old, new) == [
        ("customer", "step", "CUS-012", "changed", ("severity: warn -> reject",))
    ]


def test_added_and_removed_steps_and_field_changes(versions: tuple[Path, Path]) -> None:
    old, new = versions
    _edit(new / "rules/customer.yaml", "  - id: CUS-004\n", "  - id: CUS-005\n")
    _edit(
        new / "mappings/customer.yaml",
        "street: {type: string, length: 60}",
        "street: {type: string, length: 50}",
    )
    found = _changes(old, new)
    assert ("customer", "step", "CUS-004", "removed", ()) in found
    added = next(c for c in found if c[2] == "CUS-005")
    assert added[3] == "added" and "op: trim" in added[4]
    assert ("customer", "field", "street", "changed", ("length: 60 -> 50",)) in found


def test_value_map_entries_and_match_thresholds(versions: tuple[Path, Path]) -> None:
    old, new = versions
    _edit(
        new / "mappings/customer.yaml",
        "values: {CN: CN, PRC: CN, HK: HK}",
        "values: {CN: CN, PRC: CN, HK: CN}",
    )
    _edit(new / "rules/customer.yaml", "auto_merge: 0.4", "auto_merge: 0.9")
    found = {(c[1], c[2]): c[4] for c in _changes(old, new)}
    assert found[("value map", "country")] == ("values.HK: HK -> CN",)
    assert found[("match", "match")] == ("thresholds.auto_merge: 0.4 -> 0.9",)


def test_objects_added_or_removed(versions: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = versions
    project: Project = load_project(old)
    fewer = Project(
        project.root, project.model, {"customer": project.objects["customer"]}, project.file_hashes
    )
    found = spec_changes(project, fewer)
    assert {(c.name, c.change) for c in found} == {
        ("material", "removed"),
        ("sales_order_line", "removed"),
    }
