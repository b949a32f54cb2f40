"""The run history: one compact JSON record per run, kept in the project's ``history/`` folder.

A record holds what a change-control board or a cut-over plan asks about a
run: which inputs it read (SHA-256 and size of every file), which rule
versions it ran (SHA-256 of every spec file, and the git commit when the
project is in git), the funnel per object and system, the reject rate of
every rule, and the time each stage took. Records are small and written once;
the history belongs in version control next to the rules it measured.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

from migrate.errors import SpecError
from migrate.io.urls import mask_url
from migrate.report.model import ObjectReport, RunReport
from migrate.stages.base import RunContext

HISTORY_DIR = "history"
FORMAT = 1
FATES = ("loaded", "merged", "rejected", "out_of_scope")
_CHUNK = 1 << 20


def record_run(ctx: RunContext, report: RunReport) -> Path:
    """Write the record of the run that ``report`` reports into ``<project>/history/``."""
    return write_record(ctx.project.root, run_record(ctx, report))


def run_record(ctx: RunContext, report: RunReport) -> dict[str, Any]:
    """The compact record of one finished run."""
    target = ctx.extras.get("target_url")
    return {
        "format": FORMAT,
        "run_id": report.run_id,
        "project": report.project,
        "scope": report.scope,
        "status": report.status,
        "started": report.started,
        "finished": report.finished,
        "seconds": _seconds(report.started, report.finished),
        "target": str(target).split(":", 1)[0].split("+", 1)[0] if target else None,
        "git_commit": _git_commit(ctx.project.root),
        "inputs": _inputs(ctx),
        "rule_versions": dict(sorted(ctx.project.file_hashes.items())),
        "objects": {obj.name: object_figures(obj) for obj in report.objects},
    }


def object_figures(obj: ObjectReport) -> dict[str, Any]:
    """Funnel totals and per system, reject rate overall and per rule, seconds per stage."""
    totals = {fate: sum(getattr(row, fate) for row in obj.funnel) for fate in FATES}
    extracted = sum(row.extracted for row in obj.funnel)
    return {
        "extracted": extracted,
        **totals,
        "reject_rate": _rate(totals["rejected"], extracted),
        "by_system": {
            row.system: {"extracted": row.extracted, **{f: getattr(row, f) for f in FATES}}
            for row in obj.funnel
        },
        "rules": {
            rule.rule: {
                "severity": rule.severity,
                "count": rule.count,
                "rate": _rate(rule.count, extracted),
            }
            for rule in obj.rejects_by_rule
        },
        "seconds": {str(s["stage"]): s.get("seconds", 0.0) for s in obj.stages},
    }


def write_record(root: Path, record: dict[str, Any]) -> Path:
    """Write ``record`` as ``history/<run_id>.json`` (a suffix keeps two runs of one second)."""
    folder = root / HISTORY_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path, number = folder / f"{record['run_id']}.json", 2
    while path.exists():
        path, number = folder / f"{record['run_id']}-{number}.json", number + 1
    text = json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def read_history(root: Path) -> list[dict[str, Any]]:
    """Every record in ``<root>/history/``, oldest first."""
    records = []
    for path in sorted((root / HISTORY_DIR).glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise SpecError(
                f"{HISTORY_DIR}/{path.name}", "", f"not a run record: {error}"
            ) from None
        if not isinstance(record, dict) or "run_id" not in record:
            raise SpecError(f"{HISTORY_DIR}/{path.name}", "", "not a run record: no run_id")
        records.append(record)
    return sorted(records, key=lambda r: (str(r.get("started", "")), str(r["run_id"])))


def _inputs(ctx: RunContext) -> list[dict[str, Any]]:
    found = []
    for name, obj in ctx.project.objects.items():
        for source in obj.model.sources:
            entry: dict[str, Any] = {
                "object": name,
                "source": source.name,
                "system": source.system,
                "kind": source.kind,
            }
            entry.update(_location(source, ctx.project.root))
            found.append(entry)
    return found


def _location(source: Any, root: Path) -> dict[str, Any]:
    """Where a source is, and the hash and size of its file (a SQLite file counts as one)."""
    if source.path:
        path = Path(source.path) if Path(source.path).is_absolute() else root / source.path
        return {"location": source.path, **_file_digest(path)}
    where = source.table or "query"
    url = str(source.url or "")
    shown = url if "${" in url else mask_url(url)
    sqlite = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None
    if sqlite and sqlite != ":memory:":
        path = Path(sqlite) if Path(sqlite).is_absolute() else root / sqlite
        return {"location": f"{shown} ({where})", **_file_digest(path)}
    return {"location": f"{shown} ({where})", "sha256": None, "bytes": None}


def _file_digest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {"sha256": None, "bytes": None}
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "bytes": path.stat().st_size}


def _git_commit(root: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _rate(count: int, total: int) -> float:
    return round(count / total, 6) if total else 0.0


def _seconds(started: str, finished: str) -> float | None:
    try:
        return (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
    except ValueError:
        return None
