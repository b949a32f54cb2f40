"""The review workbook: ``out/review/<object>_review.xlsx``, written by a run, read back later.

Sheets a reviewer works in:

* ``review``: the pairs scored between ``review`` and ``auto_merge`` (and matches held
  back because they would re-key loaded records), strongest first (up to
  ``REVIEW_ROWS``; the CSV beside the workbook has them all);
* ``merged``: the pairs this run merged, weakest first (up to ``MERGED_ROWS``), so a
  wrong merge can be undone.

One row per pair: the pair id, both records' system and key, per comparison the two
values side by side with similarity and contribution, the score, the blocking passes,
whether the two ended in one cluster, a note, a ``decision`` cell with a drop-down of
``match`` / ``no-match`` and a free ``comment``. Two hidden sheets let
``migrate review apply`` check what comes back: ``_meta`` (object, run id, format)
and ``_pairs`` (per row: sheet, pair id, both identities and the values shown, as JSON).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from migrate.review.decisions import VERDICTS

FORMAT = "migrate-review/1"
SHEETS = ("review", "merged")
HIDDEN = ("_meta", "_pairs")
IDENTITY = ["system_a", "key_a", "system_b", "key_b"]
HIDDEN_COLUMNS = ["sheet", "pair_id", *IDENTITY, "score", "values"]
MERGED_ROWS = 50_000
REVIEW_ROWS = 100_000
_DROPPED = ("rid_a", "rid_b")
_WIDTH = {"pair_id": 11, "decision": 11, "comment": 30, "note": 14, "passes": 16}


@dataclass(frozen=True)
class Book:
    """A review workbook read back: its meta data, visible sheets and hidden pair list."""

    meta: dict[str, str]
    sheets: dict[str, pd.DataFrame]
    pairs: pd.DataFrame


def value_columns(table: pd.DataFrame) -> list[str]:
    """The columns whose values a reviewer sees and must not change."""
    shown = [c for c in table.columns if c.endswith(("_a", "_b")) and c not in _DROPPED]
    return [c for c in shown if c not in IDENTITY]


def cell_text(value: Any) -> str:
    """A cell value as the text written and compared ('' for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def shown_values(row: dict[Any, Any], columns: list[str]) -> dict[str, str]:
    """The identity and value cells of one row, as text."""
    return {name: cell_text(row.get(name)) for name in [*IDENTITY, *columns]}


def write_workbook(path: Path, obj: str, run_id: str, tables: dict[str, pd.DataFrame]) -> Path:
    """Write the review and merged tables (review_frame layout) to ``path``."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": False})
    formats = {
        "head": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "pick": book.add_format({"bg_color": "#FFF2CC", "border": 1}),
        "number": book.add_format({"num_format": "0.000"}),
    }
    hidden: list[dict[str, Any]] = []
    for sheet in SHEETS:
        table = tables.get(sheet, pd.DataFrame())
        _write_sheet(book, sheet, _visible(table), formats, hidden)
    _write_meta(book, {"format": FORMAT, "object": obj, "run_id": run_id})
    _write_table(book.add_worksheet("_pairs"), pd.DataFrame(hidden, columns=HIDDEN_COLUMNS))
    book.worksheets()[-1].very_hidden()
    book.close()
    return path


def _visible(table: pd.DataFrame) -> pd.DataFrame:
    """The table as a reviewer sees it: no row ids, a decision and a comment column."""
    out = table.drop(columns=[c for c in _DROPPED if c in table.columns])
    if "decision" not in out.columns:
        out["decision"] = ""
    out["comment"] = ""
    return out.head(REVIEW_ROWS)


def _write_sheet(
    book: Any, sheet: str, table: pd.DataFrame, formats: dict[str, Any], hidden: list[Any]
) -> None:
    ws = book.add_worksheet(sheet)
    columns = list(table.columns)
    values = value_columns(table)
    for col, name in enumerate(columns):
        ws.write_string(0, col, name, formats["head"])
        ws.set_column(col, col, _WIDTH.get(name, 16 if name in values else 10))
    for row, record in enumerate(table.to_dict("records"), start=1):
        for col, name in enumerate(columns):
            _write_cell(ws, row, col, record.get(name), formats)
        hidden.append(_hidden_row(sheet, record, values))
    if columns:
        decision = columns.index("decision")
        last = max(len(table), 1)
        ws.data_validation(
            1,
            decision,
            last,
            decision,
            {
                "validate": "list",
                "source": list(VERDICTS),
                "error_title": "Decision",
                "error_message": "Choose match or no-match (or leave the cell empty).",
            },
        )
        ws.conditional_format(
            1, decision, last, decision, {"type": "no_blanks", "format": formats["pick"]}
        )
        ws.freeze_panes(1, 1)
        ws.autofilter(0, 0, len(table), len(columns) - 1)


def _write_cell(ws: Any, row: int, col: int, value: Any, formats: dict[str, Any]) -> None:
    """Numbers as numbers (blank when missing), everything else as literal text."""
    if isinstance(value, bool):
        ws.write_string(row, col, "yes" if value else "no")
    elif isinstance(value, float):
        if not pd.isna(value):
            ws.write_number(row, col, value, formats["number"])
    elif isinstance(value, int):
        ws.write_number(row, col, value)
    else:
        text = cell_text(value)
        if text:
            ws.write_string(row, col, text)


def _hidden_row(sheet: str, record: dict[Any, Any], values: list[str]) -> dict[str, Any]:
    shown = shown_values(record, values)
    return {
        "sheet": sheet,
        "pair_id": cell_text(record.get("pair_id")),
        **{name: shown[name] for name in IDENTITY},
        "score": cell_text(record.get("score")),
        "values": json.dumps(shown, ensure_ascii=False, sort_keys=True),
    }


def _write_meta(book: Any, meta: dict[str, str]) -> None:
    ws = book.add_worksheet("_meta")
    _write_table(ws, pd.DataFrame({"key": list(meta), "value": list(meta.values())}))
    ws.very_hidden()


def _write_table(ws: Any, table: pd.DataFrame) -> None:
    for col, name in enumerate(table.columns):
        ws.write_string(0, col, str(name))
    for row, record in enumerate(table.itertuples(index=False), start=1):
        for col, value in enumerate(record):
            ws.write_string(row, col, cell_text(value))


def read_workbook(path: Path) -> Book:
    """Read a review workbook; raises ValueError when it is not one."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        missing = [name for name in HIDDEN if name not in book.sheetnames]
        if missing:
            raise ValueError(f"not a migrate review workbook (no sheet {', '.join(missing)})")
        meta_rows = _rows(book["_meta"])
        meta = {cell_text(r.get("key")): cell_text(r.get("value")) for r in meta_rows}
        pairs = pd.DataFrame(_rows(book["_pairs"]), columns=HIDDEN_COLUMNS).fillna("")
        sheets = {
            name: pd.DataFrame(_rows(book[name])) for name in SHEETS if name in book.sheetnames
        }
    finally:
        book.close()
    return Book(meta, sheets, pairs.astype(str))


def _rows(ws: Any) -> list[dict[str, Any]]:
    """The rows of a sheet as dicts by header; the spreadsheet row number under ``_row``."""
    rows = ws.iter_rows(values_only=True)
    header = [cell_text(h) for h in next(rows, ())]
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or v == "" for v in values):
            continue
        record = dict(zip(header, values, strict=False))
        record["_row"] = number
        out.append(record)
    return out
