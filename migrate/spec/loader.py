"""Load a migration project folder into typed, cross-checked specs.

A project is ``migration.yaml`` plus ``mappings/<object>.yaml`` and
``rules/<object>.yaml`` per object. Loading fails on the first problem with a
SpecError naming the file and YAML key path; nothing is run before that.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from migrate.errors import SpecError
from migrate.spec.errors import from_validation_error
from migrate.spec.mapping import CheckTable, Mapping, ValueMap
from migrate.spec.project import ObjectSpecModel, ProjectModel
from migrate.spec.rules import Rules

PROJECT_FILE = "migration.yaml"
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LoadedValueMap:
    """A value map with its table read (inline or from CSV)."""

    name: str
    table: dict[str, str]
    spec: ValueMap


@dataclass(frozen=True)
class ObjectSpec:
    """Everything declared about one object, cross-checked."""

    name: str
    model: ObjectSpecModel
    mapping: Mapping
    rules: Rules
    value_maps: dict[str, LoadedValueMap]
    mapping_file: str
    rules_file: str | None
    check_tables: dict[str, list[str]] = field(default_factory=dict)

    @property
    def table(self) -> str:
        """Name of the target table (and of its load files)."""
        return self.model.target_table or self.name


@dataclass(frozen=True)
class Project:
    """A loaded project: its folder, models, objects in dependency order, file hashes."""

    root: Path
    model: ProjectModel
    objects: dict[str, ObjectSpec]
    file_hashes: dict[str, str]

    @property
    def name(self) -> str:
        """The project's declared name."""
        return self.model.project


def load_project(root: Path) -> Project:
    """Read and check every file of the project at ``root``."""
    root = root.resolve()
    hashes: dict[str, str] = {}
    model = _load_model(root, PROJECT_FILE, ProjectModel, hashes)
    order = _dependency_order(model)
    objects = {name: _load_object(root, name, model.objects[name], hashes) for name in order}
    project = Project(root=root, model=model, objects=objects, file_hashes=hashes)
    from migrate.spec.checks import check_project

    check_project(project)
    return project


def _load_object(
    root: Path, name: str, model: ObjectSpecModel, hashes: dict[str, str]
) -> ObjectSpec:
    mapping_file = model.mapping or f"mappings/{name}.yaml"
    mapping = _load_model(root, mapping_file, Mapping, hashes)
    rules_file = model.rules or f"rules/{name}.yaml"
    if model.rules is None and not (root / rules_file).exists():
        rules, rules_path = Rules(object=name), None
    else:
        rules, rules_path = _load_model(root, rules_file, Rules, hashes), rules_file
    maps = {
        map_name: _load_value_map(root, mapping_file, map_name, spec, hashes)
        for map_name, spec in mapping.value_maps.items()
    }
    tables = {
        field_name: _load_check_table(root, mapping_file, field_name, spec.check_table, hashes)
        for field_name, spec in mapping.fields.items()
        if spec.check_table is not None
    }
    return ObjectSpec(name, model, mapping, rules, maps, mapping_file, rules_path, tables)


def read_yaml(root: Path, relative: str, hashes: dict[str, str] | None = None) -> Any:
    """Parse one YAML file; a missing or malformed file is a SpecError naming it."""
    path = root / relative
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecError(relative, "", "file not found") from None
    if hashes is not None:
        hashes[relative] = hashlib.sha256(raw).hexdigest()
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise SpecError(relative, "", f"not UTF-8 text ({error.reason})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise SpecError(relative, "", f"malformed YAML: {where}{problem}") from None
    if not isinstance(data, dict):
        raise SpecError(relative, "", "expected a mapping of keys at the top level")
    return data


def _load_model(root: Path, relative: str, model: type[M], hashes: dict[str, str]) -> M:
    data = read_yaml(root, relative, hashes)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise from_validation_error(relative, model, error) from None


def _load_value_map(
    root: Path, mapping_file: str, name: str, spec: ValueMap, hashes: dict[str, str]
) -> LoadedValueMap:
    if spec.values is not None:
        return LoadedValueMap(name, {str(k): str(v) for k, v in spec.values.items()}, spec)
    assert spec.file is not None
    relative = str(Path(mapping_file).parent / spec.file)
    path = root / relative
    if not path.exists():
        raise SpecError(mapping_file, f"value_maps.{name}.file", f"{relative} not found")
    raw = path.read_bytes()
    hashes[relative] = hashlib.sha256(raw).hexdigest()
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    if rows and not {"legacy", "target"} <= set(rows[0]):
        raise SpecError(relative, "header", "a value-map CSV needs columns legacy,target")
    table: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        legacy = row["legacy"]
        if legacy in table:
            raise SpecError(relative, f"row {number}", f"legacy value {legacy!r} is mapped twice")
        table[legacy] = row["target"]
    return LoadedValueMap(name, table, spec)


def _load_check_table(
    root: Path, mapping_file: str, name: str, spec: CheckTable, hashes: dict[str, str]
) -> list[str]:
    """The allowed values of field ``name``: one column of a CSV beside the mapping file."""
    relative = str(Path(mapping_file).parent / spec.file)
    path = root / relative
    if not path.exists():
        raise SpecError(mapping_file, f"fields.{name}.check_table.file", f"{relative} not found")
    raw = path.read_bytes()
    hashes[relative] = hashlib.sha256(raw).hexdigest()
    reader = csv.DictReader(raw.decode("utf-8-sig").splitlines())
    header = list(reader.fieldnames or [])
    column = spec.column or (header[0] if header else "")
    if column not in header:
        where = f"fields.{name}.check_table.column"
        raise SpecError(mapping_file, where, f"{relative} has no column {column!r}", header)
    return [row[column] for row in reader if (row[column] or "").strip()]


def _dependency_order(model: ProjectModel) -> list[str]:
    graph = {
        name: set(spec.depends_on) | {r.object for r in spec.references if r.object != name}
        for name, spec in model.objects.items()
    }
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        cycle = " -> ".join(error.args[1])
        problem = f"objects depend on each other in a cycle: {cycle}"
        raise SpecError(PROJECT_FILE, "objects", problem) from None
