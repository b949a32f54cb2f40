"""The sales-order-line pipeline on many generated rows, streamed at two chunk sizes.

The demo's generator writes customers and materials at their default size and
``MIGRATE_BENCH_SCALE_ROWS`` order lines (10,000,000 unless set) that reference
them. A scratch project holds the demo's specs and that data; every run loads all
three objects (no pilot scope, no target database). Each measurement runs in a
fresh child process, so its peak memory is its own:

* **I/O floor**: read the order-line CSV with migrate's CSV source (the columns the
  mapping reads, in the same chunks) and write what was read as CSV and Parquet.
* **Pipeline**, once per chunk size (``MIGRATE_BENCH_SCALE_CHUNKS``, comma-separated,
  default ``100000,1000000``): ``run_project`` with ``chunk_rows`` set, so the order
  lines stream through extract, map, cleanse and link.

``ratio`` is the pipeline's wall seconds over the I/O floor's. ``MIGRATE_BENCH_CACHE``
names a folder that keeps the generated data between runs.

``MIGRATE_BENCH_SCALE_ENGINES`` (comma-separated, default ``local``) adds a run per other
engine at the first chunk size: ``dask`` runs on a local cluster of
``MIGRATE_BENCH_SCALE_WORKERS`` worker processes (default 2). Every run reports a
fingerprint of its outputs (SHA-256 of each load file, of the ledger and rejects files,
and of the report's figures without the clock), and ``identical_to_local`` says whether
another engine's outputs are the local engine's, file for file. A Dask run's ``peak_mib`` is
the client process's; ``worker_peak_mib`` lists each worker's.

    python -m bench.run scale
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.memory import measured

ROOT = Path(__file__).resolve().parents[1]
ROWS = int(os.environ.get("MIGRATE_BENCH_SCALE_ROWS", "10000000"))
CHUNKS = [int(n) for n in os.environ.get("MIGRATE_BENCH_SCALE_CHUNKS", "100000,1000000").split(",")]
ENGINES = os.environ.get("MIGRATE_BENCH_SCALE_ENGINES", "local").split(",")
WORKERS = int(os.environ.get("MIGRATE_BENCH_SCALE_WORKERS", "2"))
OBJECT = "sales_order_line"
SOURCE = "erp_order_lines"
FORMATS = ("csv", "parquet")


def run(work_dir: Path) -> dict[str, Any]:
    """Generate the data, build the project, measure the floor and each chunk size."""
    project = _project(work_dir / "project", _generated(work_dir))
    floor = measured(io_floor, str(project), str(work_dir / "out_floor"), CHUNKS[0])
    figures: dict[str, Any] = {"rows": ROWS, "io_floor": _row(floor, floor["seconds"])}
    print("io_floor", figures["io_floor"], flush=True)  # a long run shows each figure as it comes
    local: dict[str, str] | None = None
    for chunk_rows in CHUNKS:
        out = work_dir / f"out_{chunk_rows}"
        outcome = measured(pipeline, str(project), str(out), chunk_rows)
        local = local or outcome["result"]["fingerprint"]
        figures[f"chunk_rows_{chunk_rows}"] = _row(outcome, floor["seconds"])
        print(f"chunk_rows_{chunk_rows}", figures[f"chunk_rows_{chunk_rows}"], flush=True)
        shutil.rmtree(out, ignore_errors=True)
    for engine in (e for e in ENGINES if e != "local"):
        out = work_dir / f"out_{engine}"
        outcome = measured(pipeline, str(project), str(out), CHUNKS[0], engine)
        row = _row(outcome, floor["seconds"])
        row["identical_to_local"] = outcome["result"]["fingerprint"] == local
        figures[f"engine_{engine}_chunk_rows_{CHUNKS[0]}"] = row
        print(f"engine_{engine}", row, flush=True)
        shutil.rmtree(out, ignore_errors=True)
    return figures


def _row(outcome: dict[str, Any], floor_seconds: float) -> dict[str, Any]:
    seconds = outcome["seconds"]
    return {
        "seconds": round(seconds, 1),
        "rows_per_second": round(ROWS / seconds),
        "peak_mib": outcome["peak_mib"],
        "ratio_to_io_floor": round(seconds / floor_seconds, 2),
        **{k: v for k, v in outcome["result"].items() if k != "fingerprint"},
        "fingerprint_sha256": _digest(outcome["result"].get("fingerprint", {})),
    }


def _forget_golden_keys(project: Any) -> None:
    """Remove the golden-key registries an earlier run in this scratch project wrote."""
    from migrate.state.paths import registry_file

    for name in project.objects:
        path = registry_file(project.root, project.model.state, name)
        if path is not None:
            path.unlink(missing_ok=True)


def _digest(fingerprint: dict[str, str]) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()


def _generated(work_dir: Path) -> Path:
    """The generator's legacy folder with ``ROWS`` order lines (generated, or cached)."""
    cache = os.environ.get("MIGRATE_BENCH_CACHE")
    folder = (Path(cache) if cache else work_dir) / f"scale_{ROWS}"
    if (folder / "legacy" / "erp" / "order_lines.csv").exists():
        return folder / "legacy"
    # Generated beside the cache and renamed when complete: an interrupted run leaves no
    # half-written set that a later run would take for a whole one.
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    generator = [sys.executable, str(ROOT / "samples" / "generate.py"), "--out", str(partial)]
    subprocess.run([*generator, "--only", "customers,materials"], check=True)
    subprocess.run([*generator, "--only", "orders", "--order-lines", str(ROWS)], check=True)
    partial.rename(folder)
    return folder / "legacy"


def _project(folder: Path, legacy: Path) -> Path:
    """The demo's specs with the generated data as its samples."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "migration.yaml", folder)
    for name in ("mappings", "rules"):
        shutil.copytree(ROOT / name, folder / name, dirs_exist_ok=True)
    (folder / "samples").mkdir(exist_ok=True)
    target = folder / "samples" / "legacy"
    if not target.exists():
        target.symlink_to(legacy, target_is_directory=True)
    return folder


def io_floor(project_dir: str, out_dir: str, chunk_rows: int) -> dict[str, Any]:
    """Read the order lines in chunks and write what was read as CSV and Parquet."""
    import pandas as pd

    from migrate.io.sinks import write_frame
    from migrate.io.sources import iter_source
    from migrate.spec.loader import load_project
    from migrate.stages.extract import source_spec

    project = load_project(Path(project_dir))
    obj = project.objects[OBJECT]
    source = next(s for s in obj.model.sources if s.name == SOURCE)
    spec = source_spec(source, obj, project.root)
    frame = pd.concat(list(iter_source(spec, project.root, chunk_rows)), ignore_index=True)
    for kind in FORMATS:
        write_frame(frame, Path(out_dir) / f"{OBJECT}.{kind}", kind)
    return {"rows_written": len(frame)}


def pipeline(
    project_dir: str, out_dir: str, chunk_rows: int, engine_name: str = "local"
) -> dict[str, Any]:
    """Run the whole project (every row, no target) streaming objects without matching."""
    from bench.memory import peak_mib
    from migrate.engine.factory import open_engine
    from migrate.pipeline import RunOptions, run_project
    from migrate.report.outputs import fingerprint
    from migrate.spec.loader import load_project

    project = load_project(Path(project_dir))
    _forget_golden_keys(project)  # every run starts as the first: none re-keys from another
    engine = open_engine(engine_name, None, WORKERS if engine_name == "dask" else None)
    try:
        options = RunOptions(Path(out_dir), history=False, chunk_rows=chunk_rows, engine=engine)
        outcome = run_project(project, options)
        client = getattr(engine, "client", None)
        workers = sorted(client.run(peak_mib).values()) if client is not None else []
    finally:
        engine.close()
    funnel = outcome.funnel
    lines = funnel[funnel["object"] == OBJECT]
    figures: dict[str, Any] = {
        "status": outcome.report.status,
        "loaded": int(lines["loaded"].sum()),
        "rejected": int(lines["rejected"].sum()),
        "fingerprint": fingerprint(Path(out_dir)),  # the same inputs give these same files
    }
    if workers:
        figures["worker_peak_mib"] = [round(w, 1) for w in workers]
    return figures
