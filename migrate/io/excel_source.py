"""Excel workbooks (xlsx, xlsm, xlsb, xls, ods) read cell by cell with python-calamine.

Cells come back as the text a person reads in Excel: dates as ``YYYY-MM-DD``
(with ``THH:MM:SS`` when there is a time of day), integral numbers without
``.0``, text untouched (leading zeros kept), booleans as ``TRUE``/``FALSE``.
Row numbers in errors are Excel's own (1-based).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from migrate.errors import SourceError
from migrate.io.spec import SourceSpec, existing_file
from migrate.io.text import clean_header, format_float, format_temporal, text_frame

Cell = Any


def label(spec: SourceSpec, base_dir: Path) -> str:
    return f"{spec.name} ({spec.file_path(base_dir)}, sheet {spec.sheet!r})"


def columns(spec: SourceSpec, base_dir: Path) -> list[str]:
    """Pre-flight: the workbook opens, the sheet exists and has a clean header."""
    header, _ = _table(spec, base_dir, header_only=True)
    return header


def frames(spec: SourceSpec, base_dir: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """The sheet read whole, then handed out in slices of ``chunk_rows`` rows."""
    header, rows = _table(spec, base_dir, header_only=False)
    for start in range(0, max(len(rows), 1), chunk_rows):
        yield text_frame(rows[start : start + chunk_rows], header)


def excel_text(value: Cell) -> str | None:
    """One cell as displayed text; ``None`` for an empty cell."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, (dt.date, dt.time)):
        return format_temporal(value)
    return None if value is None else str(value)


def _table(
    spec: SourceSpec, base_dir: Path, *, header_only: bool
) -> tuple[list[str], list[list[str | None]]]:
    source = label(spec, base_dir)
    grid = [
        [excel_text(cell) for cell in row]
        for row in _sheet(spec, base_dir, source).to_python(skip_empty_area=False)
    ]
    numbered = [(number, row) for number, row in enumerate(grid, start=1) if any(row)]
    if not numbered:
        raise SourceError(source, "sheet is empty: no header row")
    _, raw_header = numbered[0]
    keep = _used_columns(raw_header, numbered[1:], source)
    header = clean_header([raw_header[i] or "" for i in keep], source)
    if header_only:
        return header, []
    return header, [[row[i] for i in keep] for _, row in numbered[1:]]


def _sheet(spec: SourceSpec, base_dir: Path, source: str) -> CalamineSheet:
    path = existing_file(spec, base_dir)
    try:
        workbook = CalamineWorkbook.from_path(path)
    except (CalamineError, OSError, ValueError) as exc:
        raise SourceError(source, f"cannot be read as a workbook: {exc}") from None
    names = workbook.sheet_names
    sheet = spec.sheet
    if isinstance(sheet, int) and not 0 <= sheet < len(names):
        raise SourceError(source, f"no sheet number {sheet}; sheets: {', '.join(names)}")
    if isinstance(sheet, str) and sheet not in names:
        raise SourceError(source, f"no sheet named {sheet!r}; sheets: {', '.join(names)}")
    name = names[sheet] if isinstance(sheet, int) else sheet
    return workbook.get_sheet_by_name(name)


def _used_columns(
    header: Sequence[str | None],
    rows: Sequence[tuple[int, Sequence[str | None]]],
    source: str,
) -> list[int]:
    """Positions of named columns; unnamed columns must be empty and are dropped."""
    keep = []
    for position, name in enumerate(header):
        if name and name.strip():
            keep.append(position)
            continue
        for number, row in rows:
            if position < len(row) and row[position] is not None:
                cell = f"{_column_letter(position)}{number}"
                raise SourceError(
                    source, f"cell {cell} has data but its column has no header name", row=number
                )
    return keep


def _column_letter(position: int) -> str:
    letters = ""
    number = position + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
