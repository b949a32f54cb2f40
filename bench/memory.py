"""Peak-memory measurement for benchmarks: run a function in a child process."""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _child(func: Callable[..., Any], args: tuple[Any, ...], queue: Any) -> None:
    started = time.perf_counter()
    result = func(*args)
    seconds = time.perf_counter() - started
    queue.put({"result": result, "seconds": seconds, "peak_mib": round(peak_mib(), 1)})


def peak_mib() -> float:
    """This process's own peak resident memory in MiB.

    ru_maxrss survives fork and exec, so a spawned child would report at least its
    parent's peak; the kernel's high-water mark of the process's own memory map
    (VmHWM) starts afresh at exec.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measured(func: Callable[..., Any], *args: Any) -> dict[str, Any]:
    """Run ``func(*args)`` in a fresh process; return its result, wall seconds and peak RSS.

    A fresh process makes the peak belong to this work alone (ru_maxrss never goes down).
    ``func`` must be importable (a module-level function) and return picklable data.
    """
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(func, args, queue))
    process.start()
    outcome = queue.get()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"benchmark child failed with exit code {process.exitcode}")
    return dict(outcome)
