"""The engine contract: run one picklable piece of work over chunks, results in order.

A stage that streams hands the engine a *work* object (a picklable callable
that holds everything a chunk needs: the project, reference data) and an
iterator of chunks. The engine calls ``work(chunk)`` for each chunk, wherever
it likes, and yields the results in the chunks' order, so the caller can
absorb them exactly as the in-process run would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class Engine(Protocol):
    """Runs chunk work; ``name`` says which engine it is in reports."""

    name: str

    def map_ordered(
        self, work: Callable[[Item], Result], items: Iterable[Item]
    ) -> Iterator[Result]:
        """``work(item)`` for every item, yielded in the items' order."""
        ...

    def close(self) -> None:
        """Release what the engine holds (a cluster connection, workers)."""
        ...
