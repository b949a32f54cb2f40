"""The registry of named operations that rule files refer to by ``op:``.

An op is a function ``fn(values, params, frame) -> OpResult`` that works on a
whole column at once. Its *shape* says how a rule step feeds it (:data:`SHAPES`):

* ``column`` (the default): called once per field of the step with that column;
  the result replaces the field (or goes into the step's single ``into`` field).
* ``split``: called with the step's one field and the number of ``into`` fields,
  ``fn(values, params, frame, outputs)``; it returns one Series per ``into`` field
  in :attr:`OpResult.parts` and leaves the field itself unchanged.
* ``join``: called once with a frame of the step's fields, in the order listed,
  ``fn(columns, params, frame)``; the result goes into the step's ``into`` field.

Built-in ops and user extensions register the same way::

    @register_op("shout", params=ShoutParams)
    def shout(values: pd.Series, params: ShoutParams, frame: pd.DataFrame) -> OpResult:
        ...  # the first docstring line becomes the op's description

The cleanse stage looks an op up with :func:`get_op`, validates the step's
``args`` with :func:`parse_params` and calls ``op.func`` as its shape says;
:func:`shape_problem` tells the spec checker whether a step fits the op's shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import pandas as pd
import pydantic


class OpParams(pydantic.BaseModel):
    """Base of every op's params; unknown args are rejected, params are immutable."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    def step_problem(self, fields: list[str], into: list[str]) -> str | None:
        """What is wrong with using these params on a step reading ``fields`` into ``into``."""
        return None


@dataclass(frozen=True)
class OpResult:
    """What an op returns: new values, and which rows failed and why."""

    values: pd.Series
    failed: pd.Series | None = None
    reason: str | pd.Series | None = None
    parts: tuple[pd.Series, ...] = ()
    """Split ops only: the value of each ``into`` field, in order."""


OpFunc = Callable[[pd.Series, Any, pd.DataFrame], OpResult]
SplitFunc = Callable[[pd.Series, Any, pd.DataFrame, int], OpResult]
JoinFunc = Callable[[pd.DataFrame, Any, pd.DataFrame], OpResult]
AnyOpFunc = TypeVar("AnyOpFunc", bound=Callable[..., OpResult])
OpShape = Literal["column", "split", "join"]

SHAPES: dict[str, str] = {
    "column": "works on each listed field (in place, or into one other field)",
    "split": "splits one field into the several fields listed under into",
    "join": "joins the listed fields into the one field named by into",
}


@dataclass(frozen=True)
class OpInfo:
    """A registered op: its function, params model and one-line description."""

    name: str
    func: Callable[..., OpResult]
    params: type[OpParams]
    description: str
    can_fail: bool
    shape: OpShape = "column"


OPS: dict[str, OpInfo] = {}


class UnknownOpError(KeyError):
    """A rule file names an op that is not registered."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = sorted(known)
        self.message = f"unknown op {name!r} (known ops: {', '.join(self.known)})"
        super().__init__(self.message)

    def __str__(self) -> str:
        """Return the plain message (KeyError would quote it)."""
        return self.message


def _first_doc_line(func: Callable[..., Any]) -> str:
    """Return the first non-empty line of the function's docstring, or ''."""
    for line in (func.__doc__ or "").strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


def register_op(
    name: str,
    *,
    params: type[OpParams] = OpParams,
    can_fail: bool = False,
    shape: OpShape = "column",
) -> Callable[[AnyOpFunc], AnyOpFunc]:
    """Register ``fn`` under ``name``; a name can be registered only once."""
    if not isinstance(params, type) or not issubclass(params, OpParams):
        raise TypeError(f"params of op {name!r} must be a subclass of OpParams")
    if shape not in SHAPES:
        raise ValueError(f"unknown op shape {shape!r} (valid: {', '.join(SHAPES)})")

    def decorate(func: AnyOpFunc) -> AnyOpFunc:
        if name in OPS:
            raise ValueError(f"op {name!r} is already registered")
        OPS[name] = OpInfo(
            name=name,
            func=func,
            params=params,
            description=_first_doc_line(func),
            can_fail=can_fail,
            shape=shape,
        )
        return func

    return decorate


def get_op(name: str) -> OpInfo:
    """Return the op registered under ``name``; raise UnknownOpError listing known ops."""
    try:
        return OPS[name]
    except KeyError:
        raise UnknownOpError(name, OPS) from None


def parse_params(op: OpInfo, args: dict[str, Any]) -> OpParams:
    """Validate a step's ``args`` with the op's params model (pydantic.ValidationError if bad)."""
    return op.params.model_validate(args or {})


def shape_problem(op: OpInfo, fields: list[str], into: str | list[str] | None) -> str | None:
    """Why a step with these ``fields`` and ``into`` does not fit the op's shape (or None)."""
    if op.shape == "split":
        if len(fields) != 1:
            return f"{op.name} splits exactly one field (got {len(fields)})"
        if not isinstance(into, list) or len(into) < 2:
            return f"{op.name} needs 'into' as a list of at least two fields"
        return None
    if op.shape == "join":
        if len(fields) < 2:
            return f"{op.name} joins at least two fields (got {len(fields)})"
        if not isinstance(into, str):
            return f"{op.name} needs 'into' as the one field to write"
        return None
    if isinstance(into, list):
        return f"{op.name} writes one field: give 'into' as a name, not a list"
    if into is not None and len(fields) != 1:
        return "'into' needs exactly one field"
    return None
