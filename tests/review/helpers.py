"""A review workbook made by the match stage, and a stand-in project to apply it to."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from openpyxl import load_workbook

from migrate.spec.project import ProjectState
from migrate.stages import match
from tests.matching.helpers import make_context, make_frame, make_object

FIELDS = ["name", "phone", "city"]
RECORDS: list[dict[str, Any]] = [
    {"name": "Acme Trading Ltd", "phone": "0211234567", "city": "Shanghai"},  # 0
    {"name": "Acme Trading Ltd", "phone": "0211234567", "city": None, "_system": "CRM"},  # 1
    {"name": "Acme Trading", "phone": "0219999999", "city": "Shanghai", "_system": "CRM"},  # 2
    {"name": "Bolt Motors", "phone": "0105550000", "city": "=SUM(A1)"},  # 3
    {"name": "Bolt Motor", "phone": "0105550000", "city": "=SUM(A1)", "_system": "CRM"},  # 4
    {"name": "Zenith Foods", "phone": "0755111222", "city": "Shenzhen"},  # 5
]
SPEC: dict[str, Any] = {
    "blocking": [
        {"name": "phone", "key": [{"field": "phone", "transform": "digits"}]},
        {"name": "name3", "key": [{"field": "name", "transform": "prefix", "length": 3}]},
    ],
    "compare": [
        {"field": "name", "method": "jaro_winkler", "weight": 2},
        {"field": "phone", "method": "exact"},
        {"field": "city", "method": "exact"},
    ],
    "thresholds": {"auto_merge": 0.9, "review": 0.6},
}


def run_match(out: Path, extras: dict[str, Any] | None = None) -> Any:
    """Run the match stage on RECORDS; returns (clusters frame, result, context)."""
    frame = make_frame(RECORDS, FIELDS)
    ctx = make_context(out, frame)
    ctx.extras.update(extras or {})
    clustered, result = match.run(frame, make_object(FIELDS, match=SPEC), ctx)
    return clustered, result, ctx


def project(root: Path) -> Any:
    """Just what applying a workbook reads of a project."""
    state = ProjectState(decisions="decisions", golden_keys="state")
    return SimpleNamespace(
        root=root, objects={"customer": None}, model=SimpleNamespace(state=state)
    )


def fill(
    path: Path,
    sheet: str,
    decisions: dict[str, str],
    edits: dict[tuple[str, str], Any] | None = None,
) -> None:
    """Write decisions (by pair id) and optional cell edits (pair id, column) into a workbook."""
    book = load_workbook(path)
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        pair = row[header.index("pair_id")].value
        if pair in decisions:
            row[header.index("decision")].value = decisions[pair]
        for (edit_pair, column), value in (edits or {}).items():
            if edit_pair == pair:
                row[header.index(column)].value = value
    book.save(path)
