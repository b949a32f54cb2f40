"""mappings/<object>.yaml: the target's fields, and how each source fills them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from migrate.spec.base import Strict
from migrate.spec.condition import Condition

FieldType = Literal["string", "integer", "decimal", "date", "boolean"]
Severity = Literal["reject", "warn"]
CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]


class CheckTable(Strict):
    """Allowed values read from a CSV under mappings/, as the target's configuration table."""

    file: str = Field(description="CSV file under mappings/ (UTF-8, with a header row)")
    column: str | None = Field(default=None, description="column of the values [default: first]")


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
    check_table: CheckTable | None = None
    precision: int | None = Field(default=None, gt=0, description="most digits a number may have")
    scale: int | None = Field(default=None, ge=0, description="most digits after the point")
    severity: Severity = Field(
        default="reject",
        description="of the value checks (pattern, allowed, check_table, range, precision); "
        "type, required, length and unique always reject: the target refuses those",
    )


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


class Compare(Strict):
    """``field`` compared with another field of the same row (``other``) or a constant."""

    field: str
    op: CompareOp
    other: str | None = None
    value: Any = Field(default=None, description="a constant in the field's type")

    @model_validator(mode="after")
    def _other_or_value(self) -> Compare:
        if (self.other is None) == (self.value is None):
            raise ValueError("give exactly one of 'other' or 'value'")
        return self


class CrossCheck(Strict):
    """A check over several fields of a row: ``require`` a condition or ``compare`` two values.

    ``when`` limits it to the rows matching a condition; rows where a compared
    value is missing pass (``required`` is the check for missing values).
    """

    id: str
    when: Condition | None = None
    require: Condition | None = None
    compare: Compare | None = None
    severity: Severity = "reject"
    owner: str | None = None
    reason: str | None = Field(default=None, description="what the reader is told; {value} allowed")
    description: str | None = None

    @model_validator(mode="after")
    def _require_or_compare(self) -> CrossCheck:
        if (self.require is None) == (self.compare is None):
            raise ValueError("give exactly one of 'require' or 'compare'")
        return self

    def fields(self) -> set[str]:
        """Every field the check reads."""
        found = self.when.fields() if self.when is not None else set()
        if self.require is not None:
            found |= self.require.fields()
        if self.compare is not None:
            found |= {self.compare.field} | ({self.compare.other} if self.compare.other else set())
        return found


class Mapping(Strict):
    """The whole mapping file of one object."""

    object: str
    key: list[str] = Field(min_length=1, description="target business key fields")
    fields: dict[str, TargetField]
    sources: dict[str, dict[str, FieldSource]]
    value_maps: dict[str, ValueMap] = {}
    unique_together: list[UniqueKey] = []
    checks: list[CrossCheck] = Field(default=[], description="cross-field checks, by rule id")

    @field_validator("checks")
    @classmethod
    def _unique_check_ids(cls, value: list[CrossCheck]) -> list[CrossCheck]:
        ids = [check.id for check in value]
        if twice := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"check id {twice[0]!r} is used twice")
        return value

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
