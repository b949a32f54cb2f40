"""The in-process engine: each chunk in turn, in this process."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class LocalEngine:
    """Runs chunk work here, one chunk at a time (the default)."""

    name = "local"

    def map_ordered(
        self, work: Callable[[Item], Result], items: Iterable[Item]
    ) -> Iterator[Result]:
        """``work(item)`` for every item, in order, one at a time."""
        for item in items:
            yield work(item)

    def close(self) -> None:
        """Nothing to release."""
