"""Profile speed: `migrate profile` on 1,000,000 generated ERP customer rows.

The generator's ERP extract holds about 0.82 rows per customer entity, so it is
asked for enough entities to give at least a million rows (GB18030 CSV, 14
columns). Reading (with encoding detection) and profiling are timed together,
in a fresh process so the peak memory is the profile's own.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.memory import measured
from samples.generate import ERP_CUSTOMERS, generate

TARGET_ROWS = 1_000_000
CUSTOMERS = 1_220_000  # gives just over TARGET_ROWS rows in the ERP customers extract


def profile_file(path: str) -> dict[str, Any]:
    """Profile one CSV file the way `migrate profile` does; return its figures."""
    from migrate.io.spec import SourceSpec
    from migrate.profile.profiler import profile_sources
    from migrate.profile.render import write_profile

    spec = SourceSpec(name="customers", system="ERP", kind="csv", path=path)
    report = profile_sources([spec], Path(path).parent)
    write_profile(report, Path(path).parent / "profile")
    source = report.sources[0]
    found = source.duplicates
    return {
        "rows": source.rows,
        "columns": len(source.columns),
        "read_seconds": source.read_seconds,
        "profile_seconds": source.profile_seconds,
        "suggestions": len(source.suggestions),
        "near_duplicate_share": found.near_duplicate_share if found else None,
    }


def run(work_dir: Path) -> dict[str, Any]:
    """Generate the extract, then profile it; wall seconds include reading the file."""
    started = time.perf_counter()
    counts = generate(work_dir, customers=CUSTOMERS, only={"customers"})
    generate_seconds = time.perf_counter() - started
    outcome = measured(profile_file, str(work_dir / ERP_CUSTOMERS))
    figures = outcome["result"]
    return {
        "rows": figures["rows"],
        "generated_rows": counts[ERP_CUSTOMERS],
        "at_least_target_rows": figures["rows"] >= TARGET_ROWS,
        "wall_seconds": round(outcome["seconds"], 2),
        "read_seconds": figures["read_seconds"],
        "profile_seconds": figures["profile_seconds"],
        "peak_mib": outcome["peak_mib"],
        "rows_per_second": round(figures["rows"] / outcome["seconds"]),
        "columns": figures["columns"],
        "suggestions": figures["suggestions"],
        "near_duplicate_share": figures["near_duplicate_share"],
        "generate_seconds": round(generate_seconds, 1),
    }
