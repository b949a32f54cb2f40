"""Read a filled-in review workbook back and store its decisions in the project.

Every row is checked against the workbook's hidden pair list before anything is
stored: a pair id the workbook never had, a pair listed twice, a value cell that
was changed (the decision would be about other data), a decision other than
``match`` / ``no-match``, and -- on the ``review`` sheet -- a pair without a
decision (unless partial reviews are allowed) are problems. All problems of a
workbook are reported at once, each naming its sheet, row and pair; with any
problem nothing is stored. On the ``merged`` sheet an empty decision means "keep
the merge"; ``no-match`` there undoes it in the next run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from migrate.errors import MigrateError
from migrate.review.decisions import VERDICTS, upsert
from migrate.review.workbook import FORMAT, IDENTITY, Book, cell_text, read_workbook, shown_values
from migrate.spec.loader import Project
from migrate.state.paths import decisions_file

VALUES_OF = {"a": "_a", "b": "_b"}


class ReviewFileError(MigrateError):
    """A review workbook cannot be applied; ``problems`` lists every reason."""

    exit_code = 2

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        shown = problems[:20] + (
            [f"... and {len(problems) - 20} more"] if len(problems) > 20 else []
        )
        super().__init__(f"{path}: " + "; ".join(shown))


@dataclass
class Applied:
    """What applying a workbook stored."""

    object: str
    path: Path
    added: int = 0
    replaced: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    undecided: int = 0


def apply_workbook(
    path: Path,
    project: Project,
    reviewer: str,
    *,
    partial: bool = False,
    now: datetime | None = None,
) -> Applied:
    """Check the workbook at ``path`` and store its decisions in ``project``."""
    try:
        book = read_workbook(path)
    except (ValueError, OSError, KeyError) as error:
        raise ReviewFileError(path, [str(error)]) from None
    obj = _object(book, project, path)
    rows, undecided, problems = _decisions(book, partial)
    if problems:
        raise ReviewFileError(path, problems)
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    table = pd.DataFrame(rows)
    target = decisions_file(project.root, project.model.state, obj)
    applied = Applied(obj, target, undecided=undecided)
    if not table.empty:
        table["reviewer"] = reviewer
        table["decided_at"] = stamp
        table["run_id"] = book.meta.get("run_id", "")
        applied.added, applied.replaced = upsert(target, table)
        applied.verdicts = {str(k): int(v) for k, v in table["decision"].value_counts().items()}
    return applied


def _object(book: Book, project: Project, path: Path) -> str:
    if book.meta.get("format") != FORMAT:
        found = book.meta.get("format") or "none"
        raise ReviewFileError(path, [f"unknown workbook format {found!r} (expected {FORMAT})"])
    obj = book.meta.get("object", "")
    if obj not in project.objects:
        valid = ", ".join(project.objects)
        raise ReviewFileError(path, [f"object {obj!r} is not in this project (valid: {valid})"])
    return obj


def _decisions(book: Book, partial: bool) -> tuple[list[dict[Any, Any]], int, list[str]]:
    """The decided rows, how many were left undecided, and every problem found."""
    known = {(r["sheet"], r["pair_id"]): r for r in book.pairs.to_dict("records")}
    rows: list[dict[Any, Any]] = []
    problems: list[str] = []
    undecided = 0
    for sheet, table in book.sheets.items():
        seen: set[str] = set()
        for record in table.to_dict("records"):
            where = f"{sheet} row {record.get('_row')}"
            found = _check_row(record, sheet, known, seen, where, problems)
            if found is None:
                continue
            verdict = _verdict(record.get("decision"))
            if verdict is None:
                problems.append(
                    f"{where} (pair {found['pair_id']}): decision "
                    f"{record.get('decision')!r} is not one of {', '.join(VERDICTS)}"
                )
            elif verdict == "":
                undecided += 1
                if sheet == "review" and not partial:
                    problems.append(f"{where} (pair {found['pair_id']}): no decision")
            else:
                rows.append(_stored(found, verdict, record))
        missing = [p for (s, p) in known if s == sheet and p not in seen]
        if missing and sheet == "review" and not partial:
            problems.append(
                f"{sheet}: {len(missing)} pair(s) removed from the sheet, e.g. {missing[0]}"
            )
    return rows, undecided, problems


def _check_row(
    record: dict[Any, Any],
    sheet: str,
    known: dict[Any, dict[Any, Any]],
    seen: set[str],
    where: str,
    problems: list[str],
) -> dict[Any, Any] | None:
    """The hidden entry of a row, or None (with the problem noted) when it does not fit."""
    pair_id = cell_text(record.get("pair_id")).strip()
    found = known.get((sheet, pair_id))
    if found is None:
        problems.append(f"{where}: unknown pair id {pair_id!r}")
        return None
    if pair_id in seen:
        problems.append(f"{where}: pair {pair_id} is listed twice")
        return None
    seen.add(pair_id)
    expected = json.loads(found["values"])
    shown = shown_values(record, [c for c in expected if c not in IDENTITY])
    changed = [c for c in expected if shown.get(c, "") != expected[c]]
    if changed:
        column = changed[0]
        problems.append(
            f"{where} (pair {pair_id}): {column} was changed "
            f"({expected[column]!r} -> {shown.get(column, '')!r}); values must stay as written"
        )
        return None
    return found


def _verdict(value: Any) -> str | None:
    """'' when empty, the verdict when valid, None when not a verdict."""
    text = " ".join(cell_text(value).strip().lower().replace("_", "-").split())
    text = text.replace("no match", "no-match")
    if text == "":
        return ""
    return text if text in VERDICTS else None


def _stored(found: dict[Any, Any], verdict: str, record: dict[Any, Any]) -> dict[Any, Any]:
    values = json.loads(found["values"])
    side = {
        s: {
            k.removesuffix(suffix): v
            for k, v in values.items()
            if k.endswith(suffix) and k not in IDENTITY
        }
        for s, suffix in VALUES_OF.items()
    }
    return {
        **{name: found[name] for name in IDENTITY},
        "decision": verdict,
        "score": found["score"],
        "values_a": json.dumps(side["a"], ensure_ascii=False, sort_keys=True),
        "values_b": json.dumps(side["b"], ensure_ascii=False, sort_keys=True),
        "comment": cell_text(record.get("comment")),
    }
