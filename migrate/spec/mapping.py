"""mappings/<object>.yaml: the target's fields, and how each source fills them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from migrate.spec.base import Strict

FieldType = Literal["string", "integer", "decimal", "date", "boolean"]


class TargetField(Strict):
    """One column of the target object, with the constraints the target enforces."""

    type: FieldType = "string"
    length: int | None = Field(default=None, gt=0, description="largest length the target accepts")
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    allowed: list[str] | None = None
    min: float | None = None
    max: float | None = None
    personal: bool = Field(default=False, description="personal data: masked in every report")
    description: str | None = None
    owner: str | None = None


class FieldSource(Strict):
    """Where one target field's value comes from in one source."""

    column: str | None = None
    const: str | None = None
    map: str | None = Field(default=None, description="name of a value map under value_maps")
    default: str | None = Field(default=None, description="used where the column is empty")

    @model_validator(mode="after")
    def _column_or_const(self) -> FieldSource:
        if (self.column is None) == (self.const is None):
            raise ValueError("give exactly one of 'column' or 'const'")
        return self


class ValueMap(Strict):
    """Legacy code -> target code, inline or from a CSV file (columns: legacy, target)."""

    values: dict[str, str] | None = None
    file: str | None = Field(default=None, description="CSV under mappings/, columns legacy,target")
    on_unmapped: str = Field(default="reject", description="reject | keep | default:<value>")
    rule_id: str | None = None
    owner: str | None = None
    description: str | None = None

    @field_validator("on_unmapped")
    @classmethod
    def _known_policy(cls, value: str) -> str:
        if value in ("reject", "keep") or value.startswith("default:"):
            return value
        raise ValueError("on_unmapped must be reject, keep or default:<value>")

    @model_validator(mode="after")
    def _values_or_file(self) -> ValueMap:
        if (self.values is None) == (self.file is None):
            raise ValueError("give exactly one of 'values' or 'file'")
        return self


class UniqueKey(Strict):
    """A compound uniqueness constraint over several target fields."""

    fields: list[str] = Field(min_length=1)


class Mapping(Strict):
    """The whole mapping file of one object."""

    object: str
    key: list[str] = Field(min_length=1, description="target business key fields")
    fields: dict[str, TargetField]
    sources: dict[str, dict[str, FieldSource]]
    value_maps: dict[str, ValueMap] = {}
    unique_together: list[UniqueKey] = []

    @field_validator("sources", mode="before")
    @classmethod
    def _column_shorthand(cls, value: Any) -> Any:
        """A plain string in a source block means ``{column: <string>}``."""
        if not isinstance(value, dict):
            return value
        return {
            source: (
                {f: ({"column": s} if isinstance(s, str) else s) for f, s in block.items()}
                if isinstance(block, dict)
                else block
            )
            for source, block in value.items()
        }
