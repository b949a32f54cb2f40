"""What of a run's outputs must come out the same from the same inputs and rules.

Two runs on the same data (whole tables or chunks, in this process or on a
cluster) must write the same load files, rejects, ledger and report figures.
Only the clock differs: run ids, start and end times, seconds; and where the work
ran (a stage's ``ran_on``: engine and partitions), which is not an output. ``contents``
gives each output file as it should compare (bytes; a JSON file's data without
what the clock decides; workbooks are left out, they carry their write time),
``fingerprint`` the SHA-256 of each.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from migrate.io.sinks import sha256_file

CLOCK_KEYS = frozenset({"seconds", "seconds_by_rule", "started", "finished", "run_id", "created"})
PLACE_KEYS = frozenset({"ran_on"})  # where the work ran: the same outputs from any engine
UNSTEADY_KEYS = CLOCK_KEYS | PLACE_KEYS
COMPARED = ("load", "rejects", "report/ledger.csv", "report/report.json")


def steady(value: Any) -> Any:
    """JSON data without the keys the clock (or the engine) decides, at any depth."""
    if isinstance(value, dict):
        return {k: steady(v) for k, v in value.items() if k not in UNSTEADY_KEYS}
    if isinstance(value, list):
        return [steady(v) for v in value]
    return value


def contents(out: Path, parts: tuple[str, ...] = COMPARED) -> dict[str, Any]:
    """Each compared output file under ``out`` (files and folders ``parts``), by relative path."""
    return {path.relative_to(out).as_posix(): _content(path) for path in _compared(out, parts)}


def fingerprint(out: Path, parts: tuple[str, ...] = COMPARED) -> dict[str, str]:
    """The SHA-256 of each compared output file (a JSON file's: of its steady data).

    Files are hashed as they are read, block by block: a large run's load files
    and ledger are gigabytes.
    """
    digests = {}
    for path in _compared(out, parts):
        name = path.relative_to(out).as_posix()
        if path.suffix == ".json":
            steady_text = json.dumps(_content(path), sort_keys=True).encode("utf-8")
            digests[name] = hashlib.sha256(steady_text).hexdigest()
        else:
            digests[name] = sha256_file(path)
    return digests


def _compared(out: Path, parts: tuple[str, ...]) -> list[Path]:
    found = []
    for part in parts:
        paths = [out / part] if (out / part).is_file() else sorted((out / part).rglob("*"))
        found += [path for path in paths if path.is_file() and path.suffix != ".xlsx"]
    return found


def _content(path: Path) -> Any:
    if path.suffix == ".json":
        return steady(json.loads(path.read_text(encoding="utf-8")))
    return path.read_bytes()
