"""Validating load files with Great Expectations: results, Data Docs, pandas-3 column types."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

pytest.importorskip("great_expectations")

from migrate.gx.frames import gx_frame, validate_load_files
from migrate.gx.run import GxReport, build_suite, validate_frames
from migrate.gx.suite import Expectation, SuitePlan
from migrate.spec.loader import load_project
from tests.gx.project import GOOD, bad_rows, make_project, write_load


def failed(report: GxReport) -> set[tuple[str, str, int | None]]:
    return {(o.rule, o.expectation, o.unexpected) for o in report.outcomes if not o.success}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GxReport]:
    root = make_project(tmp_path_factory.mktemp("gx"))
    project = load_project(root)
    reports = {}
    for name, rows in (("good", GOOD), ("bad", bad_rows())):
        out = root / f"out_{name}"
        write_load(out, rows)
        reports[name] = validate_load_files(project, out)
    return reports


def test_good_load_files_pass_every_expectation(runs: dict[str, GxReport]) -> None:
    report = runs["good"]
    assert report.success and not failed(report)
    assert len(report.outcomes) == 23  # 11 types + 12 rules (a decimal's scale: not in GX)
    assert {o.rule for o in report.outcomes} >= {"schema.customer_id.unique", "V01", "V02"}


def test_bad_load_files_fail_the_expectations_of_their_defects(runs: dict[str, GxReport]) -> None:
    report = runs["bad"]
    assert not report.success
    assert failed(report) == {
        ("schema.name.length", "expect_column_value_lengths_to_be_between", 1),
        ("schema.zip.pattern", "expect_column_values_to_match_regex", 1),
        ("schema.country.allowed", "expect_column_values_to_be_in_set", 1),
        ("schema.sales_org.check_table", "expect_column_values_to_be_in_set", 1),
        ("schema.credit.range", "expect_column_values_to_be_between", 1),
        ("schema.visits.precision", "expect_column_values_to_be_between", 1),
        ("V01", "expect_column_values_to_not_be_null", 1),
        ("V02", "expect_column_pair_values_a_to_be_greater_than_b", 1),
        ("schema.customer_id.unique", "expect_column_values_to_be_unique", 2),
    }


def test_only_warn_failures_leave_the_report_successful(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    rows = [*GOOD, ["W1", "Will", "", "", "", "", "", "", "2020-05-01", "2020-04-01", ""]]
    report = validate_load_files(load_project(root), write_load(root / "out", rows).parents[1])
    assert failed(report) == {("V02", "expect_column_pair_values_a_to_be_greater_than_b", 1)}
    assert report.success


def test_data_docs_are_written(runs: dict[str, GxReport]) -> None:
    index = runs["bad"].docs_index
    assert index.name == "index.html" and index.parent.name == "data_docs"
    assert index.parent.parent.name == "gx" and index.exists()
    assert "customer" in index.read_text("utf-8")
    pages = list(index.parent.glob("validations/**/*.html"))
    assert len(pages) == 1
    page = pages[0].read_text("utf-8")
    assert "Unsuccessful Expectations" in page and "sales_org" in page
    assert (index.parent / "expectations/customer.html").exists()


def test_a_value_not_of_its_type_fails_the_type_expectation(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    rows = [*GOOD, ["T1", "Tom", "", "", "", "ten", "", "", "", "", ""]]
    report = validate_load_files(load_project(root), write_load(root / "out", rows).parents[1])
    types = {o.column: o for o in report.outcomes if o.rule.endswith(".type")}
    assert not types["credit"].success and types["visits"].success


def test_frames_are_typed_as_the_validate_stage_types_them(tmp_path: Path) -> None:
    mapping = load_project(make_project(tmp_path)).objects["customer"].mapping
    text = pd.DataFrame([GOOD[0]], columns=list(mapping.fields), dtype="str")
    typed = gx_frame(text, mapping)
    assert {c: str(t) for c, t in typed.dtypes.items() if c in ("name", "visits", "since")} == {
        "name": "str",
        "visits": "Int64",
        "since": "datetime64[us]",
    }


def _types(
    frame: pd.DataFrame, pairs: list[tuple[str, str]], folder: Path
) -> dict[tuple[str, str], Any]:
    plan = SuitePlan(
        "t",
        tuple(
            Expectation("ExpectColumnValuesToBeOfType", {"column": c, "type_": t}, f"{c}:{t}")
            for c, t in pairs
        ),
    )
    report = validate_frames({"t": (plan, frame)}, folder)
    return {tuple(o.rule.split(":")): o.success for o in report.outcomes}  # type: ignore[misc]


def test_pandas_3_column_types_as_gx_sees_them(tmp_path: Path) -> None:
    """GX compares ``dtype.type``: pandas 3 text is ``str``, not ``object`` as in pandas 2."""
    frame = pd.DataFrame(
        {
            "text": pd.Series(["a", None], dtype="str"),
            "whole": pd.Series([1, None], dtype="Int64"),
            "yes": pd.Series([True, None], dtype="boolean"),
            "day": pd.Series(pd.to_datetime(["2020-01-01", None])).astype("datetime64[us]"),
        }
    )
    pairs = [
        ("text", "str"),
        ("text", "object"),
        ("text", "string"),
        ("whole", "int64"),
        ("whole", "Int64"),
        ("yes", "bool"),
        ("yes", "boolean"),
        ("day", "datetime64"),
        ("day", "datetime64[ns]"),
    ]
    seen = _types(frame, pairs, tmp_path)
    assert seen == {
        ("text", "str"): True,
        ("text", "object"): False,  # what a pandas-2 suite said of text columns
        ("text", "string"): False,
        ("whole", "int64"): True,
        ("whole", "Int64"): False,  # extension dtype names do not match
        ("yes", "bool"): True,
        ("yes", "boolean"): False,
        ("day", "datetime64"): True,
        ("day", "datetime64[ns]"): True,  # the unit is not compared: [us] passes as [ns]
    }


def test_suite_object_carries_rules_in_meta() -> None:
    plan = SuitePlan("s", (Expectation("ExpectColumnValuesToNotBeNull", {"column": "a"}, "R1"),))
    suite = build_suite(plan)
    assert suite.name == "s"
    assert [e.meta["rule"] for e in suite.expectations] == ["R1"]


def test_importing_the_bridge_and_the_command_does_not_import_gx() -> None:
    code = (
        "import sys, migrate.gx, migrate.gx.run, migrate.cli.validate;"
        "assert 'great_expectations' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
