"""Open an engine by name: ``local`` (this process) or ``dask`` (a Dask cluster)."""

from __future__ import annotations

from collections.abc import Callable

from migrate.engine.base import Engine
from migrate.engine.local import LocalEngine


def _local(scheduler: str | None, workers: int | None) -> Engine:
    if scheduler is not None:
        raise ValueError("a scheduler address needs engine dask, not local")
    if workers is not None:
        raise ValueError("workers are for engine dask; engine local runs in this process")
    return LocalEngine()


def _dask(scheduler: str | None, workers: int | None) -> Engine:
    from migrate.engine.dask_engine import DaskEngine  # distributed loads only when asked

    if scheduler is not None and workers is not None:
        raise ValueError(
            "workers start a local cluster; a scheduler's cluster brings its own workers"
        )
    if workers is None:
        return DaskEngine(scheduler)
    return DaskEngine(scheduler, workers=workers)


ENGINES: dict[str, Callable[[str | None, int | None], Engine]] = {
    "local": _local,
    "dask": _dask,
}


def open_engine(name: str, scheduler: str | None = None, workers: int | None = None) -> Engine:
    """The engine called ``name``; ``scheduler``/``workers`` only for ``dask``.

    Raises ValueError for an unknown name (listing the valid ones) or options
    the engine does not take.
    """
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r} (valid: {', '.join(ENGINES)})")
    return ENGINES[name](scheduler, workers)
