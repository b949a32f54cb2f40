"""Profiling whole sources of every kind the project reads, and writing the JSON and HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.io.spec import SourceSpec
from migrate.profile.model import ProfileReport, SourceProfile
from migrate.profile.profiler import profile_sources
from migrate.profile.render import write_profile
from tests.profile.employees import Truth, employees, write_csv, write_sqlite


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory) -> tuple[ProfileReport, Truth, Path]:
    folder = tmp_path_factory.mktemp("staff")
    frame, truth = employees(300)
    blank = frame.index[frame["备注"].isna()][0]
    frame.loc[blank, "备注"] = "<script>alert(1)</script>"  # a remark nobody counts
    write_csv(frame, folder / "staff.csv")
    frame.astype("str").where(frame.notna()).to_parquet(folder / "staff.parquet")
    write_sqlite(frame, folder / "hr.db", "STAFF")
    specs = [
        SourceSpec(name="csv", system="HR", kind="csv", path="staff.csv"),
        SourceSpec(name="parquet", system="HR", kind="parquet", path="staff.parquet"),
        SourceSpec(name="sql", system="HR", kind="sql", url="sqlite:///hr.db", table="STAFF"),
    ]
    return profile_sources(specs, folder), truth, folder


def test_every_kind_gives_the_same_exact_figures(staff: tuple[ProfileReport, Truth, Path]) -> None:
    report, truth, _ = staff
    for source in report.sources:
        assert source.rows == truth.rows
        assert source.column("邮箱").nulls == truth.empty_email
        remarks = source.column("备注")
        assert remarks.finding("fullwidth").count == truth.fullwidth_remarks  # type: ignore[union-attr]
        assert remarks.finding("control").count == truth.control_remarks  # type: ignore[union-attr]
        assert remarks.finding("mojibake").count == truth.mojibake_remarks  # type: ignore[union-attr]
        assert source.best_key is not None and source.best_key.columns == ("工号",)


def test_columns_are_typed_and_patterned(staff: tuple[ProfileReport, Truth, Path]) -> None:
    source: SourceProfile = staff[0].sources[0]
    assert source.location.endswith("staff.csv)")
    assert source.column("入职日期").inferred_type == "date"
    assert source.column("月薪").inferred_type == "decimal"
    phone = source.column("手机")
    assert {p.value for p in phone.patterns} == staff[1].phone_formats
    assert phone.pattern_count == 4
    department = source.column("部门")
    assert {v.value for v in department.top_values} == {"HR", "FIN", "IT", "OPS", "hr"}
    assert department.lengths is not None and (department.lengths.min, department.lengths.max) == (
        2,
        3,
    )


def test_small_sources_say_what_was_exact(staff: tuple[ProfileReport, Truth, Path]) -> None:
    notes = staff[0].sources[0].notes
    assert any("exact over every row" in n for n in notes)
    assert not any("types are inferred from a random sample" in n for n in notes)


def test_json_and_html_are_written(staff: tuple[ProfileReport, Truth, Path]) -> None:
    report, truth, folder = staff
    json_path, html_path = write_profile(report, folder / "out")
    data = json.loads(json_path.read_text("utf-8"))
    first = data["sources"][0]
    assert first["rows"] == truth.rows
    assert {c["name"] for c in first["columns"]} >= {"工号", "手机", "备注"}
    email = next(c for c in first["columns"] if c["name"] == "邮箱")
    assert email["null_rate"] == round(truth.empty_email / truth.rows, 6)
    assert first["duplicates"]["estimated_records"] > 0
    assert any(s["op"] == "phone_e164" for s in first["suggestions"])
    html = html_path.read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "phone_e164" in html and "工号" in html


def test_large_sources_say_what_was_sampled() -> None:
    from migrate.profile.profiler import profile_frame

    frame, truth = employees(24_000, duplicates=0.05, seed=11)
    source = profile_frame(frame.astype("str").where(frame.notna()), "big", "csv", "big.csv")
    notes = " ".join(source.notes)
    assert "types are inferred from a random sample of 20,000 values" in notes
    assert "near-duplicates are estimated from 2,000 sampled records" in notes
    found = source.duplicates
    assert found is not None and found.sampled_records == 2_000
    share = truth.near_duplicate_records / truth.rows
    assert found.share_low < found.near_duplicate_share < found.share_high
    assert abs(found.near_duplicate_share - share) <= 0.3 * share  # an estimate, not a count
    assert source.column("邮箱").nulls == truth.empty_email  # exact, not sampled


def test_phones_and_emails_are_masked_and_more_on_request() -> None:
    from migrate.profile.profiler import profile_frame

    frame, _ = employees(100)
    text = frame.astype("str").where(frame.notna())
    source = profile_frame(text, "staff", "csv", "staff.csv", mask={"姓名"})
    masked = {c.name for c in source.columns if c.masked}
    assert masked == {"手机", "邮箱", "姓名"}
    for name in masked:
        assert all("*" in v.value for v in source.column(name).top_values)
    assert not any("*" in v.value for v in source.column("部门").top_values)
    assert any("values of 姓名, 手机, 邮箱 are masked" in n for n in source.notes)
