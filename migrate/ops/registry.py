"""The registry of named operations that rule files refer to by ``op:``.

An op is a function ``fn(values, params, frame) -> OpResult`` that works on a
whole column at once. Built-in ops and user extensions register the same way::

    @register_op("shout", params=ShoutParams)
    def shout(values: pd.Series, params: ShoutParams, frame: pd.DataFrame) -> OpResult:
        ...  # the first docstring line becomes the op's description

The cleanse stage looks an op up with :func:`get_op`, validates the step's
``args`` with :func:`parse_params` and calls ``op.func`` once per field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pydantic


class OpParams(pydantic.BaseModel):
    """Base of every op's params; unknown args are rejected, params are immutable."""

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class OpResult:
    """What an op returns: new values, and which rows failed and why."""

    values: pd.Series
    failed: pd.Series | None = None
    reason: str | pd.Series | None = None


OpFunc = Callable[[pd.Series, Any, pd.DataFrame], OpResult]


@dataclass(frozen=True)
class OpInfo:
    """A registered op: its function, params model and one-line description."""

    name: str
    func: OpFunc
    params: type[OpParams]
    description: str
    can_fail: bool


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
    name: str, *, params: type[OpParams] = OpParams, can_fail: bool = False
) -> Callable[[OpFunc], OpFunc]:
    """Register ``fn`` under ``name``; a name can be registered only once."""
    if not isinstance(params, type) or not issubclass(params, OpParams):
        raise TypeError(f"params of op {name!r} must be a subclass of OpParams")

    def decorate(func: OpFunc) -> OpFunc:
        if name in OPS:
            raise ValueError(f"op {name!r} is already registered")
        OPS[name] = OpInfo(
            name=name,
            func=func,
            params=params,
            description=_first_doc_line(func),
            can_fail=can_fail,
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
