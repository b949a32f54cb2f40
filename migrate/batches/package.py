"""A run's load package: its manifest and the load files it lists, read back for loading.

The manifest (``<out>/load/manifest.json``) names every load file with its
SHA-256 and, per object, the target table, business key, column types and the
file to load from. That makes a package self-describing: ``migrate load`` and
``migrate reconcile`` work from it alone, long after the run, and refuse files
that changed since the run wrote them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from migrate.errors import SourceError
from migrate.io.sinks import sha256_file
from migrate.io.target_values import TargetColumn

MANIFEST = "load/manifest.json"
FORMAT_PREFERENCE = ("parquet", "csv", "xlsx")


@dataclass(frozen=True)
class ObjectLoad:
    """One object of a load package: where its rows are and what table they go to."""

    name: str
    table: str
    key: list[str]
    columns: list[TargetColumn]
    file: str
    rows: int
    personal: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the manifest."""
        return {
            "table": self.table,
            "key": list(self.key),
            "columns": [
                {
                    "name": c.name,
                    "type": c.type,
                    "length": c.length,
                    "precision": c.precision,
                    "scale": c.scale,
                    "nullable": c.nullable,
                }
                for c in self.columns
            ],
            "file": self.file,
            "rows": self.rows,
            "personal": list(self.personal),
        }

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> ObjectLoad:
        """The object from its manifest entry."""
        return cls(
            name=name,
            table=data["table"],
            key=list(data["key"]),
            columns=[TargetColumn(**column) for column in data["columns"]],
            file=data["file"],
            rows=int(data["rows"]),
            personal=list(data.get("personal", [])),
        )


@dataclass(frozen=True)
class LoadPackage:
    """What one run wrote to be loaded."""

    out_dir: Path
    run_id: str
    project: str
    scope: str | None
    objects: list[ObjectLoad]
    files: dict[str, str]
    planned_target: str | None = None

    def object(self, name: str) -> ObjectLoad:
        """The object called ``name``."""
        return next(obj for obj in self.objects if obj.name == name)


def preferred_file(paths: list[str]) -> str:
    """Of an object's load files, the one to load from (Parquet keeps types best)."""
    for kind in FORMAT_PREFERENCE:
        for path in paths:
            if path.endswith(f".{kind}"):
                return path
    raise ValueError(f"no loadable file among {paths}")


def read_package(out_dir: Path) -> LoadPackage:
    """The package a run wrote under ``out_dir``; a missing or old manifest is a SourceError."""
    out_dir = Path(out_dir).resolve()
    path = out_dir / MANIFEST
    if not path.exists():
        raise SourceError(str(path), "no load manifest here: run `migrate run` first")
    data = json.loads(path.read_text(encoding="utf-8"))
    if "objects" not in data:
        raise SourceError(str(path), "the manifest lists no objects (written by an older run)")
    target = data.get("target") or {}
    return LoadPackage(
        out_dir=out_dir,
        run_id=data["run_id"],
        project=data["project"],
        scope=data.get("scope"),
        objects=[ObjectLoad.from_dict(name, entry) for name, entry in data["objects"].items()],
        files={entry["path"]: entry["sha256"] for entry in data["files"]},
        planned_target=target.get("id"),
    )


def verify_files(package: LoadPackage) -> None:
    """Raise when a listed file is missing or no longer has the SHA-256 the run wrote."""
    for relative, expected in sorted(package.files.items()):
        path = package.out_dir / relative
        if not path.exists():
            raise SourceError(str(path), "load file listed in the manifest is missing")
        if sha256_file(path) != expected:
            raise SourceError(str(path), "load file changed since the run wrote it (SHA-256)")


def read_object_frame(package: LoadPackage, obj: ObjectLoad) -> pd.DataFrame:
    """The object's rows from its load file, as the run wrote them."""
    path = package.out_dir / obj.file
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    elif path.suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    else:
        frame = pd.read_excel(path, dtype=object, engine="calamine")
    return frame.astype(object).where(frame.notna(), None)
