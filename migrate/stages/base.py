"""What every stage shares: its result record and the run context it works in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from migrate.errors import MigrateError, StageFailed
from migrate.ledger import Ledger

if TYPE_CHECKING:
    from migrate.engine.base import Engine
    from migrate.spec.loader import ObjectSpec, Project


@dataclass
class StageResult:
    """What one stage did to one object: rows in and out, time taken, stage figures."""

    stage: str
    object: str
    rows_in: int
    rows_out: int
    seconds: float = 0.0
    metrics: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the run report."""
        return {
            "stage": self.stage,
            "object": self.object,
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "seconds": round(self.seconds, 3),
            "metrics": self.metrics,
        }


class Progress(Protocol):
    """Where long steps report how far they are (a rich progress bar, or nothing)."""

    def __call__(self, label: str, done: int, total: int) -> None: ...


def no_progress(label: str, done: int, total: int) -> None:
    """A progress sink that shows nothing."""


@dataclass
class RunContext:
    """Everything a stage may read or record besides its own frame."""

    project: Project
    ledger: Ledger
    out_dir: Path
    run_id: str
    scope: str | None = None
    xref: dict[str, pd.DataFrame] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    results: list[StageResult] = field(default_factory=list)
    progress: Progress = no_progress
    extras: dict[str, Any] = field(default_factory=dict)
    engine: Engine | None = None  # a distributed engine scores match pairs on its workers


Stage = Callable[[pd.DataFrame, "ObjectSpec", RunContext], tuple[pd.DataFrame, StageResult]]


def run_stage(
    name: str,
    stage: Stage,
    frame: pd.DataFrame,
    obj: ObjectSpec,
    ctx: RunContext,
    *,
    show_progress: bool = True,
) -> pd.DataFrame:
    """Run one stage, record its result, and wrap unexpected failures with their place."""
    if show_progress:
        ctx.progress(f"{name} {obj.name}", 0, 1)
    try:
        out, result = stage(frame, obj, ctx)
    except MigrateError:
        raise
    except Exception as error:
        raise StageFailed(name, obj.name, error) from error
    ctx.results.append(result)
    if show_progress:
        ctx.progress(f"{name} {obj.name}", 1, 1)
    return out
