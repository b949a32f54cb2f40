"""rules/<object>.yaml: cleansing steps, extra checks, match and merge configuration."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from migrate.spec.base import Strict
from migrate.spec.condition import Condition
from migrate.spec.match import MatchSpec, MergeSpec

Severity = Literal["reject", "warn"]


class Step(Strict):
    """One cleansing rule: an operation applied to fields, in declared order.

    Most ops work on each of ``fields`` in place, or write their result into one
    other field (``into: name_key``). A split op reads one field and writes several
    (``into: [street, city]``); a join op reads several fields and writes one.
    Whether ``fields`` and ``into`` fit the op is checked with the op registry.
    """

    id: str = Field(min_length=1, description="rule id, shown with every finding it makes")
    op: str = Field(description="name of a registered operation")
    fields: list[str] = Field(min_length=1, description="the fields the step reads")
    into: str | list[str] | None = Field(
        default=None,
        description="write the result to this field instead (split ops: a list of fields)",
    )
    args: dict[str, Any] = Field(default={}, description="the op's arguments")
    severity: Severity = Field(
        default="reject",
        description="reject: a failing row leaves the load; warn: it stays, with a finding",
    )
    when: Condition | None = Field(default=None, description="only rows matching this condition")
    owner: str | None = Field(default=None, description="who answers for the rule's findings")
    description: str | None = Field(default=None, description="why the rule exists, in words")

    @field_validator("into")
    @classmethod
    def _distinct_into(cls, into: str | list[str] | None) -> str | list[str] | None:
        if isinstance(into, list):
            if not into:
                raise ValueError("'into' lists no fields")
            if twice := sorted({name for name in into if into.count(name) > 1}):
                raise ValueError(f"'into' lists {twice[0]!r} twice")
        return into

    def writes(self) -> list[str]:
        """The fields the step writes, in order."""
        if self.into is None:
            return list(self.fields)
        return list(self.into) if isinstance(self.into, list) else [self.into]

    def reads(self) -> list[str]:
        """The fields the step reads: its fields, then those of its condition."""
        extra = sorted(self.when.fields() - set(self.fields)) if self.when is not None else []
        return [*self.fields, *extra]


class Rules(Strict):
    """The whole rule file of one object."""

    object: str = Field(description="the object these rules are for")
    steps: list[Step] = Field(default=[], description="cleansing steps, run in this order")
    match: MatchSpec | None = Field(default=None, description="how duplicates are found")
    merge: MergeSpec | None = Field(default=None, description="how duplicates become one record")

    @model_validator(mode="after")
    def _unique_ids(self) -> Rules:
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise ValueError(f"rule id {step.id!r} is used twice")
            seen.add(step.id)
        return self
