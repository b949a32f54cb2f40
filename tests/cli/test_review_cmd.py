"""`migrate review apply` on the demo: undo an automatic merge, and refuse a tampered workbook."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from openpyxl import load_workbook

from migrate.cli.main import cli
from migrate.review.workbook import read_workbook
from tests.cli.demo_project import copy_demo

BOOK = "review/customer_review.xlsx"


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _run(project: Path, out: Path) -> None:
    code, output = _invoke(
        "run", "--project", str(project), "--out", str(out), "--all", "--quiet", "--no-target"
    )
    assert code == 0, output


def _ledger(out: Path) -> pd.DataFrame:
    ledger = pd.read_csv(out / "report/ledger.csv", dtype=str, keep_default_na=False)
    return ledger[ledger["object"] == "customer"].set_index(["_system", "_key"])


def _a_clean_pair(out: Path) -> tuple[int, tuple[str, str], tuple[str, str]]:
    """A merged pair (sheet row, record a, record b) whose cluster is just those two, loaded."""
    ledger = _ledger(out)
    sizes = ledger["target_key"].value_counts()
    merged = read_workbook(out / BOOK).sheets["merged"]
    for record in merged.to_dict("records"):
        a, b = (record["system_a"], record["key_a"]), (record["system_b"], record["key_b"])
        key = ledger.loc[a, "target_key"]
        if ledger.loc[b, "target_key"] == key and sizes[key] == 2:
            return int(record["_row"]), a, b
    raise AssertionError("no clean merged pair in the demo")


def _decide(book: Path, row: int, decision: str, edit: tuple[str, str] | None = None) -> None:
    wb = load_workbook(book)
    ws = wb["merged"]
    header = [c.value for c in ws[1]]
    ws.cell(row=row, column=header.index("decision") + 1, value=decision)
    if edit:
        ws.cell(row=row, column=header.index(edit[0]) + 1, value=edit[1])
    wb.save(book)


def test_no_match_on_an_auto_merged_pair_splits_it_with_the_original_keys(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    first = tmp_path / "out1"
    _run(project, first)
    row, a, b = _a_clean_pair(first)
    before = _ledger(first)
    golden = before.loc[a, "target_key"]
    assert before.loc[b, "target_key"] == golden
    tampered = tmp_path / "tampered.xlsx"
    shutil.copy(first / BOOK, tampered)
    _decide(tampered, row, "no-match", edit=("name_pinyin_a", "changed"))
    code, output = _invoke("review", "apply", str(tampered), "--project", str(project))
    assert code == 2 and f"merged row {row}" in output and "name_pinyin_a was changed" in output
    assert not (project / "decisions").exists()

    _decide(first / BOOK, row, "no-match")
    code, output = _invoke(
        "review", "apply", str(first / BOOK), "--project", str(project), "--reviewer", "qa"
    )
    assert code == 0, output
    assert "customer: 1 new and 0 changed decision(s) (1 no-match)" in output
    stored = pd.read_csv(project / "decisions/customer.csv", dtype=str, keep_default_na=False)
    assert stored[["decision", "reviewer"]].to_numpy().tolist() == [["no-match", "qa"]]

    second = tmp_path / "out2"
    _run(project, second)
    after = _ledger(second)
    keys = {after.loc[a, "target_key"], after.loc[b, "target_key"]}
    assert keys == {golden, (b if golden == a[1] else a)[1]}  # the survivor keeps its key
    book = read_workbook(second / BOOK)
    shown = set()
    for sheet in book.sheets.values():
        shown |= {
            ((r["system_a"], r["key_a"]), (r["system_b"], r["key_b"]))
            for r in sheet.to_dict("records")
        }
    assert (a, b) not in shown and (b, a) not in shown  # never asked again
    report = json.loads((second / "report/report.json").read_text("utf-8"))
    customer = next(o for o in report["objects"] if o["name"] == "customer")
    stages = {s["stage"]: s["metrics"] for s in customer["stages"]}
    assert (
        stages["match"]["decisions"]["pairs_kept_apart"]
        + stages["match"]["decisions"]["candidates_decided"]
        >= 1
    )
    assert stages["merge"]["golden_keys"]["records_split_off"] == 1
