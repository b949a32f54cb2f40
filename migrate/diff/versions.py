"""The two versions a diff compares: project folders, or git revisions of one project.

A folder is used as it is. A git revision is read with ``git ls-tree`` and
``git cat-file`` into a scratch folder: ``migration.yaml``, ``mappings/``,
``rules/`` and any other mapping or rule file ``migration.yaml`` names. Nothing
in the working tree or the repository changes. Legacy data is never taken from
a revision: both versions run on the same data folder.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from migrate.errors import MigrateError

SPEC_PATHS = ("migration.yaml", "mappings", "rules")


class VersionError(MigrateError):
    """A version to compare cannot be found (no such folder or git revision)."""

    exit_code = 2


@dataclass(frozen=True)
class Version:
    """One side of a diff: what the user named, where its spec files are, its commit."""

    label: str
    root: Path
    commit: str | None = None

    @property
    def kind(self) -> str:
        """``git`` for a revision, ``folder`` for a folder."""
        return "git" if self.commit else "folder"


def resolve_version(argument: str, project_dir: Path, scratch: Path) -> Version:
    """A folder when ``argument`` is one, else a git revision of ``project_dir``."""
    folder = Path(argument)
    if folder.is_dir():
        return Version(argument, folder.resolve())
    return checkout_specs(project_dir, argument, scratch)


def checkout_specs(project_dir: Path, revision: str, dest: Path) -> Version:
    """Write the spec files of ``project_dir`` at ``revision`` into ``dest``."""
    top = Path(_git(project_dir, "rev-parse", "--show-toplevel").decode().strip())
    commit = _commit(top, revision)
    prefix = project_dir.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    wanted = list(SPEC_PATHS) + _named_spec_files(top, commit, prefix)
    files = _listed(top, commit, [prefix + path for path in wanted])
    if prefix + "migration.yaml" not in files:
        raise VersionError(f"{revision}: no {prefix}migration.yaml at this revision")
    for name in files:
        target = dest / PurePosixPath(name).relative_to(prefix or ".")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_git(top, "cat-file", "blob", f"{commit}:{name}"))
    return Version(revision, dest.resolve(), commit)


def _commit(top: Path, revision: str) -> str:
    try:
        return (
            _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
        )
    except VersionError:
        raise VersionError(f"{revision!r} is neither a folder nor a git revision") from None


def _named_spec_files(top: Path, commit: str, prefix: str) -> list[str]:
    """Mapping and rule files that migration.yaml names outside mappings/ and rules/."""
    try:
        raw = _git(top, "cat-file", "blob", f"{commit}:{prefix}migration.yaml")
        data = yaml.safe_load(raw.decode("utf-8"))
    except (VersionError, UnicodeDecodeError, yaml.YAMLError):
        return []
    objects = data.get("objects") if isinstance(data, dict) else None
    named = []
    for spec in (objects or {}).values():
        if isinstance(spec, dict):
            named += [str(spec[k]) for k in ("mapping", "rules") if spec.get(k)]
    return named


def _listed(top: Path, commit: str, paths: list[str]) -> list[str]:
    out = _git(top, "ls-tree", "-r", "-z", "--name-only", commit, "--", *paths)
    return [name for name in out.decode("utf-8").split("\0") if name]


def _git(where: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(where), *args], capture_output=True, check=False, timeout=60
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise VersionError(f"git is not available: {error}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise VersionError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout
