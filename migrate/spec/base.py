"""Base model shared by every spec model: unknown keys are errors, models are frozen."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """A spec model that refuses unknown keys and cannot be changed after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
