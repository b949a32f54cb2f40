"""Versions to compare: folders as they are, git revisions read without touching anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.diff.versions import VersionError, checkout_specs, resolve_version
from tests.diff.git_repo import commit_all, git


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    project = tmp_path / "repo" / "projects" / "hr"
    (project / "rules").mkdir(parents=True)
    (project / "mappings").mkdir()
    (project / "specs").mkdir()
    (project / "migration.yaml").write_text(
        "project: hr\nobjects:\n  staff: {mapping: specs/staff_map.yaml}\n", encoding="utf-8"
    )
    (project / "mappings/units.csv").write_text("legacy,target\nPC,EA\n", encoding="utf-8")
    (project / "rules/staff.yaml").write_text("object: staff\nsteps: []\n", encoding="utf-8")
    (project / "specs/staff_map.yaml").write_text("object: staff\n", encoding="utf-8")
    (project / "data.csv").write_text("a\n1\n", encoding="utf-8")
    commit_all(tmp_path / "repo", "first")
    return project


def test_a_revision_gives_its_spec_files_only(repo: Path, tmp_path: Path) -> None:
    (repo / "rules/staff.yaml").write_text("object: staff\nsteps: [changed]\n", encoding="utf-8")
    version = checkout_specs(repo, "HEAD", tmp_path / "out")
    files = sorted(
        p.relative_to(version.root).as_posix() for p in version.root.rglob("*") if p.is_file()
    )
    assert files == [
        "mappings/units.csv",
        "migration.yaml",
        "rules/staff.yaml",
        "specs/staff_map.yaml",
    ]
    assert (version.root / "rules/staff.yaml").read_text("utf-8") == "object: staff\nsteps: []\n"
    assert version.kind == "git" and version.commit == git(repo, "rev-parse", "HEAD")
    assert git(repo, "status", "--porcelain") == "M projects/hr/rules/staff.yaml"


def test_an_earlier_revision(repo: Path, tmp_path: Path) -> None:
    (repo / "rules/staff.yaml").write_text("object: staff\nsteps: [two]\n", encoding="utf-8")
    commit_all(repo.parents[1], "second")
    version = checkout_specs(repo, "HEAD~1", tmp_path / "out")
    assert "steps: []" in (version.root / "rules/staff.yaml").read_text("utf-8")


def test_a_folder_wins_over_a_revision(repo: Path, tmp_path: Path) -> None:
    version = resolve_version(str(repo), repo, tmp_path / "out")
    assert version.root == repo.resolve() and version.kind == "folder"


def test_unknown_revision_and_no_git(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(VersionError, match="'nope' is neither a folder nor a git revision"):
        resolve_version("nope", repo, tmp_path / "out")
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(VersionError, match="git rev-parse failed"):
        checkout_specs(plain, "HEAD", tmp_path / "out2")
