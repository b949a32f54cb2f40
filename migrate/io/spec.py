"""The description of one legacy source, as built by the project's YAML loader."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from migrate.errors import SourceError


@dataclass(frozen=True)
class SourceSpec:
    """One legacy source: a file (csv, excel, parquet) or a SQL table/query."""

    name: str
    system: str
    kind: str
    path: str | None = None
    encoding: str = "auto"
    delimiter: str = ","
    sheet: str | int = 0
    url: str | None = None
    table: str | None = None
    query: str | None = None
    key: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()

    def required_columns(self) -> tuple[str, ...]:
        """Key columns first, then the other required columns, without repeats."""
        return tuple(dict.fromkeys((*self.key, *self.columns)))

    def file_path(self, base_dir: Path) -> Path:
        """The source file's path, relative paths taken from ``base_dir``."""
        if not self.path:
            raise SourceError(self.name, f"a {self.kind} source needs a 'path'")
        path = Path(self.path).expanduser()
        return path if path.is_absolute() else base_dir / path


def file_label(spec: SourceSpec, base_dir: Path) -> str:
    """How errors name a file source: its name and its path."""
    return f"{spec.name} ({spec.file_path(base_dir)})"


def existing_file(spec: SourceSpec, base_dir: Path) -> Path:
    """The source's file, or SourceError naming the path when it cannot be opened."""
    path = spec.file_path(base_dir)
    label = file_label(spec, base_dir)
    if not path.exists():
        raise SourceError(label, f"file not found: {path}")
    if not path.is_file():
        raise SourceError(label, f"not a file: {path}")
    if not os.access(path, os.R_OK):
        raise SourceError(label, f"file is not readable: {path}")
    return path
