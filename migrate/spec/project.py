"""migration.yaml: objects, their sources, dependency order, pilot scopes and the target."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from migrate.spec.base import Strict
from migrate.spec.condition import Condition

SourceKind = Literal["csv", "excel", "parquet", "sql"]


class Source(Strict):
    """One legacy extract feeding an object."""

    name: str
    system: str
    kind: SourceKind
    path: str | None = None
    encoding: str = "auto"
    delimiter: str = ","
    sheet: str | int = 0
    url: str | None = Field(default=None, description="SQLAlchemy URL or ${ENV_VAR}")
    table: str | None = None
    query: str | None = None
    key: list[str] = Field(min_length=1, description="legacy key columns")

    @model_validator(mode="after")
    def _location(self) -> Source:
        if self.kind == "sql":
            if not self.url or (self.table is None) == (self.query is None):
                raise ValueError("a sql source needs 'url' and exactly one of 'table' or 'query'")
        elif not self.path:
            raise ValueError(f"a {self.kind} source needs 'path'")
        return self


class Reference(Strict):
    """A field of this object that points at another object's records."""

    field: str
    object: str
    system: str | None = Field(
        default=None, description="legacy system whose keys the field holds (rewritten by xref)"
    )


class ControlTotal(Strict):
    """A sum reconciled between source and load, grouped by fields (e.g. currency)."""

    field: str
    by: list[str] = []


class ObjectSpecModel(Strict):
    """One migration object (customer, material, sales order line ...)."""

    sources: list[Source] = Field(min_length=1)
    mapping: str | None = Field(default=None, description="default mappings/<object>.yaml")
    rules: str | None = Field(default=None, description="default rules/<object>.yaml")
    depends_on: list[str] = []
    references: list[Reference] = []
    target_table: str | None = None
    control_totals: list[ControlTotal] = []
    max_reject_rate: float | None = Field(default=None, ge=0, le=1)


class Scope(Strict):
    """A pilot scope: rows of ``objects`` matching ``where``, plus the masters they reference."""

    where: Condition
    objects: list[str] = Field(min_length=1)
    description: str | None = None


class Target(Strict):
    """Where loads go by default; a URL may be ${ENV_VAR} so no secret lives in the project."""

    url: str = "sqlite:///{out}/target.sqlite"


class LoadFiles(Strict):
    """Which load-file formats are written per object."""

    formats: list[Literal["csv", "parquet", "xlsx"]] = ["csv", "parquet"]
    bom: bool = False


class ProjectModel(Strict):
    """The whole migration.yaml."""

    project: str
    description: str | None = None
    objects: dict[str, ObjectSpecModel] = Field(min_length=1)
    scopes: dict[str, Scope] = {}
    default_scope: str | None = None
    target: Target = Target()
    load: LoadFiles = LoadFiles()

    @model_validator(mode="after")
    def _known_names(self) -> ProjectModel:
        names = set(self.objects)
        for obj, spec in self.objects.items():
            for dep in spec.depends_on + [r.object for r in spec.references]:
                if dep not in names:
                    raise ValueError(f"object {obj!r} refers to unknown object {dep!r}")
        for scope_name, scope in self.scopes.items():
            for obj in scope.objects:
                if obj not in names:
                    raise ValueError(f"scope {scope_name!r} names unknown object {obj!r}")
        if self.default_scope is not None and self.default_scope not in self.scopes:
            raise ValueError(f"default_scope {self.default_scope!r} is not a declared scope")
        return self
