"""migration.yaml: objects, their sources, dependency order, pilot scopes and the target."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from migrate.spec.base import Strict
from migrate.spec.condition import Condition
from migrate.spec.match import PartnerLink

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


Rate = Annotated[float, Field(ge=0, le=1)]


class RejectRates(Strict):
    """The largest acceptable share of an object's rows rejected, overall and per rule.

    ``rules`` limits the share of rows with a finding of each named rule (reject or warn).
    """

    overall: Rate | None = None
    rules: dict[str, Rate] = {}


class ObjectSpecModel(Strict):
    """One migration object (customer, material, sales order line ...)."""

    sources: list[Source] = Field(min_length=1)
    mapping: str | None = Field(default=None, description="default mappings/<object>.yaml")
    rules: str | None = Field(default=None, description="default rules/<object>.yaml")
    depends_on: list[str] = []
    references: list[Reference] = []
    target_table: str | None = None
    control_totals: list[ControlTotal] = []
    max_reject_rate: Rate | RejectRates | None = Field(
        default=None, description="a share (overall) or {overall: share, rules: {rule: share}}"
    )
    partner_of: PartnerLink | None = Field(
        default=None, description="golden records that may be another object's business partner"
    )

    @model_validator(mode="before")
    @classmethod
    def _partner_runs_first(cls, data: Any) -> Any:
        """The partner object is a dependency: its golden records must exist first."""
        if isinstance(data, dict) and isinstance(data.get("partner_of"), dict):
            other = data["partner_of"].get("object")
            depends = list(data.get("depends_on") or [])
            if isinstance(other, str) and other not in depends:
                data = {**data, "depends_on": [*depends, other]}
        return data


class Scope(Strict):
    """A pilot scope: rows of ``objects`` matching ``where``, plus the masters they reference."""

    where: Condition
    objects: list[str] = Field(min_length=1)
    description: str | None = None


class Target(Strict):
    """Where loads go by default; a URL may be ${ENV_VAR} so no secret lives in the project."""

    url: str = "sqlite:///{out}/target.sqlite"

    @field_validator("url")
    @classmethod
    def _no_password(cls, url: str) -> str:
        """A password in the project would be a credential in a file: only ${VAR} may hold it."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            password = make_url(re.sub(r"\$\{[^}]*\}", "", url)).password
        except (ArgumentError, ValueError):
            return url
        if password:
            raise ValueError("a password must not be written in the project: use ${VARIABLE}")
        return url


class LoadFiles(Strict):
    """Which load-file formats are written per object."""

    formats: list[Literal["csv", "parquet", "xlsx"]] = ["csv", "parquet"]
    bom: bool = False


class RunSettings(Strict):
    """How a run works through big tables."""

    chunk_rows: int | None = Field(
        default=None,
        ge=1,
        description="stream objects without matching in chunks of this many rows "
        "(null: every table whole)",
    )


class ProjectState(Strict):
    """Where the project keeps what outlives a run (folders relative to the project).

    ``decisions``: reviewers' match / no-match decisions, ``<object>.csv`` per object;
    ``golden_keys``: the golden-key registry, ``<object>_golden_keys.csv`` per object
    (null: no registry, every run keys its golden records afresh);
    ``loads``: the record of every batch loaded into a target, one folder per target.
    """

    decisions: str = "decisions"
    golden_keys: str | None = "state"
    loads: str = "state/loads"


class BatchPlan(Strict):
    """One batch of the plan: a scope (none: all rows no earlier batch loaded) and its objects."""

    scope: str | None = None
    objects: list[str] = Field(default=[], description="objects to load (default: all)")
    description: str | None = None


class ColumnTolerance(Strict):
    """How closely a target value must match its load file value to count as equal."""

    tolerance: float = Field(default=0, ge=0, description="numbers: largest gap; dates: days")
    trim: bool = Field(default=True, description="text: ignore leading and trailing whitespace")
    ignore_case: bool = False


class ReconcileSettings(Strict):
    """``migrate reconcile``: per-column tolerances (``<object>.<field>``) and bucket size."""

    columns: dict[str, ColumnTolerance] = {}
    bucket_rows: int = Field(
        default=1000, ge=1, description="keys per checksum bucket compared inside the database"
    )


class ProjectModel(Strict):
    """The whole migration.yaml."""

    project: str
    description: str | None = None
    objects: dict[str, ObjectSpecModel] = Field(min_length=1)
    scopes: dict[str, Scope] = {}
    default_scope: str | None = None
    target: Target = Target()
    load: LoadFiles = LoadFiles()
    state: ProjectState = ProjectState()
    batches: dict[str, BatchPlan] = Field(
        default={}, description="the batch plan, in load order: name -> scope and objects"
    )
    reconcile: ReconcileSettings = ReconcileSettings()
    run: RunSettings = RunSettings()

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
        self._check_batches()
        return self

    def _check_batches(self) -> None:
        """Batch plans name declared scopes and objects; an object's dependencies load with it
        or in an earlier batch."""
        loaded: set[str] = set()
        for name, batch in self.batches.items():
            if batch.scope is not None and batch.scope not in self.scopes:
                raise ValueError(f"batch {name!r} names unknown scope {batch.scope!r}")
            unknown = [obj for obj in batch.objects if obj not in self.objects]
            if unknown:
                raise ValueError(f"batch {name!r} names unknown object {unknown[0]!r}")
            chosen = set(batch.objects or self.objects)
            for obj in sorted(chosen):
                spec = self.objects[obj]
                needs = set(spec.depends_on) | {r.object for r in spec.references}
                missing = sorted(needs - chosen - loaded)
                if missing:
                    raise ValueError(
                        f"batch {name!r} loads {obj!r} before its dependency {missing[0]!r}"
                    )
            loaded |= chosen
