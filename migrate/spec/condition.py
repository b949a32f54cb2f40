"""Declarative row conditions: field equals / in / matches / is null, with all / any / not.

Used by rule steps (`when:`) and pilot scopes (`where:`). No eval: a condition is data
that compiles to a vectorised boolean mask over a frame.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from pydantic import Field, model_validator

from migrate.spec.base import Strict

_OPERATORS = ("equals", "in_", "matches", "is_null", "all", "any", "not_")


class Condition(Strict):
    """One test on a field, or a combination of conditions (exactly one operator)."""

    field: str | None = None
    equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    matches: str | None = None
    is_null: bool | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        present = [name for name in _OPERATORS if getattr(self, name) is not None]
        if len(present) != 1:
            names = ", ".join(n.rstrip("_") for n in _OPERATORS)
            raise ValueError(f"a condition needs exactly one of: {names}")
        needs_field = present[0] in ("equals", "in_", "matches", "is_null")
        if needs_field and not self.field:
            raise ValueError(f"'{present[0].rstrip('_')}' needs a 'field'")
        if self.matches is not None:
            re.compile(self.matches)
        return self

    def fields(self) -> set[str]:
        """Every field the condition reads."""
        found = {self.field} if self.field else set()
        for child in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            found |= child.fields()
        return found

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Evaluate the condition over every row of ``frame``."""
        if self.all is not None:
            return _combine([c.mask(frame) for c in self.all], frame, all_of=True)
        if self.any is not None:
            return _combine([c.mask(frame) for c in self.any], frame, all_of=False)
        if self.not_ is not None:
            return ~self.not_.mask(frame)
        assert self.field is not None
        column = frame[self.field]
        if self.is_null is not None:
            return column.isna() == self.is_null
        if self.matches is not None:
            text = column.astype("string")
            return text.str.fullmatch(self.matches).fillna(False).astype(bool)
        values = self.in_ if self.in_ is not None else [self.equals]
        return column.astype("string").isin([str(v) for v in values]).fillna(False).astype(bool)


def _combine(masks: list[pd.Series], frame: pd.DataFrame, *, all_of: bool) -> pd.Series:
    result = pd.Series(all_of, index=frame.index, dtype=bool)
    for mask in masks:
        result = (result & mask) if all_of else (result | mask)
    return result


Condition.model_rebuild()
