"""rules/<object>.yaml: cleansing steps, extra checks, match and merge configuration."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from migrate.spec.base import Strict
from migrate.spec.condition import Condition
from migrate.spec.match import MatchSpec, MergeSpec

Severity = Literal["reject", "warn"]


class Step(Strict):
    """One cleansing rule: an operation applied to fields, in declared order."""

    id: str
    op: str
    fields: list[str] = Field(min_length=1)
    into: str | None = Field(default=None, description="write the result to this field instead")
    args: dict[str, Any] = {}
    severity: Severity = "reject"
    when: Condition | None = None
    owner: str | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _into_single(self) -> Step:
        if self.into is not None and len(self.fields) != 1:
            raise ValueError("'into' needs exactly one field")
        return self


class Rules(Strict):
    """The whole rule file of one object."""

    object: str
    steps: list[Step] = []
    match: MatchSpec | None = None
    merge: MergeSpec | None = None

    @model_validator(mode="after")
    def _unique_ids(self) -> Rules:
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise ValueError(f"rule id {step.id!r} is used twice")
            seen.add(step.id)
        return self
