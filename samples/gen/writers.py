"""Writers for the legacy files (GB18030 CSV, Excel, SQLite) and the UTF-8 truth files."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType

import xlsxwriter

from samples.gen.common import Obj

FIXED_CREATED = datetime(2024, 6, 30, 18, 0, 0)
XLSX_STREAMING_ROWS = 100_000
_CSV_BATCH = 100_000


class LegacyCsv:
    """A Windows-style export: GB18030, ``\\r\\n``, quoted where needed; appendable."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = path.open("w", encoding="gb18030", newline="")
        self._writer = csv.writer(self._fh, lineterminator="\r\n")
        self._writer.writerow(header)
        self._header = tuple(header)
        self.rows = 0

    def write(self, cols: dict[str, Obj]) -> None:
        """Append rows given as equally long columns."""
        columns = [cols[h].tolist() for h in self._header]
        total = len(columns[0])
        for start in range(0, total, _CSV_BATCH):
            end = min(start + _CSV_BATCH, total)
            self._writer.writerows(zip(*(c[start:end] for c in columns), strict=True))
        self.rows += total

    def __enter__(self) -> LegacyCsv:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._fh.close()


def write_xlsx(
    path: Path, sheet: str, cols: dict[str, Obj], widths: dict[str, int] | None = None
) -> int:
    """One-sheet workbook; ``date`` cells become real Excel dates, the rest text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = list(cols)
    total = len(cols[header[0]])
    options = {
        "constant_memory": total > XLSX_STREAMING_ROWS,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    with xlsxwriter.Workbook(str(path), options) as book:
        book.set_properties({"created": FIXED_CREATED, "author": "CRM export"})
        ws = book.add_worksheet(sheet)
        bold = book.add_format({"bold": True})
        date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
        for c, name in enumerate(header):
            ws.write_string(0, c, name, bold)
            ws.set_column(c, c, (widths or {}).get(name, 14))
        columns = [cols[h].tolist() for h in header]
        for r in range(total):
            for c, values in enumerate(columns):
                value = values[r]
                if isinstance(value, date):
                    ws.write_datetime(r + 1, c, value, date_fmt)
                elif value:
                    ws.write_string(r + 1, c, value)
    return total


def write_sqlite(path: Path, table: str, cols: dict[str, Obj], key: str) -> int:
    """A fresh SQLite file with one all-TEXT table whose ``key`` column is the primary key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    header = list(cols)
    defs = ", ".join(f"{h} TEXT PRIMARY KEY" if h == key else f"{h} TEXT" for h in header)
    rows = list(zip(*(cols[h].tolist() for h in header), strict=True))
    con = sqlite3.connect(path)
    try:
        con.execute(f"CREATE TABLE {table} ({defs})")
        marks = ", ".join("?" for _ in header)
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        con.commit()
    finally:
        con.close()
    return len(rows)


def write_truth(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """A UTF-8, ``\\n`` truth file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def read_truth(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a truth file (empty if it does not exist)."""
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return (rows[0], rows[1:]) if rows else ([], [])
