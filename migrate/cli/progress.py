"""Progress display for long steps: a rich progress line on a terminal, nothing otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from migrate.stages.base import Progress as ProgressSink
from migrate.stages.base import no_progress


@contextmanager
def progress_display(enabled: bool) -> Iterator[ProgressSink]:
    """Yield a progress sink that draws one bar per step label."""
    if not enabled:
        yield no_progress
        return
    console = Console(stderr=True)
    columns = (TextColumn("{task.description:<28}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, object] = {}

        def sink(label: str, done: int, total: int) -> None:
            task = tasks.get(label)
            if task is None:
                task = tasks[label] = bar.add_task(label, total=max(total, 1))
            bar.update(task, completed=done, total=max(total, 1))  # type: ignore[arg-type]

        yield sink
