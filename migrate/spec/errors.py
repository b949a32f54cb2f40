"""Turn YAML and pydantic failures into SpecErrors that name file, key path and choices."""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from migrate.errors import SpecError


def key_path(loc: Sequence[int | str]) -> str:
    """``("steps", 3, "op")`` -> ``steps[3].op``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def from_validation_error(file: str, model: type[BaseModel], error: ValidationError) -> SpecError:
    """The first problem of ``error`` as a SpecError (unknown keys list the valid ones)."""
    first = error.errors()[0]
    loc = [p for p in first["loc"] if not _is_union_tag(p)]
    if first["type"] == "extra_forbidden":
        choices = _fields_at(model, loc[:-1])
        return SpecError(file, key_path(loc), "unknown key", choices)
    if first["type"] == "literal_error":
        expected = first.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in str(expected).replace(" or ", ",").split(",")]
        return SpecError(file, key_path(loc), f"{first['input']!r} is not valid", choices)
    message = first["msg"].removeprefix("Value error, ")
    return SpecError(file, key_path(loc), message)


def _is_union_tag(part: int | str) -> bool:
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _fields_at(model: type[BaseModel], loc: Sequence[int | str]) -> list[str] | None:
    """The keys a model accepts at ``loc`` (aliases where a field has one)."""
    current: Any = model
    for part in loc:
        current = _step_into(current, part)
        if current is None:
            return None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return None


def _step_into(annotation: Any, part: int | str) -> Any:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if not isinstance(part, str):
            return None
        for name, info in annotation.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    args = typing.get_args(annotation)
    return _unwrap(args[-1]) if args else None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] so the model inside shows."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return inner[0] if len(inner) == 1 else annotation
    return annotation
