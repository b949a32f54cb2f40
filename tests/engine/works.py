"""Work objects for the engine tests, importable by name on Dask worker processes."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from migrate.errors import SpecError


class Doubles:
    """``2 * item``; sleeps longer for earlier items, so later ones finish first."""

    def __init__(self, items: int, pause: float = 0.02) -> None:
        self.items = items
        self.pause = pause

    def __call__(self, item: int) -> int:
        time.sleep(max(0, self.items - item) * self.pause)
        return 2 * item


class CountsLoads:
    """Carries a large table; counts how often this process pickled and unpickled one."""

    dumps: ClassVar[int] = 0
    loads: ClassVar[int] = 0

    def __init__(self, size: int) -> None:
        self.table = bytes(size)

    def __call__(self, item: int) -> int:
        return len(self.table) + item

    def __getstate__(self) -> dict[str, Any]:
        type(self).dumps += 1
        return self.__dict__

    def __setstate__(self, state: dict[str, Any]) -> None:
        type(self).loads += 1
        self.__dict__.update(state)


def loads_here() -> int:
    """How many ``CountsLoads`` this process unpickled (run on each worker)."""
    return CountsLoads.loads


def reset_loads() -> None:
    """Start counting from zero in this process."""
    CountsLoads.loads = 0


class FailsAt:
    """Raises a spec error (or a ValueError) at one item."""

    def __init__(self, at: int, spec: bool = True) -> None:
        self.at = at
        self.spec = spec

    def __call__(self, item: int) -> int:
        if item == self.at and self.spec:
            raise SpecError("rules/order.yaml", "steps[2].op", "unknown op", ["trim", "upper"])
        if item == self.at:
            raise ValueError(f"no good: {item}")
        return item


class SlowAfter:
    """Quick for the first items, then slow: what is left is still running."""

    def __init__(self, quick: int, pause: float = 2.0) -> None:
        self.quick = quick
        self.pause = pause

    def __call__(self, item: int) -> int:
        if item >= self.quick:
            time.sleep(self.pause)
        return item
