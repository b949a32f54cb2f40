"""Row-wise stages (map, cleanse, validate) against the I/O floor, on 1,000,000 customer rows.

The demo's generator writes an ERP customer CSV (GB18030) of at least ``ROWS`` rows,
cut to exactly ``ROWS``. A scratch project holds the demo's customer mapping and
rules with only that source. Two measurements, each in a fresh child process so its
peak memory is its own:

* **I/O floor**: read the file with migrate's CSV source (``read_source``) and write
  the same rows, with the mapped columns under their target names, as the load files
  (CSV + Parquet). Nothing is mapped, cleansed or validated.
* **Row-wise**: extract (the same read, plus each row's identity and ledger entry),
  then map, cleanse (every demo rule step) and validate, then the load files of the
  validated rows in the target's layout.

The figure that counts is ``ratio``: (map + cleanse + validate) seconds over the
I/O floor's seconds; the goal is at most 3. ``MIGRATE_BENCH_ROWS`` runs a smaller
size; ``MIGRATE_BENCH_CACHE`` names a folder that keeps the generated file between runs.

    python -m bench.run rowwise
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from bench.memory import measured

ROOT = Path(__file__).resolve().parents[1]
ROWS = int(os.environ.get("MIGRATE_BENCH_ROWS", "1000000"))
ERP_ROWS_PER_ENTITY = 0.82  # the generator writes ~0.82 ERP customer rows per entity
OBJECT = "customer"
SOURCE = "erp_customers"
FORMATS = ("csv", "parquet")


def run(work_dir: Path) -> dict[str, Any]:
    """Generate the input, build the project, measure both runs; return the figures."""
    source = _input_file(work_dir)
    project = _project(work_dir / "project", source)
    floor = measured(io_floor, str(project), str(work_dir / "out_floor"))
    rowwise = measured(row_wise, str(project), str(work_dir / "out_rowwise"))
    return _figures(floor, rowwise)


def _input_file(work_dir: Path) -> Path:
    """The ERP customer CSV with exactly ``ROWS`` rows (generated, or from the cache)."""
    cache = os.environ.get("MIGRATE_BENCH_CACHE")
    folder = Path(cache) if cache else work_dir
    path = folder / f"erp_customers_{ROWS}.csv"
    if path.exists():
        return path
    from samples.generate import ERP_CUSTOMERS, generate

    entities = math.ceil(ROWS / ERP_ROWS_PER_ENTITY * 1.01)
    generate(work_dir / "generated", customers=entities, only={"customers"})
    _cut(work_dir / "generated" / ERP_CUSTOMERS, path, ROWS)
    shutil.rmtree(work_dir / "generated")
    return path


def _cut(source: Path, target: Path, rows: int) -> None:
    """Copy the header and the first ``rows`` records (GB18030, CRLF, as generated)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        source.open(encoding="gb18030", newline="") as fin,
        target.open("w", encoding="gb18030", newline="") as fout,
    ):
        reader, writer = csv.reader(fin), csv.writer(fout, lineterminator="\r\n")
        for number, record in enumerate(reader):
            if number > rows:
                break
            writer.writerow(record)
    if number < rows:
        raise RuntimeError(f"the generator wrote {number} rows, fewer than {rows}")


def _project(folder: Path, source: Path) -> Path:
    """A project with the demo's customer mapping and rules, reading only ``source``."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "rules").mkdir(parents=True)
    shutil.copytree(ROOT / "mappings", folder / "mappings")
    shutil.copy(ROOT / "rules" / f"{OBJECT}.yaml", folder / "rules")
    mapping_path = folder / "mappings" / f"{OBJECT}.yaml"
    mapping = yaml.safe_load(mapping_path.read_text(encoding="utf-8"))
    mapping["sources"] = {SOURCE: mapping["sources"][SOURCE]}
    mapping_path.write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    demo = yaml.safe_load((ROOT / "migration.yaml").read_text(encoding="utf-8"))
    erp = next(s for s in demo["objects"][OBJECT]["sources"] if s["name"] == SOURCE)
    erp |= {"path": str(source), "encoding": "gb18030"}
    project = {
        "project": "bench_rowwise",
        "objects": {OBJECT: {"sources": [erp], "target_table": OBJECT}},
        "load": {"formats": list(FORMATS)},
    }
    (folder / "migration.yaml").write_text(yaml.safe_dump(project), encoding="utf-8")
    return folder


def _load(project_dir: str) -> Any:
    from migrate.spec.loader import load_project

    return load_project(Path(project_dir))


def _write(frame: pd.DataFrame, out_dir: str) -> None:
    from migrate.io.sinks import write_frame

    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for kind in FORMATS:
        write_frame(frame, folder / f"{OBJECT}.{kind}", kind)


def io_floor(project_dir: str, out_dir: str) -> dict[str, Any]:
    """Read the source and write its mapped columns under their target names."""
    from migrate.io.sources import read_source
    from migrate.stages.extract import source_spec

    project = _load(project_dir)
    obj = project.objects[OBJECT]
    spec = source_spec(obj.model.sources[0], obj, project.root)
    started = time.perf_counter()
    raw = read_source(spec, project.root)
    read = time.perf_counter()
    block = obj.mapping.sources[SOURCE]
    columns = {spec.column: name for name, spec in block.items() if spec.column is not None}
    _write(raw[list(columns)].rename(columns=columns), out_dir)
    return {
        "rows": len(raw),
        "read_seconds": read - started,
        "write_seconds": time.perf_counter() - read,
    }


def row_wise(project_dir: str, out_dir: str) -> dict[str, Any]:
    """Read, map, cleanse, validate, write; time each part."""
    from migrate.ledger import Ledger
    from migrate.stages import cleanse, extract, map, validate
    from migrate.stages.base import RunContext
    from migrate.stages.load import load_layout

    project = _load(project_dir)
    obj = project.objects[OBJECT]
    ctx = RunContext(project, Ledger(), Path(out_dir), "bench")
    seconds: dict[str, float] = {}
    frame = pd.DataFrame()
    rows: dict[str, int] = {}
    for name, stage in (
        ("read", extract),
        ("map", map),
        ("cleanse", cleanse),
        ("validate", validate),
    ):
        started = time.perf_counter()
        frame, result = stage.run(frame, obj, ctx)
        seconds[name] = time.perf_counter() - started
        rows[name] = result.rows_out
        if name == "cleanse":
            by_rule = result.metrics.get("seconds_by_rule", {})
    started = time.perf_counter()
    _write(load_layout(frame, obj), out_dir)
    seconds["write"] = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "cleanse_seconds_by_rule": by_rule}


def _figures(floor: dict[str, Any], rowwise: dict[str, Any]) -> dict[str, Any]:
    """Seconds, rows per second, the ratio to the I/O floor and peak memory of both runs."""
    f, r = floor["result"], rowwise["result"]
    floor_seconds = f["read_seconds"] + f["write_seconds"]
    stages = {k: r["seconds"][k] for k in ("map", "cleanse", "validate")}
    stage_seconds = sum(stages.values())
    rows = f["rows"]
    return {
        "rows": rows,
        "io_floor": {
            "read_seconds": round(f["read_seconds"], 2),
            "write_seconds": round(f["write_seconds"], 2),
            "seconds": round(floor_seconds, 2),
            "rows_per_second": round(rows / floor_seconds),
            "peak_mib": floor["peak_mib"],
        },
        "row_wise": {
            "seconds_by_stage": {k: round(v, 2) for k, v in r["seconds"].items()},
            "stages_seconds": round(stage_seconds, 2),
            "stages_rows_per_second": round(rows / stage_seconds),
            "rows_out_by_stage": r["rows"],
            "cleanse_seconds_by_rule": {
                k: round(v, 2) for k, v in r["cleanse_seconds_by_rule"].items()
            },
            "peak_mib": rowwise["peak_mib"],
        },
        "ratio": round(stage_seconds / floor_seconds, 2),
        "ratio_goal": 3.0,
        "whole_run_ratio": round(sum(r["seconds"].values()) / floor_seconds, 2),
    }
