"""Run the benchmarks and write their figures as JSON under bench/results/.

Each module ``bench/bench_<name>.py`` defines ``run(work_dir: Path) -> dict`` that
returns plain, JSON-able figures (times in seconds, memory in MiB). Benchmarks are
kept out of the test suite: the machines are shared and noisy, so figures are
recorded, never asserted.

    python -m bench.run                 # all benchmarks
    python -m bench.run validate match  # only these
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"


def available() -> list[str]:
    """Names of the benchmark modules present."""
    return sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))


def run_one(name: str) -> dict[str, object]:
    """Run one benchmark in a scratch folder and return its figures with context."""
    module = importlib.import_module(f"bench.bench_{name}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"migrate-bench-{name}-") as scratch:
        figures = module.run(Path(scratch))
    return {
        "benchmark": name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": _cpus(),
            "system": platform.system(),
        },
        "wall_seconds_total": round(time.perf_counter() - started, 2),
        "figures": figures,
    }


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


def main(argv: list[str]) -> int:
    """Run the named benchmarks (all when none are named)."""
    names = argv or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)} (valid: {', '.join(available())})")
        return 2
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for name in names:
        print(f"bench {name} ...", flush=True)
        result = run_one(name)
        path = RESULTS_DIR / f"{name}.json"
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"bench {name}: {result['wall_seconds_total']} s -> {path}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
