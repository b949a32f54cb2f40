"""Test helpers: make legacy extracts of another shape, and switch on a scaffold's suggestions."""

from __future__ import annotations

import re
from pathlib import Path

from tests.profile.employees import employees, write_csv, write_sqlite

_BLOCK_START = re.compile(r"^(\s*)# (- id:|match:|value_maps:)")


def extracts(folder: Path, rows: int = 300) -> list[Path]:
    """An HR extract as a GB18030 CSV, a Parquet file and a SQLite table (``hr.db``, STAFF)."""
    frame, _ = employees(rows)
    csv = write_csv(frame, folder / "extracts" / "staff.csv")
    parquet = folder / "extracts" / "payroll.parquet"
    frame[["工号", "月薪", "入职日期"]].astype("str").where(frame.notna()).to_parquet(parquet)
    write_sqlite(frame[["工号", "姓名", "部门", "手机"]], folder / "extracts" / "hr.db", "STAFF")
    return [csv, parquet, folder / "extracts" / "hr.db"]


def uncomment_suggestions(path: Path) -> str:
    """The file with every commented-out YAML block (steps, match, value maps) switched on."""
    lines, out, indent = path.read_text("utf-8").splitlines(), [], None
    for line in lines:
        start = _BLOCK_START.match(line)
        if start:
            indent = start.group(1)
        inside = indent is not None and (
            start or line.startswith(indent + "#   ") or line.startswith(indent + "# - ")
        )
        if inside and indent is not None:
            out.append(indent + line[len(indent) + 2 :])
        else:
            indent = None
            out.append(line)
    return "\n".join(out).replace("steps: []", "steps:") + "\n"
